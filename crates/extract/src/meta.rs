//! Metadata from a document's masthead (page-1 header block): symbols, job number, date of
//! issue, title, organs, author, type, sessions and agenda items.
//!
//! Follows the UN masthead layout (Editorial Manual, "Documents: masthead"): organ names, the
//! symbol (joint GA/SC symbols "A/80/434-S/2025/632", reissue marks "*"), "Distr.: General",
//! the date of issue, "Original: English", the session ("Eightieth session"), the Security
//! Council year ("Eighty-first year"), "Agenda items 13, 117 and 131", the agenda item titles,
//! the document's own title and its author line ("Report of the Secretary-General").

use std::sync::LazyLock;

use regex::Regex;
use undex_core::{DocType, DocumentMeta, DocumentSymbol, Language, parse_joint};

use crate::blocks::{BlockDocument, BlockRole};

static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s(])((?:A|S|E|ST|UNEP|TD|DP|CCPR|CERD|CEDAW|CAT|CRC|CRPD)/[A-Za-z0-9][A-Za-z0-9./\-–]*(?:\s?\(\d{4}\))?)([*∗\u{204E}]*)",
    )
    .expect("valid regex")
});
static JOB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b((?:GE\.)?[A-Z]?\d{2}-\d{5})(?:\s*\([A-Z]\))?").expect("valid regex")
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:er|st|nd|rd|th|º|°)?\s+(?:de\s+)?(january|february|march|april|may|june|july|august|september|october|november|december|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)\s+(?:de\s+|del\s+)?(\d{4})\b")
        .expect("valid regex")
});
static SESSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(General Assembly|Human Rights Council|Assemblée générale|Conseil des droits de l.homme)[\s,]+(?:\w+\s+)??([\p{L}\-]+(?:\s+et\s+[\p{L}\-]+)?)\s+session")
        .expect("valid regex")
});
static SC_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:Security Council|Conseil de sécurité)(?:[\s,]+Provisional|[\s,]+Provisoire)?[\s,]+([\p{L}\-]+(?:\s+et\s+[\p{L}\-]+)?)\s+(?:year|année)")
        .expect("valid regex")
});
static AGENDA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:Agenda items?|Points? de l.ordre du jour)\s*:?\s*((?:\d+(?:\s?\([a-z]\))?(?:\s*(?:,|and|et)\s*)?)+)")
        .expect("valid regex")
});
static AGENDA_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+(?:\s?\([a-z]\))?").expect("valid regex"));
static AUTHOR_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(Report|Note|Letter|Memorandum|Statement)\s+(?:of|by)\s+the\s+(.{3,160}?)\s*[*∗]*$",
    )
    .expect("valid regex")
});
static LETTER_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Identical letters|Letter|Note verbale)\s+dated\s").expect("valid regex")
});
static RESOLUTION_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(\d{1,4}/\d{1,4}|\d{4}\s\(\d{4}\))\.?\s+(\S.{2,300})|Resolution \d{1,5} \(\d{4}\))$",
    )
    .expect("valid regex")
});

/// A Main Committee of the General Assembly in a masthead, in English, French or Spanish
/// ("FOURTH COMMITTEE", "QUATRIEME COMMISSION", "Cuarta Comisión"): its ordinal word.
///
/// Written with ASCII word boundaries, and read by [`committee_in`], which checks the
/// Unicode ones: a Unicode `\b` makes the regex crate leave its lazy DFA for its slower
/// engines past the first non-ASCII byte, and the pattern runs over all of page one.
static COMMITTEE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&COMMITTEE_PATTERN.replace(r"\b", r"(?-u:\b)")).expect("valid regex")
});
/// [`COMMITTEE`] as written, for a text where `(?i)` could match a non-ASCII letter at
/// the start of a match (U+017F LONG S to "s", U+212A KELVIN SIGN to "k").
static COMMITTEE_UNICODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(COMMITTEE_PATTERN).expect("valid regex"));
const COMMITTEE_PATTERN: &str = r"(?i)\b(first|second|third|fourth|fifth|sixth|premi[eè]re|deuxi[eè]me|troisi[eè]me|quatri[eè]me|cinqui[eè]me|sixi[eè]me|primera|segunda|tercera|cuarta|quinta|sexta)\s+(?:committee|commission|comisi[oó]n)\b";
/// A word character, as the regex crate's Unicode `\w`.
static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\w").expect("valid regex"));

/// The first match of [`COMMITTEE`] in `text` with Unicode word boundaries on both sides:
/// what the pattern written with `\b` finds. Every match starts and ends with an ASCII
/// letter (but where `(?i)` folds a non-ASCII letter to one: then the pattern as written
/// runs), so a Unicode boundary there is an ASCII one too; an ASCII one is a Unicode one
/// unless the character beyond is a non-ASCII word character ("é").
fn committee_in(text: &str) -> Option<regex::Captures<'_>> {
    if text.contains(['\u{17F}', '\u{212A}']) {
        return COMMITTEE_UNICODE.captures(text);
    }
    let is_word = |c: Option<char>| c.is_some_and(|c| WORD.is_match(c.encode_utf8(&mut [0; 4])));
    COMMITTEE.captures_iter(text).find(|c| {
        c.get(0).is_some_and(|whole| {
            !is_word(text[..whole.start()].chars().next_back())
                && !is_word(text[whole.end()..].chars().next())
        })
    })
}

/// The meeting right after a committee's name in a masthead (", 985th MEETING",
/// ", 985e SEANCE", " 985a sesión"), with its number when the text layer holds it whole (a
/// 1959 typescript's OCR may read "9g5e SEANCE": a meeting, number illegible).
static MEETING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s,]*(?:(\d{1,4})(?:e|ème|eme|th|st|nd|rd|a)?|\S{1,8})\s+(?:meeting|s[eé]ance|sesi[oó]n)\b")
        .expect("valid regex")
});

