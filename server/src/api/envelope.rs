//! The REST envelope of spec 004 — `{"success":true,"data":...}` and
//! `{"success":false,"error":{"code","message","details"}}` — and extractors whose
//! rejections use it too, so a malformed body gets the same shape as a business error.

use app::error::{AppError, ErrorCode};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Success<T> {
    /// Always true.
    pub success: bool,
    pub data: T,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// One of VALIDATION_ERROR, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT,
    /// PAYLOAD_TOO_LARGE, RATE_LIMITED, QUOTA_EXCEEDED, INTERNAL.
    #[schema(example = "VALIDATION_ERROR")]
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct Failure {
    /// Always false.
    pub success: bool,
    pub error: ErrorBody,
}

/// A successful answer with a status (200 unless said otherwise).
pub struct Answer<T>(pub StatusCode, pub T);

pub fn ok<T>(data: T) -> Answer<T> {
    Answer(StatusCode::OK, data)
}

pub fn created<T>(data: T) -> Answer<T> {
    Answer(StatusCode::CREATED, data)
}

impl<T: Serialize> IntoResponse for Answer<T> {
    fn into_response(self) -> Response {
        (
            self.0,
            axum::Json(Success {
                success: true,
                data: self.1,
            }),
        )
            .into_response()
    }
}

/// The one place an `AppError` becomes an HTTP response.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = e.retry_after();
        let mut res = (
            status,
            axum::Json(Failure {
                success: false,
                error: ErrorBody {
                    code: e.code.as_str().to_string(),
                    message: e.message,
                    details: e.details,
                },
            }),
        )
            .into_response();
        if let Some(secs) = retry {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

pub type ApiResult<T> = Result<Answer<T>, ApiError>;

/// `axum::Json` with rejections in the envelope: wrong content type, unreadable JSON,
/// missing or mistyped fields all become VALIDATION_ERROR with serde's precise message.
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(rej) => Err(json_rejection(rej)),
        }
    }
}

fn json_rejection(rej: JsonRejection) -> ApiError {
    let status = rej.status();
    let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
        ErrorCode::PayloadTooLarge
    } else {
        ErrorCode::ValidationError
    };
    let message = match &rej {
        JsonRejection::MissingJsonContentType(_) => {
            "Send the body as JSON with Content-Type: application/json".to_string()
        }
        JsonRejection::JsonSyntaxError(e) => {
            format!("The body is not valid JSON: {}", e.body_text())
        }
        JsonRejection::JsonDataError(e) => {
            format!("The body has the wrong shape: {}", e.body_text())
        }
        other => other.body_text(),
    };
    ApiError(AppError::new(code, message))
}

/// `axum::extract::Path` with rejections in the envelope. A malformed id is a 404 (it
/// names nothing), so probing with junk ids learns nothing more than with real ones.
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(PathRejection::FailedToDeserializePathParams(_)) => {
                Err(ApiError(AppError::not_found("Resource")))
            }
            Err(other) => Err(ApiError(AppError::new(
                ErrorCode::Internal,
                other.body_text(),
            ))),
        }
    }
}

/// `axum::extract::Query` with rejections in the envelope.
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(rej) => Err(ApiError(AppError::new(
                ErrorCode::ValidationError,
                format!("Bad query string: {}", query_message(&rej)),
            ))),
        }
    }
}

fn query_message(rej: &QueryRejection) -> String {
    rej.body_text()
}

/// Unknown routes under /api/v1.
pub async fn not_found() -> ApiError {
    ApiError(AppError::new(
        ErrorCode::NotFound,
        "No such API route. See /api/v1/openapi.json for the routes.",
    ))
}
