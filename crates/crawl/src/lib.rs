//! undex-crawl: a polite crawler for UN documents.
//!
//! Three kinds of source, declared in `corpus/sources.toml` ([`Sources`]):
//! * **ODS by symbol**: `https://documents.un.org/api/symbol/access?s=<symbol>&l=<lang>&t=pdf`
//!   answers 302 with an upper-case `Location` of which only the lower-cased path serves the
//!   file; the upper-case path answers a ~1.3 KB HTML app with status 200. A language ODS does not
//!   have is silently answered in English. Resolution takes 6–31 s; 502/503 under load.
//! * **UN Digital Library** MARCXML searches (`of=xm`, paged by `jrec`/`rg`), whose 856 fields
//!   link one file per language; an empty 202 means bot protection.
//! * **OHCHR** listing pages (HRC "list of reports" per session, Special Procedures thematic
//!   reports), whose links are followed; Cloudflare challenges are reported as blocked.
//!
//! Every attempt is a line of `<out>/manifest.jsonl` ([`ManifestRecord`]); documents are stored
//! once, content-addressed, as `<out>/raw/<sha256>.<ext>`. A re-crawl sends `If-None-Match` /
//! `If-Modified-Since` and stores only what changed.
//!
//! ```no_run
//! # async fn run() -> Result<(), undex_crawl::CrawlError> {
//! let sources = undex_crawl::load_sources("corpus/sources.toml")?;
//! let opts = undex_crawl::CrawlOptions::default();
//! let report = undex_crawl::crawl(&sources, &opts, &undex_crawl::NoProgress).await?;
//! println!("{report}");
//! # Ok(()) }
//! ```

mod check;
mod config;
mod dl;
mod error;
mod http;
mod ohchr;
mod store;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use futures_util::StreamExt;
use url::Url;

pub use check::{
    FileKind, detect_language, is_blocked, language_from_file_name, language_from_label,
    language_of_text, looks_like_html, repair_mojibake, sniff,
};
pub use config::{
    CrawlOptions, DlSource, OdsDocument, OdsSource, OhchrSource, Sources, UN_LANGUAGES,
    load_sources,
};
pub use dl::{DlFile, DlPage, DlRecord, parse_marcxml};
pub use error::CrawlError;
pub use ohchr::{ListingLink, parse_listing};
pub use store::{ManifestRecord, Outcome, RecordMeta, read_manifest, sha256_hex};

use http::{Answer, Failure, Fetcher, Req};
use store::Store;

/// Receives progress events; the CLI draws a progress bar from them. All methods default to
/// doing nothing.
pub trait CrawlProgress: Send + Sync {
    /// `n` documents are queued (called once, after all listings are read, before the first
    /// document is fetched).
    fn planned(&self, _n: usize) {}
    /// One attempt ended (document or listing page).
    fn finished(&self, _record: &ManifestRecord) {}
    /// A free-text note ("reading listing ...").
    fn note(&self, _message: &str) {}
    /// `host` could not be reached at the first contact (called once per host, within
    /// [`CrawlOptions::probe_timeout`] of the start); `reason` says why, in a sentence that
    /// starts "cannot reach HOST". Its documents are not tried.
    fn unreachable(&self, _host: &str, _reason: &str) {}
}

/// A [`CrawlProgress`] that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl CrawlProgress for NoProgress {}

/// One document to fetch in one language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// Source name.
    pub source: String,
    /// Symbols (joint documents have two), normalised; may be empty for OHCHR files whose link
    /// text is not a symbol.
    pub symbols: Vec<String>,
    /// Language asked for, when known.
    pub language: Option<String>,
    /// URL to request first.
    pub url: String,
    /// `Referer` to send (ODS wants `https://docs.un.org/{lang}/{symbol}`).
    pub referer: Option<String>,
    /// An ODS symbol look-up (Accept PDF, lower-cased redirects).
    pub ods: bool,
    /// Catalogue metadata (Digital Library).
    pub meta: Option<RecordMeta>,
}

/// A file that is new or changed after a crawl, for the ingest step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrawledFile {
    /// Absolute path of the stored file (`<out>/raw/<sha256>.<ext>`).
    pub path: PathBuf,
    /// The manifest line written for it.
    pub record: ManifestRecord,
}

/// What a crawl found or would fetch for one source of the sources file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcePlan {
    /// Source name.
    pub name: String,
    /// "ods", "dl" or "ohchr".
    pub kind: &'static str,
    /// Host of its base URL (`host` or `host:port`).
    pub host: String,
    /// Documents (symbol x language, or files) planned or attempted for it.
    pub documents: usize,
    /// Of those, ODS symbol look-ups (OHCHR listings link symbols that ODS resolves).
    pub ods_lookups: usize,
    /// Listing pages it has (Digital Library search pages read or tried, OHCHR pages).
    pub listing_pages: usize,
    /// Listing pages that could not be read.
    pub listing_failures: usize,
    /// Why its documents could not all be counted (listings unread, host unreachable), and
    /// what is known of their number; `None` when the count is complete.
    pub unknown: Option<String>,
    /// How long fetching its documents would take alone, at the fastest and slowest observed
    /// ODS resolution ([`estimate_duration`]); `None` when nothing could be counted.
    pub estimate: Option<(Duration, Duration)>,
}

