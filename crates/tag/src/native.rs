//! Recommendations in French and Spanish, read in the document's own words (issue #12), so that
//! a document with no English version is still tagged. The other families (pillars, risk
//! factors, crimes, countries) stay English-only; Russian, Arabic and Chinese text gets no
//! native recommendation tags (their tags come from the English version, carried elsewhere).
//!
//! The shapes are those of the English rules (`recommend` module), in the words UN
//! translators use (`data/recommendation_native.toml`):
//! - a UPR recommendation or a list item that opens with an infinitive ("69.1 Ratifier la
//!   Convention … (France);", "Considerar la posibilidad de ratificar …"): a unit the segmenter
//!   marked as a UPR recommendation, a numbered item "69.1", or an item that ends with the
//!   recommending States in parentheses; in a recommendations section, any item opening with
//!   one (medium confidence);
//! - the first person: "J'engage les États Membres à …", "Exhorto a los Estados Miembros a …";
//! - the author in the third person: "Le Comité recommande à l'État partie …", "Le Comité
//!   attire l'attention de … et encourage l'État partie à …", and "Il engage l'État partie à …"
//!   when the sentence before opened with the author subject;
//! - the present passive: "Les États sont invités à …", "Se alienta a los Estados a …";
//! - a modal with an identifiable subject: "Le Conseil de sécurité devrait …".
//!
//! Not recommendations: what a sentence describes ("Le Gouvernement a ratifié …"), calls after
//! a reporting verb ("M. X estime que l'Assemblée générale doit …"), quoted text, and every
//! call in a summary record, whose paragraphs report what delegations said.
//!
//! The verb tag is the English lemma of the directive (the verb facet has one vocabulary in
//! every language); the native infinitive names the evidence rule:
//! `recommendation.fr.first_person:engager`, `recommendation.es.upr_item:ratificar`, and each
//! addressee is evidence of rule `recommendation.fr.addressee:Member States`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::Deserialize;
use undex_core::{Evidence, Language, Recommendation, RuleId, UnitKind};

use crate::TagContext;
use crate::entities;
use crate::error::TagError;
use crate::lexicon::{RECOMMENDATION_NATIVE_TOML, compile, compile_exact};
use crate::pattern::{Re, TextKind};
use crate::recommend::{
    Found, alternation, author_matches, in_recommendation_section, lemma_rank, recommending_states,
    record,
};
use crate::text::{mask_between, mask_quotes, sentences};

