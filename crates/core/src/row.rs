//! The flat paragraph row: one JSON object per citable unit, carrying its document's fields.
//!
//! This is undex's exchange format. `undex extract --format jsonl` prints it,
//! `corpus/extracted/*.jsonl` stores it, the index stores it whole, and the API returns it.
//! The field names `symbol`, `language`, `number`, `sub`, `section`, `page`, `text`,
//! `footnote_refs`, `pillars`, `risk_factors`, `recommendation`, `addressees`, `evidence` are a
//! contract with other tools: keep them.

use serde::{Deserialize, Serialize};

use crate::citation::cite;
use crate::document::{Document, Footnote, UnitKind};
use crate::fields::document_fields;
use crate::symbol::DocumentSymbol;
use crate::tags::{CitedDocument, Evidence, Tags};

/// One piece of tag evidence, flattened with the tag it supports.
///
/// Read through `FlatEvidenceRow`, the same members in one flat struct: serde's `flatten`
/// buffers every member of a flattened object before reading it, and rows are read on every
/// search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(from = "FlatEvidenceRow")]
pub struct EvidenceRow {
    /// Tag family: "pillar", "risk_factor", "recommendation", "addressee", "crime", "country".
    pub family: String,
    /// The tag value: "III", "7", "true", "Security Council", "genocide", "SDN".
    pub value: String,
    /// The evidence itself.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// The JSON members of an [`EvidenceRow`] as one flat struct, to read it without `flatten`.
#[derive(Deserialize)]
struct FlatEvidenceRow {
    family: String,
    value: String,
    start: usize,
    end: usize,
    #[serde(default)]
    text: String,
    rule: crate::rule::RuleId,
    confidence: f32,
}

impl From<FlatEvidenceRow> for EvidenceRow {
    fn from(f: FlatEvidenceRow) -> Self {
        EvidenceRow {
            family: f.family,
            value: f.value,
            evidence: Evidence {
                start: f.start,
                end: f.end,
                text: f.text,
                rule: f.rule,
                confidence: f.confidence,
            },
        }
    }
}

document_fields! {
    /// One citable unit with its document's metadata and its tags, flat.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
    pub struct ParagraphRow {
        /// Stable unit id ("A_79_875.en~76").
        pub id: String,
        /// Stable document id ("A_79_875.en").
        pub doc_id: String,
        /// The document symbol as cited, joint symbols joined ("A/79/875-S/2025/248"); null when
        /// the text carries none.
        pub symbol: Option<String>,
        ..symbols(String),
        #[schema(value_type = String)]
        ..language,
        ..numbering,
        /// Innermost section heading ("III. Sustained responsibility to protect: …"), or null.
        pub section: Option<String>,
        /// Full heading path, outermost first.
        pub section_path: Vec<String>,
        ..body,
        /// Pillars: "I", "II", "III".
        pub pillars: Vec<String>,
        /// Risk factors, 1–14.
        pub risk_factors: Vec<u8>,
        /// Recommendation in the author's own voice.
        pub recommendation: bool,
        /// Addressees of the recommendation.
        pub addressees: Vec<String>,
        /// Directive verb, lemma form.
        pub verb: Option<String>,
        /// Recommending States (UPR).
        pub recommending_states: Vec<String>,
        /// Atrocity crimes named.
        pub crimes: Vec<String>,
        /// Countries mentioned, ISO 3166-1 alpha-3.
        pub countries: Vec<String>,
        /// UN documents cited.
        pub cited: Vec<CitedDocument>,
        /// Evidence for every tag above (left empty by [`ParagraphRow::from_json_without_evidence`]).
        #[serde(deserialize_with = "evidence_unless_skipped")]
        pub evidence: Vec<EvidenceRow>,
        /// Citation in UN Editorial Manual style ("A/79/875-S/2025/248, para. 76").
        pub citation: String,
        ..title_date,
        /// Year of issue.
        pub year: Option<i32>,
        ..masthead,
        ..parent_symbol(String),
        ..source,
        /// Position of the unit in its document, from 0 (reading order).
        pub position: u32,
    }
}

fn flatten_evidence(tags: &Tags) -> Vec<EvidenceRow> {
    let mut out = Vec::new();
    let mut push = |family: &str, value: String, ev: &[Evidence]| {
        for e in ev {
            out.push(EvidenceRow {
                family: family.to_string(),
                value: value.clone(),
                evidence: e.clone(),
            });
        }
    };
    for p in &tags.pillars {
        push("pillar", p.pillar.to_string(), &p.evidence);
    }
    for r in &tags.risk_factors {
        push("risk_factor", r.factor.to_string(), &r.evidence);
    }
    push(
        "recommendation",
        tags.recommendation.is_recommendation.to_string(),
        &tags.recommendation.evidence,
    );
    for c in &tags.crimes {
        push("crime", c.value.clone(), &c.evidence);
    }
    for c in &tags.countries {
        push("country", c.value.clone(), &c.evidence);
    }
    out
}

thread_local! {
    /// Set while [`ParagraphRow::from_json_without_evidence`] reads a row on this thread.
    static SKIP_EVIDENCE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Reads a row's `evidence`, or skips it (no strings built) while
/// [`ParagraphRow::from_json_without_evidence`] reads the row.
fn evidence_unless_skipped<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<EvidenceRow>, D::Error> {
    if SKIP_EVIDENCE.get() {
        serde::de::IgnoredAny::deserialize(d)?;
        Ok(Vec::new())
    } else {
        Vec::deserialize(d)
    }
}

impl ParagraphRow {
    /// Reads a row from its JSON with [`ParagraphRow::evidence`] left empty: the evidence
    /// array is skipped, not parsed. It is about two fifths of a tagged row's JSON and most
    /// of its strings (four per piece of evidence): a caller that shows no evidence, such as
    /// a page of search results, parses each row with about a quarter fewer instructions
    /// (scale benchmark, 100k rows) and none of those strings allocated.
    ///
    /// # Errors
    /// As `serde_json::from_str::<ParagraphRow>(json)`: JSON that is not a row (the evidence,
    /// if present, must still be well-formed JSON).
    pub fn from_json_without_evidence(json: &str) -> Result<ParagraphRow, serde_json::Error> {
        /// Clears the flag when the read ends, even by a panic.
        struct Skipping;
        impl Drop for Skipping {
            fn drop(&mut self) {
                SKIP_EVIDENCE.set(false);
            }
        }
        SKIP_EVIDENCE.set(true);
        let _skipping = Skipping;
        serde_json::from_str(json)
    }

    /// True unless the row's document type marks its document as not a UN document
    /// ([`crate::is_non_un_type`]): a summary by a civil-society organisation, say.
    #[must_use]
    pub fn is_un_document(&self) -> bool {
        !crate::document::is_non_un_type(self.doc_type.as_deref())
    }
}

impl Document {
    /// Flattens the document into one [`ParagraphRow`] per unit, in reading order.
    #[must_use]
    pub fn rows(&self) -> Vec<ParagraphRow> {
        let m = &self.meta;
        let symbol = m.symbol_display();
        self.paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut row = ParagraphRow {
                    id: p.id.clone(),
                    doc_id: m.id.clone(),
                    symbol: symbol.clone(),
                    symbols: m.symbols.iter().map(ToString::to_string).collect(),
                    language: m.language,
                    kind: p.kind,
                    number: p.number.clone(),
                    ordinal: p.ordinal,
                    sub: p.sub.clone(),
                    annex: p.annex.clone(),
                    section: p.section.last().cloned(),
                    section_path: p.section.clone(),
                    page: p.page,
                    text: p.text.clone(),
                    footnote_refs: p.footnote_refs.clone(),
                    footnotes: p.footnotes.clone(),
                    speaker: p.speaker.clone(),
                    pillars: p
                        .tags
                        .pillars
                        .iter()
                        .map(|t| t.pillar.to_string())
                        .collect(),
                    risk_factors: p.tags.risk_factors.iter().map(|t| t.factor).collect(),
                    recommendation: p.tags.recommendation.is_recommendation,
                    addressees: p.tags.recommendation.addressees.clone(),
                    verb: p.tags.recommendation.verb.clone(),
                    recommending_states: p.tags.recommendation.recommending_states.clone(),
                    crimes: p.tags.crimes.iter().map(|t| t.value.clone()).collect(),
                    countries: p.tags.countries.iter().map(|t| t.value.clone()).collect(),
                    cited: p.tags.cited.clone(),
                    evidence: flatten_evidence(&p.tags),
                    citation: String::new(),
                    title: m.title.clone(),
                    date: m.date.clone(),
                    year: m.year(),
                    bodies: m.bodies.clone(),
                    author: m.author.clone(),
                    doc_type: m.doc_type.clone(),
                    ga_session: m.ga_session,
                    sc_year: m.sc_year,
                    hrc_session: m.hrc_session,
                    agenda_items: m.agenda_items.clone(),
                    parent_symbol: m.parent_symbol.as_ref().map(DocumentSymbol::to_string),
                    source_file: m.source_file.clone(),
                    sha256: m.sha256.clone(),
                    position: u32::try_from(i).unwrap_or(u32::MAX),
                };
                row.citation = cite(&row);
                row
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::document::DocumentMeta;
    use crate::language::{Language, TextLanguage};

    use super::ParagraphRow;

    /// A row as `undex ingest` wrote it while `language` was a string (the extractor's output
    /// for a two-line text), its language left as `{LANGUAGE}`.
    const OLD_ROW: &str = r#"{"id":"sha-75dc18646e03.{LANGUAGE}~b1","doc_id":"sha-75dc18646e03.{LANGUAGE}","symbol":null,"symbols":[],"language":"{LANGUAGE}","kind":"block","number":null,"ordinal":1,"sub":null,"annex":null,"section":null,"section_path":[],"page":1,"text":"1. De Algemene Vergadering heeft het rapport van de secretaris-generaal over de verantwoordelijkheid om te beschermen ontvangen en besproken tijdens haar zitting.","footnote_refs":[],"footnotes":[],"speaker":null,"pillars":[],"risk_factors":[],"recommendation":false,"addressees":[],"verb":null,"recommending_states":[],"crimes":[],"countries":[],"cited":[],"evidence":[],"citation":"dutch.txt, p. 1","title":null,"date":null,"year":null,"bodies":[],"author":null,"doc_type":"other","ga_session":null,"sc_year":null,"hrc_session":null,"agenda_items":[],"parent_symbol":null,"source_file":"/tmp/langdocs/dutch.txt","sha256":"75dc18646e03f4ae725f30182260e489d8dbd547396a0a0d0133d71785205a0c","position":0}"#;

    /// A document's metadata as `undex extract --format json` wrote it then.
    const OLD_META: &str = r#"{"id":"sha-24434dc7aea4.{LANGUAGE}","symbols":[],"reissued":false,"parent_symbol":null,"job_number":null,"title":null,"date":null,"bodies":[],"author":null,"doc_type":"other","ga_session":null,"sc_year":null,"hrc_session":null,"agenda_items":[],"language":"{LANGUAGE}","pages":1,"source_file":"und.txt","sha256":"24434dc7aea4817901e4797170ee194df886780b1977176f19cbd17fa673adfc","format":"text"}"#;

    #[test]
    fn rows_stored_with_a_language_string_load_and_are_written_back_the_same() {
        // Every kind of value the extractor writes: an official language, another language
        // of its table, a language it names by its ISO 639-3 code only, undetermined.
        let kinds = [
            ("en", TextLanguage::Known(Language::En)),
            ("fr", TextLanguage::Known(Language::Fr)),
            ("de", Language::parse("de").unwrap().into()),
            ("sl", Language::parse("slv").unwrap().into()),
            ("nld", TextLanguage::from_iso639_3("nld").unwrap()),
            ("jpn", TextLanguage::from_iso639_3("jpn").unwrap()),
            ("und", TextLanguage::Undetermined),
        ];
        for (code, want) in kinds {
            let line = OLD_ROW.replace("{LANGUAGE}", code);
            let row: ParagraphRow = serde_json::from_str(&line).expect(code);
            assert_eq!(row.language, want, "{code}");
            assert_eq!(serde_json::to_string(&row).unwrap(), line, "{code}");
            let line = OLD_META.replace("{LANGUAGE}", code);
            let meta: DocumentMeta = serde_json::from_str(&line).expect(code);
            assert_eq!(meta.language, want, "{code}");
            assert_eq!(serde_json::to_string(&meta).unwrap(), line, "{code}");
        }
        // A string that names no language is refused, naming it.
        let bad = OLD_ROW.replace("{LANGUAGE}", "xx");
        let err = serde_json::from_str::<ParagraphRow>(&bad).unwrap_err();
        assert!(
            err.to_string().contains(r#""xx" is not a language code"#),
            "{err}"
        );
    }
}
