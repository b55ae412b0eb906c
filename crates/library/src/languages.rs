//! The other language versions of a paragraph and of a document: one rule
//! ([`undex_core::align`]) for `GET /api/paragraphs/{id}` (`translations`), the paragraph and
//! document pages and the MCP tool `get_paragraph`, owned by the service layer so that every
//! caller (web, MCP, CLI, exports) reads the same versions.

use std::collections::HashMap;

use undex_core::align::{align, carried_from};
use undex_core::{Language, ParagraphRow, TextLanguage};
use undex_index::{Hit, IndexError, SearchRequest, SearchResponse, UndexIndex};

/// The same paragraph in each other language the index holds, as `(language, row)` sorted by
/// language: the unit of each other language version of the row's document
/// ([`UndexIndex::language_versions`]) that [`align`] pairs with it. A language whose version
/// has no counterpart (a heading one version prints apart) is left out; one row per language
/// (the first version by document id). Empty for a row without a symbol.
///
/// # Errors
/// Index errors.
pub fn translations(
    index: &UndexIndex,
    row: &ParagraphRow,
) -> Result<Vec<(TextLanguage, ParagraphRow)>, IndexError> {
    let versions = index.language_versions(row)?;
    let Some((_, own)) = versions
        .iter()
        .find(|(_, rows)| rows[0].doc_id == row.doc_id)
    else {
        return Ok(Vec::new());
    };
    let mut out: Vec<(TextLanguage, ParagraphRow)> = Vec::new();
    for (language, rows) in &versions {
        if *language == row.language || out.iter().any(|(l, _)| l == language) {
            continue;
        }
        let counterpart = align(own, rows)
            .into_iter()
            .find(|p| p.a == row.id)
            .and_then(|p| rows.iter().find(|r| r.id == p.b));
        if let Some(t) = counterpart {
            out.push((*language, t.clone()));
        }
    }
    Ok(out)
}

/// The language versions of `row`'s document, its own included, as `(language, document id)`
/// sorted by language (one per language).
///
/// # Errors
/// Index errors.
pub fn document_versions(
    index: &UndexIndex,
    row: &ParagraphRow,
) -> Result<Vec<(TextLanguage, String)>, IndexError> {
    let mut out: Vec<(TextLanguage, String)> = Vec::new();
    for (language, rows) in index.language_versions(row)? {
        if !out.iter().any(|(l, _)| *l == language) {
            out.push((language, rows[0].doc_id.clone()));
        }
    }
    Ok(out)
}

/// Why a paragraph carries no pillar, risk factor or recommendation tag, when the reason is
/// its language: the tagger reads English only, and tags reach another language version from
/// an English version aligned to it. `None` for English rows, for rows with tags, and for rows
/// whose English counterpart is in the index (then the English paragraph itself has none).
#[must_use]
pub fn tags_note(row: &ParagraphRow, has_english: bool) -> Option<String> {
    let tagged = !row.pillars.is_empty()
        || !row.risk_factors.is_empty()
        || row.recommendation
        || row
            .evidence
            .iter()
            .any(|e| carried_from(&e.evidence.rule).is_some());
    if row.language == Language::En || tagged || has_english {
        return None;
    }
    Some(format!(
        "not tagged: the tagger reads English, and the index holds no English version of this \
         document to carry tags from (language: {})",
        row.language
    ))
}

/// The six official languages of the United Nations ([`Language::OFFICIAL`]), as ISO 639-1
/// codes: Arabic, Chinese, English, French, Russian, Spanish (the values `qlang=` and the
/// export's `in_language` take).
pub const UN_LANGUAGES: [&str; 6] = {
    let mut codes = [""; 6];
    let mut i = 0;
    while i < codes.len() {
        codes[i] = Language::OFFICIAL[i].as_str();
        i += 1;
    }
    codes
};

/// One of the six official languages ([`Language::OFFICIAL`]), checked: what a query's
/// language, the lead of a grouped search and an export's language are given as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnLanguage(Language);

