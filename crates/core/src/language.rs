//! Languages: [`Language`], the typed language of a document or a query, and the ISO 639-1
//! code undex stores ("en") for the ISO 639-3 code a language detector gives ("eng").
//!
//! A language is stored and served as its ISO 639-1 code, so [`Language`] is that string in
//! JSON and in the index; in code it is a value the compiler checks, and the six official
//! languages of the United Nations are variants that code can match on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The ISO 639-1 codes of the ISO 639-3 codes undex knows: the six official UN languages
/// first, then the others documents of the corpus are written in.
const ISO639_1: [(&str, &str); 10] = [
    ("eng", "en"),
    ("fra", "fr"),
    ("spa", "es"),
    ("rus", "ru"),
    ("ara", "ar"),
    ("cmn", "zh"),
    ("deu", "de"),
    ("por", "pt"),
    ("ita", "it"),
    ("slv", "sl"),
];

/// The ISO 639-1 code ("en") of an ISO 639-3 code ("eng", as `whatlang::Lang::code` gives
/// it, lower case); `None` for a language not in the table (the six UN languages, German,
/// Portuguese, Italian and Slovenian).
#[must_use]
pub fn iso639_1(iso639_3: &str) -> Option<&'static str> {
    ISO639_1
        .iter()
        .find(|(three, _)| *three == iso639_3)
        .map(|(_, two)| *two)
}

/// The language of a document, a paragraph or a query.
///
/// The six official languages of the United Nations (General Assembly resolutions 2 (I) and
/// 3190 (XXVIII), rule 51 of its rules of procedure) are variants, in the order the UN lists
/// them (English alphabetical order of their names: Arabic, Chinese, English, French,
/// Russian, Spanish; the derived `Ord` follows it, other languages last). Any other language
/// with an ISO 639-1 code (documents in German, Italian, Portuguese or Slovenian exist) is
/// [`Language::Other`].
///
/// Written as its ISO 639-1 code, lower case ("en", "fr", "de"): by [`Language::as_str`],
/// [`fmt::Display`] and in JSON (a plain string). Read by [`Language::parse`] (any case,
/// ISO 639-1 or a known ISO 639-3 code) and by [`Language::from_code`] (the code exactly as
/// stored).
///
/// ```
/// use undex_core::language::Language;
///
/// let fr: Language = "FRA".parse().unwrap();
/// assert_eq!(fr, Language::Fr);
/// assert_eq!(fr.to_string(), "fr");
/// assert!(fr.is_official());
/// let de = Language::parse("de").unwrap();
/// assert_eq!((de.as_str(), de.name(), de.is_official()), ("de", "German", false));
/// assert_eq!(serde_json::to_string(&Language::Zh).unwrap(), r#""zh""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    /// Arabic, "ar".
    Ar,
    /// Chinese, "zh".
    Zh,
    /// English, "en".
    En,
    /// French, "fr".
    Fr,
    /// Russian, "ru".
    Ru,
    /// Spanish, "es".
    Es,
    /// A language other than the six official ones, with its ISO 639-1 code ("de").
    Other(OtherLanguage),
}

/// The ISO 639-1 code of a language that is not an official UN language ("de", "pt"): one of
/// the codes of the ISO 639-1 list, never "ar", "zh", "en", "fr", "ru" or "es" (those are
/// [`Language`]'s own variants, so that two equal languages are always equal values). Made
/// only by [`Language::parse`] and [`Language::from_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OtherLanguage(&'static str);

impl OtherLanguage {
    /// Its ISO 639-1 code, lower case ("de").
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

/// A string that names no language [`Language::parse`] knows; the message quotes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an ISO 639-1 language code")]
pub struct LanguageError(pub String);

impl Language {
    /// The six official languages of the United Nations, in the UN's order: Arabic, Chinese,
    /// English, French, Russian, Spanish.
    pub const OFFICIAL: [Language; 6] = [
        Language::Ar,
        Language::Zh,
        Language::En,
        Language::Fr,
        Language::Ru,
        Language::Es,
    ];

    /// The language of a code as people and detectors write it: an ISO 639-1 code ("fr") or
    /// the ISO 639-3 code of a language of the corpus ("fra", "eng", "cmn", "slv"; see
    /// [`iso639_1`]), in any case ("FR", "Eng"). `None` for anything else: another string,
    /// a code not in the ISO 639-1 list ("xx"), blanks around the code, "und".
    #[must_use]
    pub fn parse(code: &str) -> Option<Language> {
        let lower = code.to_ascii_lowercase();
        match lower.len() {
            2 => Language::from_code(&lower),
            3 => iso639_1(&lower).and_then(Language::from_code),
            _ => None,
        }
    }

    /// The language of an ISO 639-1 code exactly as undex stores it (two lower-case letters,
    /// "fr"), the check a stored row's language gets; `None` for anything else ("FR", "fra",
    /// "und", "").
    #[must_use]
    pub fn from_code(code: &str) -> Option<Language> {
        match code {
            "ar" => Some(Language::Ar),
            "zh" => Some(Language::Zh),
            "en" => Some(Language::En),
            "fr" => Some(Language::Fr),
            "ru" => Some(Language::Ru),
            "es" => Some(Language::Es),
            // The ISO 639-1 list, from the `isolang` crate (the ISO 639-3 code table of SIL
            // International, the registration authority).
            _ => isolang::Language::from_639_1(code)
                .and_then(|l| l.to_639_1())
                .map(|known| Language::Other(OtherLanguage(known))),
        }
    }

