//! Earlier wording: the paragraphs of earlier documents closest to a paragraph, and the chain
//! back to the first appearance of its language. No store: candidates come from the index
//! ([`UndexIndex::similar_candidates`]) and are scored exactly by
//! [`undex_analysis::similarity`].

use undex_analysis::{DiffSegment, chain, diff_words, similar_earlier};
use undex_core::ParagraphRow;
use undex_index::{IndexError, SIMILAR_CANDIDATES, UndexIndex};

/// Earlier paragraphs the web app and the MCP tool list for a paragraph.
pub const EARLIER_K: usize = 5;
/// Least Jaccard similarity (0–1) of one step of the chain back to the first appearance.
pub const CHAIN_MIN_SCORE: f64 = 0.3;

/// A paragraph of an earlier document whose wording is close to the one asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlierMatch {
    /// The earlier paragraph.
    pub row: ParagraphRow,
    /// Jaccard similarity of word 3-shingles, 0–1.
    pub score: f64,
    /// Word diff from the earlier text to the paragraph's text: `deleted` runs are only in
    /// the earlier paragraph, `inserted` runs only in the later one.
    pub diff: Vec<DiffSegment>,
}

/// The earlier wording of one paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    /// The paragraph asked about.
    pub row: ParagraphRow,
    /// Most similar paragraphs of earlier documents, best first (earlier documents first on
    /// ties), at most `k`.
    pub earlier: Vec<EarlierMatch>,
    /// From the paragraph itself (score 1.0) back to the first appearance (last link), each
    /// link with its similarity to the one before; just the paragraph when nothing earlier
    /// is close enough.
    pub chain: Vec<(ParagraphRow, f64)>,
}

/// The rows worth scoring as earlier wording of `row`: the index's "more like this" search
/// ([`UndexIndex::similar_candidates`], [`SIMILAR_CANDIDATES`] rows) over documents of `row`'s
/// year or before; none when `row` has no date (nothing is earlier than an undated row).
fn earlier_candidates(
    index: &UndexIndex,
    row: &ParagraphRow,
) -> Result<Vec<ParagraphRow>, IndexError> {
    let Some(date) = &row.date else {
        return Ok(Vec::new());
    };
    let year = row
        .year
        .or_else(|| date.get(..4).and_then(|y| y.parse().ok()));
    index.similar_candidates(row, SIMILAR_CANDIDATES, year)
}

/// See [`super::LibraryReader::earlier_wording`].
pub(super) fn earlier_wording(
    index: &UndexIndex,
    id: &str,
    k: usize,
    chain_min_score: f64,
) -> Result<Option<Earlier>, IndexError> {
    let Some(this) = index.paragraph(id)? else {
        return Ok(None);
    };
    let similar = similar_earlier(&this, earlier_candidates(index, &this)?, k);
    // The chain's first step is the best match just found (the only candidate it needs);
    // each later link searches for its own candidates.
    let mut first = Some(similar.first().map(|m| m.row.clone()));
    let links = chain(&this, chain_min_score, |row| match first.take() {
        Some(best) => Ok(best.into_iter().collect()),
        None => earlier_candidates(index, row),
    })?;
    let earlier = similar
        .into_iter()
        .map(|m| EarlierMatch {
            diff: diff_words(&m.row.text, &this.text),
            row: m.row,
            score: m.score,
        })
        .collect();
    Ok(Some(Earlier {
        row: this,
        earlier,
        chain: links.into_iter().map(|l| (l.row, l.score)).collect(),
    }))
}
