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
use undex_core::Language;
use url::Url;

pub use check::{
    FileKind, detect_language, is_blocked, language_from_file_name, language_from_label,
    language_of_text, looks_like_html, repair_mojibake, sniff,
};
pub use config::{
    CrawlOptions, DlSource, OdsDocument, OdsSource, OhchrSource, Sources, load_sources, un_language,
};
pub use dl::{DlFile, DlPage, DlRecord, parse_marcxml};
pub use error::CrawlError;
pub use ohchr::{ListingLink, parse_listing};
pub use store::{ManifestRecord, Outcome, RecordMeta, read_manifest, sha256_hex};

use http::{Answer, Failure, Fetcher, Req};
use store::{Known, Store};

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
    pub language: Option<Language>,
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
                    r.language.map_or("?", Language::as_str),
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
        config::check_language(*l)?;
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
    let langs = |own: &[Language]| -> Vec<Language> {
        let base: &[Language] = if own.is_empty() {
            &Language::OFFICIAL
        } else {
            own
        };
        let mut l: Vec<Language> = base
            .iter()
            .copied()
            .filter(|l| opts.languages.is_empty() || opts.languages.contains(l))
            .collect();
        // English first: a language ODS lacks is answered in English, and the English file is
        // then already known when the same bytes come back for another language. Then by
        // code, as ODS spells them.
        l.sort_by_key(|x| (*x != Language::En, x.as_str()));
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
    languages: &[Language],
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
            language: Some(*lang),
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
    seen: Mutex<BTreeMap<(Vec<String>, String), Language>>,
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
        let mut rec = ManifestRecord::started(source, url, now());
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
            rec.outcome = http_error(ans.status);
            rec.detail = Some(format!("http {}", ans.status));
            self.record(rec)?;
            return Ok(None);
        }
        rec.outcome = Outcome::Listed;
        self.record(rec)?;
        Ok(Some(String::from_utf8_lossy(&ans.body).into_owned()))
    }

    /// Fetches one document and writes its manifest line: a conditional request when a copy
    /// is stored ([`document_request`]), then the answer is judged ([`document_kind`]), its
    /// language checked ([`Run::language_mismatch`], [`Run::same_bytes_as`]) and the bytes
    /// stored when new ([`Run::keep`]). A dry run only plans.
    async fn document(&self, t: Target) -> Result<ManifestRecord, CrawlError> {
        let mut rec = ManifestRecord::started(&t.source, &t.url, now());
        rec.symbols.clone_from(&t.symbols);
        rec.language = t.language;
        rec.meta.clone_from(&t.meta);
        let Some(store) = &self.store else {
            rec.outcome = Outcome::Planned;
            return self.record(rec);
        };
        let known = store.known(&t.url).cloned();
        let req = document_request(&t, known.as_ref());
        let ans = match self.fetcher.get(&t.url, &req).await {
            Ok(a) => a,
            Err(f) => return self.record(self.failure_record(rec, f)),
        };
        let mut rec = answer_fields(rec, &ans);
        let Some(kind) = document_kind(&mut rec, &ans, known.as_ref()) else {
            return self.record(rec);
        };
        let sha = sha256_hex(&ans.body);
        let wrong = match self.language_mismatch(&t, kind, &ans.body, &mut rec).await {
            Some(detail) => Some(detail),
            None => self.same_bytes_as(&t, &sha)?,
        };
        if let Some(detail) = wrong {
            rec.outcome = Outcome::WrongLanguage;
            rec.sha256 = Some(sha);
            rec.detail = Some(detail);
            return self.record(rec);
        }
        self.keep(store, rec, known, &sha, &ans.body, kind).await
    }

    /// ODS answers a language it does not have with the English file, status 200: with
    /// `check_language`, the text's language is detected (and recorded) and a mismatch with
    /// the language asked for is returned as the detail of a wrong-language record.
    async fn language_mismatch(
        &self,
        t: &Target,
        kind: FileKind,
        body: &[u8],
        rec: &mut ManifestRecord,
    ) -> Option<String> {
        let (true, Some(lang)) = (self.opts.check_language, t.language) else {
            return None;
        };
        let body = body.to_vec();
        let detected = tokio::task::spawn_blocking(move || check::detect_language(kind, &body))
            .await
            .ok()
            .flatten();
        rec.detected_language = detected;
        detected
            .filter(|d| *d != lang)
            .map(|d| format!("asked for {lang}, the text is {d}"))
    }

    /// The same bytes already came back in this crawl for another language of the same
    /// symbols (ODS's English fallback, caught even when the text's language cannot be
    /// detected; English is fetched first): the detail of a wrong-language record. Otherwise
    /// remembers the bytes as this language's.
    fn same_bytes_as(&self, t: &Target, sha: &str) -> Result<Option<String>, CrawlError> {
        let (Some(lang), false) = (t.language, t.symbols.is_empty()) else {
            return Ok(None);
        };
        let mut seen = self
            .seen
            .lock()
            .map_err(|_| CrawlError::Config("lock poisoned".into()))?;
        let key = (t.symbols.clone(), sha.to_string());
        match seen.get(&key) {
            Some(&other) if other != lang => Ok(Some(format!(
                "asked for {lang}, got the same bytes as {other}"
            ))),
            _ => {
                seen.insert(key, lang);
                Ok(None)
            }
        }
    }

    /// Records a document that holds the right language: unchanged when the stored copy has
    /// the same bytes (a server that ignores conditional requests), else stored as fetched
    /// (first time) or changed.
    async fn keep(
        &self,
        store: &Store,
        mut rec: ManifestRecord,
        known: Option<Known>,
        sha: &str,
        body: &[u8],
        kind: FileKind,
    ) -> Result<ManifestRecord, CrawlError> {
        let known = known.filter(|k| k.outcome != Outcome::WrongLanguage);
        if let Some(k) = known.as_ref().filter(|k| k.sha256.as_deref() == Some(sha)) {
            rec.outcome = Outcome::Unchanged;
            rec.sha256 = Some(sha.to_string());
            rec.path.clone_from(&k.path);
            return self.record(rec);
        }
        let (sha, path) = store.put(body, kind).await?;
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
            let mut url = Url::parse(&format!("{}/search", s.base_url)).map_err(|source| {
                CrawlError::BaseUrl {
                    name: s.name.clone(),
                    source,
                }
            })?;
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
                    let Some(lang) = f.language else { continue };
                    if !s.languages.contains(&lang) {
                        continue;
                    }
                    let mut meta = r.meta.clone();
                    meta.expected_bytes = f.bytes;
                    targets.push(Target {
                        source: s.name.clone(),
                        symbols: symbols.clone(),
                        language: Some(lang),
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
                    let lang = language_from_file_name(&url);
                    if lang.is_some_and(|l| !s.languages.contains(&l)) {
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

    /// The first contact with every host, all at once, before any listing is read: a host
    /// that cannot be reached is told to `progress` within seconds, and its documents are not
    /// tried. Returns the unreachable hosts with the reason.
    async fn probe_hosts(&self, sources: &Sources, ods_base: &str) -> BTreeMap<String, String> {
        let fetcher = &self.fetcher;
        let reached = futures_util::future::join_all(
            probe_bases(sources, ods_base, self.opts.dry_run)
                .into_iter()
                .map(|(host, base)| async move { (host, fetcher.reach(base).await) }),
        )
        .await;
        let mut unreachable = BTreeMap::new();
        for (host, reach) in reached {
            if let Err(reason) = reach {
                tracing::debug!(host = %host, "{reason}");
                self.progress.unreachable(&host, &reason);
                unreachable.insert(host, reason);
            }
        }
        unreachable
    }

    /// Every document to fetch: ODS symbols in each language, then the files of Digital
    /// Library records and of OHCHR listings (read now), each URL once, at most `opts.limit`.
    async fn targets(
        &self,
        sources: &Sources,
        ods_base: &str,
        ods_viewer: &str,
    ) -> Result<Vec<Target>, CrawlError> {
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
            targets.extend(self.dl_targets(s).await?);
        }
        for s in &sources.ohchr {
            targets.extend(self.ohchr_targets(s, ods_base, ods_viewer).await?);
        }
        let mut unique = BTreeSet::new();
        targets.retain(|t| unique.insert(t.url.clone()));
        if let Some(limit) = self.opts.limit {
            targets.truncate(limit);
        }
        Ok(targets)
    }
}

/// The request for a document: conditional (`If-None-Match` / `If-Modified-Since`) when a copy
/// is known. An ODS look-up asks for a PDF as the ODS web viewer does (`Accept`,
/// `Sec-Fetch-Site: same-site`, `Referer` of the viewer page) and lower-cases the path of the
/// redirect, whose upper-case form answers an HTML app instead of the file.
fn document_request(t: &Target, known: Option<&Known>) -> Req {
    let mut req = Req {
        lowercase_redirects: t.ods,
        if_none_match: known.and_then(|k| k.etag.clone()),
        if_modified_since: known.and_then(|k| k.last_modified.clone()),
        ..Req::default()
    };
    if t.ods {
        req.headers.push(("accept", "application/pdf".into()));
        req.headers.push(("sec-fetch-site", "same-site".into()));
    }
    if let Some(r) = &t.referer {
        req.headers.push(("referer", r.clone()));
    }
    req
}

/// The kind of document an answer holds; `None` when it holds none, and `rec` then says why:
/// a bot challenge, 304 ([`not_modified`]), an HTTP error, or bytes that are no document
/// ([`not_a_document`]).
fn document_kind(
    rec: &mut ManifestRecord,
    ans: &Answer,
    known: Option<&Known>,
) -> Option<FileKind> {
    let cf = ans.header("cf-mitigated");
    if check::is_blocked(ans.status, cf.as_deref(), &ans.body) {
        rec.outcome = Outcome::Blocked;
        rec.detail = Some("bot protection answered instead of the document".into());
        return None;
    }
    match ans.status {
        304 => {
            not_modified(rec, known);
            return None;
        }
        200 => {}
        s => {
            rec.outcome = http_error(s);
            rec.detail = Some(format!("http {s}"));
            return None;
        }
    }
    let kind = check::sniff(&ans.body);
    if kind.is_none() {
        not_a_document(rec, ans);
    }
    kind
}

/// The outcome of a final status other than 200 and 304: 404 and 410 say the document does
/// not exist, anything else is a failure.
fn http_error(status: u16) -> Outcome {
    if matches!(status, 404 | 410) {
        Outcome::NotFound
    } else {
        Outcome::Failed
    }
}

/// A 304 to a conditional request: the stored copy stands (its hash and path carried over),
/// or, for a copy remembered as the wrong language, still the wrong language; a 304 with no
/// known copy is a failure.
fn not_modified(rec: &mut ManifestRecord, known: Option<&Known>) {
    let Some(k) = known else {
        rec.outcome = Outcome::Failed;
        rec.detail = Some("304 without a stored copy".into());
        return;
    };
    rec.sha256.clone_from(&k.sha256);
    if rec.etag.is_none() {
        rec.etag.clone_from(&k.etag);
    }
    if rec.last_modified.is_none() {
        rec.last_modified.clone_from(&k.last_modified);
    }
    if k.outcome == Outcome::WrongLanguage {
        rec.outcome = Outcome::WrongLanguage;
        rec.detail = Some("unchanged (304), still another language".into());
    } else {
        rec.outcome = Outcome::Unchanged;
        rec.path.clone_from(&k.path);
    }
}

/// A 200 whose bytes are no PDF, DOCX or DOC. ODS redirects a symbol it does not know to a
/// page ending in `/error`: not found. Anything else (ODS's HTML app at an upper-case path, a
/// portal page) is not a document.
fn not_a_document(rec: &mut ManifestRecord, ans: &Answer) {
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
    let allowed = allowed_hosts(&sources, &ods_base, opts);
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
    let unreachable = run.probe_hosts(&sources, &ods_base).await;
    let targets = run.targets(&sources, &ods_base, &ods_viewer).await?;
    let documents = targets.len();
    let ods_lookups = targets.iter().filter(|t| t.ods).count();
    let estimate = opts
        .dry_run
        .then(|| estimate_range(ods_lookups, documents, opts));
    progress.planned(documents);
    let counts = counts_by_source(&targets);
    let results: Vec<Result<ManifestRecord, CrawlError>> = futures_util::stream::iter(targets)
        .map(|t| run.document(t))
        .buffer_unordered(opts.concurrency.max(1))
        .collect()
        .await;
    let mut plans = source_plans(&sources, &counts, opts);
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
        count_listings(p, &report.records, &sources);
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

/// The hosts a crawl may contact: those of every source's base URL, the ODS host when OHCHR
/// listings are read (they link symbols that ODS resolves), and the extra hosts of `opts`.
fn allowed_hosts(sources: &Sources, ods_base: &str, opts: &CrawlOptions) -> BTreeSet<String> {
    let mut allowed: BTreeSet<String> = sources
        .ods
        .iter()
        .map(|s| s.base_url.as_str())
        .chain(sources.dl.iter().map(|s| s.base_url.as_str()))
        .chain(sources.ohchr.iter().map(|s| s.base_url.as_str()))
        .filter_map(host_of)
        .collect();
    if !sources.ohchr.is_empty() {
        allowed.extend(host_of(ods_base));
    }
    allowed.extend(opts.extra_allowed_hosts.iter().cloned());
    allowed
}

/// One base URL per host to contact first, keyed by host: the ODS hosts (not in a dry run,
/// which reads listings only), then the Digital Library and OHCHR hosts; the first base URL
/// of a host stands for it.
fn probe_bases<'a>(
    sources: &'a Sources,
    ods_base: &'a str,
    dry_run: bool,
) -> BTreeMap<String, &'a str> {
    let mut bases: Vec<&str> = Vec::new();
    if !dry_run {
        bases.extend(sources.ods.iter().map(|s| s.base_url.as_str()));
        if !sources.ohchr.is_empty() {
            bases.push(ods_base);
        }
    }
    bases.extend(sources.dl.iter().map(|s| s.base_url.as_str()));
    bases.extend(sources.ohchr.iter().map(|s| s.base_url.as_str()));
    let mut by_host: BTreeMap<String, &str> = BTreeMap::new();
    for base in bases {
        if let Some(host) = host_of(base) {
            by_host.entry(host).or_insert(base);
        }
    }
    by_host
}

/// The fastest and slowest estimate ([`ODS_RESOLVE_SECS`]) for `documents` of which
/// `ods_lookups` are ODS look-ups.
fn estimate_range(
    ods_lookups: usize,
    documents: usize,
    opts: &CrawlOptions,
) -> (Duration, Duration) {
    let e = |secs| {
        estimate_duration(
            ods_lookups,
            documents - ods_lookups,
            opts,
            Duration::from_secs(secs),
        )
    };
    (e(ODS_RESOLVE_SECS.0), e(ODS_RESOLVE_SECS.1))
}

/// (documents, ODS look-ups) of the targets, by source name.
fn counts_by_source(targets: &[Target]) -> BTreeMap<String, (usize, usize)> {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for t in targets {
        let c = counts.entry(t.source.clone()).or_default();
        c.0 += 1;
        c.1 += usize::from(t.ods);
    }
    counts
}

/// One plan per source, in the order of the sources file (ODS, Digital Library, OHCHR), with
/// its document counts and estimate; an OHCHR source has one listing page per HRC session and
/// per special-procedures page (Digital Library pages are counted after the crawl).
fn source_plans(
    sources: &Sources,
    counts: &BTreeMap<String, (usize, usize)>,
    opts: &CrawlOptions,
) -> Vec<SourcePlan> {
    let plan = |name: &str, kind: &'static str, base: &str| {
        let (documents, ods_lookups) = counts.get(name).copied().unwrap_or_default();
        SourcePlan {
            name: name.to_string(),
            kind,
            host: host_of(base).unwrap_or_default(),
            documents,
            ods_lookups,
            listing_pages: 0,
            listing_failures: 0,
            unknown: None,
            estimate: (documents > 0).then(|| estimate_range(ods_lookups, documents, opts)),
        }
    };
    let mut plans: Vec<SourcePlan> = Vec::new();
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
    plans
}

