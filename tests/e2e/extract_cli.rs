//! `undex extract --format jsonl` on the 2026 R2P report: the row contract other tools read.

use serde_json::Value;

use crate::common::{report_2026, undex};

fn rows_2026() -> Vec<Value> {
    let out = undex(&[
        "extract",
        report_2026().to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    assert!(
        out.status.success(),
        "extract failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

#[test]
fn rows_carry_the_documented_fields() {
    let rows = rows_2026();
    for field in [
        "symbol",
        "language",
        "number",
        "sub",
        "section",
        "page",
        "text",
        "footnote_refs",
        "pillars",
        "risk_factors",
        "recommendation",
        "addressees",
        "evidence",
    ] {
        assert!(
            rows.iter().all(|r| r.get(field).is_some()),
            "a row lacks {field}"
        );
    }
    // The 2026 text carries no symbol: null, not a guess.
    assert!(rows.iter().all(|r| r["symbol"].is_null()));
    assert!(rows.iter().all(|r| r["language"] == "en"));
}

#[test]
fn report_2026_has_paragraphs_1_to_50_and_its_sub_paragraphs() {
    let rows = rows_2026();
    // Numbered paragraphs (whole, or as the chapeau of their sub-paragraphs); the summary box
    // is an unnumbered block.
    let numbered: Vec<u32> = rows
        .iter()
        .filter(|r| r["kind"] == "paragraph" || r["kind"] == "chapeau")
        .filter_map(|r| r["number"].as_str()?.parse().ok())
        .collect();
    assert_eq!(numbered, (1..=50).collect::<Vec<_>>());
    let subs = |n: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["number"] == n && !r["sub"].is_null())
            .map(|r| r["sub"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(subs("4"), ["a", "b", "c", "d", "e"]);
    assert_eq!(subs("16"), ["a", "b"]);
    assert_eq!(subs("21"), ["a", "b", "c", "d", "e"]);
}

#[test]
fn paragraph_6_is_joined_across_the_footnote_block() {
    let rows = rows_2026();
    let p6 = rows
        .iter()
        .find(|r| r["number"] == "6" && r["sub"].is_null())
        .expect("paragraph 6");
    let text = p6["text"].as_str().unwrap();
    assert!(text.starts_with("By the end of 2025, over 204 million people"));
    assert!(
        text.ends_with("livelihoods for much of the population."),
        "{text}"
    );
    // Its footnotes are referenced, not inlined.
    assert_eq!(p6["footnote_refs"], serde_json::json!([13, 14, 15, 16]));
    assert!(!text.contains("See <https://"));
    assert!(!text.chars().any(|c| "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c)));
}

#[test]
fn unreadable_files_are_reported_and_strict_fails() {
    let shared = crate::common::shared();
    let damaged = shared.join("corpus/pdf/hrc_upr_slovenia/g0917123.pdf");
    let scan = shared.join("corpus/pdf/un_ods_samples/A_47_843-EN.pdf");
    let legacy =
        shared.join("corpus/word/ohchr_upr_slovenia/Advance_questions_Slovenia_first_batch.doc");
    let report = report_2026();
    let args = [
        "extract",
        report.to_str().unwrap(),
        damaged.to_str().unwrap(),
        scan.to_str().unwrap(),
        legacy.to_str().unwrap(),
    ];
    let lenient = undex(&args);
    assert!(lenient.status.success());
    let stderr = String::from_utf8_lossy(&lenient.stderr);
    assert!(
        stderr.contains("g0917123.pdf") && stderr.contains("damaged"),
        "{stderr}"
    );
    assert!(
        stderr.contains("A_47_843-EN.pdf") && stderr.contains("OCR"),
        "{stderr}"
    );
    assert!(
        stderr.contains("first_batch.doc") && stderr.contains(".doc"),
        "{stderr}"
    );
    assert!(stderr.contains("3 of 4 files failed"), "{stderr}");
    // The readable file still came out.
    assert!(String::from_utf8_lossy(&lenient.stdout).lines().count() >= 62);

    let mut strict_args = args.to_vec();
    strict_args.push("--strict");
    let strict = undex(&strict_args);
    assert_eq!(strict.status.code(), Some(1));
}
