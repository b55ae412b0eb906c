//! Recommendations in the author's own voice (taxonomy §3), sentence by sentence.
//!
//! Shapes recognised (words from `data/recommendation.toml`):
//! - first person: "I urge / call upon / encourage / invite / recommend ACTOR to …";
//! - the author in the third person, present tense: "The Special Rapporteur recommends that
//!   the Government …" (the subject must be one of the author subjects, and match the
//!   document's author when it is known);
//! - present passive: "Member States are encouraged to …" ("were" / "have been encouraged"
//!   is a report of an earlier call and does not match);
//! - a modal with an identifiable subject: "National, regional and international actors
//!   should …"; with no identifiable subject ("efforts … should include") the sentence is
//!   *normative without addressee*: not a recommendation, recorded as medium evidence;
//! - an operative clause of a resolution: "Calls upon all States to …";
//! - a UPR recommendation ("69.1 Ratify … (Argentina);") or a list item opening with an
//!   imperative in a recommendations section.
//!
//! Not recommendations: quoted text (masked), calls after a reporting verb ("they agreed that
//! the international community should …"), "It should be recalled", inverted conditionals
//! ("should peaceful means be inadequate"), options ("may consider", "can support") and
//! pointers ("A set of recommendations … is included").

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use undex_core::{Evidence, Recommendation, UnitKind};

use crate::TagContext;
use crate::error::TagError;
use crate::facets;
use crate::lexicon::{RECOMMENDATION_TOML, compile, compile_exact};
use crate::pattern::{Re, TextKind};
use crate::scan::{Family, Hits, Scan};
use crate::text::{mask_quotes, sentences};