/// What a crawl did.
#[derive(Debug, Clone, Default)]
pub struct CrawlReport {
    /// Every attempt (documents and listings), in completion order.
    pub records: Vec<ManifestRecord>,
    /// New and changed documents, sorted by path.
    pub files: Vec<CrawledFile>,
    /// Documents attempted (listings not counted).
    pub documents: usize,
    /// Attempts by outcome (documents and listings).
    pub by_outcome: BTreeMap<Outcome, usize>,
    /// True for a dry run (nothing downloaded or written).
    pub dry_run: bool,
    /// For a dry run: how long fetching the planned documents would take with these options,
    /// at the fastest and slowest observed ODS resolution ([`estimate_duration`]).
    pub estimate: Option<(Duration, Duration)>,
    /// Hosts that could not be reached at the first contact, with the reason ("cannot reach
    /// documents.un.org: …"). Their documents end as [`Outcome::Unreachable`].
    pub unreachable: BTreeMap<String, String>,
    /// Every source crawled, in the order of the sources file, with what was found for it.
    pub sources: Vec<SourcePlan>,
}

/// ODS symbol resolution times observed by others, fastest and slowest, in seconds
/// (yuiseki/undocs fetching notes, 2026-09; MANIFEST.md section 5). The PDF itself then takes
/// about [`ODS_DOWNLOAD_SECS`].
pub const ODS_RESOLVE_SECS: (u64, u64) = (6, 31);
/// Observed time to download one PDF once resolved, in seconds.
pub const ODS_DOWNLOAD_SECS: u64 = 1;

/// Estimates how long fetching `ods_lookups` ODS documents (symbol x language) and
/// `other_files` direct files takes with `opts`, when one symbol resolution takes `resolve`.
///
/// Model: on the ODS host each look-up makes two requests (resolution, then the file) and keeps
/// one of the `max_in_flight_per_host` slots busy for `resolve + ODS_DOWNLOAD_SECS`; the host's
/// rate limit allows one request per `min_interval`. The host takes the longer of the two
/// bounds. Direct files (Digital Library, OHCHR) take one request each, on their own hosts in
/// parallel, bounded by the rate limit. Retries and listing pages are not counted.
#[must_use]
pub fn estimate_duration(
    ods_lookups: usize,
    other_files: usize,
    opts: &CrawlOptions,
    resolve: Duration,
) -> Duration {
    let slots = u32::try_from(opts.max_in_flight_per_host.max(1)).unwrap_or(u32::MAX);
    let per_lookup = resolve + Duration::from_secs(ODS_DOWNLOAD_SECS);
    let n = u32::try_from(ods_lookups).unwrap_or(u32::MAX);
    let latency_bound = per_lookup * n / slots;
    let rate_bound = opts.min_interval * n.saturating_mul(2);
    let ods = latency_bound.max(rate_bound);
    let other = opts
        .min_interval
        .max(Duration::from_secs(ODS_DOWNLOAD_SECS) / slots)
        * u32::try_from(other_files).unwrap_or(u32::MAX);
    ods.max(other)
}

impl CrawlReport {
    /// Attempts that ended with `outcome`.
    #[must_use]
    pub fn count(&self, outcome: Outcome) -> usize {
        self.by_outcome.get(&outcome).copied().unwrap_or(0)
    }

    /// Attempts (documents and listings) that ended in a failure ([`Outcome::is_failure`]).
    #[must_use]
    pub fn failed(&self) -> usize {
        self.records
            .iter()
            .filter(|r| r.outcome.is_failure())
            .count()
    }

    /// The targets a dry run would fetch.
    #[must_use]
    pub fn planned(&self) -> Vec<&ManifestRecord> {
        self.records
            .iter()
            .filter(|r| r.outcome == Outcome::Planned)
            .collect()
    }
}

/// "4-14 min", "under 1 min".
fn minutes((lo, hi): (Duration, Duration)) -> String {
    if hi < Duration::from_secs(60) {
        return "under 1 min".to_string();
    }
    format!(
        "{:.0}-{:.0} min",
        lo.as_secs_f64() / 60.0,
        hi.as_secs_f64() / 60.0
    )
}

