//! The default file storage: files under the data directory (`data/files/` by default).
//! Writes go to a temporary name first and are renamed into place, so a reader never
//! sees half a file.

use app::ssr::blobs::{valid_key, BlobError, BlobStore};
use async_trait::async_trait;
use std::path::PathBuf;

pub struct LocalBlobs {
    root: PathBuf,
}

impl LocalBlobs {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    fn path(&self, key: &str) -> Result<PathBuf, BlobError> {
        if valid_key(key) {
            Ok(self.root.join(key))
        } else {
            Err(BlobError::BadKey(key.to_string()))
        }
    }
}

fn io(e: std::io::Error) -> BlobError {
    BlobError::Io(e.to_string())
}

#[async_trait]
impl BlobStore for LocalBlobs {
    async fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        let path = self.path(key)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(io)?;
        }
        let tmp = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
        tokio::fs::write(&tmp, bytes).await.map_err(io)?;
        tokio::fs::rename(&tmp, &path).await.map_err(io)
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        match tokio::fs::read(self.path(key)?).await {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn round_trip_and_refuses_escaping_keys() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blobs = LocalBlobs::new(dir.path().join("files"));
        blobs.put("charts/a/b.png", b"png").await.expect("put");
        assert_eq!(
            blobs.get("charts/a/b.png").await.expect("get"),
            Some(b"png".to_vec())
        );
        blobs
            .put("charts/a/b.png", b"new")
            .await
            .expect("overwrite");
        assert_eq!(
            blobs.get("charts/a/b.png").await.expect("get"),
            Some(b"new".to_vec())
        );
        blobs.delete("charts/a/b.png").await.expect("delete");
        assert_eq!(blobs.get("charts/a/b.png").await.expect("get"), None);
        blobs
            .delete("charts/a/b.png")
            .await
            .expect("deleting twice is fine");
        assert!(matches!(
            blobs.put("../x", b"").await,
            Err(BlobError::BadKey(_))
        ));
    }
}