/// Reads an English or French ordinal word ("Eightieth", "Seventy-ninth", "Eighty-first",
/// "soixante-quatrième") as a number.
#[must_use]
pub fn ordinal_value(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let units: [(&str, u32); 19] = [
        ("first", 1),
        ("second", 2),
        ("third", 3),
        ("fourth", 4),
        ("fifth", 5),
        ("sixth", 6),
        ("seventh", 7),
        ("eighth", 8),
        ("ninth", 9),
        ("tenth", 10),
        ("eleventh", 11),
        ("twelfth", 12),
        ("thirteenth", 13),
        ("fourteenth", 14),
        ("fifteenth", 15),
        ("sixteenth", 16),
        ("seventeenth", 17),
        ("eighteenth", 18),
        ("nineteenth", 19),
    ];
    let tens: [(&str, &str, u32); 8] = [
        ("twenty", "twentieth", 20),
        ("thirty", "thirtieth", 30),
        ("forty", "fortieth", 40),
        ("fifty", "fiftieth", 50),
        ("sixty", "sixtieth", 60),
        ("seventy", "seventieth", 70),
        ("eighty", "eightieth", 80),
        ("ninety", "ninetieth", 90),
    ];
    if let Some(&(_, v)) = units.iter().find(|(u, _)| *u == w) {
        return Some(v);
    }
    if let Some(&(_, _, v)) = tens.iter().find(|(_, o, _)| *o == w) {
        return Some(v);
    }
    if let Some((t, u)) = w.split_once('-')
        && let Some(tv) = tens.iter().find(|(c, _, _)| *c == t).map(|x| x.2)
        && let Some(uv) = units.iter().find(|(n, _)| *n == u).map(|x| x.1)
    {
        return Some(tv + uv);
    }
    french_ordinal(&w)
}

fn french_ordinal(w: &str) -> Option<u32> {
    let cardinal = |s: &str| -> Option<u32> {
        Some(match s {
            "un" | "une" => 1,
            "deux" => 2,
            "trois" => 3,
            "quatre" => 4,
            "cinq" => 5,
            "six" => 6,
            "sept" => 7,
            "huit" => 8,
            "neuf" => 9,
            "dix" => 10,
            "onze" => 11,
            "douze" => 12,
            "treize" => 13,
            "quatorze" => 14,
            "quinze" => 15,
            "seize" => 16,
            "vingt" | "vingts" => 20,
            "trente" => 30,
            "quarante" => 40,
            "cinquante" => 50,
            "soixante" => 60,
            _ => return None,
        })
    };
    if w == "premier" || w == "première" {
        return Some(1);
    }
    let stem = w.strip_suffix("ième")?;
    // Restore the cardinal's final letter that the suffix replaced.
    let stem = match stem {
        s if s.ends_with("quatr") || s.ends_with("onz") || s.ends_with("douz") => format!("{s}e"),
        s if s.ends_with("treiz") || s.ends_with("quatorz") || s.ends_with("quinz") => {
            format!("{s}e")
        }
        s if s.ends_with("seiz") || s.ends_with("trent") || s.ends_with("quarant") => {
            format!("{s}e")
        }
        s if s.ends_with("cinquant") || s.ends_with("soixant") => format!("{s}e"),
        s if s.ends_with("cinqu") => s[..s.len() - 1].to_string(),
        s if s.ends_with("neuv") => format!("{}f", &s[..s.len() - 1]),
        s if s.ends_with("un") => s.to_string(),
        s => s.to_string(),
    };
    let mut total = 0u32;
    let parts: Vec<&str> = stem
        .split(['-', ' '])
        .filter(|p| !p.is_empty() && *p != "et")
        .collect();
    let mut i = 0;
    while i < parts.len() {
        // "quatre-vingt" = 80
        if parts[i] == "quatre" && parts.get(i + 1).is_some_and(|p| p.starts_with("vingt")) {
            total += 80;
            i += 2;
            continue;
        }
        total += cardinal(parts[i])?;
        i += 1;
    }
    (total > 0).then_some(total)
}

