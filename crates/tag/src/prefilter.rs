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
//! Each literal set also records how far into a match its literal can start at most (when
//! the part of the pattern before it has a bounded length): no match can then start earlier
//! than the first occurrence of the literal minus that distance, and the pattern's search
//! starts there instead of at the start of the text. Nor can a match start after the last
//! occurrence of its literals: the search stops there ([`Candidates::window`]).
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

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_syntax::ParserBuilder;
use regex_syntax::hir::{Class, Hir, HirKind};

/// A set of literals (ASCII letters lower-cased).
type Lits = BTreeSet<Vec<u8>>;

/// Largest literal set kept for one sub-expression's exact language.
const MAX_EXACT: usize = 128;
/// Largest character class expanded into literals.
const MAX_CLASS: u32 = 16;
/// Most literals one pattern's requirement may name.
const MAX_REQUIRED: usize = 2048;
/// Literals are cut to this many bytes: a prefix of a required literal is required too, and
/// longer literals hardly filter better but make the automaton larger and slower.
const MAX_LITERAL: usize = 24;
/// A requirement weaker than this (see `Req::strength`) is met by nearly every paragraph:
/// among the requirements of a concatenation it is left out when another one does better.
const WEAK: usize = 3;

/// A requirement weaker than this (a single letter: "I" for `\bI\s+[a-z]`) would report a
/// match at every other word: such a pattern is always run instead.
const USEFUL: usize = 2;

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
    /// One of these literals, starting at most `before` bytes after the start of the match
    /// (`None`: no bound).
    Lits { lits: Lits, before: Option<usize> },
    /// Every one of these.
    All(Vec<Req>),
    /// At least one of these.
    Either(Vec<Req>),
}

impl Req {
    /// Literals that start the match.
    fn at_start(lits: Lits) -> Req {
        Req::Lits {
            lits,
            before: Some(0),
        }
    }

    /// How rare a text meeting the requirement is, roughly: the length of the longest word
    /// that is not a common function word, in the weakest literal that meets it.
    fn strength(&self) -> usize {
        match self {
            Req::Lits { lits, .. } => lits.iter().map(|l| literal_strength(l)).min().unwrap_or(0),
            Req::All(rs) => rs.iter().map(Req::strength).max().unwrap_or(0),
            Req::Either(rs) => rs.iter().map(Req::strength).min().unwrap_or(0),
        }
    }

    /// Number of literals named.
    fn size(&self) -> usize {
        match self {
            Req::Lits { lits, .. } => lits.len(),
            Req::All(rs) | Req::Either(rs) => rs.iter().map(Req::size).sum(),
        }
    }

    /// The requirement of a sub-pattern that starts at most `by` bytes into the match.
    fn shifted(self, by: Option<usize>) -> Req {
        match self {
            Req::Lits { lits, before } => Req::Lits {
                lits,
                before: before.zip(by).map(|(a, b)| a + b),
            },
            Req::All(rs) => Req::All(rs.into_iter().map(|r| r.shifted(by)).collect()),
            Req::Either(rs) => Req::Either(rs.into_iter().map(|r| r.shifted(by)).collect()),
        }
    }

    /// The same requirement over leaves: each literal set becomes a leaf, the list of its
    /// literals' ids (given in `ids`, new literals numbered on).
    fn compile(&self, ids: &mut BTreeMap<Vec<u8>, usize>, leaves: &mut Vec<Vec<usize>>) -> Need {
        match self {
            Req::Lits { lits, before } => {
                let literals = lits
                    .iter()
                    .map(|l| {
                        let next = ids.len();
                        *ids.entry(l.clone()).or_insert(next)
                    })
                    .collect();
                leaves.push(literals);
                Need::Any {
                    leaf: leaves.len() - 1,
                    before: *before,
                }
            }
            Req::All(rs) => Need::All(rs.iter().map(|r| r.compile(ids, leaves)).collect()),
            Req::Either(rs) => Need::Either(rs.iter().map(|r| r.compile(ids, leaves)).collect()),
        }
    }
}

/// A requirement over the leaves of the prefilter: a leaf is met when one of its literals
/// occurs.
#[derive(Debug)]
enum Need {
    Any { leaf: usize, before: Option<usize> },
    All(Vec<Need>),
    Either(Vec<Need>),
}

