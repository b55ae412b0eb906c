//! Aligning the language versions of one UN document, unit by unit.
//!
//! The UN issues every document in its six official languages under one symbol, with the same
//! paragraph numbering (Editorial Manual: a translation keeps the original's paragraph and
//! sub-paragraph numbers and its annexes). Two versions are recognised as one document by
//! [`same_document`] (a shared symbol) or, at the masthead level, [`job_family`] (ODS job numbers
//! issued together: GE.09-17087 for the English, GE.09-17088 for the French).
//!
//! [`align`] pairs their units in two passes:
//! 1. **by locator**: a unit numbered on both sides (number, sub-paragraph, annex, kind) is
//!    paired with its namesake; these pairs are the anchors;
//! 2. **by length** between anchors: the unnumbered units (blocks, headings read as blocks,
//!    preambular paragraphs) of each gap are aligned by a Gale–Church dynamic programme over
//!    their character lengths (W. A. Gale and K. W. Church, "A program for aligning sentences
//!    in bilingual corpora", *Computational Linguistics* 19:1, 1993), with the beads 1–1, 1–0,
//!    0–1, 2–1, 1–2 and 2–2. A 1–0 or 0–1 bead leaves a unit unpaired; a 2–1 bead pairs the
//!    lone unit with the longer of the two (the shorter, most often a heading one version
//!    prints apart, stays unpaired); a 2–2 bead pairs them in order.
//!
//! No crate of crates.io was found to do this (the registry search could not be reached from
//! the build machine; none is in the workspace's lockfile), so the programme is here, ~80 lines.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::document::UnitKind;
use crate::language::Language;
use crate::row::ParagraphRow;
use crate::rule::{RuleId, RuleKind};

/// Most units per side that [`align`] reads; beyond it the rest are left unpaired (the largest
/// UN reports hold a few thousand units). Bounds the length programme's time and memory.
pub const MAX_ALIGN_UNITS: usize = 50_000;

/// Largest gap (units on one side between two anchors) aligned by length; a longer gap is
/// aligned by order alone (1–1 up to the shorter side), which bounds the programme at
/// `MAX_GAP²` cells.
pub const MAX_GAP: usize = 2_000;

/// How a pair was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlignMethod {
    /// Same number, sub-paragraph, annex and kind on both sides.
    Locator,
    /// Gale–Church alignment by length of the unnumbered units between two anchors.
    Length,
}

/// One pair of aligned units: a unit of the first document and its counterpart in the second.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlignedPair {
    /// Unit id in the first document ("A_HRC_WG.6_7_ITA_1.en~12").
    pub a: String,
    /// Unit id in the second document ("A_HRC_WG.6_7_ITA_1.fr~12").
    pub b: String,
    /// How the pair was found.
    pub method: AlignMethod,
}

/// True when two rows' documents are language versions of one UN document: they share a
/// symbol (case-insensitive; any of a joint symbol's parts) and are in different languages.
/// Rows without a symbol (non-UN documents, `sha-…` ids) never match.
#[must_use]
pub fn same_document(a: &ParagraphRow, b: &ParagraphRow) -> bool {
    if a.language == b.language {
        return false;
    }
    let norm = |s: &str| s.trim().to_ascii_uppercase();
    let mut left: Vec<String> = a.symbols.iter().map(|s| norm(s)).collect();
    left.extend(a.symbol.as_deref().map(norm));
    let mut right: Vec<String> = b.symbols.iter().map(|s| norm(s)).collect();
    right.extend(b.symbol.as_deref().map(norm));
    left.iter().any(|s| !s.is_empty() && right.contains(s))
}

/// True when two ODS job numbers belong to one family: the numbers the UN's documents
/// service issues together to a document's language versions ("GE.09-17087" for the English,
/// "GE.09-17088" for the French; "25-06353"/"25-06354"). Same prefix and year, serial numbers
/// at most 10 apart, and not equal (equal job numbers are the same file). Inputs longer than 40
/// bytes never match.
#[must_use]
pub fn job_family(a: &str, b: &str) -> bool {
    fn split(j: &str) -> Option<(String, u32)> {
        let j = j.trim();
        if j.len() > 40 {
            return None;
        }
        let (head, serial) = j.rsplit_once('-')?;
        let digits: String = serial.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() < 4 {
            return None;
        }
        Some((head.to_ascii_uppercase(), digits.parse().ok()?))
    }
    match (split(a), split(b)) {
        (Some((ha, na)), Some((hb, nb))) => ha == hb && na != nb && na.abs_diff(nb) <= 10,
        _ => false,
    }
}

