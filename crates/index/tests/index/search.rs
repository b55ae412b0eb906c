//! Index behaviour on real rows: the 2025 and 2026 Secretary-General reports on the
//! responsibility to protect (`shared/seeds`), read by `undex_extract`, with a few tags set by
//! hand (the tagger is a separate crate).

use undex_core::ParagraphRow;
use undex_index::{Filters, IndexError, SearchRequest, UndexIndex};

use undex_testkit::seed_rows as rows_of;

/// The 2026 report with hand tags: paragraph 28 (the veto paragraph) is pillar III, a risk
/// factor 7 paragraph and a recommendation to the Security Council; paragraph 1 is pillar I.
fn report_2026() -> Vec<ParagraphRow> {
    let mut rows = rows_of("sg-r2p-report-2026.txt");
    for r in &mut rows {
        if r.id.ends_with("~28") {
            r.pillars = vec!["III".into()];
            r.risk_factors = vec![7];
            r.recommendation = true;
            r.addressees = vec!["Security Council".into()];
        }
        if r.id.ends_with("~1") {
            r.pillars = vec!["I".into()];
        }
    }
    rows
}

fn corpus() -> (UndexIndex, Vec<Vec<ParagraphRow>>) {
    let docs = vec![report_2026(), rows_of("sg-r2p-report-2025-A-79-875.txt")];
    let index = UndexIndex::in_memory().expect("in-memory index");
    let n = index.replace_documents(&docs).expect("ingest");
    assert_eq!(n, docs.iter().map(Vec::len).sum::<usize>());
    (index, docs)
}

fn search(index: &UndexIndex, q: &str) -> undex_index::SearchResponse {
    index
        .search(&SearchRequest {
            q: q.into(),
            limit: 10,
            ..Default::default()
        })
        .expect("query parses")
}

