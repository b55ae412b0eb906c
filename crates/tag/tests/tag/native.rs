//! French recommendations on real UN documents (issue #12): the shared corpus holds no French
//! or Spanish recommendation of UPR form ("Ratifier … (France);") nor a French or Spanish
//! report in the author's own voice, so these tests read the French documents it does hold:
//! - A/HRC/WG.6/7/ITA/1 (Italy's 2009 national report to the UPR, French version), which
//!   describes what Italy did ("l'Italie a ratifié …", "Le Gouvernement italien a adopté …"):
//!   none of its units is a recommendation;
//! - A/C.4/SR.985 (summary record of the Fourth Committee, 4 December 1959): its delegates'
//!   calls ("L'ONU ne doit pas se laisser devancer par les événements.") are reported speech
//!   and are not tagged in the record, but the same real sentence read as a report's own is a
//!   recommendation to the UN system;
//! - and, from outside the shared corpus, `tests/data/un_fr_recommendations.tsv`: 89 real French sentences of 2015 UN documents
//!   (treaty-body concluding observations, Advisory Committee, Special Committee, Permanent
//!   Forum and Secretary-General reports), 46 recommendations and 43 not, from the United
//!   Nations Parallel Corpus (sources in the file).
//!
//! The French UPR form is covered by synthetic unit tests in `src/native.rs`: no French UPR
//! recommendation list was found in the public sources searched for issue #12.

use undex_core::{Document, DocumentMeta, Language, Paragraph, Tags, UnitKind};
use undex_tag::{TagContext, has_native_rules, tag_document, tag_paragraph};

use crate::common::shared;

fn extract(rel: &str) -> Document {
    let path = shared(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut doc = undex_extract::extract(&bytes, rel, &undex_extract::ExtractOptions::default())
        .expect("extracts");
    tag_document(&mut doc);
    doc
}

fn unit<'a>(doc: &'a Document, number: &str) -> &'a Paragraph {
    doc.paragraphs
        .iter()
        .find(|p| p.number.as_deref() == Some(number) && p.sub.is_none())
        .unwrap_or_else(|| panic!("{}: no paragraph {number}", doc.meta.id))
}

const ITALY_FR: &str = "corpus/pdf/ohchr_multilingual/ohchr_2_fr.pdf";
const RECORD_FR: &str = "corpus/pdf/un_ods_samples/A_C.4_SR.985-FR.pdf";

#[test]
fn the_french_national_report_of_italy_describes_and_recommends_nothing() {
    let doc = extract(ITALY_FR);
    assert_eq!(doc.meta.language, Language::Fr);
    assert!(doc.paragraphs.len() > 100, "{}", doc.paragraphs.len());
    let flagged: Vec<&str> = doc
        .paragraphs
        .iter()
        .filter(|p| p.tags.recommendation.is_recommendation)
        .map(|p| p.id.as_str())
        .collect();
    assert!(flagged.is_empty(), "{flagged:?}");
    // What Italy did, in the words of the report: no directive at all.
    for (number, words) in [
        (
            "37",
            "l’Italie a ratifié l’ensemble des principaux instruments",
        ),
        (
            "40",
            "L’Italie a également ratifié les Conventions de Genève de 1949",
        ),
        ("87", "Le Gouvernement italien a adopté plusieurs mesures"),
        (
            "126",
            "l’Italie a ratifié en mars 2009 la Convention de l’ONU",
        ),
        ("33", "L’Italie poursuit la mise en œuvre de la procédure"),
    ] {
        let p = unit(&doc, number);
        assert!(p.text.contains(words), "para. {number}: {}", p.text);
        let r = &p.tags.recommendation;
        assert!(
            !r.is_recommendation && r.verb.is_none() && r.addressees.is_empty(),
            "para. {number}: {r:?}"
        );
    }
    // "… a été examiné par le Parlement et devrait être mis en œuvre d'ici à 2012": a modal
    // with no actor is recorded as normative, not as a recommendation.
    let p = doc
        .paragraphs
        .iter()
        .find(|p| p.text.contains("devrait être mis en œuvre d’ici à 2012"))
        .expect("the 2012 plan");
    let r = &p.tags.recommendation;
    assert!(!r.is_recommendation);
    let e = r
        .evidence
        .iter()
        .find(|e| e.rule == "recommendation.fr.normative_no_addressee")
        .expect("normative evidence");
    assert_eq!(e.text, "devrait");
    assert_eq!(&p.text[e.start..e.end], "devrait");
}

