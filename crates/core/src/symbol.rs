//! UN document symbols ("A/79/875", "S/RES/2803 (2025)", "A/HRC/WG.6/7/SVN/2/Corr.1").
//!
//! A symbol is the UN's identifier of a document, the same in all six official languages
//! (ST/DCS/4/Rev.1, *United Nations Document Series Symbols*). A document issued jointly to two
//! organs carries two symbols joined by a hyphen ("A/79/875-S/2025/248"); it is still one
//! document. Reissue marks ("*", "**", "∗") printed after a symbol are not part of it.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// The first element of every symbol series the UN uses for the documents undex reads:
/// GA (`A/`), SC (`S/`), ECOSOC (`E/`), Secretariat (`ST/`), treaty bodies and a few others.
const SERIES: &str = r"(?:A|S|E|ST|UNEP|TD|DP|CCPR|CERD|CEDAW|CAT|CRC|CRPD|CED|CMW|E/CN\.\d+)";

static SYMBOL_RE: LazyLock<Regex> = LazyLock::new(|| {
    // A series, then "/"-separated elements made of letters, digits, dots and hyphens, and an
    // optional SC resolution year "(2025)".
    Regex::new(&format!(
        r"^{SERIES}(?:/[A-Za-z0-9][A-Za-z0-9.\-]*)+(?: ?\(\d{{4}}\))?$"
    ))
    .expect("valid symbol regex")
});

/// Where a joint symbol splits: a hyphen followed by the start of another series element.
static JOINT_SPLIT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-(?:A|S|E)/").expect("valid joint split regex"));

/// Errors from parsing a document symbol.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SymbolError {
    /// The text is not shaped like a UN document symbol.
    #[error("not a UN document symbol: {0:?}")]
    Invalid(String),
}

/// One UN document symbol, normalised: no reissue marks, single spaces, and the SC resolution
/// year written as " (2025)". A symbol holds at least one digit: "E/ODIHR" (cut out of
/// "OSCE/ODIHR") is not one.
///
/// ```
/// use undex_core::DocumentSymbol;
/// let s: DocumentSymbol = "A/HRC/28/12*".parse().unwrap();
/// assert_eq!(s.as_str(), "A/HRC/28/12");
/// let r: DocumentSymbol = "S/RES/2803(2025)".parse().unwrap();
/// assert_eq!(r.to_string(), "S/RES/2803 (2025)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentSymbol(String);

impl DocumentSymbol {
    /// The symbol as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A file- and URL-safe form: "/" becomes "_", spaces are dropped
    /// ("S/RES/2803 (2025)" → "S_RES_2803(2025)").
    #[must_use]
    pub fn slug(&self) -> String {
        self.0.replace('/', "_").replace(' ', "")
    }

    /// The symbol of the document that this addendum, corrigendum or revision belongs to
    /// ("A/HRC/14/15/Add.1" → "A/HRC/14/15"); `None` for a document that is not one.
    #[must_use]
    pub fn parent(&self) -> Option<DocumentSymbol> {
        let (head, last) = self.0.rsplit_once('/')?;
        let is_suffix = ["Add.", "Corr.", "Rev.", "Amend."]
            .iter()
            .any(|p| last.starts_with(p));
        if !is_suffix {
            return None;
        }
        // "A/HRC/WG.6/7/SVN/2/Add.1/Corr.1": the parent of a corrigendum to an addendum is
        // the addendum itself; one level up is what a reader expects.
        Some(DocumentSymbol(head.to_string()))
    }

    /// The principal organ the symbol's series belongs to: "General Assembly",
    /// "Security Council", "Human Rights Council", "Economic and Social Council",
    /// "Secretariat", or `None` for another series.
    #[must_use]
    pub fn organ(&self) -> Option<&'static str> {
        let s = self.0.as_str();
        if s.starts_with("A/HRC/") {
            Some("Human Rights Council")
        } else if s.starts_with("A/") {
            Some("General Assembly")
        } else if s.starts_with("S/") {
            Some("Security Council")
        } else if s.starts_with("E/") {
            Some("Economic and Social Council")
        } else if s.starts_with("ST/") {
            Some("Secretariat")
        } else {
            None
        }
    }
}

impl fmt::Display for DocumentSymbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for DocumentSymbol {
    type Err = SymbolError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let trimmed = raw
            .trim()
            .trim_end_matches(['*', '∗', '\u{204E}'])
            .trim_end();
        let spaced: String = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
        // "S/RES/2803(2025)" → "S/RES/2803 (2025)"
        let normalised = match spaced.find('(') {
            Some(i) if i > 0 && !spaced[..i].ends_with(' ') => {
                format!("{} {}", &spaced[..i], &spaced[i..])
            }
            _ => spaced,
        };
        // Every symbol ends in a number (session, year, serial: ST/DCS/4/Rev.1): text shaped
        // like one but without a digit is an acronym cut out of a word ("OSCE/ODIHR" read
        // as "E/ODIHR", "SPLA/M-IO" as "A/M-IO") or a symbol broken in conversion ("A/C").
        if SYMBOL_RE.is_match(&normalised) && normalised.bytes().any(|b| b.is_ascii_digit()) {
            Ok(DocumentSymbol(normalised))
        } else {
            Err(SymbolError::Invalid(raw.to_string()))
        }
    }
}

