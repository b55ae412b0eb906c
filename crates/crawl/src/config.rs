//! What to crawl (`corpus/sources.toml`, [`Sources`]) and how ([`CrawlOptions`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize};
use undex_core::Language;

use crate::CrawlError;

/// Every source undex knows how to crawl, as declared in `corpus/sources.toml`.
///
/// Each source has a `name` (used by `--source` and `--base-url NAME=URL`) and a `base_url`
/// (scheme, host and optional port, no trailing slash) that tests point at loopback.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    /// Documents resolved by symbol through the ODS access API.
    #[serde(default)]
    pub ods: Vec<OdsSource>,
    /// UN Digital Library MARCXML searches.
    #[serde(default)]
    pub dl: Vec<DlSource>,
    /// OHCHR listing pages (HRC "list of reports", Special Procedures thematic reports).
    #[serde(default)]
    pub ohchr: Vec<OhchrSource>,
}

/// Documents fetched by symbol from the Official Document System
/// (`{base_url}/api/symbol/access?s=<symbol>&l=<lang>&t=pdf`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OdsSource {
    /// Source name, e.g. `"ods"`.
    pub name: String,
    /// Origin of the access API, `https://documents.un.org` in production.
    #[serde(default = "default_ods_base")]
    pub base_url: String,
    /// Origin of the document viewer used for the `Referer` header, `https://docs.un.org`.
    #[serde(default = "default_viewer_base")]
    pub viewer_url: String,
    /// Languages to ask for (of the six official ones, [`Language::OFFICIAL`]); all six when
    /// empty. Written as their ISO 639-1 codes (`languages = ["en", "fr"]`, read by
    /// [`un_language`]).
    #[serde(default, deserialize_with = "un_languages")]
    pub languages: Vec<Language>,
    /// The documents, by symbol.
    #[serde(default)]
    pub documents: Vec<OdsDocument>,
}

/// One document asked for by symbol.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OdsDocument {
    /// The symbol as printed; a joint symbol ("A/79/875-S/2025/248") is resolved through its
    /// first element and recorded with both.
    pub symbol: String,
    /// Year of issue, informative.
    #[serde(default)]
    pub year: Option<u16>,
    /// Short title, informative.
    #[serde(default)]
    pub title: Option<String>,
}

/// A UN Digital Library search (`{base_url}/search?p=<query>&of=xm&rg=<page_size>&jrec=<n>`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DlSource {
    /// Source name, e.g. `"dl-r2p"`.
    pub name: String,
    /// Origin of the Digital Library, `https://digitallibrary.un.org` in production. File links
    /// (MARC 856 `$u`) on the production host are rewritten to this origin.
    #[serde(default = "default_dl_base")]
    pub base_url: String,
    /// The `p` parameter, e.g. `191__a:"A/RES/78/*"`.
    pub query: String,
    /// Optional `f` parameter (field, e.g. `"symbol"`).
    #[serde(default)]
    pub field: Option<String>,
    /// Optional `c` parameter (collection).
    #[serde(default)]
    pub collection: Option<String>,
    /// Records per page (`rg`), at most 200.
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    /// Stop after this many records.
    #[serde(default)]
    pub max_records: Option<u32>,
    /// Languages of files to download (official ones, as [`OdsSource::languages`]); all six
    /// when empty.
    #[serde(default, deserialize_with = "un_languages")]
    pub languages: Vec<Language>,
}

/// OHCHR listing pages; every document link found on them is followed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OhchrSource {
    /// Source name, e.g. `"ohchr"`.
    pub name: String,
    /// Origin, `https://www.ohchr.org` in production.
    #[serde(default = "default_ohchr_base")]
    pub base_url: String,
    /// HRC regular sessions whose "list of reports" page
    /// (`{base_url}/en/hr-bodies/hrc/regular-sessions/session{N}/list-reports`) is read,
    /// inclusive range `[first, last]`.
    #[serde(default)]
    pub hrc_sessions: Option<[u32; 2]>,
    /// Paths (under `base_url`) of Special Procedures pages listing annual thematic reports.
    #[serde(default)]
    pub special_procedures: Vec<String>,
    /// Languages for documents reached through ODS links (official ones, as
    /// [`OdsSource::languages`]); all six when empty.
    #[serde(default, deserialize_with = "un_languages")]
    pub languages: Vec<Language>,
}

