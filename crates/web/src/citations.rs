//! Citations between documents: what a paragraph or document cites ("Cites") and which
//! paragraphs of other documents cite it ("Cited by"), looked up through the index's `cited`
//! field (the [`undex_core::CitedDocument`] symbols the tagger found in text and footnotes).
//!
//! A paragraph is "cited by" a paragraph of another document when that paragraph cites one of
//! the paragraph's document symbols (each symbol of a joint symbol, or the joint one) with a
//! pinpoint covering the paragraph's number: "46", a range "46-53" / "46–53", or a list
//! "37,40" / "37 and 40" (UN Editorial Manual pinpoints: "para. 46", "paras. 46–53").

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use undex_core::ParagraphRow;
use undex_index::{IndexError, UndexIndex};

use crate::api::paragraph_url;

/// One document a paragraph cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CiteEntry {
    /// Cited symbol ("A/67/929").
    pub symbol: String,
    /// Paragraph pinpoint, as written ("15", "46-53").
    pub pinpoint: Option<String>,
    /// Footnote number of the citation in the citing paragraph.
    pub footnote: Option<u32>,
    /// `/d/{symbol}` when the index holds the cited document, else null.
    pub url: Option<String>,
}

/// One paragraph of another document that cites this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CitedByEntry {
    /// Unit id of the citing paragraph.
    pub id: String,
    /// Its citation ("A/79/875-S/2025/248, para. 70").
    pub citation: String,
    /// Document id of the citing document.
    pub doc_id: String,
    /// Symbol the citing paragraph names ("A/79/875").
    pub symbol: String,
    /// The pinpoint it gives, if any.
    pub pinpoint: Option<String>,
    /// The footnote the citation stands in, if any.
    pub footnote: Option<u32>,
    /// Permalink of the citing paragraph (`/p/{id}`).
    pub url: String,
}

/// A document cited by some paragraphs of a document, with how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DocumentCite {
    /// Cited symbol.
    pub symbol: String,
    /// Paragraphs of the citing document that cite it.
    pub count: usize,
    /// `/d/{symbol}` when the index holds the cited document, else null.
    pub url: Option<String>,
}

/// Another document citing a document, with its citing paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CitingDocument {
    /// Document id of the citing document.
    pub doc_id: String,
    /// Its symbol, when it has one.
    pub symbol: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its document page.
    pub url: String,
    /// The citing paragraphs, in reading order.
    pub paragraphs: Vec<CitedByEntry>,
}

/// The document-page path of a symbol or id, keeping its slashes (wildcard route).
pub(crate) fn symbol_url(symbol: &str) -> String {
    let segments: Vec<String> = symbol.split('/').map(crate::api::encode_segment).collect();
    format!("/d/{}", segments.join("/"))
}

/// Whether `pinpoint` ("46", "46-53", "46–53", "37,40", "37 and 40") covers paragraph
/// `number`. Numeric parts compare as numbers, others as text (case-insensitive).
#[must_use]
pub fn pinpoint_covers(pinpoint: &str, number: &str) -> bool {
    let number = number.trim();
    let n: Option<u32> = number.parse().ok();
    pinpoint
        .split([',', ';'])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .any(|part| {
            let range = part
                .split_once(['-', '–', '—'])
                .and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse().ok()?)));
            match (range, n) {
                (Some((lo, hi)), Some(n)) => lo <= n && n <= hi,
                _ => part.eq_ignore_ascii_case(number),
            }
        })
}

