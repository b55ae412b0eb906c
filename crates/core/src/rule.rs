//! The id of the rule behind a piece of tag evidence ("pillar.III.lexicon:veto").
//!
//! The tagger writes one on every piece of [`crate::Evidence`]; the tagger itself, the
//! carrying of English tags to other language versions ([`crate::align`]) and the evidence
//! page read some of them back. [`RuleId`] is the one place that knows how those are spelled;
//! [`RuleId::kind`] reads one back. In JSON a rule id is its string, as before.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// The id of the rule or lexicon entry behind a piece of evidence, as stored and served:
/// `{family}.{label}.lexicon:{entry}`, `recommendation.{rule}:{verb}`, … The ids that other
/// code acts on are built and read here ([`RuleId::kind`]); the others are names to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RuleId(String);

/// What a [`RuleId`] says, for the ids that code acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind<'a> {
    /// `recommendation.upr_item`: a UPR recommendation item (its verb, or the item itself).
    UprItem,
    /// `recommendation.recommending_state:{ISO code}`: the State that made a UPR
    /// recommendation.
    RecommendingState(&'a str),
    /// `addressee:{addressee}`: the addressee of a recommendation.
    Addressee(&'a str),
    /// `pillar.I.upr_recommendation`: pillar I because a UPR recommendation is addressed to
    /// the State under review.
    UprRecommendation,
    /// `recommendation.lead_in[:{number}]`: an item of a recommendation list, which takes its
    /// lead-in's recommendation (the lead-in's paragraph number, when it has one).
    LeadIn(Option<&'a str>),
    /// `english_version:{English unit id}:{English rule}`: carried from the English version
    /// of the document.
    Carried {
        /// The English unit's id ("A_79_875.en~12").
        english_id: &'a str,
        /// The English evidence's rule.
        rule: &'a str,
    },
    /// Any other rule: a name to show.
    Other,
}

const UPR_ITEM: &str = "recommendation.upr_item";
const RECOMMENDING_STATE: &str = "recommendation.recommending_state:";
const ADDRESSEE: &str = "addressee:";
const UPR_RECOMMENDATION: &str = "pillar.I.upr_recommendation";
const LEAD_IN: &str = "recommendation.lead_in";
const CARRIED: &str = "english_version:";

impl RuleId {
    /// A rule id as written.
    #[must_use]
    pub fn new(id: impl Into<String>) -> Self {
        RuleId(id.into())
    }

    /// [`RuleKind::UprItem`].
    #[must_use]
    pub fn upr_item() -> Self {
        RuleId::new(UPR_ITEM)
    }

    /// [`RuleKind::RecommendingState`] of the State with ISO 3166-1 alpha-3 code `iso`.
    #[must_use]
    pub fn recommending_state(iso: &str) -> Self {
        RuleId(format!("{RECOMMENDING_STATE}{iso}"))
    }

    /// [`RuleKind::Addressee`] `addressee`.
    #[must_use]
    pub fn addressee(addressee: &str) -> Self {
        RuleId(format!("{ADDRESSEE}{addressee}"))
    }

    /// [`RuleKind::UprRecommendation`].
    #[must_use]
    pub fn upr_recommendation() -> Self {
        RuleId::new(UPR_RECOMMENDATION)
    }

    /// [`RuleKind::LeadIn`], naming the lead-in's paragraph number when it has one.
    #[must_use]
    pub fn lead_in(number: Option<&str>) -> Self {
        match number {
            Some(n) => RuleId(format!("{LEAD_IN}:{n}")),
            None => RuleId::new(LEAD_IN),
        }
    }

    /// [`RuleKind::Carried`]: `rule` of the English unit `english_id`.
    #[must_use]
    pub fn carried(english_id: &str, rule: &str) -> Self {
        RuleId(format!("{CARRIED}{english_id}:{rule}"))
    }

    /// The id as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the id says ([`RuleKind::Other`] for a rule that is only a name to show).
    #[must_use]
    pub fn kind(&self) -> RuleKind<'_> {
        RuleKind::of(&self.0)
    }
}

impl<'a> RuleKind<'a> {
    /// What the rule id `id` says (as [`RuleId::kind`]).
    #[must_use]
    pub fn of(id: &'a str) -> Self {
        if let Some(rest) = id.strip_prefix(CARRIED) {
            return match rest.split_once(':') {
                Some((english_id, rule)) => RuleKind::Carried { english_id, rule },
                None => RuleKind::Other,
            };
        }
        if let Some(iso) = id.strip_prefix(RECOMMENDING_STATE) {
            return RuleKind::RecommendingState(iso);
        }
        if let Some(addressee) = id.strip_prefix(ADDRESSEE) {
            return RuleKind::Addressee(addressee);
        }
        if let Some(rest) = id.strip_prefix(LEAD_IN) {
            if rest.is_empty() {
                return RuleKind::LeadIn(None);
            }
            if let Some(n) = rest.strip_prefix(':') {
                return RuleKind::LeadIn(Some(n));
            }
        }
        match id {
            UPR_ITEM => RuleKind::UprItem,
            UPR_RECOMMENDATION => RuleKind::UprRecommendation,
            _ => RuleKind::Other,
        }
    }
}

impl Deref for RuleId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for RuleId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for RuleId {
    fn from(id: &str) -> Self {
        RuleId::new(id)
    }
}

impl From<String> for RuleId {
    fn from(id: String) -> Self {
        RuleId(id)
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for RuleId {
    fn eq(&self, other: &String) -> bool {
        self.0 == *other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_read_back_what_they_were_built_from() {
        assert_eq!(RuleId::upr_item().kind(), RuleKind::UprItem);
        assert_eq!(
            RuleId::recommending_state("CHL").kind(),
            RuleKind::RecommendingState("CHL")
        );
        assert_eq!(
            RuleId::upr_recommendation().kind(),
            RuleKind::UprRecommendation
        );
        assert_eq!(RuleId::lead_in(None).kind(), RuleKind::LeadIn(None));
        assert_eq!(
            RuleId::lead_in(Some("12")).kind(),
            RuleKind::LeadIn(Some("12"))
        );
        let carried = RuleId::carried("A_1.en~12", "pillar.III.lexicon:veto");
        assert_eq!(carried, "english_version:A_1.en~12:pillar.III.lexicon:veto");
        assert_eq!(
            carried.kind(),
            RuleKind::Carried {
                english_id: "A_1.en~12",
                rule: "pillar.III.lexicon:veto"
            }
        );
        assert_eq!(
            RuleId::addressee("Member States"),
            "addressee:Member States"
        );
        assert_eq!(
            RuleId::new("addressee:Member States").kind(),
            RuleKind::Addressee("Member States")
        );
        assert_eq!(
            RuleId::new("pillar.III.lexicon:veto").kind(),
            RuleKind::Other
        );
        assert_eq!(
            RuleId::new("recommendation.lead_into").kind(),
            RuleKind::Other
        );
    }

    #[test]
    fn a_rule_id_is_its_string_in_json() {
        let id = RuleId::lead_in(Some("4"));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"recommendation.lead_in:4\"");
        assert_eq!(serde_json::from_str::<RuleId>(&json).unwrap(), id);
    }
}
