//! A literal prefilter for a list of regular expressions: one Aho-Corasick pass over a text
//! tells which of the expressions can possibly match it, so that only those are run.
//!
//! For each pattern the prefilter derives, from its syntax tree, what literal strings every
//! match must contain: "armed conflict" for `\barmed conflicts?\b`; one of the alternatives
//! for `\b(?:clashes|fighting)\b`; one of "seek", "request" *and* one of "assistance",
//! "support" for `\b(?:seek|request) (?:\w+ ){0,2}(?:assistance|support)\b`. The literals
//! of all patterns go into one ASCII-case-insensitive automaton; a pattern whose requirement
//! the literals found in a text do not meet cannot match that text and is skipped. A pattern
//! with no usable literal (one that can match the empty string, or only open classes) is
//! always run.
//!
//! The reasoning is exact, so the prefilter never changes a result:
//! - a look-around (`\b`, `^`, `$`) matches the empty string, so dropping it only widens the
//!   language;
//! - literals are compared ASCII-case-insensitively, a superset of the case-sensitive match,
//!   and cut to their first [`MAX_LITERAL`] bytes (a prefix of a required string is
//!   required too);
//! - under `(?i)` the regex crate also matches a few non-ASCII characters to ASCII letters
//!   (U+212A KELVIN SIGN to "k", U+017F LONG S to "s"); those are left out of the literals,
//!   and a text that holds one of them runs every pattern.

use std::collections::{BTreeMap, BTreeSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_syntax::ParserBuilder;
use regex_syntax::hir::{Class, Hir, HirKind};

/// A set of literals (ASCII letters lower-cased).
type Lits = BTreeSet<Vec<u8>>;

/// Largest literal set kept for one sub-expression's exact language.
const MAX_EXACT: usize = 64;
/// Largest character class expanded into literals.
const MAX_CLASS: u32 = 16;
/// Most literals one pattern's requirement may name.
const MAX_REQUIRED: usize = 2048;
/// Literals are cut to this many bytes: a prefix of a required literal is required too, and
/// longer literals hardly filter better but make the automaton larger and slower.
const MAX_LITERAL: usize = 16;
/// A requirement weaker than this (see `Req::strength`) is met by nearly every paragraph:
/// among the requirements of a concatenation it is left out when another one does better.
const WEAK: usize = 4;

/// Words so common that a literal made of them filters nothing.
const FUNCTION_WORDS: [&[u8]; 22] = [
    b"a", b"an", b"and", b"are", b"as", b"at", b"be", b"by", b"for", b"from", b"in", b"is", b"its",
    b"of", b"on", b"or", b"that", b"the", b"their", b"this", b"to", b"with",
];

/// The length of the longest word of `literal` that is not a function word.
fn literal_strength(literal: &[u8]) -> usize {
    literal
        .split(|b| b.is_ascii() && !b.is_ascii_alphanumeric())
        .filter(|w| !FUNCTION_WORDS.contains(w))
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0)
}

/// What a match requires of the text, in literals.
#[derive(Debug, Clone, PartialEq)]
enum Req {
    /// One of these literals.
    Lits(Lits),
    /// Every one of these.
    All(Vec<Req>),
    /// At least one of these.
    Either(Vec<Req>),
}

impl Req {
    /// How rare a text meeting the requirement is, roughly: the length of the longest word
    /// that is not a common function word, in the weakest literal that meets it.
    fn strength(&self) -> usize {
        match self {
            Req::Lits(l) => l.iter().map(|l| literal_strength(l)).min().unwrap_or(0),
            Req::All(rs) => rs.iter().map(Req::strength).max().unwrap_or(0),
            Req::Either(rs) => rs.iter().map(Req::strength).min().unwrap_or(0),
        }
    }

    /// Number of literals named.
    fn size(&self) -> usize {
        match self {
            Req::Lits(l) => l.len(),
            Req::All(rs) | Req::Either(rs) => rs.iter().map(Req::size).sum(),
        }
    }

