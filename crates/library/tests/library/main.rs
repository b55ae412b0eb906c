//! The library crate's integration tests, one binary (each test binary links the whole
//! workspace): the streaming ingest, its resume, the writer lock, reindex and the language
//! versions (`pipeline`, with `multilingual/languages.rs`), and `extract_bytes` against what
//! an ingest writes (`bytes`).
//!
//! Run one part with `cargo test -p undex-library --test library pipeline::` (or `bytes::`).

mod bytes;
mod pipeline;