/// Fills the listing counts of a plan from the crawl's records, and, when a listing failed,
/// says why its documents could not all be counted ([`unknown_count`]).
fn count_listings(p: &mut SourcePlan, records: &[ManifestRecord], sources: &Sources) {
    let listings: Vec<&ManifestRecord> = records
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
        return;
    };
    let detail = if first.outcome == Outcome::Unreachable {
        "host unreachable".to_string()
    } else {
        first
            .detail
            .clone()
            .unwrap_or_else(|| first.outcome.as_str().to_string())
    };
    let dl = sources.dl.iter().find(|s| s.name == p.name);
    p.unknown = Some(unknown_count(p, dl, &detail));
}

/// Why a source's documents could not all be counted, `detail` being the first listing
/// failure: a Digital Library search says how many records and files it asked for, an OHCHR
/// source how many of its pages went unread.
fn unknown_count(p: &SourcePlan, dl: Option<&DlSource>, detail: &str) -> String {
    match (p.kind, dl) {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ManifestRecord {
        ManifestRecord::started("ods", "https://documents.un.org/x", 0)
    }

    fn known(outcome: Outcome) -> Known {
        Known {
            outcome,
            sha256: Some("abc".into()),
            path: Some("raw/abc.pdf".into()),
            etag: Some("\"old\"".into()),
            last_modified: Some("Mon, 01 Jan 2024 00:00:00 GMT".into()),
        }
    }

    fn answer(status: u16, final_url: &str, body: &[u8]) -> Answer {
        Answer {
            status,
            final_url: final_url.into(),
            headers: reqwest::header::HeaderMap::new(),
            body: body.to_vec(),
            requests: 1,
        }
    }

    fn sources() -> Sources {
        Sources::from_toml(
            "[[ods]]\nname = 'ods'\nbase_url = 'http://127.0.0.1:9001'\n\
             [[ods.documents]]\nsymbol = 'A/79/875'\n\
             [[dl]]\nname = 'dl'\nbase_url = 'http://127.0.0.1:9002'\nquery = 'x'\n\
             max_records = 10\nlanguages = ['en', 'fr']\n\
             [[ohchr]]\nname = 'ohchr'\nbase_url = 'http://127.0.0.1:9003'\n\
             hrc_sessions = [57, 59]\nspecial_procedures = ['/a']\n",
        )
        .expect("test sources")
    }

    #[test]
    fn an_ods_request_asks_for_a_pdf_as_the_viewer_does_and_is_conditional() {
        let t = Target {
            source: "ods".into(),
            symbols: vec!["A/79/875".into()],
            language: Some(Language::Fr),
            url: "https://documents.un.org/api/symbol/access?s=A/79/875&l=fr&t=pdf".into(),
            referer: Some("https://docs.un.org/fr/A/79/875".into()),
            ods: true,
            meta: None,
        };
        let k = known(Outcome::Fetched);
        let req = document_request(&t, Some(&k));
        assert!(req.lowercase_redirects);
        assert_eq!(req.if_none_match.as_deref(), Some("\"old\""));
        assert!(req.if_modified_since.is_some());
        let names: Vec<&str> = req.headers.iter().map(|h| h.0).collect();
        assert_eq!(names, ["accept", "sec-fetch-site", "referer"]);
        let plain = Target {
            ods: false,
            referer: None,
            ..t
        };
        let req = document_request(&plain, None);
        assert!(!req.lowercase_redirects && req.headers.is_empty());
        assert!(req.if_none_match.is_none());
    }

    #[test]
    fn a_304_keeps_the_stored_copy_or_its_wrong_language() {
        let mut rec = record();
        rec.etag = Some("\"new\"".into());
        not_modified(&mut rec, Some(&known(Outcome::Fetched)));
        assert_eq!(rec.outcome, Outcome::Unchanged);
        assert_eq!(rec.path.as_deref(), Some("raw/abc.pdf"));
        // The server's validator wins over the stored one.
        assert_eq!(rec.etag.as_deref(), Some("\"new\""));
        assert!(rec.last_modified.is_some());
        let mut rec = record();
        not_modified(&mut rec, Some(&known(Outcome::WrongLanguage)));
        assert_eq!(rec.outcome, Outcome::WrongLanguage);
        assert_eq!(rec.sha256.as_deref(), Some("abc"));
        assert!(rec.path.is_none());
        let mut rec = record();
        not_modified(&mut rec, None);
        assert_eq!(rec.outcome, Outcome::Failed);
        assert_eq!(rec.detail.as_deref(), Some("304 without a stored copy"));
    }

    #[test]
    fn answers_without_a_document_say_why() {
        let mut rec = record();
        let kind = document_kind(
            &mut rec,
            &answer(200, "https://x/a.pdf", b"%PDF-1.7\n"),
            None,
        );
        assert_eq!(kind, Some(FileKind::Pdf));
        // ODS's upper-case path answers an HTML app with status 200.
        let mut rec = record();
        let html = answer(200, "https://x/A.PDF", b"<!DOCTYPE html><html></html>");
        assert_eq!(document_kind(&mut rec, &html, None), None);
        assert_eq!(rec.outcome, Outcome::NotADocument);
        assert!(rec.detail.as_deref().unwrap().starts_with("html page of"));
        // An unknown symbol ends on ODS's error page.
        let mut rec = record();
        document_kind(&mut rec, &answer(200, "https://x/error", b"<html>"), None);
        assert_eq!(rec.outcome, Outcome::NotFound);
        let mut rec = record();
        document_kind(&mut rec, &answer(410, "https://x/a", b""), None);
        assert_eq!(
            (rec.outcome, rec.detail.as_deref()),
            (Outcome::NotFound, Some("http 410"))
        );
        let mut rec = record();
        document_kind(&mut rec, &answer(500, "https://x/a", b""), None);
        assert_eq!(rec.outcome, Outcome::Failed);
        // An empty 202 is bot protection.
        let mut rec = record();
        document_kind(&mut rec, &answer(202, "https://x/a", b""), None);
        assert_eq!(rec.outcome, Outcome::Blocked);
    }

    #[test]
    fn hosts_to_allow_and_to_probe() {
        let s = sources();
        let opts = CrawlOptions::default();
        let allowed = allowed_hosts(&s, "http://127.0.0.1:9009", &opts);
        for h in [
            "127.0.0.1:9001",
            "127.0.0.1:9002",
            "127.0.0.1:9003",
            "127.0.0.1:9009",
        ] {
            assert!(allowed.contains(h), "{h}");
        }
        let probed = probe_bases(&s, "http://127.0.0.1:9009", false);
        assert_eq!(probed.len(), 4);
        // A dry run reads listings only: the ODS hosts are not contacted.
        let dry = probe_bases(&s, "http://127.0.0.1:9009", true);
        let hosts: Vec<&str> = dry.keys().map(String::as_str).collect();
        assert_eq!(hosts, ["127.0.0.1:9002", "127.0.0.1:9003"]);
    }

    #[test]
    fn plans_count_documents_and_listing_failures() {
        let s = sources();
        let opts = CrawlOptions::default();
        let t = |source: &str, ods: bool| Target {
            source: source.into(),
            symbols: Vec::new(),
            language: None,
            url: String::new(),
            referer: None,
            ods,
            meta: None,
        };
        let counts = counts_by_source(&[t("ods", true), t("ods", true), t("dl", false)]);
        assert_eq!(counts["ods"], (2, 2));
        let mut plans = source_plans(&s, &counts, &opts);
        let names: Vec<&str> = plans.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["ods", "dl", "ohchr"]);
        assert_eq!(plans[2].listing_pages, 4);
        assert!(plans[2].estimate.is_none());
        let mut failed = record();
        failed.source = "dl".into();
        failed.listing = true;
        failed.outcome = Outcome::Blocked;
        failed.detail = Some("bot challenge page".into());
        for p in &mut plans {
            count_listings(p, std::slice::from_ref(&failed), &s);
        }
        assert_eq!((plans[1].listing_pages, plans[1].listing_failures), (1, 1));
        assert_eq!(
            plans[1].unknown.as_deref(),
            Some(
                "its catalogue search could not be read (bot challenge page); it asks for at \
                 most 10 records in 2 language(s) (up to 20 files)"
            )
        );
        assert!(plans[0].unknown.is_none());
    }
}
