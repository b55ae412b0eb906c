//! `undex serve` (and the serving part of `undex up`): the index is checked and the address
//! bound before anything else, so that a missing index or a port in use is said at once, in
//! words that say what to do.

use std::io::ErrorKind;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::path::Path;

use anyhow::{Context, anyhow, bail};
use undex_index::UndexIndex;

/// The file every index holds; without it the folder holds no index.
const INDEX_META: &str = "meta.json";

/// Opens the index in `index_dir` for serving.
///
/// # Errors
/// "no index at DIR: run `undex ingest PATH` first" when the folder holds no index (missing,
/// empty, or not an index); the index's own error, with the folder named, otherwise.
pub fn open_index(index_dir: &Path) -> anyhow::Result<UndexIndex> {
    if !index_dir.join(INDEX_META).is_file() {
        bail!(
            "no index at {}: run `undex ingest PATH` first (or `undex up --from PATH` to \
             ingest and serve), or point --index at an existing index",
            dir_display(index_dir)
        );
    }
    UndexIndex::open_read_only(index_dir)
        .with_context(|| format!("cannot open the index at {}", index_dir.display()))
}

/// A folder as typed, with a final "/" so that it reads as a folder ("index/").
fn dir_display(dir: &Path) -> String {
    let shown = dir.display().to_string();
    if shown.ends_with(std::path::MAIN_SEPARATOR) || shown.ends_with('/') {
        shown
    } else {
        format!("{shown}{}", std::path::MAIN_SEPARATOR)
    }
}

/// Binds `addr` ("127.0.0.1:8080", "localhost:8081", `"[::1]:8080"`, "0.0.0.0:80"): a host
/// name is resolved and each of its addresses tried in turn.
///
/// # Errors
/// An address that is not HOST:PORT or whose host does not resolve; a port in use (named,
/// with the `--addr` flag to choose another); any other bind error, with the address.
pub fn bind(addr: &str) -> anyhow::Result<TcpListener> {
    let addrs: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .map_err(|e| {
            anyhow!(
                "--addr {addr:?} is not an address to listen on ({e}): give HOST:PORT, such as \
                 127.0.0.1:8080 or localhost:8081"
            )
        })?
        .collect();
    if addrs.is_empty() {
        bail!("--addr {addr:?}: the host name resolves to no address");
    }
    let mut last = None;
    for a in &addrs {
        match TcpListener::bind(a) {
            Ok(listener) => return Ok(listener),
            Err(e) => last = Some((a, e)),
        }
    }
    let Some((a, e)) = last else {
        bail!("--addr {addr:?}: nothing to bind");
    };
    let port = a.port();
    match e.kind() {
        ErrorKind::AddrInUse => bail!(
            "port {port} is already in use on {} (another `undex serve`?): stop that \
             server, or choose another port with --addr, e.g. --addr {}:{}",
            a.ip(),
            host_of(addr),
            port.wrapping_add(1).max(1024)
        ),
        ErrorKind::PermissionDenied => bail!(
            "not allowed to listen on port {port} ({e}): ports below 1024 need privileges; \
             choose another with --addr, e.g. --addr {}:8080",
            host_of(addr)
        ),
        ErrorKind::AddrNotAvailable => bail!(
            "cannot listen on {a}: the address is not one of this machine's ({e}); use \
             --addr 127.0.0.1:{port} (this machine only) or 0.0.0.0:{port} (every interface)"
        ),
        _ => bail!("cannot listen on {a} (--addr {addr}): {e}"),
    }
}

/// The host part of a HOST:PORT address as typed (`"localhost"`, `"[::1]"`).
fn host_of(addr: &str) -> &str {
    addr.rsplit_once(':').map_or(addr, |(host, _)| host)
}

/// Serves `index` on `listener` until SIGINT or SIGTERM, within the default
/// [`undex_web::ServeLimits`]; after the grace period, index reads still running are given
/// one more second before the process exits (0).
///
/// # Errors
/// The async runtime cannot start, or the server fails.
pub fn run_serve(index_dir: &Path, index: UndexIndex, listener: TcpListener) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let limits = undex_web::ServeLimits::default();
    let local = listener
        .local_addr()
        .context("cannot read the address listened on")?;
    listener
        .set_nonblocking(true)
        .context("cannot set the listening socket non-blocking")?;
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)
            .context("cannot hand the listening socket to the async runtime")?;
        eprintln!(
            "undex: serving {} on http://{local}/ (MCP: http://{local}/mcp)",
            index_dir.display()
        );
        undex_web::serve_with(
            listener,
            undex_web::AppState::with_library(undex_library::reader::LibraryReader::new(index)),
            &limits,
            undex_web::shutdown_signal(),
        )
        .await
        .map_err(|e| anyhow!("{e}"))
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    served?;
    eprintln!("undex: stopped");
    Ok(())
}