#[test]
fn a_delegates_call_in_the_1959_record_is_reported_speech_but_a_recommendation_on_its_own() {
    let doc = extract(RECORD_FR);
    assert_eq!(doc.meta.doc_type.as_deref(), Some("summary record"));
    assert!(
        doc.paragraphs
            .iter()
            .all(|p| !p.tags.recommendation.is_recommendation),
        "a summary record reports what delegations said"
    );
    let sentence = "L'ONU ne doit pas se laisser devancer par les événements.";
    let p = unit(&doc, "22");
    assert!(p.text.starts_with(sentence), "{}", p.text);
    // The same real sentence, read as a report's own words.
    let ctx = TagContext {
        language: "fr",
        ..TagContext::default()
    };
    let r = tag_paragraph(sentence, &ctx).recommendation;
    assert!(r.is_recommendation, "{r:?}");
    assert_eq!(r.addressees, ["UN system"]);
    assert_eq!(r.verb.as_deref(), Some("should"));
    let rules: Vec<(&str, &str)> = r
        .evidence
        .iter()
        .map(|e| (e.rule.as_str(), e.text.as_str()))
        .collect();
    assert_eq!(
        rules,
        [
            ("recommendation.fr.addressee:UN system", "L'ONU"),
            ("recommendation.fr.modal_with_subject:devoir", "doit"),
        ]
    );
    for e in &r.evidence {
        assert_eq!(&sentence[e.start..e.end], e.text);
    }
}

#[test]
fn russian_text_is_left_untagged_and_says_so() {
    use undex_core::Language;
    assert!(
        has_native_rules(Language::Fr)
            && has_native_rules(Language::Es)
            && has_native_rules(Language::En)
    );
    assert!(
        !has_native_rules(Language::Ru)
            && !has_native_rules(Language::Ar)
            && !has_native_rules(Language::Zh)
    );
    let doc = extract("corpus/pdf/ohchr_multilingual/ohchr_1_ru.pdf");
    assert_eq!(doc.meta.language, Language::Ru);
    assert!(
        doc.paragraphs
            .iter()
            .all(|p| p.tags.recommendation == undex_core::Recommendation::default())
    );
}

fn synthetic_unit(kind: UnitKind, number: &str, sub: Option<&str>, text: &str) -> Paragraph {
    Paragraph {
        id: format!("x~{number}{}", sub.unwrap_or("")),
        kind,
        number: Some(number.into()),
        ordinal: None,
        sub: sub.map(Into::into),
        annex: None,
        section: vec!["V. Conclusions et recommandations".into()],
        page: 1,
        text: text.into(),
        footnote_refs: Vec::new(),
        footnotes: Vec::new(),
        speaker: None,
        tags: Tags::default(),
    }
}

#[test]
fn synthetic_french_items_inherit_the_addressee_of_their_lead_in() {
    // Synthetic: the shape of a French special-procedure report's recommendations.
    let mut doc = Document {
        meta: DocumentMeta {
            language: Language::Fr.into(),
            ..DocumentMeta::default()
        },
        paragraphs: vec![
            synthetic_unit(
                UnitKind::Chapeau,
                "85",
                None,
                "Le Rapporteur spécial exhorte le Gouvernement et la communauté internationale:",
            ),
            synthetic_unit(
                UnitKind::Subparagraph,
                "85",
                Some("a"),
                "À abroger les lois discriminatoires;",
            ),
            synthetic_unit(
                UnitKind::Paragraph,
                "86",
                None,
                "Garantir l'accès humanitaire sans entrave;",
            ),
            synthetic_unit(
                UnitKind::Paragraph,
                "87",
                None,
                "Le Rapporteur spécial s'est rendu deux fois dans le pays.",
            ),
        ],
        warnings: Vec::new(),
    };
    tag_document(&mut doc);
    let r: Vec<_> = doc
        .paragraphs
        .iter()
        .map(|p| &p.tags.recommendation)
        .collect();
    assert!(r[0].is_recommendation);
    assert_eq!(r[0].verb.as_deref(), Some("urge"));
    assert_eq!(r[0].addressees, ["Member States", "other"]);
    for item in &r[1..3] {
        assert!(item.is_recommendation, "{item:?}");
        assert_eq!(item.addressees, ["Member States", "other"]);
        assert_eq!(item.verb.as_deref(), Some("urge"));
    }
    assert!(!r[3].is_recommendation);
}

/// One sentence of `tests/data/un_fr_recommendations.tsv`.
struct Row {
    recommendation: bool,
    source: String,
    addressees: Vec<String>,
    verb: String,
    sentence: String,
}