fn default_ods_base() -> String {
    "https://documents.un.org".into()
}
fn default_viewer_base() -> String {
    "https://docs.un.org".into()
}
fn default_dl_base() -> String {
    "https://digitallibrary.un.org".into()
}
fn default_ohchr_base() -> String {
    "https://www.ohchr.org".into()
}
fn default_page_size() -> u32 {
    200
}

/// Reads and checks a sources file (TOML, see `corpus/sources.toml`).
///
/// # Errors
/// [`CrawlError::ReadSources`] when the file cannot be read, [`CrawlError::ParseSources`] when
/// it is not valid (an unknown language included, named as [`un_language`] names it),
/// [`CrawlError::Config`] for a page size outside 1..=200 or a base URL that is not an
/// absolute http(s) URL.
pub fn load_sources(path: impl AsRef<Path>) -> Result<Sources, CrawlError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| CrawlError::ReadSources {
        path: path.to_path_buf(),
        source,
    })?;
    let sources: Sources = toml::from_str(&text).map_err(|e| CrawlError::ParseSources {
        path: path.to_path_buf(),
        source: Box::new(e),
    })?;
    sources.validate()?;
    Ok(sources)
}

impl Sources {
    /// Parses sources from TOML text.
    ///
    /// # Errors
    /// As [`load_sources`].
    pub fn from_toml(text: &str) -> Result<Sources, CrawlError> {
        let sources: Sources = toml::from_str(text).map_err(|e| CrawlError::ParseSources {
            path: PathBuf::from("<string>"),
            source: Box::new(e),
        })?;
        sources.validate()?;
        Ok(sources)
    }

    /// Names of all sources, in declaration order.
    #[must_use]
    pub fn names(&self) -> Vec<&str> {
        self.ods
            .iter()
            .map(|s| s.name.as_str())
            .chain(self.dl.iter().map(|s| s.name.as_str()))
            .chain(self.ohchr.iter().map(|s| s.name.as_str()))
            .collect()
    }

    /// Checks languages, page sizes and URLs.
    ///
    /// # Errors
    /// [`CrawlError::Config`] naming the first bad value.
    pub fn validate(&self) -> Result<(), CrawlError> {
        let langs = self
            .ods
            .iter()
            .flat_map(|s| &s.languages)
            .chain(self.dl.iter().flat_map(|s| &s.languages))
            .chain(self.ohchr.iter().flat_map(|s| &s.languages));
        for l in langs {
            check_language(*l)?;
        }
        for s in &self.ods {
            check_base(&s.base_url)?;
            check_base(&s.viewer_url)?;
        }
        for s in &self.dl {
            check_base(&s.base_url)?;
            if !(1..=200).contains(&s.page_size) {
                return Err(CrawlError::Config(format!(
                    "{}: page_size must be 1..=200, not {}",
                    s.name, s.page_size
                )));
            }
        }
        for s in &self.ohchr {
            check_base(&s.base_url)?;
        }
        let mut names = self.names();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(CrawlError::Config(format!(
                "duplicate source name {:?}",
                w[0]
            )));
        }
        Ok(())
    }
}

/// The official UN language of an ISO 639-1 code as ODS and the Digital Library spell it
/// ("fr", lower case): what `--lang` and the `languages` of a source take.
///
/// # Errors
/// [`CrawlError::Config`] naming `code` when it is not the code of one of the six official
/// languages ("de", "FR", "fra").
pub fn un_language(code: &str) -> Result<Language, CrawlError> {
    match Language::from_code(code) {
        Some(language) if language.is_official() => Ok(language),
        _ => Err(unknown_language(code)),
    }
}

/// Checks that `lang` is one of the six UN languages.
pub(crate) fn check_language(lang: Language) -> Result<(), CrawlError> {
    if lang.is_official() {
        Ok(())
    } else {
        Err(unknown_language(lang.as_str()))
    }
}

fn unknown_language(code: &str) -> CrawlError {
    CrawlError::Config(format!(
        "unknown language {code:?} (expected one of ar en es fr ru zh; ODS silently answers English for others)"
    ))
}

/// A source's `languages` as [`un_language`] reads them.
fn un_languages<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Language>, D::Error> {
    Vec::<String>::deserialize(deserializer)?
        .iter()
        .map(|code| un_language(code).map_err(serde::de::Error::custom))
        .collect()
}

