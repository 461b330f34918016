//! Serves the built SPA with history fallback: unknown paths get `index.html`, so client
//! routes like `/admin-units/…` survive a reload.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};

pub fn files(dir: &Path) -> Files {
    let index: PathBuf = dir.join("index.html");
    Files::new("/", dir).index_file("index.html").default_handler(fn_service(move |req: ServiceRequest| {
        let index = index.clone();
        async move {
            let (req, _) = req.into_parts();
            let file = NamedFile::open_async(&index).await?;
            let response = file.into_response(&req);
            Ok(ServiceResponse::new(req, response))
        }
    }))
}