const FILE: &str = "recommendation_native.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNative {
    fr: RawLang,
    es: RawLang,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLang {
    sections: Vec<String>,
    heads: Vec<String>,
    first: Vec<[String; 3]>,
    third: Vec<[String; 3]>,
    passive: Vec<[String; 3]>,
    passive_auxiliaries: Vec<String>,
    passive_links: Vec<String>,
    modals: Vec<[String; 3]>,
    first_pronoun: String,
    adverbs: Vec<String>,
    coordination: Vec<String>,
    subject_tail: Vec<String>,
    reporting: Vec<String>,
    clause_starts: Vec<String>,
    author_subjects: Vec<[String; 2]>,
    /// Subject pronouns that stand for an author subject heading an earlier sentence of the
    /// paragraph ("Le Comité … . Il engage l'État partie à …"); none where the language drops
    /// its subject pronouns.
    #[serde(default)]
    pronouns: Vec<String>,
    /// Conjunctions that coordinate a directive with the verb of an author subject at the head
    /// of the sentence ("Le Comité attire l'attention de … et encourage l'État partie à …").
    #[serde(default)]
    conjunctions: Vec<String>,
    addressee: Vec<RawAddressee>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAddressee {
    value: String,
    pattern: String,
}

/// The compiled rules of one language.
pub(crate) struct Lang {
    /// The language the rules read (French or Spanish); its code names the evidence rules
    /// (`recommendation.fr.*`).
    language: Language,
    sections: Vec<String>,
    /// Any directive verb or modal anywhere: a paragraph without one (and without an opening
    /// infinitive) has no sentence rule to run.
    cue: Re,
    head: Re,
    first_person: Re,
    third_author: Re,
    /// An author subject at the head of a sentence (after at most one introductory phrase).
    author_head: Re,
    /// A subject pronoun at the head of a sentence and a third-person directive verb: the
    /// author's voice when an earlier sentence of the paragraph opened with an author subject.
    pronoun_author: Option<Re>,
    /// A subject pronoun at the head of a sentence, whatever its verb.
    pronoun_head: Option<Re>,
    /// A third-person directive verb after a coordinating conjunction.
    coordinated_third: Option<Re>,
    passive: Re,
    modal: Re,
    reporting: Re,
    /// Lower-case form → (native infinitive, English lemma).
    forms: BTreeMap<String, (String, String)>,
    /// Lower-case native author subject → English author subject.
    authors: BTreeMap<String, String>,
    coordination: Vec<String>,
    subject_tail: Vec<String>,
    clause_starts: Vec<String>,
    addressees: Vec<(String, Re)>,
}

/// The number of a UPR recommendation ("69.1 Ratifier …").
static UPR_NUMBER: LazyLock<Re> = LazyLock::new(|| {
    compile(FILE, "upr_number", r"^\s*\d{1,3}\.\d{1,3}\.?\s+\S").expect("valid pattern")
});

/// True when `text` ends with the recommending States in parentheses, as a UPR item does
/// ("(France);", "(Iran (République islamique d'));", "(Chili et Mexique)."): a balanced
/// parenthetical, followed only by ";" or ".", whose parts (split at commas and "et"/"y"/"e")
/// each open with a capital letter and hold no digit.
fn states_at_end(text: &str) -> bool {
    let t = text.trim_end().trim_end_matches([';', '.']).trim_end();
    if !t.ends_with(')') {
        return false;
    }
    let mut depth = 0i32;
    let mut open = None;
    for (i, c) in t.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(open) = open else { return false };
    let inner = &t[open + 1..t.len() - 1];
    if inner.is_empty() || inner.len() > 300 || inner.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    inner
        .split(',')
        .flat_map(|p| p.split(" et "))
        .flat_map(|p| p.split(" y "))
        .flat_map(|p| p.split(" e "))
        .map(str::trim)
        .all(|p| p.chars().next().is_some_and(char::is_uppercase) && p.len() <= 80)
}

impl Lang {
    fn parse(language: Language, raw: &RawLang) -> Result<Lang, TagError> {
        let id = |rule: &str| format!("{language}.{rule}");
        let adverbs = alternation(raw.adverbs.iter());
        let firsts = alternation(raw.first.iter().map(|f| &f[0]));
        let thirds = alternation(raw.third.iter().map(|f| &f[0]));
        let passives = alternation(raw.passive.iter().map(|f| &f[0]));
        let modals = alternation(raw.modals.iter().map(|f| &f[0]));
        let mut forms = BTreeMap::new();
        for f in raw
            .first
            .iter()
            .chain(&raw.third)
            .chain(&raw.passive)
            .chain(&raw.modals)
        {
            forms.insert(f[0].to_lowercase(), (f[1].clone(), f[2].clone()));
        }
        let cue = compile(
            FILE,
            &id("cue"),
            &format!(r"\b(?:{firsts}|{thirds}|{passives}|{modals})\b"),
        )?;
        let head = compile_exact(
            FILE,
            &id("head"),
            &format!(
                r"^(?:\d{{1,3}}\.\d{{1,3}}\.?\s+|\(?[a-z0-9ivx]{{1,4}}[.)]\s*|[-–•]\s*)?(?P<v>{})(?:\b|\s)",
                alternation(raw.heads.iter())
            ),
        )?;
        let first_person = compile_exact(
            FILE,
            &id("first_person"),
            &format!(
                r"{}(?:(?i:{adverbs})\s+)*(?P<v>(?i:{firsts}))\b",
                raw.first_pronoun
            ),
        )?;
        let authors = alternation(raw.author_subjects.iter().map(|a| &a[0]));
        let third_author = compile(
            FILE,
            &id("third_author"),
            &format!(
                r"^(?:[^,;]{{0,80}},\s*)?(?P<s>{authors})(?:\s+[\w'’()-]+){{0,10}}?\s+(?:(?:{adverbs})\s+)*(?P<v>{thirds})\b"
            ),
        )?;
        let passive = compile(
            FILE,
            &id("passive"),
            &format!(
                r"\b(?:{})\s+(?:(?:{adverbs})\s+)*(?P<v>{passives})\s*(?:,[^,;]{{1,160}},\s*)?(?P<l>{})",
                alternation(raw.passive_auxiliaries.iter()),
                alternation(raw.passive_links.iter())
            ),
        )?;
        let author_head = compile(
            FILE,
            &id("author_head"),
            &format!(r"^(?:[^,;]{{0,80}},\s*)?(?P<s>{authors})\b"),
        )?;
        let pronouns = alternation(raw.pronouns.iter());
        let (pronoun_author, pronoun_head) = if raw.pronouns.is_empty() {
            (None, None)
        } else {
            let head = format!(r"^(?:[^,;]{{0,80}},\s*)?(?:{pronouns})\s+");
            (
                Some(compile(
                    FILE,
                    &id("pronoun_author"),
                    &format!(r"{head}(?:(?:{adverbs})\s+)*(?P<v>{thirds})\b"),
                )?),
                Some(compile(FILE, &id("pronoun_head"), &head)?),
            )
        };
        let coordinated_third = if raw.conjunctions.is_empty() {
            None
        } else {
            Some(compile(
                FILE,
                &id("coordinated_third"),
                &format!(
                    r"\b(?:{})\s+(?:(?:{adverbs})\s+)*(?P<v>{thirds})\b",
                    alternation(raw.conjunctions.iter())
                ),
            )?)
        };
        let modal = compile(FILE, &id("modal"), &format!(r"\b(?P<v>{modals})\b"))?;
        let reporting = compile(FILE, &id("reporting"), &raw.reporting.join("|"))?;
        Ok(Lang {
            language,
            sections: raw.sections.iter().map(|s| s.to_lowercase()).collect(),
            cue,
            head,
            first_person,
            third_author,
            author_head,
            pronoun_author,
            pronoun_head,
            coordinated_third,
            passive,
            modal,
            reporting,
            forms,
            authors: raw
                .author_subjects
                .iter()
                .map(|a| (a[0].to_lowercase(), a[1].clone()))
                .collect(),
            coordination: raw.coordination.iter().map(|s| s.to_lowercase()).collect(),
            subject_tail: raw.subject_tail.iter().map(|s| s.to_lowercase()).collect(),
            clause_starts: raw.clause_starts.clone(),
            addressees: raw
                .addressee
                .iter()
                .map(|a| Ok((a.value.clone(), compile(FILE, &id(&a.value), &a.pattern)?)))
                .collect::<Result<Vec<_>, TagError>>()?,
        })
    }

    /// (native infinitive, English lemma) of a printed form.
    fn verb(&self, form: &str) -> (String, String) {
        let key = form.split_whitespace().collect::<Vec<_>>().join(" ");
        self.forms
            .get(&key.to_lowercase())
            .cloned()
            .unwrap_or_else(|| (key.to_lowercase(), "should".to_string()))
    }
}

/// The French and Spanish rules.
pub(crate) struct Native {
    fr: Lang,
    es: Lang,
}

impl Native {
    pub(crate) fn parse(src: &str) -> Result<Native, TagError> {
        let raw: RawNative =
            toml::from_str(src).map_err(|source| TagError::Toml { file: FILE, source })?;
        Ok(Native {
            fr: Lang::parse(Language::Fr, &raw.fr)?,
            es: Lang::parse(Language::Es, &raw.es)?,
        })
    }

    /// The rules of `language`, if it has any.
    pub(crate) fn lang(&self, language: Language) -> Option<&Lang> {
        match language {
            Language::Fr => Some(&self.fr),
            Language::Es => Some(&self.es),
            _ => None,
        }
    }
}

pub(crate) static NATIVE: LazyLock<Native> = LazyLock::new(|| {
    Native::parse(RECOMMENDATION_NATIVE_TOML)
        .expect("embedded data/recommendation_native.toml is valid (checked by tests)")
});

/// True when `language` has native recommendation rules (French, Spanish).
pub(crate) fn has_rules(language: Language) -> bool {
    NATIVE.lang(language).is_some()
}

/// True when `text`, in `language`, opens with the infinitive of a recommendation list item
/// ("Ratifier …", "a) Garantizar …"): the French and Spanish counterpart of an English item
/// opening with an imperative.
pub(crate) fn starts_with_infinitive(language: Language, text: &str) -> bool {
    NATIVE.lang(language).is_some_and(|lang| {
        let t = text.trim_start();
        lang.head.get(TextKind::of(t)).is_match(t)
    })
}

/// One directive found in the paragraph.
struct Directive {
    rule: &'static str,
    native: String,
    lemma: String,
    start: usize,
    end: usize,
    addressees: Vec<(String, usize, usize)>,
    confidence: f32,
}

/// Context of one paragraph's rules.
struct Para<'a> {
    lang: &'a Lang,
    kind: TextKind,
    /// The quote-masked paragraph text.
    masked: &'a str,
}