/// Converts a printed date ("23 April 2026", "16 novembre 2009", "3 de febrero de 2010",
/// "3 февраля 2010 года", "20 JULY 2009") to ISO 8601.
#[must_use]
pub fn parse_date(text: &str) -> Option<String> {
    let c = DATE.captures(text)?;
    let day: u32 = c[1].parse().ok()?;
    let month = match c[2].to_lowercase().as_str() {
        "january" | "janvier" | "enero" | "января" => 1,
        "february" | "février" | "fevrier" | "febrero" | "февраля" => 2,
        "march" | "mars" | "marzo" | "марта" => 3,
        "april" | "avril" | "abril" | "апреля" => 4,
        "may" | "mai" | "mayo" | "мая" => 5,
        "june" | "juin" | "junio" | "июня" => 6,
        "july" | "juillet" | "julio" | "июля" => 7,
        "august" | "août" | "aout" | "agosto" | "августа" => 8,
        "september" | "septembre" | "septiembre" | "setiembre" | "сентября" => 9,
        "october" | "octobre" | "octubre" | "октября" => 10,
        "november" | "novembre" | "noviembre" | "ноября" => 11,
        _ => 12,
    };
    let year: u32 = c[3].parse().ok()?;
    (1..=31)
        .contains(&day)
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn symbols_in(text: &str) -> Option<(Vec<DocumentSymbol>, bool)> {
    for c in SYMBOL.captures_iter(text) {
        let raw = c[1].replace('–', "-");
        let raw = raw.trim_end_matches(['.', ',', ';']);
        if let Ok(symbols) = parse_joint(raw) {
            return Some((symbols, !c[2].is_empty()));
        }
    }
    None
}

fn doc_type(symbols: &[DocumentSymbol], head: &str, author_kind: Option<&str>) -> DocType {
    // A corrigendum or addendum has its parent's type ("A/HRC/WG.6/7/SVN/2/Corr.1").
    let parent = symbols.first().and_then(DocumentSymbol::parent);
    let first = parent
        .as_ref()
        .or(symbols.first())
        .map_or("", DocumentSymbol::as_str);
    // Masthead lines break anywhere ("Report of the Working Group on" / "the Universal
    // Periodic Review"): match on the words, not the line breaks.
    let lower = crate::text::collapse_whitespace(head).to_lowercase();
    if first.contains("/RES/") || lower.contains("resolution adopted by") {
        DocType::Resolution
    } else if first.contains("/DEC/") || lower.contains("decision adopted by") {
        DocType::Decision
    } else if first.contains("/PV.") || first.contains("PV.") && first.starts_with("S/") {
        DocType::VerbatimRecord
    } else if first.contains("/SR.") {
        DocType::SummaryRecord
    } else if first.contains("/WG.6/") && first.ends_with("/1") {
        DocType::NationalReport
    } else if first.contains("/WG.6/") && first.ends_with("/2") {
        DocType::Compilation
    } else if first.contains("/WG.6/") && first.ends_with("/3") {
        DocType::StakeholdersSummary
    } else if lower.contains("working group on the universal periodic review") {
        DocType::UprWorkingGroupReport
    } else if LETTER_TITLE.is_match(head) || lower.contains("letter dated") {
        DocType::Letter
    } else {
        match author_kind {
            Some("Report") => DocType::Report,
            Some("Note") => DocType::Note,
            Some("Letter") => DocType::Letter,
            _ => DocType::Other,
        }
    }
}

/// Reads metadata from the masthead blocks (or, when the reader marked none, the first
/// blocks of page 1). Fills symbols, reissue mark, parent symbol, job number, title, date,
/// bodies, author, doc type, sessions, SC year and agenda items; leaves id, language, pages,
/// source, hash and format to the caller.
#[must_use]
pub fn read_meta(doc: &BlockDocument) -> DocumentMeta {
    read_meta_of(doc, "")
}

/// [`read_meta`], with the file's name: a committee meeting's record whose masthead prints no
/// legible symbol takes it from an ODS file name that agrees (see `symbol_from_file_name`).
#[must_use]
pub fn read_meta_of(doc: &BlockDocument, source_file: &str) -> DocumentMeta {
    let head = Head::new(doc);
    let mut meta = DocumentMeta::default();
    read_symbols(&mut meta, &head);
    let committee_record = read_committee_record(&mut meta, doc, &head, source_file);
    meta.job_number = job_number(doc, &head.lines);
    meta.date = head.lines.iter().find_map(|l| parse_date(l));
    meta.bodies = bodies(&meta.symbols, &head.lines);
    if committee_record {
        // The date and the organ stand in the masthead's right column ("Vendredi 4 décembre
        // 1959"), which a two-column typescript reads after the first paragraphs.
        if meta.date.is_none() {
            meta.date = page_one_text(doc).lines().find_map(parse_date);
        }
        if meta.bodies.is_empty() {
            meta.bodies.push("General Assembly".to_string());
        }
    }
    read_sessions(&mut meta, &head.joined);
    read_sessions_from_symbols(&mut meta);
    meta.agenda_items = agenda_items(&head.joined);
    let mut author_kind = read_author_and_title(&mut meta, &head.lines);
    if meta.title.is_none() {
        author_kind = author_kind.or(read_native_title(&mut meta, &head.lines));
    }
    let kind = if committee_record {
        DocType::SummaryRecord
    } else {
        doc_type(&meta.symbols, &head.joined, author_kind.as_deref())
    };
    meta.doc_type = Some(kind.as_str().to_string());
    if lacks_un_marks(&meta) {
        mark_non_un(&mut meta, doc);
    }
    meta
}

/// The lines of a document that metadata is read from.
struct Head<'a> {
    /// The blocks the reader marked as masthead.
    masthead: Vec<&'a str>,
    /// The masthead blocks, and the first blocks of page 1 when fewer than four are marked
    /// (the reader marked the masthead only in part: older layouts).
    lines: Vec<&'a str>,
    /// `lines` joined by newlines.
    joined: String,
}