fn check_base(base: &str) -> Result<(), CrawlError> {
    match url::Url::parse(base) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        _ => Err(CrawlError::Config(format!(
            "base URL {base:?} is not an absolute http(s) URL"
        ))),
    }
}

/// How to crawl. `Default` gives the polite production settings.
#[derive(Debug, Clone)]
pub struct CrawlOptions {
    /// Output directory: files go to `<out>/raw/<sha256>.<ext>`, attempts to
    /// `<out>/manifest.jsonl`.
    pub out_dir: PathBuf,
    /// Only these sources (by name); all when empty.
    pub only_sources: Vec<String>,
    /// Only these languages (official ones, see [`un_language`]); each source's own list when
    /// empty.
    pub languages: Vec<Language>,
    /// Stop after this many documents (targets) in total.
    pub limit: Option<usize>,
    /// List what would be fetched (listings are still read) without downloading documents.
    pub dry_run: bool,
    /// Return [`CrawlError::Incomplete`] when any document failed or was blocked.
    pub strict: bool,
    /// Base URL overrides by source name (`--base-url ods=http://127.0.0.1:8080`).
    pub base_urls: BTreeMap<String, String>,
    /// Hosts allowed besides those of the sources' base URLs (`host` or `host:port`).
    pub extra_allowed_hosts: Vec<String>,
    /// `User-Agent` header: honest, with a contact URL.
    pub user_agent: String,
    /// Minimum interval between two requests to one host (token bucket, burst 1).
    pub min_interval: Duration,
    /// Requests in flight per host at most (ODS: 4 were fine, 10 caused 13 % of 503s).
    pub max_in_flight_per_host: usize,
    /// Documents in progress at once, all hosts together.
    pub concurrency: usize,
    /// Whole-request timeout, sized for ODS symbol resolution (observed 6–31 s).
    pub request_timeout: Duration,
    /// TCP/TLS connect timeout.
    pub connect_timeout: Duration,
    /// Time the first contact with each host (name look-up and TCP connection, made for all
    /// the sources' hosts at once when the crawl starts) may take. A host that cannot be
    /// reached within it (no DNS answer, connection refused, no route: typically no internet)
    /// is reported as unreachable at once ([`crate::CrawlProgress::unreachable`]) and its
    /// documents end as [`crate::Outcome::Unreachable`] without being tried.
    pub probe_timeout: Duration,
    /// Redirects followed per request at most.
    pub max_redirects: usize,
    /// Retries of a transient failure (network, 429, 500, 502, 503, 504) after the first try.
    pub max_retries: usize,
    /// First backoff delay; doubles each retry, with jitter.
    pub backoff_min: Duration,
    /// Largest backoff delay.
    pub backoff_max: Duration,
    /// Longest `Retry-After` honoured; a longer one ends the attempt as failed.
    pub max_retry_after: Duration,
    /// Largest document accepted, in bytes.
    pub max_file_bytes: u64,
    /// Check the language of what arrives (PDF text layer, DOCX text) against the one asked for.
    pub check_language: bool,
    /// Obey robots.txt (always true in production; tests keep it on too).
    pub obey_robots: bool,
    /// Use the system proxy settings (`HTTPS_PROXY` ...).
    pub use_system_proxy: bool,
}

impl Default for CrawlOptions {
    fn default() -> Self {
        CrawlOptions {
            out_dir: PathBuf::from("corpus"),
            only_sources: Vec::new(),
            languages: Vec::new(),
            limit: None,
            dry_run: false,
            strict: false,
            base_urls: BTreeMap::new(),
            extra_allowed_hosts: Vec::new(),
            user_agent: format!(
                "undex/{} (+https://github.com/undex/undex; research crawler for UN reports)",
                env!("CARGO_PKG_VERSION")
            ),
            min_interval: Duration::from_secs(1),
            max_in_flight_per_host: 4,
            concurrency: 8,
            request_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(15),
            probe_timeout: Duration::from_secs(5),
            max_redirects: 5,
            max_retries: 4,
            backoff_min: Duration::from_secs(2),
            backoff_max: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(300),
            max_file_bytes: 100 * 1024 * 1024,
            check_language: true,
            obey_robots: true,
            use_system_proxy: true,
        }
    }
}