const FILE: &str = "recommendation.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRec {
    verb: Vec<RawVerb>,
    modals: Vec<String>,
    author_subjects: Vec<String>,
    reporting_verbs: Vec<String>,
    reporting_frames: Vec<String>,
    imperatives: Vec<String>,
    recommendation_sections: Vec<String>,
    addressee: Vec<RawAddressee>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVerb {
    lemma: String,
    rank: u8,
    first: Vec<String>,
    third: Vec<String>,
    passive: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAddressee {
    value: String,
    pattern: String,
}

/// The compiled recommendation rules.
pub(crate) struct RecLexicon {
    first_person: Re,
    first_person_subject: Re,
    coordinated_first: Re,
    third_author: Re,
    passive: Re,
    operative: Re,
    modal: Re,
    reporting: Re,
    recalled: Re,
    conditional: Re,
    imperative_start: Re,
    upr_number: Re,
    that_state: Re,
    areas: Re,
    /// Lower-case verb form → (lemma, rank).
    verb_forms: BTreeMap<String, (String, u8)>,
    sections: Vec<String>,
    /// Lower-case author subjects without "the " ("secretary-general", "special rapporteur").
    author_heads: Vec<String>,
    addressees: Vec<(String, Re)>,
}

const ADVERBS: &str = r"(?:also|further|therefore|again|once again|strongly|urgently|hereby|now|respectfully|particularly|in particular|equally|likewise|continue to|would like to|wish to|must|should|reiterate my call (?:up)?on)";

fn alternation(forms: &[&String]) -> String {
    let mut v: Vec<String> = forms.iter().map(|f| regex::escape(f)).collect();
    // Longest first so "call upon" wins over "call".
    v.sort_by_key(|s| std::cmp::Reverse(s.len()));
    v.join("|")
}

impl RecLexicon {
    pub(crate) fn parse(src: &str) -> Result<RecLexicon, TagError> {
        let raw: RawRec = toml::from_str(src).map_err(|e| TagError::Data {
            file: FILE,
            message: e.to_string(),
        })?;
        let mut verb_forms = BTreeMap::new();
        for v in &raw.verb {
            for f in v.first.iter().chain(&v.third).chain(&v.passive) {
                verb_forms.insert(f.to_lowercase(), (v.lemma.clone(), v.rank));
            }
        }
        for m in &raw.modals {
            verb_forms.insert(m.to_lowercase(), ("should".to_string(), 1));
        }
        let firsts: Vec<&String> = raw.verb.iter().flat_map(|v| &v.first).collect();
        let thirds: Vec<&String> = raw.verb.iter().flat_map(|v| &v.third).collect();
        let passives: Vec<&String> = raw.verb.iter().flat_map(|v| &v.passive).collect();
        let authors: Vec<&String> = raw.author_subjects.iter().collect();
        let modals: Vec<&String> = raw.modals.iter().collect();
        let reporting: Vec<&String> = raw.reporting_verbs.iter().collect();
        let imperatives: Vec<&String> = raw.imperatives.iter().collect();

        let first_person = compile_exact(
            FILE,
            "first_person",
            &format!(
                r"\bI\s+(?:(?i:{ADVERBS})\s+)*(?P<v>(?i:{}))\b",
                alternation(&firsts)
            ),
        )?;
        let first_person_subject =
            compile_exact(FILE, "first_person_subject", r"(?:^|[\s,;])I\s+[a-z]")?;
        let coordinated_first = compile(
            FILE,
            "coordinated_first",
            &format!(
                r"\band\s+(?:{ADVERBS}\s+)*(?P<v>{})\b",
                alternation(&firsts)
            ),
        )?;
        let third_author = compile(
            FILE,
            "third_author",
            &format!(
                r"^(?:[^,;]{{0,80}},\s*)?(?P<s>{})(?:\s+[\w'’()-]+){{0,10}}?\s+(?:{ADVERBS}\s+)*(?P<v>{})\b",
                alternation(&authors),
                alternation(&thirds)
            ),
        )?;
        let passive = compile(
            FILE,
            "passive",
            &format!(
                r"\b(?:is|are)\s+(?:{ADVERBS}\s+)*(?P<v>{})(?:,[^,;]{{1,160}},)?\s+(?:to|that)\b",
                alternation(&passives)
            ),
        )?;
        let operative = compile_exact(
            FILE,
            "operative",
            &format!(
                r"^(?:\d+\.\s*)?(?:(?:Also|Further|Strongly|Again|Once again|Hereby|Urgently)\s+(?:(?i:also|further|strongly|urgently)\s+)?)?(?P<v>{})\b",
                raw.verb
                    .iter()
                    .flat_map(|v| &v.third)
                    .map(|f| {
                        let mut c = f.chars();
                        c.next().map_or_else(String::new, |h| {
                            regex::escape(&format!("{}{}", h.to_uppercase(), c.as_str()))
                        })
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            ),
        )?;
        let modal = compile(
            FILE,
            "modal",
            &format!(r"\b(?P<v>{})\b", alternation(&modals)),
        )?;
        let reporting = compile(
            FILE,
            "reporting",
            &format!(
                r"\b(?:{})\s+(?:\w+\s+){{0,3}}?that\b|{}",
                alternation(&reporting),
                raw.reporting_frames.join("|")
            ),
        )?;
        let recalled = compile(
            FILE,
            "recalled",
            r"^\s*(?:should|must)\s+(?:also\s+)?be\s+(?:recalled|noted|emphasized|stressed|recognized|borne in mind|underlined|highlighted|mentioned|acknowledged|pointed out)\b",
        )?;
        let conditional = compile(
            FILE,
            "conditional",
            r"^\s*should\s+(?:the\s+|any\s+|such\s+)?(?:[\w-]+\s+){1,3}?(?:be|prove|fail|become|occur|arise|deteriorate)\b",
        )?;
        let imperative_start = compile(
            FILE,
            "imperative_start",
            &format!(
                r"^(?:\(?[a-z0-9ivx]{{1,4}}[.)]\s*)?(?:\d{{1,3}}\.\d{{1,3}}\.?\s+)?(?:To\s+)?(?P<v>{})\b",
                alternation(&imperatives)
            ),
        )?;
        let upr_number = compile(FILE, "upr_number", r"^\s*\d{1,3}\.\d{1,3}\.?\s+\S")?;
        // Old UPR layout (2008): "1. That Algeria take appropriate measures … (Brazil)."
        let that_state = compile_exact(
            FILE,
            "that_state",
            r"^\s*(?:\d{1,3}\.\s*)?That (?:the |[A-Z])",
        )?;
        let areas = compile(
            FILE,
            "areas",
            r"\b(?:main |key |three |several )?areas for (?:possible |further |future )?action\b",
        )?;
        let addressees = raw
            .addressee
            .iter()
            .map(|a| Ok((a.value.clone(), compile(FILE, &a.value, &a.pattern)?)))
            .collect::<Result<Vec<_>, TagError>>()?;
        Ok(RecLexicon {
            first_person,
            first_person_subject,
            coordinated_first,
            third_author,
            passive,
            operative,
            modal,
            reporting,
            recalled,
            conditional,
            imperative_start,
            upr_number,
            that_state,
            areas,
            verb_forms,
            author_heads: raw
                .author_subjects
                .iter()
                .map(|a| a.to_lowercase().trim_start_matches("the ").to_string())
                .filter(|a| !matches!(a.as_str(), "present report" | "this report"))
                .collect(),
            sections: raw
                .recommendation_sections
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            addressees,
        })
    }

    /// The rules and addressee patterns in the order of the recommendation family of a
    /// [`Scan`] (see the `slot` constants).
    pub(crate) fn patterns(&self) -> impl Iterator<Item = &Re> {
        [
            &self.first_person,
            &self.first_person_subject,
            &self.coordinated_first,
            &self.third_author,
            &self.operative,
            &self.passive,
            &self.modal,
            &self.reporting,
            &self.recalled,
            &self.conditional,
            &self.areas,
        ]
        .into_iter()
        .chain(self.addressees.iter().map(|(_, re)| re))
    }

    fn verb(&self, form: &str) -> (String, u8) {
        self.verb_forms
            .get(&form.to_lowercase())
            .cloned()
            .unwrap_or_else(|| ("should".to_string(), 1))
    }
}

/// Places of the rules in [`RecLexicon::patterns`].
mod slot {
    pub(super) const FIRST_PERSON: usize = 0;
    pub(super) const FIRST_PERSON_SUBJECT: usize = 1;
    pub(super) const COORDINATED_FIRST: usize = 2;
    pub(super) const THIRD_AUTHOR: usize = 3;
    pub(super) const OPERATIVE: usize = 4;
    pub(super) const PASSIVE: usize = 5;
    pub(super) const MODAL: usize = 6;
    pub(super) const REPORTING: usize = 7;
    pub(super) const RECALLED: usize = 8;
    pub(super) const CONDITIONAL: usize = 9;
    pub(super) const AREAS: usize = 10;
    /// The first addressee pattern; the others follow in order.
    pub(super) const ADDRESSEES: usize = 11;
}

/// Which rules can match in the text at hand: the paragraph's scan tells when the rules run
/// on the paragraph itself or on pieces of it (a text with quotations masked is not the
/// paragraph: every rule runs there).
#[derive(Debug, Clone, Copy)]
struct Gate<'a> {
    hits: Option<Hits<'a>>,
    kind: TextKind,
}

impl Gate<'_> {
    /// Every rule may match, in a text of `kind`.
    fn open(kind: TextKind) -> Gate<'static> {
        Gate { hits: None, kind }
    }

    /// The pattern to run for the rule in `slot`, `None` when it cannot match.
    fn rule<'r>(&self, slot: usize, re: &'r Re) -> Option<&'r Regex> {
        match self.hits {
            Some(hits) if hits.window(slot).is_none() => None,
            _ => Some(re.get(self.kind)),
        }
    }
}