impl UnLanguage {
    /// The language of an ISO 639-1 code, any case, blanks around ignored ("FR " is French;
    /// an ISO 639-3 code such as "fra" is not taken).
    ///
    /// # Errors
    /// A message naming the six codes when `code` is not one of them.
    pub fn parse(code: &str) -> Result<UnLanguage, String> {
        Language::from_code(&code.trim().to_ascii_lowercase())
            .filter(|l| l.is_official())
            .map(UnLanguage)
            .ok_or_else(|| {
                format!(
                    "{code:?} is not an official UN language: use one of {}",
                    UN_LANGUAGES.join(", ")
                )
            })
    }

    /// `language` when it is one of the six official languages.
    #[must_use]
    pub fn official(language: Language) -> Option<UnLanguage> {
        language.is_official().then_some(UnLanguage(language))
    }

    /// Its ISO 639-1 code ("fr").
    #[must_use]
    pub fn code(self) -> &'static str {
        self.0.as_str()
    }

    /// The language itself ([`Language::Fr`]).
    #[must_use]
    pub fn language(self) -> Language {
        self.0
    }
}

impl From<UnLanguage> for Language {
    fn from(language: UnLanguage) -> Self {
        language.0
    }
}

impl From<UnLanguage> for TextLanguage {
    fn from(language: UnLanguage) -> Self {
        TextLanguage::Known(language.0)
    }
}

impl PartialEq<UnLanguage> for TextLanguage {
    fn eq(&self, other: &UnLanguage) -> bool {
        *self == other.0
    }
}

impl std::fmt::Display for UnLanguage {
    /// Its ISO 639-1 code ("fr").
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for UnLanguage {
    /// Its ISO 639-1 code as a JSON string (`"fr"`).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// Fewest letters of a query in Latin script whose language is detected at all: below this
/// ("veto", "genocide") the words say too little, and the language is left unknown.
pub const MIN_DETECT_LETTERS: usize = 12;
/// Lowest `whatlang` confidence (0–1) at which a query in Latin script is said to be in a
/// language: English, French and Spanish share many words and letters, so a detection below
/// it is not trusted.
pub const MIN_DETECT_CONFIDENCE: f64 = 0.9;

/// How the language of a query was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LanguageSource {
    /// The reader chose it (`qlang=fr`).
    Chosen,
    /// Detected from the query's words ([`detect_query_language`]).
    Detected,
}

/// What a detected query language rests on ([`detect_query_language`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DetectionBasis {
    /// A script only one official language writes (Arabic, Cyrillic, Chinese characters).
    Script,
    /// `whatlang`'s trigram statistics, sure enough on their own.
    Statistics,
    /// Function words or letters of one language only, and the statistics agreeing.
    Words,
}

/// The language of a query, detected or chosen.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct QueryLanguage {
    /// ISO 639-1 code, one of [`UN_LANGUAGES`] ("fr").
    #[schema(value_type = String)]
    pub code: UnLanguage,
    /// Whether the reader chose it or it was detected.
    pub source: LanguageSource,
    /// For a detection, what it rests on; absent when chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<DetectionBasis>,
    /// For a detection in Latin script, `whatlang`'s confidence in its pick among English,
    /// French and Spanish, 0–1 (two decimals); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

/// The words of a query as a language detector should see them: field filters
/// (`pillar:III`, `symbol:"A/79/875"`, `year:[2020 TO 2025]`), operators (`AND`, `OR`, `NOT`,
/// `+`, `-`), quotes, parentheses and tokens holding a digit or a slash (symbols, years)
/// removed.
fn query_words(q: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut skip_until: Option<char> = None;
    for token in q.split_whitespace() {
        if let Some(end) = skip_until {
            if token.ends_with(end) {
                skip_until = None;
            }
            continue;
        }
        if let Some((_, value)) = token.split_once(':') {
            // A field's value in quotes or brackets may run over several tokens.
            for (open, close) in [('"', '"'), ('[', ']'), ('{', '}')] {
                if value.starts_with(open) && (value.len() == 1 || !value.ends_with(close)) {
                    skip_until = Some(close);
                }
            }
            continue;
        }
        if matches!(token, "AND" | "OR" | "NOT" | "&&" | "||") {
            continue;
        }
        let word = token.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() || word.contains(|c: char| c.is_ascii_digit() || c == '/') {
            continue;
        }
        out.push(word);
    }
    out.join(" ")
}

