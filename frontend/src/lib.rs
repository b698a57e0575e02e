//! Hydrates the page the server rendered; everything else lives in `lensgate-app`.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(lensgate_app::App);
    mark_hydrated();
}

/// `data-hydrated` on `<html>` tells styles and browser tests that the page is interactive.
fn mark_hydrated() {
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