impl Para<'_> {
    /// Addressees found in `masked[from..to]`, sorted by position, overlaps resolved
    /// leftmost-longest.
    fn addressees_in(&self, from: usize, to: usize) -> Vec<(String, usize, usize)> {
        let span = &self.masked[from..to];
        let mut all: Vec<(String, usize, usize)> = Vec::new();
        for (value, re) in &self.lang.addressees {
            for m in re.get(self.kind).find_iter(span) {
                all.push((value.clone(), from + m.start(), from + m.end()));
            }
        }
        crate::recommend::leftmost_longest(all)
    }

    /// True when every word of `gap` is one of `words`.
    fn only_words(gap: &str, words: &[String]) -> bool {
        gap.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .all(|w| {
                let w = w.to_lowercase().replace('’', "'");
                words.iter().any(|x| x.replace('’', "'") == w)
                    || w.strip_suffix('\'').is_some_and(|stem| {
                        words
                            .iter()
                            .any(|x| x.replace('’', "'").trim_end_matches('\'') == stem)
                    })
            })
    }

    /// The addressees of the object after a verb ending at `from`, within sentence end `to`:
    /// the first one (within a few words) and those coordinated with it.
    fn object_addressees(&self, from: usize, to: usize) -> Vec<(String, usize, usize)> {
        let from = self.after_parenthetical(from, to);
        let mut end = to.min(from + 160);
        while !self.masked.is_char_boundary(end) {
            end -= 1;
        }
        if let Some(p) = self.masked[from..end].find([';', ':']) {
            end = from + p;
        }
        let mut out: Vec<(String, usize, usize)> = Vec::new();
        for a in self.addressees_in(from, end) {
            match out.last() {
                None => {
                    if a.1 - from > 40 {
                        break;
                    }
                    out.push(a);
                }
                Some(prev) => {
                    if Self::only_words(&self.masked[prev.2..a.1], &self.lang.coordination) {
                        out.push(a);
                    } else {
                        break;
                    }
                }
            }
        }
        out
    }

    /// Past a parenthetical phrase set off by commas right after a verb ending at `from`
    /// ("recommande, par l'intermédiaire du Conseil, que les États …", "J'exhorte, une fois de
    /// plus, les États …"), within the sentence end `to`; else `from`.
    fn after_parenthetical(&self, from: usize, to: usize) -> usize {
        let rest = &self.masked[from..to];
        let Some(after_comma) = rest.trim_start().strip_prefix(',') else {
            return from;
        };
        let open = to - after_comma.len();
        match after_comma.find([',', ';', ':']) {
            Some(p) if p <= 160 && after_comma[p..].starts_with(',') => open + p + 1,
            _ => from,
        }
    }

    /// The English author subject heading the sentence `[s0, s1)` ("Le Comité …", "À cet
    /// égard, le Rapporteur spécial …"), if one does.
    fn author_at_head(&self, s0: usize, s1: usize) -> Option<(&str, usize)> {
        let c = self
            .lang
            .author_head
            .get(self.kind)
            .captures(&self.masked[s0..s1])?;
        let s = c.name("s")?;
        let english = self.lang.authors.get(&s.as_str().to_lowercase())?;
        Some((english.as_str(), s0 + s.end()))
    }

    /// True when a subject pronoun heads the sentence `[s0, s1)` ("Il note …").
    fn pronoun_at_head(&self, s0: usize, s1: usize) -> bool {
        self.lang
            .pronoun_head
            .as_ref()
            .is_some_and(|re| re.get(self.kind).is_match(&self.masked[s0..s1]))
    }

    /// The start of the subject before `at` in the sentence `[s0, at)`: after the last clause
    /// boundary.
    /// "ainsi que" ("as well as") coordinates two subjects rather than opening a clause.
    fn subject_start(&self, s0: usize, at: usize) -> usize {
        let head = &self.masked[s0..at];
        let mut start = 0;
        for b in &self.lang.clause_starts {
            if let Some((p, _)) = head
                .match_indices(b.as_str())
                .filter(|(p, _)| !head[..*p].to_lowercase().ends_with("ainsi"))
                .last()
            {
                start = start.max(p + b.len());
            }
        }
        for (p, _) in head.match_indices(", ") {
            let next = head[p + 2..].chars().next();
            if next.is_some_and(char::is_uppercase) && p + 2 > start {
                start = p + 2;
            }
        }
        s0 + start
    }

    fn reported_before(&self, s0: usize, at: usize) -> bool {
        self.lang
            .reporting
            .get(self.kind)
            .is_match(&self.masked[s0..at])
    }

    fn directive(
        &self,
        rule: &'static str,
        v: (usize, usize),
        addressees: Vec<(String, usize, usize)>,
        confidence: f32,
    ) -> Directive {
        let (native, lemma) = self.lang.verb(&self.masked[v.0..v.1]);
        Directive {
            rule,
            native,
            lemma,
            start: v.0,
            end: v.1,
            addressees,
            confidence,
        }
    }

    /// The directives of the sentence `[s0, s1)`.
    ///
    /// `antecedent` is the English author subject that a subject pronoun heading this sentence
    /// stands for: the author subject of the sentence before, carried through sentences that
    /// open with a pronoun ("Le Comité … . Il note … . Il engage …").
    fn sentence(
        &self,
        s0: usize,
        s1: usize,
        rec_section: bool,
        author: Option<&str>,
        antecedent: Option<&str>,
        out: &mut Vec<Directive>,
    ) {
        let text = &self.masked[s0..s1];
        let lang = self.lang;
        let before = out.len();
        if let Some(c) = lang.first_person.get(self.kind).captures(text)
            && let Some(v) = c.name("v")
            && !self.reported_before(s0, s0 + v.start())
        {
            let span = (s0 + v.start(), s0 + v.end());
            let addressees = self.object_addressees(span.1, s1);
            out.push(self.directive("first_person", span, addressees, 0.95));
        }
        if let Some(c) = lang.third_author.get(self.kind).captures(text)
            && let (Some(s), Some(v)) = (c.name("s"), c.name("v"))
        {
            let english = lang
                .authors
                .get(&s.as_str().to_lowercase())
                .map_or("", String::as_str);
            if author_matches(english, author) {
                let span = (s0 + v.start(), s0 + v.end());
                let addressees = self.object_addressees(span.1, s1);
                out.push(self.directive("author_third_person", span, addressees, 0.9));
            }
        }
        // "Le Comité … . Il engage l'État partie à …": the pronoun stands for the author.
        if let (Some(re), Some(english)) = (&lang.pronoun_author, antecedent)
            && author_matches(english, author)
            && let Some(v) = re.get(self.kind).captures(text).and_then(|c| c.name("v"))
        {
            let span = (s0 + v.start(), s0 + v.end());
            let addressees = self.object_addressees(span.1, s1);
            out.push(self.directive("author_pronoun", span, addressees, 0.85));
        }
        // "Le Comité attire l'attention de l'État partie sur … et encourage l'État partie à …":
        // a directive coordinated with the author subject's own verb, in the same clause.
        if let (Some(re), Some((english, subject_end))) =
            (&lang.coordinated_third, self.author_at_head(s0, s1))
            && author_matches(english, author)
        {
            let rest = &self.masked[subject_end..s1];
            for c in re.get(self.kind).captures_iter(rest) {
                let (Some(v), Some(whole)) = (c.name("v"), c.get(0)) else {
                    continue;
                };
                let span = (subject_end + v.start(), subject_end + v.end());
                let clause = &rest[..whole.start()];
                if lang
                    .clause_starts
                    .iter()
                    .any(|b| clause.contains(b.as_str()))
                    || out[before..].iter().any(|d| d.start == span.0)
                {
                    continue;
                }
                let addressees = self.object_addressees(span.1, s1);
                out.push(self.directive("coordinated_third", span, addressees, 0.85));
            }
        }
        for c in lang.passive.get(self.kind).captures_iter(text) {
            let (Some(v), Some(l), Some(whole)) = (c.name("v"), c.name("l"), c.get(0)) else {
                continue;
            };
            if self.reported_before(s0, s0 + whole.start()) {
                continue;
            }
            let link = l.as_str().to_lowercase();
            // Spanish "se alienta a …" and "il est recommandé que …" name the actor after.
            let addressees = if lang.language == Language::Es || link.starts_with("qu") {
                self.object_addressees(s0 + l.start(), s1)
            } else {
                let ss = self.subject_start(s0, s0 + whole.start());
                self.addressees_in(ss, s0 + whole.start())
            };
            let confidence = if rec_section { 0.95 } else { 0.85 };
            let span = (s0 + v.start(), s0 + v.end());
            out.push(self.directive("present_passive", span, addressees, confidence));
        }
        for m in lang.modal.get(self.kind).find_iter(text) {
            let at = s0 + m.start();
            // A comma before the modal ends an apposition ("Les institutions nationales,
            // ainsi que …, doivent …"): French has no inverted conditional ("should the
            // situation deteriorate") to fear there; an inverted subject ("devrait-il") asks.
            if self.reported_before(s0, at) || text[m.end()..].starts_with('-') {
                continue;
            }
            let ss = self.subject_start(s0, at);
            if self.masked[ss..at].trim().is_empty() {
                continue;
            }
            let mut addressees = self.addressees_in(ss, at);
            let heads = addressees.last().is_some_and(|(_, _, e)| {
                Self::only_words(&self.masked[*e..at], &lang.subject_tail)
            });
            if !heads {
                addressees.clear();
            }
            let (rule, confidence) = match (addressees.is_empty(), rec_section) {
                (true, _) => ("normative_no_addressee", 0.5),
                (false, true) => ("modal_with_subject", 0.85),
                (false, false) => ("modal_with_subject", 0.75),
            };
            out.push(self.directive(rule, (at, s0 + m.end()), addressees, confidence));
        }
    }
}

