//! undex-tag: tags each paragraph of a UN report with R2P pillars, atrocity risk factors,
//! recommendations (addressee, verb), atrocity crimes named, countries mentioned and UN
//! documents cited, every tag with its evidence (byte spans into the paragraph text, the rule
//! or lexicon entry id, a confidence).
//!
//! Definitions follow `shared/eval-dev/taxonomy.md`. The vocabulary lives as data in
//! `crates/tag/data/*.toml` (pillar and risk-factor cues, recommendation verbs and addressees,
//! country names, crime names), compiled once; the rules that use it are small functions in
//! [`recommend`](crate) and the cue scorer.
//!
//! ```
//! use undex_core::UnitKind;
//! use undex_tag::{TagContext, tag_paragraph};
//!
//! let section = vec!["VIII. Conclusions and recommendations".to_string()];
//! let ctx = TagContext { section: &section, ..TagContext::default() };
//! let tags = tag_paragraph(
//!     "Member States are encouraged to designate or establish a domestic focal point.",
//!     &ctx,
//! );
//! assert!(tags.recommendation.is_recommendation);
//! assert_eq!(tags.recommendation.addressees, ["Member States"]);
//! assert_eq!(tags.recommendation.verb.as_deref(), Some("encourage"));
//! assert_eq!(tags.pillars[0].pillar, undex_core::Pillar::I);
//! ```
#![warn(missing_docs)]

mod entities;
mod error;
pub mod eval;
mod lexicon;
mod native;
mod pattern;
mod prefilter;
mod recommend;
mod scan;
mod text;

use undex_core::{
    Document, Footnote, Language, Pillar, PillarTag, RiskFactorTag, RuleId, RuleKind, Tags,
    UnitKind,
};

pub use entities::country_name;
pub use error::TagError;
use scan::{Family, Scan};

/// What the tagger knows about a paragraph besides its text.
#[derive(Debug, Clone, Copy)]
pub struct TagContext<'a> {
    /// Section heading path, outermost first ("VIII. Conclusions and recommendations"). A
    /// heading naming recommendations or conclusions raises recommendation confidence and
    /// lets imperative list items count.
    pub section: &'a [String],
    /// The kind of unit (a UPR recommendation is a recommendation by position).
    pub kind: UnitKind,
    /// The paragraph's footnotes (searched for cited documents).
    pub footnotes: &'a [Footnote],
    /// Document type ("report", "UPR working group report", "resolution"…).
    pub doc_type: Option<&'a str>,
    /// The author ("Secretary-General", "Special Rapporteur on …"): "X recommends that …"
    /// counts as the author's voice only when X names the author.
    pub author: Option<&'a str>,
    /// The text's language as stored, its code ([`undex_core::TextLanguage::as_str`]: "en",
    /// "fr", "und"); the lexicons are English. French and Spanish text also gets its
    /// recommendation read in its own words (`data/recommendation_native.toml`); other
    /// languages get only the language-independent tags (cited documents). Read once, as a
    /// [`Language`], by the tagger; an empty code is read as English. (A code rather than a
    /// [`Language`], so that a context can be written with a literal, `language: "fr"`, and
    /// say "not stated".)
    pub language: &'a str,
    /// Speaker of a verbatim-record turn.
    pub speaker: Option<&'a str>,
}

impl Default for TagContext<'_> {
    fn default() -> Self {
        TagContext {
            section: &[],
            kind: UnitKind::Paragraph,
            footnotes: &[],
            doc_type: None,
            author: None,
            language: "en",
            speaker: None,
        }
    }
}

impl<'a> TagContext<'a> {
    /// A paragraph of an English report of the Secretary-General under the headings
    /// `section` (outermost first): the context of the annual R2P reports.
    #[must_use]
    pub fn secretary_general_report(section: &'a [String]) -> Self {
        TagContext {
            section,
            doc_type: Some("report"),
            author: Some("Secretary-General"),
            ..TagContext::default()
        }
    }
}