pub(crate) static REC: LazyLock<RecLexicon> = LazyLock::new(|| {
    RecLexicon::parse(RECOMMENDATION_TOML)
        .expect("embedded data/recommendation.toml is valid (checked by tests)")
});

/// One directive found in a sentence.
#[derive(Debug, Clone)]
struct Directive {
    rule: &'static str,
    lemma: String,
    rank: u8,
    start: usize,
    end: usize,
    addressees: Vec<(String, usize, usize)>,
    confidence: f32,
}

/// True when a heading of the section path names a recommendations / conclusions section.
pub(crate) fn in_recommendation_section(section: &[String]) -> bool {
    section.iter().any(|h| {
        let h = h.to_lowercase();
        REC.sections.iter().any(|s| h.contains(s.as_str()))
    })
}

/// Addressees found in `span` (absolute offset `base` in the paragraph), sorted by position.
/// Overlapping matches are resolved leftmost-longest ("de facto authorities" is `other`, not
/// `Member States` for "authorities").
fn addressees_in(span: &str, base: usize, gate: Gate<'_>) -> Vec<(String, usize, usize)> {
    let mut all: Vec<(String, usize, usize)> = Vec::new();
    for (k, (value, re)) in REC.addressees.iter().enumerate() {
        let Some(re) = gate.rule(slot::ADDRESSEES + k, re) else {
            continue;
        };
        for m in re.find_iter(span) {
            all.push((value.clone(), base + m.start(), base + m.end()));
        }
    }
    all.sort_by_key(|a| (a.1, std::cmp::Reverse(a.2)));
    let mut found: Vec<(String, usize, usize)> = Vec::new();
    for (value, s, e) in all {
        if found.iter().any(|(_, fs, fe)| s < *fe && *fs < e) {
            continue;
        }
        found.push((value, s, e));
    }
    found
}

