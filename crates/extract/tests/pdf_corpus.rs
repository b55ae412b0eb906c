//! The PDF reader over the real UN PDFs of `/work/shared/corpus/pdf` (read-only, outside the
//! repository). `pdftotext` (Debian's poppler-utils) serves as an oracle for word recall when
//! it is installed; tests that need it say so and pass without it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use regex::Regex;
use undex_extract::ExtractError;
use undex_extract::blocks::{BlockDocument, BlockRole};
use undex_extract::pdf::{PdfOptions, read_pdf};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/pdf");

/// Files without a usable text layer (checked by their own tests).
const DAMAGED: &str = "hrc_upr_slovenia/g0917123.pdf";
const IMAGE_ONLY: &str = "un_ods_samples/A_47_843-EN.pdf";

fn path(rel: &str) -> PathBuf {
    Path::new(CORPUS).join(rel)
}

fn read(rel: &str) -> Result<BlockDocument, ExtractError> {
    let bytes = std::fs::read(path(rel)).unwrap_or_else(|e| panic!("corpus file {rel}: {e}"));
    read_pdf(&bytes, &PdfOptions::default())
}

fn all_pdfs() -> Vec<String> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(CORPUS).expect("corpus dir") {
        let dir = dir.expect("entry").path();
        for f in std::fs::read_dir(&dir).expect("corpus subdir") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|e| e == "pdf") {
                let rel = f.strip_prefix(CORPUS).expect("prefix");
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// Every text-layer PDF of the corpus, read once.
fn text_layer_docs() -> &'static Vec<(String, BlockDocument)> {
    static DOCS: OnceLock<Vec<(String, BlockDocument)>> = OnceLock::new();
    DOCS.get_or_init(|| {
        all_pdfs()
            .into_iter()
            .filter(|f| f != DAMAGED && f != IMAGE_ONLY)
            .map(|f| {
                let doc = read(&f).unwrap_or_else(|e| panic!("{f}: {e}"));
                (f, doc)
            })
            .collect()
    })
}

fn text_of(doc: &BlockDocument, roles: &[BlockRole]) -> Vec<String> {
    doc.blocks
        .iter()
        .filter(|b| roles.contains(&b.role))
        .map(|b| b.text.clone())
        .collect()
}

const CONTENT: [BlockRole; 2] = [BlockRole::Body, BlockRole::Heading];

#[test]
fn every_text_layer_pdf_reads_with_all_pages_and_roles() {
    let docs = text_layer_docs();
    assert_eq!(
        docs.len(),
        all_pdfs().len() - 2,
        "two files have no text layer"
    );
    for (f, doc) in docs {
        assert!(doc.pages >= 1, "{f}: pages");
        let last = doc.blocks.iter().map(|b| b.page).max().unwrap_or(0);
        assert!(
            last <= doc.pages,
            "{f}: block on page {last} of {}",
            doc.pages
        );
        assert!(
            doc.blocks.iter().any(|b| b.role == BlockRole::Body),
            "{f}: no body block"
        );
        assert!(
            doc.blocks.iter().any(|b| b.role == BlockRole::Masthead),
            "{f}: no masthead on page 1"
        );
        for b in &doc.blocks {
            assert!(!b.text.is_empty(), "{f}: empty block");
            assert!(!b.text.contains("  "), "{f}: double space in {:?}", b.text);
            assert!(!b.text.contains('\u{fffd}'), "{f}: replacement char");
            assert!(
                !b.text.contains(['ﬁ', 'ﬂ', '\u{ad}']),
                "{f}: ligature or soft hyphen"
            );
        }
    }
}

#[test]
fn no_job_numbers_page_numbers_or_running_headers_in_body_text() {
    let job = Regex::new(r"(^|\s)([A-Z]{1,2}\.)?\d{2}-\d{5}(\s|\(|$)").expect("regex");
    // ("Page 4" alone can be content: a corrigendum names the page it corrects.)
    let page_line = Regex::new(r"^(\d{1,4}\s*/\s*\d{1,4}|\d{1,4})$").expect("regex");
    let symbol_line =
        Regex::new(r"^[A-Z]{1,5}/[A-Z0-9./ -]*\d[A-Z0-9./ -]*\*{0,3}$").expect("regex");
    for (f, doc) in text_layer_docs() {
        // The document's own symbol (page-1 masthead): its running header must not be body text.
        let furniture: Vec<&str> = doc
            .blocks
            .iter()
            .filter(|b| b.role == BlockRole::Furniture)
            .map(|b| b.text.as_str())
            .collect();
        assert!(!furniture.is_empty(), "{f}: no furniture found");
        for b in doc.blocks.iter().filter(|b| CONTENT.contains(&b.role)) {
            assert!(
                !job.is_match(&b.text),
                "{f} p{}: job number in {:?}",
                b.page,
                b.text
            );
            assert!(
                !page_line.is_match(&b.text),
                "{f} p{}: page number {:?}",
                b.page,
                b.text
            );
            if b.page > 1 {
                assert!(
                    !symbol_line.is_match(&b.text),
                    "{f} p{}: running header {:?}",
                    b.page,
                    b.text
                );
            }
            assert!(!b.text.contains("Please recycle"), "{f}: recycle notice");
        }
    }
}