impl<'a> Head<'a> {
    fn new(doc: &'a BlockDocument) -> Head<'a> {
        let masthead: Vec<&str> = doc
            .blocks
            .iter()
            .filter(|b| b.role == BlockRole::Masthead)
            .map(|b| b.text.as_str())
            .collect();
        let mut lines = masthead.clone();
        if masthead.len() < 4 {
            let first_page = doc
                .blocks
                .iter()
                .filter(|b| {
                    b.page == 1 && !matches!(b.role, BlockRole::Footnote | BlockRole::Masthead)
                })
                .take(30)
                .map(|b| b.text.as_str());
            lines.extend(first_page);
        }
        let joined = lines.join("\n");
        Head {
            masthead,
            lines,
            joined,
        }
    }

    /// True for a line that may print the document's own symbol: a masthead line or,
    /// without a marked masthead, a line that starts with the symbol (or with "United
    /// Nations" before it), not a citation.
    fn symbol_line(&self, l: &str) -> bool {
        self.masthead.contains(&l)
            || l.starts_with("United Nations")
            || l.starts_with("Nations Unies")
            || SYMBOL.find(l).is_some_and(|m| m.start() == 0)
    }
}

/// The committee and meeting of the record of a meeting of a Main Committee of the General
/// Assembly, from its masthead: the committee's number (1–6) and the meeting number when it
/// is legible. Such a record (a summary record) prints its symbol `A/C.<n>/SR.<meeting>` at
/// the foot of the page or not at all in older typescripts; its masthead names the committee
/// and the meeting ("QUATRIEME COMMISSION, 985e SEANCE"), and the symbols its first page
/// shows are those of the documents it discusses.
fn committee_meeting(head: &str) -> Option<(u8, Option<u32>)> {
    let committee = committee_in(head)?;
    let word = committee[1].to_lowercase();
    let n = ["first", "second", "third", "fourth", "fifth", "sixth"]
        .iter()
        .position(|w| *w == word)
        .or_else(|| {
            ["premi", "deuxi", "troisi", "quatri", "cinqui", "sixi"]
                .iter()
                .position(|w| word.starts_with(w))
        })
        .or_else(|| {
            ["primera", "segunda", "tercera", "cuarta", "quinta", "sexta"]
                .iter()
                .position(|w| *w == word)
        })?;
    let after = head.get(committee.get(0)?.end()..)?;
    let meeting = MEETING.captures(after)?;
    let number = meeting.get(1).and_then(|m| m.as_str().parse().ok());
    Some((u8::try_from(n + 1).ok()?, number))
}

/// The symbol of a committee meeting's record (see [`committee_meeting`]) when the masthead
/// names a committee and a meeting but no symbol of that committee: `A/C.<n>/SR.<meeting>`
/// when the meeting number is legible; otherwise no symbol (the symbols the first page shows
/// are the documents discussed, never the record's own), to be taken from the file name by
/// [`symbol_from_file_name`] when it agrees.
fn read_committee_record(
    meta: &mut DocumentMeta,
    doc: &BlockDocument,
    head: &Head,
    source_file: &str,
) -> bool {
    // Two-column typescripts put the masthead's right column after the first paragraphs:
    // the committee and meeting are read from the whole of page 1.
    let page_one = page_one_text(doc);
    let Some((committee, meeting)) = committee_meeting(&page_one) else {
        return false;
    };
    let own = format!("A/C.{committee}/");
    // A symbol printed at the start of a masthead line is the document's own.
    let printed = meta.symbols.first().is_some_and(|s| {
        head.lines
            .iter()
            .any(|l| l.trim_start().starts_with(s.as_str()))
    });
    if printed || meta.symbols.iter().any(|s| s.as_str().starts_with(&own)) {
        return meta.symbols.iter().any(|s| s.as_str().contains("/SR."));
    }
    meta.symbols = meeting
        .and_then(|m| format!("{own}SR.{m}").parse::<DocumentSymbol>().ok())
        .or_else(|| symbol_from_file_name(committee, source_file))
        .into_iter()
        .collect();
    meta.parent_symbol = None;
    meta.reissued = false;
    true
}

/// The text of every block of page 1, one block a line.
fn page_one_text(doc: &BlockDocument) -> String {
    doc.blocks
        .iter()
        .filter(|b| b.page == 1)
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The symbol an ODS file name gives (`A_C.4_SR.985-FR.pdf` → A/C.4/SR.985: slashes written
/// as underscores, then the language after a hyphen), when it is a summary record of
/// `committee`'s meetings; `None` for any other name.
fn symbol_from_file_name(committee: u8, source_file: &str) -> Option<DocumentSymbol> {
    let name = std::path::Path::new(source_file).file_stem()?.to_str()?;
    let stem = match name.rsplit_once('-') {
        Some((s, lang)) if lang.len() == 2 && lang.chars().all(|c| c.is_ascii_alphabetic()) => s,
        _ => name,
    };
    let symbol: DocumentSymbol = stem.replace('_', "/").parse().ok()?;
    symbol
        .as_str()
        .starts_with(&format!("A/C.{committee}/SR."))
        .then_some(symbol)
}

/// The document's symbols (joint symbols split), its parent symbol and reissue mark.
fn read_symbols(meta: &mut DocumentMeta, head: &Head) {
    if let Some((symbols, reissued)) = head
        .lines
        .iter()
        .filter(|l| head.symbol_line(l))
        .find_map(|l| symbols_in(l))
    {
        meta.reissued = reissued;
        meta.parent_symbol = symbols.first().and_then(DocumentSymbol::parent);
        meta.symbols = symbols;
    }
    if head.joined.contains("Reissued for technical reasons")
        || head.joined.contains("Nouveau tirage")
    {
        meta.reissued = true;
    }
}

/// The job number ("25-06341", "GE.09-14583"), from the masthead or the page furniture.
fn job_number(doc: &BlockDocument, head: &[&str]) -> Option<String> {
    let furniture = doc
        .blocks
        .iter()
        .filter(|b| b.role == BlockRole::Furniture)
        .map(|b| b.text.as_str());
    head.iter()
        .copied()
        .chain(furniture)
        .find_map(|t| JOB.captures(t).map(|c| c[1].to_string()))
}

/// The organs: from the symbols first, then from the masthead lines, each once.
fn bodies(symbols: &[DocumentSymbol], head: &[&str]) -> Vec<String> {
    let mut bodies: Vec<String> = Vec::new();
    for s in symbols {
        if let Some(o) = s.organ() {
            bodies.push(o.to_string());
        }
    }
    for organ in [
        "General Assembly",
        "Security Council",
        "Human Rights Council",
        "Economic and Social Council",
    ] {
        if head.iter().any(|l| l.contains(organ) && l.len() < 120) {
            bodies.push(organ.to_string());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    bodies.retain(|b| seen.insert(b.clone()));
    bodies
}

/// The GA and HRC sessions ("Eightieth session") and the Security Council year
/// ("Eighty-first year") printed in the masthead.
fn read_sessions(meta: &mut DocumentMeta, joined: &str) {
    for c in SESSION.captures_iter(joined) {
        let Some(n) = ordinal_value(&c[2]) else {
            continue;
        };
        let organ = c[1].to_lowercase();
        if organ.contains("human") || organ.contains("droits") {
            meta.hrc_session.get_or_insert(n);
        } else {
            meta.ga_session.get_or_insert(n);
        }
    }
    if let Some(n) = SC_YEAR.captures(joined).and_then(|c| ordinal_value(&c[1])) {
        meta.sc_year = Some(1945 + n);
    }
}

/// Sessions and year carried by the symbols: A/80/434, A/HRC/28/12, A/RES/79/1 give a session
/// the masthead did not; S/2025/248, S/RES/2803 (2025) give the Security Council year.
fn read_sessions_from_symbols(meta: &mut DocumentMeta) {
    for s in &meta.symbols {
        let parts: Vec<&str> = s.as_str().split('/').collect();
        let number = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
        match parts.first().copied() {
            Some("A") if parts.get(1) == Some(&"HRC") && meta.hrc_session.is_none() => {
                meta.hrc_session = number(2);
            }
            Some("A") if parts.get(1) == Some(&"RES") && meta.ga_session.is_none() => {
                meta.ga_session = number(2);
            }
            Some("A")
                if parts.get(1) != Some(&"HRC")
                    && parts.get(1) != Some(&"RES")
                    && meta.ga_session.is_none() =>
            {
                meta.ga_session = number(1);
            }
            Some("S") => {
                let year = number(1).filter(|y| *y > 1945).or_else(|| {
                    let s = s.as_str();
                    let open = s.rfind('(')?;
                    s[open + 1..].trim_end_matches(')').parse().ok()
                });
                if year.is_some() {
                    meta.sc_year = year;
                }
            }
            _ => {}
        }
    }
}

/// The agenda items of "Agenda items 13, 117 and 131" ("68 (b)" kept with its letter).
fn agenda_items(joined: &str) -> Vec<String> {
    let Some(c) = AGENDA.captures(joined) else {
        return Vec::new();
    };
    AGENDA_ITEM
        .find_iter(&c[1])
        .map(|m| crate::text::collapse_whitespace(m.as_str()))
        .collect()
}

/// Reads the author and the title on masthead lines rejoined where a line ends mid-phrase:
/// from the author line ("Report of the Secretary-General") and the line next to it, else a
/// letter's or resolution's title line. Returns the kind of the author line ("Report",
/// "Note", …), if there is one.
fn read_author_and_title(meta: &mut DocumentMeta, head: &[&str]) -> Option<String> {
    let merged = rejoin_broken_lines(head);
    let head: Vec<&str> = merged.iter().map(String::as_str).collect();
    let mut author_kind = None;
    if let Some(i) = head.iter().position(|l| AUTHOR_LINE.is_match(l))
        && let Some(c) = AUTHOR_LINE.captures(head[i])
    {
        author_kind = c.get(1).map(|m| m.as_str().to_string());
        read_author_line(meta, &head, i, c[2].trim());
    }
    if meta.title.is_none() {
        meta.title = head
            .iter()
            .find(|l| LETTER_TITLE.is_match(l))
            .or_else(|| head.iter().find(|l| RESOLUTION_TITLE.is_match(l)))
            .map(|t| clean_title(t));
    }
    author_kind
}

/// The author `who` named on line `i` of `head`, and the title: the line before the author
/// line (older reports put it after), the State after a UPR working group's report, or the
/// author line itself when it is "Report of the Secretary-General on …".
fn read_author_line(meta: &mut DocumentMeta, head: &[&str], i: usize, who: &str) {
    // "Report of the Secretary-General on the situation concerning Western Sahara": the
    // author is the Secretary-General and the whole line is the title.
    if let Some(subject) = who.strip_prefix("Secretary-General ")
        && subject.starts_with("on ")
    {
        meta.author = Some("Secretary-General".to_string());
        meta.title = Some(clean_title(head[i]));
    } else {
        meta.author = Some(who.to_string());
    }
    if meta.title.is_some() {
        return;
    }
    let before = i
        .checked_sub(1)
        .and_then(|j| head.get(j))
        .filter(|t| is_title_like(t));
    let after = head.get(i + 1).filter(|t| is_title_like(t));
    meta.title = if who.contains("Universal Periodic Review")
        && let Some(state) = head.get(i + 1).filter(|t| t.len() < 60)
    {
        // "Report of the Working Group on the Universal Periodic Review" + "France"
        Some(format!("{}: {}", clean_title(head[i]), clean_title(state)))
    } else {
        before.or(after).map(|t| clean_title(t))
    };
}

/// An organisation other than a UN organ speaking in its own voice ("The Global Centre for
/// the Responsibility to Protect would like to highlight …"): the author of a document that
/// is not a UN document.
static SPEAKING_ORGANISATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\b[Tt]he\s+)?\b((?:[A-Z][\p{Ll}’'\-]*\s+){0,4}(?:Centre|Center|Institute|Coalition|Network|Foundation|Watch|Alliance|Initiative)(?:\s+(?:for|of|on)\s+(?:(?:the|and|to|of|for|on)\s+|[A-Z][\p{L}’'\-]*\s+)*[A-Z][\p{L}’'\-]*)?)\s+(?:would like to|highlights|presents|summari[sz]es|welcomes)\b",
    )
    .expect("valid regex")
});

/// A word broken at a line-end hyphen and joined back with a space ("Secretary- General").
static HYPHEN_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\p{L})- (\p{Lu})").expect("valid regex"));

/// True for a document that carries nothing of a UN document: no symbol, no organ, no job
/// number, no session, year or agenda item, no UN author line. UN documents issued under a
/// symbol print a symbol or a masthead; the summaries, statements and briefs that civil
/// society writes about UN reports print neither, but neither do some working papers of
/// the UN (OHCHR's advance questions to a State under review).
fn lacks_un_marks(meta: &DocumentMeta) -> bool {
    meta.symbols.is_empty()
        && meta.bodies.is_empty()
        && meta.job_number.is_none()
        && meta.ga_session.is_none()
        && meta.hrc_session.is_none()
        && meta.sc_year.is_none()
        && meta.agenda_items.is_empty()
        && meta.author.is_none()
}

/// The most words a title made from a document's first sentence keeps.
const MAX_TITLE_WORDS: usize = 16;

/// Marks a document without UN marks ([`lacks_un_marks`]) as not a UN document when its
/// text names the organisation, not a UN organ, that speaks in it ("The Global Centre for the
/// Responsibility to Protect would like to highlight …"): that organisation becomes its
/// author, its type ends in [`undex_core::NON_UN_MARK`] ("summary (non-UN)"), and it is given
/// a title from its first heading (else its first line when that is shaped like a title,
/// else the first words of its text, with "…"), so that it is never cited by file name.
/// Without such an author, nothing tells a UN working paper from another text: it is left
/// as it is.
fn mark_non_un(meta: &mut DocumentMeta, doc: &BlockDocument) {
    let text_blocks = || {
        doc.blocks
            .iter()
            .filter(|b| matches!(b.role, BlockRole::Heading | BlockRole::Body))
            .map(|b| crate::text::collapse_whitespace(&b.text))
            .filter(|t| t.chars().any(char::is_alphanumeric))
    };
    let opening: String = text_blocks().take(40).collect::<Vec<_>>().join(" ");
    let Some(author) = SPEAKING_ORGANISATION
        .captures(&opening)
        .map(|c| c[1].trim().to_string())
    else {
        return;
    };
    meta.author = Some(author);
    if meta.title.is_none() {
        let heading = doc
            .blocks
            .iter()
            .take_while(|b| b.page == 1)
            .find(|b| b.role == BlockRole::Heading && b.text.chars().any(char::is_alphabetic))
            .map(|b| crate::text::collapse_whitespace(&b.text));
        let first = text_blocks().next();
        meta.title = heading
            .or_else(|| {
                first
                    .clone()
                    .filter(|t| t.chars().count() <= 300 && !t.ends_with(['.', ';', ':', ',']))
            })
            .or_else(|| first.map(|t| first_words(&t)))
            .map(|t| {
                clean_title(
                    &HYPHEN_BREAK.replace_all(t.trim_matches(['#', '*', '_', ' ']), "$1-$2"),
                )
            });
    }
    let kind = meta
        .title
        .as_deref()
        .and_then(|t| t.split_whitespace().next())
        .map(str::to_lowercase)
        .filter(|w| {
            [
                "summary",
                "report",
                "statement",
                "briefing",
                "brief",
                "letter",
                "note",
            ]
            .contains(&w.as_str())
        })
        .unwrap_or_else(|| "document".to_string());
    meta.doc_type = Some(format!("{kind}{}", undex_core::NON_UN_MARK));
}

/// The first sentence of `text`, cut at [`MAX_TITLE_WORDS`] words with "…".
fn first_words(text: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        if out.len() == MAX_TITLE_WORDS {
            return format!("{} …", out.join(" "));
        }
        out.push(word);
        if word.ends_with(['.', '!', '?']) && word.chars().count() > 3 {
            break;
        }
    }
    out.join(" ").trim_end_matches('.').to_string()
}

/// Joins a masthead line that ends on a function word with the next line: the title block
/// "Report of the Working Group on" / "the Universal Periodic Review*" (A/HRC/27/10) is one
/// author line.
fn rejoin_broken_lines(lines: &[&str]) -> Vec<String> {
    const OPEN: [&str; 9] = [
        "on",
        "of",
        "the",
        "and",
        "for",
        "to",
        "in",
        "by",
        "concerning",
    ];
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut open = false;
    for line in lines {
        match out.last_mut() {
            Some(last) if open => {
                last.push(' ');
                last.push_str(line.trim());
            }
            _ => out.push(line.trim().to_string()),
        }
        open = out
            .last()
            .and_then(|l| l.rsplit(' ').next())
            .is_some_and(|w| OPEN.contains(&w));
    }
    out
}

fn is_title_like(text: &str) -> bool {
    let t = text.trim();
    t.len() > 8
        && t.len() < 400
        && !t.starts_with("Agenda")
        && !t.contains("Distr.")
        && !t.starts_with("Original")
        && !t.ends_with(" session")
        && !t.ends_with(" year")
        && symbols_in(t).is_none_or(|_| t.len() > 40)
}

/// The language of a masthead that is not English, from the words only a French, Spanish or
/// Russian masthead prints: the organisation's name and the distribution line ("Nations
/// Unies", "Distr. générale"; "Naciones Unidas", "Distr. general"; "Организация Объединенных
/// Наций", "Общая"), and the organs' names. A Russian masthead may print its distribution in
/// English ("Distr.: General"): the organisation's name tells it. `None` for an English
/// masthead and for lines that are no masthead.
fn masthead_language(head: &[&str]) -> Option<Language> {
    head.iter().find_map(|l| {
        let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
        if has(&[
            "Nations Unies",
            "Distr. générale",
            "Distr. limitée",
            "Assemblée générale",
            "Conseil de sécurité",
        ]) {
            Some(Language::Fr)
        } else if has(&[
            "Naciones Unidas",
            "Distr. general",
            "Distr. limitada",
            "Asamblea General",
            "Consejo de Seguridad",
        ]) {
            Some(Language::Es)
        } else if has(&[
            "Организация Объединенных Наций",
            "Общая",
            "Генеральная Ассамблея",
            "Совет Безопасности",
        ]) {
            Some(Language::Ru)
        } else {
            None
        }
    })
}

/// An author line in French, Spanish or Russian ("Rapport du Secrétaire général", "Informe
/// del Secretario General", "Доклад Генерального секретаря"): its kind and its author.
static NATIVE_AUTHOR_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?P<fr>Rapport|Note|Lettre)\s+(?:du|de la|des|de l['’])\s*|(?P<es>Informe|Nota|Carta)\s+(?:del|de la|de los)\s+|(?P<ru>Доклад|Записка|Письмо)\s+)(?P<who>\p{Lu}.{2,160}?)\s*[*∗]*$",
    )
    .expect("valid regex")
});

