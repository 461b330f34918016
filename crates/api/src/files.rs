//! Dossier files: content sniffing (never trust the client's type or name), SHA-256, and the
//! object store (a local directory by default, S3-compatible storage by configuration).

use std::collections::HashMap;
use std::sync::Arc;

use actix_multipart::Multipart;
use actix_web::HttpResponse;
use actix_web::http::header;
use futures_util::StreamExt;

use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult, ErrorCode};

/// The types a dossier accepts, recognised from the file's first bytes.
const ALLOWED: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
];

/// The MIME type of an accepted file, from its content; `None` for anything else
/// (executables, archives, scripts, unknown data).
pub fn sniff(content: &[u8]) -> Option<&'static str> {
    let kind = infer::get(content)?;
    ALLOWED.iter().copied().find(|allowed| *allowed == kind.mime_type())
}

pub fn sha256_hex(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Content-addressed: identical files are stored once, and a carried-forward document points
/// at the same object.
pub fn storage_key(sha256: &str) -> String {
    format!("dossier/{}/{}", &sha256[..2], sha256)
}

#[derive(Clone, Debug)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Store(#[from] object_store::Error),
    #[error("cannot prepare the file directory {0}: {1}")]
    Directory(String, std::io::Error),
}

impl FileStore {
    /// `s3://bucket/prefix` uses S3-compatible storage configured from the usual `AWS_*`
    /// variables (`AWS_ENDPOINT` for MinIO and others); anything else is a local directory.
    /// Nothing is contacted until the first file is stored.
    pub fn open(location: &str) -> Result<Self, StoreError> {
        let store: Arc<dyn ObjectStore> = if location.starts_with("s3://") {
            // As `AmazonS3Builder::from_env`, but an empty variable (compose passes unset ones
            // as empty) means unset.
            let mut builder = object_store::aws::AmazonS3Builder::new();
            for (key, value) in std::env::vars() {
                if key.starts_with("AWS_")
                    && !value.trim().is_empty()
                    && let Ok(config) = key.to_ascii_lowercase().parse()
                {
                    builder = builder.with_config(config, value);
                }
            }
            Arc::new(builder.with_url(location).build()?)
        } else {
            let dir = location.strip_prefix("file://").unwrap_or(location);
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Directory(dir.to_owned(), e))?;
            Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?)
        };
        Ok(Self { store })
    }

    /// An in-memory store, for tools and tests that do not keep files.
    pub fn in_memory() -> Self {
        Self { store: Arc::new(object_store::memory::InMemory::new()) }
    }

    pub async fn put(&self, key: &str, content: bytes::Bytes) -> Result<(), StoreError> {
        self.store.put(&Path::from(key), PutPayload::from_bytes(content)).await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<bytes::Bytes, StoreError> {
        Ok(self.store.get(&Path::from(key)).await?.bytes().await?)
    }
}

/// Parts a form may have: our forms have a file and a few fields.
pub const MAX_PARTS: usize = 16;

/// Reads a multipart form: its text fields and its `file` part (name, content). Past the
/// limit, or past [`MAX_PARTS`] parts, the rest is drained (so the client reads the answer
/// instead of a reset connection) and 413 is returned.
pub async fn read_multipart(
    mut payload: Multipart,
    limit: usize,
) -> ApiResult<(HashMap<String, String>, Option<(String, Vec<u8>)>)> {
    let mut fields = HashMap::new();
    let mut file = None;
    let mut too_large = false;
    let mut parts = 0usize;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(multipart_error)?;
        parts += 1;
        if parts > MAX_PARTS {
            // Drain without keeping anything.
            while let Some(chunk) = field.next().await {
                chunk.map_err(multipart_error)?;
            }
            continue;
        }
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.content_disposition().and_then(|cd| cd.get_filename()).map(str::to_owned);
        let cap = if name == "file" { limit } else { 4096 };
        let mut content = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(multipart_error)?;
            if too_large || content.len() + chunk.len() > cap {
                too_large = true;
                content.clear();
                continue;
            }
            content.extend_from_slice(&chunk);
        }
        if too_large {
            continue;
        }
        if name == "file" {
            file = Some((file_name.unwrap_or_default(), content));
        } else {
            fields.insert(name, String::from_utf8_lossy(&content).trim().to_owned());
        }
    }
    if parts > MAX_PARTS {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge).with_message(
            format!("Biểu mẫu có tối đa {MAX_PARTS} phần."),
            format!("A form has at most {MAX_PARTS} parts."),
        ));
    }
    if too_large {
        let mb = limit / (1024 * 1024);
        return Err(ApiError::new(ErrorCode::PayloadTooLarge)
            .with_message(format!("Tệp vượt quá giới hạn {mb} MB."), format!("The file exceeds the {mb} MB limit.")));
    }
    Ok((fields, file))
}

