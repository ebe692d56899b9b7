//! The storage port for files (chart images now, trade attachments next). Keys are
//! relative paths chosen by the services (`charts/<workspace>/<id>.png`); adapters must
//! refuse anything else. The server's default adapter writes under its data directory.

use async_trait::async_trait;

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("invalid storage key '{0}'")]
    BadKey(String),
    #[error("storage failure: {0}")]
    Io(String),
}

#[async_trait]
pub trait BlobStore: Send + Sync + 'static {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError>;
    /// None when no file has this key.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError>;
    /// Deleting a missing key is not an error.
    async fn delete(&self, key: &str) -> Result<(), BlobError>;
}

/// A key is lowercase ASCII letters, digits, `-`, `_`, `.` and `/`, with no empty, `.` or
/// `..` segment and no leading `/`: it can never leave the storage root.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 200
        && key.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
        })
}

impl From<BlobError> for crate::error::AppError {
    fn from(e: BlobError) -> Self {
        tracing::error!(error = %e, "blob storage failure");
        crate::error::AppError::internal()
    }
}

#[cfg(test)]
mod tests {
    use super::valid_key;

    #[test]
    fn keys_cannot_escape_the_root() {
        assert!(valid_key("charts/0f1e/ab-12.png"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            "a/./b",
            "A.png",
            "a\\b",
            "a b",
        ] {
            assert!(!valid_key(bad), "{bad}");
        }
    }
}
