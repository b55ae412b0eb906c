//! Tags on a paragraph, each with the evidence that produced it.
//!
//! Definitions follow `shared/eval-dev/taxonomy.md`: R2P pillars (2009 report A/63/677),
//! the 14 risk factors of the UN Framework of Analysis for Atrocity Crimes (2014), and
//! recommendations in the author's own voice with addressee and verb.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::rule::RuleId;

/// A span of the paragraph text that made a tagger assign a tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Evidence {
    /// Byte offset of the span's start in the paragraph's `text`.
    pub start: usize,
    /// Byte offset one past the span's end.
    pub end: usize,
    /// The words of the span, as in the text. May be absent when read (the index's stored
    /// rows leave out words they can take back from the paragraph), then empty; left out when
    /// written empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// The rule or lexicon entry that matched, e.g. `pillar.III.lexicon:veto`.
    #[schema(value_type = String)]
    pub rule: RuleId,
    /// Confidence of this piece of evidence, 0.0–1.0.
    pub confidence: f32,
}

/// The three pillars of the responsibility to protect (A/63/677, 2009).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Pillar {
    /// Pillar I: the protection responsibilities of the State.
    I,
    /// Pillar II: international assistance and capacity-building.
    II,
    /// Pillar III: timely and decisive collective response.
    III,
}

impl Pillar {
    /// All pillars, in order.
    pub const ALL: [Pillar; 3] = [Pillar::I, Pillar::II, Pillar::III];

    /// "I", "II" or "III".
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Pillar::I => "I",
            Pillar::II => "II",
            Pillar::III => "III",
        }
    }

    /// Parses "I", "II", "III" (also "1", "2", "3").
    #[must_use]
    pub fn parse(s: &str) -> Option<Pillar> {
        match s.trim() {
            "I" | "1" | "i" => Some(Pillar::I),
            "II" | "2" | "ii" => Some(Pillar::II),
            "III" | "3" | "iii" => Some(Pillar::III),
            _ => None,
        }
    }

    /// Short description for facets and evidence pages.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Pillar::I => "State responsibility",
            Pillar::II => "International assistance and capacity-building",
            Pillar::III => "Timely and decisive collective response",
        }
    }
}

impl fmt::Display for Pillar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Names of the 14 risk factors of the Framework of Analysis for Atrocity Crimes (2014),
/// indexed by factor number − 1. Factors 1–8 are common; 9–10 genocide; 11–12 crimes against
/// humanity; 13–14 war crimes.
pub const RISK_FACTOR_NAMES: [&str; 14] = [
    "Situations of armed conflict or other forms of instability",
    "Record of serious violations of international human rights and humanitarian law",
    "Weakness of State structures",
    "Motives or incentives",
    "Capacity to commit atrocity crimes",
    "Absence of mitigating factors",
    "Enabling circumstances or preparatory action",
    "Triggering factors",
    "Intergroup tensions or patterns of discrimination against protected groups",
    "Signs of an intent to destroy in whole or in part a protected group",
    "Signs of a widespread or systematic attack against any civilian population",
    "Signs of a plan or policy to attack any civilian population",
    "Serious threats to those protected under international humanitarian law",
    "Serious threats to humanitarian or peacekeeping operations",
];

/// The name of risk factor `n` (1–14), or `None` outside that range.
#[must_use]
pub fn risk_factor_name(n: u8) -> Option<&'static str> {
    RISK_FACTOR_NAMES
        .get(usize::from(n).checked_sub(1)?)
        .copied()
}

/// A pillar assigned to a paragraph, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PillarTag {
    /// The pillar.
    pub pillar: Pillar,
    /// Why: one or more spans of the text.
    pub evidence: Vec<Evidence>,
}

/// A risk factor (1–14) assigned to a paragraph, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskFactorTag {
    /// Framework of Analysis risk factor number, 1–14.
    pub factor: u8,
    /// Why: one or more spans of the text.
    pub evidence: Vec<Evidence>,
}

/// Whether the paragraph is a recommendation, to whom and with which verb.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// True when, in the author's own voice, the paragraph asks an identifiable actor to act.
    pub is_recommendation: bool,
    /// Addressees from the taxonomy vocabulary ("Member States", "Security Council",
    /// "General Assembly", "Human Rights Council", "regional organizations", "UN system",
    /// "civil society", "other") or a named State; sorted, unique.
    pub addressees: Vec<String>,
    /// The strongest directive verb in lemma form: "call upon" > "urge" > "recommend" >
    /// "encourage" > "invite" > "should".
    pub verb: Option<String>,
    /// For UPR recommendations: the recommending State(s), e.g. "Slovenia".
    pub recommending_states: Vec<String>,
    /// Why (or why not): the directive and addressee spans.
    pub evidence: Vec<Evidence>,
}

/// A value tag of a facet family (atrocity crime named, country mentioned), with evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelTag {
    /// The value: a crime ("genocide", "war crimes", "crimes against humanity",
    /// "ethnic cleansing") or an ISO 3166-1 alpha-3 country code.
    pub value: String,
    /// Why: spans of the text.
    pub evidence: Vec<Evidence>,
}

/// A UN document cited by a paragraph or its footnotes ("A/67/929-S/2013/399, para. 15").
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
pub struct CitedDocument {
    /// The cited symbol as written (first symbol of a joint one), normalised.
    pub symbol: String,
    /// Paragraph pinpoint when given ("15", "3-5").
    pub pinpoint: Option<String>,
    /// The footnote the citation stands in, if any.
    pub footnote: Option<u32>,
}

/// Every tag of one paragraph.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tags {
    /// R2P pillars, sorted by pillar.
    pub pillars: Vec<PillarTag>,
    /// Framework of Analysis risk factors, sorted by number.
    pub risk_factors: Vec<RiskFactorTag>,
    /// Recommendation status.
    pub recommendation: Recommendation,
    /// Atrocity crimes named.
    pub crimes: Vec<LabelTag>,
    /// Countries mentioned (ISO 3166-1 alpha-3).
    pub countries: Vec<LabelTag>,
    /// UN documents cited in the text or its footnotes.
    pub cited: Vec<CitedDocument>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pillar_round_trip_and_risk_names() {
        for p in Pillar::ALL {
            assert_eq!(Pillar::parse(p.as_str()), Some(p));
        }
        assert_eq!(
            risk_factor_name(1).unwrap().split(' ').nth(3),
            Some("conflict")
        );
        assert!(risk_factor_name(14).is_some());
        assert!(risk_factor_name(0).is_none());
        assert!(risk_factor_name(15).is_none());
    }
}
