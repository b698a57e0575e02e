//! The ports through which server functions reach the server's stores and AWS gateway.
//! The server crate implements them and provides a [`Services`] as Leptos context, which keeps
//! this crate free of database and SDK code and the server free to change how it does the work.

use std::{future::Future, pin::Pin, sync::Arc};

use leptos::prelude::use_context;

use crate::{
    api_tokens::{CreatedToken, TokenSummary},
    audit_browser::{AuditQuery, AuditResults, ChainState, EventDetail},
    auth::{CurrentUser, Role},
    dashboard::Dashboard,
    error::AppError,
    grants::{GrantDetail, GrantFilter, GrantList, NewGrantVersion},
    ids::{GrantArn, HexId, LensArn},
    invitations::{Answer, Invitation},
    lens_catalog::{ImportRequest, Imported, LensDetail, LensRow},
    lens_shares::ShareResult,
    reviews::{Comparison, Decision, LensVersions, ReviewDetail, ReviewRow},
    status::{Readiness, ServerStatus},
    webhooks::{NewWebhook, Webhook},
    workloads::{NewWorkload, Permission, WorkloadDetail, WorkloadRow},
};

pub use crate::users::UserSummary;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub trait StatusSource: Send + Sync {
    fn status(&self) -> BoxFuture<'_, Result<ServerStatus, AppError>>;
    /// Whether the database and AWS answer, for `/readyz`.
    fn readiness(&self) -> BoxFuture<'_, Readiness>;
}

/// A file as it is written, chunk by chunk; an error ends it early, which the client sees as a
/// cut-short download.
#[cfg(feature = "ssr")]
pub type ByteStream =
    Pin<Box<dyn futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send>>;

/// Signing in and out; the implementation reads the request's session and client address.
pub trait SignIn: Send + Sync {
    fn sign_in(
        &self,
        username: String,
        password: String,
    ) -> BoxFuture<'_, Result<CurrentUser, AppError>>;
    fn sign_out(&self) -> BoxFuture<'_, Result<(), AppError>>;
}

/// User administration; the caller has been checked to be an administrator, except for
/// `change_own_password`, which any signed-in user may do.
pub trait UserAdmin: Send + Sync {
    fn list(&self) -> BoxFuture<'_, Result<Vec<UserSummary>, AppError>>;
    fn create(
        &self,
        by: CurrentUser,
        username: String,
        password: String,
        role: Role,
    ) -> BoxFuture<'_, Result<(), AppError>>;
    fn set_role(
        &self,
        by: CurrentUser,
        username: String,
        role: Role,
    ) -> BoxFuture<'_, Result<(), AppError>>;
    fn set_disabled(
        &self,
        by: CurrentUser,
        username: String,
        disabled: bool,
    ) -> BoxFuture<'_, Result<(), AppError>>;
    fn reset_password(
        &self,
        by: CurrentUser,
        username: String,
        password: String,
    ) -> BoxFuture<'_, Result<(), AppError>>;
    fn change_own_password(
        &self,
        user: CurrentUser,
        current: String,
        new: String,
    ) -> BoxFuture<'_, Result<(), AppError>>;
}

/// Lenses in AWS, and lensgate's records of them; `import` validates before anything is sent.
pub trait LensCatalog: Send + Sync {
    fn list(&self) -> BoxFuture<'_, Result<Vec<LensRow>, AppError>>;
    fn detail(&self, arn: LensArn) -> BoxFuture<'_, Result<LensDetail, AppError>>;
    /// The JSON of a published version from ExportLens, or with no version the draft as
    /// lensgate last imported it (AWS exports published versions only); `None` when lensgate
    /// has no record of the draft.
    fn export(
        &self,
        arn: LensArn,
        version: Option<String>,
    ) -> BoxFuture<'_, Result<Option<String>, AppError>>;
    fn import(
        &self,
        by: CurrentUser,
        request: ImportRequest,
    ) -> BoxFuture<'_, Result<Imported, AppError>>;
    fn share(
        &self,
        by: CurrentUser,
        lens_arn: LensArn,
        principals: String,
        token: String,
    ) -> BoxFuture<'_, Result<Vec<ShareResult>, AppError>>;
    fn revoke(
        &self,
        by: CurrentUser,
        lens_arn: LensArn,
        share_id: HexId,
        token: String,
    ) -> BoxFuture<'_, Result<(), AppError>>;
}

