//! Scoring predicted rows against hand labels (`shared/eval-dev/README.md`).
//!
//! Gold rows are JSON lines in the shape of `gold-2026.jsonl` (one per numbered paragraph or
//! lettered sub-paragraph; a chapeau row has `sub: null`). A predicted [`ParagraphRow`] matches
//! a gold row when its `number` equals the gold `para` and its `sub` the gold `sub` (numbered
//! units outside annexes only: unnumbered blocks such as the Summary are ignored).
//!
//! Per family (pillars; risk factors), on gold rows where that family's confidence is `high`:
//! TP = predicted ∩ required, FN = required − predicted, FP = predicted − required − optional;
//! micro-averaged precision, recall and F1, plus the same per class. Recommendations:
//! precision and recall on rows with `high` recommendation confidence. Addressees: micro-F1 on
//! the recommendation true positives whose addressee confidence is `high` (and, for
//! information, on all true positives). A gold row with no predicted row counts as predicted
//! empty.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Deserialize;
use undex_core::{ParagraphRow, UnitKind};

use crate::error::TagError;

/// Confidence of one label family on a gold row.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct FamilyConfidence {
    /// "high" or "medium".
    #[serde(default)]
    pub pillars: String,
    /// "high" or "medium".
    #[serde(default)]
    pub risk_factors: String,
    /// "high" or "medium".
    #[serde(default)]
    pub recommendation: String,
    /// "high" or "medium".
    #[serde(default)]
    pub addressees: String,
}

/// One hand-labelled row (the fields of `gold-2026.jsonl` that scoring uses).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct GoldRow {
    /// Row id ("2026:16(a)").
    pub id: String,
    /// Paragraph number as printed ("16").
    pub para: String,
    /// Sub-paragraph letter, or null for a paragraph or chapeau.
    pub sub: Option<String>,
    /// Required pillars.
    #[serde(default)]
    pub pillars: Vec<String>,
    /// Defensible but not required pillars.
    #[serde(default)]
    pub pillars_optional: Vec<String>,
    /// Required risk factors.
    #[serde(default)]
    pub risk_factors: Vec<u8>,
    /// Plausible secondary risk factors.
    #[serde(default)]
    pub risk_factors_optional: Vec<u8>,
    /// True for a recommendation in the author's voice.
    #[serde(default)]
    pub recommendation: bool,
    /// Addressees from the taxonomy vocabulary.
    #[serde(default)]
    pub addressees: Vec<String>,
    /// Strongest directive verb.
    #[serde(default)]
    pub verb: Option<String>,
    /// Author-voice "should" with no identifiable addressee.
    #[serde(default)]
    pub normative_no_addressee: bool,
    /// Confidence per family.
    #[serde(default)]
    pub confidence_by_family: FamilyConfidence,
    /// The document the labels are for, relative to the repository root.
    #[serde(default)]
    pub source: Option<String>,
}

/// Parses gold rows from JSON lines (blank lines skipped).
///
/// # Errors
/// [`TagError::Gold`] with the 1-based line number of the first bad line.
pub fn parse_gold(jsonl: &str) -> Result<Vec<GoldRow>, TagError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|source| TagError::Gold {
                line: i + 1,
                source,
            })
        })
        .collect()
}

/// Counts and derived precision / recall / F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// True positives.
    pub tp: u32,
    /// False positives.
    pub fp: u32,
    /// False negatives.
    pub fn_: u32,
}

impl Counts {
    /// TP / (TP + FP); 1.0 when nothing was predicted.
    #[must_use]
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// TP / (TP + FN); 1.0 when nothing was required.
    #[must_use]
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall (0.0 when both are 0).
    #[must_use]
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

/// Scores of one multi-label family.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FamilyScore {
    /// Rows scored (family confidence high).
    pub rows: u32,
    /// Micro-averaged counts.
    pub micro: Counts,
    /// Counts per class ("I", "7", "Member States").
    pub per_class: BTreeMap<String, Counts>,
    /// The scored rows the tagger got wrong, in gold order (filled for pillars and risk
    /// factors).
    pub misses: Vec<RowMiss>,
}