/// The locator of a numbered unit, or `None` for a unit printed without a number.
fn locator(r: &ParagraphRow) -> Option<(String, Option<String>, Option<String>, UnitKind)> {
    let n = r.number.as_deref()?.trim();
    if n.is_empty() {
        return None;
    }
    Some((
        n.to_ascii_lowercase(),
        r.sub.as_deref().map(|s| s.trim().to_lowercase()),
        r.annex.as_deref().map(|s| s.trim().to_ascii_lowercase()),
        r.kind,
    ))
}

/// Aligns the units of two language versions of one document (`a` and `b`, each in reading
/// order, as [`crate::Document::rows`] gives them): numbered units by locator, the unnumbered
/// units between two anchors by length (see the module docs). Returns the pairs in `a`'s
/// reading order; a unit with no counterpart is in no pair. Each side is read up to
/// [`MAX_ALIGN_UNITS`] units. Does not check that the two are versions of one document: see
/// [`same_document`].
#[must_use]
pub fn align(a: &[ParagraphRow], b: &[ParagraphRow]) -> Vec<AlignedPair> {
    let a = &a[..a.len().min(MAX_ALIGN_UNITS)];
    let b = &b[..b.len().min(MAX_ALIGN_UNITS)];
    // Locators unique on their side only: a number printed twice (a misread) anchors nothing.
    let index = |rows: &[ParagraphRow]| {
        let mut m: HashMap<_, Vec<usize>> = HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            if let Some(l) = locator(r) {
                m.entry(l).or_default().push(i);
            }
        }
        m
    };
    let ia = index(a);
    let ib = index(b);
    let mut candidates: Vec<(usize, usize)> = ia
        .iter()
        .filter_map(
            |(l, xs)| match (xs.as_slice(), ib.get(l).map(Vec::as_slice)) {
                ([i], Some([j])) => Some((*i, *j)),
                _ => None,
            },
        )
        .collect();
    candidates.sort_unstable();
    let anchors = increasing(&candidates);
    let mut pairs: BTreeMap<(usize, usize), AlignMethod> = BTreeMap::new();
    let (mut pa, mut pb) = (0usize, 0usize);
    for &(i, j) in anchors.iter().chain(std::iter::once(&(a.len(), b.len()))) {
        let ga: Vec<usize> = (pa..i).filter(|&k| locator(&a[k]).is_none()).collect();
        let gb: Vec<usize> = (pb..j).filter(|&k| locator(&b[k]).is_none()).collect();
        for (x, y) in gale_church(&lengths(a, &ga), &lengths(b, &gb)) {
            pairs.insert((ga[x], gb[y]), AlignMethod::Length);
        }
        if i < a.len() {
            pairs.insert((i, j), AlignMethod::Locator);
        }
        pa = i + 1;
        pb = j + 1;
    }
    pairs
        .into_iter()
        .map(|((i, j), method)| AlignedPair {
            a: a[i].id.clone(),
            b: b[j].id.clone(),
            method,
        })
        .collect()
}

fn lengths(rows: &[ParagraphRow], idx: &[usize]) -> Vec<usize> {
    idx.iter().map(|&k| rows[k].text.chars().count()).collect()
}

/// The longest chain of candidate pairs increasing on both sides (`cands` sorted by `a`),
/// so that anchors never cross (O(n log n), patience sorting).
fn increasing(cands: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut tails: Vec<usize> = Vec::new(); // index into cands of the smallest tail per length
    let mut prev: Vec<Option<usize>> = vec![None; cands.len()];
    for (k, &(_, j)) in cands.iter().enumerate() {
        let pos = tails.partition_point(|&t| cands[t].1 < j);
        prev[k] = pos.checked_sub(1).map(|p| tails[p]);
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        out.push(cands[k]);
        cur = prev[k];
    }
    out.reverse();
    out
}

/// −log prior of each bead (Gale and Church 1993, table 5): 1–1 0.89, 1–0/0–1 0.0099,
/// 2–1/1–2 0.089, 2–2 0.011.
const BEADS: [(usize, usize, f64); 6] = [
    (1, 1, 0.89),
    (1, 0, 0.0099),
    (0, 1, 0.0099),
    (2, 1, 0.089),
    (1, 2, 0.089),
    (2, 2, 0.011),
];

/// Cost of aligning a span of `la` characters with one of `lb` characters: −log of the
/// probability that `lb − c·la` deviates this much (c = 1, s² = 6.8), times the bead prior.
fn match_cost(la: usize, lb: usize, prior: f64) -> f64 {
    let (la, lb) = (la as f64, lb as f64);
    let mean = (la + lb) / 2.0;
    let delta = if mean > 0.0 {
        (lb - la) / (6.8 * mean).sqrt()
    } else {
        0.0
    };
    let p = 2.0 * (1.0 - normal_cdf(delta.abs()));
    -(p.max(1e-12).ln()) - prior.ln()
}