/// "Le Conseil" / "el Consejo" is the council the paragraph names, if it names exactly one
/// of the Security Council and the Human Rights Council; otherwise it is dropped.
fn name_the_council(text: &str, directives: &mut [Directive]) {
    let t = text.replace('’', "'");
    let security = t.contains("Conseil de sécurité") || t.contains("Consejo de Seguridad");
    let rights =
        t.contains("Conseil des droits de l'homme") || t.contains("Consejo de Derechos Humanos");
    for d in directives {
        crate::recommend::resolve_the_council(&mut d.addressees, security, rights);
    }
}

/// True when a heading of the section path names recommendations or conclusions in the
/// language (or in English).
fn rec_section_of(lang: &Lang, section: &[String]) -> bool {
    in_recommendation_section(section)
        || section.iter().any(|h| {
            let h = h.to_lowercase();
            lang.sections.iter().any(|s| h.contains(s.as_str()))
        })
}

/// A UPR recommendation or a list item that opens with an infinitive; `None` when the text is
/// neither.
fn list_item(
    lang: &Lang,
    text: &str,
    kind: TextKind,
    ctx: &TagContext<'_>,
) -> Option<Recommendation> {
    let lead = text.len() - text.trim_start().len();
    let trimmed = &text[lead..];
    let head = lang.head.get(kind).captures(trimmed);
    let numbered = UPR_NUMBER.get(kind).is_match(text);
    let states_at_end = states_at_end(text);
    let upr =
        ctx.kind == UnitKind::UprRecommendation || (head.is_some() && (numbered || states_at_end));
    let listed = head.is_some() && rec_section_of(lang, ctx.section);
    if !upr && !listed {
        return None;
    }
    let code = lang.language.as_str();
    let (vs, ve) = head
        .as_ref()
        .and_then(|c| c.name("v"))
        .map_or((lead, lead), |v| (lead + v.start(), lead + v.end()));
    let infinitive: String = text[vs..ve].trim().to_lowercase().replace('’', "'");
    let (rule, confidence) = if upr {
        ("upr_item", 0.9)
    } else {
        ("list_item_infinitive", 0.6)
    };
    let mut rec = Recommendation {
        is_recommendation: true,
        verb: Some("recommend".to_string()),
        addressees: if upr {
            vec!["Member States".to_string()]
        } else {
            Vec::new()
        },
        ..Recommendation::default()
    };
    rec.evidence.push(Evidence {
        start: vs,
        end: ve,
        text: text[vs..ve].to_string(),
        rule: RuleId::new(if infinitive.is_empty() {
            format!("recommendation.{code}.{rule}")
        } else {
            format!("recommendation.{code}.{rule}:{infinitive}")
        }),
        confidence,
    });
    if upr {
        let mut names = BTreeSet::new();
        for (iso, s, e) in recommending_states(text) {
            names.insert(
                entities::country_name(&iso)
                    .unwrap_or(&text[s..e])
                    .to_string(),
            );
            rec.evidence.push(Evidence {
                start: s,
                end: e,
                text: text[s..e].to_string(),
                rule: RuleId::recommending_state(&iso),
                confidence: 0.9,
            });
        }
        rec.recommending_states = names.into_iter().collect();
    }
    Some(rec)
}