    fn literals<'a>(&'a self, out: &mut Vec<&'a Vec<u8>>) {
        match self {
            Req::Lits(l) => out.extend(l),
            Req::All(rs) | Req::Either(rs) => rs.iter().for_each(|r| r.literals(out)),
        }
    }

    /// The same requirement over literal ids.
    fn compile(&self, ids: &BTreeMap<Vec<u8>, usize>) -> Need {
        match self {
            Req::Lits(l) => Need::Any(l.iter().map(|x| ids[x]).collect()),
            Req::All(rs) => Need::All(rs.iter().map(|r| r.compile(ids)).collect()),
            Req::Either(rs) => Need::Either(rs.iter().map(|r| r.compile(ids)).collect()),
        }
    }
}

/// A requirement over the literal ids of the automaton.
#[derive(Debug)]
enum Need {
    Any(Vec<usize>),
    All(Vec<Need>),
    Either(Vec<Need>),
}

impl Need {
    fn met(&self, found: &[bool]) -> bool {
        match self {
            Need::Any(ids) => ids.iter().any(|&i| found[i]),
            Need::All(ns) => ns.iter().all(|n| n.met(found)),
            Need::Either(ns) => ns.iter().any(|n| n.met(found)),
        }
    }
}

/// Which patterns of a [`Prefilter`] may match one text.
#[derive(Debug, Clone)]
pub(crate) struct Candidates {
    bits: Vec<bool>,
}

impl Candidates {
    /// Whether pattern `i` may match (false means it certainly does not).
    pub(crate) fn may_match(&self, i: usize) -> bool {
        self.bits.get(i).copied().unwrap_or(true)
    }
}

/// The prefilter of a list of patterns (see the module docs).
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// The literals of every pattern; `None` when no pattern has any.
    ac: Option<AhoCorasick>,
    /// Literal id → the patterns whose requirement names it.
    owners: Vec<Vec<usize>>,
    /// Pattern → its requirement; `None` for a pattern that is always a candidate.
    needs: Vec<Option<Need>>,
    /// Characters that `(?i)` matches to an ASCII letter of some literal: a text holding one
    /// makes every pattern a candidate.
    fallback: Vec<char>,
}

impl Prefilter {
    /// Builds the prefilter of `patterns`, each with whether it is compiled
    /// case-insensitively. A pattern that does not parse is always a candidate (compiling it
    /// reports the error).
    pub(crate) fn new<'a>(patterns: impl IntoIterator<Item = (&'a str, bool)>) -> Prefilter {
        let mut x = Extractor::new();
        let reqs: Vec<Option<Req>> = patterns
            .into_iter()
            .map(|(pattern, case_insensitive)| {
                ParserBuilder::new()
                    .case_insensitive(case_insensitive)
                    .build()
                    .parse(pattern)
                    .ok()
                    .and_then(|hir| x.required(&hir))
                    .filter(|r| r.size() <= MAX_REQUIRED)
            })
            .collect();
        let mut ids: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for (i, req) in reqs.iter().enumerate() {
            let Some(req) = req else { continue };
            let mut lits = Vec::new();
            req.literals(&mut lits);
            for l in lits {
                let next = ids.len();
                let id = *ids.entry(l.clone()).or_insert(next);
                if id == owners.len() {
                    owners.push(Vec::new());
                }
                if owners[id].last() != Some(&i) {
                    owners[id].push(i);
                }
            }
        }
        let mut literals = vec![Vec::new(); ids.len()];
        for (l, &id) in &ids {
            literals[id].clone_from(l);
        }
        let ac = (!literals.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                // Some hundreds of short literals: a full DFA is the fastest to scan and
                // stays small.
                .kind(Some(AhoCorasickKind::DFA))
                .build(&literals)
                .expect("literal automaton within size limits")
        });
        let needs = reqs
            .iter()
            .map(|r| r.as_ref().filter(|_| ac.is_some()).map(|r| r.compile(&ids)))
            .collect();
        Prefilter {
            ac,
            owners,
            needs,
            fallback: x.dropped.into_iter().collect(),
        }
    }

    /// The patterns that may match `text`.
    pub(crate) fn candidates(&self, text: &str) -> Candidates {
        if self.fallback.iter().any(|&c| text.contains(c)) {
            return Candidates {
                bits: vec![true; self.needs.len()],
            };
        }
        let mut bits: Vec<bool> = self.needs.iter().map(Option::is_none).collect();
        if let Some(ac) = &self.ac {
            let mut found = vec![false; self.owners.len()];
            // Patterns naming a literal found: the only ones whose requirement can be met.
            let mut touched = Vec::new();
            for m in ac.find_overlapping_iter(text) {
                let id = m.pattern().as_usize();
                if !found[id] {
                    found[id] = true;
                    touched.extend_from_slice(&self.owners[id]);
                }
            }
            for i in touched {
                if !bits[i] && self.needs[i].as_ref().is_some_and(|n| n.met(&found)) {
                    bits[i] = true;
                }
            }
        }
        Candidates { bits }
    }

    /// Number of patterns that are always candidates (for tests).
    #[cfg(test)]
    pub(crate) fn always_len(&self) -> usize {
        self.needs.iter().filter(|n| n.is_none()).count()
    }
}

