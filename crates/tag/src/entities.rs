//! Named entities of a paragraph: atrocity crimes named, countries mentioned, UN documents
//! cited (the tags that the search engine later counts as facets; this module only finds them).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;
use undex_core::{CitedDocument, Evidence, Footnote, LabelTag, RuleId, parse_joint};

use crate::error::TagError;
use crate::lexicon::{
    COUNTRIES_TOML, CRIMES_TOML, RawNeutral, compile, compile_neutral, neutral_spans, overlaps_any,
};
use crate::pattern::{LEXICON_DFA_CACHE_BYTES, Re};
use crate::prefilter::Window;
use crate::scan::Hits;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrimes {
    neutral: Vec<RawNeutral>,
    crime: Vec<RawCrime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCrime {
    value: String,
    pattern: String,
}

struct Crimes {
    neutral: Vec<crate::lexicon::Neutral>,
    crimes: Vec<(String, Re)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountries {
    countries: BTreeMap<String, Vec<String>>,
}

struct Countries {
    /// One alternation of every name, longest first; the capture index maps to `codes`.
    re: Re,
    /// Name → ISO code.
    by_name: BTreeMap<String, String>,
    /// ISO code → UN short name (the first name listed).
    short: BTreeMap<String, String>,
}

fn parse_crimes(src: &str) -> Result<Crimes, TagError> {
    let raw: RawCrimes = toml::from_str(src).map_err(|source| TagError::Toml {
        file: "crimes.toml",
        source,
    })?;
    Ok(Crimes {
        neutral: compile_neutral("crimes.toml", &raw.neutral)?,
        crimes: raw
            .crime
            .iter()
            .map(|c| {
                Ok((
                    c.value.clone(),
                    compile("crimes.toml", &c.value, &c.pattern)?,
                ))
            })
            .collect::<Result<_, TagError>>()?,
    })
}

fn parse_countries(src: &str) -> Result<Countries, TagError> {
    let raw: RawCountries = toml::from_str(src).map_err(|source| TagError::Toml {
        file: "countries.toml",
        source,
    })?;
    let mut by_name = BTreeMap::new();
    let mut short = BTreeMap::new();
    for (code, names) in &raw.countries {
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(TagError::Data {
                file: "countries.toml",
                message: format!("{code}: not an ISO 3166-1 alpha-3 code"),
            });
        }
        if let Some(first) = names.first() {
            short.insert(code.clone(), first.clone());
        }
        for n in names {
            if !NAME_START.is_match(n) {
                return Err(TagError::Data {
                    file: "countries.toml",
                    message: format!("{n:?}: a country name must start with a letter or digit"),
                });
            }
            by_name.insert(n.clone(), code.clone());
        }
    }
    let mut names: Vec<&String> = by_name.keys().collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let alternation = names
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|");
    // Whole words; "the" before "Sudan", "Gambia" etc. is outside the name.
    let re = Re::with_cache(
        "countries.toml",
        "countries",
        &format!(r"(?:^|[^\p{{L}}\p{{N}}])(?P<n>{alternation})(?:$|[^\p{{L}}\p{{N}}])"),
        false,
        LEXICON_DFA_CACHE_BYTES,
    )?;
    Ok(Countries { re, by_name, short })
}

static CRIMES: LazyLock<Crimes> = LazyLock::new(|| {
    parse_crimes(CRIMES_TOML).expect("embedded data/crimes.toml is valid (checked by tests)")
});

static COUNTRIES: LazyLock<Countries> = LazyLock::new(|| {
    parse_countries(COUNTRIES_TOML)
        .expect("embedded data/countries.toml is valid (checked by tests)")
});

/// The crime lexicon's neutral patterns, then its crimes: the order of the crimes family
/// in a [`Scan`](crate::scan::Scan).
pub(crate) fn crime_patterns() -> impl Iterator<Item = &'static Re> {
    CRIMES
        .neutral
        .iter()
        .map(|n| &n.re)
        .chain(CRIMES.crimes.iter().map(|(_, re)| re))
}

/// The country-name pattern (the countries family of a [`Scan`](crate::scan::Scan)).
pub(crate) fn country_pattern() -> &'static Re {
    &COUNTRIES.re
}

