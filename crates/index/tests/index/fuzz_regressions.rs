//! Queries found by fuzzing (`fuzz/`, target `query`; docs/reliability.md, "Fuzzing"), each
//! pinned on a small index built here from four short paragraphs.

use undex_core::ParagraphRow;
use undex_index::{SearchRequest, UndexIndex};

/// "a" occurs only in paragraph 2 and "l" only in paragraph 3, "veto" only in 1 and
/// "prevention" only in 3 and 4: the phrases "a l" and "veto prevention" match no row, and no
/// row even holds both of their words.
const REPORT: &str = "United Nations A/99/100
General Assembly Distr.: General
2 March 2030

Seventy-ninth session

Fixture for fuzz regressions

Report of the Secretary-General

1. Warning signs of atrocity crimes were reported early, and restraint in the use of the veto \
was called for.

2. The Security Council should act early on a warning from the Special Adviser.

3. Member States should invest in prevention, see annex L.

4. National focal points help Governments to coordinate prevention.
";

fn index() -> (UndexIndex, Vec<ParagraphRow>) {
    let rows = undex_extract::extract(REPORT.as_bytes(), "fixture.txt", &Default::default())
        .expect("fixture extracts")
        .rows();
    assert_eq!(rows.len(), 4, "{rows:#?}");
    let index = UndexIndex::in_memory().expect("index");
    index
        .replace_documents(std::slice::from_ref(&rows))
        .expect("ingest");
    (index, rows)
}

/// Ids of the hits of `q`, sorted.
fn hits(index: &UndexIndex, q: &str) -> Vec<String> {
    let res = index
        .search(&SearchRequest {
            q: q.into(),
            limit: 10,
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{q}: {e}"));
    let mut ids: Vec<String> = res.hits.into_iter().map(|h| h.row.id).collect();
    ids.sort();
    ids
}

/// Fuzz crash `query` #1 (`-A?l`, which reads as excluding the phrase "a l"): excluding a
/// phrase whose words never share a row makes tantivy 0.27's `BooleanWeight` seek the
/// phrase's scorer backwards, which `PhraseScorer::seek_danger` rejects with a
/// `debug_assert!` ("target (0) should be greater than or equal to doc (2147483647)"): a
/// panic in debug builds (a 500 from a dev server), the right answer in release. Fixed by
/// building tantivy without debug assertions in the dev profile too (root `Cargo.toml`).
/// Crash `query` #2 (`NOT 否决权`: jieba cuts the word into a phrase of the Chinese fields)
/// is the same seek, to a phrase whose first row is not the first candidate; the panic needs
/// the phrase to reach one field only, hence the `text:` forms.
#[test]
fn excluding_a_phrase_that_matches_nothing_excludes_nothing() {
    let (index, rows) = index();
    let id = |n: &str| format!("{}~{n}", rows[0].doc_id);
    let all = vec![id("1"), id("2"), id("3"), id("4")];
    assert_eq!(hits(&index, "-A?l"), all);
    assert_eq!(hits(&index, "-text:\"a l\""), all);
    assert_eq!(hits(&index, "NOT \"veto prevention\""), all);
    assert_eq!(
        hits(&index, "prevention -\"veto prevention\""),
        vec![id("3"), id("4")]
    );
    // A phrase that does match still excludes its row, and only it.
    assert_eq!(hits(&index, "early -\"early on a warning\""), vec![id("1")]);
    assert_eq!(
        hits(&index, "-text:\"early on a warning\""),
        vec![id("1"), id("3"), id("4")]
    );
    assert_eq!(
        hits(&index, "NOT text:\"coordinate prevention\""),
        vec![id("1"), id("2"), id("3")]
    );
}
