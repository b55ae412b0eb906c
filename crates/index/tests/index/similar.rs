//! "More like this" candidates for earlier wording (`UndexIndex::similar_candidates`) on the
//! real 2025 and 2026 Secretary-General reports on the responsibility to protect
//! (`shared/seeds`, read by `undex_extract`).

use std::collections::HashSet;

use undex_core::ParagraphRow;
use undex_index::similar::MAX_SIMILAR_CANDIDATES;
use undex_index::{SIMILAR_CANDIDATES, UndexIndex};

use undex_testkit::seed_rows as rows_of;

/// An index of both reports, with the rows of 2026 and of 2025.
fn index() -> (UndexIndex, Vec<ParagraphRow>, Vec<ParagraphRow>) {
    let (new, old) = (
        rows_of("sg-r2p-report-2026.txt"),
        rows_of("sg-r2p-report-2025-A-79-875.txt"),
    );
    let index = UndexIndex::in_memory().expect("index");
    index
        .replace_documents(&[new.clone(), old.clone()])
        .expect("ingest");
    (index, new, old)
}

fn para(rows: &[ParagraphRow], number: &str) -> ParagraphRow {
    let suffix = format!("~{number}");
    rows.iter()
        .find(|r| r.id.ends_with(&suffix))
        .cloned()
        .unwrap_or_else(|| panic!("no paragraph {number}"))
}

/// The lower-cased word 3-shingles of a text (the measure the candidates feed is their
/// Jaccard similarity).
fn shingles(text: &str) -> HashSet<Vec<String>> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.windows(3).map(<[String]>::to_vec).collect()
}

fn jaccard(a: &HashSet<Vec<String>>, b: &HashSet<Vec<String>>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

#[test]
fn para_1_of_2026_finds_para_1_of_2025_first_and_never_its_own_document() {
    let (index, new, old) = index();
    let p2026 = para(&new, "1");
    let p2025 = para(&old, "1");
    let all = index
        .similar_candidates(&p2026, SIMILAR_CANDIDATES, None)
        .expect("candidates");
    assert_eq!(all.first().map(|r| r.id.as_str()), Some(p2025.id.as_str()));
    assert!(all.len() <= SIMILAR_CANDIDATES);
    assert!(all.iter().all(|r| r.doc_id != p2026.doc_id), "own document");
    // A smaller limit is the head of the same ranking.
    let five = index.similar_candidates(&p2026, 5, None).expect("five");
    let head: Vec<&str> = all.iter().take(5).map(|r| r.id.as_str()).collect();
    let five: Vec<&str> = five.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(five, head);

    // Years: 2025 rows are candidates up to 2025, none up to 2024.
    let year = p2025.year.expect("2025 has a year");
    let upto = index
        .similar_candidates(&p2026, SIMILAR_CANDIDATES, Some(year))
        .expect("up to 2025");
    assert_eq!(upto.first().map(|r| r.id.as_str()), Some(p2025.id.as_str()));
    let before = index
        .similar_candidates(&p2026, SIMILAR_CANDIDATES, Some(year - 1))
        .expect("up to 2024");
    assert!(before.is_empty(), "{:?}", before.first().map(|r| &r.id));
    // The other way round: 2026 para 1 is the best candidate of 2025 para 1.
    let back = index
        .similar_candidates(&p2025, SIMILAR_CANDIDATES, None)
        .expect("back");
    assert_eq!(back.first().map(|r| r.id.as_str()), Some(p2026.id.as_str()));
}

/// Four UPR Working Group reports of 2013–2014 (`shared/corpus`), whose recommendations
/// repeat one another's wording.
fn upr_rows() -> Vec<Vec<ParagraphRow>> {
    ["france2013", "canada2013", "colombia2013", "iraq2014"]
        .iter()
        .map(|name| {
            undex_testkit::shared_rows(&format!("corpus/pdf/hrc_upr_wg_reports/{name}.pdf"))
        })
        .collect()
}

#[test]
fn every_close_earlier_pair_of_four_upr_reports_is_among_the_candidates() {
    let docs = upr_rows();
    let index = UndexIndex::in_memory().expect("index");
    index.replace_documents(&docs).expect("ingest");
    let rows: Vec<(&ParagraphRow, HashSet<Vec<String>>)> = docs
        .iter()
        .flatten()
        .map(|r| (r, shingles(&r.text)))
        .collect();
    let (mut pairs, mut checked_rows) = (0, 0);
    for (row, mine) in &rows {
        let Some(date) = &row.date else { continue };
        // Exhaustively: rows of earlier documents at Jaccard 0.3 or more (the chain's bar).
        let close: Vec<&ParagraphRow> = rows
            .iter()
            .filter(|(o, _)| o.doc_id != row.doc_id && o.date.as_ref().is_some_and(|d| d < date))
            .filter(|(_, theirs)| jaccard(mine, theirs) >= 0.3)
            .map(|(o, _)| *o)
            .collect();
        if close.is_empty() {
            continue;
        }
        let candidates: HashSet<String> = index
            .similar_candidates(row, SIMILAR_CANDIDATES, row.year)
            .expect("candidates")
            .into_iter()
            .map(|r| r.id)
            .collect();
        for o in close {
            assert!(candidates.contains(&o.id), "{} -> {} missed", row.id, o.id);
            pairs += 1;
        }
        checked_rows += 1;
    }
    assert!(
        pairs >= 50,
        "only {pairs} close pairs ({checked_rows} rows): 75 in 40 rows when written"
    );
}

#[test]
fn no_words_no_limit_no_candidates_and_large_limits_are_clamped() {
    let (index, new, _) = index();
    let mut unknown = para(&new, "1");
    unknown.doc_id = "elsewhere.en".to_string();
    unknown.text = "zzqxv qqzzv".to_string();
    assert!(
        index
            .similar_candidates(&unknown, 10, None)
            .unwrap()
            .is_empty()
    );
    unknown.text = "— … ;".to_string();
    assert!(
        index
            .similar_candidates(&unknown, 10, None)
            .unwrap()
            .is_empty()
    );
    let p1 = para(&new, "1");
    assert!(index.similar_candidates(&p1, 0, None).unwrap().is_empty());
    // A row from outside the index works too, and a huge limit is clamped.
    unknown.text = p1.text.clone();
    let many = index
        .similar_candidates(&unknown, usize::MAX, None)
        .unwrap();
    assert!(many.len() <= MAX_SIMILAR_CANDIDATES);
    assert!(
        many.iter().any(|r| r.doc_id == p1.doc_id),
        "other document's rows"
    );
}
