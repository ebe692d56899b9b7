//! One error type for the whole application. It crosses the server-function boundary
//! (serialised as JSON) and the REST API maps it to a status in exactly one place:
//! [`ErrorCode::http_status`].

use serde::{Deserialize, Serialize};

/// Machine-readable error codes of the REST API (spec 004) and of server functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ErrorCode {
    ValidationError,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    RateLimited,
    QuotaExceeded,
    Internal,
}

impl ErrorCode {
    /// The HTTP status for this code. The only place codes meet statuses.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::ValidationError => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::RateLimited | ErrorCode::QuotaExceeded => 429,
            ErrorCode::Internal => 500,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ValidationError => "VALIDATION_ERROR",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::QuotaExceeded => "QUOTA_EXCEEDED",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

/// The application error: a code, a message a person can act on, and optional details
/// (for example the field that failed validation, or seconds until a retry).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: None,
        }
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// A validation failure on one named field; the field lands in `details.field`
    /// so forms can put the message beside the right input.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::ValidationError, message)
            .with_details(serde_json::json!({ "field": field }))
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthorized, message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(
            ErrorCode::RateLimited,
            format!("Too many attempts. Try again in {retry_after_secs} seconds."),
        )
        .with_details(serde_json::json!({ "retry_after": retry_after_secs }))
    }

    /// An internal failure. The message shown to users is generic on purpose: the cause is
    /// logged on the server, never sent to the client.
    pub fn internal() -> Self {
        Self::new(
            ErrorCode::Internal,
            "Something went wrong on our side. Please try again.",
        )
    }

    pub fn status(&self) -> u16 {
        self.code.http_status()
    }

    /// Seconds to wait before retrying, for rate-limit errors.
    pub fn retry_after(&self) -> Option<u64> {
        self.details
            .as_ref()
            .and_then(|d| d.get("retry_after"))
            .and_then(|v| v.as_u64())
    }

    /// The form field this error belongs to, if any.
    pub fn field(&self) -> Option<&str> {
        self.details
            .as_ref()
            .and_then(|d| d.get("field"))
            .and_then(|v| v.as_str())
    }
}

impl server_fn::error::FromServerFnError for AppError {
    type Encoder = server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        use server_fn::error::ServerFnErrorErr as E;
        match value {
            // A request that never reached the server: the usual cause is being offline.
            E::Request(msg) => Self::new(
                ErrorCode::Internal,
                format!("Could not reach the server ({msg}). Check your connection."),
            ),
            E::Args(msg) | E::MissingArg(msg) => Self::new(ErrorCode::ValidationError, msg),
            other => Self::new(ErrorCode::Internal, other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_the_documented_statuses() {
        let table = [
            (ErrorCode::ValidationError, 400, "VALIDATION_ERROR"),
            (ErrorCode::Unauthorized, 401, "UNAUTHORIZED"),
            (ErrorCode::Forbidden, 403, "FORBIDDEN"),
            (ErrorCode::NotFound, 404, "NOT_FOUND"),
            (ErrorCode::Conflict, 409, "CONFLICT"),
            (ErrorCode::RateLimited, 429, "RATE_LIMITED"),
            (ErrorCode::QuotaExceeded, 429, "QUOTA_EXCEEDED"),
            (ErrorCode::Internal, 500, "INTERNAL"),
        ];
        for (code, status, name) in table {
            assert_eq!(code.http_status(), status);
            assert_eq!(code.as_str(), name);
            let json = serde_json::to_value(code).unwrap_or_default();
            assert_eq!(json, serde_json::json!(name));
        }
    }

    #[test]
    fn rate_limit_carries_retry_after() {
        let e = AppError::rate_limited(42);
        assert_eq!(e.retry_after(), Some(42));
        assert_eq!(e.status(), 429);
    }

    #[test]
    fn invalid_names_the_field() {
        let e = AppError::invalid("email", "Enter a valid e-mail address");
        assert_eq!(e.field(), Some("email"));
        assert_eq!(e.code, ErrorCode::ValidationError);
    }
}