#[test]
fn footnotes_are_separate_numbered_blocks_not_inside_paragraphs() {
    let mut with_footnotes = 0;
    for (f, doc) in text_layer_docs() {
        let body = text_of(doc, &CONTENT).join("\n");
        let notes: Vec<_> = doc
            .blocks
            .iter()
            .filter(|b| b.role == BlockRole::Footnote)
            .collect();
        if !notes.is_empty() {
            with_footnotes += 1;
        }
        for n in notes {
            // Numbered footnotes, "*" notes, and table notes marked with a letter ("a Authorized …").
            let first = n.text.chars().next().unwrap_or(' ');
            let table_note = first.is_ascii_lowercase() && n.text.chars().nth(1) == Some(' ');
            assert!(
                "⁰¹²³⁴⁵⁶⁷⁸⁹*".contains(first) || table_note,
                "{f} p{}: footnote does not start with its marker: {:?}",
                n.page,
                n.text
            );
            // The footnote's words never run into body text.
            let words: Vec<&str> = n.text.split_whitespace().skip(1).take(8).collect();
            if words.len() == 8 {
                let probe = words.join(" ");
                assert!(
                    !body.contains(&probe),
                    "{f} p{}: footnote text inside body: {probe:?}",
                    n.page
                );
            }
        }
    }
    assert!(
        with_footnotes >= 8,
        "only {with_footnotes} documents with footnotes"
    );
}

#[test]
fn footnote_markers_become_superscripts_glued_to_words() {
    let doc = read("un_ods_samples/S_2025_257-EN.pdf").expect("S/2025/257");
    let body = text_of(&doc, &[BlockRole::Body]).join("\n");
    assert!(body.contains("14 April 2025.¹"), "marker after the period");
    let note = doc
        .blocks
        .iter()
        .find(|b| b.role == BlockRole::Footnote)
        .expect("a footnote");
    assert_eq!(note.page, 1);
    assert!(
        note.text
            .starts_with("¹ For previous reports, see S/2018/451")
    );
    assert!(
        note.text.ends_with("S/2024/352 and S/2024/858."),
        "{:?}",
        note.text
    );
    assert!(note.font_size < 9.5, "footnotes are smaller type");

    // A UPR summary with 100+ endnote markers: each raised number is glued to its word.
    let doc = read("hrc_upr_slovenia/g2420410.pdf").expect("A/HRC/WG.6/48/SVN/3");
    let body = text_of(&doc, &[BlockRole::Body]).join("\n");
    assert!(body.contains("outcome of the previous review.¹ It is a summary"));
    assert!(body.contains("submissions² for the"));
    let glued = Regex::new(r"[\p{L}.,;)][¹²³⁴⁵⁶⁷⁸⁹⁰]+").expect("regex");
    assert!(glued.find_iter(&body).count() > 100);
    // Markers are not left as plain digits glued to words ("review.1").
    assert!(!body.contains("review.1 It"));
}

#[test]
fn footnote_numbers_increase_through_a_long_document() {
    let doc = read("hrc_upr_slovenia/g2110341.pdf").expect("A/HRC/43/2");
    let nums: Vec<u32> = doc
        .blocks
        .iter()
        .filter(|b| b.role == BlockRole::Footnote)
        .filter_map(|b| {
            let digits: String = b
                .text
                .chars()
                .take_while(|c| "⁰¹²³⁴⁵⁶⁷⁸⁹".contains(*c))
                .map(|c| {
                    let i = "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|s| s == c).unwrap_or(0);
                    char::from(b'0' + i as u8)
                })
                .collect();
            digits.parse().ok()
        })
        .collect();
    assert!(nums.len() >= 5, "footnotes found: {nums:?}");
    assert!(
        nums.windows(2).all(|w| w[1] > w[0]),
        "not increasing: {nums:?}"
    );
}

