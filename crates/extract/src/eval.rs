//! Scoring of extracted paragraphs against hand labels (`eval-dev/gold-*.jsonl`), exactly as
//! `eval-dev/README.md` section 1 defines it:
//!
//! - a labelled row is *found* when the engine has a numbered unit of the same document with the same
//!   paragraph number and sub-paragraph;
//! - it is *exact* when the engine's text, normalised ([`normalize`]: NFKC, lower case,
//!   footnote markers removed, punctuation to spaces, whitespace collapsed), starts with the
//!   normalised `first_words` and ends with the normalised `last_words`;
//! - footnote references are scored by micro precision and recall over the labelled rows (a
//!   row not found contributes its labelled references as misses).

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use undex_core::{ParagraphRow, UnitKind};
use unicode_normalization::UnicodeNormalization;

use crate::error::ExtractError;

/// One hand-labelled row of a gold file (only the fields segmentation scoring reads; the tag
/// fields are scored by the tagger's evaluation).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldRow {
    /// Row id ("2026:16(a)").
    pub id: String,
    /// Paragraph number as printed ("16").
    pub para: String,
    /// Sub-paragraph ("a") or null.
    #[serde(default)]
    pub sub: Option<String>,
    /// "paragraph", "chapeau" or "subparagraph".
    #[serde(default)]
    pub row_type: Option<String>,
    /// First 8 words of the text, footnote markers removed.
    pub first_words: String,
    /// Last 6 words of the text.
    pub last_words: String,
    /// Footnote numbers referenced.
    #[serde(default)]
    pub footnote_refs: Vec<u32>,
    /// Path of the source document, relative to the repository root
    /// ("../shared/seeds/sg-r2p-report-2026.txt").
    pub source: String,
}

impl GoldRow {
    /// File name of the source document ("sg-r2p-report-2026.txt"), used to match rows whose
    /// `source_file` names the same file under any directory.
    #[must_use]
    pub fn source_name(&self) -> &str {
        file_name(&self.source)
    }
}

fn file_name(path: &str) -> &str {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}

/// Parses a gold file: one JSON object per line, blank lines ignored.
///
/// # Errors
/// [`ExtractError::Gold`] naming the first line that is not a gold row.
pub fn load_gold(jsonl: &str) -> Result<Vec<GoldRow>, ExtractError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|source| ExtractError::Gold {
                line: i + 1,
                source,
            })
        })
        .collect()
}

/// The distinct source documents a gold set names, sorted.
#[must_use]
pub fn gold_sources(gold: &[GoldRow]) -> Vec<String> {
    gold.iter()
        .map(|g| g.source.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Normalises text for comparison: footnote markers (superscript digits) removed, NFKC,
/// lower case, every character that is neither a letter, a digit nor whitespace turned into a
/// space, whitespace collapsed.
#[must_use]
pub fn normalize(text: &str) -> String {
    let no_markers: String = text
        .chars()
        .filter(|c| !"⁰¹²³⁴⁵⁶⁷⁸⁹".contains(*c))
        .collect();
    let folded: String = no_markers
        .nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    crate::text::collapse_whitespace(&folded)
}

/// Segmentation scores of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtractScore {
    /// Labelled rows.
    pub gold_rows: usize,
    /// Labelled rows the engine found (same document, number, sub-paragraph).
    pub found: usize,
    /// Found rows whose text starts with `first_words` and ends with `last_words`.
    pub exact: usize,
    /// Footnote references the engine gave that the labels have.
    pub refs_true_positive: usize,
    /// Footnote references the engine gave that the labels lack.
    pub refs_false_positive: usize,
    /// Labelled footnote references the engine missed.
    pub refs_false_negative: usize,
    /// Ids of labelled rows not found.
    pub missing: Vec<String>,
    /// Ids of found rows whose text is not exact.
    pub inexact: Vec<String>,
    /// Ids of found rows whose footnote references differ.
    pub refs_wrong: Vec<String>,
}

impl ExtractScore {
    /// found / gold rows (1.0 for an empty gold set).
    #[must_use]
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold_rows)
    }
    /// exact / gold rows.
    #[must_use]
    pub fn exact_rate(&self) -> f64 {
        ratio(self.exact, self.gold_rows)
    }
    /// Footnote-reference precision, TP / (TP + FP).
    #[must_use]
    pub fn refs_precision(&self) -> f64 {
        ratio(
            self.refs_true_positive,
            self.refs_true_positive + self.refs_false_positive,
        )
    }
    /// Footnote-reference recall, TP / (TP + FN).
    #[must_use]
    pub fn refs_recall(&self) -> f64 {
        ratio(
            self.refs_true_positive,
            self.refs_true_positive + self.refs_false_negative,
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        // Counts are far below 2^52: the conversion is exact.
        #[allow(clippy::cast_precision_loss)]
        let r = a as f64 / b as f64;
        r
    }
}

