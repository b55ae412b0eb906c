//! `GET /feed.atom?q=…&<filters>`: the Atom feed (RFC 4287) of the [`FEED_LIMIT`] newest rows
//! matching a search, read document by document from the newest date of issue down
//! ([`LibraryReader::newest_rows`]).

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use undex_analysis::{FeedOptions, atom_feed};
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::error::analysis_error;
use crate::links::base_url;
use crate::params::{Params, SearchParams, query_string, selection};
use crate::{ApiError, AppState};

/// Entries of the Atom feed.
pub const FEED_LIMIT: usize = 50;

/// The route of the feed resource.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/feed.atom", get(feed_handler))
}

async fn feed_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    Params(search): Params<SearchParams>,
) -> Result<Response, ApiError> {
    let selection = selection(&search)?;
    let rows = state
        .blocking(move |library| library.newest_rows(&selection, FEED_LIMIT))
        .await?;
    let base = base_url(&headers);
    let qs = query_string(&search, &[]);
    let options = FeedOptions {
        query: search.q.clone().unwrap_or_default(),
        limit: FEED_LIMIT,
        self_url: Some(if qs.is_empty() {
            format!("{base}/feed.atom")
        } else {
            format!("{base}/feed.atom?{qs}")
        }),
        // The search page (`/`, see `crate::router`) with the same query and filters.
        search_url: Some(if qs.is_empty() {
            format!("{base}/")
        } else {
            format!("{base}/?{qs}")
        }),
        base_url: base,
    };
    let xml = tokio::task::spawn_blocking(move || atom_feed(&rows, &options))
        .await
        .map_err(|e| ApiError::Internal(format!("feed task failed: {e}")))?
        .map_err(analysis_error)?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}
