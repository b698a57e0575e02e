//! Whom a lens or workload is shared with: an account, an IAM role or user, an organization or
//! an organizational unit. Parsed the same way in the browser (to flag entries before anything
//! is sent) and on the server (which never trusts the browser's verdict).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PrincipalKind {
    Account,
    IamRole,
    IamUser,
    Organization,
    OrganizationalUnit,
}

impl PrincipalKind {
    pub fn label(self) -> &'static str {
        match self {
            PrincipalKind::Account => "account",
            PrincipalKind::IamRole => "IAM role",
            PrincipalKind::IamUser => "IAM user",
            PrincipalKind::Organization => "organization",
            PrincipalKind::OrganizationalUnit => "organizational unit",
        }
    }
}

/// One entry of a pasted list and what it is, or why it cannot be shared with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub text: String,
    pub verdict: Result<PrincipalKind, String>,
}

fn lower_alnum(text: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

fn account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// What `text` is, as AWS's share APIs accept it.
pub fn parse(text: &str) -> Result<PrincipalKind, String> {
    if account_id(text) {
        return Ok(PrincipalKind::Account);
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "An account id has 12 digits; this has {}.",
            text.len()
        ));
    }
    if let Some(rest) = text.strip_prefix("o-") {
        return if lower_alnum(rest, 10, 32) {
            Ok(PrincipalKind::Organization)
        } else {
            Err("An organization id is o- followed by 10 to 32 lowercase letters or digits.".into())
        };
    }
    if let Some(rest) = text.strip_prefix("ou-") {
        let valid = rest
            .split_once('-')
            .is_some_and(|(root, unit)| lower_alnum(root, 4, 32) && lower_alnum(unit, 8, 32));
        return if valid {
            Ok(PrincipalKind::OrganizationalUnit)
        } else {
            Err("An OU id looks like ou-ab12-cdef3456 (ou-, 4 to 32, a dash, 8 to 32 lowercase letters or digits).".into())
        };
    }
    if text.starts_with("arn:") {
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let iam = matches!(parts.as_slice(), [_, partition, "iam", "", account, _] if partition.starts_with("aws") && account_id(account));
        let resource = parts.get(5).copied().unwrap_or_default();
        let name_ok = |name: &str| {
            (1..=512).contains(&name.len())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_/-".contains(&b))
        };
        return match resource.split_once('/') {
            Some(("role", name)) if iam && name_ok(name) => Ok(PrincipalKind::IamRole),
            Some(("user", name)) if iam && name_ok(name) => Ok(PrincipalKind::IamUser),
            _ => Err("Only IAM role and user ARNs (arn:aws:iam::123456789012:role/Name) can be shared with.".into()),
        };
    }
    Err("Not an account id (12 digits), an IAM role or user ARN, an organization (o-…) or an OU (ou-…).".into())
}

/// The account an account id or IAM ARN belongs to.
pub fn account_of(text: &str) -> Option<&str> {
    if account_id(text) {
        return Some(text);
    }
    text.split(':').nth(4).filter(|a| account_id(a))
}

/// Splits a pasted list (one per line or comma-separated), and flags what cannot be sent:
/// malformed entries, entries listed twice, and the owner's own account.
pub fn parse_list(text: &str, own_account: &str) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for item in text
        .split(['\n', ',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let verdict = if entries.iter().any(|e| e.text == item) {
            Err("Listed twice; it is shared once.".to_owned())
        } else {
            parse(item).and_then(|kind| match account_of(item) {
                Some(account) if account == own_account => {
                    Err("This is the lens owner's own account; it needs no share.".to_owned())
                }
                _ => Ok(kind),
            })
        };
        entries.push(Entry {
            text: item.to_owned(),
            verdict,
        });
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_recognised_and_mistakes_are_explained() {
        assert_eq!(parse("444455556666"), Ok(PrincipalKind::Account));
        assert_eq!(
            parse("arn:aws:iam::444455556666:role/Reviewers"),
            Ok(PrincipalKind::IamRole)
        );
        assert_eq!(
            parse("arn:aws:iam::444455556666:user/path/ana"),
            Ok(PrincipalKind::IamUser)
        );
        assert_eq!(parse("o-abcdef1234"), Ok(PrincipalKind::Organization));
        assert_eq!(
            parse("ou-ab12-cdef3456"),
            Ok(PrincipalKind::OrganizationalUnit)
        );
        assert!(parse("12345").unwrap_err().contains("has 5"));
        assert!(parse("o-SHORT").unwrap_err().contains("organization id"));
        assert!(
            parse("arn:aws:s3:::bucket")
                .unwrap_err()
                .contains("IAM role and user")
        );
        assert!(parse("arn:aws:iam::444455556666:group/x").is_err());
        assert!(parse("<script>").unwrap_err().contains("Not an account id"));
    }

    #[test]
    fn lists_flag_duplicates_and_the_own_account() {
        let entries = parse_list(
            "444455556666, 111122223333\n444455556666\n\n o-abcdef1234 ;bad",
            "111122223333",
        );
        let verdicts: Vec<_> = entries
            .iter()
            .map(|e| (e.text.as_str(), e.verdict.is_ok()))
            .collect();
        assert_eq!(
            verdicts,
            [
                ("444455556666", true),
                ("111122223333", false),
                ("444455556666", false),
                ("o-abcdef1234", true),
                ("bad", false)
            ]
        );
        assert!(
            entries[1]
                .verdict
                .as_ref()
                .unwrap_err()
                .contains("own account")
        );
        assert!(
            entries[2]
                .verdict
                .as_ref()
                .unwrap_err()
                .contains("Listed twice")
        );
    }
}
