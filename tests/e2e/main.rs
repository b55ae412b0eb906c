//! End-to-end tests: the `undex` binary on the real documents in `../shared`, as a new user
//! runs it — extract, ingest (with the damaged, scanned and legacy files in the batch), serve,
//! and search over HTTP.

mod browser;
mod common;
mod crawl_cli;
mod eval_cli;
mod extract_cli;
mod ingest_serve;
mod mcp;
