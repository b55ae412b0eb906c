//! The web crate's integration tests, one binary (each test binary links the whole
//! workspace): the HTTP API and its clients (`http`, with the citation, MCP and OpenAPI tests
//! under `api/`), the pages (`pages`, with the language versions), citations between
//! documents (`citations`), the interface languages (`i18n`) and the research API
//! (`research_api`). `common` builds the test app over the real R2P reports.
//!
//! Run one part with `cargo test -p undex-web --test web pages::` (or `http::`, …).

mod citations;
mod common;
mod http;
mod i18n;
mod pages;
mod research_api;
