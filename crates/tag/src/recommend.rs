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
use undex_core::{Evidence, Recommendation, RuleId, UnitKind};

use crate::TagContext;
use crate::entities;
use crate::error::TagError;
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

/// The forms as one regex alternation, escaped, longest first (so "call upon" wins over
/// "call"), each once. Shared by the English and the native rules.
pub(crate) fn alternation<'a, S: AsRef<str> + 'a>(forms: impl IntoIterator<Item = S>) -> String {
    let mut v: Vec<String> = forms
        .into_iter()
        .map(|f| regex::escape(f.as_ref()))
        .collect();
    v.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    v.dedup();
    v.join("|")
}

/// The rank of an English directive lemma ("call upon" 6 … "invite" 2, any other 1: a
/// modal), from the verbs of the English data (taxonomy §3).
pub(crate) fn lemma_rank(lemma: &str) -> u8 {
    REC.verb(lemma).1
}

/// Every verb form of the data (first person, third person, passive, modal), lower-cased, with
/// its lemma and rank; a modal is the lemma "should" of rank 1.
fn verb_forms(raw: &RawRec) -> BTreeMap<String, (String, u8)> {
    let mut verb_forms = BTreeMap::new();
    for v in &raw.verb {
        for f in v.first.iter().chain(&v.third).chain(&v.passive) {
            verb_forms.insert(f.to_lowercase(), (v.lemma.clone(), v.rank));
        }
    }
    for m in &raw.modals {
        verb_forms.insert(m.to_lowercase(), ("should".to_string(), 1));
    }
    verb_forms
}

/// The author speaking in the first person, the voice of Secretary-General reports ("I urge",
/// "I therefore call upon", "I would like to encourage"): "I", adverbs, a first-person verb.
fn first_person_rule(firsts: &[&String]) -> Result<Re, TagError> {
    compile_exact(
        FILE,
        "first_person",
        &format!(
            r"\bI\s+(?:(?i:{ADVERBS})\s+)*(?P<v>(?i:{}))\b",
            alternation(firsts)
        ),
    )
}

/// "I" as the subject of some verb ("I reiterate my concern … and call upon …"): the gate of
/// [`coordinated_first_rule`].
const FIRST_PERSON_SUBJECT: &str = r"(?:^|[\s,;])I\s+[a-z]";

/// A first-person directive verb coordinated with an earlier verb of the same "I" ("… and
/// call upon the Government to …").
fn coordinated_first_rule(firsts: &[&String]) -> Result<Re, TagError> {
    compile(
        FILE,
        "coordinated_first",
        &format!(r"\band\s+(?:{ADVERBS}\s+)*(?P<v>{})\b", alternation(firsts)),
    )
}

/// The author named in the third person, the voice of Special Rapporteur and treaty body
/// reports ("The Special Rapporteur recommends that …", "In the light of the above, the
/// Committee urges …"): an author subject at the head of the sentence (after at most one
/// introductory phrase) and a present-tense verb within ten words.
fn third_author_rule(authors: &[&String], thirds: &[&String]) -> Result<Re, TagError> {
    compile(
        FILE,
        "third_author",
        &format!(
            r"^(?:[^,;]{{0,80}},\s*)?(?P<s>{})(?:\s+[\w'’()-]+){{0,10}}?\s+(?:{ADVERBS}\s+)*(?P<v>{})\b",
            alternation(authors),
            alternation(thirds)
        ),
    )
}

/// The present passive of a directive verb ("Member States are encouraged to …", "… is
/// urged, in close cooperation with …, to …"); the past ("were encouraged") reports an
/// earlier call and does not match.
fn passive_rule(passives: &[&String]) -> Result<Re, TagError> {
    compile(
        FILE,
        "passive",
        &format!(
            r"\b(?:is|are)\s+(?:{ADVERBS}\s+)*(?P<v>{})(?:,[^,;]{{1,160}},)?\s+(?:to|that)\b",
            alternation(passives)
        ),
    )
}

/// An operative paragraph of a resolution, which opens with a capitalised third-person verb
/// after its number ("3. Calls upon all States to …", "Strongly urges …"), as the UN editorial
/// manual sets operative clauses.
fn operative_rule(thirds: &[&String]) -> Result<Re, TagError> {
    let capitalised = thirds
        .iter()
        .map(|f| {
            let mut c = f.chars();
            c.next().map_or_else(String::new, |h| {
                regex::escape(&format!("{}{}", h.to_uppercase(), c.as_str()))
            })
        })
        .collect::<Vec<_>>()
        .join("|");
    compile_exact(
        FILE,
        "operative",
        &format!(
            r"^(?:\d+\.\s*)?(?:(?:Also|Further|Strongly|Again|Once again|Hereby|Urgently)\s+(?:(?i:also|further|strongly|urgently)\s+)?)?(?P<v>{capitalised})\b"
        ),
    )
}

