//! Argon2id password hashes (PHC strings), computed off the async runtime.

use std::sync::LazyLock;

/// Verified against when the user does not exist, so an unknown name takes as long as a wrong
/// password and the timing tells nothing.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| password_auth::generate_hash("not a real password"));

pub async fn hash(password: String) -> String {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .unwrap_or_default()
}

/// Whether `password` matches `hash`; with no hash, the dummy one (always false).
pub async fn verify(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        password_auth::verify_password(password, &hash).is_ok() && known
    })
    .await
    .unwrap_or(false)
}

/// A new random password for the first administrator, when none was configured.
pub fn generate() -> String {
    let raw = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    raw[..24].to_owned()
}