/// One gold row where the predicted tags of a family differ from the required ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowMiss {
    /// Gold row id ("2026:16(a)").
    pub id: String,
    /// Required tags the tagger did not give (false negatives).
    pub missed: Vec<String>,
    /// Tags given that are neither required nor optional (false positives).
    pub extra: Vec<String>,
}

impl RowMiss {
    fn of(
        id: &str,
        predicted: &BTreeSet<String>,
        required: &BTreeSet<String>,
        optional: &BTreeSet<String>,
    ) -> Option<RowMiss> {
        let missed: Vec<String> = required.difference(predicted).cloned().collect();
        let extra: Vec<String> = predicted
            .iter()
            .filter(|c| !required.contains(*c) && !optional.contains(*c))
            .cloned()
            .collect();
        (!missed.is_empty() || !extra.is_empty()).then(|| RowMiss {
            id: id.to_string(),
            missed,
            extra,
        })
    }
}

impl FamilyScore {
    fn score_row(
        &mut self,
        predicted: &BTreeSet<String>,
        required: &BTreeSet<String>,
        optional: &BTreeSet<String>,
    ) {
        self.rows += 1;
        for c in predicted.union(required) {
            let mut k = Counts::default();
            if predicted.contains(c) && required.contains(c) {
                k.tp = 1;
            } else if required.contains(c) {
                k.fn_ = 1;
            } else if !optional.contains(c) {
                k.fp = 1;
            }
            self.micro.add(k);
            self.per_class.entry(c.clone()).or_default().add(k);
        }
    }
}

/// The full evaluation report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalReport {
    /// Gold rows.
    pub gold_rows: u32,
    /// Gold rows with a predicted row of the same paragraph and sub-paragraph.
    pub matched_rows: u32,
    /// Ids of gold rows with no predicted row.
    pub unmatched: Vec<String>,
    /// Pillars.
    pub pillars: FamilyScore,
    /// Risk factors.
    pub risk_factors: FamilyScore,
    /// Recommendation yes/no on rows with high recommendation confidence.
    pub recommendation: Counts,
    /// Rows scored for recommendations.
    pub recommendation_rows: u32,
    /// Gold ids of recommendation errors: (id, "fp" | "fn").
    pub recommendation_errors: Vec<(String, &'static str)>,
    /// Addressees on recommendation true positives with high addressee confidence.
    pub addressees: FamilyScore,
    /// Addressees on all recommendation true positives.
    pub addressees_all_tp: FamilyScore,
    /// Verb agreement on recommendation true positives: (equal, total).
    pub verb_agreement: (u32, u32),
}

impl Counts {
    /// Adds another set of counts.
    pub fn merge(&mut self, other: Counts) {
        self.add(other);
    }
}

impl FamilyScore {
    /// Adds another document's scores (micro counts and per-class counts).
    pub fn merge(&mut self, other: FamilyScore) {
        self.rows += other.rows;
        self.micro.add(other.micro);
        for (class, counts) in other.per_class {
            self.per_class.entry(class).or_default().add(counts);
        }
        self.misses.extend(other.misses);
    }
}

impl EvalReport {
    /// Adds another document's report, so that micro-averages are taken over the rows of all
    /// documents together (not averaged per document).
    pub fn merge(&mut self, other: EvalReport) {
        self.gold_rows += other.gold_rows;
        self.matched_rows += other.matched_rows;
        self.unmatched.extend(other.unmatched);
        self.pillars.merge(other.pillars);
        self.risk_factors.merge(other.risk_factors);
        self.recommendation.add(other.recommendation);
        self.recommendation_rows += other.recommendation_rows;
        self.recommendation_errors
            .extend(other.recommendation_errors);
        self.addressees.merge(other.addressees);
        self.addressees_all_tp.merge(other.addressees_all_tp);
        self.verb_agreement.0 += other.verb_agreement.0;
        self.verb_agreement.1 += other.verb_agreement.1;
    }
}

fn high(s: &str) -> bool {
    s.eq_ignore_ascii_case("high")
}

fn set<T: ToString>(v: &[T]) -> BTreeSet<String> {
    v.iter().map(ToString::to_string).collect()
}

