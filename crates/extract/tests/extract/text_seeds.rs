//! The text path on the R2P report texts in `shared/seeds` and the development labels.

use undex_core::{Document, Language, UnitKind};
use undex_extract::{ExtractOptions, eval, extract};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/");
const GOLD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/eval-dev/gold-2026.jsonl"
);

fn read_seed(name: &str) -> Document {
    let path = format!("{SEEDS}{name}");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    extract(&bytes, &path, &ExtractOptions::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The units printed with a number: (number, sub-paragraph, kind).
fn numbered(doc: &Document) -> Vec<(String, Option<String>, UnitKind)> {
    doc.paragraphs
        .iter()
        .filter_map(|p| Some((p.number.clone()?, p.sub.clone(), p.kind)))
        .collect()
}

/// The paragraph printed with number `n`.
fn printed<'a>(doc: &'a Document, n: &str) -> &'a undex_core::Paragraph {
    doc.paragraphs
        .iter()
        .find(|p| p.number.as_deref() == Some(n) && p.sub.is_none())
        .unwrap_or_else(|| panic!("paragraph {n}"))
}

#[test]
fn report_2026_has_paragraphs_1_to_50_with_sub_paragraphs() {
    let doc = read_seed("sg-r2p-report-2026.txt");
    let units = numbered(&doc);
    let tops: Vec<u32> = units
        .iter()
        .filter(|(_, sub, _)| sub.is_none())
        .map(|(n, _, _)| n.parse().unwrap())
        .collect();
    assert_eq!(tops, (1..=50).collect::<Vec<u32>>());
    // The numbers are those printed: 1–50 and nothing else. The summary and the other
    // unnumbered blocks have no number (null in JSON), only their ordinal in the id.
    for p in &doc.paragraphs {
        match p.kind {
            UnitKind::Block => {
                assert_eq!(p.number, None, "{}", p.id);
                assert!(p.id.contains("~b"), "{}", p.id);
            }
            _ => assert!(
                p.number
                    .as_deref()
                    .and_then(|n| n.parse::<u32>().ok())
                    .is_some_and(|n| (1..=50).contains(&n)),
                "{}: {:?}",
                p.id,
                p.number
            ),
        }
    }
    assert!(
        doc.paragraphs.iter().any(|p| p.kind == UnitKind::Block),
        "the summary is kept as unnumbered blocks"
    );
    let subs: Vec<String> = units
        .iter()
        .filter_map(|(n, sub, _)| sub.as_ref().map(|s| format!("{n}({s})")))
        .collect();
    assert_eq!(
        subs,
        [
            "4(a)", "4(b)", "4(c)", "4(d)", "4(e)", "16(a)", "16(b)", "21(a)", "21(b)", "21(c)",
            "21(d)", "21(e)"
        ]
    );
    for chapeau in ["4", "16", "21"] {
        let p = printed(&doc, chapeau);
        assert_eq!(p.kind, UnitKind::Chapeau, "para {chapeau}");
        assert!(
            p.text.ends_with(':'),
            "chapeau {chapeau} holds only the lead-in"
        );
    }
}

