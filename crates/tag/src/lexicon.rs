//! Lexicons as data: the TOML files under `crates/tag/data/`, compiled once.
//!
//! A [`CueSet`] is a list of weighted regular expressions ("cues"), each voting for a label
//! (a pillar "I"/"II"/"III" or a risk factor "1"–"14"), plus "neutral" spans inside which no
//! cue counts. A label is assigned when the weights of its distinct matching cues reach the
//! set's threshold; one weak cue never suffices on its own.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;
use undex_core::{Evidence, RuleId};

use crate::error::TagError;
use crate::pattern::{Re, TextKind};
use crate::scan::Hits;

/// The embedded data files, by name (for error messages and tests).
pub(crate) const PILLARS_TOML: &str = include_str!("../data/pillars.toml");
pub(crate) const RISK_FACTORS_TOML: &str = include_str!("../data/risk_factors.toml");
pub(crate) const RECOMMENDATION_TOML: &str = include_str!("../data/recommendation.toml");
pub(crate) const RECOMMENDATION_NATIVE_TOML: &str =
    include_str!("../data/recommendation_native.toml");
pub(crate) const COUNTRIES_TOML: &str = include_str!("../data/countries.toml");
pub(crate) const CRIMES_TOML: &str = include_str!("../data/crimes.toml");

/// Compiles a case-insensitive pattern from a data file.
pub(crate) fn compile(file: &'static str, id: &str, pattern: &str) -> Result<Re, TagError> {
    Re::new(file, id, pattern, true)
}