fn normal_cdf(z: f64) -> f64 {
    // Abramowitz and Stegun 26.2.17, error below 7.5e-8.
    let t = 1.0 / (1.0 + 0.231_641_9 * z);
    let poly = t
        * (0.319_381_530
            + t * (-0.356_563_782
                + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    1.0 - (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * poly
}

/// Gale–Church over two lists of lengths: the index pairs of its beads (see the module docs).
fn gale_church(a: &[usize], b: &[usize]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    if n > MAX_GAP || m > MAX_GAP {
        return (0..n.min(m)).map(|k| (k, k)).collect();
    }
    let mut cost = vec![vec![f64::INFINITY; m + 1]; n + 1];
    let mut back = vec![vec![(0usize, 0usize); m + 1]; n + 1];
    cost[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 && j == 0 {
                continue;
            }
            for &(di, dj, prior) in &BEADS {
                if di > i || dj > j || !cost[i - di][j - dj].is_finite() {
                    continue;
                }
                let la: usize = a[i - di..i].iter().sum();
                let lb: usize = b[j - dj..j].iter().sum();
                let c = cost[i - di][j - dj] + match_cost(la, lb, prior);
                if c < cost[i][j] {
                    cost[i][j] = c;
                    back[i][j] = (di, dj);
                }
            }
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (di, dj) = back[i][j];
        match (di, dj) {
            (0, _) | (_, 0) => {}
            // The lone unit's counterpart is the longer of the two (the shorter is most often a
            // heading or a fragment that one version prints apart).
            (1, 2) => out.push((i - 1, if b[j - 2] >= b[j - 1] { j - 2 } else { j - 1 })),
            (2, 1) => out.push((if a[i - 2] >= a[i - 1] { i - 2 } else { i - 1 }, j - 1)),
            (2, 2) => {
                out.push((i - 1, j - 1));
                out.push((i - 2, j - 2));
            }
            _ => out.push((i - 1, j - 1)),
        }
        i -= di;
        j -= dj;
    }
    out.reverse();
    out
}

/// Precision and recall of `found` pairs against `gold` pairs (each an `(a id, b id)` pair).
/// Empty inputs give 1.0 (nothing to find, nothing wrong).
#[must_use]
pub fn score_pairs(found: &[(String, String)], gold: &[(String, String)]) -> (f64, f64) {
    let gold_set: std::collections::HashSet<&(String, String)> = gold.iter().collect();
    let found_set: std::collections::HashSet<&(String, String)> = found.iter().collect();
    let hit = found_set.iter().filter(|p| gold_set.contains(*p)).count();
    let ratio = |num: usize, den: usize| {
        if den == 0 {
            1.0
        } else {
            num as f64 / den as f64
        }
    };
    (ratio(hit, found_set.len()), ratio(hit, gold_set.len()))
}

/// The tag families [`carry_english_tags`] carries (the rest, crimes, countries and cited
/// documents, are read from each version's own text).
pub const CARRIED_FAMILIES: [&str; 4] = ["pillar", "risk_factor", "recommendation", "addressee"];

/// For evidence carried from the English version (its rule built by [`RuleId::carried`]):
/// the English unit id and the English rule (`None` for evidence found in the paragraph's own
/// words).
#[must_use]
pub fn carried_from(rule: &str) -> Option<(&str, &str)> {
    match RuleKind::of(rule) {
        RuleKind::Carried { english_id, rule } => Some((english_id, rule)),
        _ => None,
    }
}

/// "from the English version, para. 12" ("…, para. 4 (a)", "…, annex, para. 3", "…, unit
/// b3" for a unit printed without a number), from the English unit id of [`carried_from`]
/// (ids as [`crate::document::paragraph_id`] builds them).
#[must_use]
pub fn carried_label(english_id: &str) -> String {
    let (annex, locator) = crate::document::UnitId::parse(english_id)
        .map_or((None, english_id), |u| {
            (u.annex.map(|a| a.replace('-', " ")), u.unit)
        });
    let where_ = if locator.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        format!("para. {}", locator.replacen('(', " (", 1))
    } else {
        format!("unit {locator}")
    };
    match annex {
        Some(a) => format!("from the English version, {a}, {where_}"),
        None => format!("from the English version, {where_}"),
    }
}

/// Gives each unit of `other` (a French, Russian… version of the document of `english`, see
/// [`same_document`]) the pillars, risk factors, recommendation flag, verb, recommending
/// States and addressees of the English unit it is aligned to ([`align`]), replacing what it
/// had of these (a unit that had tags from an earlier carry and whose English unit has none any
/// more loses them). Each piece of English evidence is carried with its English words (`text`),
/// an empty span (`start` = `end` = 0: the words are not in this version's text) and the rule
/// `english_version:{English unit id}:{English rule}` ([`carried_from`]). A unit aligned to
/// nothing, or to an English unit without these tags, keeps its own. Returns the number of
/// units that received tags. Does nothing when `english` is not in English or `other` is.
pub fn carry_english_tags(english: &[ParagraphRow], other: &mut [ParagraphRow]) -> usize {
    if english.first().is_none_or(|r| r.language != Language::En)
        || other.first().is_none_or(|r| r.language == Language::En)
    {
        return 0;
    }
    let by_id: HashMap<&str, &ParagraphRow> = english.iter().map(|r| (r.id.as_str(), r)).collect();
    let pairs: HashMap<String, String> = align(english, other)
        .into_iter()
        .map(|p| (p.b, p.a))
        .collect();
    let mut carried = 0;
    for row in other.iter_mut() {
        // Drop what an earlier carry left: the English version may have been re-tagged.
        let had_carried = row
            .evidence
            .iter()
            .any(|e| carried_from(&e.evidence.rule).is_some());
        row.evidence
            .retain(|e| carried_from(&e.evidence.rule).is_none());
        let en = pairs
            .get(&row.id)
            .and_then(|id| by_id.get(id.as_str()))
            .filter(|en| {
                !en.pillars.is_empty()
                    || !en.risk_factors.is_empty()
                    || en.recommendation
                    || !en.addressees.is_empty()
            });
        let Some(en) = en else {
            if had_carried {
                row.pillars.clear();
                row.risk_factors.clear();
                row.recommendation = false;
                row.addressees.clear();
                row.verb = None;
                row.recommending_states.clear();
            }
            continue;
        };
        row.evidence
            .retain(|e| !CARRIED_FAMILIES.contains(&e.family.as_str()));
        row.pillars.clone_from(&en.pillars);
        row.risk_factors.clone_from(&en.risk_factors);
        row.recommendation = en.recommendation;
        row.addressees.clone_from(&en.addressees);
        row.verb.clone_from(&en.verb);
        row.recommending_states.clone_from(&en.recommending_states);
        for e in en
            .evidence
            .iter()
            .filter(|e| CARRIED_FAMILIES.contains(&e.family.as_str()))
            // A "recommendation: false" line carries nothing worth showing.
            .filter(|e| !(e.family == "recommendation" && e.value == "false"))
        {
            let mut e = e.clone();
            e.evidence.rule = RuleId::carried(&en.id, &e.evidence.rule);
            e.evidence.start = 0;
            e.evidence.end = 0;
            row.evidence.push(e);
        }
        carried += 1;
    }
    carried
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gale_church_pairs_by_length_and_skips_extra_units() {
        // b has an extra short heading between two long paragraphs.
        let pairs = gale_church(&[500, 300], &[520, 30, 310]);
        assert_eq!(pairs, vec![(0, 0), (1, 2)]);
        assert_eq!(gale_church(&[100, 120], &[230]), vec![(1, 0)]);
        assert!(gale_church(&[], &[3]).is_empty());
    }

    #[test]
    fn job_numbers_of_one_family() {
        assert!(job_family("GE.09-17087", "GE.09-17088"));
        assert!(job_family("25-06353", "25-06358 (F)"));
        assert!(!job_family("GE.09-17087", "GE.10-17088"));
        assert!(!job_family("GE.09-17087", "GE.09-17087"));
        assert!(!job_family("GE.09-17087", "GE.09-18087"));
    }

    #[test]
    fn carried_evidence_names_the_english_paragraph() {
        assert_eq!(
            carried_from("english_version:A_1.en~12:pillar.III.lexicon:veto"),
            Some(("A_1.en~12", "pillar.III.lexicon:veto"))
        );
        assert_eq!(carried_from("pillar.III.lexicon:veto"), None);
        assert_eq!(
            carried_label("A_1.en~12"),
            "from the English version, para. 12"
        );
        assert_eq!(
            carried_label("A_1.en~4(a)"),
            "from the English version, para. 4 (a)"
        );
        assert_eq!(
            carried_label("A_1.en~annex~3"),
            "from the English version, annex, para. 3"
        );
        assert_eq!(
            carried_label("A_1.en~b3"),
            "from the English version, unit b3"
        );
    }

    #[test]
    fn anchors_never_cross() {
        assert_eq!(
            increasing(&[(0, 0), (1, 5), (2, 1), (3, 2)]),
            vec![(0, 0), (2, 1), (3, 2)]
        );
    }
}