/// The first words of a document's title in a French, Spanish or Russian masthead.
static NATIVE_TITLE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:Rapport|Résumé|Compilation|Projet de résolution|Résolution adoptée|Lettre datée|Note verbale|Informe|Resumen|Recopilación|Proyecto de resolución|Resolución aprobada|Carta de fecha|Nota verbal|Национальный доклад|Доклад|Резюме|Подборка|Проект резолюции|Резолюция|Письмо|Вербальная нота)\b",
    )
    .expect("valid regex")
});

/// Masthead lines that are no title in French, Spanish or Russian: the session ("Septième
/// session", "Tridésimo período de sesiones", "Тридцать четвертая сессия"), the meeting's
/// place and dates, the language lines.
fn is_native_furniture(line: &str) -> bool {
    let t = line.trim();
    let lower = t.to_lowercase();
    lower.ends_with(" session")
        || lower.ends_with(" sesiones")
        || lower.ends_with(" сессия")
        || lower.starts_with("point ")
        || lower.starts_with("tema ")
        || lower.starts_with("пункт ")
        || lower.starts_with("original")
        || lower.starts_with("оригинал")
        || parse_date(t).is_some()
        || t.split_whitespace().count() < 2
}

/// The English name of an author printed in French, Spanish or Russian, for the authors
/// whose reports the tagger reads in the author's voice; `None` for another author.
fn english_author(who: &str) -> Option<&'static str> {
    let w = who.to_lowercase();
    if w.starts_with("secrétaire général")
        || w.starts_with("secretario general")
        || w.starts_with("генерального секретаря")
    {
        Some("Secretary-General")
    } else if w.contains("haut-commissariat des nations unies aux droits de l")
        || w.contains(
            "oficina del alto comisionado de las naciones unidas para los derechos humanos",
        )
        || w.contains(
            "управления верховного комиссара организации объединенных наций по правам человека",
        )
    {
        Some("Office of the United Nations High Commissioner for Human Rights")
    } else {
        None
    }
}

