//! The pages whose code the browser loads when the user goes there. The sign-in and home pages
//! stay in the first download; each page here becomes its own part of the bundle (a lazy route),
//! and code two pages share becomes a part both load. A page's data still arrives with its
//! server-rendered HTML, so the first visit waits for its part only, not for a second request.

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

use crate::layout::Interactive;

/// A lazy route for a page component: its `view` (the page and everything only it uses) is
/// split into its own part of the bundle.
macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! {
                    {$page()}
                    <Interactive />
                }
                .into_any()
            }
        }
    };
}

lazy_page!(Account => crate::routes::account::AccountPage);
lazy_page!(Admin => crate::routes::admin::AdminPage);
lazy_page!(Audit => crate::routes::audit::AuditPage);
lazy_page!(AuditEvent => crate::routes::audit::AuditEventPage);
lazy_page!(Grants => crate::routes::grants::GrantsPage);
lazy_page!(Grant => crate::routes::grants::GrantPage);
lazy_page!(Invitations => crate::routes::invitations::InvitationsPage);
lazy_page!(LensCompare => crate::routes::lens_compare::LensComparePage);
lazy_page!(LensDetail => crate::routes::lens_detail::LensDetailPage);
lazy_page!(
    /// The editor, with the lens validator and the preview: both run in the browser once this
    /// part has loaded.
    LensEditor => crate::routes::lens_editor::LensEditorPage
);
lazy_page!(Lenses => crate::routes::lenses::LensesPage);
lazy_page!(Review => crate::routes::review::ReviewPage);
lazy_page!(Reviews => crate::routes::reviews::ReviewsPage);
lazy_page!(Workloads => crate::routes::workloads::WorkloadsPage);
lazy_page!(NewWorkload => crate::routes::workloads::NewWorkloadPage);
lazy_page!(Workload => crate::routes::workloads::WorkloadPage);