/// Words and letters that, among English, French and Spanish, only one of them writes: a
/// query holding them (and none of another's) is in that language if the statistics agree.
/// Spanish "y" and "para" are left out: French writes "y compris", UN citations "para. 12".
const MARKERS: [(Language, &[&str], &str); 3] = [
    (
        Language::En,
        &[
            "the", "of", "and", "to", "for", "with", "from", "by", "which", "that", "is", "are",
            "against", "between",
        ],
        "",
    ),
    (
        Language::Fr,
        &[
            "du", "des", "les", "le", "et", "aux", "au", "une", "pour", "dans", "sur", "par",
            "avec", "entre", "contre", "l", "d", "qu",
        ],
        "èêëàâçùûôîœ",
    ),
    (
        Language::Es,
        &[
            "el", "los", "las", "del", "con", "una", "al", "sobre", "contra",
        ],
        "ñáíóú¿¡",
    ),
];

/// The one language among English, French and Spanish whose markers ([`MARKERS`]) `words`
/// hold, `None` when none or several do.
fn marked_language(words: &str) -> Option<Language> {
    let lower = words.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|t| !t.is_empty())
        .collect();
    let mut found = MARKERS.iter().filter(|(_, function_words, letters)| {
        tokens.iter().any(|t| function_words.contains(t)) || lower.contains(|c| letters.contains(c))
    });
    match (found.next(), found.next()) {
        (Some((language, ..)), None) => Some(*language),
        _ => None,
    }
}

/// The official language a query is written in, when its words say so with confidence:
/// - Arabic script is Arabic, Cyrillic Russian and Chinese characters Chinese (no other
///   official language writes them): basis [`DetectionBasis::Script`];
/// - text in Latin script of at least [`MIN_DETECT_LETTERS`] letters is English, French or
///   Spanish when `whatlang` (limited to those three) is at least [`MIN_DETECT_CONFIDENCE`]
///   sure ([`DetectionBasis::Statistics`]), or when it picks the one language whose own
///   function words or letters the query holds ("du", "des", "è", "ç" French; "the", "of"
///   English; "los", "del", "ñ" Spanish) and no other's ([`DetectionBasis::Words`]).
///
/// Field filters, operators, symbols and numbers are not read. `None` otherwise: a short or
/// ambiguous query ("veto", "génocide", "Ratifier la convention") is not guessed.
#[must_use]
pub fn detect_query_language(q: &str) -> Option<QueryLanguage> {
    use whatlang::{Detector, Lang, Script};
    let words = query_words(q);
    let script = whatlang::detect_script(&words)?;
    let by_script = match script {
        Script::Arabic => Some(Language::Ar),
        Script::Cyrillic => Some(Language::Ru),
        Script::Mandarin => Some(Language::Zh),
        _ => None,
    };
    if let Some(language) = by_script {
        return Some(QueryLanguage {
            code: UnLanguage(language),
            source: LanguageSource::Detected,
            basis: Some(DetectionBasis::Script),
            confidence: None,
        });
    }
    let letters = words.chars().filter(|c| c.is_alphabetic()).count();
    if script != Script::Latin || letters < MIN_DETECT_LETTERS {
        return None;
    }
    let info = Detector::with_allowlist(vec![Lang::Eng, Lang::Fra, Lang::Spa]).detect(&words)?;
    let language = UnLanguage::official(Language::parse(info.lang().code())?)?;
    let basis = if info.confidence() >= MIN_DETECT_CONFIDENCE {
        DetectionBasis::Statistics
    } else if marked_language(&words) == Some(language.language()) {
        DetectionBasis::Words
    } else {
        return None;
    };
    Some(QueryLanguage {
        code: language,
        source: LanguageSource::Detected,
        basis: Some(basis),
        confidence: Some((info.confidence() * 100.0).round() / 100.0),
    })
}

/// The language of a query: `chosen` when the reader gave one (it must be one of
/// [`UN_LANGUAGES`], any case), else [`detect_query_language`].
///
/// # Errors
/// A message naming the six codes when `chosen` is not one of them.
pub fn query_language(q: &str, chosen: Option<&str>) -> Result<Option<QueryLanguage>, String> {
    match chosen.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Ok(Some(QueryLanguage {
            code: UnLanguage::parse(c)?,
            source: LanguageSource::Chosen,
            basis: None,
            confidence: None,
        })),
        None => Ok(detect_query_language(q)),
    }
}

