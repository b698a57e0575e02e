//! Data the server loads for a page before rendering it, carried to the browser inside the page.
//!
//! The pages of the first download (sign-in, home) read their data so instead of through a
//! resource and a server function: the client code of those weighs more than the pages
//! themselves (README, "The browser bundle"). A page that reads its data again later does so
//! from a part of the bundle loaded when it is needed (the home page's `fresh_home`).

use serde::{Serialize, de::DeserializeOwned};

/// What the route's handler put in the page's context before rendering it.
#[derive(Clone, Debug)]
pub struct PageData<T>(pub T);

/// The page's data: on the server from the context its handler provided, in the browser from
/// the page itself. `None` when the client-side router rendered the page, which has no data to
/// give: the page reads it itself then.
pub fn page_data<T>() -> Option<T>
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    leptos::prelude::SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        let data = leptos::prelude::use_context::<PageData<T>>().map(|data| data.0);
        #[cfg(not(feature = "ssr"))]
        let data = None;
        data
    })
    .into_inner()
}
