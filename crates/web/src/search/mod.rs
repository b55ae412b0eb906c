//! The search resource: `GET /` (the search page: query box, hits as citable paragraphs,
//! facets, pagination, export panel; the whole search state is in the URL) and
//! `GET /api/search` (the same search as JSON). Both ask [`LibraryReader::search`].

mod api;
mod facets;
mod page;

use axum::Router;
use axum::routing::get;
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::AppState;

pub(crate) use api::{ApiSearch, search_body};

/// The routes of the search resource.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(page::search_page))
        .route("/api/search", get(api::search))
}
