//! One pass over a paragraph before any pattern runs: which of the paragraph-level patterns
//! (pillar and risk-factor cues with their neutral spans, crimes, countries, unilateral
//! measures, recommendation rules and addressees) can match it, and where ([`Prefilter`]),
//! and what its characters allow patterns to simplify ([`TextKind`]).

use std::sync::LazyLock;

use crate::lexicon::{PILLARS, RISK_FACTORS, UNILATERAL};
use crate::pattern::{Re, TextKind};
use crate::prefilter::{Candidates, Prefilter, Window};

/// A family of paragraph-level patterns, in the scanner's order.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Family {
    /// `data/pillars.toml`: the neutral patterns, then the cues.
    Pillars,
    /// `data/risk_factors.toml`: the neutral patterns, then the cues.
    RiskFactors,
    /// `data/crimes.toml`: the neutral patterns, then the crimes.
    Crimes,
    /// The country-name alternation of `data/countries.toml`.
    Countries,
    /// [`UNILATERAL`].
    Unilateral,
    /// The recommendation rules and addressees (`data/recommendation.toml`).
    Recommendation,
}

const FAMILIES: usize = 6;

/// The prefilter over every paragraph-level pattern.
struct Scanner {
    prefilter: Prefilter,
    /// Family → index of its first pattern.
    base: [usize; FAMILIES],
}

static SCANNER: LazyLock<Scanner> = LazyLock::new(|| {
    let families: [Vec<&Re>; FAMILIES] = [
        PILLARS.patterns().collect(),
        RISK_FACTORS.patterns().collect(),
        crate::entities::crime_patterns().collect(),
        vec![crate::entities::country_pattern()],
        vec![&*UNILATERAL],
        crate::recommend::REC.patterns().collect(),
    ];
    let mut base = [0; FAMILIES];
    let mut next = 0;
    for (b, f) in base.iter_mut().zip(&families) {
        *b = next;
        next += f.len();
    }
    Scanner {
        prefilter: Prefilter::new(families.iter().flatten().map(|re| re.source())),
        base,
    }
});

/// What the scan of one paragraph found.
#[derive(Debug)]
pub(crate) struct Scan {
    candidates: Candidates,
    kind: TextKind,
}

impl Scan {
    /// Scans `text`.
    pub(crate) fn new(text: &str) -> Scan {
        Scan {
            candidates: SCANNER.prefilter.candidates(text),
            kind: TextKind::of(text),
        }
    }

    /// What the paragraph's characters allow patterns to simplify (see [`Re::get`]).
    pub(crate) fn kind(&self) -> TextKind {
        self.kind
    }

    /// The patterns of one family.
    pub(crate) fn family(&self, family: Family) -> Hits<'_> {
        Hits {
            scan: self,
            base: SCANNER.base[family as usize],
        }
    }
}

/// The scan's view of one family.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hits<'a> {
    scan: &'a Scan,
    base: usize,
}

impl Hits<'_> {
    /// Where the matches of the family's pattern `i` can start; `None` when the paragraph
    /// holds none.
    pub(crate) fn window(&self, i: usize) -> Option<Window> {
        self.scan.candidates.window(self.base + i)
    }

    /// See [`Scan::kind`].
    pub(crate) fn kind(&self) -> TextKind {
        self.scan.kind
    }
}