impl QueryLanguage {
    /// The language as an [`UnLanguage`] (always one: chosen or detected among the six).
    #[must_use]
    pub fn language(&self) -> UnLanguage {
        self.code
    }
}

/// The version in one language of paragraphs of any document, each document's alignment read
/// once: what an export in a language asks of every row it writes. A row's version is the
/// one [`translations`] gives (the unit [`align`] pairs with it in the first version of
/// that language, by document id).
#[derive(Debug)]
pub struct Translator<'a> {
    index: &'a UndexIndex,
    language: UnLanguage,
    /// Per document id: its rows' versions in `language`, by row id (empty when the document
    /// has no version in `language`).
    docs: HashMap<String, HashMap<String, ParagraphRow>>,
}

impl<'a> Translator<'a> {
    /// A translator into `language` over `index`.
    #[must_use]
    pub fn new(index: &'a UndexIndex, language: UnLanguage) -> Self {
        Translator {
            index,
            language,
            docs: HashMap::new(),
        }
    }

    /// The language the rows are asked in.
    #[must_use]
    pub fn language(&self) -> UnLanguage {
        self.language
    }

    /// `row` in the translator's language: the row itself when it is in that language, the
    /// aligned unit of its document's version in that language when there is one, else
    /// `None`. Reads the language versions of a document once, at its first row.
    ///
    /// # Errors
    /// Index errors.
    pub fn version(&mut self, row: &ParagraphRow) -> Result<Option<ParagraphRow>, IndexError> {
        if row.language == self.language.language() {
            return Ok(Some(row.clone()));
        }
        if !self.docs.contains_key(&row.doc_id) {
            let map = self.load(row)?;
            self.docs.insert(row.doc_id.clone(), map);
        }
        Ok(self
            .docs
            .get(&row.doc_id)
            .and_then(|m| m.get(&row.id))
            .cloned())
    }

    fn load(&self, row: &ParagraphRow) -> Result<HashMap<String, ParagraphRow>, IndexError> {
        if !self.index.has_other_language(row)? {
            return Ok(HashMap::new());
        }
        let versions = self.index.language_versions(row)?;
        let own = versions
            .iter()
            .find(|(_, rows)| rows[0].doc_id == row.doc_id);
        let target = versions
            .iter()
            .find(|(l, rows)| *l == self.language.language() && rows[0].doc_id != row.doc_id);
        let (Some((_, own)), Some((_, target))) = (own, target) else {
            return Ok(HashMap::new());
        };
        let by_id: HashMap<&str, &ParagraphRow> =
            target.iter().map(|r| (r.id.as_str(), r)).collect();
        Ok(align(own, target)
            .into_iter()
            .filter_map(|p| by_id.get(p.b.as_str()).map(|r| (p.a, (*r).clone())))
            .collect())
    }
}

/// Most hits of a search read to group them by aligned paragraph
/// ([`search_grouped`]): the groups of a search matching more rows are those of its first
/// 2,000 hits, and the answer says so ([`GroupedResponse::complete`]).
pub const MAX_GROUPED_ROWS: usize = 2_000;
/// Most groups on one page of a grouped search (each lists up to five other versions).
pub const MAX_GROUPED_PER_PAGE: usize = 50;
/// Hits read from the index at a time while grouping.
const GROUP_CHUNK: usize = 250;
/// Characters of the excerpt shown for a version that was not read as a hit.
pub const EXCERPT_CHARS: usize = 280;

/// One language version of an aligned paragraph in a grouped search.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionHit {
    /// The version's row.
    pub row: ParagraphRow,
    /// When the version was read as a hit of the search, its snippet (HTML-escaped, matched
    /// words in `<mark>…</mark>`); otherwise the opening of its text, HTML-escaped, at most
    /// [`EXCERPT_CHARS`] characters, with "…" where it is cut.
    pub snippet_html: String,
    /// The version's BM25 score when it was read as a hit; `None` when it was not (it does
    /// not match, or only past the rows read).
    pub score: Option<f32>,
    /// Whether the version holds all the words (`Some(true)`), some of them
    /// (`Some(false)`), or was not read as a hit (`None`).
    pub all_words: Option<bool>,
}

