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
//! - `GET /api/cite?ref=A/79/875,+para.+58` — the cited paragraph (module [`cite`]); the
//!   search page opens it directly when the whole query is such a citation.
//! - `/mcp` — the Model Context Protocol server (module [`mcp`]) over Streamable HTTP.
//! - `GET /api/openapi.json` — the OpenAPI 3.1 description of the JSON API; `GET /api/docs` —
//!   the same as an HTML page (module [`openapi`]).
//! - `GET /static/style.css`, `GET /static/app.js` — assets embedded in the binary.
//!
//! Searches and lookups run in `spawn_blocking`, on one shared [`UndexIndex`], at most
//! [`ServeLimits::max_index_tasks`] at once. [`serve`] runs the app within [`ServeLimits`]
//! (module [`serve`](mod@serve)); every response carries the security headers of
//! [`security_headers`].
#![warn(missing_docs)]

mod api;
pub mod citations;
pub mod cite;
pub mod error;
pub mod mcp;
pub mod openapi;
mod pages;
pub mod params;
pub mod research;
pub mod serve;
pub mod understand;

use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use undex_index::UndexIndex;
use undex_library::reader::LibraryReader;

pub use error::{ApiError, WebError};
pub use serve::{ServeLimits, security_headers, serve, serve_on, serve_with, shutdown_signal};

/// Shared state of the server: the read service over the open index.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The read service every handler asks ([`LibraryReader`], over the shared index).
    library: LibraryReader,
    /// Slots for index reads running at once ([`ServeLimits::max_index_tasks`]).
    index_tasks: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Wraps an open index in its read service, with [`ServeLimits::default`]'s
    /// `max_index_tasks`.
    #[must_use]
    pub fn new(index: UndexIndex) -> Self {
        Self::with_library(LibraryReader::new(index))
    }

    /// State over a read service, with [`ServeLimits::default`]'s `max_index_tasks`.
    #[must_use]
    pub fn with_library(library: LibraryReader) -> Self {
        AppState {
            library,
            index_tasks: Arc::new(tokio::sync::Semaphore::new(
                ServeLimits::default().max_index_tasks,
            )),
        }
    }

    /// The read service (blocking: async code goes through [`AppState::on_library`]).
    #[must_use]
    pub fn library(&self) -> &LibraryReader {
        &self.library
    }

    /// The same service, with at most `tasks` index reads at once (at least 1).
    #[must_use]
    pub fn with_index_tasks(self, tasks: usize) -> Self {
        AppState {
            index_tasks: Arc::new(tokio::sync::Semaphore::new(tasks.max(1))),
            ..self
        }
    }

    /// Runs `f` on the read service in a blocking thread, index errors mapped to
    /// [`ApiError`] (see [`AppState::on_library`]).
    pub(crate) async fn blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&LibraryReader) -> Result<T, undex_index::IndexError> + Send + 'static,
    {
        self.on_library(move |library| f(library).map_err(ApiError::from))
            .await
    }

    /// Runs `f` on the read service in a blocking thread, once one of the index slots is
    /// free; the slot is held until `f` returns, even when the request has been answered
    /// meanwhile (a timeout), so that abandoned work still counts against the limit.
    pub(crate) async fn on_library<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&LibraryReader) -> Result<T, ApiError> + Send + 'static,
    {
        let slot = Arc::clone(&self.index_tasks)
            .acquire_owned()
            .await
            .map_err(|e| ApiError::Internal(format!("index slots closed: {e}")))?;
        let library = self.library.clone();
        tokio::task::spawn_blocking(move || {
            let answer = f(&library);
            drop(slot);
            answer
        })
        .await
        .map_err(|e| ApiError::Internal(format!("index task failed: {e}")))?
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

/// The application: HTML pages, JSON API and static assets, over `state`, every response with
/// the security headers of [`security_headers`].
pub fn router(state: AppState) -> Router {
    let app = Router::new()
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
        .merge(openapi::routes())
        // Citations resolved (`/api/cite`) and the MCP server over Streamable HTTP (`/mcp`).
        .merge(cite::routes())
        .nest_service("/mcp", mcp::http_service(state.clone()))
        .fallback(pages::not_found)
        .with_state(state);
    security_headers(app)
}
