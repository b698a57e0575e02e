//! Hydrates the page the server rendered; everything else lives in `lensgate-app`. Each page
//! marks `<html data-hydrated>` itself once it is interactive (`layout::Interactive`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes hydrate once their part of the bundle has loaded.
    leptos::mount::hydrate_lazy(lensgate_app::App);
}