/// Atrocity crimes named in `text` (genocide, war crimes, crimes against humanity, ethnic
/// cleansing), sorted by value, with evidence. `hits`: the scan of `text` for crimes.
pub(crate) fn crimes(text: &str, hits: Hits<'_>) -> Vec<LabelTag> {
    let neutral = neutral_spans(&CRIMES.neutral, text, hits);
    let offset = CRIMES.neutral.len();
    let mut out: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
    for (i, (value, re)) in CRIMES.crimes.iter().enumerate() {
        let Some(window) = hits.window(offset + i) else {
            continue;
        };
        for m in re.find_in(text, hits.kind(), window) {
            if overlaps_any(&neutral, m.start(), m.end()) {
                continue;
            }
            out.entry(value.clone()).or_default().push(Evidence {
                start: m.start(),
                end: m.end(),
                text: m.as_str().to_string(),
                rule: RuleId::new(format!("crime.lexicon:{value}")),
                confidence: 0.95,
            });
        }
    }
    out.into_iter()
        .map(|(value, evidence)| LabelTag { value, evidence })
        .collect()
}

/// Country mentions in `text`: (ISO code, start, end), in text order. Longest names win, so
/// "South Sudan" is not also "Sudan".
pub(crate) fn countries_in(text: &str) -> Vec<(String, usize, usize)> {
    countries_within(text, Window::ALL)
}

/// [`countries_in`], searching only the `window` where mentions can start.
///
/// The name is read off the match without captures (a capture search of the alternation of
/// every name cost more than the rest of the country tagging): the match is the name with at
/// most one boundary character on either side, and no name starts with one.
fn countries_within(text: &str, window: Window) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut at = window.first;
    while at <= text.len() && at <= window.last {
        // The pattern has no word-boundary assertion: no twin to pick.
        let Some(m) = COUNTRIES.re.unicode().find_at(text, at) else {
            break;
        };
        let Some((start, end)) = name_in_match(text, m.start(), m.end()) else {
            break;
        };
        let name = &text[start..end];
        // "Lake Chad basin" is a region, not the State.
        let lake = text[..start].ends_with("Lake ");
        if !lake && let Some(code) = COUNTRIES.by_name.get(name) {
            out.push((code.clone(), start, end));
        }
        at = end;
    }
    out
}

/// The name's span in a match `start..end` of the country pattern, `(?:^|[^\p{L}\p{N}])name
/// (?:$|[^\p{L}\p{N}])`, without the boundary characters around it:
/// - before: a match that does not start the text starts with its boundary character; one
///   that does, only when its first character is not a letter or digit (no name starts with
///   one: checked when the names are read);
/// - after: a match that does not end the text ends with its boundary character; one that
///   does ends with the name itself when the rest is a name ("Bolivia (Plurinational State
///   of)": the pattern tries `$` first and the longer name first).
fn name_in_match(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let matched = text.get(start..end)?;
    let first = matched.chars().next()?;
    let start = if start > 0 || !NAME_START.is_match(matched) {
        start + first.len_utf8()
    } else {
        start
    };
    if end == text.len() && COUNTRIES.by_name.contains_key(text.get(start..end)?) {
        return Some((start, end));
    }
    let last = matched.chars().next_back()?;
    let end = end - last.len_utf8();
    (start < end).then_some((start, end))
}

/// A letter or digit at the start: what every country name starts with.
static NAME_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\A[\p{L}\p{N}]").expect("valid name-start regex"));

/// The UN short name of an ISO 3166-1 alpha-3 code, as `data/countries.toml` gives it first
/// ("SDN" → "Sudan", "PSE" → "State of Palestine"); `None` for a code the table lacks.
#[must_use]
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES.short.get(code).map(String::as_str)
}

/// Countries mentioned in `text`, sorted by ISO code, with evidence. `hits`: the scan of
/// `text` for countries.
pub(crate) fn countries(text: &str, hits: Hits<'_>) -> Vec<LabelTag> {
    let Some(window) = hits.window(0) else {
        return Vec::new();
    };
    let mut out: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
    for (code, s, e) in countries_within(text, window) {
        out.entry(code.clone()).or_default().push(Evidence {
            start: s,
            end: e,
            text: text[s..e].to_string(),
            rule: RuleId::new(format!("country.lexicon:{code}")),
            confidence: 0.9,
        });
    }
    out.into_iter()
        .map(|(value, evidence)| LabelTag { value, evidence })
        .collect()
}

