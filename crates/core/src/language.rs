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

/// A language: of a query, of a version of a document, and (as [`TextLanguage::Known`]) of a
/// text whose language undex found.
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

/// The language of a text as undex found and stores it: the `language` of a document
/// ([`crate::DocumentMeta`]) and of each of its rows ([`crate::ParagraphRow`]).
///
/// The extractor names the language of a document's body with a detector that gives ISO
/// 639-3 codes ("fra"), so a text's language is one of three things:
/// - [`TextLanguage::Known`]: a [`Language`], written as its ISO 639-1 code ("en", "fr",
///   "de"). The detector's languages with a code in [`iso639_1`]'s table (the six official
///   languages, German, Portuguese, Italian, Slovenian) are written so; a stored row may hold
///   any other ISO 639-1 code too.
/// - [`TextLanguage::Unlisted`]: a language the detector names that the table gives no ISO
///   639-1 code, written as the detector's ISO 639-3 code ("nld" Dutch, "jpn" Japanese, "pes"
///   Persian).
/// - [`TextLanguage::Undetermined`]: no language found (too little text, or none the
///   detector knows), written "und", the ISO 639-2 code for undetermined. Also the
///   [`Default`]: a [`crate::DocumentMeta`] not yet read has no language.
///
/// Written as that code: by [`TextLanguage::as_str`], [`fmt::Display`] and in JSON (a plain
/// string), so rows keep the strings they always had. Read by [`TextLanguage::from_code`]
/// (the code exactly as written) and [`TextLanguage::parse`] (any case, and an ISO 639-3
/// code of the table read as its language: "FRA" is French); JSON is read as `parse` reads.
/// Compared with a [`Language`] directly (`row.language == Language::En`).
///
/// ```
/// use undex_core::language::{Language, TextLanguage};
///
/// let fr = TextLanguage::from_code("fr").unwrap();
/// assert_eq!(fr, Language::Fr);
/// assert_eq!(fr.language(), Some(Language::Fr));
/// let dutch = TextLanguage::from_iso639_3("nld").unwrap();
/// assert_eq!((dutch.as_str(), dutch.name(), dutch.language()), ("nld", "Dutch", None));
/// assert_eq!(TextLanguage::from_iso639_3("eng"), Some(TextLanguage::Known(Language::En)));
/// let und: TextLanguage = serde_json::from_str(r#""und""#).unwrap();
/// assert_eq!(und, TextLanguage::Undetermined);
/// assert_eq!(serde_json::to_string(&und).unwrap(), r#""und""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TextLanguage {
    /// A language with an ISO 639-1 code, written as that code ("en").
    Known(Language),
    /// A language the detector names with no ISO 639-1 code in [`iso639_1`]'s table, written
    /// as its ISO 639-3 code ("nld").
    Unlisted(UnlistedLanguage),
    /// No language found: "und".
    #[default]
    Undetermined,
}

/// The ISO 639-3 code of a language a text was found in that [`iso639_1`]'s table does not
/// list ("nld", "jpn", "pes"): a code of the ISO 639-3 list (from the `isolang` crate),
/// three lower-case letters, never one of the table's codes ("eng": that text is
/// [`TextLanguage::Known`]) nor "und" ([`TextLanguage::Undetermined`]). Made only by
/// [`TextLanguage`]'s readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnlistedLanguage(&'static str);

impl UnlistedLanguage {
    /// The language of an ISO 639-3 code exactly as written ("nld"); `None` for a code of the
    /// table, "und", or anything not in the ISO 639-3 list.
    fn from_code(code: &str) -> Option<UnlistedLanguage> {
        if code == TextLanguage::UNDETERMINED || iso639_1(code).is_some() {
            return None;
        }
        isolang::Language::from_639_3(code).map(|l| UnlistedLanguage(l.to_639_3()))
    }

    /// Its ISO 639-3 code, lower case ("nld").
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// Its name in English ("Dutch"), from the ISO 639-3 code table (the `isolang` crate).
    #[must_use]
    pub fn name(self) -> &'static str {
        isolang::Language::from_639_3(self.0).map_or(self.0, |l| l.to_name())
    }
}

impl TextLanguage {
    /// The code of [`TextLanguage::Undetermined`]: "und" (ISO 639-2).
    pub const UNDETERMINED: &'static str = "und";

