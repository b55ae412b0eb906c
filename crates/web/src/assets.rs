//! The static assets, embedded in the binary: `GET /static/style.css` and
//! `GET /static/app.js` (the copy-citation button; every page works without it).

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

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

/// The routes of the static assets.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/style.css", get(style_css))
        .route("/static/app.js", get(app_js))
}