#[test]
fn current_layout_masthead_headings_and_paragraphs() {
    let doc = read("un_ods_samples/S_2025_317-EN.pdf").expect("S/2025/317");
    let mast = text_of(&doc, &[BlockRole::Masthead]).join(" | ");
    for want in [
        "S/2025/317",
        "Distr.: General",
        "27 May 2025",
        "Original: English",
        "Children and armed conflict in South Sudan",
        "Report of the Secretary-General",
    ] {
        assert!(mast.contains(want), "masthead lacks {want:?}: {mast}");
    }
    assert!(
        doc.blocks
            .iter()
            .all(|b| b.role != BlockRole::Masthead || b.page == 1)
    );
    let headings = text_of(&doc, &[BlockRole::Heading]);
    assert!(headings.iter().any(|h| h == "Summary"), "{headings:?}");
    assert!(
        headings.iter().any(|h| h == "I. Introduction"),
        "{headings:?}"
    );
    assert!(
        headings
            .iter()
            .any(|h| h == "II. Overview of the political, military and security situation")
    );
    let body = text_of(&doc, &[BlockRole::Body]);
    let p1 = body
        .iter()
        .find(|t| t.starts_with("1. "))
        .expect("paragraph 1");
    assert!(p1.ends_with("abduction of children."), "{p1}");
    // Line-end hyphens: real compounds keep their hyphen.
    let all = body.join("\n");
    assert!(all.contains("some conflict-affected areas"));
    assert!(all.contains("cattle-related incidents"));
    // Every numbered paragraph starts its own block.
    let numbered = body
        .iter()
        .filter(|t| Regex::new(r"^\d{1,3}\. ").expect("regex").is_match(t))
        .count();
    assert!(numbered >= 40, "{numbered} numbered paragraphs");
}

#[test]
fn pre_2010_layout_all_caps_headings_and_same_size_footnote() {
    let doc = read("hrc_upr_wg_reports/algeria2008.pdf").expect("A/HRC/8/29");
    let headings = text_of(&doc, &[BlockRole::Heading]);
    assert!(
        headings
            .iter()
            .any(|h| h == "I. SUMMARY OF THE PROCEEDINGS OF THE REVIEW PROCESS")
    );
    assert!(
        headings
            .iter()
            .any(|h| h == "A. Presentation by the State under review")
    );
    let mast = text_of(&doc, &[BlockRole::Masthead]).join(" | ");
    assert!(
        mast.contains("A/HRC/8/29") && mast.contains("Algeria*"),
        "{mast}"
    );
    let note = doc
        .blocks
        .iter()
        .find(|b| b.role == BlockRole::Footnote)
        .expect("page-1 footnote");
    assert!(
        note.text
            .starts_with("* Previously issued under the symbol")
    );
    // Recommendations 69.x are paragraphs of their own.
    let body = text_of(&doc, &[BlockRole::Body]);
    assert!(body.iter().any(|t| t.starts_with("69. ")));
    assert!(
        body.iter()
            .any(|t| t.starts_with("2. ") || t.starts_with("(a) "))
    );
    // Running header "A/HRC/8/29" / "Page 5" is furniture.
    let furn = text_of(&doc, &[BlockRole::Furniture]);
    assert!(furn.iter().any(|t| t == "Page 5"));
}

#[test]
fn typewriter_era_and_ocr_layer_documents() {
    let doc = read("un_ods_samples/S_1996_112-EN.pdf").expect("S/1996/112");
    let mast = text_of(&doc, &[BlockRole::Masthead]).join(" | ");
    assert!(mast.contains("UNITED"), "{mast}");
    assert!(
        !mast.contains("UNITEDUNITED"),
        "double-struck text kept once: {mast}"
    );
    let headings = text_of(&doc, &[BlockRole::Heading]);
    assert!(
        headings.iter().any(|h| h == "I. INTRODUCTION"),
        "{headings:?}"
    );

    let doc = read("un_ods_samples/A_49_230-EN.pdf").expect("A/49/230");
    let body = text_of(&doc, &[BlockRole::Body]).join("\n");
    assert!(body.contains("I have the honour to transmit"));
    let notes = text_of(&doc, &[BlockRole::Footnote]);
    assert_eq!(notes, vec!["* A/49/50/Rev.1.".to_string()]);

    // Two-column 1959 summary record: columns are read one after the other.
    let doc = read("un_ods_samples/A_C.4_SR.985-FR.pdf").expect("A/C.4/SR.985");
    let body = text_of(&doc, &[BlockRole::Body]);
    assert!(
        body.iter()
            .any(|t| t.starts_with("4. M. CARPIO (Philippines)")),
        "{body:?}"
    );
}