    /// The language of a code exactly as undex writes it: an ISO 639-1 code ("fr", as
    /// [`Language::from_code`] reads it), the ISO 639-3 code of an unlisted language
    /// ("nld"), or "und". `None` for anything else: another case ("FR"), the ISO 639-3 code
    /// of a language of the table ("fra", written "fr"), "", "xx".
    #[must_use]
    pub fn from_code(code: &str) -> Option<TextLanguage> {
        match code.len() {
            2 => Language::from_code(code).map(TextLanguage::Known),
            _ if code == Self::UNDETERMINED => Some(TextLanguage::Undetermined),
            3 => UnlistedLanguage::from_code(code).map(TextLanguage::Unlisted),
            _ => None,
        }
    }

    /// The language of a code as people, files and detectors write it: what
    /// [`TextLanguage::from_code`] reads, in any case ("FR", "NLD", "UND"), and the ISO 639-3
    /// code of a language of the table read as that language ("fra" is French, as
    /// [`Language::parse`] reads it). `None` for anything else ("", "xx", " en").
    #[must_use]
    pub fn parse(code: &str) -> Option<TextLanguage> {
        // The code as written first: no copy for what every stored row holds.
        TextLanguage::from_code(code).or_else(|| {
            Language::parse(code)
                .map(TextLanguage::Known)
                .or_else(|| TextLanguage::from_code(&code.to_ascii_lowercase()))
        })
    }

    /// The language of a text as a detector names it, by ISO 639-3 code, lower case
    /// (`whatlang::Lang::code`: "fra", "nld"): [`TextLanguage::Known`] for a code of
    /// [`iso639_1`]'s table ("fra" is French, written "fr"), else [`TextLanguage::Unlisted`]
    /// ("nld"); "und" is [`TextLanguage::Undetermined`]. `None` for a code not in the ISO
    /// 639-3 list.
    #[must_use]
    pub fn from_iso639_3(code: &str) -> Option<TextLanguage> {
        match iso639_1(code) {
            Some(two) => Language::from_code(two).map(TextLanguage::Known),
            None if code.len() == 3 => TextLanguage::from_code(code),
            None => None,
        }
    }

    /// Its code: the ISO 639-1 code of a known language ("en"), the ISO 639-3 code of an
    /// unlisted one ("nld"), "und" when undetermined. What is stored, served and shown.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            TextLanguage::Known(language) => language.as_str(),
            TextLanguage::Unlisted(unlisted) => unlisted.as_str(),
            TextLanguage::Undetermined => Self::UNDETERMINED,
        }
    }

    /// The [`Language`] of a known language; `None` for an unlisted or undetermined one.
    #[must_use]
    pub const fn language(self) -> Option<Language> {
        match self {
            TextLanguage::Known(language) => Some(language),
            TextLanguage::Unlisted(_) | TextLanguage::Undetermined => None,
        }
    }

    /// True for the six official languages of the United Nations ([`Language::OFFICIAL`]).
    #[must_use]
    pub const fn is_official(self) -> bool {
        matches!(self, TextLanguage::Known(language) if language.is_official())
    }

    /// Its name in English ([`Language::name`]: "French", "German"; "Dutch" for "nld"):
    /// "Undetermined" for [`TextLanguage::Undetermined`] (the name the ISO 639 table gives
    /// "und").
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            TextLanguage::Known(language) => language.name(),
            TextLanguage::Unlisted(unlisted) => unlisted.name(),
            TextLanguage::Undetermined => "Undetermined",
        }
    }
}

impl fmt::Display for TextLanguage {
    /// Its code ([`TextLanguage::as_str`]: "fr", "nld", "und").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Language> for TextLanguage {
    fn from(language: Language) -> Self {
        TextLanguage::Known(language)
    }
}

impl PartialEq<Language> for TextLanguage {
    fn eq(&self, other: &Language) -> bool {
        *self == TextLanguage::Known(*other)
    }
}

impl PartialEq<TextLanguage> for Language {
    fn eq(&self, other: &TextLanguage) -> bool {
        TextLanguage::Known(*self) == *other
    }
}

