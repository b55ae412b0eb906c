//! Searches read as questions about the tags (issue #13): "recommendations to regional
//! organizations", "calls on the Security Council", "risk factor 7 in 2024", "pillar II since
//! 2015".
//!
//! A diplomat types the question, not the syntax. When a plain query (no field, quote,
//! parenthesis or operator: those are the reader's own syntax and are taken as typed) holds
//! one of the phrases below, the phrase becomes a filter on the tags and the rest of the words
//! stay the search:
//!
//! | phrase | filter (URL parameter) |
//! |---|---|
//! | "recommendation(s)", "recommendations to/for/addressed to X" | `rec=true` (and `addressee=X`) |
//! | "calls on/upon X", "urges/encourages/asks/requests/invites X", "asked of X" | `rec=true`, `addressee=X` |
//! | "risk factor 7" (1–14) | `risk=7` |
//! | "pillar II", "pillar two", "second pillar" | `pillar=II` |
//! | "in 2024"; "since/from/after 2015"; "until/before 2020"; "between 2015 and 2020", "2015–2020" | `year`, `from`, `to` |
//!
//! X is one of the addressees of the tag vocabulary (`crates/tag/data/recommendation.toml`,
//! the taxonomy of `shared/eval-dev/taxonomy.md`): Member States (States, Governments),
//! Security Council, General Assembly, Human Rights Council, regional organizations (regional
//! and subregional organizations, bodies or arrangements), UN system (the United Nations,
//! the Secretariat) and civil society (NGOs). The words of X are kept to rank the filtered
//! paragraphs ([`undex_index::SearchRequest::rank`]): those that speak of the addressee most
//! come first.
//!
//! Every reading is shown to the reader as a removable chip, and `as_typed=true` (or a comma
//! list of the parameters not to read: `as_typed=rec,year`) searches the words as typed. A
//! filter the reader set explicitly wins over the same filter read from the words.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// Longest query read for tag phrases, in bytes; longer ones are searched as typed.
pub const MAX_READ_BYTES: usize = 300;

/// One phrase of the query read as a filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Understood {
    /// The URL parameter it sets: `rec`, `addressee`, `risk`, `pillar`, `year`, `from`, `to`.
    pub param: &'static str,
    /// Its value as the parameter takes it ("true", "regional organizations", "7", "II",
    /// "2015").
    pub value: String,
    /// The words of the query it was read from, as typed ("recommendations to regional
    /// organizations").
    pub words: String,
}

/// What a query was read as.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reading {
    /// The filters read, in the order of the query.
    pub parts: Vec<Understood>,
    /// The words left to search (may be empty: the filters alone then select).
    pub rest: String,
    /// Words that rank the filtered paragraphs (the addressees' names).
    pub rank: String,
}

/// An addressee of the tag vocabulary and the ways a query names it (lower case).
const ADDRESSEES: [(&str, &str); 7] = [
    (
        "Member States",
        r"member\s+states|all\s+states|states|governments?",
    ),
    ("Security Council", r"security\s+council"),
    ("General Assembly", r"general\s+assembly"),
    ("Human Rights Council", r"human\s+rights\s+council"),
    (
        "regional organizations",
        r"(?:regional\s+and\s+)?sub-?regional\s+(?:organi[sz]ations|bodies|arrangements)|regional\s+(?:organi[sz]ations|bodies|arrangements)",
    ),
    (
        "UN system",
        r"united\s+nations(?:\s+system|\s+entities)?|un\s+system|the\s+un|(?:the\s+)?secretariat",
    ),
    (
        "civil society",
        r"civil\s+society(?:\s+organi[sz]ations)?|ngos|non-governmental\s+organi[sz]ations",
    ),
];

/// The addressee alternatives as one group, longest names first within each addressee.
fn addressee_group() -> String {
    let names: Vec<&str> = ADDRESSEES.iter().map(|(_, p)| *p).collect();
    format!(r"(?:the\s+)?(?P<addr>{})\b", names.join("|"))
}

/// The canonical addressee for the words `found` (lower case), if any.
fn addressee(found: &str) -> Option<&'static str> {
    static EACH: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
        ADDRESSEES
            .iter()
            .map(|(name, p)| {
                let re = Regex::new(&format!(r"^(?:the\s+)?(?:{p})$")).expect("addressee");
                (*name, re)
            })
            .collect()
    });
    EACH.iter()
        .find(|(_, re)| re.is_match(found))
        .map(|(name, _)| *name)
}

