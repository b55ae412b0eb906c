//! Near-duplicate language on the real 2025 and 2026 R2P reports.

mod common;

use undex_research::{DiffKind, SimilarityIndex, diff_words};

fn id_of(rows: &[undex_core::ParagraphRow], number: &str) -> String {
    rows.iter()
        .find(|r| r.number == number && r.kind == undex_core::UnitKind::Paragraph)
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
