//! Near-duplicate language on the real 2025 and 2026 R2P reports: exact scores over candidate
//! rows. The web app takes candidates from the search index; here every row of both reports is
//! a candidate, the exhaustive answer the index's candidates are compared with.

use crate::common;
use std::cell::Cell;

use undex_analysis::{
    DiffKind, MAX_CHAIN_LINKS, chain, diff_words, similar, similar_earlier,
    similarity::{DEFAULT_THRESHOLD, similarity},
};
use undex_core::ParagraphRow;

fn row_of(rows: &[ParagraphRow], number: &str) -> ParagraphRow {
    let suffix = format!("~{number}");
    rows.iter()
        .find(|r| r.id.ends_with(&suffix) && r.kind == undex_core::UnitKind::Paragraph)
        .cloned()
        .unwrap_or_else(|| panic!("no paragraph {number}"))
}

fn id_of(rows: &[ParagraphRow], number: &str) -> String {
    row_of(rows, number).id
}

/// Every row of both reports.
fn both() -> (Vec<ParagraphRow>, Vec<ParagraphRow>, Vec<ParagraphRow>) {
    let (a, b) = (common::rows_2025(), common::rows_2026());
    let mut all = a.clone();
    all.extend(b.iter().cloned());
    (a, b, all)
}

#[test]
fn para_1_of_2026_comes_from_para_1_of_2025() {
    let (a, b, all) = both();
    let p2026 = row_of(&b, "1");
    let p2025 = row_of(&a, "1");

    let earlier = similar_earlier(&p2026, all.clone(), 5);
    assert_eq!(
        earlier.first().map(|m| m.row.id.as_str()),
        Some(p2025.id.as_str())
    );
    let best = earlier[0].score;
    assert!(best > 0.3 && best < 1.0, "score {best}");
    assert!((best - similarity(&p2025.text, &p2026.text)).abs() < 1e-12);
    // Scores are sorted, at least the threshold, and the runner-up is clearly weaker.
    assert!(earlier.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(earlier.iter().all(|m| m.score >= DEFAULT_THRESHOLD));
    if let Some(second) = earlier.get(1) {
        assert!(second.score < best / 2.0, "{:?}", second.row.id);
    }
    // Every match of `similar_earlier` is in the 2025 document; `similar` also sees it.
    assert!(earlier.iter().all(|m| m.row.id.starts_with("A_79_875.en~")));
    let any = similar(&p2026, all.clone(), 3);
    assert_eq!(any[0], earlier[0]);
    // Nothing in 2026 is earlier than 2025; without the date rule 2026 para 1 is the match.
    assert!(similar_earlier(&p2025, all.clone(), 3).is_empty());
    assert_eq!(similar(&p2025, all.clone(), 1)[0].row.id, p2026.id);

    // Chain back to the first appearance: 2026 para 1 → 2025 para 1, one candidate search
    // per link.
    let calls = Cell::new(0);
    let links = chain(&p2026, 0.3, |_| {
        calls.set(calls.get() + 1);
        Ok::<_, ()>(all.clone())
    })
    .unwrap();
    let ids: Vec<&str> = links.iter().map(|l| l.row.id.as_str()).collect();
    assert_eq!(ids, [p2026.id.as_str(), p2025.id.as_str()]);
    assert_eq!(links[0].score, 1.0);
    assert_eq!(links[1].score, best);
    assert_eq!(links[1].row.date.as_deref(), Some("2025-04-22"));
    assert_eq!(calls.get(), 2);
    // A threshold above the best score ends the chain at the paragraph itself.
    let alone = chain(&p2026, best + 0.01, |_| Ok::<_, ()>(all.clone())).unwrap();
    assert_eq!(alone.len(), 1);
}

#[test]
fn candidates_are_filtered_whatever_the_caller_passes() {
    let (a, b, _) = both();
    let p2026 = row_of(&b, "1");
    let p2025 = row_of(&a, "1");
    // The paragraph itself, its own document's rows, a duplicate and an undated copy of the
    // 2025 paragraph: only the 2025 paragraph counts, once.
    let mut undated = p2025.clone();
    undated.id = "undated.en~1".to_string();
    undated.doc_id = "undated.en".to_string();
    undated.date = None;
    let mut candidates = b.clone();
    candidates.extend([p2025.clone(), p2025.clone(), undated.clone()]);
    let earlier = similar_earlier(&p2026, candidates.clone(), 10);
    let ids: Vec<&str> = earlier.iter().map(|m| m.row.id.as_str()).collect();
    assert_eq!(ids, [p2025.id.as_str()]);
    // `similar` has no date rule: the undated copy ties with the 2025 paragraph and comes
    // after it (undated documents last).
    let any = similar(&p2026, candidates, 10);
    let ids: Vec<&str> = any.iter().map(|m| m.row.id.as_str()).collect();
    assert_eq!(ids, [p2025.id.as_str(), "undated.en~1"]);
    assert_eq!(any[0].score, any[1].score);
    // An undated paragraph has nothing earlier; k = 0 and no candidates give nothing.
    assert!(similar_earlier(&undated, a.clone(), 5).is_empty());
    assert!(similar_earlier(&p2026, a.clone(), 0).is_empty());
    assert!(similar_earlier(&p2026, Vec::new(), 5).is_empty());
}

#[test]
fn a_chain_stops_after_max_links_and_passes_errors_on() {
    let (a, _, _) = both();
    let p2025 = row_of(&a, "1");
    // The paragraph issued every day for 100 days before 2025-04-22, `n` days before with `n`
    // words more: the closest earlier version is always the previous day's, so the chain walks
    // one day back per link, and stops at MAX_CHAIN_LINKS.
    let day = |n: i64| {
        let d = chrono_like_date(n);
        let mut r = p2025.clone();
        r.doc_id = format!("copy{n:03}.en");
        r.id = format!("copy{n:03}.en~1");
        r.date = Some(d);
        for k in 1..=n {
            r.text.push_str(&format!(" added{k}"));
        }
        r
    };
    let copies: Vec<ParagraphRow> = (1..=100).map(day).collect();
    let links = chain(&p2025, 0.3, |_| Ok::<_, ()>(copies.clone())).unwrap();
    assert_eq!(links.len(), MAX_CHAIN_LINKS);
    assert!(links.windows(2).all(|w| w[1].row.date < w[0].row.date));
    assert!(links[1..].iter().all(|l| l.score > 0.3 && l.score < 1.0));
    assert_eq!(links[1].row.id, "copy001.en~1");
    assert_eq!(
        links[MAX_CHAIN_LINKS - 1].row.id,
        format!("copy{:03}.en~1", MAX_CHAIN_LINKS - 1)
    );
    // The first failed candidate search is the chain's error.
    let failed = chain(&p2025, 0.3, |_| {
        Err::<Vec<ParagraphRow>, _>("index unreadable")
    });
    assert_eq!(failed, Err("index unreadable"));
}

/// The ISO date `n` days before 2025-04-22 (n ≤ 100, so within 2025 or late 2024).
fn chrono_like_date(n: i64) -> String {
    let days_in = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut year, mut month, mut day) = (2025_i64, 4_usize, 22_i64 - n);
    while day < 1 {
        if month == 1 {
            month = 12;
            year -= 1;
        } else {
            month -= 1;
        }
        day += days_in[month - 1];
    }
    format!("{year}-{month:02}-{day:02}")
}

#[test]
fn diff_of_para_1_shows_the_2026_additions() {
    let (a, b) = (common::rows_2025(), common::rows_2026());
    let old = &a.iter().find(|r| r.id == id_of(&a, "1")).unwrap().text;
    let new = &b.iter().find(|r| r.id == id_of(&b, "1")).unwrap().text;
    let d = diff_words(old, new);
    let joined = |skip: DiffKind| {
        d.iter()
            .filter(|s| s.kind != skip)
            .map(|s| s.text.as_str())
            .collect::<String>()
    };
    assert_eq!(&joined(DiffKind::Inserted), old);
    assert_eq!(&joined(DiffKind::Deleted), new);
    let inserted: String = d
        .iter()
        .filter(|s| s.kind == DiffKind::Inserted)
        .map(|s| s.text.as_str())
        .collect();
    // 2026 added the reference to Rwanda and Srebrenica; 2025's "unanimously" is gone.
    assert!(inserted.contains("Rwanda"), "{inserted}");
    assert!(
        d.iter()
            .any(|s| s.kind == DiffKind::Deleted && s.text.contains("unanimously"))
    );
    assert!(
        d.iter()
            .any(|s| s.kind == DiffKind::Equal && s.text.contains("ethnic cleansing"))
    );
}