/// Tags the recommendation of a French or Spanish paragraph (`language`, read from
/// `ctx.language`); an empty recommendation for another language or none (see the module
/// docs).
pub(crate) fn tag(text: &str, language: Option<Language>, ctx: &TagContext<'_>) -> Recommendation {
    let Some(lang) = language.and_then(|l| NATIVE.lang(l)) else {
        return Recommendation::default();
    };
    let kind = TextKind::of(text);
    if let Some(rec) = list_item(lang, text, kind, ctx) {
        return rec;
    }
    // A summary record reports what delegations said: no call in it is the author's.
    if ctx.doc_type == Some("summary record") || !lang.cue.get(kind).is_match(text) {
        return Recommendation::default();
    }
    let masked = mask_between(&mask_quotes(text), &[('«', '»')]);
    let para = Para {
        lang,
        kind: TextKind::of(&masked),
        masked: &masked,
    };
    let rec_section = rec_section_of(lang, ctx.section);
    let mut directives = Vec::new();
    let mut antecedent: Option<&str> = None;
    for (s0, s1) in sentences(&masked) {
        para.sentence(s0, s1, rec_section, ctx.author, antecedent, &mut directives);
        antecedent = match para.author_at_head(s0, s1) {
            Some((english, _)) => Some(english),
            None if para.pronoun_at_head(s0, s1) => antecedent,
            None => None,
        };
    }
    name_the_council(text, &mut directives);
    summarise(lang.language.as_str(), text, &directives)
}