#[test]
fn report_2026_paragraph_6_is_joined_across_the_footnote_block() {
    let doc = read_seed("sg-r2p-report-2026.txt");
    let p6 = printed(&doc, "6");
    assert!(
        p6.text.ends_with("livelihoods for much of the population."),
        "{}",
        p6.text
    );
    assert_eq!(p6.footnote_refs, [13, 14, 15, 16]);
    assert!(
        p6.footnotes[0].text.contains("204-million"),
        "{:?}",
        p6.footnotes[0]
    );
    // No footnote text or marker leaks into any paragraph.
    for p in &doc.paragraphs {
        assert!(!p.text.contains("See <http"), "{}", p.id);
        assert!(
            !p.text.chars().any(|c| "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(c)),
            "{}",
            p.id
        );
    }
}

#[test]
fn report_2026_metadata_from_the_masthead() {
    let m = read_seed("sg-r2p-report-2026.txt").meta;
    assert_eq!(m.date.as_deref(), Some("2026-04-23"));
    assert_eq!(m.ga_session, Some(80));
    assert_eq!(m.sc_year, Some(2026));
    assert_eq!(m.agenda_items, ["13", "117", "131"]);
    assert_eq!(
        m.title.as_deref(),
        Some(
            "Sustained implementation of the responsibility to protect at the national, regional and multilateral levels"
        )
    );
    assert_eq!(m.author.as_deref(), Some("Secretary-General"));
    assert_eq!(m.doc_type.as_deref(), Some("report"));
    assert!(m.symbols.is_empty());
    assert!(
        m.id.starts_with("sha-") && m.id.ends_with(".en"),
        "{}",
        m.id
    );
    assert_eq!(m.language, Language::En);
    assert_eq!(m.bodies, ["General Assembly", "Security Council"]);
}

#[test]
fn report_2026_scores_on_the_development_labels() {
    let doc = read_seed("sg-r2p-report-2026.txt");
    let gold = eval::load_gold(&std::fs::read_to_string(GOLD).unwrap()).unwrap();
    assert_eq!(gold.len(), 62);
    let score = eval::score_extraction(&gold, &doc.rows());
    println!("{score}");
    assert!((score.recall() - 1.0).abs() < f64::EPSILON, "{score}");
    assert!(score.exact_rate() >= 0.99, "{score}");
    assert!(
        score.refs_precision() >= 0.99 && score.refs_recall() >= 0.99,
        "{score}"
    );
}

#[test]
fn report_2025_markdown_reads_its_80_paragraphs_in_order() {
    let doc = read_seed("sg-r2p-report-2025-A-79-875.txt");
    let tops: Vec<u32> = doc
        .paragraphs
        .iter()
        .filter(|p| p.kind == UnitKind::Paragraph || p.kind == UnitKind::Chapeau)
        .map(|p| p.number.as_deref().unwrap().parse().unwrap())
        .collect();
    assert_eq!(tops, (1..=80).collect::<Vec<u32>>());
    let m = &doc.meta;
    assert_eq!(m.symbol_display().as_deref(), Some("A/79/875-S/2025/248"));
    assert_eq!(m.id, "A_79_875.en");
    assert_eq!(m.job_number.as_deref(), Some("25-06353"));
    assert_eq!(m.date.as_deref(), Some("2025-04-22"));
    assert_eq!(m.ga_session, Some(79));
    assert_eq!(m.sc_year, Some(2025));
    assert_eq!(m.agenda_items, ["13", "118", "132"]);
    assert_eq!(
        m.title.as_deref(),
        Some(
            "Responsibility to protect: 20 years of commitment to principled and collective action"
        )
    );
    // Page footers ("25-06353 5/17") set pages and never reach the text.
    let p22 = printed(&doc, "22");
    assert_eq!(p22.page, 6);
    for p in &doc.paragraphs {
        assert!(!p.text.contains("25-06353"), "{}", p.id);
        assert!(!p.text.contains("<sup>"), "{}", p.id);
    }
    // Paragraph 39 continues after the footnotes of page 9.
    let p39 = printed(&doc, "39");
    assert!(
        p39.text
            .contains("Supporting national human rights institutions")
    );
}

#[test]
fn ngo_summaries_have_no_paragraph_numbers() {
    for name in [
        "gcr2p-summary-of-2017-report.txt",
        "gcr2p-summary-of-2024-report.txt",
        "gcr2p-summary-of-2026-report.txt",
    ] {
        let doc = read_seed(name);
        assert!(doc.paragraphs.len() > 5, "{name}");
        assert!(
            doc.paragraphs.iter().all(|p| p.kind == UnitKind::Block),
            "{name}"
        );
        // No number is printed, so none is given: the citation names the page, not "para. 1".
        for row in doc.rows() {
            assert_eq!(row.number, None, "{name}: {}", row.id);
            assert!(!row.citation.contains("para."), "{name}: {}", row.citation);
        }
        let ids: std::collections::BTreeSet<_> = doc.paragraphs.iter().map(|p| &p.id).collect();
        assert_eq!(ids.len(), doc.paragraphs.len(), "{name}: ids unique");
    }
}

#[test]
fn report_2025_bare_digit_markers_become_footnote_references() {
    // The Markdown conversion of A/79/875 prints some markers as plain digits:
    // "World Summit Outcome, 1 world leaders", "peacekeeping, 112 the establishment".
    let doc = read_seed("sg-r2p-report-2025-A-79-875.txt");
    let para = |n: &str| {
        doc.paragraphs
            .iter()
            .find(|p| p.number.as_deref() == Some(n) && p.kind == UnitKind::Paragraph)
            .unwrap_or_else(|| panic!("paragraph {n}"))
    };
    assert_eq!(para("1").footnote_refs, [1]);
    assert!(para("1").text.contains("Outcome, world leaders affirmed"));
    // References and quantities stay text.
    assert!(
        para("1")
            .text
            .contains("paragraphs 138 and 139 of the 2005 World Summit")
    );
    assert_eq!(para("63").footnote_refs, [112, 113]);
    assert_eq!(para("64").footnote_refs, (114..=121).collect::<Vec<u32>>());
    assert_eq!(para("33").footnote_refs, [44, 45, 46]);
    // Every attached footnote is one the paragraph references, and nearly every reference
    // finds its footnote (a few footnote lines are mangled beyond reading by the converter).
    let (mut refs, mut attached) = (0, 0);
    for p in &doc.paragraphs {
        for f in &p.footnotes {
            assert!(
                p.footnote_refs.contains(&f.marker),
                "{}: {}",
                p.id,
                f.marker
            );
        }
        refs += p.footnote_refs.len();
        attached += p.footnotes.len();
    }
    assert!(
        attached * 100 >= refs * 95,
        "{attached} of {refs} references attached"
    );
}

/// `text` with Markdown marks and line breaks taken out, words single-spaced.
fn plain_words(text: &str) -> String {
    text.replace(['#', '*', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn ngo_summaries_are_marked_not_un_documents_and_cited_by_author_and_title() {
    // The Global Centre's summaries were indexed like UN reports and cited by file name
    // ("gcr2p-summary-of-2026-report.txt, p. 1").
    for name in [
        "gcr2p-summary-of-2017-report.txt",
        "gcr2p-summary-of-2024-report.txt",
        "gcr2p-summary-of-2026-report.txt",
    ] {
        let doc = read_seed(name);
        let source = std::fs::read_to_string(format!("{SEEDS}{name}")).expect("read");
        let meta = &doc.meta;
        assert!(!meta.is_un_document(), "{name}: {:?}", meta.doc_type);
        assert!(
            undex_core::is_non_un_type(meta.doc_type.as_deref()),
            "{name}: {:?}",
            meta.doc_type
        );
        // The organisation that speaks in the text is its author.
        let author = meta.author.as_deref().expect("author");
        assert!(
            plain_words(&source).contains(&format!("The {author} ")),
            "{name}: {author}"
        );
        assert!(author.contains("Global Centre"), "{name}: {author}");
        // The title is the text's first line, or its first words.
        let title = meta.title.as_deref().expect("a title");
        let words = plain_words(&source).replace("- ", "-");
        assert!(
            words.starts_with(title.trim_end_matches(" …")),
            "{name}: {title:?} is not how the text starts"
        );
        for row in doc.rows() {
            assert!(!row.is_un_document());
            assert!(
                !row.citation.contains("gcr2p") && !row.citation.contains(".txt"),
                "{name}: {}",
                row.citation
            );
            assert!(
                row.citation.starts_with(&format!("{author}, \"{title}\"")),
                "{name}: {}",
                row.citation
            );
        }
    }
    // The Secretary-General's reports, even without a symbol in the text (2026), stay UN
    // documents.
    for name in ["sg-r2p-report-2026.txt", "sg-r2p-report-2025-A-79-875.txt"] {
        let doc = read_seed(name);
        assert!(doc.meta.is_un_document(), "{name}: {:?}", doc.meta.doc_type);
    }
}

#[test]
fn un_working_papers_without_a_masthead_are_not_marked_non_un() {
    // OHCHR's advance questions and thematic list of recommendations print no symbol and no
    // masthead, and no organisation speaks in them: nothing says they are not UN documents.
    let dir = format!("{SEEDS}../corpus/word/ohchr_upr_slovenia/");
    for name in [
        "UPR-wg48-Advance-Questions-Slovenia.docx",
        "UPR20__Slovenia_ThematicListRecommendations_E.docx",
        "AdvancedQuestionsSlovenia.doc",
    ] {
        let path = format!("{dir}{name}");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let doc = extract(&bytes, &path, &ExtractOptions::default()).expect("read");
        assert!(doc.meta.symbols.is_empty(), "{name}");
        assert!(doc.meta.is_un_document(), "{name}: {:?}", doc.meta.doc_type);
    }
}
