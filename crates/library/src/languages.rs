//! The other language versions of a paragraph and of a document: one rule
//! ([`undex_core::align`]) for `GET /api/paragraphs/{id}` (`translations`), the paragraph and
//! document pages and the MCP tool `get_paragraph`, owned by the service layer so that every
//! caller (web, MCP, CLI, exports) reads the same versions.

use undex_core::ParagraphRow;
use undex_core::align::{align, carried_from};
use undex_index::{IndexError, UndexIndex};

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
) -> Result<Vec<(String, ParagraphRow)>, IndexError> {
    let versions = index.language_versions(row)?;
    let Some((_, own)) = versions
        .iter()
        .find(|(_, rows)| rows[0].doc_id == row.doc_id)
    else {
        return Ok(Vec::new());
    };
    let mut out: Vec<(String, ParagraphRow)> = Vec::new();
    for (language, rows) in &versions {
        if *language == row.language || out.iter().any(|(l, _)| l == language) {
            continue;
        }
        let counterpart = align(own, rows)
            .into_iter()
            .find(|p| p.a == row.id)
            .and_then(|p| rows.iter().find(|r| r.id == p.b));
        if let Some(t) = counterpart {
            out.push((language.clone(), t.clone()));
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
) -> Result<Vec<(String, String)>, IndexError> {
    let mut out: Vec<(String, String)> = Vec::new();
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
    if row.language == "en" || tagged || has_english {
        return None;
    }
    Some(format!(
        "not tagged: the tagger reads English, and the index holds no English version of this \
         document to carry tags from (language: {})",
        row.language
    ))
}
