//! Paragraph numbering on every text-layer PDF of `shared/corpus` and on the DOCX files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use undex_core::{Document, Language, UnitKind};
use undex_extract::{ExtractError, ExtractOptions, extract};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/");

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(format!("{CORPUS}{dir}"))];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> Result<Document, ExtractError> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    extract(&bytes, &path.to_string_lossy(), &ExtractOptions::default())
}

/// Problems in the top-level numbering of a document: per annex, numbers must run 1, 2, 3…
/// (a document may start above 1 when its first paragraphs are lost to a scan, so only
/// gaps and repeats count).
fn numbering_problems(doc: &Document) -> Vec<String> {
    let mut last: BTreeMap<Option<String>, u32> = BTreeMap::new();
    let mut problems = Vec::new();
    for p in &doc.paragraphs {
        let top = matches!(
            p.kind,
            UnitKind::Paragraph | UnitKind::Chapeau | UnitKind::Operative
        );
        if !top {
            continue;
        }
        let Some(Ok(n)) = p.number.as_deref().map(str::parse::<u32>) else {
            problems.push(format!("{}: number {:?}", p.id, p.number));
            continue;
        };
        let prev = last.insert(p.annex.clone(), n);
        if let Some(prev) = prev
            && n != prev + 1
        {
            problems.push(format!("{}: {} after {}", p.id, n, prev));
        }
    }
    problems
}

/// Documents whose printed numbering has gaps, with the reason.
const GAPS_AS_PRINTED: [(&str, &str); 2] = [
    (
        "g1012465.pdf",
        "A/HRC/14/15/Add.1 answers recommendations under their own numbers (4, 10, 11, …)",
    ),
    (
        "A_C.4_SR.985-FR.pdf",
        "1959 typescript with an OCR layer: paragraph 2's number is not in the text layer",
    ),
];

/// "…~10: 10 after 4" → true when the number rose.
fn increasing(problem: &str) -> bool {
    let tail = problem.rsplit(": ").next().unwrap_or_default();
    let mut parts = tail.split(" after ");
    match (
        parts.next().and_then(|n| n.parse::<u32>().ok()),
        parts.next().and_then(|n| n.parse::<u32>().ok()),
    ) {
        (Some(n), Some(prev)) => n > prev,
        _ => false,
    }
}

fn numbered(doc: &Document) -> Vec<(Option<String>, Option<String>, Option<String>)> {
    doc.paragraphs
        .iter()
        .filter(|p| p.kind != UnitKind::Block && p.kind != UnitKind::SpeakerTurn)
        .map(|p| (p.annex.clone(), p.number.clone(), p.sub.clone()))
        .collect()
}

/// Units whose `number` is not the number as printed: an unnumbered kind (block, preambular
/// paragraph, speaker turn) must have none and be located by its ordinal; every other kind must
/// carry a printed number ("12", "124.1") and no ordinal.
fn invented_numbers(doc: &Document) -> Vec<String> {
    doc.paragraphs
        .iter()
        .filter(|p| {
            let unnumbered = matches!(
                p.kind,
                UnitKind::Block | UnitKind::Preambular | UnitKind::SpeakerTurn
            );
            let printed = p.number.as_deref().is_some_and(|n| {
                n.starts_with(|c: char| c.is_ascii_digit())
                    && n.chars().all(|c| c.is_ascii_digit() || c == '.')
            });
            if unnumbered {
                p.number.is_some() || p.ordinal.is_none()
            } else {
                !printed || p.ordinal.is_some()
            }
        })
        .map(|p| format!("{} {:?}: number {:?}", p.id, p.kind, p.number))
        .collect()
}

#[test]
fn text_layer_pdfs_number_paragraphs_in_order() {
    let mut report = Vec::new();
    let mut read_ok = 0;
    for path in files("pdf", "pdf") {
        let doc = match read(&path) {
            Ok(d) => d,
            Err(
                ExtractError::NeedsOcr { .. }
                | ExtractError::DamagedPdf(_)
                | ExtractError::PdfParse(_)
                | ExtractError::Encrypted(_),
            ) => continue,
            Err(e) => panic!("{}: {e}", path.display()),
        };
        read_ok += 1;
        assert!(!doc.paragraphs.is_empty(), "{}", path.display());
        let ids: std::collections::BTreeSet<_> = doc.paragraphs.iter().map(|p| &p.id).collect();
        assert_eq!(
            ids.len(),
            doc.paragraphs.len(),
            "{}: unique ids",
            path.display()
        );
        let invented = invented_numbers(&doc);
        assert!(invented.is_empty(), "{}: {invented:?}", path.display());
        let problems = numbering_problems(&doc);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if let Some((_, why)) = GAPS_AS_PRINTED.iter().find(|(f, _)| *f == name) {
            // Still in order, still without repeats.
            assert!(
                problems
                    .iter()
                    .all(|p| !p.contains(" after ") || increasing(p)),
                "{name} ({why}): {problems:?}"
            );
            continue;
        }
        if !problems.is_empty() {
            report.push(format!("{}: {}", path.display(), problems.join("; ")));
        }
    }
    assert!(read_ok >= 30, "only {read_ok} PDFs read");
    assert!(
        report.is_empty(),
        "numbering problems:\n{}",
        report.join("\n")
    );
}