/// What a certificate or a lab report may be: a PDF or a scan (any accepted image).
pub fn pdf_or_image(content_type: &str) -> bool {
    content_type == "application/pdf" || content_type.starts_with("image/")
}

/// A file received from a form and stored by its content.
#[derive(Debug, Clone)]
pub struct Received {
    /// The client's name for it, made safe (no path, no quotes or control characters).
    pub file_name: String,
    /// Recognised from the content.
    pub content_type: &'static str,
    pub sha256: String,
    pub size_bytes: i64,
}

/// Reads a form's `file` (at most `limit` bytes: 413 beyond), accepts it only when `accept`
/// takes the type read from its content (415 with `refused` otherwise) and stores it.
pub async fn receive(
    files: &FileStore,
    payload: Multipart,
    limit: usize,
    accept: impl Fn(&str) -> bool,
    refused: (&'static str, &'static str),
) -> ApiResult<Received> {
    let (_, file) = read_multipart(payload, limit).await?;
    let (raw_name, content) = file
        .filter(|(_, c)| !c.is_empty())
        .ok_or_else(|| ApiError::invalid_field("file", "required", "Hãy chọn tệp.", "Attach a file."))?;
    let content_type = sniff(&content)
        .filter(|t| accept(t))
        .ok_or_else(|| ApiError::new(ErrorCode::UnsupportedMediaType).with_message(refused.0, refused.1))?;
    let sha256 = sha256_hex(&content);
    let size_bytes = i64::try_from(content.len()).map_err(ApiError::internal)?;
    files.put(&storage_key(&sha256), content.into()).await.map_err(ApiError::internal)?;
    Ok(Received { file_name: ocop_domain::dossier::safe_file_name(&raw_name), content_type, sha256, size_bytes })
}

/// A stored file as a private download: its type, its name (UTF-8, RFC 6266), never cached.
pub async fn private_download(
    files: &FileStore,
    key: &str,
    content_type: String,
    file_name: &str,
) -> ApiResult<HttpResponse> {
    let content = files.get(key).await.map_err(ApiError::internal)?;
    let disposition = header::ContentDisposition {
        disposition: header::DispositionType::Attachment,
        parameters: vec![header::DispositionParam::FilenameExt(header::ExtendedValue {
            charset: header::Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: file_name.as_bytes().to_vec(),
        })],
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header(disposition)
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(content))
}

fn multipart_error(e: actix_multipart::MultipartError) -> ApiError {
    match e {
        actix_multipart::MultipartError::ContentTypeMissing
        | actix_multipart::MultipartError::ContentTypeIncompatible
        | actix_multipart::MultipartError::ContentTypeParse => ApiError::new(ErrorCode::UnsupportedMediaType)
            .with_message("Hãy gửi tệp dạng multipart/form-data.", "Send the file as multipart/form-data."),
        other => ApiError::malformed(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_goes_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0"), None);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff"), None);
        assert_eq!(sniff(b"hello, world"), None);
    }

    #[test]
    fn stores_open_by_location() {
        let dir = std::env::temp_dir().join(format!("ocop-files-{}", std::process::id()));
        assert!(FileStore::open(&format!("file://{}", dir.display())).is_ok());
        assert!(dir.is_dir(), "the local directory is created");
        std::fs::remove_dir_all(&dir).ok();
        assert!(FileStore::open("s3://ocop-files/dossiers").is_ok(), "S3 is configured, not contacted");
    }

    #[tokio::test]
    async fn a_stored_file_reads_back() {
        let store = FileStore::in_memory();
        store.put("dossier/ab/abc", bytes::Bytes::from_static(b"%PDF-1.7")).await.expect("put");
        assert_eq!(store.get("dossier/ab/abc").await.expect("get").as_ref(), b"%PDF-1.7");
        assert!(store.get("dossier/ab/missing").await.is_err());
    }

    #[test]
    fn keys_are_content_addressed() {
        let sha = sha256_hex(b"abc");
        assert_eq!(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(storage_key(&sha), format!("dossier/ba/{sha}"));
    }
}