/// Derives literal sets from syntax trees.
struct Extractor {
    /// Non-ASCII character → the ASCII letter that `(?i)` matches it to.
    folds: BTreeMap<char, char>,
    /// Fold characters left out of some literal.
    dropped: BTreeSet<char>,
}

impl Extractor {
    fn new() -> Extractor {
        let mut folds = BTreeMap::new();
        for a in 'a'..='z' {
            let Ok(hir) = ParserBuilder::new()
                .case_insensitive(true)
                .build()
                .parse(&a.to_string())
            else {
                continue;
            };
            if let HirKind::Class(Class::Unicode(c)) = hir.kind() {
                for r in c.ranges() {
                    for ch in r.start()..=r.end() {
                        if !ch.is_ascii() {
                            folds.insert(ch, a);
                        }
                    }
                }
            }
        }
        Extractor {
            folds,
            dropped: BTreeSet::new(),
        }
    }

    /// The whole language of `hir` when it is small and finite (as literals, ASCII lowered).
    fn exact(&mut self, hir: &Hir) -> Option<Lits> {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Some(Lits::from([Vec::new()])),
            HirKind::Literal(l) => Some(Lits::from([l.0.to_ascii_lowercase()])),
            HirKind::Class(Class::Unicode(c)) => {
                let size: u32 = c
                    .ranges()
                    .iter()
                    .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                    .sum();
                if size > MAX_CLASS {
                    return None;
                }
                let chars: Vec<char> = c
                    .ranges()
                    .iter()
                    .flat_map(|r| r.start()..=r.end())
                    .collect();
                let ascii: BTreeSet<char> = chars
                    .iter()
                    .filter(|ch| ch.is_ascii())
                    .map(char::to_ascii_lowercase)
                    .collect();
                let mut out = Lits::new();
                for ch in chars {
                    if ch.is_ascii() {
                        out.insert(vec![ch.to_ascii_lowercase() as u8]);
                    } else if self.folds.get(&ch).is_some_and(|a| ascii.contains(a)) {
                        self.dropped.insert(ch);
                    } else {
                        out.insert(ch.to_string().into_bytes());
                    }
                }
                Some(out)
            }
            HirKind::Class(Class::Bytes(c)) => {
                let size: u32 = c
                    .ranges()
                    .iter()
                    .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                    .sum();
                (size <= MAX_CLASS).then(|| {
                    c.ranges()
                        .iter()
                        .flat_map(|r| r.start()..=r.end())
                        .map(|b| vec![b.to_ascii_lowercase()])
                        .collect()
                })
            }
            HirKind::Capture(c) => self.exact(&c.sub),
            HirKind::Repetition(r) => {
                let max = r.max?;
                if max > 3 {
                    return None;
                }
                let sub = self.exact(&r.sub)?;
                let mut out = Lits::new();
                for k in r.min..=max {
                    let mut power = Lits::from([Vec::new()]);
                    for _ in 0..k {
                        power = product(&power, &sub)?;
                    }
                    out.extend(power);
                    if out.len() > MAX_EXACT {
                        return None;
                    }
                }
                Some(out)
            }
            HirKind::Concat(hs) => {
                let mut out = Lits::from([Vec::new()]);
                for h in hs {
                    out = product(&out, &self.exact(h)?)?;
                }
                Some(out)
            }
            HirKind::Alternation(hs) => {
                let mut out = Lits::new();
                for h in hs {
                    out.extend(self.exact(h)?);
                    if out.len() > MAX_EXACT {
                        return None;
                    }
                }
                Some(out)
            }
        }
    }

    /// What every match of `hir` requires of the text; `None` when it requires nothing.
    fn required(&mut self, hir: &Hir) -> Option<Req> {
        if let Some(lits) = self.exact(hir) {
            return (!lits.contains(&Vec::new())).then(|| Req::Lits(truncated(lits)));
        }
        match hir.kind() {
            HirKind::Capture(c) => self.required(&c.sub),
            HirKind::Repetition(r) if r.min >= 1 => self.required(&r.sub),
            HirKind::Alternation(hs) => {
                let alternatives = hs
                    .iter()
                    .map(|h| self.required(h))
                    .collect::<Option<Vec<Req>>>()?;
                // Alternatives that are all literal sets make one set.
                if alternatives.iter().all(|r| matches!(r, Req::Lits(_))) {
                    let mut union = Lits::new();
                    for r in alternatives {
                        if let Req::Lits(l) = r {
                            union.extend(l);
                        }
                    }
                    return Some(Req::Lits(union));
                }
                Some(Req::Either(alternatives))
            }
            HirKind::Concat(hs) => {
                // Runs of adjacent children with a small exact language make literals of
                // their product; other children bring their own requirements. Every one of
                // them is required of the whole.
                let mut all: Vec<Req> = Vec::new();
                let mut run: Option<Lits> = None;
                let keep = |all: &mut Vec<Req>, lits: Lits| {
                    if !lits.is_empty() && !lits.contains(&Vec::new()) {
                        all.push(Req::Lits(truncated(lits)));
                    }
                };
                for h in hs {
                    match self.exact(h) {
                        Some(lits) => {
                            run = Some(match run.take() {
                                None => lits,
                                Some(r) => match product(&r, &lits) {
                                    Some(p) => p,
                                    None => {
                                        keep(&mut all, r);
                                        lits
                                    }
                                },
                            });
                        }
                        None => {
                            if let Some(r) = run.take() {
                                keep(&mut all, r);
                            }
                            if let Some(req) = self.required(h) {
                                all.push(req);
                            }
                        }
                    }
                }
                if let Some(r) = run {
                    keep(&mut all, r);
                }
                // Common short literals only slow the automaton down; keep them only when
                // nothing better is required.
                if all.iter().any(|r| r.strength() >= WEAK) {
                    all.retain(|r| r.strength() >= WEAK);
                }
                all.dedup();
                match all.len() {
                    0 => None,
                    1 => all.pop(),
                    _ => Some(Req::All(all)),
                }
            }
            _ => None,
        }
    }
}