/// The phrase patterns, in the order they are tried (case-insensitive).
struct Rules {
    between: Regex,
    range: Regex,
    since: Regex,
    until: Regex,
    in_year: Regex,
    risk: Regex,
    pillar: Regex,
    rec_to: Regex,
    directive: Regex,
    rec: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let year = r"((?:19|20)\d{2})";
    let addr = addressee_group();
    let re = |p: &str| Regex::new(&format!("(?i){p}")).expect("reading rule");
    Rules {
        between: re(&format!(
            r"\b(?:between|from)\s+{year}\s+(?:and|to|until)\s+{year}\b"
        )),
        range: re(&format!(r"\b{year}\s*[-–]\s*{year}\b")),
        since: re(&format!(r"\b(since|from|after)\s+{year}\b")),
        until: re(&format!(
            r"\b(until|till|up\s+to|through|before)\s+{year}\b"
        )),
        in_year: re(&format!(r"\b(?:in|of|during)\s+{year}\b")),
        risk: re(r"\brisk[\s-]+factors?\s+(?:no\.?\s*)?(\d{1,2})\b"),
        pillar: re(
            r"\b(?:pillars?\s+(iii|ii|i|one|two|three|1|2|3)|(first|second|third)\s+pillar)\b",
        ),
        rec_to: re(&format!(
            r"\brecommendations?\s+(?:to|for|addressed\s+to|made\s+to|directed\s+(?:at|to))\s+{addr}"
        )),
        directive: re(&format!(
            r"\b(?:calls?\s+(?:on|upon)|calling\s+(?:on|upon)|called\s+(?:on|upon)|urges?|urged|encourages?|encouraged|asks?|asked(?:\s+of)?|requests?|requested|invites?|invited|recommends?(?:\s+that)?|recommended(?:\s+that)?)\s+{addr}"
        )),
        rec: re(r"\brecommendations?\b"),
    }
});

/// Whether the reader wrote syntax of their own: fields, quotes, groups, operators, `+`/`-`
/// prefixes, wildcards or boosts. Such a query is taken as typed.
fn has_syntax(q: &str) -> bool {
    q.contains([':', '"', '(', ')', '[', ']', '{', '}', '^', '~', '*'])
        || q.split_whitespace().any(|w| {
            matches!(w, "AND" | "OR" | "NOT" | "&&" | "||")
                || w.starts_with('+')
                || (w.starts_with('-') && w.len() > 1)
        })
}

/// Reads `q` (see the module docs), skipping the parameters in `skip` and `set` (filters the
/// reader set explicitly). `None` when nothing was read: the query is then searched as typed.
#[must_use]
pub fn read(q: &str, skip: &[&str], set: &[&str]) -> Option<Reading> {
    if q.len() > MAX_READ_BYTES || has_syntax(q) || skip.contains(&"true") {
        return None;
    }
    let mut reader = Reader {
        q,
        skip,
        set,
        rules: &RULES,
        taken: Vec::new(),
        parts: Vec::new(),
        rank: Vec::new(),
    };
    reader.year_ranges();
    reader.since();
    reader.until();
    reader.in_year();
    reader.risk_factor();
    reader.pillar();
    reader.recommendation();
    reader.finish()
}

/// The state of one [`read`]: the phrases taken so far and what each was read as. Each rule
/// is one method, run in the order of [`read`]; a phrase already taken is not read twice.
struct Reader<'a> {
    q: &'a str,
    skip: &'a [&'a str],
    set: &'a [&'a str],
    rules: &'a Rules,
    /// Byte spans of `q` taken by a phrase.
    taken: Vec<(usize, usize)>,
    /// What each phrase was read as, with its byte offset.
    parts: Vec<(usize, Understood)>,
    /// Words to rank by (an addressee's words).
    rank: Vec<String>,
}

