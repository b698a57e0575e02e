//! Times as every page shows them: the server writes UTC in words any reader can read; once the
//! page runs, the reader's own local time with its zone replaces it, and the UTC instant stays
//! on hover and in `datetime`.

use leptos::prelude::*;

/// `2026-12-02T21:44:46.123Z` as `2026-12-02 21:44 UTC`; other text as it is.
pub fn utc_words(at: &str) -> String {
    let bytes = at.as_bytes();
    let shaped = bytes.len() >= 16
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && bytes[13] == b':';
    if shaped && at.ends_with('Z') {
        format!("{} {} UTC", &at[..10], &at[11..16])
    } else {
        at.to_owned()
    }
}

#[component]
pub fn LocalTime(#[prop(into)] at: String) -> impl IntoView {
    if at.is_empty() {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    let shown = RwSignal::new(utc_words(&at));
    let utc = at.clone();
    Effect::new(move |_| {
        if let Some(local) = local_words(&utc) {
            shown.set(local);
        }
    });
    view! { <time datetime=at.clone() title=format!("{} (UTC)", at)>{move || shown.get()}</time> }
        .into_any()
}

/// A time that may be unknown.
#[component]
pub fn MaybeTime(at: Option<String>) -> impl IntoView {
    view! { <LocalTime at=at.unwrap_or_default() /> }
}

#[cfg(feature = "hydrate")]
fn local_words(utc: &str) -> Option<String> {
    use leptos::wasm_bindgen::JsValue;
    use leptos::web_sys::js_sys::{Date, Object, Reflect};

    let date = Date::new(&JsValue::from_str(utc));
    if date.get_time().is_nan() {
        return None;
    }
    let options = Object::new();
    Reflect::set(&options, &"dateStyle".into(), &"medium".into()).ok()?;
    Reflect::set(&options, &"timeStyle".into(), &"short".into()).ok()?;
    let words = String::from(date.to_locale_string("default", &options));
    let zone = Object::new();
    Reflect::set(&zone, &"timeZoneName".into(), &"short".into()).ok()?;
    let with_zone = String::from(date.to_locale_time_string_with_options("default", &zone));
    // dateStyle cannot be combined with timeZoneName: "2 Dec 2026, 22:44" takes the zone of
    // "22:44:46 CET".
    let zone_name = with_zone.rsplit(' ').next().unwrap_or_default();
    Some(format!("{words} {zone_name}"))
}

#[cfg(not(feature = "hydrate"))]
fn local_words(_utc: &str) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::utc_words;

    #[test]
    fn stored_instants_read_as_utc_minutes() {
        assert_eq!(
            utc_words("2026-12-02T21:44:46.123Z"),
            "2026-12-02 21:44 UTC"
        );
        assert_eq!(utc_words("2026-12-02T21:44:46Z"), "2026-12-02 21:44 UTC");
        assert_eq!(utc_words("yesterday"), "yesterday");
    }
}