/// Workloads and their shares. `token` is the form's, so a resubmission is not a second change.
pub trait Workloads: Send + Sync {
    fn list(&self, search: String) -> BoxFuture<'_, Result<Vec<WorkloadRow>, AppError>>;
    fn detail(&self, id: HexId) -> BoxFuture<'_, Result<WorkloadDetail, AppError>>;
    fn create(
        &self,
        by: CurrentUser,
        workload: NewWorkload,
    ) -> BoxFuture<'_, Result<String, AppError>>;
    fn share(
        &self,
        by: CurrentUser,
        workload_id: HexId,
        principal: String,
        permission: Permission,
        token: String,
    ) -> BoxFuture<'_, Result<(), AppError>>;
    fn update(
        &self,
        by: CurrentUser,
        workload_id: HexId,
        share_id: HexId,
        permission: Permission,
    ) -> BoxFuture<'_, Result<(), AppError>>;
    fn revoke(
        &self,
        by: CurrentUser,
        workload_id: HexId,
        share_id: HexId,
        token: String,
    ) -> BoxFuture<'_, Result<(), AppError>>;
}

/// Share invitations received by this account.
pub trait Invitations: Send + Sync {
    fn list(&self) -> BoxFuture<'_, Result<Vec<Invitation>, AppError>>;
    fn answer(
        &self,
        by: CurrentUser,
        id: HexId,
        answer: Answer,
    ) -> BoxFuture<'_, Result<(), AppError>>;
}

/// License Manager grants and the versions lensgate created.
pub trait Grants: Send + Sync {
    fn list(&self, filter: GrantFilter) -> BoxFuture<'_, Result<GrantList, AppError>>;
    fn detail(&self, arn: GrantArn) -> BoxFuture<'_, Result<GrantDetail, AppError>>;
    /// Refuses with [`AppError::Stale`] when the grant's current version is not the form's
    /// source version.
    /// `arn` is the form's `grant_arn`, parsed by the server function.
    fn create_version(
        &self,
        by: CurrentUser,
        arn: GrantArn,
        version: NewGrantVersion,
    ) -> BoxFuture<'_, Result<String, AppError>>;
}

/// Drafts, reviews and versions. Every method checks its own rules (four eyes, approved and
/// unchanged drafts, unique version names); the caller has checked the role.
pub trait Reviews: Send + Sync {
    fn submit(
        &self,
        by: CurrentUser,
        lens_arn: LensArn,
        note: String,
    ) -> BoxFuture<'_, Result<i64, AppError>>;
    /// Reviews that still decide something; only `author`'s when given.
    fn open(&self, author: Option<String>) -> BoxFuture<'_, Result<Vec<ReviewRow>, AppError>>;
    fn detail(&self, user: CurrentUser, id: i64) -> BoxFuture<'_, Result<ReviewDetail, AppError>>;
    fn decide(
        &self,
        by: CurrentUser,
        review_id: i64,
        decision: Decision,
        comment: String,
    ) -> BoxFuture<'_, Result<(), AppError>>;
    /// A reviewer's comment on one question or choice of an active review's draft; `place` is
    /// its ids, "pillar/question" or "pillar/question/choice".
    fn comment(
        &self,
        by: CurrentUser,
        review_id: i64,
        place: String,
        body: String,
    ) -> BoxFuture<'_, Result<(), AppError>>;
    /// Marks a comment answered; only the review's author may.
    fn resolve_comment(
        &self,
        by: CurrentUser,
        comment_id: i64,
    ) -> BoxFuture<'_, Result<(), AppError>>;
    /// Publishes the approved draft; returns the version name.
    fn publish(
        &self,
        by: CurrentUser,
        review_id: i64,
        version_name: String,
        is_major: bool,
    ) -> BoxFuture<'_, Result<String, AppError>>;
    fn versions(&self, lens_arn: LensArn) -> BoxFuture<'_, Result<LensVersions, AppError>>;
    fn compare(
        &self,
        lens_arn: LensArn,
        base: String,
        target: String,
    ) -> BoxFuture<'_, Result<Comparison, AppError>>;
}