impl Serialize for TextLanguage {
    /// Its code as a JSON string (`"fr"`, `"nld"`, `"und"`).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TextLanguage {
    /// A string read as [`TextLanguage::parse`] reads it (without copying it: this is read on
    /// every stored row); an error naming the string otherwise.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Code;
        impl serde::de::Visitor<'_> for Code {
            type Value = TextLanguage;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a language code (ISO 639-1, ISO 639-3 or \"und\")")
            }
            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<TextLanguage, E> {
                TextLanguage::parse(code).ok_or_else(|| {
                    E::custom(format!(
                        "{code:?} is not a language code (ISO 639-1, ISO 639-3 or \"und\")"
                    ))
                })
            }
        }
        deserializer.deserialize_str(Code)
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

    #[test]
    fn a_text_language_is_known_unlisted_or_undetermined() {
        let fr = TextLanguage::from_code("fr").unwrap();
        assert_eq!(fr, TextLanguage::Known(Language::Fr));
        assert_eq!(fr, Language::Fr);
        assert_eq!(Language::Fr, fr);
        assert_ne!(fr, Language::En);
        assert_eq!(
            (fr.language(), fr.is_official(), fr.name()),
            (Some(Language::Fr), true, "French")
        );
        let german = TextLanguage::from_code("de").unwrap();
        assert_eq!(
            (german.as_str(), german.is_official(), german.name()),
            ("de", false, "German")
        );
        let dutch = TextLanguage::from_code("nld").unwrap();
        assert!(matches!(dutch, TextLanguage::Unlisted(_)));
        assert_eq!(
            (dutch.as_str(), dutch.language(), dutch.name()),
            ("nld", None, "Dutch")
        );
        assert!(!dutch.is_official());
        let und = TextLanguage::from_code("und").unwrap();
        assert_eq!(und, TextLanguage::Undetermined);
        assert_eq!(TextLanguage::default(), und);
        assert_eq!(
            (und.as_str(), und.language(), und.name()),
            ("und", None, "Undetermined")
        );
        // Exactly as written: other cases, and the ISO 639-3 codes of the table, are not.
        for not_written in [
            "", "FR", "fra", "eng", "NLD", "UND", "xx", "xxx", " en", "english",
        ] {
            assert_eq!(
                TextLanguage::from_code(not_written),
                None,
                "{not_written:?}"
            );
        }
    }

    #[test]
    fn a_text_language_is_parsed_in_any_case_and_read_from_a_detector() {
        for (code, want) in [
            ("fr", "fr"),
            ("FR", "fr"),
            ("fra", "fr"),
            ("ENG", "en"),
            ("slv", "sl"),
            ("nld", "nld"),
            ("NLD", "nld"),
            ("UND", "und"),
            ("pes", "pes"),
        ] {
            assert_eq!(
                TextLanguage::parse(code).map(TextLanguage::as_str),
                Some(want),
                "{code}"
            );
        }
        for not_a_language in ["", "xx", "xxx", " en", "e", "english"] {
            assert_eq!(
                TextLanguage::parse(not_a_language),
                None,
                "{not_a_language:?}"
            );
        }
        assert_eq!(
            TextLanguage::from_iso639_3("fra"),
            Some(Language::Fr.into())
        );
        assert_eq!(
            TextLanguage::from_iso639_3("cmn"),
            Some(Language::Zh.into())
        );
        assert_eq!(
            TextLanguage::from_iso639_3("jpn").map(TextLanguage::as_str),
            Some("jpn")
        );
        assert_eq!(
            TextLanguage::from_iso639_3("und"),
            Some(TextLanguage::Undetermined)
        );
        for not_iso639_3 in ["fr", "xxx", "FRA", ""] {
            assert_eq!(
                TextLanguage::from_iso639_3(not_iso639_3),
                None,
                "{not_iso639_3:?}"
            );
        }
    }

    #[test]
    fn a_text_language_is_its_code_in_json() {
        for code in [
            "ar", "zh", "en", "fr", "ru", "es", "de", "pt", "it", "sl", "nl", "nld", "jpn", "pes",
            "und",
        ] {
            let language = TextLanguage::from_code(code).unwrap();
            assert_eq!(language.to_string(), code);
            let json = serde_json::to_string(&language).unwrap();
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(
                serde_json::from_str::<TextLanguage>(&json).unwrap(),
                language
            );
        }
        let read: Vec<TextLanguage> =
            serde_json::from_str(r#"["FR", "eng", "NLD", "UND"]"#).unwrap();
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"["fr","en","nld","und"]"#
        );
        for bad in [r#""""#, r#""xx""#, r#""english""#] {
            let err = serde_json::from_str::<TextLanguage>(bad).unwrap_err();
            assert!(
                err.to_string().contains("is not a language code"),
                "{bad}: {err}"
            );
        }
        assert!(serde_json::from_str::<TextLanguage>("12").is_err());
    }
}
