//! Browser side of imports: posts the file (or pasted text) to `POST /api/v1/imports` as
//! multipart, and polls a long import's progress; posts bar CSVs to
//! `POST /api/v1/market/bars/import` for the Charts area. Server functions carry JSON bodies with
//! a small limit; broker statements can be tens of megabytes.

use crate::error::AppError;
use crate::journal_wire::ImportReport;

/// The form's choices besides the file (read only by the browser build).
#[derive(Clone, Debug, Default)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct UploadOptions {
    pub format: String,
    pub timezone: String,
    pub account: String,
    pub dry_run: bool,
    pub skip_errors: bool,
    /// A column mapping as JSON (with format `mapped`).
    pub mapping: String,
}

/// An answer of the import API: the HTTP status and the report, or the error.
pub type UploadResult = Result<(u16, ImportReport), AppError>;
/// An answer of the bar import API.
pub type BarsResult = Result<Vec<crate::charts_wire::BarsImported>, AppError>;
/// An answer of the attachment API.
pub type AttachResult = Result<crate::journal_wire::AttachmentView, AppError>;

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::error::ErrorCode;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn js_err(what: &str) -> AppError {
        AppError::new(ErrorCode::Internal, format!("The browser could not {what}"))
    }

    async fn send(
        method: &str,
        url: &str,
        body: Option<&JsValue>,
    ) -> Result<(u16, serde_json::Value), AppError> {
        let window = web_sys::window().ok_or_else(|| js_err("reach the window"))?;
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        init.set_credentials(web_sys::RequestCredentials::SameOrigin);
        if let Some(b) = body {
            init.set_body(b);
        }
        let req = web_sys::Request::new_with_str_and_init(url, &init)
            .map_err(|_| js_err("build the request"))?;
        let resp: web_sys::Response = JsFuture::from(window.fetch_with_request(&req))
            .await
            .map_err(|_| {
                AppError::new(
                    ErrorCode::Internal,
                    "Could not reach the server: check your connection and try again",
                )
            })?
            .dyn_into()
            .map_err(|_| js_err("read the response"))?;
        let status = resp.status();
        let text = JsFuture::from(resp.text().map_err(|_| js_err("read the response"))?)
            .await
            .map_err(|_| js_err("read the response"))?
            .as_string()
            .unwrap_or_default();
        let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
            AppError::new(ErrorCode::Internal, format!("The server answered {status}"))
        })?;
        if v["success"] == serde_json::Value::Bool(true) {
            Ok((status, v["data"].clone()))
        } else {
            serde_json::from_value::<AppError>(v["error"].clone())
                .map_err(|_| js_err("understand the error"))
                .and_then(Err)
        }
    }

    /// The file picked in the `<input type="file">` with this id, if any.
    fn chosen_file(input_id: &str) -> Result<Option<web_sys::File>, AppError> {
        let doc = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| js_err("reach the page"))?;
        Ok(doc
            .get_element_by_id(input_id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0)))
    }

    pub async fn upload(input_id: &str, pasted: &str, o: &UploadOptions) -> UploadResult {
        let form = web_sys::FormData::new().map_err(|_| js_err("build the form"))?;
        let file = chosen_file(input_id)?;
        match file {
            Some(f) => form
                .append_with_blob_and_filename("file", &f, &f.name())
                .map_err(|_| js_err("attach the file"))?,
            None if !pasted.trim().is_empty() => {
                let parts = js_sys::Array::of1(&JsValue::from_str(pasted));
                let blob = web_sys::Blob::new_with_str_sequence(&parts)
                    .map_err(|_| js_err("read the pasted text"))?;
                form.append_with_blob_and_filename("file", &blob, "pasted.csv")
                    .map_err(|_| js_err("attach the pasted text"))?;
            }
            None => {
                return Err(AppError::invalid(
                    "file",
                    "Choose a CSV file or paste its contents",
                ))
            }
        }
        for (k, v) in [
            ("mapping", o.mapping.as_str()),
            ("format", o.format.as_str()),
            ("timezone", o.timezone.as_str()),
            ("account", o.account.as_str()),
        ] {
            if !v.trim().is_empty() {
                let _ = form.append_with_str(k, v);
            }
        }
        if o.dry_run {
            let _ = form.append_with_str("dry_run", "true");
        }
        if o.skip_errors {
            let _ = form.append_with_str("skip_errors", "true");
        }
        report(send("POST", "/api/v1/imports", Some(&form.into())).await?)
    }

    fn report((status, data): (u16, serde_json::Value)) -> UploadResult {
        serde_json::from_value(data)
            .map(|r| (status, r))
            .map_err(|_| js_err("understand the answer"))
    }

    /// Posts a bar CSV (the chosen file, else the pasted text) as `text/csv`.
    pub async fn upload_bars(
        input_id: &str,
        pasted: &str,
        symbol: &str,
        interval: &str,
    ) -> BarsResult {
        let file = chosen_file(input_id)?;
        let bag = web_sys::BlobPropertyBag::new();
        bag.set_type("text/csv");
        let blob = match file {
            Some(f) => {
                web_sys::Blob::new_with_blob_sequence_and_options(&js_sys::Array::of1(&f), &bag)
            }
            None if !pasted.trim().is_empty() => web_sys::Blob::new_with_str_sequence_and_options(
                &js_sys::Array::of1(&JsValue::from_str(pasted)),
                &bag,
            ),
            None => {
                return Err(AppError::invalid(
                    "file",
                    "Choose a CSV file or paste its contents",
                ))
            }
        }
        .map_err(|_| js_err("read the file"))?;
        let enc = |s: &str| String::from(js_sys::encode_uri_component(s.trim()));
        let mut url = format!("/api/v1/market/bars/import?symbol={}", enc(symbol));
        if !interval.is_empty() {
            url.push_str(&format!("&interval={}", enc(interval)));
        }
        let (_, data) = send("POST", &url, Some(&blob.into())).await?;
        serde_json::from_value(data).map_err(|_| js_err("understand the answer"))
    }

    /// The start of the chosen file as text (for the column mapper), None with no file.
    pub async fn file_head(input_id: &str, max_bytes: usize) -> Result<Option<String>, AppError> {
        let Some(file) = chosen_file(input_id)? else {
            return Ok(None);
        };
        let head = file
            .slice_with_f64_and_f64(0.0, max_bytes as f64)
            .map_err(|_| js_err("read the file"))?;
        let text = JsFuture::from(head.text())
            .await
            .map_err(|_| js_err("read the file"))?;
        Ok(text.as_string())
    }

    /// Posts the chosen file to a trade's attachments. The size is checked here first so a
    /// too-large file fails at once instead of after its upload.
    pub async fn attach(input_id: &str, trade_id: uuid::Uuid) -> AttachResult {
        let file = chosen_file(input_id)?
            .ok_or_else(|| AppError::invalid("file", "Choose a file to attach"))?;
        attach_file(&file, trade_id).await
    }

    /// Posts a file (picked, pasted or dropped) to a trade's attachments.
    pub async fn attach_file(file: &web_sys::File, trade_id: uuid::Uuid) -> AttachResult {
        if file.size() > crate::journal_wire::ATTACHMENT_MAX_BYTES as f64 {
            return Err(AppError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "{} is {:.1} MB; attachments may be at most 5 MB",
                    file.name(),
                    file.size() / 1_048_576.0
                ),
            ));
        }
        let form = web_sys::FormData::new().map_err(|_| js_err("build the form"))?;
        form.append_with_blob_and_filename("file", file, &file.name())
            .map_err(|_| js_err("attach the file"))?;
        let url = format!("/api/v1/trades/{trade_id}/attachments");
        let (_, data) = send("POST", &url, Some(&form.into())).await?;
        serde_json::from_value(data).map_err(|_| js_err("understand the answer"))
    }

    pub async fn poll(id: uuid::Uuid) -> UploadResult {
        report(send("GET", &format!("/api/v1/imports/{id}"), None).await?)
    }

    pub async fn cancel(id: uuid::Uuid) -> Result<(), AppError> {
        send("DELETE", &format!("/api/v1/imports/{id}"), None)
            .await
            .map(|_| ())
    }

    /// The browser's timezone (IANA name).
    pub fn timezone() -> Option<String> {
        let f = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
        js_sys::Reflect::get(&f.resolved_options(), &JsValue::from_str("timeZone"))
            .ok()?
            .as_string()
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{attach, attach_file, cancel, file_head, poll, timezone, upload, upload_bars};

#[cfg(not(feature = "hydrate"))]
mod server_side {
    use super::*;
    fn unavailable() -> AppError {
        AppError::new(
            crate::error::ErrorCode::Internal,
            "Uploads run in the browser",
        )
    }
    pub async fn upload(_: &str, _: &str, _: &UploadOptions) -> UploadResult {
        Err(unavailable())
    }
    pub async fn poll(_: uuid::Uuid) -> UploadResult {
        Err(unavailable())
    }
    pub async fn upload_bars(_: &str, _: &str, _: &str, _: &str) -> BarsResult {
        Err(unavailable())
    }
    pub async fn cancel(_: uuid::Uuid) -> Result<(), AppError> {
        Err(unavailable())
    }
    pub async fn attach(_: &str, _: uuid::Uuid) -> AttachResult {
        Err(unavailable())
    }
    pub async fn attach_file(_: &web_sys::File, _: uuid::Uuid) -> AttachResult {
        Err(unavailable())
    }
    pub async fn file_head(_: &str, _: usize) -> Result<Option<String>, AppError> {
        Err(unavailable())
    }
    pub fn timezone() -> Option<String> {
        None
    }
}

#[cfg(not(feature = "hydrate"))]
pub use server_side::{
    attach, attach_file, cancel, file_head, poll, timezone, upload, upload_bars,
};
