//! The former similarity store ([`SimilarityIndex`], MinHash LSH kept beside the index), on the
//! real 2025 and 2026 R2P reports. The store is superseded by query-time candidates
//! (`tests/similarity.rs`) and kept only while `undex ingest` writes it: delete this file with
//! `src/similarity_store.rs`.

mod common;

use undex_research::SimilarityIndex;

fn id_of(rows: &[undex_core::ParagraphRow], number: &str) -> String {
    let suffix = format!("~{number}");
    rows.iter()
        .find(|r| r.id.ends_with(&suffix) && r.kind == undex_core::UnitKind::Paragraph)
        .map(|r| r.id.clone())
        .unwrap_or_else(|| panic!("no paragraph {number}"))
}

#[test]
fn para_1_of_2026_comes_from_para_1_of_2025() {
    let (a, b) = (common::rows_2025(), common::rows_2026());
    let mut index = SimilarityIndex::new();
    index.add(&a);
    index.add(&b);
    assert_eq!(index.len(), a.len() + b.len());
    let p2026 = id_of(&b, "1");
    let p2025 = id_of(&a, "1");

    let earlier = index.similar_earlier(&p2026, 5).unwrap();
    assert_eq!(earlier.first().map(|m| m.0.as_str()), Some(p2025.as_str()));
    let best = earlier[0].1;
    assert!(best > 0.3 && best < 1.0, "score {best}");
    // Scores are sorted and the runner-up is clearly weaker.
    assert!(earlier.windows(2).all(|w| w[0].1 >= w[1].1));
    if let Some(second) = earlier.get(1) {
        assert!(second.1 < best / 2.0, "{earlier:?}");
    }
    // Every match of `similar_earlier` is in the 2025 document; `similar` also sees it.
    assert!(earlier.iter().all(|m| m.0.starts_with("A_79_875.en~")));
    let all = index.similar(&p2026, 3).unwrap();
    assert_eq!(all[0], earlier[0]);
    // Nothing in 2026 is earlier than 2025.
    let back = index.similar_earlier(&p2025, 3).unwrap();
    assert!(back.is_empty(), "{back:?}");
    assert_eq!(index.similar(&p2025, 1).unwrap()[0].0, p2026);

    // Chain back to the first appearance: 2026 para 1 → 2025 para 1.
    let chain = index.chain(&p2026, 0.3).unwrap();
    let ids: Vec<&str> = chain.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, [p2026.as_str(), p2025.as_str()]);
    assert_eq!(chain[1].date.as_deref(), Some("2025-04-22"));
    assert!(matches!(
        index.similar("nope", 1),
        Err(undex_research::ResearchError::UnknownId(_))
    ));
}

#[test]
fn incremental_add_equals_bulk_build() {
    let (a, b) = (common::rows_2025(), common::rows_2026());
    let mut both = a.clone();
    both.extend(b.iter().cloned());
    let bulk = SimilarityIndex::from_rows(&both);
    let mut inc = SimilarityIndex::new();
    inc.add(&b);
    inc.add(&a);
    inc.add(&a[..5]); // re-adding replaces, does not duplicate
    assert_eq!(inc.len(), bulk.len());
    for r in b.iter().take(20) {
        assert_eq!(
            inc.similar(&r.id, 3).unwrap(),
            bulk.similar(&r.id, 3).unwrap()
        );
    }
}

#[test]
fn store_round_trip_and_incremental_replace() {
    let (a, b) = (common::rows_2025(), common::rows_2026());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(undex_research::STORE_FILE);

    // Ingest 1: the 2025 report alone; ingest 2: the 2026 report, added incrementally to the
    // loaded store.
    let mut first = SimilarityIndex::new();
    first.replace_documents(std::slice::from_ref(&a));
    first.save(&path, 1).unwrap();
    let (mut loaded, stamp) = SimilarityIndex::load(&path).unwrap();
    assert_eq!((stamp, loaded.len()), (1, a.len()));
    loaded.replace_documents(std::slice::from_ref(&b));
    loaded.save(&path, 2).unwrap();
    let bytes_once = std::fs::read(&path).unwrap();

    let mut both = a.clone();
    both.extend(b.iter().cloned());
    let bulk = SimilarityIndex::from_rows(&both);
    let (reloaded, stamp) = SimilarityIndex::load(&path).unwrap();
    assert_eq!((stamp, reloaded.len()), (2, bulk.len()));
    for r in &b {
        assert_eq!(
            reloaded.similar(&r.id, 3).unwrap(),
            bulk.similar(&r.id, 3).unwrap(),
            "{}",
            r.id
        );
    }
    let p2026 = id_of(&b, "1");
    assert_eq!(
        reloaded.similar_earlier(&p2026, 1).unwrap()[0].0,
        id_of(&a, "1")
    );

    // Re-ingesting the 2026 report replaces its rows: same count, same store bytes.
    let (mut again, _) = SimilarityIndex::load(&path).unwrap();
    again.replace_documents(std::slice::from_ref(&b));
    assert_eq!(again.len(), bulk.len());
    again.save(&path, 2).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes_once,
        "saved output is deterministic"
    );

    // The same file under another document id (same sha256) replaces the old rows too.
    let renamed: Vec<_> = b
        .iter()
        .cloned()
        .map(|mut r| {
            r.id = r.id.replace(&r.doc_id, "renamed.en");
            r.doc_id = "renamed.en".to_string();
            r
        })
        .collect();
    assert_eq!(
        again.remove_replaced(std::slice::from_ref(&renamed)),
        b.len()
    );
    assert_eq!(again.len(), a.len());
    assert!(again.similar(&p2026, 1).is_err());
    assert!(again.similar(&id_of(&a, "1"), 3).unwrap().is_empty());
}

#[test]
fn damaged_store_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(undex_research::STORE_FILE);
    std::fs::write(&path, b"\x07not a store").unwrap();
    let err = SimilarityIndex::load(&path).unwrap_err().to_string();
    assert!(err.contains(undex_research::STORE_FILE), "{err}");
    let missing = SimilarityIndex::load(&dir.path().join("none")).unwrap_err();
    assert!(
        matches!(missing, undex_research::ResearchError::Io(ref e) if e.kind() == std::io::ErrorKind::NotFound)
    );
}