#[test]
fn multilingual_pairs_number_alike() {
    for (a, b) in [("ohchr_1_en", "ohchr_1_ru"), ("ohchr_2_en", "ohchr_2_fr")] {
        let dir = format!("{CORPUS}pdf/ohchr_multilingual/");
        let da = read(Path::new(&format!("{dir}{a}.pdf"))).unwrap();
        let db = read(Path::new(&format!("{dir}{b}.pdf"))).unwrap();
        assert!(numbered(&da).len() > 5, "{a}");
        assert_eq!(numbered(&da), numbered(&db), "{a} vs {b}");
        assert_ne!(da.meta.language, db.meta.language);
    }
}

#[test]
fn docx_files_read_and_legacy_doc_is_refused() {
    let dir = format!("{CORPUS}word/ohchr_upr_slovenia/");
    // A DOCX named .doc: sniffed from its bytes.
    let q = read(Path::new(&format!("{dir}AdvancedQuestionsSlovenia.doc"))).unwrap();
    assert_eq!(q.meta.format, "docx");
    let belgium: Vec<_> = q
        .paragraphs
        .iter()
        .filter(|p| p.section.first().map(String::as_str) == Some("BELGIUM"))
        .collect();
    assert!(belgium.len() >= 5, "{belgium:?}");
    assert!(belgium[0].text.starts_with("What is the state of play"));

    let wg48 = read(Path::new(&format!(
        "{dir}UPR-wg48-Advance-Questions-Slovenia.docx"
    )))
    .unwrap();
    assert!(
        wg48.paragraphs
            .iter()
            .any(|p| p.section.first().map(String::as_str) == Some("LIECHTENSTEIN"))
    );

    let list = read(Path::new(&format!(
        "{dir}UPR20__Slovenia_ThematicListRecommendations_E.docx"
    )))
    .unwrap();
    assert!(
        list.paragraphs
            .iter()
            .any(|p| p.text.starts_with("115.3 Ratify the Optional Protocol")),
    );
    // Citations of other documents in a table are not the document's own symbol.
    assert!(list.meta.symbols.is_empty(), "{:?}", list.meta.symbols);
    for doc in [&q, &wg48, &list] {
        let invented = invented_numbers(doc);
        assert!(
            invented.is_empty(),
            "{}: {invented:?}",
            doc.meta.source_file
        );
    }

    let err = read(Path::new(&format!(
        "{dir}Advance_questions_Slovenia_first_batch.doc"
    )))
    .unwrap_err();
    assert!(matches!(err, ExtractError::LegacyDoc));
    assert!(err.to_string().contains("convert it to .docx"), "{err}");
}

#[test]
fn pdf_masthead_metadata() {
    let pdf = |rel: &str| read(Path::new(&format!("{CORPUS}pdf/{rel}"))).unwrap().meta;

    let m = pdf("un_ods_samples/S_2012_197-EN.pdf");
    assert_eq!(m.symbol_display().as_deref(), Some("S/2012/197"));
    assert!(m.reissued, "S/2012/197*** carries reissue marks");
    assert_eq!(m.date.as_deref(), Some("2012-04-05"));
    assert_eq!(m.author.as_deref(), Some("Secretary-General"));

    let m = pdf("hrc_upr_slovenia/g0917825.pdf");
    assert_eq!(
        m.parent_symbol.as_ref().map(ToString::to_string).as_deref(),
        Some("A/HRC/WG.6/7/SVN/2")
    );
    assert_eq!(m.doc_type.as_deref(), Some("compilation"));

    // Upper-case month in an older masthead, French month in the French version.
    assert_eq!(
        pdf("hrc_upr_wg_reports/afghanistan2009.pdf")
            .date
            .as_deref(),
        Some("2009-07-20")
    );
    let fr = pdf("ohchr_multilingual/ohchr_2_fr.pdf");
    assert_eq!(fr.date.as_deref(), Some("2009-11-16"));
    assert_eq!(fr.language, Language::Fr);

    let pv = pdf("un_ods_samples/S_PV.10011-EN.pdf");
    assert_eq!(pv.doc_type.as_deref(), Some("verbatim record"));
    assert_eq!(pv.sc_year, Some(2025));

    let joint = pdf("un_ods_samples/A_80_434-EN.pdf");
    assert_eq!(
        joint.symbol_display().as_deref(),
        Some("A/80/434-S/2025/632")
    );
    assert_eq!(joint.doc_type.as_deref(), Some("letter"));
    assert_eq!(joint.agenda_items, ["26"]);
}

