//! The integration tests of undex-crawl: service parsers and the crawl replayed against a local server, in one test binary (each test
//! binary links the whole dependency tree, so fewer binaries build and link faster).

mod parsers;
mod replay;