/// One aligned paragraph of a grouped search: the version leading it and the others.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedHit {
    /// The version shown first: the one in the query's language when the paragraph has one,
    /// else the best-ranked version among the hits.
    pub lead: VersionHit,
    /// The paragraph's other versions the index holds (aligned as
    /// [`undex_core::align::align`] pairs them with the document's English version, else its
    /// first version by language), one per language, sorted by language.
    pub others: Vec<VersionHit>,
    /// The best score among the versions read as hits (the group's rank).
    pub score: f32,
    /// True when a version holds every word of the query (the group is counted in
    /// [`GroupedResponse::total`]).
    pub all_words: bool,
}

/// A page of a search grouped by aligned paragraph ([`search_grouped`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedResponse {
    /// Aligned paragraphs with at least one version holding all the words, among the hits
    /// read (all of them when [`complete`](Self::complete)).
    pub total: usize,
    /// Rows (each language version counted) holding all the words: the ungrouped total.
    pub rows_total: usize,
    /// Hits read to form the groups: every full match and, past them, enough partial ones
    /// to fill the page, at most [`MAX_GROUPED_ROWS`].
    pub rows_read: usize,
    /// True when every row holding all the words was read, so `total` is exact; false when
    /// they are more than [`MAX_GROUPED_ROWS`] (the groups are those of the first hits).
    pub complete: bool,
    /// The page of groups, in the order of their best-ranked version: full matches first,
    /// then groups with some of the words.
    pub hits: Vec<GroupedHit>,
    /// Facet counts over the rows holding all the words (rows, not groups), as
    /// [`undex_index::SearchResponse::facets`].
    pub facets: std::collections::BTreeMap<String, Vec<undex_index::FacetCount>>,
    /// As [`undex_index::SearchResponse::facets_approximate`].
    pub facets_approximate: bool,
    /// On a page at or past the end of the full-match groups: true when groups with only
    /// some of the words follow it.
    pub partial_more: bool,
}

/// The aligned units of one family of language versions, keyed by the unit of the pivot
/// version (the English one, else the first by language) each is aligned to.
#[derive(Debug, Default)]
struct Family {
    /// Row id of a non-pivot unit → the pivot unit's id it is aligned to.
    key_of: HashMap<String, String>,
    /// Pivot unit id → the units aligned to it, the pivot's first.
    members: HashMap<String, Vec<ParagraphRow>>,
}

/// The families of the documents met while grouping, each read once.
#[derive(Debug, Default)]
struct Families {
    /// Document id → its family, `None` for a document without another language version.
    docs: HashMap<String, Option<std::rc::Rc<Family>>>,
}

impl Families {
    /// The key of `row`'s group: the id of the pivot unit it is aligned to, else its own id.
    fn key(&mut self, index: &UndexIndex, row: &ParagraphRow) -> Result<String, IndexError> {
        if !self.docs.contains_key(&row.doc_id) {
            self.load(index, row)?;
        }
        Ok(self
            .family(&row.doc_id)
            .and_then(|f| f.key_of.get(&row.id))
            .cloned()
            .unwrap_or_else(|| row.id.clone()))
    }

    fn family(&self, doc_id: &str) -> Option<&Family> {
        self.docs.get(doc_id).and_then(|f| f.as_deref())
    }

    fn load(&mut self, index: &UndexIndex, row: &ParagraphRow) -> Result<(), IndexError> {
        let versions = if index.has_other_language(row)? {
            index.language_versions(row)?
        } else {
            Vec::new()
        };
        if versions.len() < 2 {
            self.docs.insert(row.doc_id.clone(), None);
            return Ok(());
        }
        let pivot_at = versions
            .iter()
            .position(|(l, _)| *l == Language::En)
            .unwrap_or(0);
        let pivot = &versions[pivot_at].1;
        let mut family = Family::default();
        for r in pivot {
            family.members.insert(r.id.clone(), vec![r.clone()]);
        }
        for (i, (_, rows)) in versions.iter().enumerate() {
            if i == pivot_at {
                continue;
            }
            let by_id: HashMap<&str, &ParagraphRow> =
                rows.iter().map(|r| (r.id.as_str(), r)).collect();
            for p in align(pivot, rows) {
                if let Some(r) = by_id.get(p.b.as_str()) {
                    family.key_of.insert(p.b.clone(), p.a.clone());
                    family.members.entry(p.a).or_default().push((*r).clone());
                }
            }
        }
        let family = std::rc::Rc::new(family);
        for (_, rows) in &versions {
            self.docs
                .insert(rows[0].doc_id.clone(), Some(std::rc::Rc::clone(&family)));
        }
        self.docs.entry(row.doc_id.clone()).or_insert(None);
        Ok(())
    }
}

