//! The token a page puts in each of its forms. A resubmission of the same form with the same
//! input derives the same idempotency token, finds the first submission's operation in the audit
//! history and answers with it, so a double submission never becomes a second change.

use lensgate_app::error::AppError;
use sha2::{Digest, Sha256};

use super::Change;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormToken(String);

impl FormToken {
    /// The token a form sent; `None` when it sent none (a client that is not a lensgate page).
    pub fn parse(text: &str) -> Result<Option<FormToken>, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.len() > 64 || !text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(AppError::Invalid(
                "This form's token is damaged. Reload the page and submit again.".into(),
            ));
        }
        Ok(Some(FormToken(text.to_owned())))
    }

    /// The idempotency token of `change` sent from this form: the same form and input give the
    /// same token, a different input (another principal of a pasted list) another one.
    pub(super) fn idempotency_token(&self, change: &Change) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.0.as_bytes());
        hasher.update([0]);
        hasher.update(serde_json::to_vec(change).unwrap_or_default());
        hex::encode(hasher.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lensgate_app::ids::LensArn;

    fn share(with: &str) -> Change {
        Change::CreateLensShare {
            lens_alias: LensArn::parse("arn:aws:wellarchitected:us-east-1:111122223333:lens/abc")
                .unwrap(),
            shared_with: with.into(),
        }
    }

    #[test]
    fn same_form_and_input_give_the_same_token_and_anything_else_another() {
        let form = FormToken::parse("5f1c0d3e-8d55-4d9e-9b8a-0c5e7a9f1b2c")
            .unwrap()
            .unwrap();
        let other = FormToken::parse("another-form").unwrap().unwrap();
        let token = form.idempotency_token(&share("210987654321"));
        assert_eq!(token, form.idempotency_token(&share("210987654321")));
        assert_ne!(token, form.idempotency_token(&share("o-abcdefghij")));
        assert_ne!(token, other.idempotency_token(&share("210987654321")));
        assert_eq!(
            token.len(),
            64,
            "License Manager's ClientToken allows 2048, hex SHA-256 is 64"
        );
    }

    #[test]
    fn empty_is_no_token_and_damaged_is_refused() {
        assert_eq!(FormToken::parse("  ").unwrap(), None);
        assert!(FormToken::parse("a b").is_err());
        assert!(FormToken::parse(&"a".repeat(65)).is_err());
        assert!(FormToken::parse("<script>").is_err());
    }
}
