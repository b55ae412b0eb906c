//! Helpers shared by the web crate's test binaries: real rows from `../shared/seeds`, and the
//! app over an in-memory index of the 2026 and 2025 reports.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;
use undex_core::ParagraphRow;
use undex_index::UndexIndex;
use undex_web::{AppState, router};

pub use undex_testkit::{R2025, R2026};

/// The router over an index of two documents, with the rows it was built from.
pub struct App {
    pub router: axum::Router,
    pub rows_2026: Vec<ParagraphRow>,
    pub rows_2025: Vec<ParagraphRow>,
}

/// Indexes `rows_2026` and `rows_2025` in memory (one commit) and builds the router.
pub fn app_with(rows_2026: Vec<ParagraphRow>, rows_2025: Vec<ParagraphRow>) -> App {
    let index = UndexIndex::in_memory().expect("index");
    index
        .replace_documents(&[rows_2026.clone(), rows_2025.clone()])
        .expect("ingest");
    App {
        router: router(AppState::new(index)),
        rows_2026,
        rows_2025,
    }
}

/// The rows of a seed text as `undex ingest` produces them: extracted, then tagged when
/// `tagged` is set (untagged rows let a test set tags by hand).
pub fn seed_rows(file: &str, tagged: bool) -> Vec<ParagraphRow> {
    if tagged {
        undex_testkit::tagged_seed_rows(file)
    } else {
        undex_testkit::seed_rows(file)
    }
}

/// One answer of the router: status, content type, disposition (empty when absent), body.
pub struct Got {
    pub status: StatusCode,
    pub ctype: String,
    pub disposition: String,
    pub body: Vec<u8>,
}

impl Got {
    /// The body as UTF-8 text.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("utf-8 body")
    }
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("json body")
    }
}

/// `GET uri` through the router (Host `undex.test`, for the absolute links of feeds).
pub async fn get(app: &App, uri: &str) -> Got {
    let res = app
        .router
        .clone()
        .oneshot(
            Request::get(uri)
                .header(header::HOST, "undex.test")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    let header_of = |name| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let ctype = header_of(header::CONTENT_TYPE);
    let disposition = header_of(header::CONTENT_DISPOSITION);
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    Got {
        status,
        ctype,
        disposition,
        body,
    }
}