    /// Its ISO 639-1 code, lower case ("en"): what is stored, served and shown.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Language::Ar => "ar",
            Language::Zh => "zh",
            Language::En => "en",
            Language::Fr => "fr",
            Language::Ru => "ru",
            Language::Es => "es",
            Language::Other(other) => other.as_str(),
        }
    }

    /// True for the six official languages of the United Nations ([`Language::OFFICIAL`]).
    #[must_use]
    pub const fn is_official(self) -> bool {
        !matches!(self, Language::Other(_))
    }

    /// Its name in English ("French", "German", "Slovenian"), from the ISO 639-3 code table
    /// (the `isolang` crate) for a language other than the six.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Language::Ar => "Arabic",
            Language::Zh => "Chinese",
            Language::En => "English",
            Language::Fr => "French",
            Language::Ru => "Russian",
            Language::Es => "Spanish",
            Language::Other(other) => isolang::Language::from_639_1(other.as_str())
                .map_or(other.as_str(), |l| l.to_name()),
        }
    }
}

impl fmt::Display for Language {
    /// The ISO 639-1 code ("fr").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Language {
    type Err = LanguageError;

    /// As [`Language::parse`].
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Language::parse(code).ok_or_else(|| LanguageError(code.to_string()))
    }
}

impl Serialize for Language {
    /// The ISO 639-1 code as a JSON string (`"fr"`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Language {
    /// A string read as [`Language::parse`] reads it; an error naming the string otherwise.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_letter_codes_map_to_two() {
        assert_eq!(iso639_1("eng"), Some("en"));
        assert_eq!(iso639_1("cmn"), Some("zh"));
        assert_eq!(iso639_1("slv"), Some("sl"));
        assert_eq!(iso639_1("nld"), None);
    }

    #[test]
    fn codes_parse_in_any_case_and_in_both_lengths() {
        assert_eq!(Language::parse("en"), Some(Language::En));
        assert_eq!(Language::parse("EN"), Some(Language::En));
        assert_eq!(Language::parse("eng"), Some(Language::En));
        assert_eq!(Language::parse("Fra"), Some(Language::Fr));
        assert_eq!(Language::parse("ara"), Some(Language::Ar));
        assert_eq!(Language::parse("cmn"), Some(Language::Zh));
        assert_eq!(Language::parse("rus"), Some(Language::Ru));
        assert_eq!(Language::parse("spa"), Some(Language::Es));
        let slovenian = Language::parse("slv").unwrap();
        assert_eq!(Some(slovenian), Language::parse("sl"));
        assert_eq!(slovenian.as_str(), "sl");
        for not_a_language in ["", "und", "xx", "e", "english", " en", "é", "nld"] {
            assert_eq!(Language::parse(not_a_language), None, "{not_a_language:?}");
        }
        let err = "xx".parse::<Language>().unwrap_err();
        assert_eq!(err.to_string(), r#""xx" is not an ISO 639-1 language code"#);
    }

    #[test]
    fn a_stored_code_is_read_exactly() {
        assert_eq!(Language::from_code("fr"), Some(Language::Fr));
        assert_eq!(Language::from_code("de").map(Language::as_str), Some("de"));
        for not_stored in ["FR", "fra", "und", "", "xx"] {
            assert_eq!(Language::from_code(not_stored), None, "{not_stored:?}");
        }
    }

    #[test]
    fn every_two_letter_code_of_the_list_reads_back_as_itself() {
        let mut known = 0;
        for a in b'a'..=b'z' {
            for b in b'a'..=b'z' {
                let code = String::from_utf8(vec![a, b]).unwrap();
                let Some(language) = Language::from_code(&code) else {
                    continue;
                };
                known += 1;
                assert_eq!(language.as_str(), code);
                assert_eq!(language.to_string(), code);
                assert_eq!(
                    language.is_official(),
                    ["ar", "zh", "en", "fr", "ru", "es"].contains(&code.as_str())
                );
            }
        }
        // The ISO 639-1 list has 183 or 184 codes, depending on the edition.
        assert!((180..=190).contains(&known), "{known} codes");
    }

    #[test]
    fn the_official_languages_in_the_un_order_with_their_names() {
        let names: Vec<(&str, &str)> = Language::OFFICIAL
            .iter()
            .map(|l| (l.as_str(), l.name()))
            .collect();
        assert_eq!(
            names,
            [
                ("ar", "Arabic"),
                ("zh", "Chinese"),
                ("en", "English"),
                ("fr", "French"),
                ("ru", "Russian"),
                ("es", "Spanish"),
            ]
        );
        assert!(Language::OFFICIAL.iter().all(|l| l.is_official()));
        assert!(Language::OFFICIAL.windows(2).all(|w| w[0] < w[1]));
        let german = Language::parse("deu").unwrap();
        assert!(!german.is_official() && german > Language::Es);
        assert_eq!(german.name(), "German");
        assert_eq!(Language::parse("pt").unwrap().name(), "Portuguese");
        assert_eq!(Language::parse("ita").unwrap().name(), "Italian");
        assert_eq!(Language::parse("sl").unwrap().name(), "Slovenian");
        assert_eq!(Language::parse("nl").unwrap().name(), "Dutch");
    }

    #[test]
    fn a_language_is_its_code_in_json() {
        for code in ["ar", "zh", "en", "fr", "ru", "es", "de", "pt", "it", "sl"] {
            let language = Language::from_code(code).unwrap();
            let json = serde_json::to_string(&language).unwrap();
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<Language>(&json).unwrap(), language);
        }
        // Read as parse reads; written back as stored.
        let read: Vec<Language> = serde_json::from_str(r#"["FR", "eng", "slv"]"#).unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), r#"["fr","en","sl"]"#);
        let err = serde_json::from_str::<Language>(r#""und""#).unwrap_err();
        assert!(
            err.to_string()
                .contains(r#""und" is not an ISO 639-1 language code"#)
        );
        assert!(serde_json::from_str::<Language>("12").is_err());
    }
}