impl TryFrom<String> for DocumentSymbol {
    type Error = SymbolError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<DocumentSymbol> for String {
    fn from(value: DocumentSymbol) -> Self {
        value.0
    }
}

/// Splits a symbol line as printed into its symbols: "A/79/875-S/2025/248" gives two,
/// "A/ES-10/L.1" one (the hyphen inside an element is not a joint), reissue marks dropped.
///
/// # Errors
/// [`SymbolError::Invalid`] when any part is not a symbol.
pub fn parse_joint(raw: &str) -> Result<Vec<DocumentSymbol>, SymbolError> {
    let raw = raw.trim();
    let mut parts = Vec::new();
    let mut start = 0;
    for m in JOINT_SPLIT_RE.find_iter(raw) {
        parts.push(&raw[start..m.start()]);
        start = m.start() + 1;
    }
    parts.push(&raw[start..]);
    parts.into_iter().map(str::parse).collect()
}

/// Joins symbols the way the UN prints a joint symbol: "A/79/875-S/2025/248".
#[must_use]
pub fn joint_display(symbols: &[DocumentSymbol]) -> String {
    symbols
        .iter()
        .map(DocumentSymbol::as_str)
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_symbols() {
        for s in [
            "A/79/875",
            "S/2025/248",
            "A/HRC/WG.6/7/SVN/2/Corr.1",
            "A/HRC/DEC/14/105",
            "S/PV.10011",
            "A/C.4/SR.985",
            "A/RES/70/10",
            "A/ES-10/L.1",
            "E/CN.4/2005/L.10",
        ] {
            assert_eq!(s.parse::<DocumentSymbol>().unwrap().as_str(), s);
        }
    }

    #[test]
    fn strips_reissue_marks_and_normalises_resolution_year() {
        assert_eq!(
            "S/2012/197***".parse::<DocumentSymbol>().unwrap().as_str(),
            "S/2012/197"
        );
        assert_eq!(
            "A/HRC/17/9∗".parse::<DocumentSymbol>().unwrap().as_str(),
            "A/HRC/17/9"
        );
        assert_eq!(
            "S/RES/2803(2025)"
                .parse::<DocumentSymbol>()
                .unwrap()
                .as_str(),
            "S/RES/2803 (2025)"
        );
    }

    #[test]
    fn rejects_non_symbols() {
        for s in [
            "",
            "hello",
            "25-06353",
            "A/",
            "see A/79/875",
            // Acronyms that end in a series letter, cut out of a word: "OSCE/ODIHR",
            // "OSCE/BIDDH", "SPLA/M-IO"; and a symbol broken at "A/C,4/L.628".
            "E/ODIHR",
            "E/BIDDH",
            "A/M-IO",
            "A/C",
        ] {
            assert!(s.parse::<DocumentSymbol>().is_err(), "{s}");
        }
    }

    #[test]
    fn splits_joint_symbols_only_between_series() {
        let j = parse_joint("A/79/875-S/2025/248").unwrap();
        assert_eq!(j.len(), 2);
        assert_eq!(j[1].as_str(), "S/2025/248");
        assert_eq!(joint_display(&j), "A/79/875-S/2025/248");
        assert_eq!(parse_joint("A/ES-10/L.1").unwrap().len(), 1);
        assert_eq!(parse_joint("A/40/281-S/17146").unwrap().len(), 2);
    }

    #[test]
    fn parent_of_addendum_and_corrigendum() {
        let a: DocumentSymbol = "A/HRC/14/15/Add.1".parse().unwrap();
        assert_eq!(a.parent().unwrap().as_str(), "A/HRC/14/15");
        let c: DocumentSymbol = "A/HRC/WG.6/7/SVN/2/Corr.1".parse().unwrap();
        assert_eq!(c.parent().unwrap().as_str(), "A/HRC/WG.6/7/SVN/2");
        let p: DocumentSymbol = "A/79/875".parse().unwrap();
        assert!(p.parent().is_none());
        assert_eq!(p.organ(), Some("General Assembly"));
    }

    proptest::proptest! {
        #[test]
        fn display_round_trips(n in 1u32..100, m in 1u32..2000) {
            let s: DocumentSymbol = format!("A/{n}/{m}").parse().unwrap();
            let again: DocumentSymbol = s.to_string().parse().unwrap();
            proptest::prop_assert_eq!(s, again);
        }
    }
}
