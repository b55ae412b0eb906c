//! `undex mcp`: the Model Context Protocol server over standard input and output, for an
//! assistant that starts undex as a subprocess (see `undex_web::mcp` for the tools).

use std::path::Path;

use anyhow::{Context, anyhow};

/// Serves the index in `index_dir` to one MCP client on stdin/stdout until it disconnects.
/// Standard output carries the protocol only; logs go to standard error.
///
/// # Errors
/// No index in `index_dir` ("run `undex ingest PATH` first"), the async runtime cannot start,
/// or the MCP connection fails.
pub fn run_mcp(index_dir: &Path) -> anyhow::Result<()> {
    let index = crate::serve::open_index(index_dir)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let served = runtime.block_on(async {
        tracing::info!("undex: MCP server on stdio, index {}", index_dir.display());
        undex_web::mcp::serve_stdio(undex_web::AppState::with_library(
            undex_library::reader::LibraryReader::new(index),
        ))
        .await
        .map_err(|e| anyhow!("{e}"))
    });
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    served
}
