//! A lens ARN, parsed once where it enters the server.

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Serialised as the plain ARN; read back (from the audit history) it is checked again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LensArn(String);

text_id!(LensArn, LensArn::parse);

impl LensArn {
    /// `arn:<partition>:wellarchitected:<region>:<account or aws>:lens/<id>`; AWS official
    /// lenses have no region.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let text = text.trim();
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let valid = matches!(parts.as_slice(),
            ["arn", partition, "wellarchitected", region, owner, resource]
                if partition.starts_with("aws")
                    && region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && (*owner == "aws" || (owner.len() == 12 && owner.bytes().all(|b| b.is_ascii_digit())))
                    && resource.strip_prefix("lens/").is_some_and(|id| {
                        !id.is_empty() && id.len() <= 128 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    })
        );
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(AppError::Invalid(format!(
                "“{}” is not a lens ARN (arn:aws:wellarchitected:<region>:<account>:lens/<id>).",
                text.chars().take(200).collect::<String>()
            )))
        }
    }

    /// The account that owns the lens (`aws` for an AWS official lens).
    pub fn account(&self) -> &str {
        self.0.split(':').nth(4).unwrap_or_default()
    }

    /// The last part of the ARN, which names a downloaded file.
    pub fn id(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or("lens")
    }
}

#[cfg(test)]
mod tests {
    use super::LensArn;

    #[test]
    fn custom_and_official_lens_arns_parse_and_others_do_not() {
        let custom =
            LensArn::parse("arn:aws:wellarchitected:us-east-1:111122223333:lens/0123abcd").unwrap();
        assert_eq!(custom.id(), "0123abcd");
        assert!(LensArn::parse("arn:aws:wellarchitected::aws:lens/serverless").is_ok());
        for bad in [
            "",
            "wellarchitected",
            "arn:aws:wellarchitected:us-east-1:1111:lens/x",
            "arn:aws:s3:us-east-1:111122223333:lens/x",
            "arn:aws:wellarchitected:us-east-1:111122223333:workload/x",
            "arn:aws:wellarchitected:us-east-1:111122223333:lens/<script>",
        ] {
            assert!(LensArn::parse(bad).is_err(), "{bad}");
        }
    }
}