fn fixture_rows() -> Vec<Row> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/un_fr_recommendations.tsv"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 5, "{l}");
            let recommendation = match cols[0] {
                "recommendation" => true,
                "not" => false,
                other => panic!("label {other:?}: {l}"),
            };
            Row {
                recommendation,
                source: cols[1].to_string(),
                addressees: cols[2]
                    .split(';')
                    .filter(|a| *a != "-")
                    .map(String::from)
                    .collect(),
                verb: cols[3].to_string(),
                sentence: cols[4].to_string(),
            }
        })
        .collect()
}

/// The text undex keeps of a paragraph: its printed number ("35. ") is the paragraph's
/// number, not its text.
fn paragraph_text(sentence: &str) -> &str {
    let digits = sentence.len()
        - sentence
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    match sentence[digits..].strip_prefix(". ") {
        Some(rest) if (1..=3).contains(&digits) => rest,
        _ => sentence,
    }
}

#[test]
fn real_french_un_sentences() {
    // Real French UN sentences (the United Nations Parallel Corpus, 2015 documents: CEDAW
    // concluding observations, Advisory Committee and Special Committee reports, Permanent
    // Forum recommendations, Secretary-General reports; see the fixture's header), each
    // tagged as a French paragraph of its own, with no section, author or document type.
    let rows = fixture_rows();
    let positives = rows.iter().filter(|r| r.recommendation).count();
    let negatives = rows.len() - positives;
    assert!(
        positives >= 30 && negatives >= 15,
        "{positives} / {negatives}"
    );
    let ctx = TagContext {
        language: "fr",
        ..TagContext::default()
    };
    let (mut found, mut false_positives) = (Vec::new(), Vec::new());
    let (mut missed, mut differences) = (Vec::new(), Vec::new());
    let (mut addressees_exact, mut addressees_some, mut verbs) = (0usize, 0usize, 0usize);
    for row in &rows {
        let text = paragraph_text(&row.sentence);
        let r = tag_paragraph(text, &ctx).recommendation;
        for e in &r.evidence {
            assert_eq!(&text[e.start..e.end], e.text, "{}", row.source);
        }
        match (row.recommendation, r.is_recommendation) {
            (true, true) => {
                if r.addressees == row.addressees {
                    addressees_exact += 1;
                } else {
                    differences.push(format!(
                        "  addressees {:?}, expected {:?}: {}",
                        r.addressees, row.addressees, row.source
                    ));
                }
                if r.addressees.iter().any(|a| row.addressees.contains(a)) {
                    addressees_some += 1;
                }
                if r.verb.as_deref() == Some(row.verb.as_str()) {
                    verbs += 1;
                } else {
                    differences.push(format!(
                        "  verb {:?}, the English original's {:?}: {}",
                        r.verb, row.verb, row.source
                    ));
                }
                found.push(row);
            }
            (true, false) => missed.push(row),
            (false, true) => false_positives.push((row, r)),
            (false, false) => {}
        }
    }
    let tp = found.len();
    let pct = |n: usize, d: usize| 100.0 * n as f64 / d.max(1) as f64;
    println!(
        "real French UN sentences: {positives} recommendations, {negatives} not; recall {tp}/{positives} ({:.1}%), false positives {}/{negatives}, precision {:.1}%; of the {tp} found: addressees exact {addressees_exact} ({:.1}%), at least one right {addressees_some} ({:.1}%), verb as the English original {verbs} ({:.1}%)",
        pct(tp, positives),
        false_positives.len(),
        pct(tp, tp + false_positives.len()),
        pct(addressees_exact, tp),
        pct(addressees_some, tp),
        pct(verbs, tp),
    );
    for line in &differences {
        println!("{line}");
    }
    for row in &missed {
        println!("  missed: {} | {}", row.source, row.sentence);
    }
    for (row, r) in &false_positives {
        println!(
            "  false positive: {} | {} | {:?}",
            row.source, row.sentence, r.evidence
        );
    }
    assert!(
        false_positives.is_empty(),
        "false positives on real sentences that recommend nothing"
    );
    // Floors at the figures of issue #12 (40 of 46 found; the six missed need what a lone
    // sentence lacks: four open with "Il"/"elle" for the author named in the sentence
    // before, one has a clitic object ("le Comité l'encourage"), one an addressee the rules
    // do not name ("tous les acteurs de la société nationale")).
    assert!(tp >= 40, "recall {tp}/{positives}");
    assert_eq!(
        addressees_some, tp,
        "a recommendation with none of its addressees"
    );
    assert!(
        addressees_exact >= 38,
        "addressees exact {addressees_exact}/{tp}"
    );
    assert!(verbs >= 36, "verbs {verbs}/{tp}");
}