/// Words that may stand between two coordinated addressees ("Member States and the General
/// Assembly", "the Security Council, the General Assembly and relevant regional organizations").
fn is_coordination_gap(gap: &str) -> bool {
    gap.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .all(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "and"
                    | "or"
                    | "as"
                    | "well"
                    | "the"
                    | "all"
                    | "relevant"
                    | "other"
                    | "its"
                    | "their"
                    | "including"
                    | "in"
                    | "particular"
                    | "notably"
                    | "concerned"
                    | "international"
                    | "national"
                    | "both"
                    | "together"
                    | "with"
                    | "along"
            )
        })
}

/// The addressees of an object span: the first one and those coordinated with it.
fn object_addressees(span: &str, base: usize, gate: Gate<'_>) -> Vec<(String, usize, usize)> {
    let all = addressees_in(span, base, gate);
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    for a in all {
        match out.last() {
            None => {
                // The object must open the span (within a few words).
                if a.1 - base > 40 {
                    break;
                }
                out.push(a);
            }
            Some(prev) => {
                if is_coordination_gap(&span[prev.2 - base..a.1 - base]) {
                    out.push(a);
                } else {
                    break;
                }
            }
        }
    }
    out
}

/// The object span after a directive verb: skip "that", stop at " to ", "that", ";", ":" or
/// after 160 bytes.
fn object_span(sentence: &str, from: usize) -> (usize, usize) {
    let rest = &sentence[from..];
    let lead = rest.len() - rest.trim_start().len();
    let mut start = from + lead;
    if sentence[start..].to_lowercase().starts_with("that ") {
        start += 5;
    }
    let tail = &sentence[start..];
    let mut end = tail.len().min(160);
    for stop in [" to ", " that ", ";", ":", " in order to ", " so that "] {
        if let Some(p) = tail.find(stop) {
            end = end.min(p);
        }
    }
    while !tail.is_char_boundary(end) {
        end -= 1;
    }
    (start, start + end)
}

/// The subject span before a verb at `verb_start`: from the last clause boundary (";", ":",
/// " that ", " which ", " while ", or a comma followed by a capital letter) to the verb.
fn subject_span(sentence: &str, verb_start: usize) -> usize {
    let head = &sentence[..verb_start];
    let mut start = 0;
    for b in [
        ";",
        ":",
        " that ",
        " which ",
        " while ",
        " whereas ",
        " where ",
        " but ",
    ] {
        if let Some(p) = head.rfind(b) {
            start = start.max(p + b.len());
        }
    }
    for (p, _) in head.match_indices(", ") {
        let next = head[p + 2..].chars().next();
        if next.is_some_and(char::is_uppercase) && p + 2 > start {
            start = p + 2;
        }
    }
    start
}

/// True when `subject` ("The Special Rapporteur") can be the document's author. An unknown
/// author, or one that names none of the author subjects, accepts every author subject; an
/// author that names one ("Secretary-General") accepts only itself, so that a Secretary-General
/// report citing "the Special Rapporteur recommends" is not read as the author's voice.
fn author_matches(subject: &str, author: Option<&str>) -> bool {
    let s = subject.to_lowercase();
    let s = s.trim_start_matches("the ").trim();
    if matches!(s, "present report" | "this report") {
        return true;
    }
    let Some(author) = author else { return true };
    let a = author.to_lowercase();
    if a.contains(s) {
        return true;
    }
    let names_a_subject = REC.author_heads.iter().any(|h| a.contains(h.as_str()));
    !names_a_subject
}

/// True when `text` opens with an imperative verb (optionally after "(a)" or "To"), as the
/// items of a recommendation list do ("(a) Repeal …;", "Ratify the Optional Protocol …").
pub(crate) fn starts_with_imperative(text: &str) -> bool {
    let text = text.trim_start();
    REC.imperative_start.get(TextKind::of(text)).is_match(text)
}