/// Scores `predicted` rows (one document) against `gold` rows of the same document.
#[must_use]
pub fn score(gold: &[GoldRow], predicted: &[ParagraphRow]) -> EvalReport {
    let by_key: BTreeMap<(String, Option<String>), &ParagraphRow> = predicted
        .iter()
        .filter(|r| {
            r.annex.is_none()
                && matches!(
                    r.kind,
                    UnitKind::Paragraph
                        | UnitKind::Chapeau
                        | UnitKind::Subparagraph
                        | UnitKind::UprRecommendation
                        | UnitKind::Operative
                )
        })
        .filter_map(|r| Some(((r.number.clone()?, r.sub.clone()), r)))
        .collect();
    let mut rep = EvalReport::default();
    let empty = BTreeSet::new();
    for g in gold {
        rep.gold_rows += 1;
        let row = by_key.get(&(g.para.clone(), g.sub.clone()));
        if row.is_some() {
            rep.matched_rows += 1;
        } else {
            rep.unmatched.push(g.id.clone());
        }
        let (p_pillars, p_risks, p_rec, p_addr, p_verb) = match row {
            Some(r) => (
                set(&r.pillars),
                set(&r.risk_factors),
                r.recommendation,
                set(&r.addressees),
                r.verb.clone(),
            ),
            None => (empty.clone(), empty.clone(), false, empty.clone(), None),
        };
        let c = &g.confidence_by_family;
        if high(&c.pillars) {
            rep.pillars
                .score_row(&p_pillars, &set(&g.pillars), &set(&g.pillars_optional));
            rep.pillars.misses.extend(RowMiss::of(
                &g.id,
                &p_pillars,
                &set(&g.pillars),
                &set(&g.pillars_optional),
            ));
        }
        if high(&c.risk_factors) {
            rep.risk_factors.score_row(
                &p_risks,
                &set(&g.risk_factors),
                &set(&g.risk_factors_optional),
            );
            rep.risk_factors.misses.extend(RowMiss::of(
                &g.id,
                &p_risks,
                &set(&g.risk_factors),
                &set(&g.risk_factors_optional),
            ));
        }
        if high(&c.recommendation) {
            rep.recommendation_rows += 1;
            match (p_rec, g.recommendation) {
                (true, true) => {
                    rep.recommendation.tp += 1;
                    let required = set(&g.addressees);
                    if high(&c.addressees) {
                        rep.addressees.score_row(&p_addr, &required, &empty);
                    }
                    rep.addressees_all_tp.score_row(&p_addr, &required, &empty);
                    rep.verb_agreement.1 += 1;
                    if p_verb == g.verb {
                        rep.verb_agreement.0 += 1;
                    }
                }
                (true, false) => {
                    rep.recommendation.fp += 1;
                    rep.recommendation_errors.push((g.id.clone(), "fp"));
                }
                (false, true) => {
                    rep.recommendation.fn_ += 1;
                    rep.recommendation_errors.push((g.id.clone(), "fn"));
                }
                (false, false) => {}
            }
        }
    }
    rep
}

impl EvalReport {
    /// The rows the tagger got wrong, one line each, pillars then risk factors:
    /// `pillars 2026:17 missed [II] extra [III]`. Empty when nothing is wrong.
    #[must_use]
    pub fn misses_text(&self) -> String {
        let mut out = String::new();
        for (family, score) in [
            ("pillars", &self.pillars),
            ("risk factors", &self.risk_factors),
        ] {
            for m in &score.misses {
                out.push_str(&format!(
                    "{family} {} missed [{}] extra [{}]\n",
                    m.id,
                    m.missed.join(", "),
                    m.extra.join(", ")
                ));
            }
        }
        for (id, kind) in &self.recommendation_errors {
            out.push_str(&format!("recommendation {id} {kind}\n"));
        }
        out
    }
}