/// Personal API tokens. `list(Some(user))` is one user's, `list(None)` everyone's (the caller
/// has been checked to be an administrator); `revoke` checks that the token is the caller's
/// own unless they are an administrator.
pub trait ApiTokens: Send + Sync {
    fn create(
        &self,
        by: CurrentUser,
        name: String,
        days: u32,
        role: Role,
    ) -> BoxFuture<'_, Result<CreatedToken, AppError>>;
    fn list(&self, of: Option<String>) -> BoxFuture<'_, Result<Vec<TokenSummary>, AppError>>;
    fn revoke(&self, by: CurrentUser, id: i64) -> BoxFuture<'_, Result<(), AppError>>;
    /// Keeps a token created by a form posted without JavaScript in the session, for the page
    /// the browser is sent back to; [`ApiTokens::take_held`] gives it once.
    fn hold_for_display(&self, created: CreatedToken) -> BoxFuture<'_, Result<(), AppError>>;
    fn take_held(&self) -> BoxFuture<'_, Result<Option<CreatedToken>, AppError>>;
}

/// Webhook endpoints; the caller has been checked to be an administrator.
pub trait Webhooks: Send + Sync {
    fn list(&self) -> BoxFuture<'_, Result<Vec<Webhook>, AppError>>;
    fn create(&self, by: CurrentUser, webhook: NewWebhook) -> BoxFuture<'_, Result<(), AppError>>;
    fn remove(&self, by: CurrentUser, id: i64) -> BoxFuture<'_, Result<(), AppError>>;
}

/// What the home page shows a user: what waits for them and what happened lately.
pub trait Activity: Send + Sync {
    fn dashboard(&self, user: CurrentUser) -> BoxFuture<'_, Result<Dashboard, AppError>>;
}

/// The audit history, read-only.
pub trait AuditBrowser: Send + Sync {
    fn search(&self, query: AuditQuery) -> BoxFuture<'_, Result<AuditResults, AppError>>;
    fn event(&self, seq: i64) -> BoxFuture<'_, Result<EventDetail, AppError>>;
    fn chain(&self) -> BoxFuture<'_, Result<ChainState, AppError>>;
    fn newest(&self) -> BoxFuture<'_, Result<i64, AppError>>;
    /// `actor`'s changes that have no outcome yet or failed in the last week, newest first.
    fn unfinished_changes_of(
        &self,
        actor: String,
        limit: usize,
    ) -> BoxFuture<'_, Result<Vec<crate::audit_browser::AuditRow>, AppError>>;
    /// Every event the query matches, oldest first, as a file whose first line says how far
    /// the hash chain verifies. Checks the query before the first byte is written.
    #[cfg(feature = "ssr")]
    fn export(
        &self,
        query: AuditQuery,
        format: crate::audit_browser::ExportFormat,
    ) -> BoxFuture<'_, Result<ByteStream, AppError>>;
}

#[derive(Clone)]
pub struct Services {
    pub status: Arc<dyn StatusSource>,
    pub sign_in: Arc<dyn SignIn>,
    pub users: Arc<dyn UserAdmin>,
    pub tokens: Arc<dyn ApiTokens>,
    pub webhooks: Arc<dyn Webhooks>,
    pub lenses: Arc<dyn LensCatalog>,
    pub reviews: Arc<dyn Reviews>,
    pub workloads: Arc<dyn Workloads>,
    pub invitations: Arc<dyn Invitations>,
    pub grants: Arc<dyn Grants>,
    pub audit: Arc<dyn AuditBrowser>,
    pub activity: Arc<dyn Activity>,
}

impl Services {
    /// The services of the current request. Missing context is a wiring fault of the server,
    /// reported as an internal error rather than a panic.
    pub fn current() -> Result<Self, AppError> {
        use_context::<Self>().ok_or(AppError::Internal)
    }
}
