//! The lens editor's text kept in this browser's local storage, per user and lens, so that a
//! reload, a closed tab or an expired session never loses what was typed. Storage a browser
//! refuses (private windows, a full quota) leaves the editor working as before.

use leptos::prelude::window;

/// Where the text for `username` editing `lens` (empty: a new lens) is kept. The version in
/// the key lets a later format of the stored value ignore this one.
pub fn key(username: &str, lens: &str) -> String {
    let lens = if lens.is_empty() { "new" } else { lens };
    format!("lensgate.draft.v1:{username}:{lens}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn load(key: &str) -> Option<String> {
    storage()?
        .get_item(key)
        .ok()
        .flatten()
        .filter(|text| !text.trim().is_empty())
}

pub fn save(key: &str, text: &str) {
    if let Some(storage) = storage() {
        let _ = if text.trim().is_empty() {
            storage.remove_item(key)
        } else {
            storage.set_item(key, text)
        };
    }
}

pub fn clear(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}