impl CrawlReport {
    /// One line per source: its documents, its estimate, or why it has none.
    fn fmt_sources(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sources.is_empty() {
            return Ok(());
        }
        writeln!(f, "sources:")?;
        for s in &self.sources {
            write!(f, "  {} ({}): ", s.name, s.host)?;
            if s.documents > 0 || s.unknown.is_none() {
                write!(f, "{} documents", s.documents)?;
                if s.ods_lookups > 0 {
                    write!(f, " ({} ODS look-ups)", s.ods_lookups)?;
                }
                if let (true, Some(e)) = (self.dry_run, s.estimate) {
                    write!(f, ", {}", minutes(e))?;
                }
                if let Some(why) = &s.unknown {
                    write!(f, "; and more not counted: {why}")?;
                }
            } else if let Some(why) = &s.unknown {
                let verb = if self.dry_run {
                    "not estimated"
                } else {
                    "nothing listed"
                };
                write!(f, "{verb}: {why}")?;
            }
            if self.unreachable.contains_key(&s.host) {
                write!(f, " [unreachable]")?;
            } else if self.dry_run && s.kind == "ods" {
                write!(f, " [not contacted in a dry run]")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

impl fmt::Display for CrawlReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dry_run {
            writeln!(
                f,
                "dry run: {} documents would be fetched",
                self.count(Outcome::Planned)
            )?;
            if let Some((lo, hi)) = self.estimate {
                let uncounted = self.sources.iter().filter(|s| s.unknown.is_some()).count();
                writeln!(
                    f,
                    "estimated time: {} (ODS resolution {}-{} s per look-up){}",
                    minutes((lo, hi)),
                    ODS_RESOLVE_SECS.0,
                    ODS_RESOLVE_SECS.1,
                    if uncounted > 0 {
                        format!(", not counting what {uncounted} source(s) would add (see below)")
                    } else {
                        String::new()
                    }
                )?;
            }
            for reason in self.unreachable.values() {
                writeln!(f, "{reason}")?;
            }
            self.fmt_sources(f)?;
            for r in self.planned() {
                writeln!(
                    f,
                    "  {} [{}] {}",
                    r.symbols.join("-"),
                    r.language.as_deref().unwrap_or("?"),
                    r.requested_url
                )?;
            }
            return Ok(());
        }
        let tally = |listing: bool| {
            let mut m: BTreeMap<Outcome, usize> = BTreeMap::new();
            for r in self.records.iter().filter(|r| r.listing == listing) {
                *m.entry(r.outcome).or_insert(0) += 1;
            }
            m
        };
        let docs = tally(false);
        let n = |o: Outcome| docs.get(&o).copied().unwrap_or(0);
        write!(
            f,
            "{} documents: {} fetched, {} changed, {} unchanged",
            self.documents,
            n(Outcome::Fetched),
            n(Outcome::Changed),
            n(Outcome::Unchanged),
        )?;
        let rest: Vec<String> = docs
            .iter()
            .filter(|(o, _)| !o.is_success())
            .map(|(o, k)| format!("{} {k}", o.as_str()))
            .collect();
        if !rest.is_empty() {
            write!(f, ", not stored: {}", rest.join(", "))?;
        }
        let lists = tally(true);
        if !lists.is_empty() {
            let l: Vec<String> = lists
                .iter()
                .map(|(o, k)| format!("{} {k}", o.as_str()))
                .collect();
            write!(f, "; listing pages: {}", l.join(", "))?;
        }
        writeln!(f, "; failures: {}", self.failed())?;
        for reason in self.unreachable.values() {
            writeln!(f, "{reason}")?;
        }
        if !self.unreachable.is_empty() {
            self.fmt_sources(f)?;
        }
        Ok(())
    }
}

/// The sources after `--source`, `--lang` and `--base-url` were applied.
fn effective_sources(sources: &Sources, opts: &CrawlOptions) -> Result<Sources, CrawlError> {
    for l in &opts.languages {
        config::check_language(l)?;
    }
    let names = sources.names();
    for n in opts.only_sources.iter().chain(opts.base_urls.keys()) {
        if !names.contains(&n.as_str()) {
            return Err(CrawlError::Config(format!(
                "unknown source {n:?} (known: {})",
                names.join(", ")
            )));
        }
    }
    let keep =
        |name: &str| opts.only_sources.is_empty() || opts.only_sources.iter().any(|n| n == name);
    let langs = |own: &[String]| -> Vec<String> {
        let base: Vec<String> = if own.is_empty() {
            UN_LANGUAGES.iter().map(|s| (*s).to_string()).collect()
        } else {
            own.to_vec()
        };
        let mut l: Vec<String> = base
            .into_iter()
            .filter(|l| opts.languages.is_empty() || opts.languages.contains(l))
            .collect();
        // English first: a language ODS lacks is answered in English, and the English file is
        // then already known when the same bytes come back for another language.
        l.sort_by_key(|x| (x != "en", x.clone()));
        l
    };
    let base = |name: &str, own: &str| {
        opts.base_urls
            .get(name)
            .map_or_else(|| own.to_string(), |b| b.trim_end_matches('/').to_string())
    };
    let mut out = Sources::default();
    for s in sources.ods.iter().filter(|s| keep(&s.name)) {
        let mut s = s.clone();
        s.base_url = base(&s.name, &s.base_url);
        s.languages = langs(&s.languages);
        out.ods.push(s);
    }
    for s in sources.dl.iter().filter(|s| keep(&s.name)) {
        let mut s = s.clone();
        s.base_url = base(&s.name, &s.base_url);
        s.languages = langs(&s.languages);
        out.dl.push(s);
    }
    for s in sources.ohchr.iter().filter(|s| keep(&s.name)) {
        let mut s = s.clone();
        s.base_url = base(&s.name, &s.base_url);
        s.languages = langs(&s.languages);
        out.ohchr.push(s);
    }
    out.validate()?;
    Ok(out)
}

/// Where ODS look-ups go for links found on OHCHR pages: the first ODS source (with its
/// override), else production.
fn ods_endpoint(sources: &Sources, opts: &CrawlOptions) -> (String, String) {
    match sources.ods.first() {
        Some(s) => (
            opts.base_urls.get(&s.name).map_or_else(
                || s.base_url.clone(),
                |b| b.trim_end_matches('/').to_string(),
            ),
            s.viewer_url.clone(),
        ),
        None => (
            "https://documents.un.org".into(),
            "https://docs.un.org".into(),
        ),
    }
}

fn host_of(base: &str) -> Option<String> {
    Url::parse(base).ok().map(|u| http::host_key(&u))
}

/// ODS access-API targets for one symbol (possibly joint) in each language.
fn ods_targets(
    source: &str,
    base: &str,
    viewer: &str,
    symbol: &str,
    languages: &[String],
) -> Vec<Target> {
    let symbols: Vec<String> = match undex_core::parse_joint(symbol) {
        Ok(s) => s.iter().map(|s| s.as_str().to_string()).collect(),
        Err(_) => vec![symbol.trim().to_string()],
    };
    let Some(first) = symbols.first().cloned() else {
        return Vec::new();
    };
    let q = encode_symbol(&first);
    languages
        .iter()
        .map(|lang| Target {
            source: source.to_string(),
            symbols: symbols.clone(),
            language: Some(lang.clone()),
            url: format!("{base}/api/symbol/access?s={q}&l={lang}&t=pdf"),
            referer: Some(format!("{viewer}/{lang}/{first}")),
            ods: true,
            meta: None,
        })
        .collect()
}

/// ODS takes the symbol as is, slashes and parentheses included; only characters that would
/// break the query are escaped.
fn encode_symbol(symbol: &str) -> String {
    symbol
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '&' => "%26".to_string(),
            '#' => "%23".to_string(),
            '+' => "%2B".to_string(),
            '%' => "%25".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Replaces the origin of `url` by `base` when `url` is on `prod_host` (so catalogue links work
/// against a mirror or a test server).
fn rebase(url: &str, prod_host: &str, base: &str) -> String {
    let (Ok(mut u), Ok(b)) = (Url::parse(url), Url::parse(base)) else {
        return url.to_string();
    };
    if u.host_str() != Some(prod_host) || http::host_key(&b) == prod_host {
        return url.to_string();
    }
    // Setting scheme, host and port cannot fail for http(s) URLs with a host.
    let _ = u.set_scheme(b.scheme());
    let _ = u.set_host(b.host_str());
    let _ = u.set_port(b.port());
    u.to_string()
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

struct Run<'a> {
    opts: &'a CrawlOptions,
    fetcher: Fetcher,
    store: Option<Store>,
    progress: &'a dyn CrawlProgress,
    /// (symbols, sha256) → language already stored in this crawl.
    seen: Mutex<BTreeMap<(Vec<String>, String), String>>,
    records: Mutex<Vec<ManifestRecord>>,
}

impl Run<'_> {
    fn record(&self, rec: ManifestRecord) -> Result<ManifestRecord, CrawlError> {
        tracing::debug!(
            source = %rec.source,
            url = %rec.requested_url,
            outcome = rec.outcome.as_str(),
            status = ?rec.status,
            "crawl attempt"
        );
        if let Some(store) = &self.store {
            store.append(&rec)?;
        }
        self.progress.finished(&rec);
        if let Ok(mut r) = self.records.lock() {
            r.push(rec.clone());
        }
        Ok(rec)
    }

    fn base_record(&self, source: &str, url: &str) -> ManifestRecord {
        ManifestRecord {
            source: source.to_string(),
            symbols: Vec::new(),
            language: None,
            detected_language: None,
            requested_url: url.to_string(),
            final_url: None,
            status: None,
            content_type: None,
            bytes: None,
            sha256: None,
            path: None,
            etag: None,
            last_modified: None,
            time: now(),
            outcome: Outcome::Failed,
            requests: 0,
            detail: None,
            meta: None,
            listing: false,
        }
    }

    fn failure_record(&self, mut rec: ManifestRecord, f: Failure) -> ManifestRecord {
        rec.outcome = f.outcome;
        rec.status = f.status;
        rec.final_url = f.final_url;
        rec.detail = Some(f.detail);
        rec.requests = f.requests;
        rec.time = now();
        rec
    }

    /// Reads a listing page; `None` (and a manifest line) when it could not be read.
    async fn listing(&self, source: &str, url: &str) -> Result<Option<String>, CrawlError> {
        self.progress.note(&format!("reading {url}"));
        let mut rec = self.base_record(source, url);
        rec.listing = true;
        let req = Req::default();
        let ans = match self.fetcher.get(url, &req).await {
            Ok(a) => a,
            Err(f) => {
                self.record(self.failure_record(rec, f))?;
                return Ok(None);
            }
        };
        let mut rec = answer_fields(rec, &ans);
        let cf = ans.header("cf-mitigated");
        if check::is_blocked(ans.status, cf.as_deref(), &ans.body) {
            rec.outcome = Outcome::Blocked;
            rec.detail = Some(if ans.status == 202 {
                "empty 202: bot protection, not \"no results\"".into()
            } else {
                "bot challenge page".into()
            });
            self.record(rec)?;
            return Ok(None);
        }
        if ans.status != 200 {
            rec.outcome = if matches!(ans.status, 404 | 410) {
                Outcome::NotFound
            } else {
                Outcome::Failed
            };
            rec.detail = Some(format!("http {}", ans.status));
            self.record(rec)?;
            return Ok(None);
        }
        rec.outcome = Outcome::Listed;
        self.record(rec)?;
        Ok(Some(String::from_utf8_lossy(&ans.body).into_owned()))
    }

    async fn document(&self, t: Target) -> Result<ManifestRecord, CrawlError> {
        let mut rec = self.base_record(&t.source, &t.url);
        rec.symbols.clone_from(&t.symbols);
        rec.language.clone_from(&t.language);
        rec.meta.clone_from(&t.meta);
        let Some(store) = &self.store else {
            rec.outcome = Outcome::Planned;
            return self.record(rec);
        };
        let known = store.known(&t.url).cloned();
        let mut req = Req {
            lowercase_redirects: t.ods,
            if_none_match: known.as_ref().and_then(|k| k.etag.clone()),
            if_modified_since: known.as_ref().and_then(|k| k.last_modified.clone()),
            ..Req::default()
        };
        if t.ods {
            req.headers.push(("accept", "application/pdf".into()));
            req.headers.push(("sec-fetch-site", "same-site".into()));
        }
        if let Some(r) = &t.referer {
            req.headers.push(("referer", r.clone()));
        }
        let ans = match self.fetcher.get(&t.url, &req).await {
            Ok(a) => a,
            Err(f) => return self.record(self.failure_record(rec, f)),
        };
        let mut rec = answer_fields(rec, &ans);
        let cf = ans.header("cf-mitigated");
        if check::is_blocked(ans.status, cf.as_deref(), &ans.body) {
            rec.outcome = Outcome::Blocked;
            rec.detail = Some("bot protection answered instead of the document".into());
            return self.record(rec);
        }
        match ans.status {
            304 => {
                return match known {
                    Some(k) if k.outcome == Outcome::WrongLanguage => {
                        rec.outcome = Outcome::WrongLanguage;
                        rec.sha256 = k.sha256;
                        rec.etag = rec.etag.or(k.etag);
                        rec.last_modified = rec.last_modified.or(k.last_modified);
                        rec.detail = Some("unchanged (304), still another language".into());
                        self.record(rec)
                    }
                    Some(k) => {
                        rec.outcome = Outcome::Unchanged;
                        rec.sha256 = k.sha256;
                        rec.path = k.path;
                        rec.etag = rec.etag.or(k.etag);
                        rec.last_modified = rec.last_modified.or(k.last_modified);
                        self.record(rec)
                    }
                    None => {
                        rec.outcome = Outcome::Failed;
                        rec.detail = Some("304 without a stored copy".into());
                        self.record(rec)
                    }
                };
            }
            200 => {}
            404 | 410 => {
                rec.outcome = Outcome::NotFound;
                rec.detail = Some(format!("http {}", ans.status));
                return self.record(rec);
            }
            s => {
                rec.outcome = Outcome::Failed;
                rec.detail = Some(format!("http {s}"));
                return self.record(rec);
            }
        }
        let Some(kind) = check::sniff(&ans.body) else {
            rec.outcome = if ans.final_url.ends_with("/error") {
                Outcome::NotFound
            } else {
                Outcome::NotADocument
            };
            rec.detail = Some(if check::looks_like_html(&ans.body) {
                format!(
                    "html page of {} bytes where a document was expected",
                    ans.body.len()
                )
            } else {
                format!("{} bytes that are not a pdf, docx or doc", ans.body.len())
            });
            return self.record(rec);
        };
        let sha = sha256_hex(&ans.body);
        if let (true, Some(lang)) = (self.opts.check_language, t.language.as_deref()) {
            let body = ans.body.clone();
            let detected = tokio::task::spawn_blocking(move || check::detect_language(kind, &body))
                .await
                .ok()
                .flatten();
            rec.detected_language = detected.map(str::to_string);
            if let Some(d) = detected.filter(|d| *d != lang) {
                rec.outcome = Outcome::WrongLanguage;
                rec.sha256 = Some(sha);
                rec.detail = Some(format!("asked for {lang}, the text is {d}"));
                return self.record(rec);
            }
        }
        if let (Some(lang), false) = (t.language.as_deref(), t.symbols.is_empty()) {
            let mut seen = self
                .seen
                .lock()
                .map_err(|_| CrawlError::Config("lock poisoned".into()))?;
            let key = (t.symbols.clone(), sha.clone());
            match seen.get(&key) {
                Some(other) if other != lang => {
                    rec.outcome = Outcome::WrongLanguage;
                    rec.sha256 = Some(sha);
                    rec.detail = Some(format!("asked for {lang}, got the same bytes as {other}"));
                    drop(seen);
                    return self.record(rec);
                }
                _ => {
                    seen.insert(key, lang.to_string());
                }
            }
        }
        let known = known.filter(|k| k.outcome != Outcome::WrongLanguage);
        if let Some(k) = known
            .as_ref()
            .filter(|k| k.sha256.as_deref() == Some(sha.as_str()))
        {
            rec.outcome = Outcome::Unchanged;
            rec.sha256 = Some(sha);
            rec.path.clone_from(&k.path);
            return self.record(rec);
        }
        let (sha, path) = store.put(&ans.body, kind).await?;
        rec.outcome = if known.is_some() {
            Outcome::Changed
        } else {
            Outcome::Fetched
        };
        rec.sha256 = Some(sha);
        rec.path = Some(path);
        self.record(rec)
    }

    async fn dl_targets(&self, s: &DlSource) -> Result<Vec<Target>, CrawlError> {
        let mut targets = Vec::new();
        let mut jrec: u64 = 1;
        let mut seen_records = 0u64;
        let max = s.max_records.map(u64::from);
        for _page in 0..10_000 {
            let mut url = Url::parse(&format!("{}/search", s.base_url))
                .map_err(|e| CrawlError::Config(format!("{}: {e}", s.name)))?;
            {
                let mut q = url.query_pairs_mut();
                q.append_pair("p", &s.query);
                if let Some(f) = &s.field {
                    q.append_pair("f", f);
                }
                if let Some(c) = &s.collection {
                    q.append_pair("c", c);
                }
                let rg = max.map_or(u64::from(s.page_size), |m| {
                    (m - seen_records).min(u64::from(s.page_size))
                });
                q.append_pair("of", "xm");
                q.append_pair("rg", &rg.to_string());
                q.append_pair("jrec", &jrec.to_string());
            }
            let Some(xml) = self.listing(&s.name, url.as_str()).await? else {
                break;
            };
            let page = parse_marcxml(&xml);
            if page.records.is_empty() {
                break;
            }
            for r in &page.records {
                let symbols: Vec<String> = r
                    .symbols
                    .iter()
                    .map(|x| {
                        x.parse::<undex_core::DocumentSymbol>()
                            .map_or_else(|_| x.clone(), |d| d.as_str().to_string())
                    })
                    .collect();
                for f in &r.files {
                    let Some(lang) = &f.language else { continue };
                    if !s.languages.contains(lang) {
                        continue;
                    }
                    let mut meta = r.meta.clone();
                    meta.expected_bytes = f.bytes;
                    targets.push(Target {
                        source: s.name.clone(),
                        symbols: symbols.clone(),
                        language: Some(lang.clone()),
                        url: rebase(&f.url, "digitallibrary.un.org", &s.base_url),
                        referer: None,
                        ods: false,
                        meta: Some(meta),
                    });
                }
            }
            seen_records += page.records.len() as u64;
            jrec += page.records.len() as u64;
            if page.total.is_some_and(|t| jrec > t) || max.is_some_and(|m| seen_records >= m) {
                break;
            }
        }
        Ok(targets)
    }

    async fn ohchr_targets(
        &self,
        s: &OhchrSource,
        ods_base: &str,
        ods_viewer: &str,
    ) -> Result<Vec<Target>, CrawlError> {
        let mut pages: Vec<String> = Vec::new();
        if let Some([first, last]) = s.hrc_sessions {
            for n in first..=last {
                pages.push(format!(
                    "{}/en/hr-bodies/hrc/regular-sessions/session{n}/list-reports",
                    s.base_url
                ));
            }
        }
        for p in &s.special_procedures {
            pages.push(format!("{}/{}", s.base_url, p.trim_start_matches('/')));
        }
        let mut links = BTreeSet::new();
        for page in pages {
            let Ok(page_url) = Url::parse(&page) else {
                continue;
            };
            if let Some(html) = self.listing(&s.name, &page).await? {
                links.extend(parse_listing(&html, &page_url));
            }
        }
        let mut targets = Vec::new();
        for link in links {
            match link {
                ListingLink::Symbol(sym) => {
                    targets.extend(ods_targets(
                        &s.name,
                        ods_base,
                        ods_viewer,
                        &sym,
                        &s.languages,
                    ));
                }
                ListingLink::File { url, symbol } => {
                    let lang = language_from_file_name(&url).map(str::to_string);
                    if lang.as_ref().is_some_and(|l| !s.languages.contains(l)) {
                        continue;
                    }
                    let url = rebase(&url, "www.ohchr.org", &s.base_url);
                    targets.push(Target {
                        source: s.name.clone(),
                        symbols: symbol
                            .and_then(|x| undex_core::parse_joint(&x).ok())
                            .map(|v| v.iter().map(|d| d.as_str().to_string()).collect())
                            .unwrap_or_default(),
                        language: lang,
                        url,
                        referer: None,
                        ods: false,
                        meta: None,
                    });
                }
            }
        }
        Ok(targets)
    }
}

fn answer_fields(mut rec: ManifestRecord, ans: &Answer) -> ManifestRecord {
    rec.final_url = Some(ans.final_url.clone());
    rec.status = Some(ans.status);
    rec.content_type = ans.header("content-type");
    rec.bytes = Some(ans.body.len() as u64);
    rec.etag = ans.header("etag");
    rec.last_modified = ans.header("last-modified");
    rec.requests = ans.requests;
    rec.time = now();
    rec
}

/// Crawls `sources` as `opts` says, writing under `opts.out_dir`.
///
/// Listings are read first (Digital Library pages, OHCHR pages), then documents are fetched with
/// at most `opts.concurrency` in progress and `opts.max_in_flight_per_host` requests per host.
/// Dropping the returned future (or killing the process) at any point leaves the store
/// consistent; the next call resumes, answering already stored documents by conditional requests.
/// Two crawls must not use the same output directory at the same time (the second removes the
/// first one's temporary files when it starts).
///
/// # Errors
/// [`CrawlError::Config`] for an unknown source name or language in `opts`, [`CrawlError::Io`]
/// when the output cannot be written, [`CrawlError::Client`] when no HTTP client can be built,
/// and [`CrawlError::Incomplete`] when `opts.strict` is set and some document failed. Failures
/// of single documents are otherwise recorded, not returned.
pub async fn crawl(
    sources: &Sources,
    opts: &CrawlOptions,
    progress: &dyn CrawlProgress,
) -> Result<CrawlReport, CrawlError> {
    let sources = effective_sources(sources, opts)?;
    let (ods_base, ods_viewer) = ods_endpoint(&sources, opts);
    let mut allowed: BTreeSet<String> = sources
        .ods
        .iter()
        .map(|s| s.base_url.as_str())
        .chain(sources.dl.iter().map(|s| s.base_url.as_str()))
        .chain(sources.ohchr.iter().map(|s| s.base_url.as_str()))
        .filter_map(host_of)
        .collect();
    if !sources.ohchr.is_empty() {
        allowed.extend(host_of(&ods_base));
    }
    allowed.extend(opts.extra_allowed_hosts.iter().cloned());
    let store = if opts.dry_run {
        None
    } else {
        Some(Store::open(&opts.out_dir)?)
    };
    let run = Run {
        opts,
        fetcher: Fetcher::new(opts, allowed)?,
        store,
        progress,
        seen: Mutex::new(BTreeMap::new()),
        records: Mutex::new(Vec::new()),
    };

    // The first contact with every host, all at once, before any listing is read: a host
    // that cannot be reached is said within seconds and its documents are not tried. A dry
    // run contacts only the hosts whose listings it reads.
    let mut probe_bases: Vec<&str> = Vec::new();
    if !opts.dry_run {
        probe_bases.extend(sources.ods.iter().map(|s| s.base_url.as_str()));
        if !sources.ohchr.is_empty() {
            probe_bases.push(&ods_base);
        }
    }
    probe_bases.extend(sources.dl.iter().map(|s| s.base_url.as_str()));
    probe_bases.extend(sources.ohchr.iter().map(|s| s.base_url.as_str()));
    let mut by_host: BTreeMap<String, &str> = BTreeMap::new();
    for base in probe_bases {
        if let Some(host) = host_of(base) {
            by_host.entry(host).or_insert(base);
        }
    }
    let fetcher = &run.fetcher;
    let reached = futures_util::future::join_all(
        by_host
            .into_iter()
            .map(|(host, base)| async move { (host, fetcher.reach(base).await) }),
    )
    .await;
    let mut unreachable = BTreeMap::new();
    for (host, reach) in reached {
        if let Err(reason) = reach {
            tracing::debug!(host = %host, "{reason}");
            progress.unreachable(&host, &reason);
            unreachable.insert(host, reason);
        }
    }

    let mut targets: Vec<Target> = Vec::new();
    for s in &sources.ods {
        for d in &s.documents {
            targets.extend(ods_targets(
                &s.name,
                &s.base_url,
                &s.viewer_url,
                &d.symbol,
                &s.languages,
            ));
        }
    }
    for s in &sources.dl {
        targets.extend(run.dl_targets(s).await?);
    }
    for s in &sources.ohchr {
        targets.extend(run.ohchr_targets(s, &ods_base, &ods_viewer).await?);
    }
    let mut unique = BTreeSet::new();
    targets.retain(|t| unique.insert(t.url.clone()));
    if let Some(limit) = opts.limit {
        targets.truncate(limit);
    }
    let documents = targets.len();
    let ods_lookups = targets.iter().filter(|t| t.ods).count();
    let estimate = opts.dry_run.then(|| {
        let e = |secs| {
            estimate_duration(
                ods_lookups,
                documents - ods_lookups,
                opts,
                Duration::from_secs(secs),
            )
        };
        (e(ODS_RESOLVE_SECS.0), e(ODS_RESOLVE_SECS.1))
    });
    progress.planned(documents);
    // (documents, ODS look-ups) by source.
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for t in &targets {
        let c = counts.entry(t.source.clone()).or_default();
        c.0 += 1;
        c.1 += usize::from(t.ods);
    }

    let results: Vec<Result<ManifestRecord, CrawlError>> = futures_util::stream::iter(targets)
        .map(|t| run.document(t))
        .buffer_unordered(opts.concurrency.max(1))
        .collect()
        .await;
    let per_source = |name: &str| counts.get(name).copied().unwrap_or_default();
    let mut plans: Vec<SourcePlan> = Vec::new();
    let plan = |name: &str, kind: &'static str, base: &str| {
        let (documents, ods_lookups) = per_source(name);
        let e = |secs| {
            estimate_duration(
                ods_lookups,
                documents - ods_lookups,
                opts,
                Duration::from_secs(secs),
            )
        };
        SourcePlan {
            name: name.to_string(),
            kind,
            host: host_of(base).unwrap_or_default(),
            documents,
            ods_lookups,
            listing_pages: 0,
            listing_failures: 0,
            unknown: None,
            estimate: (documents > 0).then(|| (e(ODS_RESOLVE_SECS.0), e(ODS_RESOLVE_SECS.1))),
        }
    };
    for s in &sources.ods {
        plans.push(plan(&s.name, "ods", &s.base_url));
    }
    for s in &sources.dl {
        plans.push(plan(&s.name, "dl", &s.base_url));
    }
    for s in &sources.ohchr {
        let mut p = plan(&s.name, "ohchr", &s.base_url);
        p.listing_pages = s
            .hrc_sessions
            .map_or(0, |[a, b]| (b.saturating_sub(a) + 1) as usize)
            + s.special_procedures.len();
        plans.push(p);
    }

    let mut report = CrawlReport {
        documents,
        dry_run: opts.dry_run,
        estimate,
        unreachable,
        ..CrawlReport::default()
    };
    for r in results {
        let rec = r?;
        if let (Outcome::Fetched | Outcome::Changed, Some(path)) = (rec.outcome, &rec.path) {
            report.files.push(CrawledFile {
                path: opts.out_dir.join(path),
                record: rec.clone(),
            });
        }
    }
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    report.records = run.records.lock().map(|r| r.clone()).unwrap_or_default();
    for r in &report.records {
        *report.by_outcome.entry(r.outcome).or_insert(0) += 1;
    }
    for p in &mut plans {
        let listings: Vec<&ManifestRecord> = report
            .records
            .iter()
            .filter(|r| r.listing && r.source == p.name)
            .collect();
        let failed: Vec<&&ManifestRecord> = listings
            .iter()
            .filter(|r| !r.outcome.is_success())
            .collect();
        if p.kind == "dl" {
            p.listing_pages = listings.len();
        }
        p.listing_failures = failed.len();
        let Some(first) = failed.first() else {
            continue;
        };
        let detail = if first.outcome == Outcome::Unreachable {
            "host unreachable".to_string()
        } else {
            first
                .detail
                .clone()
                .unwrap_or_else(|| first.outcome.as_str().to_string())
        };
        p.unknown = Some(
            match (p.kind, sources.dl.iter().find(|s| s.name == p.name)) {
                ("dl", Some(s)) => {
                    let langs = s.languages.len();
                    let asked = s.max_records.map_or_else(
                        || "every matching record".to_string(),
                        |m| format!("at most {m} records"),
                    );
                    let files = s
                        .max_records
                        .map(|m| format!(" (up to {} files)", m as usize * langs))
                        .unwrap_or_default();
                    format!(
                        "its catalogue search could not be read ({detail}); it asks for {asked} \
                     in {langs} language(s){files}"
                    )
                }
                _ => format!(
                    "{} of {} listing pages could not be read ({detail}); the documents they link \
                 are not counted",
                    p.listing_failures,
                    p.listing_pages.max(p.listing_failures)
                ),
            },
        );
    }
    report.sources = plans;
    let failed = report.failed();
    if opts.strict && failed > 0 {
        return Err(CrawlError::Incomplete {
            failed,
            attempted: documents,
        });
    }
    Ok(report)
}