/// Reads the title (and a known author) of a French, Spanish or Russian masthead, as
/// [`read_author_and_title`] reads an English one: the line before an author line ("Резюме
/// материалов по Италии …" above "Доклад Управления Верховного комиссара …"), else the first
/// line that opens like a title ("Rapport national présenté conformément …"), followed by the
/// State when the next line names it alone ("Italie"), as a UPR document prints it. Returns
/// the kind of the author line in English ("Report", "Note", "Letter"), if there is one.
fn read_native_title(meta: &mut DocumentMeta, head: &[&str]) -> Option<String> {
    masthead_language(head)?;
    let lines: Vec<&str> = head.iter().map(|l| l.trim()).collect();
    let fit = |l: &str| is_title_like(l) && !is_native_furniture(l);
    let mut kind = None;
    if let Some(i) = lines.iter().position(|l| NATIVE_AUTHOR_LINE.is_match(l))
        && let Some(c) = NATIVE_AUTHOR_LINE.captures(lines[i])
    {
        // The regex's groups are named by the language of the words they match.
        let printed = [Language::Fr, Language::Es, Language::Ru]
            .iter()
            .find_map(|l| c.name(l.as_str()))
            .map_or("", |m| m.as_str());
        kind = match printed {
            "Rapport" | "Informe" | "Доклад" => Some("Report".to_string()),
            "Note" | "Nota" | "Записка" => Some("Note".to_string()),
            "Lettre" | "Carta" | "Письмо" => Some("Letter".to_string()),
            _ => None,
        };
        if meta.author.is_none() {
            meta.author = english_author(&c["who"]).map(str::to_string);
        }
        let before = i
            .checked_sub(1)
            .and_then(|j| lines.get(j))
            .filter(|l| fit(l));
        meta.title = Some(clean_title(before.unwrap_or(&lines[i])));
        return kind;
    }
    let i = lines
        .iter()
        .position(|l| NATIVE_TITLE_START.is_match(l) && fit(l))?;
    let title = clean_title(lines[i]);
    let state = lines.get(i + 1).filter(|l| {
        l.chars().count() <= 40
            && l.chars().next().is_some_and(char::is_uppercase)
            && l.chars()
                .all(|c| c.is_alphabetic() || " '’-().,".contains(c))
            && !NATIVE_AUTHOR_LINE.is_match(l)
    });
    meta.title = Some(match state {
        Some(state) => format!("{title}: {}", clean_title(state)),
        None => title,
    });
    kind
}

