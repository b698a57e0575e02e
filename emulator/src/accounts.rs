//! The access keys the emulator accepts; each key signs as one 12-digit account.

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub access_key: String,
    pub secret_key: String,
    pub account_id: String,
}

impl Account {
    /// Parses `ACCESS_KEY:SECRET_KEY:ACCOUNT_ID`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = text.splitn(3, ':');
        let (Some(access_key), Some(secret_key), Some(account_id)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("{text:?} is not ACCESS_KEY:SECRET_KEY:ACCOUNT_ID"));
        };
        Self::new(access_key, secret_key, account_id)
    }

    pub fn new(access_key: &str, secret_key: &str, account_id: &str) -> Result<Self, String> {
        if access_key.is_empty() || !access_key.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "access key {access_key:?} must be letters and digits"
            ));
        }
        if secret_key.is_empty() {
            return Err("a secret key cannot be empty".to_owned());
        }
        if account_id.len() != 12 || !account_id.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("account id {account_id:?} must be 12 digits"));
        }
        Ok(Account {
            access_key: access_key.to_owned(),
            secret_key: secret_key.to_owned(),
            account_id: account_id.to_owned(),
        })
    }

    /// A new key pair for `account_id`, for an emulator started inside lensgate.
    pub fn generate(account_id: &str) -> Self {
        let id = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
        Account {
            access_key: format!("AKIA{}", &id[..16]),
            secret_key: format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            ),
            account_id: account_id.to_owned(),
        }
    }
}

/// Secrets never appear in logs.
impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("account_id", &self.account_id)
            .finish()
    }
}
