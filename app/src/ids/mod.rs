//! Identifiers of AWS resources, parsed once where they enter: in the server functions, so the
//! ports and everything behind them take the parsed type.

/// What every id here has: its text, shown as is, and serde through the string (read back, it
/// is checked again by `$parse`).
macro_rules! text_id {
    ($id:ident, $parse:expr) => {
        impl $id {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $id {
            type Error = crate::error::AppError;

            fn try_from(text: String) -> Result<Self, Self::Error> {
                $parse(&text)
            }
        }

        impl From<$id> for String {
            fn from(id: $id) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $id {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

mod lens_arn;

use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub use lens_arn::LensArn;

/// An id AWS writes as 32 lowercase hex digits: workload, share and share invitation ids.
/// Serialised as the plain id; read back (from the audit history) it is checked again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HexId(String);

text_id!(HexId, |text: &str| HexId::parse(text, "hexadecimal id"));

impl HexId {
    /// `what` names the id in the error ("workload id").
    pub fn parse(text: &str, what: &str) -> Result<Self, AppError> {
        let text = text.trim();
        if text.len() == 32
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(HexId(text.to_owned()))
        } else {
            Err(AppError::Invalid(format!(
                "“{}” is not a {what}: AWS writes it as 32 lowercase hexadecimal digits.",
                text.chars().take(80).collect::<String>()
            )))
        }
    }
}

/// A License Manager grant ARN: `arn:<partition>:license-manager::<account>:grant:g-<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct GrantArn(String);

text_id!(GrantArn, GrantArn::parse);

impl GrantArn {
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let text = text.trim();
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let valid = matches!(parts.as_slice(),
            ["arn", partition, "license-manager", region, account, resource]
                if partition.starts_with("aws")
                    && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())
                    && resource.strip_prefix("grant:g-").is_some_and(|id| {
                        !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric())
                    })
        );
        if valid {
            Ok(GrantArn(text.to_owned()))
        } else {
            Err(AppError::Invalid(format!(
                "“{}” is not a grant ARN (arn:aws:license-manager::<account>:grant:g-<id>).",
                text.chars().take(200).collect::<String>()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_ids_are_32_lowercase_hex_digits() {
        assert!(HexId::parse("0123456789abcdef0123456789abcdef", "workload id").is_ok());
        for bad in [
            "",
            "0123456789ABCDEF0123456789ABCDEF",
            "0123456789abcdef",
            "0123456789abcdef0123456789abcdeg",
            "<script>alert(1)</script>0123456",
        ] {
            let error = HexId::parse(bad, "workload id").unwrap_err();
            assert!(error.to_string().contains("is not a workload id"), "{bad}");
        }
    }

    #[test]
    fn grant_arns_parse_and_lookalikes_do_not() {
        let arn = "arn:aws:license-manager::111122223333:grant:g-0123456789abcdef0123456789abcdef";
        assert_eq!(GrantArn::parse(arn).unwrap().as_str(), arn);
        for bad in [
            "g-0123",
            "arn:aws:license-manager::1111:grant:g-01",
            "arn:aws:license-manager::111122223333:license:l-01",
            "arn:aws:wellarchitected::111122223333:grant:g-01",
            "arn:aws:license-manager::111122223333:grant:g-<b>",
        ] {
            assert!(GrantArn::parse(bad).is_err(), "{bad}");
        }
    }
}
