//! Serving the app on a socket, within limits that no single client can push the server past.
//!
//! Every limit is a field of [`ServeLimits`] with a safe default, enforced by a library:
//! - hyper's HTTP/1 connection: the time a client may take to send a request head
//!   ([`ServeLimits::header_read_timeout`], also closing idle keep-alive connections) and its
//!   size ([`ServeLimits::max_header_bytes`]);
//! - a semaphore around `accept`: the number of open connections
//!   ([`ServeLimits::max_connections`]); further clients wait in the kernel's listen queue;
//! - tower's load shedding over a concurrency limit: requests answered at once
//!   ([`ServeLimits::max_in_flight`]); more answer 503 at once;
//! - tower-http: the time to answer ([`ServeLimits::request_timeout`], 503) and the request
//!   body size ([`ServeLimits::max_body_bytes`], 413);
//! - a semaphore in [`AppState`]: index reads running at once on the blocking thread pool
//!   ([`ServeLimits::max_index_tasks`]), so that requests that timed out cannot pile up work;
//! - hyper-util's graceful shutdown: on SIGINT or SIGTERM the server stops accepting, lets the
//!   requests in flight finish for at most [`ServeLimits::shutdown_grace`], and returns.
//!
//! Security headers (`Content-Security-Policy`, `X-Content-Type-Options`, `Referrer-Policy`)
//! are set by [`crate::router`] itself ([`security_headers`]), so every response carries them.

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::BoxError;
use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use undex_index::UndexIndex;

use crate::{ApiError, AppState, WebError, router};

/// The limits of a running server. Every field has a safe default ([`ServeLimits::default`]);
/// `docs/reliability.md` ("Server limits") lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeLimits {
    /// Longest time a client may take to send a request's head (request line and headers),
    /// counted from the moment the server starts reading it: at once on a new connection,
    /// and after each response on a keep-alive one. The connection is then closed without an
    /// answer. Default 10 s.
    pub header_read_timeout: Duration,
    /// Largest request head (request line, query string and headers), in bytes; a larger one
    /// is refused (431) and the connection closed. At least 8,192. Default 64 KiB.
    pub max_header_bytes: usize,
    /// Longest time a request may take to be answered (until its response head); a slower one
    /// answers 503. Default 30 s. A search run on the connection's own worker (one that
    /// started while no other index read was running) is not cut short: it answers when done.
    /// Searches are bounded by the query limits of `undex_index::limits`.
    pub request_timeout: Duration,
    /// Most connections open at once. Further clients wait in the listen queue until one
    /// closes. Default 512.
    pub max_connections: usize,
    /// Most requests being answered at once, over all connections; further requests answer
    /// 503 `overloaded` at once (load shedding) instead of queueing. Default 128.
    pub max_in_flight: usize,
    /// Most index reads (searches, exports, trends, feeds, lookups) running at once on the
    /// blocking thread pool; further requests wait for a slot, within `request_timeout`.
    /// Default 8.
    pub max_index_tasks: usize,
    /// Largest request body accepted, in bytes (every route is a GET); a larger one answers
    /// 413. Default 64 KiB.
    pub max_body_bytes: usize,
    /// After SIGINT or SIGTERM, longest time the requests in flight may take to finish before
    /// their connections are dropped. Default 10 s.
    pub shutdown_grace: Duration,
}

impl Default for ServeLimits {
    fn default() -> Self {
        ServeLimits {
            header_read_timeout: Duration::from_secs(10),
            max_header_bytes: 64 * 1024,
            request_timeout: Duration::from_secs(30),
            max_connections: 512,
            max_in_flight: 128,
            max_index_tasks: 8,
            max_body_bytes: 64 * 1024,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// `Content-Security-Policy` of every response: scripts, styles, images and fetches from the
/// site only (the pages have no inline script or style; trend charts are inline SVG, whose
/// presentation attributes CSP does not restrict), no plugins, no framing, forms to the site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// `Referrer-Policy` of every response: other sites see the origin, not the query searched.
pub const REFERRER_POLICY: &str = "strict-origin-when-cross-origin";

/// Adds [`CONTENT_SECURITY_POLICY`], `X-Content-Type-Options: nosniff` and
/// [`REFERRER_POLICY`] to every response of `router` that does not set them itself.
pub fn security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static(REFERRER_POLICY),
        ))
}

/// The answer to a request refused by load shedding (503 `overloaded`), or to another error
/// of the limit layers (500).
async fn overloaded(error: BoxError) -> Response {
    if error.is::<tower::load_shed::error::Overloaded>() {
        let mut response = (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(crate::error::ErrorBody {
                message: "the server is answering too many requests; try again shortly".into(),
                code: crate::error::ErrorCode::Overloaded,
            }),
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    }
    ApiError::Internal(format!("request limit layer: {error}")).into_response()
}

/// [`router`] over `state` within the request limits of `limits` (in flight, time, body).
pub fn limited_router(state: AppState, limits: &ServeLimits) -> Router {
    let state = state.with_index_tasks(limits.max_index_tasks);
    router(state).layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(overloaded))
            .load_shed()
            .concurrency_limit(limits.max_in_flight.max(1))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::SERVICE_UNAVAILABLE,
                limits.request_timeout,
            ))
            .layer(RequestBodyLimitLayer::new(limits.max_body_bytes)),
    )
}

/// Completes when the process receives SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!(signal = "SIGINT", "shutting down"),
        () = terminate => tracing::info!(signal = "SIGTERM", "shutting down"),
    }
}

/// Opens the index in `index_dir` read-only (nothing in the folder is created or modified)
/// and serves [`router`] on `addr` within `limits` until SIGINT or SIGTERM, then finishes the
/// requests in flight (at most [`ServeLimits::shutdown_grace`]) and returns.
///
/// # Errors
/// [`WebError::Index`] when the index cannot be opened, [`WebError::Io`] when the address
/// cannot be bound.
pub async fn serve(
    index_dir: &Path,
    addr: SocketAddr,
    limits: &ServeLimits,
) -> Result<(), WebError> {
    let index = UndexIndex::open_read_only(index_dir)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_with(listener, AppState::new(index), limits, shutdown_signal()).await
}

/// [`serve_with`] with the default [`ServeLimits`].
///
/// # Errors
/// As [`serve_with`].
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), WebError> {
    serve_with(listener, state, &ServeLimits::default(), shutdown).await
}

/// Serves [`router`] over `state` on an already bound listener, within `limits`, until
/// `shutdown` completes; then stops accepting, lets the requests in flight finish for at most
/// [`ServeLimits::shutdown_grace`], and returns. HTTP/1.1 only.
///
/// # Errors
/// [`WebError::Io`] when the listener's address cannot be read. Errors of single connections
/// (a client gone, a header timeout) are logged at debug level; errors accepting a connection
/// (out of file descriptors) are logged and retried after 50 ms.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: &ServeLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), WebError> {
    tracing::info!(address = %listener.local_addr()?, "undex serving");
    let service = TowerToHyperService::new(limited_router(state, limits));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_header_bytes.max(8192));
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection =
            graceful.watch(http.serve_connection(TokioIo::new(stream), service.clone()));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!(
        connections = graceful.count(),
        "stopped accepting; finishing the requests in flight"
    );
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("every connection closed"),
        () = tokio::time::sleep(limits.shutdown_grace) => tracing::warn!(
            grace_secs = limits.shutdown_grace.as_secs_f64(),
            "requests still in flight after the grace period: dropping their connections"
        ),
    }
    Ok(())
}