/// Directives in one sentence `[s0, s1)` of the (quote-masked) paragraph text; `gate` says
/// which rules can match in it, `rec_section` is [`in_recommendation_section`].
fn sentence_directives(
    masked: &str,
    (s0, s1): (usize, usize),
    prev: (usize, usize),
    gate: Gate<'_>,
    rec_section: bool,
    ctx: &TagContext<'_>,
) -> Vec<Directive> {
    let sentence = &masked[s0..s1];
    let mut out = Vec::new();

    if let Some(c) = gate
        .rule(slot::FIRST_PERSON, &REC.first_person)
        .and_then(|re| re.captures(sentence))
        && let Some(v) = c.name("v")
    {
        let (lemma, rank) = REC.verb(v.as_str());
        let (os, oe) = object_span(sentence, v.end());
        let mut addressees = object_addressees(&sentence[os..oe], s0 + os, gate);
        // "All parties are responsible … I therefore urge them to …": the pronoun takes the
        // addressees that open the previous sentence.
        if addressees.is_empty() && sentence[os..oe].trim_start().starts_with("them") {
            let previous = &masked[prev.0..prev.1];
            let head_end = previous
                .char_indices()
                .nth(60)
                .map_or(previous.len(), |(i, _)| i);
            addressees = object_addressees(&previous[..head_end], prev.0, gate);
        }
        out.push(Directive {
            rule: "first_person",
            lemma,
            rank,
            start: s0 + v.start(),
            end: s0 + v.end(),
            addressees,
            confidence: 0.95,
        });
    }
    // "I reiterate my concern … and call upon the Government to …": a directive verb
    // coordinated with an earlier first-person verb.
    if gate
        .rule(slot::FIRST_PERSON_SUBJECT, &REC.first_person_subject)
        .is_some_and(|re| re.is_match(sentence))
    {
        let coordinated = gate.rule(slot::COORDINATED_FIRST, &REC.coordinated_first);
        for c in coordinated
            .into_iter()
            .flat_map(|re| re.captures_iter(sentence))
        {
            let Some(v) = c.name("v") else { continue };
            let (lemma, rank) = REC.verb(v.as_str());
            let (os, oe) = object_span(sentence, v.end());
            out.push(Directive {
                rule: "first_person_coordinated",
                lemma,
                rank,
                start: s0 + v.start(),
                end: s0 + v.end(),
                addressees: object_addressees(&sentence[os..oe], s0 + os, gate),
                confidence: 0.9,
            });
        }
    }
    if let Some(c) = gate
        .rule(slot::THIRD_AUTHOR, &REC.third_author)
        .and_then(|re| re.captures(sentence))
        && let (Some(subj), Some(v)) = (c.name("s"), c.name("v"))
        && author_matches(subj.as_str(), ctx.author)
    {
        let (lemma, rank) = REC.verb(v.as_str());
        let (os, oe) = object_span(sentence, v.end());
        out.push(Directive {
            rule: "author_third_person",
            lemma,
            rank,
            start: s0 + v.start(),
            end: s0 + v.end(),
            addressees: object_addressees(&sentence[os..oe], s0 + os, gate),
            confidence: 0.9,
        });
    }
    if (ctx.kind == UnitKind::Operative || s0 == 0)
        && let Some(c) = gate
            .rule(slot::OPERATIVE, &REC.operative)
            .and_then(|re| re.captures(sentence))
        && let Some(v) = c.name("v")
    {
        let (lemma, rank) = REC.verb(v.as_str());
        let (os, oe) = object_span(sentence, v.end());
        out.push(Directive {
            rule: "operative",
            lemma,
            rank,
            start: s0 + v.start(),
            end: s0 + v.end(),
            addressees: object_addressees(&sentence[os..oe], s0 + os, gate),
            confidence: 0.9,
        });
    }
    let passive = gate.rule(slot::PASSIVE, &REC.passive);
    let reporting = gate.rule(slot::REPORTING, &REC.reporting);
    for c in passive
        .into_iter()
        .flat_map(|re| re.captures_iter(sentence))
    {
        let Some(v) = c.name("v") else { continue };
        let Some(whole) = c.get(0) else { continue };
        if reporting.is_some_and(|re| re.is_match(&sentence[..whole.start()])) {
            continue;
        }
        let (lemma, rank) = REC.verb(v.as_str());
        let addressees = if whole.as_str().ends_with("that") {
            let (os, oe) = object_span(sentence, whole.end());
            object_addressees(&sentence[os..oe], s0 + os, gate)
        } else {
            let ss = subject_span(sentence, whole.start());
            addressees_in(&sentence[ss..whole.start()], s0 + ss, gate)
        };
        out.push(Directive {
            rule: "present_passive",
            lemma,
            rank,
            start: s0 + v.start(),
            end: s0 + v.end(),
            addressees,
            confidence: if rec_section { 0.95 } else { 0.85 },
        });
    }
    let modal = gate.rule(slot::MODAL, &REC.modal);
    let recalled = gate.rule(slot::RECALLED, &REC.recalled);
    let conditional = gate.rule(slot::CONDITIONAL, &REC.conditional);
    for m in modal.into_iter().flat_map(|re| re.find_iter(sentence)) {
        let after = &sentence[m.start()..];
        if recalled.is_some_and(|re| re.is_match(after))
            || conditional.is_some_and(|re| re.is_match(after))
        {
            continue;
        }
        // "should" right after a comma opens an inverted conditional clause.
        if sentence[..m.start()].trim_end().ends_with(',')
            && m.as_str().eq_ignore_ascii_case("should")
        {
            continue;
        }
        if reporting.is_some_and(|re| re.is_match(&sentence[..m.start()])) {
            continue;
        }
        let ss = subject_span(sentence, m.start());
        let subject = &sentence[ss..m.start()];
        if subject.trim().is_empty() {
            continue;
        }
        // The actor must head the subject: its last addressee stands right before the modal
        // ("National, regional and international actors should"), not inside a modifier
        // ("the development of guidance ... at the regional levels should be explored").
        let mut addressees = addressees_in(subject, s0 + ss, gate);
        let heads_subject = addressees.last().is_some_and(|(_, _, e)| {
            sentence[e - s0..m.start()]
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty())
                .all(|w| {
                    matches!(
                        w.to_lowercase().as_str(),
                        "also"
                            | "therefore"
                            | "further"
                            | "now"
                            | "all"
                            | "each"
                            | "themselves"
                            | "too"
                            | "thus"
                            | "equally"
                            | "likewise"
                    )
                })
        });
        if !heads_subject {
            addressees.clear();
        }
        let (lemma, rank) = REC.verb(m.as_str());
        out.push(Directive {
            rule: if addressees.is_empty() {
                "normative_no_addressee"
            } else {
                "modal_with_subject"
            },
            lemma,
            rank,
            start: s0 + m.start(),
            end: s0 + m.end(),
            confidence: if addressees.is_empty() {
                0.5
            } else if rec_section {
                0.85
            } else {
                0.75
            },
            addressees,
        });
    }
    out
}

