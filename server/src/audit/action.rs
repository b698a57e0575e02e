//! The events lensgate records of its own, with no AWS call behind them: the names the audit
//! history, its filters and its exports use. AWS changes are named by their operation
//! (`gateway::Change::action`).

/// One name per kind of event, so a typo is a compile error rather than a new kind of event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    SignInLocked,
    SignInThrottled,
    SignOut,
    UserCreated,
    UserEnabled,
    UserDisabled,
    UserRoleChanged,
    UserPasswordReset,
    PasswordChanged,
    SubmitForReview,
    SupersedeReview,
    ApproveDraft,
    RequestChanges,
    ReviewCommented,
    ReviewCommentResolved,
    TokenCreated,
    TokenRevoked,
    WebhookCreated,
    WebhookRemoved,
}

impl AuditAction {
    pub const ALL: [AuditAction; 21] = [
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignInLocked,
        AuditAction::SignInThrottled,
        AuditAction::SignOut,
        AuditAction::UserCreated,
        AuditAction::UserEnabled,
        AuditAction::UserDisabled,
        AuditAction::UserRoleChanged,
        AuditAction::UserPasswordReset,
        AuditAction::PasswordChanged,
        AuditAction::SubmitForReview,
        AuditAction::SupersedeReview,
        AuditAction::ApproveDraft,
        AuditAction::RequestChanges,
        AuditAction::ReviewCommented,
        AuditAction::ReviewCommentResolved,
        AuditAction::TokenCreated,
        AuditAction::TokenRevoked,
        AuditAction::WebhookCreated,
        AuditAction::WebhookRemoved,
    ];

    /// The name stored in the audit history; stable, because filters and exports use it.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "SignIn",
            AuditAction::SignInFailed => "SignInFailed",
            AuditAction::SignInLocked => "SignInLocked",
            AuditAction::SignInThrottled => "SignInThrottled",
            AuditAction::SignOut => "SignOut",
            AuditAction::UserCreated => "UserCreated",
            AuditAction::UserEnabled => "UserEnabled",
            AuditAction::UserDisabled => "UserDisabled",
            AuditAction::UserRoleChanged => "UserRoleChanged",
            AuditAction::UserPasswordReset => "UserPasswordReset",
            AuditAction::PasswordChanged => "PasswordChanged",
            AuditAction::SubmitForReview => "SubmitForReview",
            AuditAction::SupersedeReview => "SupersedeReview",
            AuditAction::ApproveDraft => "ApproveDraft",
            AuditAction::RequestChanges => "RequestChanges",
            AuditAction::ReviewCommented => "ReviewCommented",
            AuditAction::ReviewCommentResolved => "ReviewCommentResolved",
            AuditAction::TokenCreated => "TokenCreated",
            AuditAction::TokenRevoked => "TokenRevoked",
            AuditAction::WebhookCreated => "WebhookCreated",
            AuditAction::WebhookRemoved => "WebhookRemoved",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AuditAction;

    #[test]
    fn every_name_is_distinct() {
        let mut names: Vec<_> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
    }
}
