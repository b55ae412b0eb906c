//! Trends: how many matching rows per year, per body or per document, drawn as an SVG bar
//! chart (plotters) and written as CSV from the same series; and the first appearance of a
//! phrase.

use std::collections::BTreeMap;

use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use undex_core::ParagraphRow;

use crate::AnalysisError;

/// What rows are counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TrendDimension {
    /// Year of issue; years without rows between the first and last year count 0.
    Year,
    /// Organ (`bodies`); a row of a document of two organs counts for each.
    Body,
    /// Document (symbol, or document id when it has none), in order of issue.
    Document,
}

impl TrendDimension {
    /// "year", "body", "document".
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TrendDimension::Year => "year",
            TrendDimension::Body => "body",
            TrendDimension::Document => "document",
        }
    }
}

/// One bar of a trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TrendPoint {
    /// Year ("2025"), body ("Security Council") or document ("A/79/875-S/2025/248"); rows
    /// without the value count under "undated" / "unknown".
    pub key: String,
    /// Number of rows.
    pub count: u64,
}

/// Counts of rows along one dimension, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendSeries {
    /// What was counted by.
    pub dimension: TrendDimension,
    /// The bars, in order: years ascending; bodies by name; documents by date of issue.
    pub points: Vec<TrendPoint>,
}

/// Most years a series by year spans ([`TrendSeries::by_year`]): a century, so that one
/// misread year ("0025") cannot make a chart of two thousand bars.
pub const MAX_YEAR_SPAN: i32 = 100;

/// Key for rows that lack the dimension's value.
const UNDATED: &str = "undated";
const UNKNOWN: &str = "unknown";

/// Counts `rows` (typically the rows matching a search) along `dimension`.
#[must_use]
pub fn trend(rows: &[ParagraphRow], dimension: TrendDimension) -> TrendSeries {
    match dimension {
        TrendDimension::Year => {
            let mut by_year: BTreeMap<i32, u64> = BTreeMap::new();
            let mut undated = 0u64;
            for r in rows {
                match r.year {
                    Some(y) => *by_year.entry(y).or_default() += 1,
                    None => undated += 1,
                }
            }
            TrendSeries::by_year(&by_year, undated)
        }
        TrendDimension::Body => {
            let mut by_body: BTreeMap<String, u64> = BTreeMap::new();
            let mut unknown = 0u64;
            for r in rows {
                if r.bodies.is_empty() {
                    unknown += 1;
                }
                for b in &r.bodies {
                    *by_body.entry(b.clone()).or_default() += 1;
                }
            }
            TrendSeries::by_body(by_body, unknown)
        }
        TrendDimension::Document => {
            let mut by_doc: BTreeMap<&str, (&ParagraphRow, u64)> = BTreeMap::new();
            for r in rows {
                by_doc.entry(&r.doc_id).or_insert((r, 0)).1 += 1;
            }
            TrendSeries::by_document(by_doc.into_values())
        }
    }
}

impl TrendSeries {
    /// The series by year from counts per year (`by_year`) and the count of rows without a
    /// year (`undated`, a last bar "undated" when not 0). Years without rows between the first
    /// and the last count 0 when the years span at most [`MAX_YEAR_SPAN`]; over a wider span
    /// (a misread year such as "0025") only the years with rows are listed.
    #[must_use]
    pub fn by_year(by_year: &BTreeMap<i32, u64>, undated: u64) -> TrendSeries {
        let mut points = Vec::new();
        if let (Some((&first, _)), Some((&last, _))) =
            (by_year.first_key_value(), by_year.last_key_value())
        {
            if i64::from(last) - i64::from(first) < i64::from(MAX_YEAR_SPAN) {
                for y in first..=last {
                    points.push(TrendPoint {
                        key: y.to_string(),
                        count: by_year.get(&y).copied().unwrap_or(0),
                    });
                }
            } else {
                points.extend(by_year.iter().map(|(y, &count)| TrendPoint {
                    key: y.to_string(),
                    count,
                }));
            }
        }
        if undated > 0 {
            points.push(TrendPoint {
                key: UNDATED.to_string(),
                count: undated,
            });
        }
        TrendSeries {
            dimension: TrendDimension::Year,
            points,
        }
    }

    /// The series by body from counts per body and the count of rows of no body (a bar
    /// "unknown" when not 0), bodies by name.
    #[must_use]
    pub fn by_body(by_body: BTreeMap<String, u64>, unknown: u64) -> TrendSeries {
        let mut by_body = by_body;
        if unknown > 0 {
            *by_body.entry(UNKNOWN.to_string()).or_default() += unknown;
        }
        TrendSeries {
            dimension: TrendDimension::Body,
            points: by_body
                .into_iter()
                .map(|(key, count)| TrendPoint { key, count })
                .collect(),
        }
    }

    /// The series by document from one row of each document (for its symbol, or document id
    /// when it has none, and its date) with the document's count, in order of issue (undated
    /// documents last, then by key).
    #[must_use]
    pub fn by_document<'a>(
        documents: impl IntoIterator<Item = (&'a ParagraphRow, u64)>,
    ) -> TrendSeries {
        // (undated?, date, key) orders documents by date of issue, undated last.
        let mut by_doc: BTreeMap<(bool, String, String), u64> = BTreeMap::new();
        for (r, count) in documents {
            let key = r.symbol.clone().unwrap_or_else(|| r.doc_id.clone());
            let date = r.date.clone();
            *by_doc
                .entry((date.is_none(), date.unwrap_or_default(), key))
                .or_default() += count;
        }
        TrendSeries {
            dimension: TrendDimension::Document,
            points: by_doc
                .into_iter()
                .map(|((_, _, key), count)| TrendPoint { key, count })
                .collect(),
        }
    }

