//! The integration tests of undex-index: search, facets, citations, similar paragraphs, languages, ranking and query fuzz regressions on real rows, in one test binary (each test
//! binary links the whole dependency tree, so fewer binaries build and link faster).

mod cited;
mod corpus_ranking;
mod fuzz_regressions;
mod multilingual;
mod search;
mod similar;
mod udhr;