#[test]
fn every_upr_working_group_report_reads_its_title_and_numbered_recommendations() {
    // The title line may break mid-phrase ("Report of the Working Group on" / "the Universal
    // Periodic Review*", A/HRC/27/10); the recommendations are numbered "124.1" etc. and each
    // is a unit of its own.
    for path in files("pdf/hrc_upr_wg_reports/", "pdf") {
        let doc = read(&path).unwrap();
        let name = path.display();
        assert_eq!(
            doc.meta.doc_type.as_deref(),
            Some("UPR working group report"),
            "{name}"
        );
        let title = doc.meta.title.clone().unwrap_or_default();
        assert!(
            title.starts_with("Report of the Working Group on the Universal Periodic Review: "),
            "{name}: {title}"
        );
        let items = doc
            .paragraphs
            .iter()
            .filter(|p| p.kind == undex_core::UnitKind::UprRecommendation)
            .count();
        // The 2008 reports (Algeria, Argentina) list fewer, in the old "That Algeria …" form.
        assert!(items >= 15, "{name}: {items} UPR recommendations");
    }
    let dprk = read(Path::new(&format!(
        "{CORPUS}pdf/hrc_upr_wg_reports/democraticpeoplesrepublicofkorea2014.pdf"
    )))
    .unwrap();
    let first = dprk
        .paragraphs
        .iter()
        .find(|p| p.number.as_deref() == Some("124.1"))
        .unwrap();
    assert!(first.text.starts_with("Further fulfil"), "{}", first.text);
    assert!(first.text.ends_with("(Kazakhstan);"), "{}", first.text);
}

#[test]
fn speaker_turns_and_resolution_units() {
    let pv = read(Path::new(&format!(
        "{CORPUS}pdf/un_ods_samples/S_PV.10011-EN.pdf"
    )))
    .unwrap();
    // The text before the first turn (agenda, "The meeting was called to order …") is kept
    // as unnumbered blocks; from the first turn on, every unit is a turn.
    let first_turn = pv
        .paragraphs
        .iter()
        .position(|p| p.kind == UnitKind::SpeakerTurn)
        .expect("speaker turns");
    assert!(
        pv.paragraphs[..first_turn]
            .iter()
            .all(|p| p.kind == UnitKind::Block)
    );
    assert!(
        pv.paragraphs[..first_turn]
            .iter()
            .any(|p| p.text == "The meeting was called to order at 10 a.m.")
    );
    assert!(
        pv.paragraphs[first_turn..]
            .iter()
            .all(|p| p.kind == UnitKind::SpeakerTurn)
    );
    assert_eq!(
        pv.paragraphs[first_turn].speaker.as_deref(),
        Some("The President")
    );
    assert!(
        pv.paragraphs
            .iter()
            .any(|p| p.speaker.as_deref() == Some("Mr. Young (United Kingdom)"))
    );

    let res = read(Path::new(&format!(
        "{CORPUS}pdf/un_ods_samples/A_RES_70_10-EN.pdf"
    )))
    .unwrap();
    let kinds: Vec<(UnitKind, Option<&str>)> = res
        .paragraphs
        .iter()
        .map(|p| (p.kind, p.number.as_deref()))
        .collect();
    // Preambular paragraphs are printed without numbers: counted, not numbered.
    assert_eq!(kinds[0], (UnitKind::Preambular, None));
    assert_eq!(res.paragraphs[0].ordinal, Some(1));
    assert!(res.paragraphs[0].id.ends_with("~pp1"));
    assert!(kinds.contains(&(UnitKind::Operative, Some("5"))));
    let last = res.paragraphs.last().unwrap();
    assert!(!last.text.contains("plenary meeting"), "{}", last.text);
}