impl Need {
    /// Where the first match can start at the earliest, given where a literal of each leaf
    /// first occurs (`first[leaf]`, [`ABSENT`] when none does); `None` when no match is
    /// possible.
    fn start(&self, first: &[u32]) -> Option<u32> {
        match self {
            Need::Any { leaf, before } => {
                let earliest = first[*leaf];
                (earliest != ABSENT).then(|| {
                    before.map_or(0, |b| {
                        earliest.saturating_sub(u32::try_from(b).unwrap_or(u32::MAX))
                    })
                })
            }
            Need::All(ns) => ns
                .iter()
                .map(|n| n.start(first))
                .try_fold(0, |a, s| Some(a.max(s?))),
            Need::Either(ns) => ns.iter().filter_map(|n| n.start(first)).min(),
        }
    }

    /// Where the last match can start at the latest, given where a literal of each leaf
    /// last occurs (`last[leaf]`, [`ABSENT`] when none does): a match holds its literals, so
    /// it starts no later than they do. Call only when [`Need::start`] found a match
    /// possible.
    fn last_start(&self, last: &[u32]) -> u32 {
        match self {
            Need::Any { leaf, .. } => last[*leaf],
            Need::All(ns) => ns
                .iter()
                .map(|n| n.last_start(last))
                .min()
                .unwrap_or(ABSENT),
            Need::Either(ns) => ns
                .iter()
                .map(|n| n.last_start(last))
                .filter(|&l| l != ABSENT)
                .max()
                .unwrap_or(ABSENT),
        }
    }
}

/// "Not found" and "cannot match" in position tables.
const ABSENT: u32 = u32::MAX;

