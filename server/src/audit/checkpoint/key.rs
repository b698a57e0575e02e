//! The Ed25519 key that signs checkpoints. It lives in a file outside the database, so whoever
//! can rewrite the database cannot sign a checkpoint for the shorter history. PKCS#8 PEM, as
//! `openssl genpkey -algorithm ed25519` writes it, so operators can inspect it with their tools.

use std::{
    io::Write as _,
    path::{Path, PathBuf},
};

use ed25519_dalek::{
    SigningKey, VerifyingKey,
    pkcs8::{
        DecodePrivateKey as _, DecodePublicKey as _, EncodePrivateKey as _, EncodePublicKey as _,
        spki::der::pem::LineEnding,
    },
};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "cannot read the audit signing key {path}: {source}. Check its permissions, or point --audit-key elsewhere"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "cannot create the audit signing key {path}: {source}. Check that its folder exists and is writable, or point --audit-key elsewhere"
    )]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is not an Ed25519 private key in PKCS#8 PEM ({reason}). Restore the key from its backup; a new key cannot vouch for earlier checkpoints"
    )]
    Invalid { path: PathBuf, reason: String },
    #[error("{path} is not an Ed25519 public key in PEM ({reason})")]
    InvalidPublic { path: PathBuf, reason: String },
    #[error("no randomness for a new key: {0}")]
    Random(String),
}

/// The public half's file beside a private key: `lensgate-audit.key` → `lensgate-audit.pub`.
pub fn public_key_path(private: &Path) -> PathBuf {
    private.with_extension("pub")
}

/// Reads the signing key at `path`, or creates one there (readable by its owner only) with its
/// public half beside it. Returns whether it was created.
pub fn load_or_create(path: &Path) -> Result<(SigningKey, bool), KeyError> {
    match std::fs::read_to_string(path) {
        Ok(pem) => {
            warn_if_readable_by_others(path);
            Ok((parse_private(path, &pem)?, false))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok((create(path)?, true)),
        Err(source) => Err(KeyError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Reads the signing key at `path`, which must exist.
pub fn load(path: &Path) -> Result<SigningKey, KeyError> {
    let pem = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_private(path, &pem)
}

/// Reads a public key as `openssl pkey -pubout` or key creation wrote it.
pub fn load_public(path: &Path) -> Result<VerifyingKey, KeyError> {
    let pem = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
        path: path.to_owned(),
        source,
    })?;
    VerifyingKey::from_public_key_pem(&pem).map_err(|e| KeyError::InvalidPublic {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

/// The key as checkpoint lines name it: its 32 bytes in hex.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(key.as_bytes())
}

fn parse_private(path: &Path, pem: &str) -> Result<SigningKey, KeyError> {
    SigningKey::from_pkcs8_pem(pem).map_err(|e| KeyError::Invalid {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

fn create(path: &Path) -> Result<SigningKey, KeyError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
    let key = SigningKey::from_bytes(&seed);
    let create_error = |source| KeyError::Create {
        path: path.to_owned(),
        source,
    };
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| create_error(std::io::Error::other(e.to_string())))?;
    // create_new: two servers starting at once on one folder never overwrite each other's key.
    let mut file = owner_only()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(create_error)?;
    file.write_all(pem.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(create_error)?;
    let public = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| create_error(std::io::Error::other(e.to_string())))?;
    let public_path = public_key_path(path);
    std::fs::write(&public_path, public).map_err(|source| KeyError::Create {
        path: public_path,
        source,
    })?;
    Ok(key)
}

#[cfg(unix)]
fn owner_only() -> std::fs::OpenOptions {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut options = std::fs::OpenOptions::new();
    options.mode(0o600);
    options
}

#[cfg(not(unix))]
fn owner_only() -> std::fs::OpenOptions {
    std::fs::OpenOptions::new()
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    if let Ok(metadata) = std::fs::metadata(path)
        && metadata.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            path = %path.display(),
            "the audit signing key can be read by other users: chmod 600 it"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_key_is_read_back_and_only_its_owner_may_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.key");
        let (created, fresh) = load_or_create(&path).unwrap();
        assert!(fresh);
        let (loaded, fresh) = load_or_create(&path).unwrap();
        assert!(!fresh);
        assert_eq!(created.to_bytes(), loaded.to_bytes());
        assert_eq!(
            load_public(&public_key_path(&path)).unwrap(),
            created.verifying_key()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_file_that_is_not_a_key_is_named_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.key");
        std::fs::write(&path, "not a key").unwrap();
        let error = load_or_create(&path).unwrap_err().to_string();
        assert!(error.contains("is not an Ed25519 private key"), "{error}");
    }
}
