//! The integration tests of undex-tag: rules on real reports, risk cues, the corpus snapshot and the dev and blind evaluations, in one test binary (each test
//! binary links the whole dependency tree, so fewer binaries build and link faster).

mod blind_eval;
mod common;
mod dev_eval;
mod native;
mod risk_cues;
mod rules_2026;
mod rules_hrc_caac;
mod rules_sc_reports;
mod seed_2025;
mod snapshot_corpus;
