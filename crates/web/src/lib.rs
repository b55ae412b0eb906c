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
//! [`ServeLimits::max_index_tasks`] at once (a search that starts while no other index read
//! runs is run on the connection's own worker instead: `AppState::search`); the service owns
//! every combination of index lookups, the handlers only shape its answers as HTML or JSON.
//! [`serve()`] runs the app within [`ServeLimits`] (module [`serve`](mod@serve)); every
//! response carries the security headers of [`security_headers`].
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
    /// The number of slots of `index_tasks`.
    index_task_slots: usize,
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
        let slots = ServeLimits::default().max_index_tasks;
        AppState {
            library,
            index_tasks: Arc::new(tokio::sync::Semaphore::new(slots)),
            index_task_slots: slots,
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
            index_task_slots: tasks.max(1),
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

    /// Runs the search `f` on the read service, index errors mapped to [`ApiError`]: on this
    /// thread when it is the only index read running and the runtime has two or more worker
    /// threads, else as [`AppState::blocking`].
    ///
    /// A search over a million rows takes about a millisecond; handing it to a blocking
    /// thread and its answer back costs two thread wake-ups, a tenth of that on a median
    /// query of the scale benchmark (docs/performance.md, session 17). A lone
    /// search keeps its worker busy for its own time only: the other workers go on serving,
    /// and a read that starts meanwhile is not alone, so it goes to the blocking pool; at most
    /// one worker is ever inside a search. A search run here is not cut short by
    /// [`ServeLimits::request_timeout`]: its answer comes when it is done (searches are
    /// bounded by the query limits of `undex_index::limits`).
    pub(crate) async fn search<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&LibraryReader) -> Result<T, undex_index::IndexError> + Send + 'static,
    {
        let f = move |library: &LibraryReader| f(library).map_err(ApiError::from);
        let slot = self.index_slot().await?;
        if self.index_tasks.available_permits() + 1 == self.index_task_slots && many_workers() {
            let answer = f(&self.library);
            drop(slot);
            return answer;
        }
        self.in_blocking_thread(slot, f).await
    }

    /// Runs `f` on the read service in a blocking thread, once one of the index slots is
    /// free; the slot is held until `f` returns, even when the request has been answered
    /// meanwhile (a timeout), so that abandoned work still counts against the limit.
    pub(crate) async fn on_library<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&LibraryReader) -> Result<T, ApiError> + Send + 'static,
    {
        let slot = self.index_slot().await?;
        self.in_blocking_thread(slot, f).await
    }

    /// One of the index slots, once free.
    async fn index_slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        Arc::clone(&self.index_tasks)
            .acquire_owned()
            .await
            .map_err(|e| ApiError::Internal(format!("index slots closed: {e}")))
    }

    /// Runs `f` on the read service in a blocking thread, holding `slot` until it returns.
    async fn in_blocking_thread<T, F>(
        &self,
        slot: tokio::sync::OwnedSemaphorePermit,
        f: F,
    ) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&LibraryReader) -> Result<T, ApiError> + Send + 'static,
    {
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

/// True on a multi-thread runtime of two or more workers, where one worker may run a search
/// while the others serve (see [`AppState::search`]); false elsewhere (a current-thread
/// runtime, as in tests, or one worker), where a search goes to the blocking pool.
fn many_workers() -> bool {
    tokio::runtime::Handle::try_current().is_ok_and(|h| {
        h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread
            && h.metrics().num_workers() >= 2
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use undex_index::SearchRequest;

    /// The state over the 2026 report (the real text, tagged as `undex ingest` tags it).
    fn state_2026() -> AppState {
        let index = UndexIndex::in_memory().unwrap();
        index
            .replace_documents(&[undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt")])
            .unwrap();
        AppState::new(index)
    }

    fn request(q: &str) -> SearchRequest {
        SearchRequest {
            q: q.into(),
            limit: 10,
            ..SearchRequest::default()
        }
    }

    /// On a runtime of two workers, a lone search runs on the calling thread; with another
    /// index read holding a slot it goes to a blocking thread; the answer is the same.
    #[test]
    fn a_lone_search_runs_here_and_others_on_the_pool() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        let state = state_2026();
        runtime.block_on(async {
            let here = std::thread::current().id();
            let search = |state: &AppState| {
                let state = state.clone();
                async move {
                    state
                        .search(|library| {
                            let res = library.search(&request("regional organizations"))?;
                            Ok((std::thread::current().id(), res))
                        })
                        .await
                        .unwrap()
                }
            };
            let (lone_thread, lone) = search(&state).await;
            assert_eq!(
                lone_thread, here,
                "a lone search runs on its caller's thread"
            );
            assert!(lone.total > 0 && !lone.hits.is_empty());

            // Another read running: this one goes to the blocking pool.
            let other = Arc::clone(&state.index_tasks)
                .acquire_owned()
                .await
                .unwrap();
            let (busy_thread, busy) = search(&state).await;
            drop(other);
            assert_ne!(
                busy_thread, here,
                "a search beside another read is handed off"
            );
            assert_eq!(lone, busy, "the same answer either way");
        });
    }

    /// On a current-thread runtime (one thread for every connection) a search never blocks
    /// it: it goes to the blocking pool.
    #[test]
    fn a_single_thread_runtime_hands_every_search_off() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let state = state_2026();
        let here = std::thread::current().id();
        let there = runtime.block_on(state.search(|library| {
            library.search(&request("prevention"))?;
            Ok(std::thread::current().id())
        }));
        assert_ne!(there.unwrap(), here);
    }
}