#[test]
fn veto_restraint_ranks_paragraph_28_of_2026_in_top_three() {
    let (index, docs) = corpus();
    let res = search(&index, "veto restraint");
    let top: Vec<&str> = res.hits.iter().take(3).map(|h| h.row.id.as_str()).collect();
    let para28 = docs[0]
        .iter()
        .find(|r| r.id.ends_with("~28"))
        .expect("paragraph 28");
    assert!(top.contains(&para28.id.as_str()), "top three: {top:?}");
    let hit = res
        .hits
        .iter()
        .find(|h| h.row.id == para28.id)
        .expect("hit");
    assert!(
        hit.snippet_html.contains("<mark>veto</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(hit.score > 0.0);
    // A snippet that cuts the paragraph says so with "…" (paragraph 28 is longer than one).
    assert!(para28.text.chars().count() > 400);
    assert!(
        hit.snippet_html.starts_with('…') || hit.snippet_html.ends_with('…'),
        "{}",
        hit.snippet_html
    );
    // Stemming: "vetoes" finds the same paragraph through the English field.
    let res = search(&index, "vetoes restraint");
    assert!(res.hits.iter().any(|h| h.row.id == para28.id));
}

#[test]
fn phrases_and_boolean_operators() {
    let (index, _) = corpus();
    let phrase = search(&index, "\"restraint from using the veto\"");
    assert!(phrase.total >= 1);
    for h in &phrase.hits {
        assert!(
            h.row.text.contains("restraint from using the veto"),
            "{}",
            h.row.text
        );
    }
    let veto = search(&index, "veto").total;
    let veto_not_restraint = search(&index, "veto NOT restraint").total;
    let veto_minus_restraint = search(&index, "veto -restraint").total;
    assert!(veto_not_restraint < veto);
    assert_eq!(veto_not_restraint, veto_minus_restraint);
    let all = search(&index, "").total;
    assert_eq!(search(&index, "NOT veto").total, all - veto);
    // A bare symbol selects the document's rows (either symbol of a joint one); a word beside
    // it is required too: the document's paragraphs holding the word, and no others.
    let d25 = search(&index, "A/79/875").total;
    assert!(d25 > 50 && d25 < all, "{d25}");
    let within = search(&index, "S/2025/248 veto");
    assert!(within.total >= 1 && within.total < d25, "{}", within.total);
    assert!(within.hits.iter().all(|h| {
        h.all_words
            && h.row.text.to_lowercase().contains("veto")
            && h.row.symbols.contains(&"S/2025/248".to_string())
    }));
    // Apostrophes inside words and colons in text are text, not syntax.
    for q in [
        "Côte d'Ivoire",
        "States' obligations",
        "Article 2:4",
        "see https://www.un.org",
    ] {
        assert!(
            index
                .search(&SearchRequest {
                    q: q.into(),
                    ..Default::default()
                })
                .is_ok(),
            "{q}"
        );
    }
    let either = search(&index, "(veto OR genocide) AND Rwanda").total;
    let rwanda = search(&index, "Rwanda").total;
    assert!(either >= 1 && either <= rwanda);
}

#[test]
fn malformed_queries_are_invalid_query_errors() {
    let (index, _) = corpus();
    for q in ["(veto", "\"veto", "nosuchfield:abc", "year:abc"] {
        let err = index
            .search(&SearchRequest {
                q: q.into(),
                limit: 10,
                ..Default::default()
            })
            .expect_err(q);
        assert!(
            matches!(err, IndexError::InvalidQuery { .. }),
            "{q}: {err:?}"
        );
    }
}

#[test]
fn filters_and_field_queries_agree_and_facets_count_the_result_set() {
    let (index, docs) = corpus();
    let all = index
        .search(&SearchRequest {
            limit: 5,
            ..Default::default()
        })
        .expect("list all");
    assert_eq!(all.total, docs.iter().map(Vec::len).sum::<usize>());
    let years: Vec<(&str, u64)> = all.facets["year"]
        .iter()
        .map(|f| (f.value.as_str(), f.count))
        .collect();
    let mut expected = vec![
        ("2026", docs[0].len() as u64),
        ("2025", docs[1].len() as u64),
    ];
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    assert_eq!(years, expected);
    let pillars = &all.facets["pillar"];
    assert_eq!(pillars.len(), 2, "{pillars:?}");
    assert!(pillars.iter().all(|f| f.count == 1), "{pillars:?}");
    assert_eq!(all.facets["addressee"][0].value, "Security Council");

    let by_filter = index
        .search(&SearchRequest {
            filters: Filters::default().with("pillar", "3"),
            limit: 10,
            ..Default::default()
        })
        .expect("filter");
    assert_eq!(by_filter.total, 1);
    assert_eq!(by_filter.hits[0].row.number.as_deref(), Some("28"));
    for q in [
        "pillar:III",
        "risk:7",
        "recommendation:true",
        "addressee:\"security council\"",
        "body:\"Security Council\" AND pillar:iii",
    ] {
        let r = search(&index, q);
        assert_eq!(r.total, 1, "{q}");
        assert_eq!(r.hits[0].row.number.as_deref(), Some("28"), "{q}");
    }
    let year_2025 = search(&index, "year:2025").total;
    assert_eq!(year_2025, docs[1].len());
    assert_eq!(search(&index, "year:[2020 TO 2026]").total, all.total);
    let ranged = index
        .search(&SearchRequest {
            filters: Filters {
                year_from: Some(2026),
                ..Default::default()
            },
            ..Default::default()
        })
        .expect("range");
    assert_eq!(ranged.total, docs[0].len());
    assert!(ranged.hits.is_empty(), "limit 0 returns counts only");
    assert_eq!(search(&index, "symbol:\"A/79/875\"").total, docs[1].len());
    assert_eq!(search(&index, "lang:fr").total, 0);
}

#[test]
fn empty_query_lists_rows_in_document_order_newest_first() {
    let (index, docs) = corpus();
    let page = |offset| {
        index
            .search(&SearchRequest {
                offset,
                limit: 20,
                ..Default::default()
            })
            .expect("list")
    };
    let first = page(0);
    let ids: Vec<&str> = first.hits.iter().map(|h| h.row.id.as_str()).collect();
    let expected: Vec<&str> = docs[0].iter().take(20).map(|r| r.id.as_str()).collect();
    assert_eq!(ids, expected);
    let second = page(20);
    assert_eq!(second.hits[0].row.id, docs[0][20].id);
    assert!(
        first
            .hits
            .iter()
            .all(|h| !h.snippet_html.contains("<mark>"))
    );
}

#[test]
fn reingesting_replaces_and_never_duplicates() {
    let (index, docs) = corpus();
    let before = index.stats().expect("stats");
    assert_eq!(before.documents, 2);
    assert_eq!(
        before.paragraphs as usize,
        docs.iter().map(Vec::len).sum::<usize>()
    );
    // Same file again, with a changed row: replaced, not added.
    let mut again = docs[0].clone();
    again[1].text.push_str(" Zanzibarian addendum.");
    index.replace_documents(&[again]).expect("re-ingest");
    assert_eq!(index.stats().expect("stats"), before);
    assert_eq!(search(&index, "Zanzibarian").total, 1);
    // A re-extraction under a new doc id (e.g. a symbol found later) replaces by source file.
    let mut renamed = docs[1].clone();
    for r in &mut renamed {
        r.doc_id = "A_79_875.en.v2".into();
        r.id = r.id.replace("A_79_875.en", "A_79_875.en.v2");
    }
    index
        .replace_documents(&[renamed])
        .expect("re-ingest renamed");
    assert_eq!(index.stats().expect("stats"), before);
    assert!(index.document("A_79_875.en").expect("lookup").is_empty());
}

#[test]
fn paragraph_document_and_neighbours() {
    let (index, docs) = corpus();
    let d25 = &docs[1];
    let para = &d25[5];
    assert_eq!(index.paragraph(&para.id).expect("get").as_ref(), Some(para));
    assert_eq!(index.paragraph("no~such").expect("get"), None);
    let (prev, next) = index.neighbours(&para.id).expect("neighbours");
    assert_eq!(prev.as_ref(), Some(&d25[4]));
    assert_eq!(next.as_ref(), Some(&d25[6]));
    let (prev, _) = index.neighbours(&d25[0].id).expect("neighbours");
    assert!(prev.is_none());
    let (_, next) = index
        .neighbours(&d25[d25.len() - 1].id)
        .expect("neighbours");
    assert!(next.is_none());
    let doc_id = d25[0].doc_id.clone();
    assert_eq!(doc_id, "A_79_875.en");
    for key in [
        doc_id.as_str(),
        "A/79/875",
        "a/79/875",
        "S/2025/248",
        "A/79/875-S/2025/248",
        "A_79_875",
    ] {
        let rows = index.document(key).expect("document");
        assert_eq!(&rows, d25, "{key}");
    }
    assert!(index.document("A/80/1").expect("document").is_empty());
}

#[test]
fn on_disk_index_reopens_read_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = report_2026();
    {
        let index = UndexIndex::open_or_create(dir.path()).expect("create");
        index
            .replace_documents(std::slice::from_ref(&rows))
            .expect("ingest");
    }
    let ro = UndexIndex::open_read_only(dir.path()).expect("open");
    assert_eq!(ro.stats().expect("stats").paragraphs as usize, rows.len());
    assert!(matches!(
        ro.replace_documents(&[rows]),
        Err(IndexError::ReadOnly)
    ));
    let missing = dir.path().join("missing");
    let err = UndexIndex::open_read_only(&missing).expect_err("no index there");
    assert!(matches!(err, IndexError::Open { .. }), "{err}");
    // The cause is kept whole, not flattened to text.
    let cause = std::error::Error::source(&err).expect("the directory error");
    assert!(err.to_string().ends_with(&cause.to_string()), "{err}");
}

/// Facet counts come from the fast columns in the search pass: they must equal the counts of
/// the matching rows themselves, for every facet value, and be exact (not a sample) here.
#[test]
fn facet_counts_equal_the_matching_rows() {
    let (index, docs) = corpus();
    let rows: Vec<&ParagraphRow> = docs.iter().flatten().collect();
    for q in ["", "protect", "veto OR prevention"] {
        let res = index
            .search(&SearchRequest {
                q: q.into(),
                limit: 1000,
                ..Default::default()
            })
            .expect("search");
        assert!(!res.facets_approximate, "{q}");
        assert_eq!(res.hits.len(), res.total, "{q}");
        let matching: Vec<&ParagraphRow> = res
            .hits
            .iter()
            .map(|h| *rows.iter().find(|r| r.id == h.row.id).expect("row"))
            .collect();
        let count =
            |f: &dyn Fn(&ParagraphRow) -> bool| matching.iter().filter(|r| f(r)).count() as u64;
        for fc in &res.facets["year"] {
            let y: i32 = fc.value.parse().expect("year");
            assert_eq!(
                fc.count,
                count(&|r| r.year == Some(y)),
                "{q}: year {}",
                fc.value
            );
        }
        let years: u64 = res.facets["year"].iter().map(|f| f.count).sum();
        assert_eq!(years, count(&|r| r.year.is_some()), "{q}");
        for fc in &res.facets["pillar"] {
            assert_eq!(
                fc.count,
                count(&|r| r.pillars.contains(&fc.value)),
                "{q}: pillar {}",
                fc.value
            );
        }
        for fc in &res.facets["language"] {
            assert_eq!(fc.count, count(&|r| r.language.as_str() == fc.value), "{q}");
        }
        // Most frequent first, ties by value.
        for list in res.facets.values() {
            assert!(list.windows(2).all(|w| w[0].count > w[1].count
                || (w[0].count == w[1].count && w[0].value < w[1].value)));
        }
    }
    let bare = index
        .search(&SearchRequest {
            q: "protect".into(),
            limit: 3,
            skip_facets: true,
            ..Default::default()
        })
        .expect("search");
    assert!(bare.facets.is_empty());
}

/// Words are all required (stemmed, stop words ignored), typed filters are required, and the
/// rows with some of the words follow the rows with all of them (issue #15).
#[test]
fn all_the_words_first_then_some_of_them() {
    let (index, docs) = corpus();
    let rows: Vec<&ParagraphRow> = docs.iter().flatten().collect();
    let holds = |r: &ParagraphRow, w: &str| r.text.to_lowercase().contains(w);

    // `regional accountability`: the total is the paragraphs holding both words, stemmed
    // ("regional" and "regions" stem to "region", "accountability" to "account").
    let both = rows
        .iter()
        .filter(|r| holds(r, "region") && holds(r, "account"))
        .count();
    let either = rows
        .iter()
        .filter(|r| holds(r, "region") || holds(r, "account"))
        .count();
    assert!((1..10).contains(&both) && either > 20, "{both} {either}");
    let res = search(&index, "regional accountability");
    assert_eq!(res.total, both);
    let (full, partial): (Vec<_>, Vec<_>) = res.hits.iter().partition(|h| h.all_words);
    assert_eq!(full.len(), both);
    assert!(
        full.iter()
            .all(|h| holds(&h.row, "region") && holds(&h.row, "account"))
    );
    // The page goes on with paragraphs holding one of the words, after the full matches.
    assert_eq!(res.hits.len(), 10);
    assert!(res.hits[..both].iter().all(|h| h.all_words));
    assert!(
        partial
            .iter()
            .all(|h| holds(&h.row, "region") != holds(&h.row, "account"))
    );
    assert!(res.partial_more);
    // The next page holds only partial matches, none repeated.
    let next = index
        .search(&SearchRequest {
            q: "regional accountability".into(),
            offset: 10,
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(next.total, both);
    assert_eq!(next.hits.len(), 10);
    assert!(next.hits.iter().all(|h| !h.all_words));
    let first: Vec<&str> = res.hits.iter().map(|h| h.row.id.as_str()).collect();
    assert!(
        next.hits
            .iter()
            .all(|h| !first.contains(&h.row.id.as_str()))
    );

    // Stop words are not required: the same total with and without them.
    assert_eq!(
        search(&index, "restraint on the veto").total,
        search(&index, "restraint veto").total
    );

    // A typed OR still means either.
    let either = rows
        .iter()
        .filter(|r| holds(r, "veto") || holds(r, "restraint"))
        .count();
    let res = search(&index, "veto OR restraint");
    assert_eq!(res.total, either);
    assert!(res.hits.iter().all(|h| h.all_words));
    assert!(!res.partial_more);

    // A typed filter is required: `pillar:III veto` is the Pillar III paragraphs on the veto.
    let pillar3_veto = rows
        .iter()
        .filter(|r| r.pillars.iter().any(|p| p == "III") && holds(r, "veto"))
        .count();
    let res = search(&index, "pillar:III veto");
    assert_eq!(res.total, pillar3_veto);
    assert!(pillar3_veto >= 1);
    assert!(
        res.hits
            .iter()
            .all(|h| h.row.pillars.iter().any(|p| p == "III"))
    );

    // No paragraph holds all the words: total 0, and the best partial matches still come.
    let res = search(&index, "veto restraint zanzibarite");
    assert_eq!(res.total, 0);
    assert!(!res.hits.is_empty());
    assert!(res.hits.iter().all(|h| !h.all_words));
    assert!(res.hits[0].row.text.to_lowercase().contains("veto"));
    // The facets describe the full matches: none here.
    assert!(res.facets.values().all(Vec::is_empty));
}

/// `skip_evidence` (what the search API asks) gives the same page with each row's evidence
/// left empty; the rows read whole have the tagger's evidence.
#[test]
fn hits_without_evidence_are_the_same_hits() {
    let docs = vec![
        undex_testkit::tagged_seed_rows("sg-r2p-report-2026.txt"),
        undex_testkit::tagged_seed_rows("sg-r2p-report-2025-A-79-875.txt"),
    ];
    let index = UndexIndex::in_memory().expect("in-memory index");
    index.replace_documents(&docs).expect("ingest");
    for q in ["prevention", "Security Council veto", ""] {
        let req = SearchRequest {
            q: q.into(),
            limit: 20,
            ..Default::default()
        };
        let whole = index.search(&req).expect("search");
        let bare = index
            .search(&SearchRequest {
                skip_evidence: true,
                ..req
            })
            .expect("search");
        assert!(
            whole.hits.iter().any(|h| !h.row.evidence.is_empty()),
            "{q:?}"
        );
        assert_eq!(bare.total, whole.total);
        assert_eq!(bare.facets, whole.facets);
        assert_eq!(bare.hits.len(), whole.hits.len());
        for (b, w) in bare.hits.iter().zip(&whole.hits) {
            assert!(b.row.evidence.is_empty());
            assert_eq!(
                (&b.snippet_html, b.score, b.all_words),
                (&w.snippet_html, w.score, w.all_words)
            );
            let mut row = w.row.clone();
            row.evidence.clear();
            assert_eq!(b.row, row);
        }
    }
}
