//! Trends and the Atom feed on the real 2025 and 2026 reports.

use crate::common;
use std::str::FromStr;

use undex_analysis::{FeedOptions, TrendDimension, atom_feed, first_appearance, trend};

fn both() -> Vec<undex_core::ParagraphRow> {
    let mut rows = common::rows_2026();
    rows.extend(common::rows_2025());
    rows
}

fn matching(rows: &[undex_core::ParagraphRow], word: &str) -> Vec<undex_core::ParagraphRow> {
    rows.iter()
        .filter(|r| r.text.to_lowercase().contains(word))
        .cloned()
        .collect()
}

#[test]
fn year_counts_match_the_rows_and_the_csv_matches_the_chart() {
    let rows = both();
    let hits = matching(&rows, "early warning");
    let n2025 = hits.iter().filter(|r| r.year == Some(2025)).count() as u64;
    let n2026 = hits.iter().filter(|r| r.year == Some(2026)).count() as u64;
    assert!(n2025 > 0 && n2026 > 0);
    let series = trend(&hits, TrendDimension::Year);
    let pairs: Vec<(&str, u64)> = series
        .points
        .iter()
        .map(|p| (p.key.as_str(), p.count))
        .collect();
    assert_eq!(pairs, [("2025", n2025), ("2026", n2026)]);
    assert_eq!(series.total(), hits.len() as u64);

    let csv = String::from_utf8(series.to_csv().unwrap()).unwrap();
    assert_eq!(csv, format!("year,count\n2025,{n2025}\n2026,{n2026}\n"));

    let svg = series.to_svg("early warning", 640, 360).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
    // The axis labels are the CSV's keys, one bar (filled rect) per point plus the background.
    for p in &series.points {
        assert!(
            svg.contains(&format!(">\n{}\n</text>", p.key)),
            "label {}",
            p.key
        );
    }
    let bars = svg.matches("<rect").count();
    assert_eq!(bars, 1 + series.points.len(), "{svg}");
}

#[test]
fn document_and_body_counts() {
    let rows = both();
    let series = trend(&rows, TrendDimension::Document);
    assert_eq!(series.points.len(), 2);
    // In order of issue: 2025 first.
    assert_eq!(series.points[0].key, "A/79/875-S/2025/248");
    assert_eq!(series.points[0].count, common::rows_2025().len() as u64);
    let bodies = trend(&rows, TrendDimension::Body);
    // Each row counts once for each organ of its document.
    let mut want = std::collections::BTreeMap::<String, u64>::new();
    for r in &rows {
        for b in &r.bodies {
            *want.entry(b.clone()).or_default() += 1;
        }
        if r.bodies.is_empty() {
            *want.entry("unknown".into()).or_default() += 1;
        }
    }
    let got: std::collections::BTreeMap<String, u64> = bodies
        .points
        .iter()
        .map(|p| (p.key.clone(), p.count))
        .collect();
    assert_eq!(got, want);
    assert!(bodies.points.windows(2).all(|w| w[0].key < w[1].key));
    let svg = bodies.to_svg("organs", 640, 480).unwrap();
    assert_eq!(svg.matches("<rect").count(), 1 + bodies.points.len());
}

#[test]
fn first_appearance_is_the_earliest_row() {
    let rows = both();
    let phrase = "Group of Friends of the Responsibility to Protect";
    // Named in both reports (2026 para. 2); the 2025 report came first.
    assert!(common::rows_2026().iter().any(|r| r.text.contains(phrase)));
    let earliest_2025 = common::rows_2025()
        .into_iter()
        .find(|r| r.text.contains(phrase))
        .unwrap();
    let p = first_appearance(&rows, phrase).unwrap();
    assert_eq!(p.id, earliest_2025.id);
    assert_eq!(p.year, Some(2025));
    // Case and punctuation do not matter; partial words do not match.
    assert_eq!(
        first_appearance(&rows, "group of friends, of the responsibility TO protect")
            .unwrap()
            .id,
        p.id
    );
    assert!(first_appearance(&rows, "Group of Friend").is_none());
    assert!(first_appearance(&rows, "  ").is_none());
}

#[test]
fn feed_lists_newest_rows_with_permalink_ids() {
    let rows = both();
    let hits = matching(&rows, "prevention");
    let xml = atom_feed(
        &hits,
        &FeedOptions {
            base_url: "https://undex.example.org".into(),
            query: "prevention".into(),
            limit: 10,
            self_url: None,
            search_url: None,
        },
    )
    .unwrap();
    let feed = atom_syndication::Feed::from_str(&xml).unwrap();
    assert_eq!(feed.entries().len(), 10);
    // The newest document (2026) comes first, in reading order.
    let newest: Vec<&str> = hits
        .iter()
        .filter(|r| r.year == Some(2026))
        .take(10)
        .map(|r| r.id.as_str())
        .collect();
    for (entry, id) in feed.entries().iter().zip(&newest) {
        assert_eq!(entry.id(), format!("https://undex.example.org/p/{id}"));
        assert_eq!(entry.updated().to_rfc3339(), "2026-04-23T00:00:00+00:00");
    }
    assert_eq!(feed.updated().to_rfc3339(), "2026-04-23T00:00:00+00:00");
}