/// Parentheticals of `text` that name only States ("(Albania)", "(Iran (Islamic Republic of))",
/// "(Chile, Mexico and Peru)"): the recommending States of UPR recommendations, each followed by
/// ";", "." or the end of the text. Returns (ISO code, start, end) of every State named.
fn recommending_states(text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut open = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    open = i + 1;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth > 0 {
                    continue;
                }
                let after = text[i + 1..].trim_start();
                if !(after.is_empty() || after.starts_with([';', '.', ','])) {
                    continue;
                }
                let inner = &text[open..i];
                let found = facets::countries_in(inner);
                if found.is_empty() {
                    continue;
                }
                // Everything outside the names must be separators.
                let mut rest = String::new();
                let mut last = 0;
                for (_, a, b) in &found {
                    rest.push_str(&inner[last..*a]);
                    last = *b;
                }
                rest.push_str(&inner[last..]);
                let only_states = rest
                    .split(|ch: char| ch.is_whitespace() || ch == ',' || ch == ';')
                    .filter(|w| !w.is_empty())
                    .all(|w| matches!(w, "and" | "the" | "The" | "(" | ")"));
                if only_states {
                    out.extend(
                        found
                            .into_iter()
                            .map(|(code, a, b)| (code, open + a, open + b)),
                    );
                }
            }
            _ => {}
        }
    }
    out
}