impl Reader<'_> {
    /// Whether the reader lets `param` be read from the words.
    fn allowed(&self, param: &str) -> bool {
        !self.skip.contains(&param) && !self.set.contains(&param)
    }

    /// Whether bytes `s..e` of the query are not taken yet.
    fn free(&self, s: usize, e: usize) -> bool {
        self.taken.iter().all(|&(a, b)| e <= a || b <= s)
    }

    /// Records that `words` at byte `at` read as `param` = `value`.
    fn add(&mut self, at: usize, param: &'static str, value: String, words: &str) {
        self.parts.push((
            at,
            Understood {
                param,
                value,
                words: words.split_whitespace().collect::<Vec<_>>().join(" "),
            },
        ));
    }

    /// "between 2015 and 2020", "2015–2020": a range of years.
    fn year_ranges(&mut self) {
        if !(self.allowed("year") && self.allowed("from") && self.allowed("to")) {
            return;
        }
        for re in [&self.rules.between, &self.rules.range] {
            for c in re.captures_iter(self.q) {
                let m = c.get(0).expect("match");
                let (a, b) = (&c[1], &c[2]);
                if self.free(m.start(), m.end()) && a <= b {
                    self.add(m.start(), "from", a.to_string(), m.as_str());
                    self.add(m.start(), "to", b.to_string(), m.as_str());
                    self.taken.push((m.start(), m.end()));
                }
            }
        }
    }

    /// "since 2009" (from 2009), "after 2009" (from 2010).
    fn since(&mut self) {
        if !(self.allowed("from") && self.allowed("year")) {
            return;
        }
        for c in self.rules.since.captures_iter(self.q) {
            let m = c.get(0).expect("match");
            if self.free(m.start(), m.end()) {
                let year: i32 = c[2].parse().expect("four digits");
                let after = c[1].eq_ignore_ascii_case("after");
                let year = if after { year + 1 } else { year };
                self.add(m.start(), "from", year.to_string(), m.as_str());
                self.taken.push((m.start(), m.end()));
            }
        }
    }

    /// "until 2020" (to 2020), "before 2020" (to 2019).
    fn until(&mut self) {
        if !(self.allowed("to") && self.allowed("year")) {
            return;
        }
        for c in self.rules.until.captures_iter(self.q) {
            let m = c.get(0).expect("match");
            if self.free(m.start(), m.end()) {
                let year: i32 = c[2].parse().expect("four digits");
                let before = c[1].eq_ignore_ascii_case("before");
                let year = if before { year - 1 } else { year };
                self.add(m.start(), "to", year.to_string(), m.as_str());
                self.taken.push((m.start(), m.end()));
            }
        }
    }

    /// "in 2024": one year only (two "in YYYY" phrases would select nothing).
    fn in_year(&mut self) {
        if !(self.allowed("year") && self.allowed("from") && self.allowed("to")) {
            return;
        }
        for c in self.rules.in_year.captures_iter(self.q) {
            let m = c.get(0).expect("match");
            let has_year = self.parts.iter().any(|(_, u)| u.param == "year");
            if self.free(m.start(), m.end()) && !has_year {
                self.add(m.start(), "year", c[1].to_string(), m.as_str());
                self.taken.push((m.start(), m.end()));
            }
        }
    }

    /// "risk factor 7": one risk factor of the Framework of Analysis, 1–14.
    fn risk_factor(&mut self) {
        if !self.allowed("risk") {
            return;
        }
        if let Some(c) = self.rules.risk.captures(self.q)
            && let Ok(n) = c[1].parse::<u8>()
            && (1..=14).contains(&n)
        {
            let m = c.get(0).expect("match");
            self.add(m.start(), "risk", n.to_string(), m.as_str());
            self.taken.push((m.start(), m.end()));
        }
    }

    /// "pillar II", "second pillar": one R2P pillar.
    fn pillar(&mut self) {
        if !self.allowed("pillar") {
            return;
        }
        if let Some(c) = self.rules.pillar.captures(self.q) {
            let word = c.get(1).or_else(|| c.get(2)).expect("a pillar").as_str();
            let pillar = match word.to_ascii_lowercase().as_str() {
                "i" | "one" | "1" | "first" => "I",
                "ii" | "two" | "2" | "second" => "II",
                _ => "III",
            };
            let m = c.get(0).expect("match");
            self.add(m.start(), "pillar", pillar.to_string(), m.as_str());
            self.taken.push((m.start(), m.end()));
        }
    }

    /// "recommendations to regional organizations", "calls on the Security Council": a
    /// recommendation and its addressee; else "recommendations" alone.
    fn recommendation(&mut self) {
        if !self.allowed("rec") {
            return;
        }
        for re in [&self.rules.rec_to, &self.rules.directive] {
            let Some(c) = re.captures(self.q) else {
                continue;
            };
            let m = c.get(0).expect("match");
            let words = c.name("addr").expect("addressee").as_str();
            let Some(name) = addressee(&words.to_lowercase()) else {
                continue;
            };
            if !self.free(m.start(), m.end()) {
                continue;
            }
            self.add(m.start(), "rec", "true".into(), m.as_str());
            if self.allowed("addressee") {
                self.add(m.start(), "addressee", name.to_string(), m.as_str());
                self.rank.push(words.to_string());
            }
            self.taken.push((m.start(), m.end()));
            return;
        }
        if let Some(m) = self.rules.rec.find(self.q) {
            self.add(m.start(), "rec", "true".into(), m.as_str());
            self.taken.push((m.start(), m.end()));
        }
    }

    /// The reading: the parts in the order of the query, and the words left once the phrases
    /// read are cut out (lone punctuation dropped). `None` when nothing was read.
    fn finish(mut self) -> Option<Reading> {
        if self.parts.is_empty() {
            return None;
        }
        self.parts.sort_by_key(|(at, _)| *at);
        self.taken.sort_unstable();
        let q = self.q;
        let mut rest = String::new();
        let mut at = 0;
        for (s, e) in self.taken {
            rest.push_str(&q[at..s.max(at)]);
            rest.push(' ');
            at = at.max(e);
        }
        rest.push_str(&q[at..]);
        Some(Reading {
            parts: self.parts.into_iter().map(|(_, u)| u).collect(),
            rest: rest
                .split_whitespace()
                .filter(|w| !w.chars().all(|c| c.is_ascii_punctuation()))
                .collect::<Vec<_>>()
                .join(" "),
            rank: self.rank.join(" "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> Vec<(&'static str, String)> {
        read(q, &[], &[])
            .map(|r| r.parts.into_iter().map(|u| (u.param, u.value)).collect())
            .unwrap_or_default()
    }

    #[test]
    fn recommendations_to_an_addressee() {
        let r = read("recommendations to regional organizations", &[], &[]).expect("read");
        assert_eq!(
            r.parts
                .iter()
                .map(|u| (u.param, u.value.as_str()))
                .collect::<Vec<_>>(),
            [("rec", "true"), ("addressee", "regional organizations")]
        );
        assert_eq!(r.rest, "");
        assert_eq!(r.rank, "regional organizations");
        assert_eq!(
            params("calls on the Security Council"),
            [
                ("rec", "true".to_string()),
                ("addressee", "Security Council".to_string())
            ]
        );
        assert_eq!(
            params("Recommendations addressed to the General Assembly"),
            [
                ("rec", "true".to_string()),
                ("addressee", "General Assembly".to_string())
            ]
        );
        assert_eq!(
            params("urges States to ratify"),
            [
                ("rec", "true".to_string()),
                ("addressee", "Member States".to_string())
            ]
        );
        let r = read("recommendations on hate speech", &[], &[]).expect("read");
        assert_eq!(r.rest, "on hate speech");
        assert_eq!(r.rank, "");
    }

    #[test]
    fn years_risk_factors_and_pillars() {
        let r = read("risk factor 7 in 2024", &[], &[]).expect("read");
        assert_eq!(
            r.parts
                .iter()
                .map(|u| (u.param, u.value.as_str()))
                .collect::<Vec<_>>(),
            [("risk", "7"), ("year", "2024")]
        );
        assert_eq!(r.rest, "");
        assert_eq!(
            params("early warning since 2009"),
            [("from", "2009".to_string())]
        );
        assert_eq!(params("after 2015"), [("from", "2016".to_string())]);
        assert_eq!(
            params("veto between 2015 and 2020"),
            [("from", "2015".to_string()), ("to", "2020".to_string())]
        );
        assert_eq!(
            params("veto 2015–2020"),
            [("from", "2015".to_string()), ("to", "2020".to_string())]
        );
        assert_eq!(params("second pillar"), [("pillar", "II".to_string())]);
        assert_eq!(params("Pillar III veto"), [("pillar", "III".to_string())]);
        // Not risk factors: 15, or no number.
        assert_eq!(params("risk factor 15"), []);
        assert_eq!(params("risk factors"), []);
    }

    #[test]
    fn the_readers_own_syntax_and_choices_win() {
        assert_eq!(read("pillar:III veto", &[], &[]), None);
        assert_eq!(
            read("\"recommendations to regional organizations\"", &[], &[]),
            None
        );
        assert_eq!(read("recommendations OR regional", &[], &[]), None);
        assert_eq!(read("veto restraint", &[], &[]), None);
        assert_eq!(
            read("recommendations to regional organizations", &["true"], &[]),
            None
        );
        // Not reading the year leaves it among the words.
        let r = read("risk factor 7 in 2024", &["year"], &[]).expect("read");
        assert_eq!(r.rest, "in 2024");
        // An explicit addressee wins: the phrase still reads as recommendations.
        assert_eq!(
            params("recommendations to regional organizations")[0],
            ("rec", "true".to_string())
        );
        let r = read(
            "recommendations to regional organizations",
            &[],
            &["addressee"],
        )
        .expect("read");
        assert_eq!(r.parts.len(), 1);
        let long = "recommendations ".repeat(40);
        assert_eq!(read(&long, &[], &[]), None);
    }
}
