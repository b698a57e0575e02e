//! Who a share goes to: an account, an IAM role or user, an organization or an OU.

use std::sync::LazyLock;

use fancy_regex::Regex;

static IAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:aws[a-z-]*:iam::(\d{12}):(role|user)/[A-Za-z0-9+=,.@_/-]{1,512}$")
        .expect("valid pattern")
});
static ORGANIZATION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^o-[a-z0-9]{10,32}$").expect("valid pattern"));
static UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$").expect("valid pattern"));

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Account(String),
    Iam { account: String },
    Organization,
    OrganizationalUnit,
}

impl Principal {
    pub fn parse(text: &str) -> Option<Self> {
        let is = |re: &Regex| re.is_match(text).unwrap_or(false);
        if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
            Some(Principal::Account(text.to_owned()))
        } else if is(&IAM) {
            let account = IAM
                .captures(text)
                .ok()
                .flatten()?
                .get(1)?
                .as_str()
                .to_owned();
            Some(Principal::Iam { account })
        } else if is(&ORGANIZATION) {
            Some(Principal::Organization)
        } else if is(&UNIT) {
            Some(Principal::OrganizationalUnit)
        } else {
            None
        }
    }

    /// The account that receives an invitation. The emulator has no organizations, so a share
    /// with an organization or OU has no single recipient.
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Account(account) | Principal::Iam { account } => Some(account),
            Principal::Organization | Principal::OrganizationalUnit => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Principal;

    #[test]
    fn recognises_each_kind_of_principal() {
        assert_eq!(
            Principal::parse("111122223333"),
            Some(Principal::Account("111122223333".into()))
        );
        assert_eq!(
            Principal::parse("arn:aws:iam::444455556666:role/Reviewers")
                .and_then(|p| p.account().map(str::to_owned)),
            Some("444455556666".into())
        );
        assert_eq!(
            Principal::parse("o-abcdef1234"),
            Some(Principal::Organization)
        );
        assert_eq!(
            Principal::parse("ou-ab12-cdef3456"),
            Some(Principal::OrganizationalUnit)
        );
        for bad in [
            "11112222333",
            "o-short",
            "arn:aws:iam::123:role/x",
            "ou-ab-cdef3456",
            "<script>",
        ] {
            assert_eq!(Principal::parse(bad), None, "{bad}");
        }
    }
}