/// A reporting verb and its "that" ("they agreed that", "participants stressed that") or a
/// reporting frame of the data: a call after it is someone else's, reported, not the author's.
fn reporting_rule(raw: &RawRec) -> Result<Re, TagError> {
    let reporting: Vec<&String> = raw.reporting_verbs.iter().collect();
    compile(
        FILE,
        "reporting",
        &format!(
            r"\b(?:{})\s+(?:\w+\s+){{0,3}}?that\b|{}",
            alternation(&reporting),
            raw.reporting_frames.join("|")
        ),
    )
}

/// "It should be recalled / noted / emphasized …": a modal that introduces a statement, not a
/// call on anyone.
const RECALLED: &str = r"^\s*(?:should|must)\s+(?:also\s+)?be\s+(?:recalled|noted|emphasized|stressed|recognized|borne in mind|underlined|highlighted|mentioned|acknowledged|pointed out)\b";

/// An inverted conditional ("should peaceful means be inadequate", "should the situation
/// deteriorate"), the Charter's and resolutions' way of writing "if".
const CONDITIONAL: &str = r"^\s*should\s+(?:the\s+|any\s+|such\s+)?(?:[\w-]+\s+){1,3}?(?:be|prove|fail|become|occur|arise|deteriorate)\b";

/// A list item that opens with an imperative, after an optional item label ("(a)", "iv.") or
/// UPR number, and an optional "To" ("(a) Repeal …;", "To ratify …").
fn imperative_start_rule(imperatives: &[&String]) -> Result<Re, TagError> {
    compile(
        FILE,
        "imperative_start",
        &format!(
            r"^(?:\(?[a-z0-9ivx]{{1,4}}[.)]\s*)?(?:\d{{1,3}}\.\d{{1,3}}\.?\s+)?(?:To\s+)?(?P<v>{})\b",
            alternation(imperatives)
        ),
    )
}

/// The number of a UPR recommendation ("69.1 Ratify …"): the paragraph of the working group
/// report and the item's place in it.
const UPR_NUMBER: &str = r"^\s*\d{1,3}\.\d{1,3}\.?\s+\S";

/// The old UPR layout (2008): "1. That Algeria take appropriate measures … (Brazil)."
const THAT_STATE: &str = r"^\s*(?:\d{1,3}\.\s*)?That (?:the |[A-Z])";

/// "Areas for possible action" and the like: how Secretary-General reports on the
/// responsibility to protect introduce their recommendations.
const AREAS: &str =
    r"\b(?:main |key |three |several )?areas for (?:possible |further |future )?action\b";