    /// Total of the counts.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.points.iter().map(|p| p.count).sum()
    }

    /// The series as CSV: header `{dimension},count`, then one line per bar, in chart order;
    /// keys go through [`crate::export::csv_cell`] (a body name cannot run as a formula).
    ///
    /// # Errors
    /// [`AnalysisError::Csv`] if the CSV writer fails.
    pub fn to_csv(&self) -> Result<Vec<u8>, AnalysisError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([self.dimension.as_str(), "count"])?;
        for p in &self.points {
            w.write_record([&*crate::export::csv_cell(&p.key), &p.count.to_string()])?;
        }
        w.into_inner()
            .map_err(|e| AnalysisError::Io(e.into_error()))
    }

    /// The series as an SVG bar chart (`width` × `height` pixels) titled `title`, one bar per
    /// point, in the order of [`Self::to_csv`].
    ///
    /// # Errors
    /// [`AnalysisError::Chart`] if plotters fails to draw.
    pub fn to_svg(&self, title: &str, width: u32, height: u32) -> Result<String, AnalysisError> {
        let chart_err = |e: DrawingAreaErrorKind<std::io::Error>| AnalysisError::Chart(e.into());
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            root.fill(&WHITE).map_err(chart_err)?;
            let n = u32::try_from(self.points.len()).unwrap_or(u32::MAX);
            let max = self.points.iter().map(|p| p.count).max().unwrap_or(0);
            let y_top = max + max.div_ceil(10).max(1);
            let mut chart = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 20))
                .margin(10)
                .x_label_area_size(if self.dimension == TrendDimension::Year {
                    30
                } else {
                    120
                })
                .y_label_area_size(40)
                .build_cartesian_2d((0..n.saturating_sub(1)).into_segmented(), 0u64..y_top)
                .map_err(chart_err)?;
            let labels: Vec<String> = self.points.iter().map(|p| p.key.clone()).collect();
            let label_font = if self.dimension == TrendDimension::Year {
                ("sans-serif", 12).into_font()
            } else {
                // Symbols and body names are long: write them vertically.
                ("sans-serif", 10)
                    .into_font()
                    .transform(FontTransform::Rotate90)
            };
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_label_style(label_font)
                .x_labels(labels.len().max(1))
                .x_label_formatter(&|v| match v {
                    SegmentValue::CenterOf(i) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| labels.get(i))
                        .cloned()
                        .unwrap_or_default(),
                    _ => String::new(),
                })
                .y_desc("paragraphs")
                .x_desc(self.dimension.as_str())
                .draw()
                .map_err(chart_err)?;
            chart
                .draw_series(
                    Histogram::vertical(&chart)
                        .style(RGBColor(0, 158, 219).filled())
                        .margin(4)
                        .data(
                            self.points
                                .iter()
                                .enumerate()
                                .map(|(i, p)| (u32::try_from(i).unwrap_or(u32::MAX), p.count)),
                        ),
                )
                .map_err(chart_err)?;
            root.present().map_err(chart_err)?;
        }
        Ok(svg)
    }
}

/// Lower-cased words of letters and digits, joined by single spaces, with spaces around.
fn normalize(text: &str) -> String {
    let mut out = String::from(" ");
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(&w.to_lowercase());
        out.push(' ');
    }
    out
}

/// Whether `text` contains `phrase` as whole words, case, punctuation and spacing ignored
/// ("Early-warning, capability." contains "warning capability", not "warn"); false when the
/// phrase has no word.
#[must_use]
pub fn contains_phrase(text: &str, phrase: &str) -> bool {
    let needle = normalize(phrase);
    !needle.trim().is_empty() && normalize(text).contains(&needle)
}

/// The earliest row containing `phrase` as whole words (case, punctuation and spacing
/// ignored): earliest date of issue first (undated rows last), then document id, then position
/// in the document. `None` when no row contains it or the phrase has no word.
#[must_use]
pub fn first_appearance<'a>(rows: &'a [ParagraphRow], phrase: &str) -> Option<&'a ParagraphRow> {
    let needle = normalize(phrase);
    if needle.trim().is_empty() {
        return None;
    }
    rows.iter()
        .filter(|r| normalize(&r.text).contains(&needle))
        .min_by(|a, b| {
            (a.date.is_none(), &a.date, &a.doc_id, a.position).cmp(&(
                b.date.is_none(),
                &b.date,
                &b.doc_id,
                b.position,
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_series_still_draws_and_writes() {
        for dim in [
            TrendDimension::Year,
            TrendDimension::Body,
            TrendDimension::Document,
        ] {
            let s = trend(&[], dim);
            assert!(s.points.is_empty());
            assert_eq!(
                String::from_utf8(s.to_csv().unwrap()).unwrap(),
                format!("{},count\n", dim.as_str())
            );
            let svg = s.to_svg("nothing", 320, 200).unwrap();
            assert_eq!(svg.matches("<rect").count(), 1, "background only");
        }
    }

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(normalize("Early-warning, capability.").contains(&normalize("warning capability")));
        assert!(!normalize("forewarning").contains(&normalize("warning")));
    }
}
