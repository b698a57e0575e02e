//! What a handler knows about the request beyond its input.

use time::OffsetDateTime;

pub struct Ctx<'a> {
    /// The 12-digit account whose key signed the request.
    pub account: &'a str,
    pub region: &'a str,
    pub now: OffsetDateTime,
    pub page_key: &'a [u8],
}

impl Ctx<'_> {
    /// Timestamps go over the wire as epoch seconds.
    pub fn timestamp(&self) -> f64 {
        self.now.unix_timestamp_nanos() as f64 / 1e9
    }

    /// A fresh 32-hex-digit identifier, the form AWS uses for lens, share and workload ids.
    pub fn new_id(&self) -> String {
        uuid::Uuid::new_v4().simple().to_string()
    }
}