/// Tags one paragraph.
///
/// - pillars and risk factors: weighted cues from `data/pillars.toml` and
///   `data/risk_factors.toml` (a label needs cue weight ≥ 1.0; each cue counts once);
/// - recommendation: sentence rules (see the `recommend` module docs), addressees from the
///   taxonomy vocabulary, verb the strongest of call upon > urge > recommend > encourage >
///   invite > should;
/// - crimes, countries (ISO 3166-1 alpha-3) and cited documents (text and footnotes).
///
/// Text in a language other than English gets the language-independent tags (cited
/// documents) and, in French and Spanish, its recommendation (flag, English verb lemma,
/// addressees, evidence of rules `recommendation.fr.*` / `recommendation.es.*`); Russian,
/// Arabic and Chinese text gets no recommendation tag of its own ([`has_native_rules`]).
/// Never panics on any input.
#[must_use]
pub fn tag_paragraph(text: &str, ctx: &TagContext<'_>) -> Tags {
    let mut tags = Tags {
        cited: entities::cited(text, ctx.footnotes),
        ..Tags::default()
    };
    let language = rules_language(ctx.language);
    if language != Some(Language::En) {
        tags.recommendation = native::tag(text, language, ctx);
        return tags;
    }
    let scan = Scan::new(text);
    let kind = scan.kind();
    for (label, score) in lexicon::PILLARS.assigned(text, scan.family(Family::Pillars)) {
        if let Some(pillar) = Pillar::parse(&label) {
            tags.pillars.push(PillarTag {
                pillar,
                evidence: score.evidence,
            });
        }
    }
    tags.pillars.sort_by_key(|p| p.pillar);
    for (label, score) in lexicon::RISK_FACTORS.assigned(text, scan.family(Family::RiskFactors)) {
        if let Ok(factor) = label.parse::<u8>() {
            tags.risk_factors.push(RiskFactorTag {
                factor,
                evidence: score.evidence,
            });
        }
    }
    tags.risk_factors.sort_by_key(|r| r.factor);
    tags.recommendation = recommend::tag(text, &scan, ctx);
    // A recommendation to the State is pillar I, unless what it asks is outside help (a
    // pillar II cue of outside help and no pillar I cue: "Seek the assistance of the
    // international community"). In a UPR working group report, a paragraph on the State's
    // own laws, courts, plans and institutions is pillar I too (the State under review
    // reporting its measures, or others commenting on them).
    let has = |tags: &Tags, p: Pillar| tags.pillars.iter().any(|t| t.pillar == p);
    let outside_help = tags.pillars.iter().any(|t| {
        t.pillar == Pillar::II
            && t.evidence.iter().any(|e| {
                OUTSIDE_HELP_CUES
                    .iter()
                    .any(|id| e.rule.ends_with(&format!(":{id}")))
            })
    });
    let evidence = state_addressed(&tags.recommendation).or_else(|| {
        (ctx.doc_type.and_then(undex_core::DocType::parse)
            == Some(undex_core::DocType::UprWorkingGroupReport))
        .then(|| lexicon::state_measure(text, kind))
        .flatten()
    });
    if let Some(evidence) = evidence
        && !has(&tags, Pillar::I)
        && !outside_help
        && !lexicon::about_unilateral_measures(text, scan.family(Family::Unilateral))
    {
        tags.pillars.push(PillarTag {
            pillar: Pillar::I,
            evidence: vec![evidence],
        });
        tags.pillars.sort_by_key(|p| p.pillar);
    }
    tags.crimes = entities::crimes(text, scan.family(Family::Crimes));
    tags.countries = entities::countries(text, scan.family(Family::Countries));
    tags
}

/// True when text in `language` is tagged in its own words: English, and the recommendation
/// family of French and Spanish. Text in another language is left untagged (but for cited
/// documents) and says so: its tags can only come from its English version. (Text whose
/// language is not stated, an empty [`TagContext::language`], is read as English.)
#[must_use]
pub fn has_native_rules(language: Language) -> bool {
    language == Language::En || native::has_rules(language)
}

/// The language whose rules read text in `code`, a stored ISO 639-1 code
/// ([`TagContext::language`]): English when the code is empty (the language is not stated),
/// `None` for a code that names no language ("und").
fn rules_language(code: &str) -> Option<Language> {
    if code.is_empty() {
        Some(Language::En)
    } else {
        Language::from_code(code)
    }
}

/// Pillar II cue ids (`data/pillars.toml`) that mean help from outside the State; a
/// recommendation to the State that carries one of them is not pillar I by its addressee.
const OUTSIDE_HELP_CUES: [&str; 9] = [
    "international-support",
    "international-cooperation",
    "with-assistance-of",
    "cooperation-with-un-mechanisms",
    "seek-assistance",
    "un-support",
    "assist-states",
    "un-advocacy",
    "support-national",
];

