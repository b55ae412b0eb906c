//! An Atom feed (RFC 4287) of the newest rows matching a search, written with
//! `atom_syndication`. Entry ids are the paragraphs' permalinks, so they stay stable across
//! re-ingests; `updated` is the document's date of issue (midnight UTC).

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, TimeZone, Utc};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use undex_core::ParagraphRow;

use crate::AnalysisError;
use crate::export::permalink;

/// Options of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedOptions {
    /// Base URL of the undex site; entries link to `{base}/p/{id}`.
    pub base_url: String,
    /// The search whose matches the feed lists.
    pub query: String,
    /// Most entries in the feed (the newest rows).
    pub limit: usize,
    /// The URL the feed itself is served at (its `rel="self"` link), if known.
    pub self_url: Option<String>,
    /// The search page listing the same rows, filters included (the feed's `id` and its
    /// `rel="alternate"` link); `{base}/?q={query}` when `None`.
    pub search_url: Option<String>,
}

/// Parses an ISO 8601 date ("2025-04-22"; "2025-04" and "2025" take the first day) to midnight UTC.
fn date_time(date: &str) -> Option<FixedDateTime> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next().map_or(Some(1), |p| p.parse().ok())?;
    let d: u32 = parts
        .next()
        .map_or(Some(1), |p| p.get(..2).unwrap_or(p).parse().ok())?;
    let naive = NaiveDate::from_ymd_opt(y, m, d)?.and_hms_opt(0, 0, 0)?;
    Some(Utc.from_utc_datetime(&naive).fixed_offset())
}

/// The date a row is listed under in a feed: its document's date of issue at midnight UTC;
/// `None` when the row has no parsable date (such rows are left out of feeds).
#[must_use]
pub fn issue_date(row: &ParagraphRow) -> Option<FixedDateTime> {
    date_time(row.date.as_deref()?)
}

/// The Atom feed of the newest rows of `rows` (the matches of `options.query`): rows sorted by
/// date of issue, newest first (then document id, then position), at most `options.limit`.
/// Rows without a parsable date are left out: a feed reader could not order them.
///
/// # Errors
/// [`AnalysisError::Feed`] if the Atom writer fails.
pub fn atom_feed(rows: &[ParagraphRow], options: &FeedOptions) -> Result<String, AnalysisError> {
    let mut dated: Vec<(FixedDateTime, &ParagraphRow)> = rows
        .iter()
        .filter_map(|r| Some((issue_date(r)?, r)))
        .collect();
    dated.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.doc_id.cmp(&b.1.doc_id))
            .then_with(|| a.1.position.cmp(&b.1.position))
    });
    dated.truncate(options.limit);

    let base = options.base_url.trim_end_matches('/');
    let search_url = options.search_url.clone().unwrap_or_else(|| {
        format!(
            "{base}/?q={}",
            utf8_percent_encode(&options.query, NON_ALPHANUMERIC)
        )
    });
    let entries: Vec<Entry> = dated
        .iter()
        .map(|(updated, row)| {
            let url = permalink(base, &row.id);
            let mut entry = Entry::default();
            entry.set_id(url.clone());
            entry.set_title(Text::plain(crate::export::citation_of(row)));
            entry.set_updated(*updated);
            entry.set_published(Some(*updated));
            let mut link = Link::default();
            link.set_href(url);
            link.set_rel("alternate");
            link.set_mime_type(Some("text/html".to_string()));
            entry.set_links(vec![link]);
            let mut author = Person::default();
            author.set_name(
                row.author
                    .clone()
                    .unwrap_or_else(|| "United Nations".into()),
            );
            entry.set_authors(vec![author]);
            if let Some(title) = &row.title {
                entry.set_summary(Some(Text::plain(title.clone())));
            }
            let mut content = Content::default();
            content.set_content_type(Some("text".to_string()));
            content.set_value(Some(row.text.clone()));
            content.set_lang(Some(row.language.to_string()));
            entry.set_content(Some(content));
            entry
        })
        .collect();

    let mut feed = Feed::default();
    feed.set_id(search_url.clone());
    feed.set_title(Text::plain(format!("undex: {}", options.query)));
    let updated = dated
        .first()
        .map(|(d, _)| *d)
        .or_else(|| date_time("1970-01-01"))
        .ok_or_else(|| AnalysisError::Feed("no date".into()))?;
    feed.set_updated(updated);
    let mut links = Vec::new();
    let mut search_link = Link::default();
    search_link.set_href(search_url);
    search_link.set_rel("alternate");
    search_link.set_mime_type(Some("text/html".to_string()));
    links.push(search_link);
    if let Some(url) = &options.self_url {
        let mut self_link = Link::default();
        self_link.set_href(url.clone());
        self_link.set_rel("self");
        self_link.set_mime_type(Some("application/atom+xml".to_string()));
        links.push(self_link);
    }
    feed.set_links(links);
    let mut author = Person::default();
    author.set_name("undex");
    feed.set_authors(vec![author]);
    feed.set_entries(entries);
    let bytes = feed
        .write_to(Vec::new())
        .map_err(|e| AnalysisError::Feed(e.into()))?;
    String::from_utf8(bytes).map_err(|e| AnalysisError::Feed(e.into()))
}