/// The recommendation the directives make, as the English rules summarise theirs: every
/// directive is evidence; one with addressees makes the paragraph a recommendation, and the
/// strongest verb is its verb.
fn summarise(code: &str, text: &str, directives: &[Directive]) -> Recommendation {
    let mut rec = Recommendation::default();
    let mut best_rank = 0u8;
    let mut addressees = BTreeSet::new();
    for d in directives {
        let positive = !d.addressees.is_empty();
        let rule = if positive {
            format!("recommendation.{code}.{}:{}", d.rule, d.native)
        } else if d.rule == "normative_no_addressee" {
            format!("recommendation.{code}.normative_no_addressee")
        } else {
            format!("recommendation.{code}.no_addressee.{}:{}", d.rule, d.native)
        };
        let found = Found {
            span: (d.start, d.end),
            rule: RuleId::new(rule),
            confidence: d.confidence,
            addressees: &d.addressees,
        };
        if !record(&mut rec, &mut addressees, text, found, positive, |v| {
            RuleId::new(format!("recommendation.{code}.addressee:{v}"))
        }) {
            continue;
        }
        let r = lemma_rank(&d.lemma);
        if r > best_rank {
            best_rank = r;
            rec.verb = Some(d.lemma.clone());
        }
    }
    rec.addressees = addressees.into_iter().collect();
    rec.evidence
        .sort_by(|a, b| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule)));
    rec
}

#[cfg(test)]
mod tests {
    //! Synthetic sentences (written for these tests, in the UN's French and Spanish
    //! wording); the real ones are in `tests/tag/native.rs`.
    use super::*;

    fn tag_in(language: &str, text: &str) -> Recommendation {
        let ctx = TagContext {
            language,
            ..TagContext::default()
        };
        tag(text, Language::from_code(language), &ctx)
    }

    fn rules(r: &Recommendation) -> Vec<&str> {
        r.evidence.iter().map(|e| e.rule.as_str()).collect()
    }

    #[test]
    fn english_lemma_ranks_come_from_the_english_data() {
        for (lemma, rank) in [
            ("call upon", 6),
            ("urge", 5),
            ("recommend", 4),
            ("encourage", 3),
            ("invite", 2),
            ("should", 1),
        ] {
            assert_eq!(lemma_rank(lemma), rank, "{lemma}");
        }
    }

    #[test]
    fn embedded_file_parses() {
        Native::parse(RECOMMENDATION_NATIVE_TOML).unwrap();
    }

