//! The `cited` field on real rows: the 2025 and 2026 Secretary-General reports on the
//! responsibility to protect (`shared/seeds`), read by `undex_extract` and tagged by
//! `undex_tag` (which fills each row's `cited` from its text and footnotes).

use undex_core::ParagraphRow;
use undex_index::{Filters, SearchRequest, UndexIndex};

use undex_testkit::tagged_seed_rows as tagged_rows;

fn index() -> (UndexIndex, Vec<ParagraphRow>) {
    let docs = vec![
        tagged_rows("sg-r2p-report-2026.txt"),
        tagged_rows("sg-r2p-report-2025-A-79-875.txt"),
    ];
    let index = UndexIndex::in_memory().expect("index");
    index.replace_documents(&docs).expect("ingest");
    (index, docs.concat())
}

/// Rows whose `cited` names `symbol`, as the tagger recorded them.
fn expected_ids(rows: &[ParagraphRow], symbol: &str) -> Vec<String> {
    let mut ids: Vec<String> = rows
        .iter()
        .filter(|r| r.cited.iter().any(|c| c.symbol == symbol))
        .map(|r| r.id.clone())
        .collect();
    ids.sort();
    ids
}

#[test]
fn cited_filter_facet_and_query_field_agree_with_the_tagger() {
    let (index, rows) = index();
    // The 2026 report cites the 2013 report A/67/929-S/2013/399 (paragraph 14, footnote 30).
    let expected = expected_ids(&rows, "A/67/929");
    assert!(!expected.is_empty(), "the tagger records A/67/929");
    let by_filter = index
        .search(&SearchRequest {
            filters: Filters::default().with("cited", "a/67/929"),
            limit: 100,
            ..Default::default()
        })
        .expect("filter search");
    let mut got: Vec<String> = by_filter.hits.iter().map(|h| h.row.id.clone()).collect();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(by_filter.total, expected.len());

    let by_query = index
        .search(&SearchRequest {
            q: "cited:\"A/67/929\"".into(),
            limit: 100,
            ..Default::default()
        })
        .expect("query search");
    assert_eq!(by_query.total, expected.len());
    // Alias.
    let by_alias = index
        .search(&SearchRequest {
            q: "cites:\"A/67/929\"".into(),
            limit: 0,
            ..Default::default()
        })
        .expect("alias search");
    assert_eq!(by_alias.total, expected.len());

    // The facet over everything counts rows per cited symbol, as the rows say.
    let all = index
        .search(&SearchRequest {
            limit: 0,
            ..Default::default()
        })
        .expect("list all");
    let facet = all.facets.get("cited").expect("cited facet");
    assert!(!facet.is_empty());
    for fc in facet {
        assert_eq!(
            usize::try_from(fc.count).expect("count"),
            expected_ids(&rows, &fc.value).len(),
            "{}",
            fc.value
        );
    }
    let a79 = facet
        .iter()
        .find(|f| f.value == "A/79/875")
        .expect("the 2026 report cites the 2025 report");
    assert!(a79.count >= 2);
}

#[test]
fn citing_finds_rows_of_other_documents_and_has_document_knows_symbols() {
    let (index, rows) = index();
    let citing = index.citing(&["a/79/875".to_string()]).expect("citing");
    let mut got: Vec<String> = citing.iter().map(|r| r.id.clone()).collect();
    got.sort();
    assert_eq!(got, expected_ids(&rows, "A/79/875"));
    // Sorted by document, then reading order.
    assert!(
        citing
            .windows(2)
            .all(|w| (&w[0].doc_id, w[0].position) <= (&w[1].doc_id, w[1].position))
    );
    assert!(index.citing(&[]).expect("empty").is_empty());
    assert!(index.has_document("A/79/875").expect("lookup"));
    assert!(index.has_document("S/2025/248").expect("lookup"));
    assert!(!index.has_document("A/67/929").expect("lookup"));
}
