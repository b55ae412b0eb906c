//! Errors of undex-web: [`WebError`] for starting the server, [`ApiError`] for answering a
//! request.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use undex_index::IndexError;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The index could not be opened.
    #[error("index: {0}")]
    Index(#[from] IndexError),
    /// Binding the address or serving failed.
    #[error("server i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// The error of one request. Every handler error goes through [`ApiError::status_and_code`],
/// the single mapping to an HTTP status and a machine code, and answers JSON
/// `{"message": …, "code": …}` ([`ErrorBody`]).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The query string does not parse (400, `invalid_query`).
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// A query-string parameter is malformed (`page=abc`) (400, `bad_request`).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// No such paragraph, document or route (404, `not_found`).
    #[error("not found: {0}")]
    NotFound(String),
    /// Anything else (500, `internal`); the detail is logged, the client sees
    /// "something went wrong".
    #[error("internal error: {0}")]
    Internal(String),
}

/// The JSON body of every error answer of the API: `{"message": …, "code": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for a person ("per_page must be between 1 and 100"); a 500 says only
    /// "something went wrong" (the detail is in the server's log).
    pub message: String,
    /// What went wrong, for a program.
    pub code: ErrorCode,
}

/// The machine code of an error answer: an [`ErrorBody`], or one of `/api/cite`'s
/// (`InvalidCitation`, `CiteNotFound`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the query (`q`) does not parse or is over a limit of the query language.
    InvalidQuery,
    /// 400: a parameter is malformed or out of range (`page=0`, `per_page=500`, `format=pdf`).
    BadRequest,
    /// 400: `ref` of `/api/cite` is not a citation undex can read (the body is
    /// `InvalidCitation`, with the `ref` given).
    InvalidCitation,
    /// 404: no such paragraph, document or route.
    NotFound,
    /// 500: anything else.
    Internal,
    /// 503: the server is answering too many requests at once; retry after the `Retry-After`
    /// seconds.
    Overloaded,
}

impl ErrorCode {
    /// The code as the JSON body writes it ("invalid_query").
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidQuery => "invalid_query",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::InvalidCitation => "invalid_citation",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Internal => "internal",
            ErrorCode::Overloaded => "overloaded",
        }
    }
}

impl ApiError {
    /// The status, machine code and client-facing message of this error.
    #[must_use]
    pub fn status_and_code(&self) -> (StatusCode, &'static str, String) {
        let (status, code, message) = self.status_code_message();
        (status, code.as_str(), message)
    }

    /// The status, [`ErrorCode`] and client-facing message of this error; the detail of an
    /// internal error is logged here.
    fn status_code_message(&self) -> (StatusCode, ErrorCode, String) {
        match self {
            ApiError::InvalidQuery(m) => {
                (StatusCode::BAD_REQUEST, ErrorCode::InvalidQuery, m.clone())
            }
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest, m.clone()),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, ErrorCode::NotFound, m.clone()),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "something went wrong".to_string(),
                )
            }
        }
    }
}

impl From<undex_library::export::ExportError> for ApiError {
    fn from(e: undex_library::export::ExportError) -> Self {
        use undex_library::export::ExportError;
        match e {
            e @ ExportError::NotFound(_) => ApiError::NotFound(e.to_string()),
            ExportError::Index(e) => ApiError::from(e),
            ExportError::Write(e @ undex_analysis::AnalysisError::UnknownFormat(_)) => {
                ApiError::BadRequest(e.to_string())
            }
            ExportError::Write(e) => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<IndexError> for ApiError {
    fn from(e: IndexError) -> Self {
        match e {
            IndexError::InvalidQuery { message } => ApiError::InvalidQuery(message),
            e @ IndexError::ResultWindow { .. } => ApiError::BadRequest(format!("page: {e}")),
            IndexError::Tantivy(e) => match wildcard_query_error(&e.to_string()) {
                Some(message) => ApiError::InvalidQuery(message),
                None => ApiError::Internal(format!("tantivy: {e}")),
            },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// The user-facing message of a tantivy error that only a query can cause, from its text
/// (undex-web does not depend on tantivy): a field wildcard (`text:*`) parses as an "exists"
/// query, which tantivy refuses when the search runs, on a field that is not a fast field
/// ("Schema error: 'Field text is not a fast field.'") or on a field the schema does not have
/// ("The field does not exist: 'foo'"). The schema is fixed, so these come from the query
/// (issue #16); `None` for any other error.
fn wildcard_query_error(tantivy_message: &str) -> Option<String> {
    if let Some(field) = tantivy_message
        .strip_prefix("Schema error: 'Field ")
        .and_then(|rest| rest.strip_suffix(" is not a fast field.'"))
    {
        return Some(format!(
            "{field}:* is not supported: `field:*` works on the filter fields only (pillar, risk, lang, body, …)"
        ));
    }
    tantivy_message
        .strip_prefix("The field does not exist: '")
        .and_then(|rest| rest.strip_suffix('\''))
        .map(|field| format!("unknown field {field:?}"))
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.status_code_message();
        (status, Json(ErrorBody { message, code })).into_response()
    }
}

/// An analysis error as an API error: an unknown export format is the caller's mistake (400
/// `bad_request`), anything else a failure of the server (500).
pub(crate) fn analysis_error(e: undex_analysis::AnalysisError) -> ApiError {
    match e {
        undex_analysis::AnalysisError::UnknownFormat(_) => ApiError::BadRequest(e.to_string()),
        other => ApiError::Internal(other.to_string()),
    }
}