/// Compiles a case-sensitive pattern (proper nouns, first-person "I").
pub(crate) fn compile_exact(file: &'static str, id: &str, pattern: &str) -> Result<Re, TagError> {
    Re::new(file, id, pattern, false)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCueSet {
    threshold: f32,
    #[serde(default)]
    neutral: Vec<RawNeutral>,
    cue: Vec<RawCue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNeutral {
    pub(crate) id: String,
    pub(crate) pattern: String,
    /// Labels whose cues the span hides; empty (the default) hides every label's cues.
    #[serde(default)]
    pub(crate) labels: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCue {
    label: String,
    id: String,
    pattern: String,
    weight: f32,
}

/// One compiled cue.
#[derive(Debug)]
pub(crate) struct Cue {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) re: Re,
    pub(crate) weight: f32,
}

/// A weighted cue lexicon for one tag family.
#[derive(Debug)]
pub(crate) struct CueSet {
    /// Family name used in evidence rule ids ("pillar", "risk").
    family: &'static str,
    pub(crate) threshold: f32,
    pub(crate) neutral: Vec<Neutral>,
    pub(crate) cues: Vec<Cue>,
}

/// The outcome of scoring one label on one text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LabelScore {
    /// Sum of the weights of the distinct cues that matched.
    pub(crate) score: f32,
    /// One evidence span per match.
    pub(crate) evidence: Vec<Evidence>,
}

impl CueSet {
    /// Parses a cue file (`threshold`, `[[neutral]]`, `[[cue]]`).
    pub(crate) fn parse(
        file: &'static str,
        family: &'static str,
        src: &str,
    ) -> Result<CueSet, TagError> {
        let raw: RawCueSet =
            toml::from_str(src).map_err(|source| TagError::Toml { file, source })?;
        let neutral = compile_neutral(file, &raw.neutral)?;
        let mut cues = Vec::with_capacity(raw.cue.len());
        for c in raw.cue {
            if !(0.0..=1.0).contains(&c.weight) {
                return Err(TagError::Data {
                    file,
                    message: format!("cue {}: weight {} outside 0..=1", c.id, c.weight),
                });
            }
            let re = compile(file, &c.id, &c.pattern)?;
            cues.push(Cue {
                id: c.id,
                label: c.label,
                re,
                weight: c.weight,
            });
        }
        Ok(CueSet {
            family,
            threshold: raw.threshold,
            neutral,
            cues,
        })
    }

    /// The neutral patterns, then the cues: the order of the set's family in a
    /// [`Scan`](crate::scan::Scan).
    pub(crate) fn patterns(&self) -> impl Iterator<Item = &Re> {
        self.neutral
            .iter()
            .map(|n| &n.re)
            .chain(self.cues.iter().map(|c| &c.re))
    }

    /// Scores every label on `text`: label → (sum of distinct cue weights, evidence). Labels
    /// with no match are absent. Matches overlapping a neutral span are ignored. `hits` is
    /// the scan of `text` for this set's family: only cues that can match run, each over
    /// the window where its matches can start.
    pub(crate) fn score(&self, text: &str, hits: Hits<'_>) -> BTreeMap<String, LabelScore> {
        let kind = hits.kind();
        let offset = self.neutral.len();
        // Neutral spans are looked for only once a cue has matched.
        let mut spans: Option<Vec<(usize, usize, &[String])>> = None;
        let mut out: BTreeMap<String, LabelScore> = BTreeMap::new();
        for (i, cue) in self.cues.iter().enumerate() {
            let Some(window) = hits.window(offset + i) else {
                continue;
            };
            let mut matched = false;
            for m in cue.re.find_in(text, kind, window) {
                let spans = spans.get_or_insert_with(|| {
                    self.neutral
                        .iter()
                        .enumerate()
                        .filter_map(|(k, n)| Some((n, hits.window(k)?)))
                        .flat_map(|(n, window)| {
                            n.re.find_in(text, kind, window)
                                .map(|m| (m.start(), m.end(), n.labels.as_slice()))
                        })
                        .collect()
                });
                let hidden = spans.iter().any(|&(s, e, labels)| {
                    m.start() < e
                        && s < m.end()
                        && (labels.is_empty() || labels.contains(&cue.label))
                });
                if hidden {
                    continue;
                }
                let entry = out.entry(cue.label.clone()).or_insert(LabelScore {
                    score: 0.0,
                    evidence: Vec::new(),
                });
                if !matched {
                    entry.score += cue.weight;
                    matched = true;
                }
                entry.evidence.push(Evidence {
                    start: m.start(),
                    end: m.end(),
                    text: m.as_str().to_string(),
                    rule: RuleId::new(format!("{}.{}.lexicon:{}", self.family, cue.label, cue.id)),
                    confidence: cue.weight,
                });
            }
        }
        for s in out.values_mut() {
            s.evidence.sort_by_key(|e| (e.start, e.end));
        }
        out
    }

    /// Labels whose score reaches the threshold, with their evidence.
    pub(crate) fn assigned(&self, text: &str, hits: Hits<'_>) -> Vec<(String, LabelScore)> {
        self.score(text, hits)
            .into_iter()
            .filter(|(_, s)| s.score + 1e-4 >= self.threshold)
            .collect()
    }
}

/// Compiles `[[neutral]]` entries.
/// A neutral span pattern: cues of `labels` (of every label when empty) inside a match are
/// ignored.
#[derive(Debug)]
pub(crate) struct Neutral {
    pub(crate) re: Re,
    pub(crate) labels: Vec<String>,
}

pub(crate) fn compile_neutral(
    file: &'static str,
    raw: &[RawNeutral],
) -> Result<Vec<Neutral>, TagError> {
    raw.iter()
        .map(|n| {
            Ok(Neutral {
                re: compile(file, &n.id, &n.pattern)?,
                labels: n.labels.clone(),
            })
        })
        .collect()
}

/// Byte spans of every neutral match in `text`; `hits` is the scan of `text` for the
/// family whose first patterns are `neutral`.
pub(crate) fn neutral_spans(
    neutral: &[Neutral],
    text: &str,
    hits: Hits<'_>,
) -> Vec<(usize, usize)> {
    neutral
        .iter()
        .enumerate()
        .filter_map(|(k, n)| Some((n, hits.window(k)?)))
        .flat_map(|(n, window)| {
            n.re.find_in(text, hits.kind(), window)
                .map(|m| (m.start(), m.end()))
        })
        .collect()
}

/// True when `[start, end)` overlaps one of `spans`.
pub(crate) fn overlaps_any(spans: &[(usize, usize)], start: usize, end: usize) -> bool {
    spans.iter().any(|&(s, e)| start < e && s < end)
}

/// The pillar lexicon, parsed once.
/// The State's own measures, as a UPR working group report describes them: laws, courts,
/// plans, policies, programmes, national institutions, budgets, reparations and transitional
/// justice. Used only in UPR reports, where the State under review is the subject throughout.
static STATE_MEASURE: LazyLock<Re> = LazyLock::new(|| {
    compile(
        "lib",
        "state_measure",
        r"\b(?:laws?|act|acts|legislation|legislative|courts?|tribunals?|judiciary|judicial|prosecutors?|plans?|polic(?:y|ies)|strateg(?:y|ies)|programmes?|commissions?|institutions?|institutional|units?|mechanisms?|reforms?|constitution(?:al)?|transitional justice|reparations?|ministry|ministries|budget|allocated|ombudsman|national human rights|measures|charter)\b",
    )
    .expect("static pattern")
});

/// Unilateral sanctions and coercive measures: a UPR recommendation to denounce them is about
/// other States' conduct, not the State's own measures.
pub(crate) static UNILATERAL: LazyLock<Re> = LazyLock::new(|| {
    compile(
        "lib",
        "unilateral",
        r"\bunilateral\b|\bcoercive measures\b|\b(?:imposed|economic) sanctions\b",
    )
    .expect("static pattern")
});

/// Whether `text` is about unilateral sanctions or coercive measures (`hits`: its scan).
pub(crate) fn about_unilateral_measures(text: &str, hits: Hits<'_>) -> bool {
    hits.window(0)
        .is_some_and(|w| UNILATERAL.find_in(text, hits.kind(), w).next().is_some())
}

/// Evidence for pillar I in a UPR working group report (see [`STATE_MEASURE`]).
pub(crate) fn state_measure(text: &str, kind: TextKind) -> Option<Evidence> {
    STATE_MEASURE.get(kind).find(text).map(|m| Evidence {
        start: m.start(),
        end: m.end(),
        text: m.as_str().to_string(),
        rule: RuleId::new("pillar.I.upr_state_measure"),
        confidence: 0.6,
    })
}

pub(crate) static PILLARS: LazyLock<CueSet> = LazyLock::new(|| {
    CueSet::parse("pillars.toml", "pillar", PILLARS_TOML)
        .expect("embedded data/pillars.toml is valid (checked by tests)")
});

/// The risk factor lexicon, parsed once.
pub(crate) static RISK_FACTORS: LazyLock<CueSet> = LazyLock::new(|| {
    CueSet::parse("risk_factors.toml", "risk_factor", RISK_FACTORS_TOML)
        .expect("embedded data/risk_factors.toml is valid (checked by tests)")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_cue_files_parse_and_use_known_labels() {
        let p = CueSet::parse("pillars.toml", "pillar", PILLARS_TOML).unwrap();
        assert!(
            p.cues
                .iter()
                .all(|c| ["I", "II", "III"].contains(&c.label.as_str()))
        );
        let r = CueSet::parse("risk_factors.toml", "risk_factor", RISK_FACTORS_TOML).unwrap();
        for n in 1..=14u8 {
            assert!(
                r.cues.iter().any(|c| c.label == n.to_string()),
                "risk factor {n} has no cue"
            );
        }
        assert!(
            r.cues
                .iter()
                .all(|c| c.label.parse::<u8>().is_ok_and(|n| (1..=14).contains(&n)))
        );
    }

    #[test]
    fn bad_data_is_an_error_not_a_panic() {
        let err = CueSet::parse(
            "x.toml",
            "x",
            "threshold = 1.0\n[[cue]]\nlabel='I'\nid='a'\npattern='('\nweight=1.0\n",
        );
        assert!(matches!(err, Err(TagError::Pattern { .. })));
        let err = CueSet::parse("x.toml", "x", "threshold = 'a'");
        assert!(matches!(err, Err(TagError::Toml { .. })));
    }

    #[test]
    fn a_cue_counts_once_and_neutral_spans_hide_cues() {
        // 2026 para. 46: "at the national, regional and multilateral levels" is generic.
        let text = "implementing the responsibility to protect at the national, regional and multilateral levels";
        let scan = crate::scan::Scan::new(text);
        let s = PILLARS.score(text, scan.family(crate::scan::Family::Pillars));
        assert!(!s.contains_key("II"), "{s:?}");
        // Two mentions of "regional" (0.5) stay one weak cue.
        let text = "regional trends and regional consultations";
        let scan = crate::scan::Scan::new(text);
        let s = PILLARS.score(text, scan.family(crate::scan::Family::Pillars));
        assert!((s["II"].score - 0.5).abs() < 1e-6);
        assert_eq!(s["II"].evidence.len(), 2);
    }
}
