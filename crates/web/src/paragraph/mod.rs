//! The paragraph resource: `GET /p/{id}` (the permalink page: text, footnotes, tags with
//! their evidence, other language versions, the documents it cites and the paragraphs citing
//! it, earlier wording, previous / next, copy-citation button) and `GET /api/paragraphs/{id}`
//! (the same as JSON). Both ask [`LibraryReader::paragraph`] and
//! [`LibraryReader::translations`].

mod api;
mod evidence;
mod page;

use axum::Router;
use axum::routing::get;
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::AppState;

pub(crate) use api::{ApiParagraph, paragraph_value};

/// The routes of the paragraph resource.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/p/{id}", get(page::paragraph_page))
        .route("/api/paragraphs/{id}", get(api::paragraph))
}