#[test]
fn french_and_russian_read_cleanly() {
    let doc = read("ohchr_multilingual/ohchr_2_fr.pdf").expect("French");
    let body = text_of(&doc, &CONTENT).join("\n");
    assert!(body.contains("droits de l’homme"));
    assert!(body.contains("L’Italie condamne le terrorisme sous toutes ses formes"));
    let mast = text_of(&doc, &[BlockRole::Masthead]).join(" | ");
    assert!(mast.contains("16 novembre 2009"), "{mast}");

    let doc = read("ohchr_multilingual/ohchr_1_ru.pdf").expect("Russian");
    let body = text_of(&doc, &CONTENT).join("\n");
    let letters: Vec<char> = body.chars().filter(|c| c.is_alphabetic()).collect();
    let cyrillic = letters
        .iter()
        .filter(|c| ('\u{400}'..='\u{4ff}').contains(*c))
        .count();
    // Endnotes cite English-language sources, so not every letter is Cyrillic.
    assert!(
        cyrillic * 10 > letters.len() * 7,
        "{cyrillic} of {}",
        letters.len()
    );
    assert!(
        !body.contains(['Ð', 'Ñ']),
        "mojibake (UTF-8 read as Latin-1)"
    );
    assert!(body.contains("Италия"));
    let mast = text_of(&doc, &[BlockRole::Masthead]).join(" | ");
    assert!(mast.contains("Совет по правам человека"), "{mast}");
    let notes = text_of(&doc, &[BlockRole::Footnote]);
    assert!(
        notes.iter().any(|n| n.starts_with("* Настоящий документ")),
        "{notes:?}"
    );
}

#[test]
fn damaged_pdf_is_reported_not_panicking() {
    match read(DAMAGED) {
        Err(ExtractError::DamagedPdf(reason)) => {
            assert!(
                reason.contains("page") || reason.contains("xref"),
                "{reason}"
            );
        }
        other => panic!("expected DamagedPdf, got {other:?}"),
    }
    let bytes = std::fs::read(path(DAMAGED)).expect("file");
    for cut in [0, 5, 100, bytes.len() / 2] {
        let res = read_pdf(&bytes[..cut], &PdfOptions::default());
        assert!(
            matches!(&res, Err(e) if e.code() == "damaged_pdf"),
            "cut {cut}: {res:?}"
        );
    }
    let good = std::fs::read(path("un_ods_samples/S_2025_257-EN.pdf")).expect("file");
    let res = read_pdf(&good[..good.len() / 3], &PdfOptions::default());
    assert!(res.is_err() || res.is_ok_and(|d| !d.blocks.is_empty()));
}

#[test]
fn image_only_scan_needs_ocr_with_a_hint() {
    match read(IMAGE_ONLY) {
        Err(ExtractError::NeedsOcr { pages, hint }) => {
            assert_eq!(pages, 2);
            assert!(
                hint.contains("--ocr") && hint.contains("tesseract-ocr"),
                "{hint}"
            );
            assert!(hint.contains("poppler-utils"), "{hint}");
        }
        other => panic!("expected NeedsOcr, got {other:?}"),
    }
}

fn have(tool: &str, arg: &str) -> bool {
    Command::new(tool).arg(arg).output().is_ok()
}

#[test]
fn ocr_reads_the_image_only_scan_when_tools_are_installed() {
    if !(have("tesseract", "--version") && have("pdftoppm", "-v")) {
        eprintln!("tesseract or pdftoppm not installed: OCR path not exercised");
        return;
    }
    let bytes = std::fs::read(path(IMAGE_ONLY)).expect("file");
    let doc = read_pdf(&bytes, &PdfOptions { ocr: true }).expect("OCR");
    assert_eq!(doc.pages, 2);
    let text = text_of(&doc, &CONTENT).join("\n");
    assert!(text.contains("Palestine"), "{text}");
    assert!(text.contains("Security Council"));
    assert!(doc.blocks.iter().any(|b| b.page == 2));
    assert!(doc.blocks.iter().any(|b| b.role == BlockRole::Furniture));
}

/// Words of a text, lower-cased, letters only, with counts.
fn words(text: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for w in text.split(|c: char| !c.is_alphabetic()) {
        if w.chars().count() >= 3 {
            *m.entry(w.to_lowercase()).or_insert(0) += 1;
        }
    }
    m
}

#[test]
fn word_recall_against_pdftotext() {
    if !have("pdftotext", "-v") {
        eprintln!("pdftotext not installed: oracle comparison skipped");
        return;
    }
    let mut worst = (1.0f64, String::new());
    for (f, doc) in text_layer_docs() {
        let out = Command::new("pdftotext")
            .arg(path(f))
            .arg("-")
            .output()
            .expect("pdftotext");
        let oracle = words(&String::from_utf8_lossy(&out.stdout));
        let ours_text: Vec<String> = doc.blocks.iter().map(|b| b.text.clone()).collect();
        let ours = words(&ours_text.join("\n"));
        let total: usize = oracle.values().sum();
        let found: usize = oracle
            .iter()
            .map(|(w, n)| (*n).min(ours.get(w).copied().unwrap_or(0)))
            .sum();
        let recall = found as f64 / total.max(1) as f64;
        if recall < worst.0 {
            worst = (recall, f.clone());
        }
        assert!(
            recall > 0.98,
            "{f}: word recall {recall:.3} against pdftotext"
        );
    }
    eprintln!(
        "lowest word recall against pdftotext: {:.3} ({})",
        worst.0, worst.1
    );
}