/// The opening of `text`, HTML-escaped, at most [`EXCERPT_CHARS`] characters, cut after a
/// word with "…".
fn excerpt_html(text: &str) -> String {
    if text.chars().count() <= EXCERPT_CHARS {
        return undex_index::escape_html(text);
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let cut = cut
        .rsplit_once(char::is_whitespace)
        .map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", undex_index::escape_html(cut.trim_end()))
}

/// A search with one hit per aligned paragraph: the hits of `req` (its query and filters;
/// `offset` and `limit` count groups, `limit` at most [`MAX_GROUPED_PER_PAGE`]) are read in
/// result order, at most [`MAX_GROUPED_ROWS`], and each language version of a paragraph
/// joins the group of the first version met, so a group ranks by its best version. Each
/// group lists the paragraph's versions the index holds, led by the one in `lead_language`
/// (ISO 639-1) when there is one, else by its best-ranked version. Every row holding all the
/// words is read (up to the limit) so that `total` counts groups; the facets count rows.
///
/// Cost: the hits read, and for each document with another language version among them,
/// its versions' rows once (one alignment per version).
///
/// # Errors
/// As [`UndexIndex::search`]: [`IndexError::InvalidQuery`] for a query that does not parse;
/// index errors.
pub fn search_grouped(
    index: &UndexIndex,
    req: &SearchRequest,
    lead_language: Option<UnLanguage>,
) -> Result<GroupedResponse, IndexError> {
    struct Group {
        key: String,
        doc_id: String,
        hits: Vec<Hit>,
    }
    let limit = req.limit.min(MAX_GROUPED_PER_PAGE);
    let wanted = req.offset.saturating_add(limit).saturating_add(1);
    let mut families = Families::default();
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut read = 0;
    let mut first: Option<SearchResponse> = None;
    loop {
        let n = GROUP_CHUNK.min(MAX_GROUPED_ROWS - read);
        if n == 0 {
            break;
        }
        let mut res = index.search(&SearchRequest {
            offset: read,
            limit: n,
            skip_facets: req.skip_facets || read > 0,
            ..req.clone()
        })?;
        let hits = std::mem::take(&mut res.hits);
        let got = hits.len();
        let rows_total = first.get_or_insert(res).total;
        for hit in hits {
            let key = families.key(index, &hit.row)?;
            match by_key.get(&key) {
                Some(&g) => groups[g].hits.push(hit),
                None => {
                    by_key.insert(key.clone(), groups.len());
                    groups.push(Group {
                        key,
                        doc_id: hit.row.doc_id.clone(),
                        hits: vec![hit],
                    });
                }
            }
        }
        read += got;
        if got < n || (read >= rows_total && groups.len() >= wanted) {
            break;
        }
    }
    let (rows_total, facets, facets_approximate) = first.map_or_else(
        || (0, std::collections::BTreeMap::new(), false),
        |f| (f.total, f.facets, f.facets_approximate),
    );
    let total = groups
        .iter()
        .filter(|g| g.hits.first().is_some_and(|h| h.all_words))
        .count();
    let end = req.offset.saturating_add(limit).min(groups.len());
    let start = req.offset.min(end);
    let hits = groups[start..end]
        .iter()
        .map(|g| {
            let aligned = families
                .family(&g.doc_id)
                .and_then(|f| f.members.get(&g.key))
                .map(Vec::as_slice)
                .unwrap_or_default();
            group_hit(&g.hits, aligned, lead_language)
        })
        .collect();
    Ok(GroupedResponse {
        total,
        rows_total,
        rows_read: read,
        complete: read >= rows_total,
        hits,
        facets,
        facets_approximate,
        partial_more: req.offset.saturating_add(limit) >= total
            && groups.len() > req.offset.saturating_add(limit),
    })
}

/// One group's hit: its versions (the hits read, else the aligned units), one per language,
/// led by the one in `lead_language` when there is one.
fn group_hit(
    hits: &[Hit],
    aligned: &[ParagraphRow],
    lead_language: Option<UnLanguage>,
) -> GroupedHit {
    let mut versions: Vec<VersionHit> = Vec::new();
    for h in hits {
        if !versions.iter().any(|v| v.row.language == h.row.language) {
            versions.push(VersionHit {
                row: h.row.clone(),
                snippet_html: h.snippet_html.clone(),
                score: Some(h.score),
                all_words: Some(h.all_words),
            });
        }
    }
    for r in aligned {
        if !versions.iter().any(|v| v.row.language == r.language) {
            versions.push(VersionHit {
                row: r.clone(),
                snippet_html: excerpt_html(&r.text),
                score: None,
                all_words: None,
            });
        }
    }
    // `hits` is never empty: a group is made by its first hit, the best ranked.
    let lead_at = lead_language
        .and_then(|l| versions.iter().position(|v| v.row.language == l.language()))
        .unwrap_or(0);
    let lead = versions.remove(lead_at);
    versions.sort_by(|a, b| a.row.language.as_str().cmp(b.row.language.as_str()));
    GroupedHit {
        lead,
        others: versions,
        score: hits.iter().map(|h| h.score).fold(f32::MIN, f32::max),
        all_words: hits.iter().any(|h| h.all_words),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(q: &str) -> Option<(&'static str, DetectionBasis)> {
        let l = detect_query_language(q)?;
        Some((l.language().code(), l.basis?))
    }

    #[test]
    fn the_query_language_is_detected_only_when_the_words_say_it() {
        use DetectionBasis::{Script, Statistics, Words};
        assert_eq!(detected("prévention du génocide"), Some(("fr", Words)));
        assert_eq!(
            detected("prévention du génocide pillar:III"),
            Some(("fr", Words))
        );
        assert_eq!(detected("protection des civils"), Some(("fr", Words)));
        assert_eq!(detected("droits de l'homme"), Some(("fr", Statistics)));
        assert_eq!(detected("responsibility to protect"), Some(("en", Words)));
        assert_eq!(
            detected("right to life liberty and security of person"),
            Some(("en", Statistics))
        );
        assert_eq!(detected("право на жизнь"), Some(("ru", Script)));
        assert_eq!(detected("الحق في الحياة"), Some(("ar", Script)));
        assert_eq!(detected("生命权"), Some(("zh", Script)));
        // Short or ambiguous: not guessed.
        for q in [
            "génocide",
            "veto restraint",
            "Ratifier la convention",
            "A/79/875 veto",
            "",
        ] {
            assert_eq!(detected(q), None, "{q}");
        }
    }

    #[test]
    fn field_filters_operators_and_symbols_are_not_read_as_words() {
        assert_eq!(
            query_words(
                r#"symbol:"A/HRC/WG.6/7/ITA/1" year:[2020 TO 2025] (veto OR -restraint) +guerre 2026"#
            ),
            "veto restraint guerre"
        );
    }

    #[test]
    fn a_chosen_language_must_be_official() {
        let chosen = query_language("veto", Some(" FR ")).unwrap().unwrap();
        assert_eq!(
            (chosen.code.code(), chosen.source),
            ("fr", LanguageSource::Chosen)
        );
        assert!(
            query_language("veto", Some("de"))
                .unwrap_err()
                .contains("ar, zh, en, fr, ru, es")
        );
        assert_eq!(query_language("veto", Some("")).unwrap(), None);
    }

    #[test]
    fn an_excerpt_is_cut_after_a_word_and_escaped() {
        assert_eq!(excerpt_html("a <b> & c"), "a &lt;b&gt; &amp; c");
        let long = "word ".repeat(100);
        let e = excerpt_html(&long);
        assert!(e.ends_with("word…") && e.chars().count() <= EXCERPT_CHARS + 1);
    }
}
