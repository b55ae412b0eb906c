//! The integration tests of undex-extract: numbering on the corpus, limits, long texts, no silent loss and the seed texts, in one test binary (each test
//! binary links the whole dependency tree, so fewer binaries build and link faster).

mod corpus_numbering;
mod limits;
mod long_texts;
mod mastheads;
mod no_silent_loss;
mod text_seeds;
