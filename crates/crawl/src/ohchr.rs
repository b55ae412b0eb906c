//! OHCHR listing pages: the HRC per-session "list of reports" and Special Procedures pages of
//! annual thematic reports. Every link to a document is kept: links into ODS
//! (`undocs.org`, `docs.un.org`, `documents.un.org`) become symbol look-ups in each language;
//! direct links to `.pdf`, `.doc`, `.docx` files are fetched as they are.

use scraper::{Html, Selector};
use undex_core::Language;
use url::Url;

/// A document link found on a listing page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ListingLink {
    /// A link into ODS naming a symbol (`https://undocs.org/A/HRC/58/3`,
    /// `https://docs.un.org/en/A/HRC/58/3`, `.../api/symbol/access?s=A/HRC/58/3`).
    Symbol(String),
    /// A direct link to a document file (absolute URL), with the symbol read from the link text
    /// when it is one.
    File {
        /// Absolute URL.
        url: String,
        /// Symbol from the link text or title, when the text is a symbol.
        symbol: Option<String>,
    },
}

const ODS_HOSTS: [&str; 5] = [
    "undocs.org",
    "www.undocs.org",
    "docs.un.org",
    "documents.un.org",
    "documents-dds-ny.un.org",
];

/// Extracts document links from an HTML listing page, resolved against `page_url`, sorted and
/// deduplicated.
#[must_use]
pub fn parse_listing(html: &str, page_url: &Url) -> Vec<ListingLink> {
    let doc = Html::parse_document(html);
    let Ok(sel) = Selector::parse("a[href]") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for a in doc.select(&sel) {
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let Ok(url) = page_url.join(href.trim()) else {
            continue;
        };
        let text = a.text().collect::<String>();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(link) = classify(&url, &text, a.value().attr("title")) {
            out.push(link);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn classify(url: &Url, text: &str, title: Option<&str>) -> Option<ListingLink> {
    let host = url.host_str()?.to_ascii_lowercase();
    if ODS_HOSTS.contains(&host.as_str()) {
        if let Some((_, s)) = url.query_pairs().find(|(k, _)| k == "s") {
            return valid_symbol(&s).map(ListingLink::Symbol);
        }
        let path = percent_decode(url.path());
        let path = path.trim_start_matches('/');
        let path = match path.split_once('/') {
            Some((lang, rest)) if Language::from_code(lang).is_some_and(Language::is_official) => {
                rest
            }
            _ => path,
        };
        return valid_symbol(path).map(ListingLink::Symbol);
    }
    let lower = url.path().to_ascii_lowercase();
    if [".pdf", ".doc", ".docx"].iter().any(|e| lower.ends_with(e)) {
        let symbol = valid_symbol(text).or_else(|| title.and_then(valid_symbol));
        return Some(ListingLink::File {
            url: url.to_string(),
            symbol,
        });
    }
    None
}

/// The normalised symbol (joint symbols joined by "-") when `raw` is one.
fn valid_symbol(raw: &str) -> Option<String> {
    let syms = undex_core::symbol::parse_joint(raw.trim()).ok()?;
    Some(undex_core::symbol::joint_display(&syms))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}
