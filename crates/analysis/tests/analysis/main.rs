//! The integration tests of undex-analysis: exports read back by real clients, similarity, trends and feeds, in one test binary (each test
//! binary links the whole dependency tree, so fewer binaries build and link faster).

mod clients;
mod common;
mod exports;
mod similarity;
mod trends_feed;
