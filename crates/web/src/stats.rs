//! `GET /api/stats`: counts of the index ([`LibraryReader::stats`]).

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use undex_index::IndexStats;
#[cfg(doc)]
use undex_library::reader::LibraryReader;

use crate::{ApiError, AppState};

/// The route of the stats resource.
pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/stats", get(stats))
}

pub(crate) async fn stats(State(state): State<AppState>) -> Result<Json<IndexStats>, ApiError> {
    state.blocking(|library| library.stats()).await.map(Json)
}