/// Every concatenation of a literal of `a` with one of `b`; `None` past [`MAX_EXACT`].
fn product(a: &Lits, b: &Lits) -> Option<Lits> {
    if a.len().saturating_mul(b.len()) > MAX_EXACT {
        return None;
    }
    let mut out = Lits::new();
    for x in a {
        for y in b {
            let mut l = x.clone();
            l.extend_from_slice(y);
            out.insert(l);
        }
    }
    Some(out)
}

/// `lits` cut to [`MAX_LITERAL`] bytes each.
fn truncated(lits: Lits) -> Lits {
    if lits.iter().all(|l| l.len() <= MAX_LITERAL) {
        return lits;
    }
    lits.into_iter()
        .map(|mut l| {
            l.truncate(MAX_LITERAL);
            l
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The requirement of `pattern`, written out: "a|b" one of, "(x & y)" all of,
    /// "(x ; y)" either of.
    fn required(pattern: &str, ci: bool) -> Option<String> {
        fn show(r: &Req) -> String {
            match r {
                Req::Lits(l) => l
                    .iter()
                    .map(|v| String::from_utf8_lossy(v).into_owned())
                    .collect::<Vec<_>>()
                    .join("|"),
                Req::All(rs) => {
                    format!("({})", rs.iter().map(show).collect::<Vec<_>>().join(" & "))
                }
                Req::Either(rs) => {
                    format!("({})", rs.iter().map(show).collect::<Vec<_>>().join(" ; "))
                }
            }
        }
        let hir = ParserBuilder::new()
            .case_insensitive(ci)
            .build()
            .parse(pattern)
            .unwrap();
        Extractor::new().required(&hir).as_ref().map(show)
    }

    #[test]
    fn requirements_of_common_cue_shapes() {
        assert_eq!(
            required(r"\barmed conflicts?\b", true).unwrap(),
            "armed conflict|armed conflicts"
        );
        // Literals are cut to 16 bytes.
        assert_eq!(
            required(r"\bresponsibility to protect\b", true).unwrap(),
            "responsibility t"
        );
        assert_eq!(
            required(r"\b(?:clashes|fighting)\b|\bunrest\b", true).unwrap(),
            "clashes|fighting|unrest"
        );
        // An open class at both ends: the literals in the middle are required.
        assert_eq!(
            required(r"\b[\d,.]+ (?:million )?conflicts\b", true).unwrap(),
            " conflicts| million conflic"
        );
        // Both sides of a gap of words are required; a common short word is not worth
        // looking for when something better is required.
        assert_eq!(
            required(
                r"\b(?:seek|request) (?:\w+ ){0,2}(?:assistance|support)\b",
                true
            )
            .unwrap(),
            "(request |seek  & assistance|support)"
        );
        assert_eq!(
            required(r"\b(?:armed|violent) \w+ crimes\b|\bpeace\b", true).unwrap(),
            "((armed |violent  &  crimes) ; peace)"
        );
        assert_eq!(
            required(r"\b(?:seek|request) (?:\w+ ){0,2}aid\b", true).unwrap(),
            "request |seek "
        );
        assert_eq!(required(r"\w+", true), None);
        assert_eq!(required(r"(?:the )?", true), None);
        // Case-sensitive literals are compared case-insensitively.
        assert_eq!(
            required(r"\bthe (?-i:Council)\b", true).unwrap(),
            "the council"
        );
        assert_eq!(required("OPCAT", false).unwrap(), "opcat");
        // Non-ASCII letters keep their case variants.
        let etat = required("d'état", true).unwrap();
        assert!(etat.contains("d'état"), "{etat}");
        assert!(etat.contains("d'État"), "{etat}");
    }

    #[test]
    fn candidates_are_a_superset_of_matches() {
        let patterns = [
            (r"\barmed conflicts?\b", true),
            (r"\bsecurity\b", true),
            (r"\w+ing\b", true),
            (r"(?:x)?", true),
            (
                r"\b(?:seek|request) (?:\w+ ){0,2}(?:assistance|support)\b",
                true,
            ),
        ];
        let p = Prefilter::new(patterns.iter().copied());
        assert_eq!(p.always_len(), 1);
        let c = p.candidates("ARMED CONFLICT in the region, ongoing; seek");
        assert!(c.may_match(0));
        assert!(!c.may_match(1));
        assert!(c.may_match(2));
        assert!(c.may_match(3));
        // "seek" without "assistance" or "support".
        assert!(!c.may_match(4));
        assert!(p.candidates("to seek their assistance").may_match(4));
        // U+212A KELVIN SIGN is "k" under (?i): every pattern runs.
        let p = Prefilter::new([("kill", true)]);
        assert!(
            regex::RegexBuilder::new("kill")
                .case_insensitive(true)
                .build()
                .unwrap()
                .is_match("\u{212A}ill")
        );
        assert!(p.candidates("\u{212A}ill").may_match(0));
        assert!(!p.candidates("ill").may_match(0));
    }
}
