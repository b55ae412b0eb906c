//! Citations between documents: what a paragraph or document cites and which paragraphs of
//! other documents cite it, looked up through the index's `cited` field (the
//! [`undex_core::CitedDocument`] symbols the tagger found in text and footnotes).
//!
//! A paragraph is "cited by" a paragraph of another document when that paragraph cites one of
//! the paragraph's document symbols (each symbol of a joint symbol, or the joint one) with a
//! pinpoint covering the paragraph's number: "46", a range "46-53" / "46–53", or a list
//! "37,40" / "37 and 40" (UN Editorial Manual pinpoints: "para. 46", "paras. 46–53").

use std::collections::{BTreeMap, BTreeSet};

use undex_core::ParagraphRow;
use undex_index::{IndexError, UndexIndex};

/// One document a paragraph cites (an entry of its `cited` list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParagraphCite {
    /// Cited symbol ("A/67/929").
    pub symbol: String,
    /// Paragraph pinpoint, as written ("15", "46-53").
    pub pinpoint: Option<String>,
    /// Footnote number of the citation in the citing paragraph.
    pub footnote: Option<u32>,
    /// Whether the index holds the cited document.
    pub indexed: bool,
}

/// One paragraph of another document citing a paragraph or document (serialised as the
/// members of the JSON API's `cited_by` entries).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CitedByParagraph {
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
}

/// "Cites" and "Cited by" of one paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParagraphCitations {
    /// Its `cited` entries, in the row's order.
    pub cites: Vec<ParagraphCite>,
    /// Paragraphs of other documents citing it by a pinpoint covering its number, sorted by
    /// document id, then position.
    pub cited_by: Vec<CitedByParagraph>,
}

/// A document cited by some paragraphs of a document, with how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedDocument {
    /// Cited symbol.
    pub symbol: String,
    /// Paragraphs of the citing document that cite it.
    pub count: usize,
    /// Whether the index holds the cited document.
    pub indexed: bool,
}

/// Another document citing a document, with its citing paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitingDocument {
    /// Document id of the citing document.
    pub doc_id: String,
    /// Its symbol, when it has one.
    pub symbol: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// The citing paragraphs, in reading order.
    pub paragraphs: Vec<CitedByParagraph>,
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

/// Whether the index holds each distinct symbol as a document.
fn known<'a>(
    index: &UndexIndex,
    symbols: impl IntoIterator<Item = &'a str>,
) -> Result<BTreeMap<String, bool>, IndexError> {
    let mut out = BTreeMap::new();
    for s in symbols {
        if !out.contains_key(s) {
            out.insert(s.to_string(), index.has_document(s)?);
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
) -> Vec<CitedByParagraph> {
    citing
        .cited
        .iter()
        .filter(|c| symbols.contains(&c.symbol.trim().to_lowercase()))
        .filter(|c| match number {
            Some(n) => c.pinpoint.as_deref().is_some_and(|p| pinpoint_covers(p, n)),
            None => true,
        })
        .map(|c| CitedByParagraph {
            id: citing.id.clone(),
            citation: citing.citation.clone(),
            doc_id: citing.doc_id.clone(),
            symbol: c.symbol.clone(),
            pinpoint: c.pinpoint.clone(),
            footnote: c.footnote,
        })
        .collect()
}

/// See [`super::LibraryReader::paragraph_citations`].
pub(super) fn paragraph_citations(
    index: &UndexIndex,
    row: &ParagraphRow,
) -> Result<ParagraphCitations, IndexError> {
    let indexed = known(index, row.cited.iter().map(|c| c.symbol.as_str()))?;
    let cites = row
        .cited
        .iter()
        .map(|c| ParagraphCite {
            symbol: c.symbol.clone(),
            pinpoint: c.pinpoint.clone(),
            footnote: c.footnote,
            indexed: indexed.get(&c.symbol).copied().unwrap_or(false),
        })
        .collect();
    // A unit printed without a number (a block, a speaker turn) cannot be pinpointed by a
    // citation: it has no "cited by" of its own (its document's page lists them).
    let Some(number) = row.number.as_deref() else {
        return Ok(ParagraphCitations {
            cites,
            cited_by: Vec::new(),
        });
    };
    let symbols = own_symbols(row);
    let lookup: Vec<String> = symbols.iter().cloned().collect();
    let cited_by = index
        .citing(&lookup)?
        .iter()
        .filter(|c| c.doc_id != row.doc_id)
        .flat_map(|c| entries_for(c, &symbols, Some(number)))
        .collect();
    Ok(ParagraphCitations { cites, cited_by })
}

/// See [`super::LibraryReader::document_citations`].
pub(super) fn document_citations(
    index: &UndexIndex,
    rows: &[ParagraphRow],
) -> Result<(Vec<CitedDocument>, Vec<CitingDocument>), IndexError> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        let distinct: BTreeSet<&str> = r.cited.iter().map(|c| c.symbol.as_str()).collect();
        for s in distinct {
            *counts.entry(s).or_default() += 1;
        }
    }
    let indexed = known(index, counts.keys().copied())?;
    let cites = counts
        .iter()
        .map(|(s, n)| CitedDocument {
            symbol: (*s).to_string(),
            count: *n,
            indexed: indexed.get(*s).copied().unwrap_or(false),
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
                paragraphs: Vec::new(),
            })
            .paragraphs
            .extend(entries);
    }
    Ok((cites, by_doc.into_values().collect()))
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
