//! Scores the tagger on the 2026 development labels (`shared/eval-dev/gold-2026.jsonl`) and
//! asserts the floors it reaches. Print the table with
//! `cargo test -p undex-tag --test dev_eval -- --nocapture`; the figures are recorded in
//! `docs/quality.md`. The rules were written while reading this report, so these are
//! development figures, not an estimate for unseen documents.

use crate::common;
use undex_tag::eval::{EvalReport, parse_gold, score};

fn gold() -> Vec<undex_tag::eval::GoldRow> {
    parse_gold(&common::read_shared("eval-dev/gold-2026.jsonl")).unwrap()
}

fn assert_floors(report: &EvalReport) {
    assert!(report.pillars.micro.f1() >= 0.95, "pillars\n{report}");
    assert!(
        report.risk_factors.micro.f1() >= 0.95,
        "risk factors\n{report}"
    );
    assert!(report.recommendation.precision() >= 0.99, "rec P\n{report}");
    assert!(report.recommendation.recall() >= 0.99, "rec R\n{report}");
    assert!(report.addressees.micro.f1() >= 0.99, "addressees\n{report}");
    assert!(
        report.addressees_all_tp.micro.f1() >= 0.9,
        "addressees\n{report}"
    );
}

/// With the test suite's own splitter (independent of undex-extract).
#[test]
fn dev_set_2026_scores_reach_floors() {
    let mut doc = common::seed_2026();
    undex_tag::tag_document(&mut doc);
    let report = score(&gold(), &doc.rows());
    println!("{report}");
    assert_eq!(report.matched_rows, 62, "{:?}", report.unmatched);
    assert_floors(&report);
}

/// Through the real pipeline: undex-extract reads the seed text, as `undex eval tags` does.
#[test]
fn dev_set_2026_through_undex_extract() {
    let path = common::shared("seeds/sg-r2p-report-2026.txt");
    let bytes = std::fs::read(&path).unwrap();
    let mut doc = undex_extract::extract(
        &bytes,
        "../shared/seeds/sg-r2p-report-2026.txt",
        &undex_extract::ExtractOptions::default(),
    )
    .unwrap();
    undex_tag::tag_document(&mut doc);
    let report = score(&gold(), &doc.rows());
    println!("{report}");
    assert_eq!(report.matched_rows, 62, "{:?}", report.unmatched);
    assert_floors(&report);
}