/// A symbol as printed in running text or a footnote, optionally joint, with an optional
/// paragraph pinpoint (UN Editorial Manual: "A/79/875-S/2025/248, paras. 46–53").
static SYMBOL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<sym>(?:A|S|E|ST|CCPR|CERD|CEDAW|CAT|CRC|CRPD|CED|CMW|UNEP|TD|DP)
            (?:/[A-Za-z0-9][A-Za-z0-9.\-]*)+
            (?:\ ?\(\d{4}\))?
            (?:-(?:A|S|E)/[A-Za-z0-9][A-Za-z0-9.\-]*(?:/[A-Za-z0-9][A-Za-z0-9.\-]*)*)?)
        (?:,?\s+(?:paras?\.|paragraphs?)\s+(?P<pin>\d+(?:\s*(?:[-–—]|to|and)\s*\d+)?))?",
    )
    .expect("valid symbol regex")
});

/// "General Assembly resolution 60/1", "Security Council resolutions 1674 (2006) and 1894
/// (2009)", "Human Rights Council resolution 51/23".
static RESOLUTION_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<organ>General Assembly|Security Council|Human Rights Council) resolutions? (?P<list>\[?(?:\d+/\d+|\d{3,4} \(\d{4}\))\]?(?:\(#\))?(?:(?:,| and|, and) \[?(?:\d+/\d+|\d{3,4} \(\d{4}\))\]?(?:\(#\))?)*)",
    )
    .expect("valid resolution regex")
});

static RESOLUTION_NUMBER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d+/\d+|\d{3,4} \(\d{4}\)").expect("valid resolution number regex")
});

fn cited_in(text: &str, footnote: Option<u32>, out: &mut BTreeSet<CitedDocument>) {
    // Every symbol holds a "/" and every resolution reference " resolution": a text without
    // them cites nothing, and most paragraphs are such texts.
    let symbols = text.contains('/').then(|| SYMBOL_RE.captures_iter(text));
    for c in symbols.into_iter().flatten() {
        let Some(sym) = c.name("sym") else { continue };
        let raw = sym.as_str().trim_end_matches(['.', '-', ',']);
        let Ok(symbols) = parse_joint(raw) else {
            continue;
        };
        let Some(first) = symbols.first() else {
            continue;
        };
        let pinpoint = c.name("pin").map(|p| {
            p.as_str()
                .split_whitespace()
                .collect::<String>()
                .replace(['–', '—'], "-")
                .replace("to", "-")
                .replace("and", ",")
        });
        out.insert(CitedDocument {
            symbol: first.to_string(),
            pinpoint,
            footnote,
        });
    }
    let resolutions = text
        .contains(" resolution")
        .then(|| RESOLUTION_RE.captures_iter(text));
    for c in resolutions.into_iter().flatten() {
        let (Some(organ), Some(list)) = (c.name("organ"), c.name("list")) else {
            continue;
        };
        for n in RESOLUTION_NUMBER_RE.find_iter(list.as_str()) {
            let symbol = match organ.as_str() {
                "General Assembly" => format!("A/RES/{}", n.as_str()),
                "Security Council" => format!("S/RES/{}", n.as_str()),
                _ => format!("A/HRC/RES/{}", n.as_str()),
            };
            if let Ok(s) = symbol.parse::<undex_core::DocumentSymbol>() {
                out.insert(CitedDocument {
                    symbol: s.to_string(),
                    pinpoint: None,
                    footnote,
                });
            }
        }
    }
}