    #[test]
    fn synthetic_french_upr_items() {
        for (text, infinitive) in [
            (
                "Ratifier la Convention relative aux droits des personnes handicapées (France);",
                "ratifier",
            ),
            (
                "Envisager de ratifier le Protocole facultatif se rapportant à la Convention contre la torture (Brésil);",
                "envisager",
            ),
            (
                "Redoubler d'efforts pour lutter contre la discrimination raciale (Canada);",
                "redoubler",
            ),
            (
                "Poursuivre ses efforts en vue de l'intégration des migrants (Maroc);",
                "poursuivre",
            ),
            (
                "Prendre des mesures pour prévenir la violence à l'égard des femmes (Chili et Mexique);",
                "prendre",
            ),
            (
                "Veiller à ce que les auteurs de violences soient traduits en justice (Suède).",
                "veiller",
            ),
            (
                "Garantir l'indépendance de la justice (Iran (République islamique d'));",
                "garantir",
            ),
            (
                "Renforcer la coopération avec les procédures spéciales (Norvège);",
                "renforcer",
            ),
            ("Adopter une loi sur la torture (Allemagne);", "adopter"),
            (
                "Mettre en place une institution nationale des droits de l'homme (Égypte);",
                "mettre",
            ),
            (
                "Continuer de promouvoir les droits des enfants (Algérie);",
                "continuer",
            ),
            (
                "69.12 Ratifier la Convention internationale sur la protection des droits de tous les travailleurs migrants",
                "ratifier",
            ),
        ] {
            let r = tag_in("fr", text);
            assert!(r.is_recommendation, "{text}");
            assert_eq!(r.verb.as_deref(), Some("recommend"), "{text}");
            assert_eq!(r.addressees, ["Member States"], "{text}");
            let e = &r.evidence[0];
            assert_eq!(
                e.rule,
                format!("recommendation.fr.upr_item:{infinitive}"),
                "{text}"
            );
            assert_eq!(&text[e.start..e.end], e.text);
        }
        let r = tag_in(
            "fr",
            "Ratifier la Convention relative aux droits de l'enfant (France);",
        );
        assert_eq!(r.recommending_states, ["France"]);
    }

    #[test]
    fn synthetic_spanish_upr_items() {
        for (text, infinitive) in [
            (
                "Ratificar la Convención sobre los derechos de las personas con discapacidad (Chile);",
                "ratificar",
            ),
            (
                "Considerar la posibilidad de ratificar el Protocolo Facultativo (Argentina);",
                "considerar",
            ),
            (
                "Redoblar los esfuerzos para combatir la trata de personas (Uruguay);",
                "redoblar",
            ),
            (
                "Seguir fortaleciendo la institución nacional de derechos humanos (Perú);",
                "seguir",
            ),
            (
                "Velar por que se investiguen todas las denuncias de tortura (España).",
                "velar",
            ),
            (
                "Garantizar la libertad de expresión (Noruega);",
                "garantizar",
            ),
            ("Fortalecer el sistema judicial (Cuba);", "fortalecer"),
            (
                "Adoptar una ley integral contra la discriminación (México y Brasil);",
                "adoptar",
            ),
        ] {
            let r = tag_in("es", text);
            assert!(r.is_recommendation, "{text}");
            assert_eq!(r.addressees, ["Member States"], "{text}");
            assert_eq!(
                r.evidence[0].rule,
                format!("recommendation.es.upr_item:{infinitive}"),
                "{text}"
            );
        }
    }

    #[test]
    fn synthetic_french_report_voice() {
        let r = tag_in(
            "fr",
            "J'engage les États Membres et les organisations régionales à adopter des stratégies nationales de prévention.",
        );
        assert!(r.is_recommendation);
        // "engager à" renders "call upon" (CEDAW/C/TUV/CO/3-4, para. 36: "Le Comité engage
        // l'État partie à …" for "The Committee calls upon the State party to …").
        assert_eq!(r.verb.as_deref(), Some("call upon"));
        assert_eq!(r.addressees, ["Member States", "regional organizations"]);
        assert!(rules(&r).contains(&"recommendation.fr.first_person:engager"));
        assert!(rules(&r).contains(&"recommendation.fr.addressee:regional organizations"));

        let r = tag_in(
            "fr",
            "Le Conseil de sécurité devrait recourir plus systématiquement aux mesures prévues au Chapitre VI.",
        );
        assert_eq!(r.addressees, ["Security Council"]);
        assert_eq!(r.verb.as_deref(), Some("should"));
        assert!(rules(&r).contains(&"recommendation.fr.modal_with_subject:devoir"));

        let r = tag_in(
            "fr",
            "Le Conseil de sécurité s'est réuni. Le Conseil devrait inscrire la question à son ordre du jour.",
        );
        assert_eq!(r.addressees, ["Security Council"]);

        let r = tag_in(
            "fr",
            "Je recommande que l'Assemblée générale examine chaque année la question.",
        );
        assert_eq!(r.addressees, ["General Assembly"]);
        assert_eq!(r.verb.as_deref(), Some("recommend"));

        let r = tag_in(
            "fr",
            "J'exhorte le Gouvernement, la société civile et la communauté internationale à agir.",
        );
        assert_eq!(r.verb.as_deref(), Some("urge"));
        assert_eq!(r.addressees, ["Member States", "civil society", "other"]);

        let r = tag_in(
            "fr",
            "Les États Membres sont invités à désigner un coordonnateur national.",
        );
        assert!(r.is_recommendation);
        assert_eq!(r.verb.as_deref(), Some("invite"));
        assert_eq!(r.addressees, ["Member States"]);

        let r = tag_in(
            "fr",
            "Le Secrétaire général recommande au Conseil des droits de l'homme de créer un mécanisme.",
        );
        assert_eq!(r.addressees, ["Human Rights Council"]);
        assert!(rules(&r).contains(&"recommendation.fr.author_third_person:recommander"));
    }