/// The symbols a document is known by, lower-cased: each symbol and the joint symbol.
fn own_symbols(row: &ParagraphRow) -> BTreeSet<String> {
    row.symbols
        .iter()
        .chain(row.symbol.as_ref())
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The URL of each distinct symbol that the index holds as a document.
fn known_urls<'a>(
    index: &UndexIndex,
    symbols: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeMap<String, Option<String>>, IndexError> {
    let mut out = BTreeMap::new();
    for s in symbols {
        if !out.contains_key(s) {
            let url = index.has_document(s)?.then(|| symbol_url(s));
            out.insert(s.to_string(), url);
        }
    }
    Ok(out)
}

/// The citations of `citing` that name one of `symbols` and, when `number` is given, whose
/// pinpoint covers it.
fn entries_for(
    citing: &ParagraphRow,
    symbols: &BTreeSet<String>,
    number: Option<&str>,
) -> Vec<CitedByEntry> {
    citing
        .cited
        .iter()
        .filter(|c| symbols.contains(&c.symbol.trim().to_lowercase()))
        .filter(|c| match number {
            Some(n) => c.pinpoint.as_deref().is_some_and(|p| pinpoint_covers(p, n)),
            None => true,
        })
        .map(|c| CitedByEntry {
            id: citing.id.clone(),
            citation: citing.citation.clone(),
            doc_id: citing.doc_id.clone(),
            symbol: c.symbol.clone(),
            pinpoint: c.pinpoint.clone(),
            footnote: c.footnote,
            url: paragraph_url(&citing.id),
        })
        .collect()
}

/// "Cites" and "Cited by" of one paragraph: its `cited` entries (in the row's order, each
/// linked when the index holds the document), and the paragraphs of other documents citing
/// its document with a pinpoint covering its number (sorted by document id, then position);
/// no "cited by" for a unit printed without a number.
///
/// # Errors
/// [`IndexError`] on a damaged index.
pub fn paragraph_citations(
    index: &UndexIndex,
    row: &ParagraphRow,
) -> Result<(Vec<CiteEntry>, Vec<CitedByEntry>), IndexError> {
    let urls = known_urls(index, row.cited.iter().map(|c| c.symbol.as_str()))?;
    let cites = row
        .cited
        .iter()
        .map(|c| CiteEntry {
            symbol: c.symbol.clone(),
            pinpoint: c.pinpoint.clone(),
            footnote: c.footnote,
            url: urls.get(&c.symbol).cloned().flatten(),
        })
        .collect();
    // A unit printed without a number (a block, a speaker turn) cannot be pinpointed by a
    // citation: it has no "cited by" of its own (its document's page lists them).
    let Some(number) = row.number.as_deref() else {
        return Ok((cites, Vec::new()));
    };
    let symbols = own_symbols(row);
    let lookup: Vec<String> = symbols.iter().cloned().collect();
    let cited_by = index
        .citing(&lookup)?
        .iter()
        .filter(|c| c.doc_id != row.doc_id)
        .flat_map(|c| entries_for(c, &symbols, Some(number)))
        .collect();
    Ok((cites, cited_by))
}

/// "Cites" and "Cited by" of a document (`rows`, all of one document): the distinct symbols
/// its paragraphs cite, with the number of citing paragraphs (sorted by symbol), and the
/// other documents whose paragraphs cite one of its symbols (any pinpoint), each with those
/// paragraphs (sorted by document id).
///
/// # Errors
/// [`IndexError`] on a damaged index.
pub fn document_citations(
    index: &UndexIndex,
    rows: &[ParagraphRow],
) -> Result<(Vec<DocumentCite>, Vec<CitingDocument>), IndexError> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        let distinct: BTreeSet<&str> = r.cited.iter().map(|c| c.symbol.as_str()).collect();
        for s in distinct {
            *counts.entry(s).or_default() += 1;
        }
    }
    let urls = known_urls(index, counts.keys().copied())?;
    let cites = counts
        .iter()
        .map(|(s, n)| DocumentCite {
            symbol: (*s).to_string(),
            count: *n,
            url: urls.get(*s).cloned().flatten(),
        })
        .collect();
    let Some(first) = rows.first() else {
        return Ok((cites, Vec::new()));
    };
    let symbols = own_symbols(first);
    let lookup: Vec<String> = symbols.iter().cloned().collect();
    let mut by_doc: BTreeMap<String, CitingDocument> = BTreeMap::new();
    for c in index.citing(&lookup)? {
        if c.doc_id == first.doc_id {
            continue;
        }
        let entries = entries_for(&c, &symbols, None);
        if entries.is_empty() {
            continue;
        }
        by_doc
            .entry(c.doc_id.clone())
            .or_insert_with(|| CitingDocument {
                doc_id: c.doc_id.clone(),
                symbol: c.symbol.clone(),
                title: c.title.clone(),
                url: crate::api::document_url(&c),
                paragraphs: Vec::new(),
            })
            .paragraphs
            .extend(entries);
    }
    Ok((cites, by_doc.into_values().collect()))
}

/// A paragraph with what the paragraph page and `GET /api/paragraphs/{id}` show around it.
pub(crate) struct ParagraphView {
    pub(crate) row: ParagraphRow,
    pub(crate) prev: Option<ParagraphRow>,
    pub(crate) next: Option<ParagraphRow>,
    pub(crate) cites: Vec<CiteEntry>,
    pub(crate) cited_by: Vec<CitedByEntry>,
}

/// Loads a paragraph, its neighbours and its citations in one blocking task.
///
/// # Errors
/// [`crate::error::ApiError::NotFound`] for an unknown id; index errors.
pub(crate) async fn load_paragraph(
    state: &crate::AppState,
    id: &str,
) -> Result<ParagraphView, crate::error::ApiError> {
    let lookup = id.to_string();
    let (row, (prev, next), citations) = state
        .blocking(move |index| {
            let row = index.paragraph(&lookup)?;
            let citations = match &row {
                Some(r) => Some(paragraph_citations(index, r)?),
                None => None,
            };
            Ok((row, index.neighbours(&lookup)?, citations))
        })
        .await?;
    let row = row.ok_or_else(|| crate::error::ApiError::NotFound(format!("no paragraph {id}")))?;
    let (cites, cited_by) = citations.unwrap_or_default();
    Ok(ParagraphView {
        row,
        prev,
        next,
        cites,
        cited_by,
    })
}

#[cfg(test)]
mod tests {
    use super::pinpoint_covers;

    #[test]
    fn pinpoints_cover_numbers_ranges_and_lists() {
        assert!(pinpoint_covers("15", "15"));
        assert!(!pinpoint_covers("15", "16"));
        assert!(pinpoint_covers("46-53", "46"));
        assert!(pinpoint_covers("46–53", "53"));
        assert!(!pinpoint_covers("46-53", "54"));
        assert!(pinpoint_covers("37,40", "40"));
        assert!(!pinpoint_covers("37,40", "38"));
        assert!(pinpoint_covers("37 and 40", "37"));
        assert!(pinpoint_covers("IV", "iv"));
        assert!(!pinpoint_covers("", "1"));
    }
}
