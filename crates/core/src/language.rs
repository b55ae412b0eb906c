//! Language codes: the ISO 639-1 code undex stores ("en") for the ISO 639-3 code a language
//! detector gives ("eng").

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
/// it); `None` for a language not in the table (the six UN languages, German, Portuguese,
/// Italian and Slovenian).
#[must_use]
pub fn iso639_1(iso639_3: &str) -> Option<&'static str> {
    ISO639_1
        .iter()
        .find(|(three, _)| *three == iso639_3)
        .map(|(_, two)| *two)
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
}
