//! Timestamps as lensgate stores and shows them: RFC 3339, UTC, milliseconds.

use time::{OffsetDateTime, macros::format_description};

pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

pub fn format(at: OffsetDateTime) -> String {
    let layout =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    at.format(layout)
        .unwrap_or_else(|_| at.unix_timestamp().to_string())
}

/// A time as the AWS SDKs give it.
pub fn from_aws(at: &aws_sdk_wellarchitected::primitives::DateTime) -> Option<OffsetDateTime> {
    let nanos = i128::from(at.secs()) * 1_000_000_000 + i128::from(at.subsec_nanos());
    OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
}