/// Tags the recommendation family of one paragraph (`scan`: the scan of `text`).
pub(crate) fn tag(text: &str, scan: &Scan, ctx: &TagContext<'_>) -> Recommendation {
    let kind = scan.kind();
    let mut rec = Recommendation::default();
    let rec_section = in_recommendation_section(ctx.section);

    // UPR recommendations and imperative list items.
    let upr = ctx.kind == UnitKind::UprRecommendation || REC.upr_number.get(kind).is_match(text);
    let states = recommending_states(text);
    let imperative = REC.imperative_start.get(kind).captures(text.trim_start());
    let that_clause = REC.that_state.get(kind).is_match(text);
    if upr || (!states.is_empty() && (imperative.is_some() || that_clause)) {
        rec.is_recommendation = true;
        rec.verb = Some("recommend".to_string());
        rec.addressees = vec!["Member States".to_string()];
        let lead = text.len() - text.trim_start().len();
        let (vs, ve) = imperative
            .as_ref()
            .and_then(|c| c.name("v"))
            .map_or((lead, lead), |v| (lead + v.start(), lead + v.end()));
        rec.evidence.push(Evidence {
            start: vs,
            end: ve,
            text: text[vs..ve].to_string(),
            rule: "recommendation.upr_item".to_string(),
            confidence: 0.9,
        });
        let mut names = BTreeSet::new();
        for (code, s, e) in &states {
            names.insert(
                facets::country_name(code)
                    .unwrap_or(&text[*s..*e])
                    .to_string(),
            );
            rec.evidence.push(Evidence {
                start: *s,
                end: *e,
                text: text[*s..*e].to_string(),
                rule: format!("recommendation.recommending_state:{code}"),
                confidence: 0.9,
            });
        }
        rec.recommending_states = names.into_iter().collect();
        return rec;
    }

    let masked = mask_quotes(text);
    // The scan is of the text: it holds for the masked text only when nothing was masked.
    let gate = Gate {
        hits: (masked == text).then(|| scan.family(Family::Recommendation)),
        kind,
    };
    let mut directives: Vec<Directive> = Vec::new();
    let mut prev = (0, 0);
    for span in sentences(&masked) {
        directives.extend(sentence_directives(
            &masked,
            span,
            prev,
            gate,
            rec_section,
            ctx,
        ));
        prev = span;
    }
    // "the Council" is the council the paragraph names, if it names exactly one.
    let council = match (
        text.contains("Security Council"),
        text.contains("Human Rights Council"),
    ) {
        (true, false) => Some("Security Council"),
        (false, true) => Some("Human Rights Council"),
        _ => None,
    };
    for d in &mut directives {
        d.addressees.retain_mut(|(value, _, _)| {
            if value != "the Council" {
                return true;
            }
            match council {
                Some(c) => {
                    *value = c.to_string();
                    true
                }
                None => false,
            }
        });
    }

    if rec_section
        && let Some(c) = imperative
        && let Some(v) = c.name("v")
        && !directives.iter().any(|d| !d.addressees.is_empty())
    {
        let lead = text.len() - text.trim_start().len();
        directives.push(Directive {
            rule: "list_item_imperative",
            lemma: "recommend".to_string(),
            rank: 4,
            start: lead + v.start(),
            end: lead + v.end(),
            addressees: Vec::new(),
            confidence: 0.6,
        });
    }
    if rec_section
        && let Some(m) = gate
            .rule(slot::AREAS, &REC.areas)
            .and_then(|re| re.find(&masked))
    {
        directives.push(Directive {
            rule: "areas_for_action",
            lemma: String::new(),
            rank: 0,
            start: m.start(),
            end: m.end(),
            addressees: Vec::new(),
            confidence: 0.5,
        });
    }

    // A heading "To the Government of …" / "Recommendations to Member States" names the
    // addressee of the list items under it.
    if rec_section
        && directives.iter().all(|d| d.addressees.is_empty())
        && let Some(heading) = ctx.section.last()
    {
        let lower = heading.to_lowercase();
        if let Some(p) = lower.find("to ") {
            let from = p + 3;
            if lower[..p].split_whitespace().count() <= 2 && heading.is_char_boundary(from) {
                let found = addressees_in(&heading[from..], 0, Gate::open(TextKind::of(heading)));
                for d in &mut directives {
                    if matches!(
                        d.rule,
                        "list_item_imperative" | "modal_with_subject" | "normative_no_addressee"
                    ) {
                        d.addressees = found
                            .iter()
                            .map(|(v, _, _)| (v.clone(), d.start, d.start))
                            .collect();
                    }
                }
            }
        }
    }
    let mut best_rank = 0u8;
    let mut addressees = BTreeSet::new();
    for d in &directives {
        let positive = !d.addressees.is_empty()
            || matches!(d.rule, "list_item_imperative" | "areas_for_action");
        rec.evidence.push(Evidence {
            start: d.start,
            end: d.end,
            text: text[d.start..d.end].to_string(),
            rule: if positive {
                format!("recommendation.{}:{}", d.rule, d.lemma)
            } else if d.rule == "normative_no_addressee" {
                "recommendation.normative_no_addressee".to_string()
            } else {
                format!("recommendation.no_addressee.{}:{}", d.rule, d.lemma)
            },
            confidence: d.confidence,
        });
        if !positive {
            continue;
        }
        rec.is_recommendation = true;
        for (value, s, e) in &d.addressees {
            addressees.insert(value.clone());
            rec.evidence.push(Evidence {
                start: *s,
                end: *e,
                text: text[*s..*e].to_string(),
                rule: format!("addressee:{value}"),
                confidence: d.confidence,
            });
        }
        if d.rank > best_rank {
            best_rank = d.rank;
            rec.verb = (!d.lemma.is_empty()).then(|| d.lemma.clone());
        }
    }
    // A modal in a sentence of a positive paragraph counts for the verb only when its own
    // subject is an actor (handled above); the verb stays the strongest positive one.
    rec.addressees = addressees.into_iter().collect();
    rec.evidence
        .sort_by(|a, b| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule)));
    rec
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(section: &'a [String]) -> TagContext<'a> {
        TagContext {
            section,
            kind: UnitKind::Paragraph,
            footnotes: &[],
            doc_type: Some("report"),
            author: Some("Secretary-General"),
            language: "en",
            speaker: None,
        }
    }

    #[test]
    fn list_items_take_the_addressee_of_a_to_heading() {
        // Recommendation sections of HRC reports are often split by addressee headings.
        let section = vec![
            "VII. Conclusions and recommendations".to_string(),
            "B. Recommendations to States".to_string(),
        ];
        let r = tag(
            "(a) Repeal laws that criminalize the work of human rights defenders;",
            &Scan::new("(a) Repeal laws that criminalize the work of human rights defenders;"),
            &ctx(&section),
        );
        assert!(r.is_recommendation);
        assert_eq!(r.addressees, ["Member States"]);
        // Outside a recommendations section an imperative opening is not enough.
        let other = vec!["III. Background".to_string()];
        assert!(
            !tag(
                "Repeal laws that criminalize dissent;",
                &Scan::new("Repeal laws that criminalize dissent;"),
                &ctx(&other)
            )
            .is_recommendation
        );
    }

    #[test]
    fn embedded_file_parses() {
        RecLexicon::parse(RECOMMENDATION_TOML).unwrap();
    }

    #[test]
    fn object_addressees_follow_coordination() {
        let s =
            "the Security Council, the General Assembly and relevant regional organizations to act";
        let a = object_addressees(s, 0, Gate::open(TextKind::Ascii));
        let v: Vec<&str> = a.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            v,
            [
                "Security Council",
                "General Assembly",
                "regional organizations"
            ]
        );
    }

    #[test]
    fn upr_recommending_states_in_balanced_parentheses() {
        // Shapes of A/HRC/25/5 (China, 2013), para. 186.1, and A/HRC/8/29 (Algeria, 2008).
        let none: &[String] = &[];
        let t = "186.1 Ratify ICCPR (Albania); Ratify ICCPR and CPED (Chile); Ratify the Convention (Iran (Islamic Republic of));";
        let r = tag(t, &Scan::new(t), &ctx(none));
        assert!(r.is_recommendation);
        assert_eq!(r.addressees, ["Member States"]);
        assert_eq!(
            r.recommending_states,
            ["Albania", "Chile", "Iran (Islamic Republic of)"]
        );
        let t = "6. That Algeria continue a dialogue with minority religions (The Holy See).";
        let r = tag(t, &Scan::new(t), &ctx(none));
        assert!(r.is_recommendation);
        assert_eq!(r.recommending_states, ["Holy See"]);
        // A parenthetical that is not only States is no recommending State.
        assert!(recommending_states("see the report (Chile, 2010).").is_empty());
    }
}
