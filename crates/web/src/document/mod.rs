//! The document resource: `GET /d/{*symbol_or_id}` (the document page: metadata, language
//! versions, every paragraph under its headings, documents cited and citing documents) and
//! `GET /api/documents/{*symbol_or_id}` (the same as JSON). Both ask
//! [`LibraryReader::document`] and [`LibraryReader::document_citations`].

mod api;
mod page;

use axum::Router;
use axum::routing::get;
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::AppState;

pub(crate) use api::{ApiDocument, load_document};

/// The routes of the document resource.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/d/{*key}", get(page::document_page))
        .route("/api/documents/{*key}", get(api::document))
}
