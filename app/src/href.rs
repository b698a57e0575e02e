//! Building addresses: values percent-encoded for a query string.

/// Encodes everything but RFC 3986's unreserved characters and the `/` and `:` a query may
/// hold as they are, so that paths and ARNs stay readable in the address bar and any text
/// survives the round trip.
pub fn encode_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b':' => {
                out.push(byte as char);
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Leptos's `<Form>` adds the button that submitted it as a field even when the button has no
/// name, which would end every filter address in `&=`; this drops that field.
pub fn without_unnamed_field() -> std::sync::Arc<dyn Fn(&web_sys::FormData)> {
    std::sync::Arc::new(|data| data.delete(""))
}