thread_local! {
    /// Leaf → where a literal of it first and last occurs in the text being scanned
    /// ([`ABSENT`] outside a scan): kept between scans so that each scan only resets what it
    /// found.
    static SEEN: RefCell<(Vec<u32>, Vec<u32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Where the matches of a pattern in a text can start: from `first` to `last` (bytes).
/// Searching from `first`, and no further once past `last`, finds the same matches as
/// searching the whole text (look-arounds still see the bytes outside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) first: usize,
    pub(crate) last: usize,
}

impl Window {
    /// The whole text.
    pub(crate) const ALL: Window = Window {
        first: 0,
        last: usize::MAX,
    };
}

/// Which patterns of a [`Prefilter`] may match one text, and where.
#[derive(Debug, Clone)]
pub(crate) struct Candidates {
    /// Pattern → the earliest byte where a match can start; [`ABSENT`]: no match.
    first: Vec<u32>,
    /// Pattern → the latest byte where a match can start ([`ABSENT`]: anywhere).
    last: Vec<u32>,
}

impl Candidates {
    /// Whether pattern `i` may match (false means it certainly does not).
    #[cfg(test)]
    pub(crate) fn may_match(&self, i: usize) -> bool {
        self.window(i).is_some()
    }

    /// Where the matches of pattern `i` can start; `None` when the text holds none.
    pub(crate) fn window(&self, i: usize) -> Option<Window> {
        let (Some(&first), Some(&last)) = (self.first.get(i), self.last.get(i)) else {
            return Some(Window::ALL);
        };
        if first == ABSENT {
            return None;
        }
        Some(Window {
            first: usize::try_from(first).ok()?,
            last: if last == ABSENT {
                usize::MAX
            } else {
                usize::try_from(last).ok()?
            },
        })
    }
}

/// The prefilter of a list of patterns (see the module docs).
#[derive(Debug)]
pub(crate) struct Prefilter {
    /// The literals of every pattern; `None` when no pattern has any.
    ac: Option<AhoCorasick>,
    /// Literal id → the leaves that hold it.
    literal_leaves: Vec<Vec<usize>>,
    /// Leaf → the pattern whose requirement it is part of.
    leaf_owner: Vec<usize>,
    /// Pattern → its requirement; `None` for a pattern that is always a candidate.
    needs: Vec<Option<Need>>,
    /// The candidates of a text where no literal occurs.
    none_found: Vec<u32>,
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
                    .filter(|r| r.size() <= MAX_REQUIRED && r.strength() >= USEFUL)
            })
            .collect();
        let mut ids: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
        let mut leaves: Vec<Vec<usize>> = Vec::new();
        let mut leaf_owner = Vec::new();
        let needs: Vec<Option<Need>> = reqs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let need = r.as_ref()?.compile(&mut ids, &mut leaves);
                leaf_owner.resize(leaves.len(), i);
                Some(need)
            })
            .collect();
        let mut literals = vec![Vec::new(); ids.len()];
        for (l, &id) in &ids {
            literals[id].clone_from(l);
        }
        let mut literal_leaves = vec![Vec::new(); ids.len()];
        for (leaf, lits) in leaves.iter().enumerate() {
            for &id in lits {
                literal_leaves[id].push(leaf);
            }
        }
        let ac = (!literals.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                // Some thousands of literals of at most 24 bytes: a full DFA of them does not
                // stay in the processor's caches, and the contiguous NFA scans faster
                // (ingest profile, session 11).
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .prefilter(false)
                .build(&literals)
                .expect("literal automaton within size limits")
        });
        let none_found = needs
            .iter()
            .map(|n| if n.is_none() { 0 } else { ABSENT })
            .collect();
        Prefilter {
            ac,
            literal_leaves,
            leaf_owner,
            needs,
            none_found,
            fallback: x.dropped.into_iter().collect(),
        }
    }

    /// The patterns that may match `text`.
    pub(crate) fn candidates(&self, text: &str) -> Candidates {
        let n = self.needs.len();
        // Positions are kept as u32; a longer text (never a paragraph) runs everything. The
        // fallback characters are not ASCII: an ASCII text (nearly every paragraph) is spared
        // looking for each of them.
        if (!text.is_ascii() && self.fallback.iter().any(|&c| text.contains(c)))
            || u32::try_from(text.len()).is_err()
        {
            return Candidates {
                first: vec![0; n],
                last: vec![ABSENT; n],
            };
        }
        let mut starts = Candidates {
            first: self.none_found.clone(),
            last: vec![ABSENT; n],
        };
        let Some(ac) = &self.ac else {
            return starts;
        };
        SEEN.with_borrow_mut(|(first, last)| {
            let leaves = self.leaf_owner.len();
            if first.len() < leaves {
                first.resize(leaves, ABSENT);
                last.resize(leaves, ABSENT);
            }
            let mut found = Vec::new();
            for m in ac.find_overlapping_iter(text) {
                let at = u32::try_from(m.start()).unwrap_or(ABSENT);
                for &leaf in &self.literal_leaves[m.pattern().as_usize()] {
                    if first[leaf] == ABSENT {
                        first[leaf] = at;
                        last[leaf] = at;
                        found.push(leaf);
                    } else {
                        first[leaf] = first[leaf].min(at);
                        last[leaf] = last[leaf].max(at);
                    }
                }
            }
            // Patterns with a leaf met: the only ones whose requirement can be.
            let mut touched: Vec<usize> = found.iter().map(|&l| self.leaf_owner[l]).collect();
            touched.sort_unstable();
            touched.dedup();
            for i in touched {
                if let Some(need) = &self.needs[i]
                    && let Some(start) = need.start(first)
                {
                    starts.first[i] = start;
                    starts.last[i] = need.last_start(last);
                }
            }
            for leaf in found {
                first[leaf] = ABSENT;
                last[leaf] = ABSENT;
            }
        });
        starts
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
        // Concatenations and alternations are taken apart even when their language is small,
        // so that literals are cut after an optional start ("(?:targeted )?sanctions
        // regimes" requires "sanctions regime", not "targeted sanctio").
        if !matches!(hir.kind(), HirKind::Concat(_) | HirKind::Alternation(_))
            && let Some(lits) = self.exact(hir)
        {
            return (!lits.contains(&Vec::new())).then(|| Req::at_start(truncated(lits)));
        }
        match hir.kind() {
            HirKind::Capture(c) => self.required(&c.sub),
            // The first repetition starts the match of the whole.
            HirKind::Repetition(r) if r.min >= 1 => self.required(&r.sub),
            HirKind::Alternation(hs) => {
                let alternatives = hs
                    .iter()
                    .map(|h| self.required(h))
                    .collect::<Option<Vec<Req>>>()?;
                // Alternatives that are all literal sets make one set.
                if alternatives.iter().all(|r| matches!(r, Req::Lits { .. })) {
                    let mut union = Lits::new();
                    let mut furthest = Some(0);
                    for r in alternatives {
                        if let Req::Lits { lits, before } = r {
                            union.extend(lits);
                            furthest = furthest.zip(before).map(|(a, b)| a.max(b));
                        }
                    }
                    return Some(Req::Lits {
                        lits: union,
                        before: furthest,
                    });
                }
                Some(Req::Either(alternatives))
            }
            HirKind::Concat(hs) => {
                // Runs of adjacent children with a small exact language make literals of
                // their product; other children bring their own requirements. Every one of
                // them is required of the whole. `offset` is the longest the children before
                // the current one can match (`None`: unbounded).
                let mut all: Vec<Req> = Vec::new();
                let mut run: Option<(Lits, Option<usize>)> = None;
                let mut offset = Some(0);
                let keep = |all: &mut Vec<Req>, (lits, before): (Lits, Option<usize>)| {
                    if !lits.is_empty() && !lits.contains(&Vec::new()) {
                        all.push(Req::Lits {
                            lits: truncated(lits),
                            before,
                        });
                    }
                };
                for h in hs {
                    match self.exact(h) {
                        // An optional piece ("(?:the )?") does not start a run: the run
                        // starts with what follows, the most telling part once cut to
                        // MAX_LITERAL bytes.
                        Some(lits) if run.is_none() && lits.contains(&Vec::new()) => {}
                        Some(lits) => {
                            run = Some(match run.take() {
                                None => (lits, offset),
                                Some((r, at)) => match product(&r, &lits) {
                                    Some(p) => (p, at),
                                    None => {
                                        keep(&mut all, (r, at));
                                        (lits, offset)
                                    }
                                },
                            });
                        }
                        None => {
                            if let Some(r) = run.take() {
                                keep(&mut all, r);
                            }
                            if let Some(req) = self.required(h) {
                                all.push(req.shifted(offset));
                            }
                        }
                    }
                    offset = offset.zip(h.properties().maximum_len()).map(|(a, b)| a + b);
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
                Req::Lits { lits, before } => {
                    let l = lits
                        .iter()
                        .map(|v| String::from_utf8_lossy(v).into_owned())
                        .collect::<Vec<_>>()
                        .join("|");
                    match before {
                        Some(0) => l,
                        Some(b) => format!("{l}@{b}"),
                        None => format!("{l}@?"),
                    }
                }
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
        // Literals are cut to 24 bytes.
        assert_eq!(
            required(r"\bresponsibility to protect\b", true).unwrap(),
            "responsibility to protec"
        );
        // An optional start is left out of the literals: they start with what follows, at
        // most as far into the match as the optional part is long ("@9").
        assert_eq!(
            required(r"\b(?:targeted )?sanctions regimes?\b", true).unwrap(),
            "sanctions regime|sanctions regimes@9"
        );
        assert_eq!(
            required(r"\b(?:clashes|fighting)\b|\bunrest\b", true).unwrap(),
            "clashes|fighting|unrest"
        );
        // An open class at both ends: the literals in the middle are required, at an
        // unbounded distance from the start of the match ("@?")...
        assert_eq!(
            required(r"\b[\d,.]+ (?:million )?conflicts\b", true).unwrap(),
            " conflicts| million conflicts@?"
        );
        // ... or a bounded one ("@3": at most 3 bytes into the match).
        assert_eq!(
            required(r"\b[0-9]{1,3} (?:armed )?conflicts\b", true).unwrap(),
            " armed conflicts| conflicts@3"
        );
        // Both sides of a gap of words are required; a common short word is not worth
        // looking for when something better is required.
        assert_eq!(
            required(
                r"\b(?:seek|request) (?:\w+ ){0,2}(?:assistance|support)\b",
                true
            )
            .unwrap(),
            "(request |seek  & assistance|support@?)"
        );
        assert_eq!(
            required(r"\b(?:armed|violent) \w+ crimes\b|\bpeace\b", true).unwrap(),
            "((armed |violent  &  crimes@?) ; peace)"
        );
        assert_eq!(
            required(r"\b(?:seek|request) (?:\w+ ){0,2}aid\b", true).unwrap(),
            "(request |seek  & aid@?)"
        );
        assert_eq!(
            required(r"\b(?:seek|request) (?:\w+ ){0,2}UN\b", true).unwrap(),
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
        // No match can start before the first literal less the longest prefix before it.
        let pattern = r"\b[0-9]{1,3} (?:armed )?conflicts\b";
        let p = Prefilter::new([(pattern, true)]);
        let text = "in 2024, 12 armed conflicts and 3 conflicts";
        let window = p.candidates(text).window(0).unwrap();
        let start = window.first;
        assert_eq!(start, 8);
        // " conflicts" last occurs at 33: no match starts after it.
        assert_eq!(window.last, 33);
        let re = regex::RegexBuilder::new(pattern)
            .case_insensitive(true)
            .build()
            .unwrap();
        assert_eq!(re.find(text).unwrap().start(), 9);
        assert_eq!(re.find_at(text, start).unwrap().start(), 9);
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
