//! The language versions of one UN document on the real EN/FR and EN/RU pairs of
//! `../shared/corpus/pdf/ohchr_multilingual/`: alignment against the hand-checked gold of
//! `docs/align-gold/`, and the English tags carried to the other versions at ingest.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use undex_core::ParagraphRow;
use undex_core::align::{AlignMethod, align, same_document, score_pairs};

fn multilingual() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/pdf/ohchr_multilingual")
}

fn rows(file: &str) -> Vec<ParagraphRow> {
    let path = multilingual().join(file);
    let bytes = std::fs::read(&path).expect("shared PDF");
    let mut doc = undex_extract::extract(
        &bytes,
        &path.to_string_lossy(),
        &undex_extract::ExtractOptions::default(),
    )
    .expect("extract");
    undex_tag::tag_document(&mut doc);
    doc.rows()
}

fn gold(name: &str) -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/align-gold")
        .join(name);
    std::fs::read_to_string(path)
        .expect("gold")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("gold line");
            (
                v["a"].as_str().unwrap().to_string(),
                v["b"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(a: &[ParagraphRow], b: &[ParagraphRow]) -> Vec<(String, String)> {
    align(a, b).into_iter().map(|p| (p.a, p.b)).collect()
}

#[test]
fn language_versions_align_to_the_hand_checked_pairs() {
    for (en, other, gold_file, n) in [
        (
            "ohchr_2_en.pdf",
            "ohchr_2_fr.pdf",
            "A_HRC_WG.6_7_ITA_1.en-fr.jsonl",
            138,
        ),
        (
            "ohchr_1_en.pdf",
            "ohchr_1_ru.pdf",
            "A_HRC_WG.6_34_ITA_3.en-ru.jsonl",
            94,
        ),
    ] {
        let (a, b) = (rows(en), rows(other));
        assert!(
            same_document(&a[0], &b[0]),
            "{en} and {other} share a symbol"
        );
        let gold = gold(gold_file);
        assert_eq!(gold.len(), n);
        let (precision, recall) = score_pairs(&pairs(&a, &b), &gold);
        assert!(
            precision >= 0.98 && recall >= 0.98,
            "{gold_file}: P {precision} R {recall}"
        );
        // The masthead blocks of the English A/HRC/WG.6/7/ITA/1 (Distr., GENERAL, Original:
        // ENGLISH, the title) and the French sub-heading printed as a block stay unpaired.
        let paired: BTreeSet<String> = align(&a, &b).into_iter().map(|p| p.a).collect();
        assert!(
            a.iter()
                .filter(|r| r.number.is_none())
                .all(|r| !paired.contains(&r.id))
        );
    }
}

/// With the paragraph numbers taken away, the length aligner (Gale–Church) alone still pairs
/// nearly every paragraph of the real EN/FR and EN/RU versions with its counterpart.
#[test]
fn unnumbered_text_aligns_by_length() {
    for (en, other, gold_file) in [
        (
            "ohchr_2_en.pdf",
            "ohchr_2_fr.pdf",
            "A_HRC_WG.6_7_ITA_1.en-fr.jsonl",
        ),
        (
            "ohchr_1_en.pdf",
            "ohchr_1_ru.pdf",
            "A_HRC_WG.6_34_ITA_3.en-ru.jsonl",
        ),
    ] {
        let strip = |rows: Vec<ParagraphRow>| -> Vec<ParagraphRow> {
            rows.into_iter()
                .map(|mut r| {
                    r.number = None;
                    r
                })
                .collect()
        };
        let (a, b) = (strip(rows(en)), strip(rows(other)));
        let found = align(&a, &b);
        assert!(found.iter().all(|p| p.method == AlignMethod::Length));
        let found: Vec<(String, String)> = found.into_iter().map(|p| (p.a, p.b)).collect();
        let (precision, recall) = score_pairs(&found, &gold(gold_file));
        eprintln!("{gold_file} by length alone: P {precision:.3} R {recall:.3}");
        assert!(
            precision >= 0.98 && recall >= 0.98,
            "{gold_file}: P {precision} R {recall}"
        );
    }
}

/// Tags in every language: the French version of A/HRC/WG.6/7/ITA/1 is ingested first (no
/// English version yet: no tags), then the English one; the French paragraphs aligned to
/// tagged English ones now carry their tags, with evidence naming the English paragraph and
/// its words, in the index and in the JSONL that `reindex` reads.
#[test]
fn french_paragraphs_carry_the_english_tags_whatever_the_order_of_ingest() {
    use undex_library::{IngestOptions, Library};
    let dir = tempfile::tempdir().unwrap();
    let (index_dir, extracted) = (dir.path().join("index"), dir.path().join("extracted"));
    let library = Library::open(&index_dir).unwrap();
    let ingest = |file: &str| {
        let opts = IngestOptions::new(vec![multilingual().join(file)], extracted.clone());
        library.ingest(&opts, &|_| {}).unwrap()
    };
    let french = |library: &Library| library.index().document("A_HRC_WG.6_7_ITA_1.fr").unwrap();
    let summary = ingest("ohchr_2_fr.pdf");
    assert_eq!(summary.carried_documents, 0);
    let before = french(&library);
    assert_eq!(before.len(), 139);
    assert!(
        before
            .iter()
            .all(|r| r.pillars.is_empty() && !r.recommendation)
    );

    let summary = ingest("ohchr_2_en.pdf");
    assert_eq!(summary.carried_documents, 1, "{summary}");
    let english = library.index().document("A_HRC_WG.6_7_ITA_1.en").unwrap();
    let after = french(&library);
    let tagged_en: Vec<&ParagraphRow> = english
        .iter()
        .filter(|r| r.number.is_some() && (!r.pillars.is_empty() || !r.risk_factors.is_empty()))
        .collect();
    assert!(
        tagged_en.len() >= 20,
        "{} tagged English paragraphs",
        tagged_en.len()
    );
    for en in &tagged_en {
        let fr = after
            .iter()
            .find(|r| r.number == en.number && r.sub == en.sub)
            .expect("French counterpart");
        assert_eq!(fr.pillars, en.pillars, "{}", fr.id);
        assert_eq!(fr.risk_factors, en.risk_factors, "{}", fr.id);
        assert_eq!(fr.recommendation, en.recommendation, "{}", fr.id);
        assert_eq!(fr.addressees, en.addressees, "{}", fr.id);
        let carried: Vec<_> = fr
            .evidence
            .iter()
            .filter_map(|e| {
                undex_core::align::carried_from(&e.evidence.rule).map(|(id, _)| (id, e))
            })
            .collect();
        assert!(!carried.is_empty(), "{}", fr.id);
        for (id, e) in carried {
            assert_eq!(id, en.id);
            assert!(
                en.text.contains(&e.evidence.text),
                "{:?} in {}",
                e.evidence.text,
                en.id
            );
            assert_eq!(
                undex_core::align::carried_label(id),
                format!(
                    "from the English version, para. {}",
                    en.number.as_deref().unwrap()
                )
            );
        }
    }
    // The JSONL (what `undex reindex` reads) holds the same rows.
    let jsonl = std::fs::read_to_string(extracted.join("A_HRC_WG.6_7_ITA_1.fr.jsonl")).unwrap();
    let stored: Vec<ParagraphRow> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(stored, after);
    // Ingesting the English version again changes nothing in the French one.
    assert_eq!(ingest("ohchr_2_en.pdf").carried_documents, 0);
}

/// Both pairs in one batch: each version read after its English one is tagged before it is
/// written, and the end of the batch has nothing left to rewrite.
#[test]
fn one_batch_of_both_pairs_tags_the_french_and_russian_versions() {
    use undex_library::{IngestOptions, Library};
    let dir = tempfile::tempdir().unwrap();
    let library = Library::open(&dir.path().join("index")).unwrap();
    let opts = IngestOptions::new(vec![multilingual()], dir.path().join("extracted"));
    let summary = library.ingest(&opts, &|_| {}).unwrap();
    assert_eq!(
        (summary.documents, summary.carried_documents),
        (4, 2),
        "{summary}"
    );
    for (en, other) in [
        ("A_HRC_WG.6_7_ITA_1.en", "A_HRC_WG.6_7_ITA_1.fr"),
        ("A_HRC_WG.6_34_ITA_3.en", "A_HRC_WG.6_34_ITA_3.ru"),
    ] {
        // Every tagged English paragraph of these two has a counterpart (52 and 43 today).
        let tagged = library
            .index()
            .document(en)
            .unwrap()
            .iter()
            .filter(|r| {
                !r.pillars.is_empty()
                    || !r.risk_factors.is_empty()
                    || r.recommendation
                    || !r.addressees.is_empty()
            })
            .count();
        assert!(tagged > 20, "{en}: {tagged}");
        let rows = library.index().document(other).unwrap();
        let carried = rows
            .iter()
            .filter(|r| {
                r.evidence
                    .iter()
                    .any(|e| undex_core::align::carried_from(&e.evidence.rule).is_some())
            })
            .count();
        assert_eq!(carried, tagged, "{other}");
    }
}