/// UN documents cited in `text` and in its footnotes, sorted and unique.
pub(crate) fn cited(text: &str, footnotes: &[Footnote]) -> Vec<CitedDocument> {
    let mut out = BTreeSet::new();
    cited_in(text, None, &mut out);
    for f in footnotes {
        cited_in(&f.text, Some(f.marker), &mut out);
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Countries of `text`, scanned as `tag_paragraph` does.
    fn countries(text: &str) -> Vec<LabelTag> {
        let scan = crate::scan::Scan::new(text);
        super::countries(text, scan.family(crate::scan::Family::Countries))
    }

    #[test]
    fn embedded_files_parse() {
        parse_crimes(CRIMES_TOML).unwrap();
        let c = parse_countries(COUNTRIES_TOML).unwrap();
        assert!(c.short.len() >= 193, "{}", c.short.len());
    }

    #[test]
    fn un_short_names_map_to_iso_codes() {
        // 2025 report footnote 106 and UN short names from the brief.
        let t = "The Gambia v. Myanmar (2019); Sudan v. United Arab Emirates (2025); South Sudan, Türkiye, Côte d'Ivoire, the Democratic Republic of the Congo and the Syrian Arab Republic.";
        let codes: Vec<String> = countries(t).into_iter().map(|c| c.value).collect();
        assert_eq!(
            codes,
            [
                "ARE", "CIV", "COD", "GMB", "MMR", "SDN", "SSD", "SYR", "TUR"
            ]
        );
        // Variants printed in older UPR reports (A/HRC/8/29, paras. 50 and 69.8).
        let old: Vec<String> = countries(
            "That Algeria pursue the peace process (Democratic Republic of Congo). The Democratic People Republic of Korea welcomed",
        )
        .into_iter()
        .map(|c| c.value)
        .collect();
        assert_eq!(old, ["COD", "DZA", "PRK"]);
        // "Congo" inside the DRC's name is not the Republic of the Congo; "Niger" not in "Nigeria".
        assert!(countries("Nigeria").iter().all(|c| c.value == "NGA"));
    }

    /// The names read off the matches are those a capture search reads.
    #[test]
    fn country_names_without_captures_are_the_captured_names() {
        let captured = |text: &str| {
            let mut out = Vec::new();
            let mut at = 0;
            while let Some(c) = COUNTRIES.re.unicode().captures_at(text, at) {
                let n = c.name("n").unwrap();
                out.push((n.start(), n.end()));
                at = n.end();
            }
            out
        };
        let read = |text: &str| {
            let mut out = Vec::new();
            let mut at = 0;
            while let Some(m) = COUNTRIES.re.unicode().find_at(text, at) {
                let (s, e) = name_in_match(text, m.start(), m.end()).unwrap();
                out.push((s, e));
                at = e;
            }
            out
        };
        for text in [
            "Bolivia (Plurinational State of)",
            "Bolivia (Plurinational State of).",
            "in Bolivia (Plurinational State of)",
            "in Bolivia (Plurinational State of) and Chad",
            "Bolivia",
            "(Bolivia)",
            "Niger and Nigeria, Nigerian; Niger",
            "Chad,Sudan–South Sudan/Mali",
            "Mali",
            "Ñ Mali é Chad",
            "Côte d’Ivoire and Côte d'Ivoire, Türkiye",
            "the Sudan",
            "Malian troops, Chadian",
            "",
        ] {
            assert_eq!(read(text), captured(text), "{text:?}");
        }
    }

    #[test]
    fn crimes_skip_institution_names() {
        let t = "the Office on Genocide Prevention and the Responsibility to Protect addresses war crimes and ethnic cleansing";
        let scan = crate::scan::Scan::new(t);
        let v: Vec<String> = crimes(t, scan.family(crate::scan::Family::Crimes))
            .into_iter()
            .map(|c| c.value)
            .collect();
        assert_eq!(v, ["ethnic cleansing", "war crimes"]);
    }

    #[test]
    fn citations_with_pinpoints_and_resolutions() {
        // 2026 footnotes 30, 42 and 2.
        let fns = vec![
            Footnote { marker: 30, text: "A/67/929-S/2013/399, para. 15.".into() },
            Footnote { marker: 42, text: "A/79/875-S/2025/248, paras. 46–53.".into() },
            Footnote {
                marker: 2,
                text: "Security Council resolutions 1674 (2006) and 1894 (2009); General Assembly resolutions 63/308 and 75/277".into(),
            },
        ];
        let c = cited("", &fns);
        let find = |s: &str| c.iter().find(|d| d.symbol == s).cloned();
        assert_eq!(find("A/67/929").unwrap().pinpoint.as_deref(), Some("15"));
        assert_eq!(find("A/67/929").unwrap().footnote, Some(30));
        assert_eq!(find("A/79/875").unwrap().pinpoint.as_deref(), Some("46-53"));
        assert!(find("S/RES/1894 (2009)").is_some());
        assert!(find("A/RES/75/277").is_some());
    }
}
