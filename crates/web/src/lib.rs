//! The undex web UI and JSON API (axum + maud), served from an undex index.
//!
//! Routes:
//! - `GET /` — search page (query box, hits as citable paragraphs, facets, pagination); the
//!   whole search state is in the URL.
//! - `GET /p/{id}` — paragraph permalink: text, footnotes, tags with their evidence, the
//!   documents it cites and the paragraphs citing it, previous / next, copy-citation button.
//! - `GET /d/{*symbol_or_id}` — document page: metadata, documents cited and citing documents,
//!   and every paragraph under its headings.
//! - `GET /api/search`, `GET /api/paragraphs/{id}`, `GET /api/documents/{*symbol_or_id}`,
//!   `GET /api/stats` — JSON. Errors are JSON `{"message","code"}` with status 400
//!   (`invalid_query`, `bad_request`), 404 (`not_found`) or 500 (`internal`).
//! - `GET /static/style.css`, `GET /static/app.js` — assets embedded in the binary.
//!
//! Searches and lookups run in `spawn_blocking`, on one shared [`UndexIndex`].
#![warn(missing_docs)]

mod api;
pub mod citations;
pub mod error;
mod pages;
pub mod params;
pub mod research;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use undex_index::UndexIndex;

pub use error::{ApiError, WebError};

/// Shared state of the server: the open index.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The index every handler searches.
    pub index: Arc<UndexIndex>,
}

impl AppState {
    /// Wraps an open index.
    #[must_use]
    pub fn new(index: UndexIndex) -> Self {
        AppState {
            index: Arc::new(index),
        }
    }

    /// Runs `f` on the index in a blocking thread.
    pub(crate) async fn blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&UndexIndex) -> Result<T, undex_index::IndexError> + Send + 'static,
    {
        let index = Arc::clone(&self.index);
        tokio::task::spawn_blocking(move || f(&index))
            .await
            .map_err(|e| ApiError::Internal(format!("search task failed: {e}")))?
            .map_err(ApiError::from)
    }
}

const STYLE_CSS: &str = include_str!("../../../web/style.css");
const APP_JS: &str = include_str!("../../../web/app.js");

async fn style_css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE_CSS,
    )
}

async fn app_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_JS,
    )
}

/// The application: HTML pages, JSON API and static assets, over `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::search_page))
        .route("/p/{id}", get(pages::paragraph_page))
        .route("/d/{*key}", get(pages::document_page))
        .route("/api/search", get(api::search))
        .route("/api/paragraphs/{id}", get(api::paragraph))
        .route("/api/documents/{*key}", get(api::document))
        .route("/api/stats", get(api::stats))
        .route("/static/style.css", get(style_css))
        .route("/static/app.js", get(app_js))
        .merge(research::routes())
        .fallback(pages::not_found)
        .with_state(state)
}

/// Opens the index in `index_dir` read-only and serves [`router`] on `addr` until Ctrl-C.
///
/// # Errors
/// [`WebError::Index`] when the index cannot be opened, [`WebError::Io`] when the address
/// cannot be bound or the server fails.
pub async fn serve(index_dir: &Path, addr: SocketAddr) -> Result<(), WebError> {
    let index = UndexIndex::open_read_only(index_dir)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(listener, AppState::new(index), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves [`router`] over `state` on an already bound listener until `shutdown` completes,
/// then finishes the requests in flight.
///
/// # Errors
/// [`WebError::Io`] when the server fails.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), WebError> {
    tracing::info!(address = %listener.local_addr()?, "undex serving");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