/// Pillar I from the addressee (taxonomy §1: the protection responsibilities of the State): a
/// recommendation made to the State about its own conduct is about national measures. That is
/// every UPR recommendation (addressed to the State under review, Human Rights Council
/// resolution 5/1, annex, para. 26) and a recommendation whose addressee is a Government
/// ("I call upon the Government of South Sudan to …"), the authorities or a State party.
/// Returns the evidence: the addressee span, or the item's verb for a UPR recommendation.
fn state_addressed(rec: &undex_core::Recommendation) -> Option<undex_core::Evidence> {
    if !rec.is_recommendation {
        return None;
    }
    // The item's verb, or, when the item opens without one, its recommending State.
    let is_item = |e: &&undex_core::Evidence| e.rule.kind() == RuleKind::UprItem;
    let upr = rec.evidence.iter().any(|e| is_item(&e)).then(|| {
        rec.evidence
            .iter()
            .filter(|e| {
                matches!(
                    e.rule.kind(),
                    RuleKind::UprItem | RuleKind::RecommendingState(_)
                )
            })
            .find(|e| !e.text.is_empty())
            .or_else(|| rec.evidence.iter().find(is_item))
    });
    let upr = upr.flatten();
    let government = rec.evidence.iter().find(|e| {
        matches!(e.rule.kind(), RuleKind::Addressee(_)) && {
            let t = e.text.to_lowercase();
            t.contains("government") || t.contains("authorities") || t.contains("state party")
        }
    });
    let (found, rule) = match (upr, government) {
        (Some(e), _) => (e, RuleId::upr_recommendation()),
        (None, Some(e)) => (e, RuleId::new("pillar.I.state_addressed")),
        (None, None) => return None,
    };
    Some(undex_core::Evidence {
        start: found.start,
        end: found.end,
        text: found.text.clone(),
        rule,
        confidence: 0.7,
    })
}

/// Tags every paragraph of `doc` in place, with the document's author, type and language as
/// context. Afterwards, sub-paragraphs under a chapeau that is a recommendation ("The Special
/// Rapporteur recommends that the Government:" → "(a) Repeal …;") inherit the chapeau's
/// addressees and verb: each is one recommendation.
pub fn tag_document(doc: &mut Document) {
    let author = doc.meta.author.clone();
    let doc_type = doc.meta.doc_type.clone();
    let language = doc.meta.language;
    for p in &mut doc.paragraphs {
        let ctx = TagContext {
            section: &p.section,
            kind: p.kind,
            footnotes: &p.footnotes,
            doc_type: doc_type.as_deref(),
            author: author.as_deref(),
            language: language.as_str(),
            speaker: p.speaker.as_deref(),
        };
        p.tags = tag_paragraph(&p.text, &ctx);
    }
    propagate_chapeaux(doc);
}

/// Gives the items of a recommendation list the addressees and verb of their lead-in.
///
/// A lead-in is a unit that is a recommendation with addressees and ends with ":" ("The
/// Special Rapporteur recommends that the Government:"). Its list runs over the following
/// sub-paragraphs of the same number and, for a lead-in that is a whole paragraph, over the
/// following units that open with an imperative verb (in French and Spanish, an infinitive:
/// "Ratifier …", "Ratificar …"); the first other unit ends it.
fn propagate_chapeaux(doc: &mut Document) {
    let mut lead: Option<(Option<String>, Option<String>, undex_core::Recommendation)> = None;
    let language = doc.meta.language.language();
    for p in &mut doc.paragraphs {
        let in_list = lead.as_ref().is_some_and(|(number, annex, _)| {
            (p.kind == UnitKind::Subparagraph && *number == p.number && *annex == p.annex)
                || (p.kind != UnitKind::Subparagraph
                    && p.kind != UnitKind::Chapeau
                    && (recommend::starts_with_imperative(&p.text)
                        || language.is_some_and(|l| native::starts_with_infinitive(l, &p.text))))
        });
        if in_list && let Some((number, _, chapeau)) = &lead {
            let r = &mut p.tags.recommendation;
            r.is_recommendation = true;
            if r.addressees.is_empty() {
                r.addressees.clone_from(&chapeau.addressees);
            }
            if r.verb.is_none() || r.verb.as_deref() == Some("recommend") {
                r.verb.clone_from(&chapeau.verb);
            }
            r.evidence.push(undex_core::Evidence {
                start: 0,
                end: 0,
                text: String::new(),
                // An unnumbered lead-in (a block) has no number to name.
                rule: RuleId::lead_in(number.as_deref()),
                confidence: 0.85,
            });
            continue;
        }
        let r = &p.tags.recommendation;
        let lead_in = p.text.trim_end().ends_with(':');
        lead = (r.is_recommendation && !r.addressees.is_empty() && lead_in)
            .then(|| (p.number.clone(), p.annex.clone(), r.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_gets_cited_documents_and_no_pillars() {
        let ctx = TagContext {
            language: "fr",
            ..TagContext::default()
        };
        let t = tag_paragraph("Le Conseil de sécurité, Chapitre VII, voir A/79/875.", &ctx);
        assert!(t.pillars.is_empty());
        assert_eq!(t.cited.len(), 1);
    }

    #[test]
    fn empty_and_odd_input_does_not_panic() {
        let ctx = TagContext::default();
        for t in [
            "",
            " ",
            "(",
            "“unclosed",
            "69.1 (",
            "I",
            "should",
            "; ; ;",
            "é.",
        ] {
            let _ = tag_paragraph(t, &ctx);
        }
    }
}
