//! The undex web UI and JSON API (axum + maud), served from an undex index through the
//! library's read service ([`LibraryReader`]).
//!
//! The crate is organised by resource: each module holds its routes (`routes()`), its
//! handlers and its views, and [`router`] merges them.
//!
//! | module | routes |
//! |---|---|
//! | `search` | `GET /` (search page: query box, hits as citable paragraphs, facets, pagination; the whole search state is in the URL), `GET /api/search` |
//! | `paragraph` | `GET /p/{id}` (permalink: text, footnotes, tags with their evidence, other languages, what it cites and who cites it, earlier wording, previous / next, copy-citation button), `GET /api/paragraphs/{id}` |
//! | [`earlier`] | `GET /api/paragraphs/{id}/earlier` (and the earlier-wording section of the paragraph page) |
//! | `document` | `GET /d/{*symbol_or_id}` (metadata, language versions, every paragraph under its headings, documents cited and citing documents), `GET /api/documents/{*symbol_or_id}` |
//! | `stats` | `GET /api/stats` |
//! | [`export`] | `GET /api/export` (citation exports) |
//! | [`trends`] | `GET /api/trends`, `GET /trends` (with the first appearance of a search) |
//! | [`feeds`] | `GET /feed.atom` |
//! | [`cite`] | `GET /api/cite?ref=A/79/875,+para.+58` (the cited paragraph; the search page opens it directly when the whole query is such a citation) |
//! | [`openapi`] | `GET /api/openapi.json` (OpenAPI 3.1 of the JSON API), `GET /api/docs` (the same as an HTML page) |
//! | [`mcp`] | `/mcp` (the Model Context Protocol server over Streamable HTTP) |
//! | `assets` | `GET /static/style.css`, `GET /static/app.js` (embedded in the binary) |
//! | [`i18n`] | `GET /ui/{code}?next=…` (the language switch: sets the `undex_ui` cookie, back to the page); every page in English or French |
//!
//! Shared by the resources: `views` (the page frame, HTML errors, the fallback 404, tag chips
//! and other small views), `links` (paths of pages, the base URL, rows as the API shows
//! them), [`citations`] (citations with their links and schemas), [`params`] (URL parameters,
//! the keyword filters read from the registry), [`understand`] (the question reader),
//! `body` (JSON bodies written into one buffer, for the search API), [`error`] (one [`ApiError`] for status codes: JSON `{"message","code"}` with 400
//! `invalid_query` / `bad_request`, 404 `not_found`, 500 `internal`) and [`serve`](mod@serve).
//!
//! Handlers call the read service in `spawn_blocking` ([`AppState`]'s `on_library`), at most
//! [`ServeLimits::max_index_tasks`] at once; the service owns every combination of index
//! lookups, the handlers only shape its answers as HTML or JSON. [`serve()`] runs the app within
//! [`ServeLimits`] (module [`serve`](mod@serve)); every response carries the security headers
//! of [`security_headers`].
#![warn(missing_docs)]

mod assets;
mod body;
pub mod citations;
pub mod cite;
mod document;
pub mod earlier;
pub mod error;
pub mod export;
pub mod feeds;
pub mod i18n;
mod links;
pub mod mcp;
pub mod openapi;
mod paragraph;
pub mod params;
mod search;
pub mod serve;
mod stats;
pub mod trends;
pub mod understand;
mod views;

use std::sync::Arc;

use axum::Router;
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

    /// The read service (blocking: the handlers run it through `AppState::on_library`).
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

/// The application: HTML pages, JSON API and static assets, over `state`, every response with
/// the security headers of [`security_headers`].
pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .merge(search::routes())
        .merge(paragraph::routes())
        .merge(earlier::routes())
        .merge(document::routes())
        .merge(stats::routes())
        .merge(export::routes())
        .merge(trends::routes())
        .merge(feeds::routes())
        .merge(cite::routes())
        .merge(openapi::routes())
        .merge(assets::routes())
        .merge(i18n::routes())
        .nest_service("/mcp", mcp::http_service(state.clone()))
        .fallback(views::not_found)
        .layer(axum::middleware::from_fn(views::localise_errors))
        .with_state(state);
    security_headers(app)
}