fn line(f: &mut fmt::Formatter<'_>, name: &str, rows: u32, c: Counts) -> fmt::Result {
    writeln!(
        f,
        "{name:<28} {rows:>5} {:>4} {:>4} {:>4} {:>6.3} {:>6.3} {:>6.3}",
        c.tp,
        c.fp,
        c.fn_,
        c.precision(),
        c.recall(),
        c.f1()
    )
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "rows: {} gold, {} matched{}",
            self.gold_rows,
            self.matched_rows,
            if self.unmatched.is_empty() {
                String::new()
            } else {
                format!(" (missing: {})", self.unmatched.join(", "))
            }
        )?;
        writeln!(
            f,
            "{:<28} {:>5} {:>4} {:>4} {:>4} {:>6} {:>6} {:>6}",
            "family / class", "rows", "tp", "fp", "fn", "P", "R", "F1"
        )?;
        line(f, "pillars (micro)", self.pillars.rows, self.pillars.micro)?;
        for (k, c) in &self.pillars.per_class {
            line(f, &format!("  pillar {k}"), self.pillars.rows, *c)?;
        }
        line(
            f,
            "risk factors (micro)",
            self.risk_factors.rows,
            self.risk_factors.micro,
        )?;
        let mut rf: Vec<(&String, &Counts)> = self.risk_factors.per_class.iter().collect();
        rf.sort_by_key(|(k, _)| k.parse::<u8>().unwrap_or(u8::MAX));
        for (k, c) in rf {
            line(f, &format!("  risk factor {k}"), self.risk_factors.rows, *c)?;
        }
        line(
            f,
            "recommendation",
            self.recommendation_rows,
            self.recommendation,
        )?;
        line(
            f,
            "addressees (micro, high)",
            self.addressees.rows,
            self.addressees.micro,
        )?;
        for (k, c) in &self.addressees.per_class {
            line(f, &format!("  {k}"), self.addressees.rows, *c)?;
        }
        line(
            f,
            "addressees (micro, all TP)",
            self.addressees_all_tp.rows,
            self.addressees_all_tp.micro,
        )?;
        writeln!(
            f,
            "verb agreement on TP: {}/{}",
            self.verb_agreement.0, self.verb_agreement.1
        )?;
        if !self.recommendation_errors.is_empty() {
            let e: Vec<String> = self
                .recommendation_errors
                .iter()
                .map(|(id, k)| format!("{id} {k}"))
                .collect();
            writeln!(f, "recommendation errors: {}", e.join(", "))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_the_readme_definitions() {
        let mut s = FamilyScore::default();
        // required {I}, optional {II}; predicted {I, II, III} → TP 1, FP 1 (III), II ignored.
        s.score_row(&set(&["I", "II", "III"]), &set(&["I"]), &set(&["II"]));
        assert_eq!(
            s.micro,
            Counts {
                tp: 1,
                fp: 1,
                fn_: 0
            }
        );
        // required {III}, predicted {} → FN 1.
        s.score_row(&set::<&str>(&[]), &set(&["III"]), &set::<&str>(&[]));
        assert_eq!(s.micro.fn_, 1);
        assert!((s.micro.precision() - 0.5).abs() < 1e-9);
        assert!((s.micro.recall() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn misses_name_the_row_and_the_wrong_tags() {
        let m = RowMiss::of(
            "2026:17",
            &set(&["I", "III"]),
            &set(&["I", "II"]),
            &set::<&str>(&[]),
        )
        .unwrap();
        assert_eq!(
            (m.missed, m.extra),
            (vec!["II".to_string()], vec!["III".to_string()])
        );
        // Optional tags are not extra; a right row is no miss.
        assert!(RowMiss::of("x", &set(&["I", "II"]), &set(&["I"]), &set(&["II"])).is_none());
    }

    #[test]
    fn merging_two_reports_adds_counts() {
        let mut a = EvalReport::default();
        a.pillars
            .score_row(&set(&["I"]), &set(&["I"]), &set::<&str>(&[]));
        let mut b = EvalReport::default();
        b.pillars
            .score_row(&set(&["II"]), &set(&["I"]), &set::<&str>(&[]));
        b.recommendation.tp = 2;
        a.merge(b);
        assert_eq!(a.pillars.rows, 2);
        assert_eq!(
            a.pillars.micro,
            Counts {
                tp: 1,
                fp: 1,
                fn_: 1
            }
        );
        assert_eq!(
            a.pillars.per_class["I"],
            Counts {
                tp: 1,
                fp: 0,
                fn_: 1
            }
        );
        assert_eq!(a.recommendation.tp, 2);
    }

    #[test]
    fn bad_gold_line_reports_its_number() {
        let err = parse_gold("\n{\"id\": 1}\n").unwrap_err();
        assert!(matches!(err, TagError::Gold { line: 2, .. }), "{err}");
    }
}