impl RecLexicon {
    pub(crate) fn parse(src: &str) -> Result<RecLexicon, TagError> {
        let raw: RawRec =
            toml::from_str(src).map_err(|source| TagError::Toml { file: FILE, source })?;
        let firsts: Vec<&String> = raw.verb.iter().flat_map(|v| &v.first).collect();
        let thirds: Vec<&String> = raw.verb.iter().flat_map(|v| &v.third).collect();
        let passives: Vec<&String> = raw.verb.iter().flat_map(|v| &v.passive).collect();
        let authors: Vec<&String> = raw.author_subjects.iter().collect();
        let modals: Vec<&String> = raw.modals.iter().collect();
        let imperatives: Vec<&String> = raw.imperatives.iter().collect();
        Ok(RecLexicon {
            first_person: first_person_rule(&firsts)?,
            first_person_subject: compile_exact(
                FILE,
                "first_person_subject",
                FIRST_PERSON_SUBJECT,
            )?,
            coordinated_first: coordinated_first_rule(&firsts)?,
            third_author: third_author_rule(&authors, &thirds)?,
            passive: passive_rule(&passives)?,
            operative: operative_rule(&thirds)?,
            modal: compile(
                FILE,
                "modal",
                &format!(r"\b(?P<v>{})\b", alternation(&modals)),
            )?,
            reporting: reporting_rule(&raw)?,
            recalled: compile(FILE, "recalled", RECALLED)?,
            conditional: compile(FILE, "conditional", CONDITIONAL)?,
            imperative_start: imperative_start_rule(&imperatives)?,
            upr_number: compile(FILE, "upr_number", UPR_NUMBER)?,
            that_state: compile_exact(FILE, "that_state", THAT_STATE)?,
            areas: compile(FILE, "areas", AREAS)?,
            verb_forms: verb_forms(&raw),
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
            // Compiled last, so that an error names the same pattern as it always did.
            addressees: raw
                .addressee
                .iter()
                .map(|a| Ok((a.value.clone(), compile(FILE, &a.value, &a.pattern)?)))
                .collect::<Result<Vec<_>, TagError>>()?,
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
    leftmost_longest(all)
}

/// `matches` (value, start, end) sorted by position with overlaps resolved leftmost-longest:
/// a match overlapping one kept before it is dropped. Shared by the English and the native
/// addressee rules.
pub(crate) fn leftmost_longest(
    mut matches: Vec<(String, usize, usize)>,
) -> Vec<(String, usize, usize)> {
    matches.sort_by_key(|a| (a.1, std::cmp::Reverse(a.2)));
    let mut found: Vec<(String, usize, usize)> = Vec::new();
    for (value, s, e) in matches {
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
pub(crate) fn author_matches(subject: &str, author: Option<&str>) -> bool {
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

/// One sentence of the quote-masked paragraph text, with what its rules need to know; each
/// rule of the module docs is one method that adds the directives it finds.
struct Sentence<'a> {
    /// The quote-masked paragraph text.
    masked: &'a str,
    /// The sentence: `masked[start..end]`.
    text: &'a str,
    /// Offset of the sentence in the paragraph.
    start: usize,
    /// The previous sentence `[start, end)` (where "them" finds its antecedent).
    prev: (usize, usize),
    /// Which rules can match in it.
    gate: Gate<'a>,
    /// [`in_recommendation_section`].
    rec_section: bool,
    /// The kind of unit (operative paragraphs open with their verb anywhere).
    kind: UnitKind,
    /// The document's author, for [`author_matches`].
    author: Option<&'a str>,
}

impl Sentence<'_> {
    /// Adds the directives of the sentence to `out`, rule by rule in a fixed order.
    fn push_directives(&self, out: &mut Vec<Directive>) {
        out.extend(self.first_person());
        self.coordinated_first(out);
        out.extend(self.third_author());
        out.extend(self.operative());
        self.present_passives(out);
        self.modals(out);
    }

    /// A directive of `rule` at the verb `v` (a match in the sentence), with its lemma and rank.
    fn directive(
        &self,
        rule: &'static str,
        v: regex::Match<'_>,
        addressees: Vec<(String, usize, usize)>,
        confidence: f32,
    ) -> Directive {
        let (lemma, rank) = REC.verb(v.as_str());
        Directive {
            rule,
            lemma,
            rank,
            start: self.start + v.start(),
            end: self.start + v.end(),
            addressees,
            confidence,
        }
    }

    /// The addressees of the object that follows a verb ending at `verb_end` ("urge *Member
    /// States and regional organizations* to …").
    fn object_addressees_after(&self, verb_end: usize) -> Vec<(String, usize, usize)> {
        let (os, oe) = object_span(self.text, verb_end);
        object_addressees(&self.text[os..oe], self.start + os, self.gate)
    }

    /// A directive of `rule` whose addressees are the object of its verb `v`.
    fn with_object(&self, rule: &'static str, v: regex::Match<'_>, confidence: f32) -> Directive {
        self.directive(rule, v, self.object_addressees_after(v.end()), confidence)
    }

    /// True when a reporting verb stands before `at` ("they agreed that States should …"):
    /// the call is someone else's, reported, not the author's.
    fn reported_before(&self, at: usize) -> bool {
        self.gate
            .rule(slot::REPORTING, &REC.reporting)
            .is_some_and(|re| re.is_match(&self.text[..at]))
    }

    /// The first person, the Secretary-General's voice ("I urge Member States to …"). "I
    /// therefore urge them to …" takes the addressees that open the previous sentence ("All
    /// parties are responsible …").
    fn first_person(&self) -> Option<Directive> {
        let c = self
            .gate
            .rule(slot::FIRST_PERSON, &REC.first_person)?
            .captures(self.text)?;
        let v = c.name("v")?;
        let (os, oe) = object_span(self.text, v.end());
        let mut addressees = object_addressees(&self.text[os..oe], self.start + os, self.gate);
        if addressees.is_empty() && self.text[os..oe].trim_start().starts_with("them") {
            addressees = self.antecedent_of_them();
        }
        Some(self.directive("first_person", v, addressees, 0.95))
    }

    /// The addressees that open the previous sentence (its first 60 characters).
    fn antecedent_of_them(&self) -> Vec<(String, usize, usize)> {
        let previous = &self.masked[self.prev.0..self.prev.1];
        let head_end = previous
            .char_indices()
            .nth(60)
            .map_or(previous.len(), |(i, _)| i);
        object_addressees(&previous[..head_end], self.prev.0, self.gate)
    }

    /// A directive verb coordinated with an earlier first-person verb ("I reiterate my concern
    /// … and call upon the Government to …"); only in a sentence whose subject is "I".
    fn coordinated_first(&self, out: &mut Vec<Directive>) {
        let has_i = self
            .gate
            .rule(slot::FIRST_PERSON_SUBJECT, &REC.first_person_subject)
            .is_some_and(|re| re.is_match(self.text));
        if !has_i {
            return;
        }
        let Some(re) = self
            .gate
            .rule(slot::COORDINATED_FIRST, &REC.coordinated_first)
        else {
            return;
        };
        for c in re.captures_iter(self.text) {
            let Some(v) = c.name("v") else { continue };
            out.push(self.with_object("first_person_coordinated", v, 0.9));
        }
    }

    /// The author in the third person, as special procedures and treaty bodies write ("The
    /// Special Rapporteur recommends that the Government …"); the subject must be able to be
    /// the document's author ([`author_matches`]), so a report quoting another mandate's
    /// recommendation is not read as its own.
    fn third_author(&self) -> Option<Directive> {
        let c = self
            .gate
            .rule(slot::THIRD_AUTHOR, &REC.third_author)?
            .captures(self.text)?;
        let (subject, v) = (c.name("s")?, c.name("v")?);
        author_matches(subject.as_str(), self.author)
            .then(|| self.with_object("author_third_person", v, 0.9))
    }

    /// An operative clause of a resolution ("Calls upon all States to …"): the capitalised verb
    /// opens an operative unit, or the first sentence of any other.
    fn operative(&self) -> Option<Directive> {
        if self.kind != UnitKind::Operative && self.start != 0 {
            return None;
        }
        let c = self
            .gate
            .rule(slot::OPERATIVE, &REC.operative)?
            .captures(self.text)?;
        let v = c.name("v")?;
        Some(self.with_object("operative", v, 0.9))
    }

    /// The present passive ("Member States are encouraged to …"): the addressees are the
    /// subject, or the object of "that" ("It is recommended that the Government …"). Not after
    /// a reporting verb.
    fn present_passives(&self, out: &mut Vec<Directive>) {
        let Some(passive) = self.gate.rule(slot::PASSIVE, &REC.passive) else {
            return;
        };
        for c in passive.captures_iter(self.text) {
            let (Some(v), Some(whole)) = (c.name("v"), c.get(0)) else {
                continue;
            };
            if self.reported_before(whole.start()) {
                continue;
            }
            let addressees = if whole.as_str().ends_with("that") {
                self.object_addressees_after(whole.end())
            } else {
                let ss = subject_span(self.text, whole.start());
                addressees_in(&self.text[ss..whole.start()], self.start + ss, self.gate)
            };
            let confidence = if self.rec_section { 0.95 } else { 0.85 };
            out.push(self.directive("present_passive", v, addressees, confidence));
        }
    }

    /// True when the modal at `m` is no call on anyone: "It should be recalled", an inverted
    /// conditional ("should peaceful means be inadequate", or "should" right after a comma)
    /// or a reported call.
    fn modal_is_no_call(&self, m: regex::Match<'_>) -> bool {
        let after = &self.text[m.start()..];
        let opens = |slot, re| {
            self.gate
                .rule(slot, re)
                .is_some_and(|re: &Regex| re.is_match(after))
        };
        opens(slot::RECALLED, &REC.recalled)
            || opens(slot::CONDITIONAL, &REC.conditional)
            || (self.text[..m.start()].trim_end().ends_with(',')
                && m.as_str().eq_ignore_ascii_case("should"))
            || self.reported_before(m.start())
    }

    /// A modal with an identifiable subject ("National, regional and international actors
    /// should …"), or, when the subject names no actor, a normative sentence without addressee
    /// ("efforts … should include"), recorded as medium evidence but no recommendation.
    fn modals(&self, out: &mut Vec<Directive>) {
        let Some(modal) = self.gate.rule(slot::MODAL, &REC.modal) else {
            return;
        };
        for m in modal.find_iter(self.text) {
            if self.modal_is_no_call(m) {
                continue;
            }
            let ss = subject_span(self.text, m.start());
            let subject = &self.text[ss..m.start()];
            if subject.trim().is_empty() {
                continue;
            }
            // The actor must head the subject: its last addressee stands right before the
            // modal ("National, regional and international actors should"), not inside a
            // modifier ("the development of guidance ... at the regional levels should be
            // explored").
            let mut addressees = addressees_in(subject, self.start + ss, self.gate);
            let heads_subject = addressees
                .last()
                .is_some_and(|(_, _, e)| is_subject_tail(&self.text[e - self.start..m.start()]));
            if !heads_subject {
                addressees.clear();
            }
            let (rule, confidence) = match (addressees.is_empty(), self.rec_section) {
                (true, _) => ("normative_no_addressee", 0.5),
                (false, true) => ("modal_with_subject", 0.85),
                (false, false) => ("modal_with_subject", 0.75),
            };
            out.push(self.directive(rule, m, addressees, confidence));
        }
    }
}

/// Words that may stand between the head of a subject and its modal ("States *themselves*
/// should", "All actors *therefore* should").
fn is_subject_tail(gap: &str) -> bool {
    gap.split(|c: char| c.is_whitespace() || c == ',')
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
}

/// Directives of every sentence of the (quote-masked) paragraph text `masked`; `gate` says
/// which rules can match in it, `rec_section` is [`in_recommendation_section`].
fn sentence_directives(
    masked: &str,
    gate: Gate<'_>,
    rec_section: bool,
    ctx: &TagContext<'_>,
) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut prev = (0, 0);
    for (s0, s1) in sentences(masked) {
        Sentence {
            masked,
            text: &masked[s0..s1],
            start: s0,
            prev,
            gate,
            rec_section,
            kind: ctx.kind,
            author: ctx.author,
        }
        .push_directives(&mut out);
        prev = (s0, s1);
    }
    out
}

/// Parentheticals of `text` that name only States ("(Albania)", "(Iran (Islamic Republic of))",
/// "(Chile, Mexico and Peru)"): the recommending States of UPR recommendations, each followed by
/// ";", "." or the end of the text. Returns (ISO code, start, end) of every State named.
pub(crate) fn recommending_states(text: &str) -> Vec<(String, usize, usize)> {
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
                let found = entities::countries_in(inner);
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
    let rec_section = in_recommendation_section(ctx.section);
    let imperative = REC.imperative_start.get(kind).captures(text.trim_start());
    if let Some(rec) = upr_item(text, kind, ctx.kind, imperative.as_ref()) {
        return rec;
    }
    let masked = mask_quotes(text);
    // The scan is of the text: it holds for the masked text only when nothing was masked.
    let gate = Gate {
        hits: (masked == text).then(|| scan.family(Family::Recommendation)),
        kind,
    };
    let mut directives = sentence_directives(&masked, gate, rec_section, ctx);
    name_the_council(text, &mut directives);
    if rec_section {
        directives.extend(list_item_imperative(text, imperative.as_ref(), &directives));
        directives.extend(areas_for_action(&masked, gate));
        addressees_from_heading(ctx.section, &mut directives);
    }
    summarise(text, &directives)
}

/// A UPR recommendation (Human Rights Council resolution 5/1, annex: the working group report
/// lists the recommendations made to the State under review, each followed by the
/// recommending States): a unit of that kind, a numbered item "69.1 Ratify … (Argentina);",
/// or a text that names only States in a parenthetical and opens with an imperative or with
/// "That Algeria …" (the 2008 layout). Its addressee is the State under review ("Member
/// States"), its verb "recommend", and every recommending State is named with evidence.
fn upr_item(
    text: &str,
    kind: TextKind,
    unit: UnitKind,
    imperative: Option<&regex::Captures<'_>>,
) -> Option<Recommendation> {
    let upr = unit == UnitKind::UprRecommendation || REC.upr_number.get(kind).is_match(text);
    let states = recommending_states(text);
    let is_item = upr
        || (!states.is_empty()
            && (imperative.is_some() || REC.that_state.get(kind).is_match(text)));
    if !is_item {
        return None;
    }
    let mut rec = Recommendation {
        is_recommendation: true,
        verb: Some("recommend".to_string()),
        addressees: vec!["Member States".to_string()],
        ..Recommendation::default()
    };
    let lead = text.len() - text.trim_start().len();
    let (vs, ve) = imperative
        .and_then(|c| c.name("v"))
        .map_or((lead, lead), |v| (lead + v.start(), lead + v.end()));
    rec.evidence.push(Evidence {
        start: vs,
        end: ve,
        text: text[vs..ve].to_string(),
        rule: RuleId::upr_item(),
        confidence: 0.9,
    });
    let mut names = BTreeSet::new();
    for (code, s, e) in &states {
        names.insert(
            entities::country_name(code)
                .unwrap_or(&text[*s..*e])
                .to_string(),
        );
        rec.evidence.push(Evidence {
            start: *s,
            end: *e,
            text: text[*s..*e].to_string(),
            rule: RuleId::recommending_state(code),
            confidence: 0.9,
        });
    }
    rec.recommending_states = names.into_iter().collect();
    Some(rec)
}

/// "The Council" is the council the paragraph names, if it names exactly one of the Security
/// Council and the Human Rights Council; otherwise it is dropped as an addressee.
fn name_the_council(text: &str, directives: &mut [Directive]) {
    let security = text.contains("Security Council");
    let rights = text.contains("Human Rights Council");
    for d in directives {
        resolve_the_council(&mut d.addressees, security, rights);
    }
}

/// Replaces the addressee "the Council" of `addressees` (value, start, end) by the Security
/// Council or the Human Rights Council when the paragraph names exactly one of them
/// (`security`, `rights`), and drops it otherwise. Shared by the English and the native
/// French and Spanish rules.
pub(crate) fn resolve_the_council(
    addressees: &mut Vec<(String, usize, usize)>,
    security: bool,
    rights: bool,
) {
    let council = match (security, rights) {
        (true, false) => Some("Security Council"),
        (false, true) => Some("Human Rights Council"),
        _ => None,
    };
    addressees.retain_mut(|(value, _, _)| {
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

/// In a recommendations section, a list item that opens with an imperative ("(a) Repeal …;")
/// is a recommendation (medium confidence), unless a sentence rule already found one with
/// addressees. `imperative` is the match of the imperative opening on the trimmed text.
fn list_item_imperative(
    text: &str,
    imperative: Option<&regex::Captures<'_>>,
    directives: &[Directive],
) -> Option<Directive> {
    let v = imperative?.name("v")?;
    if directives.iter().any(|d| !d.addressees.is_empty()) {
        return None;
    }
    let lead = text.len() - text.trim_start().len();
    Some(Directive {
        rule: "list_item_imperative",
        lemma: "recommend".to_string(),
        rank: 4,
        start: lead + v.start(),
        end: lead + v.end(),
        addressees: Vec::new(),
        confidence: 0.6,
    })
}

/// In a recommendations section, "areas for possible action": how Secretary-General reports
/// on the responsibility to protect introduce what they recommend (no verb, no addressee).
fn areas_for_action(masked: &str, gate: Gate<'_>) -> Option<Directive> {
    let m = gate.rule(slot::AREAS, &REC.areas)?.find(masked)?;
    Some(Directive {
        rule: "areas_for_action",
        lemma: String::new(),
        rank: 0,
        start: m.start(),
        end: m.end(),
        addressees: Vec::new(),
        confidence: 0.5,
    })
}

/// A heading "To the Government of …" / "Recommendations to Member States" (at most two words
/// before "to") names the addressee of the list items and modal sentences under it, when none
/// of the paragraph's directives names one.
fn addressees_from_heading(section: &[String], directives: &mut [Directive]) {
    if !directives.iter().all(|d| d.addressees.is_empty()) {
        return;
    }
    let Some(heading) = section.last() else {
        return;
    };
    let lower = heading.to_lowercase();
    let Some(p) = lower.find("to ") else {
        return;
    };
    let from = p + 3;
    if lower[..p].split_whitespace().count() > 2 || !heading.is_char_boundary(from) {
        return;
    }
    let found = addressees_in(&heading[from..], 0, Gate::open(TextKind::of(heading)));
    for d in directives {
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

/// One directive as [`record`] takes it: its span and evidence rule, its confidence and its
/// addressees (value, start, end).
pub(crate) struct Found<'a> {
    pub(crate) span: (usize, usize),
    pub(crate) rule: RuleId,
    pub(crate) confidence: f32,
    pub(crate) addressees: &'a [(String, usize, usize)],
}

/// Records a directive in `rec`: its evidence; when `positive`, the recommendation flag and
/// each addressee (into `addressees`) with its evidence under `addressee_rule(value)`.
/// Returns `positive`. Shared by the English and the native French and Spanish rules.
pub(crate) fn record(
    rec: &mut Recommendation,
    addressees: &mut BTreeSet<String>,
    text: &str,
    found: Found<'_>,
    positive: bool,
    addressee_rule: impl Fn(&str) -> RuleId,
) -> bool {
    let (start, end) = found.span;
    rec.evidence.push(Evidence {
        start,
        end,
        text: text[start..end].to_string(),
        rule: found.rule,
        confidence: found.confidence,
    });
    if positive {
        rec.is_recommendation = true;
        for (value, s, e) in found.addressees {
            addressees.insert(value.clone());
            rec.evidence.push(Evidence {
                start: *s,
                end: *e,
                text: text[*s..*e].to_string(),
                rule: addressee_rule(value),
                confidence: found.confidence,
            });
        }
    }
    positive
}

/// The recommendation the directives make: every directive is evidence; one with addressees
/// (or a list item, or areas for action) makes the paragraph a recommendation, its addressees
/// the paragraph's, and the strongest verb (highest rank, first of equals) its verb.
fn summarise(text: &str, directives: &[Directive]) -> Recommendation {
    let mut rec = Recommendation::default();
    let mut best_rank = 0u8;
    let mut addressees = BTreeSet::new();
    for d in directives {
        let positive = !d.addressees.is_empty()
            || matches!(d.rule, "list_item_imperative" | "areas_for_action");
        let found = Found {
            span: (d.start, d.end),
            rule: RuleId::new(evidence_rule(d, positive)),
            confidence: d.confidence,
            addressees: &d.addressees,
        };
        if !record(&mut rec, &mut addressees, text, found, positive, |v| {
            RuleId::addressee(v)
        }) {
            continue;
        }
        if d.rank > best_rank {
            best_rank = d.rank;
            rec.verb = (!d.lemma.is_empty()).then(|| d.lemma.clone());
        }
    }
    rec.addressees = addressees.into_iter().collect();
    rec.evidence
        .sort_by(|a, b| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule)));
    rec
}

/// The evidence rule id of a directive: `recommendation.RULE:LEMMA` when it counts,
/// `recommendation.normative_no_addressee`, or `recommendation.no_addressee.RULE:LEMMA`.
fn evidence_rule(d: &Directive, positive: bool) -> String {
    if positive {
        format!("recommendation.{}:{}", d.rule, d.lemma)
    } else if d.rule == "normative_no_addressee" {
        "recommendation.normative_no_addressee".to_string()
    } else {
        format!("recommendation.no_addressee.{}:{}", d.rule, d.lemma)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(section: &[String]) -> TagContext<'_> {
        TagContext::secretary_general_report(section)
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

    /// The directives of `text` as (rule, lemma, addressees) with every rule open.
    fn directives_of(text: &str, author: Option<&str>) -> Vec<(&'static str, String, Vec<String>)> {
        let none: &[String] = &[];
        let ctx = TagContext {
            author,
            ..ctx(none)
        };
        sentence_directives(text, Gate::open(TextKind::of(text)), false, &ctx)
            .into_iter()
            .map(|d| {
                let a = d.addressees.into_iter().map(|a| a.0).collect();
                (d.rule, d.lemma, a)
            })
            .collect()
    }

    #[test]
    fn them_takes_the_addressees_that_open_the_previous_sentence() {
        let d = directives_of(
            "Member States bear the primary responsibility. I therefore urge them to act.",
            Some("Secretary-General"),
        );
        assert_eq!(
            d,
            [(
                "first_person",
                "urge".to_string(),
                vec!["Member States".to_string()]
            )]
        );
    }

    #[test]
    fn a_coordinated_verb_of_the_first_person_is_a_directive() {
        let d = directives_of(
            "I reiterate my concern and call upon the Security Council to act.",
            None,
        );
        assert!(d.contains(&(
            "first_person_coordinated",
            "call upon".to_string(),
            vec!["Security Council".to_string()]
        )));
    }

    #[test]
    fn the_third_person_author_must_be_the_documents_author() {
        let t = "The Special Rapporteur recommends that the Government act.";
        let own = directives_of(t, Some("Special Rapporteur on torture"));
        assert_eq!(own.len(), 1);
        assert_eq!(own[0].0, "author_third_person");
        assert_eq!(own[0].2, ["Member States"]);
        // A Secretary-General report quoting the Special Rapporteur: not the author's voice.
        assert!(directives_of(t, Some("Secretary-General")).is_empty());
    }

    #[test]
    fn an_operative_clause_opens_with_a_capitalised_verb() {
        // (After "3." the sentence splitter starts a new sentence; an operative unit starts
        // with the verb.)
        let d = directives_of("Calls upon all States to cooperate fully.", None);
        assert_eq!(d[0].0, "operative");
        assert_eq!(d[0].2, ["Member States"]);
        // The same verb in lower case inside a sentence is no operative clause.
        let d = directives_of("The text calls upon all States to cooperate.", None);
        assert!(d.iter().all(|x| x.0 != "operative"));
    }

    #[test]
    fn passives_take_the_subject_and_reported_ones_are_skipped() {
        let d = directives_of("Member States are encouraged to share information.", None);
        assert_eq!(d[0].0, "present_passive");
        assert_eq!(d[0].2, ["Member States"]);
        let d = directives_of(
            "Participants agreed that Member States are encouraged to share information.",
            None,
        );
        assert!(d.iter().all(|x| x.0 != "present_passive"));
    }

    #[test]
    fn modals_need_an_actor_heading_the_subject() {
        let d = directives_of("Member States themselves should act now.", None);
        assert_eq!(d[0].0, "modal_with_subject");
        let d = directives_of("The development of guidance should be explored.", None);
        assert_eq!(d[0].0, "normative_no_addressee");
        assert!(d[0].2.is_empty());
        // Statements and inverted conditionals are no calls at all.
        assert!(directives_of("It should be recalled that prevention works.", None).is_empty());
        assert!(
            directives_of(
                "Should the situation deteriorate, escalation follows.",
                None
            )
            .is_empty()
        );
        assert!(is_subject_tail(" themselves, therefore "));
        assert!(!is_subject_tail(" at the regional levels "));
    }

    #[test]
    fn the_council_is_the_one_the_paragraph_names() {
        let d = || Directive {
            rule: "first_person",
            lemma: "urge".to_string(),
            rank: 4,
            start: 0,
            end: 0,
            addressees: vec![("the Council".to_string(), 0, 0)],
            confidence: 0.9,
        };
        let mut one = [d()];
        name_the_council(
            "The Security Council met. I urge the Council to act.",
            &mut one,
        );
        assert_eq!(one[0].addressees[0].0, "Security Council");
        let mut both = [d()];
        name_the_council("Security Council and Human Rights Council", &mut both);
        assert!(both[0].addressees.is_empty());
    }

    #[test]
    fn a_to_heading_names_addressees_only_when_it_is_short() {
        let item = || Directive {
            rule: "list_item_imperative",
            lemma: "recommend".to_string(),
            rank: 4,
            start: 4,
            end: 10,
            addressees: Vec::new(),
            confidence: 0.6,
        };
        let mut d = [item()];
        addressees_from_heading(&["B. Recommendations to civil society".to_string()], &mut d);
        assert_eq!(d[0].addressees, [("civil society".to_string(), 4, 4)]);
        let mut d = [item()];
        addressees_from_heading(
            &["Information provided by the Government to the Committee".to_string()],
            &mut d,
        );
        assert!(d[0].addressees.is_empty());
    }

    #[test]
    fn list_items_and_areas_for_action() {
        let text = "  (b) Repeal the law;";
        let c = REC
            .imperative_start
            .get(TextKind::of(text))
            .captures(text.trim_start());
        let d = list_item_imperative(text, c.as_ref(), &[]).expect("an imperative item");
        assert_eq!(&text[d.start..d.end], "Repeal");
        assert!(list_item_imperative("Background.", None, &[]).is_none());
        let t = "The report sets out three areas for possible action.";
        let d = areas_for_action(t, Gate::open(TextKind::Ascii)).expect("areas");
        assert_eq!(&t[d.start..d.end], "three areas for possible action");
    }

    #[test]
    fn upr_items_name_the_recommending_states() {
        let t = "12.3 Ratify the Convention (Chile);";
        let r = upr_item(t, TextKind::Ascii, UnitKind::Paragraph, None).expect("a UPR item");
        assert_eq!(r.verb.as_deref(), Some("recommend"));
        assert_eq!(r.recommending_states, ["Chile"]);
        assert!(
            r.evidence
                .iter()
                .any(|e| e.rule == "recommendation.recommending_state:CHL")
        );
        assert!(
            upr_item(
                "Ratify the Convention.",
                TextKind::Ascii,
                UnitKind::Paragraph,
                None
            )
            .is_none()
        );
    }

    #[test]
    fn evidence_rules_say_whether_a_directive_counts() {
        let d = Directive {
            rule: "modal_with_subject",
            lemma: "should".to_string(),
            rank: 1,
            start: 0,
            end: 0,
            addressees: Vec::new(),
            confidence: 0.75,
        };
        assert_eq!(
            evidence_rule(&d, true),
            "recommendation.modal_with_subject:should"
        );
        assert_eq!(
            evidence_rule(&d, false),
            "recommendation.no_addressee.modal_with_subject:should"
        );
        let n = Directive {
            rule: "normative_no_addressee",
            ..d
        };
        assert_eq!(
            evidence_rule(&n, false),
            "recommendation.normative_no_addressee"
        );
    }

    #[test]
    fn operative_rule_capitalises_the_third_person_forms() {
        let re = operative_rule(&[&"calls upon".to_string()]).unwrap();
        let re = re.get(TextKind::Ascii);
        assert!(re.is_match("2. Calls upon States"));
        assert!(re.is_match("Also Calls upon States"));
        assert!(!re.is_match("calls upon States"));
        // As written, an adverb must be followed by the capitalised verb too: "Strongly calls
        // upon" (the usual resolution style) is not matched by this rule.
        assert!(!re.is_match("Strongly calls upon States"));
    }
}