fn clean_title(text: &str) -> String {
    text.trim()
        .trim_end_matches(['*', '∗', '\u{204E}'])
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masthead_in_french_spanish_or_russian_says_its_language() {
        assert_eq!(
            masthead_language(&["Nations Unies", "A/79/875"]),
            Some(Language::Fr)
        );
        assert_eq!(
            masthead_language(&["Asamblea General", "Distr. general"]),
            Some(Language::Es)
        );
        assert_eq!(
            masthead_language(&["Организация Объединенных Наций", "Distr.: General"]),
            Some(Language::Ru)
        );
        assert_eq!(
            masthead_language(&["United Nations", "Distr.: General"]),
            None
        );
    }

    /// The committee read with ASCII boundaries checked for Unicode ones is what the pattern
    /// with Unicode boundaries reads.
    #[test]
    fn committee_names_match_as_with_unicode_word_boundaries() {
        let span = |c: Option<regex::Captures<'_>>| c.map(|c| c.get(0).unwrap().range());
        for text in [
            "FOURTH COMMITTEE, 985th MEETING",
            "éFourth Committee, then the Fifth Committee",
            "Fourth Committeeé and Sixth Committee",
            "Première Commission – Deuxième Commission",
            "Cuarta Comisión; Quinta Comisiónes; Sexta Comisión",
            "the ſixth Committee",
            "«Third Committee»",
            "Third  Committee",
            "no committee here",
            "",
        ] {
            assert_eq!(
                span(committee_in(text)),
                span(COMMITTEE_UNICODE.captures(text)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_committee_meeting_is_read_from_the_masthead_in_three_languages() {
        assert_eq!(
            committee_meeting("FOURTH COMMITTEE, 985th MEETING\nFriday"),
            Some((4, Some(985)))
        );
        assert_eq!(
            committee_meeting("QUATRIEME COMMISSION, 985e\nSEANCE"),
            Some((4, Some(985)))
        );
        assert_eq!(
            committee_meeting("Sexta Comisión 12a sesión"),
            Some((6, Some(12)))
        );
        // OCR garbled the number: a meeting all the same, its number unknown.
        assert_eq!(
            committee_meeting("QUATRIEME COMMISSION, 9g5e\nSEANCE"),
            Some((4, None))
        );
        // A committee named in a sentence is not a masthead ("à la 984ème séance" elsewhere).
        assert_eq!(
            committee_meeting("the Fourth Committee decided at its 984th meeting"),
            None
        );
    }

    #[test]
    fn the_file_name_gives_the_symbol_only_for_that_committees_records() {
        let sym = |c, f| symbol_from_file_name(c, f).map(|s| s.as_str().to_string());
        assert_eq!(
            sym(4, "/corpus/A_C.4_SR.985-FR.pdf").as_deref(),
            Some("A/C.4/SR.985")
        );
        assert_eq!(sym(3, "/corpus/A_C.4_SR.985-FR.pdf"), None);
        assert_eq!(sym(4, "/corpus/A_4096-FR.pdf"), None);
        assert_eq!(sym(4, "/corpus/renamed.pdf"), None);
    }

    #[test]
    fn ordinals_in_english_and_french() {
        assert_eq!(ordinal_value("Eightieth"), Some(80));
        assert_eq!(ordinal_value("Seventy-ninth"), Some(79));
        assert_eq!(ordinal_value("Eighty-first"), Some(81));
        assert_eq!(ordinal_value("Twenty-eighth"), Some(28));
        assert_eq!(ordinal_value("soixante-quatrième"), Some(64));
        assert_eq!(ordinal_value("quatre-vingtième"), Some(80));
        assert_eq!(ordinal_value("douzième"), Some(12));
        assert_eq!(ordinal_value("hello"), None);
    }

    #[test]
    fn dates_in_english_french_and_upper_case() {
        assert_eq!(parse_date("23 April 2026").as_deref(), Some("2026-04-23"));
        assert_eq!(
            parse_date("Distr. générale 16 novembre 2009").as_deref(),
            Some("2009-11-16")
        );
        assert_eq!(parse_date("20 JULY 2009").as_deref(), Some("2009-07-20"));
        assert_eq!(parse_date("no date"), None);
    }

    #[test]
    fn dates_in_spanish_and_russian() {
        // Synthetic strings, in the masthead forms of those languages.
        assert_eq!(
            parse_date("3 de febrero de 2010").as_deref(),
            Some("2010-02-03")
        );
        assert_eq!(
            parse_date("1º de julio de 2019").as_deref(),
            Some("2019-07-01")
        );
        assert_eq!(
            parse_date("3 февраля 2010 года").as_deref(),
            Some("2010-02-03")
        );
        assert_eq!(
            parse_date("14 ноября 2019 г.").as_deref(),
            Some("2019-11-14")
        );
        assert_eq!(parse_date("3 Février 2010").as_deref(), Some("2010-02-03"));
    }

    #[test]
    fn a_synthetic_spanish_upr_masthead() {
        // Synthetic: the lines of a Spanish national report's masthead, written for this test.
        let doc = masthead(&[
            "Naciones Unidas A/HRC/WG.6/7/CHL/1",
            "Asamblea General Distr. general",
            "3 de febrero de 2010",
            "Español",
            "Original: inglés",
            "Consejo de Derechos Humanos",
            "Grupo de Trabajo sobre el Examen Periódico Universal",
            "Séptimo período de sesiones",
            "Ginebra, 8 a 19 de febrero de 2010",
            "Informe nacional presentado con arreglo al párrafo 15 a) del anexo de la resolución 5/1 del Consejo de Derechos Humanos*",
            "Chile",
        ]);
        let meta = read_meta(&doc);
        assert_eq!(meta.symbols[0].as_str(), "A/HRC/WG.6/7/CHL/1");
        assert_eq!(meta.date.as_deref(), Some("2010-02-03"));
        assert_eq!(
            meta.title.as_deref(),
            Some(
                "Informe nacional presentado con arreglo al párrafo 15 a) del anexo de la \
                 resolución 5/1 del Consejo de Derechos Humanos: Chile"
            )
        );
        assert_eq!(meta.doc_type.as_deref(), Some("national report"));
    }

    #[test]
    fn a_synthetic_spanish_secretary_general_report_masthead() {
        // Synthetic: a Spanish report of the Secretary-General, written for this test.
        let doc = masthead(&[
            "Naciones Unidas A/80/999–S/2026/999",
            "Asamblea General Consejo de Seguridad",
            "Distr. general",
            "3 de febrero de 2026",
            "Español",
            "Original: inglés",
            "Asamblea General Consejo de Seguridad",
            "Octogésimo período de sesiones Octogésimo primer año",
            "Tema 131 del programa",
            "La responsabilidad de proteger: aplicación sostenida",
            "Informe del Secretario General",
        ]);
        let meta = read_meta(&doc);
        assert_eq!(meta.date.as_deref(), Some("2026-02-03"));
        assert_eq!(
            meta.title.as_deref(),
            Some("La responsabilidad de proteger: aplicación sostenida")
        );
        assert_eq!(meta.author.as_deref(), Some("Secretary-General"));
        assert_eq!(meta.doc_type.as_deref(), Some("report"));
    }

    #[test]
    fn an_english_masthead_takes_no_native_title() {
        let doc = masthead(&[
            "United Nations A/80/999",
            "General Assembly Distr.: General",
            "3 February 2026",
            "Original: English",
            "Eightieth session",
            "Rapport of nothing",
        ]);
        assert_eq!(read_meta(&doc).title, None);
    }

    fn masthead(lines: &[&str]) -> BlockDocument {
        use crate::blocks::Block;
        BlockDocument {
            pages: 1,
            blocks: lines
                .iter()
                .map(|l| Block::plain(1, BlockRole::Masthead, *l))
                .chain([Block::plain(1, BlockRole::Furniture, "25-06341 (E)")])
                .collect(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_report_masthead() {
        let meta = read_meta(&masthead(&[
            "United Nations A/80/434–S/2025/632*",
            "General Assembly Security Council",
            "Distr.: General 23 September 2025",
            "Eightieth session Agenda items 13 and 68 (b)",
            "Implementing the responsibility to protect",
            "Report of the Secretary-General",
        ]));
        let symbols: Vec<&str> = meta.symbols.iter().map(DocumentSymbol::as_str).collect();
        assert_eq!(symbols, ["A/80/434", "S/2025/632"]);
        assert!(meta.reissued);
        assert_eq!(meta.job_number.as_deref(), Some("25-06341"));
        assert_eq!(meta.date.as_deref(), Some("2025-09-23"));
        assert_eq!(meta.ga_session, Some(80));
        assert_eq!(meta.sc_year, Some(2025));
        assert_eq!(meta.agenda_items, ["13", "68 (b)"]);
        assert_eq!(meta.author.as_deref(), Some("Secretary-General"));
        assert_eq!(
            meta.title.as_deref(),
            Some("Implementing the responsibility to protect")
        );
        assert_eq!(meta.doc_type.as_deref(), Some("report"));
        assert!(meta.bodies.contains(&"General Assembly".to_string()));
        assert!(meta.bodies.contains(&"Security Council".to_string()));
    }

    #[test]
    fn a_secretary_general_report_on_a_subject_is_its_own_title() {
        let mut meta = DocumentMeta::default();
        let head = [
            "S/2026/1",
            "Report of the Secretary-General on the situation in Mali",
        ];
        let kind = read_author_and_title(&mut meta, &head);
        assert_eq!(kind.as_deref(), Some("Report"));
        assert_eq!(meta.author.as_deref(), Some("Secretary-General"));
        assert_eq!(
            meta.title.as_deref(),
            Some("Report of the Secretary-General on the situation in Mali")
        );
    }

    #[test]
    fn a_upr_report_title_names_the_state() {
        let mut meta = DocumentMeta::default();
        let head = [
            "Report of the Working Group on",
            "the Universal Periodic Review*",
            "Slovenia",
        ];
        read_author_and_title(&mut meta, &head);
        assert_eq!(
            meta.author.as_deref(),
            Some("Working Group on the Universal Periodic Review")
        );
        assert_eq!(
            meta.title.as_deref(),
            Some("Report of the Working Group on the Universal Periodic Review: Slovenia")
        );
    }

    #[test]
    fn sessions_from_symbols_fill_only_what_the_masthead_lacks() {
        let mut meta = DocumentMeta {
            symbols: parse_joint("A/HRC/28/12").unwrap(),
            ga_session: Some(79),
            ..DocumentMeta::default()
        };
        read_sessions_from_symbols(&mut meta);
        assert_eq!((meta.hrc_session, meta.ga_session), (Some(28), Some(79)));
        let mut meta = DocumentMeta {
            symbols: parse_joint("S/RES/2803 (2025)").unwrap(),
            ..DocumentMeta::default()
        };
        read_sessions_from_symbols(&mut meta);
        assert_eq!(meta.sc_year, Some(2025));
        assert!(agenda_items("no agenda here").is_empty());
    }
}