    #[test]
    fn synthetic_french_treaty_body_paragraphs() {
        // A pronoun stands for the author subject of the sentence before, through sentences
        // that open with a pronoun; not at the head of a paragraph, nor after another subject.
        let r = tag_in(
            "fr",
            "Le Comité est préoccupé par la situation. Il note les efforts faits. Il engage l'État partie à adopter une loi.",
        );
        assert!(r.is_recommendation);
        assert_eq!(r.addressees, ["Member States"]);
        assert!(rules(&r).contains(&"recommendation.fr.author_pronoun:engager"));
        for text in [
            "Il engage l'État partie à adopter une loi.",
            "Le Comité note la loi. Le Gouvernement a créé un fonds. Il invite les donateurs à y contribuer.",
        ] {
            let r = tag_in("fr", text);
            assert!(!r.is_recommendation, "{text}: {:?}", r.evidence);
        }
        // A directive coordinated with the author subject's verb, in the same clause only.
        let r = tag_in(
            "fr",
            "Le Comité attire l'attention de l'État partie sur sa recommandation générale no 9 et encourage l'État partie à demander une assistance technique.",
        );
        assert_eq!(r.verb.as_deref(), Some("encourage"));
        assert!(rules(&r).contains(&"recommendation.fr.coordinated_third:encourager"));
        let r = tag_in(
            "fr",
            "Le Comité note que le Gouvernement a adopté un plan et encourage les femmes à y participer.",
        );
        assert!(!r.is_recommendation, "{:?}", r.evidence);
        // The object after a parenthetical; a subject in apposition before its modal.
        let r = tag_in(
            "fr",
            "J'exhorte, une fois de plus, les États Membres à ratifier le Statut de Rome.",
        );
        assert_eq!(r.addressees, ["Member States"]);
        let r = tag_in(
            "fr",
            "Les États Membres, ainsi que les organisations régionales, devraient coopérer.",
        );
        assert_eq!(r.addressees, ["Member States", "regional organizations"]);
        // The conditional of politeness requests; the future announces.
        let r = tag_in(
            "fr",
            "Je recommanderais au Conseil de sécurité de proroger le mandat.",
        );
        assert_eq!(r.addressees, ["Security Council"]);
        assert!(
            !tag_in(
                "fr",
                "Je recommanderai au Conseil de sécurité de proroger le mandat."
            )
            .is_recommendation
        );
    }

    #[test]
    fn synthetic_spanish_report_voice() {
        let r = tag_in(
            "es",
            "Exhorto a los Estados Miembros a que designen un coordinador nacional.",
        );
        assert!(r.is_recommendation);
        assert_eq!(r.verb.as_deref(), Some("urge"));
        assert_eq!(r.addressees, ["Member States"]);
        assert!(rules(&r).contains(&"recommendation.es.first_person:exhortar"));
        assert!(rules(&r).contains(&"recommendation.es.addressee:Member States"));

        let r = tag_in(
            "es",
            "Por lo tanto, recomiendo que el Consejo de Seguridad y la Asamblea General examinen la cuestión.",
        );
        assert_eq!(r.addressees, ["General Assembly", "Security Council"]);
        assert_eq!(r.verb.as_deref(), Some("recommend"));

        let r = tag_in(
            "es",
            "Se alienta a las organizaciones regionales a que compartan sus experiencias.",
        );
        assert_eq!(r.addressees, ["regional organizations"]);
        assert_eq!(r.verb.as_deref(), Some("encourage"));

        let r = tag_in(
            "es",
            "Los Estados deberían velar por la rendición de cuentas.",
        );
        assert_eq!(r.addressees, ["Member States"]);
        assert_eq!(r.verb.as_deref(), Some("should"));
    }

    #[test]
    fn synthetic_descriptions_are_not_recommendations() {
        for (language, text) in [
            ("fr", "Le Gouvernement a ratifié la Convention en 2009."),
            ("fr", "L'Italie a adopté une loi sur la violence sexuelle."),
            (
                "fr",
                "L'Italie s'est engagée à promouvoir la protection des droits de l'homme.",
            ),
            (
                "fr",
                "Le plan a été examiné par le Parlement et devrait être mis en œuvre d'ici à 2012.",
            ),
            ("fr", "M. Dupont estime que l'Assemblée générale doit agir."),
            (
                "fr",
                "Ratifier la Convention reste une priorité du Gouvernement.",
            ),
            ("es", "El Gobierno ratificó la Convención en 2009."),
            (
                "es",
                "El representante dijo que los Estados deberían actuar.",
            ),
            ("ru", "Ratifier la Convention (France);"),
        ] {
            let r = tag_in(language, text);
            assert!(!r.is_recommendation, "{text}: {:?}", r.evidence);
        }
    }

    #[test]
    fn a_summary_record_reports_what_delegations_said() {
        let ctx = TagContext {
            language: "fr",
            doc_type: Some("summary record"),
            ..TagContext::default()
        };
        let r = tag(
            "L'Assemblée générale doit favoriser l'évolution des territoires.",
            Some(Language::Fr),
            &ctx,
        );
        assert!(!r.is_recommendation);
    }
}