impl fmt::Display for ExtractScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "rows labelled        {}", self.gold_rows)?;
        writeln!(
            f,
            "paragraph recall     {:.3} ({}/{})",
            self.recall(),
            self.found,
            self.gold_rows
        )?;
        writeln!(
            f,
            "exact first/last     {:.3} ({}/{})",
            self.exact_rate(),
            self.exact,
            self.gold_rows
        )?;
        writeln!(
            f,
            "footnote refs        precision {:.3}, recall {:.3} (tp {}, fp {}, fn {})",
            self.refs_precision(),
            self.refs_recall(),
            self.refs_true_positive,
            self.refs_false_positive,
            self.refs_false_negative
        )?;
        for (label, ids) in [
            ("missing", &self.missing),
            ("inexact", &self.inexact),
            ("refs differ", &self.refs_wrong),
        ] {
            if !ids.is_empty() {
                writeln!(f, "{label:<20} {}", ids.join(", "))?;
            }
        }
        Ok(())
    }
}

/// Kinds whose `number` is printed in the document (not an ordinal).
fn numbered_kind(kind: UnitKind) -> bool {
    matches!(
        kind,
        UnitKind::Paragraph
            | UnitKind::Chapeau
            | UnitKind::Subparagraph
            | UnitKind::Operative
            | UnitKind::UprRecommendation
    )
}

/// Scores extracted rows (from [`undex_core::Document::rows`], any number of documents)
/// against gold rows. A row belongs to a gold row's document when its `source_file` has the
/// same file name as the gold row's `source`.
#[must_use]
pub fn score_extraction(gold: &[GoldRow], rows: &[ParagraphRow]) -> ExtractScore {
    let mut score = ExtractScore {
        gold_rows: gold.len(),
        found: 0,
        exact: 0,
        refs_true_positive: 0,
        refs_false_positive: 0,
        refs_false_negative: 0,
        missing: Vec::new(),
        inexact: Vec::new(),
        refs_wrong: Vec::new(),
    };
    for g in gold {
        let hit = rows.iter().find(|r| {
            file_name(&r.source_file) == g.source_name()
                && r.annex.is_none()
                && numbered_kind(r.kind)
                && r.number.as_deref() == Some(g.para.as_str())
                && r.sub == g.sub
        });
        let Some(row) = hit else {
            score.missing.push(g.id.clone());
            score.refs_false_negative += g.footnote_refs.len();
            continue;
        };
        score.found += 1;
        let text = normalize(&row.text);
        let first = normalize(&g.first_words);
        let last = normalize(&g.last_words);
        if text.starts_with(&first) && text.ends_with(&last) {
            score.exact += 1;
        } else {
            score.inexact.push(g.id.clone());
        }
        let want: BTreeSet<u32> = g.footnote_refs.iter().copied().collect();
        let got: BTreeSet<u32> = row.footnote_refs.iter().copied().collect();
        score.refs_true_positive += want.intersection(&got).count();
        score.refs_false_positive += got.difference(&want).count();
        score.refs_false_negative += want.difference(&got).count();
        if want != got {
            score.refs_wrong.push(g.id.clone());
        }
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_as_the_scoring_rules_say() {
        assert_eq!(
            normalize("Outcome,¹ following the “failure” — of  ﬁve"),
            "outcome following the failure of five"
        );
    }

    #[test]
    fn bad_gold_line_is_reported() {
        let err = load_gold("\n{\"id\": 1}\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
