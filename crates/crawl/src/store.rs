//! The content-addressed store (`<out>/raw/<sha256>.<ext>`) and the attempt log
//! (`<out>/manifest.jsonl`, one JSON object per line).
//!
//! Writes are atomic: a file is written under `<out>/raw/.tmp/` and renamed into place, and its
//! manifest line is appended only after the rename, as one `write` of one line. A crawl killed at
//! any point leaves no partial file under a final name and no manifest line for an unfinished
//! attempt; leftovers in `.tmp/` are removed when the next crawl starts.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use undex_core::Language;

use crate::CrawlError;
use crate::check::FileKind;

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A document seen for the first time was stored.
    Fetched,
    /// A known document came back with different bytes (reissue, corrigendum) and was stored.
    Changed,
    /// The server answered 304, or the same bytes again: nothing stored.
    Unchanged,
    /// A listing page (search result, HTML list) was read.
    Listed,
    /// Dry run: the document would have been fetched.
    Planned,
    /// Bot protection (Cloudflare challenge, Digital Library empty 202).
    Blocked,
    /// robots.txt disallows the URL.
    Disallowed,
    /// The host is not on the allow-list.
    HostNotAllowed,
    /// 404 / 410, or a redirect to an error page.
    NotFound,
    /// A 200 whose bytes are not a document (the ODS HTML app, an error page).
    NotADocument,
    /// The document is in another language than the one asked for (ODS answers English for a
    /// language it does not have).
    WrongLanguage,
    /// Larger than the configured maximum.
    TooLarge,
    /// The host could not be reached (no DNS answer, connection refused or timed out, no
    /// route): nothing was asked of it, so nothing is known of the document.
    Unreachable,
    /// Network errors, timeouts or 5xx that outlasted the retries, or another HTTP status.
    Failed,
}

impl Outcome {
    /// True for outcomes that leave the document available in the store.
    #[must_use]
    pub fn is_success(self) -> bool {
        matches!(
            self,
            Outcome::Fetched
                | Outcome::Changed
                | Outcome::Unchanged
                | Outcome::Listed
                | Outcome::Planned
        )
    }

    /// True for outcomes that are a problem (a later crawl may do better): [`Outcome::Failed`],
    /// [`Outcome::Blocked`], [`Outcome::TooLarge`], [`Outcome::NotADocument`],
    /// [`Outcome::Unreachable`]. A document that does not exist in a language (wrong
    /// language, not found) or that the crawler may not fetch (robots.txt, allow-list) is not
    /// a failure.
    #[must_use]
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Outcome::Failed
                | Outcome::Blocked
                | Outcome::TooLarge
                | Outcome::NotADocument
                | Outcome::Unreachable
        )
    }

    /// The snake-case name used in the manifest and the summary.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Fetched => "fetched",
            Outcome::Changed => "changed",
            Outcome::Unchanged => "unchanged",
            Outcome::Listed => "listed",
            Outcome::Planned => "planned",
            Outcome::Blocked => "blocked",
            Outcome::Disallowed => "disallowed",
            Outcome::HostNotAllowed => "host_not_allowed",
            Outcome::NotFound => "not_found",
            Outcome::NotADocument => "not_a_document",
            Outcome::WrongLanguage => "wrong_language",
            Outcome::TooLarge => "too_large",
            Outcome::Unreachable => "unreachable",
            Outcome::Failed => "failed",
        }
    }
}

/// Bibliographic metadata kept with a file found through the Digital Library
/// (MARC 191 `$a` symbol, 245 title, 269 date, 6xx subjects).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecordMeta {
    /// Digital Library record id (MARC 001).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recid: Option<String>,
    /// Title (245 `$a` `$b`), mojibake repaired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Date as catalogued (269 `$a`, ISO `YYYY-MM-DD` or shorter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Subject terms (600–699 `$a`), in record order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// File size announced by the catalogue (856 `$s`), bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_bytes: Option<u64>,
}

/// One line of `manifest.jsonl`: one attempt at one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestRecord {
    /// Source name from `sources.toml`.
    pub source: String,
    /// Document symbol(s), normalised; two for a joint GA/SC document; empty for listings.
    #[serde(default)]
    pub symbols: Vec<String>,
    /// Language asked for, if any (its ISO 639-1 code in the manifest).
    #[serde(default)]
    pub language: Option<Language>,
    /// Language detected in the bytes, if checked and reliable.
    #[serde(default)]
    pub detected_language: Option<Language>,
    /// URL asked for first.
    pub requested_url: String,
    /// URL that answered last (after redirects).
    #[serde(default)]
    pub final_url: Option<String>,
    /// HTTP status of the last answer.
    #[serde(default)]
    pub status: Option<u16>,
    /// `Content-Type` of the last answer.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Body size in bytes.
    #[serde(default)]
    pub bytes: Option<u64>,
    /// SHA-256 of the body (hex), for documents.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Path of the stored file relative to the output directory (`raw/<sha256>.pdf`).
    #[serde(default)]
    pub path: Option<String>,
    /// `ETag` answered.
    #[serde(default)]
    pub etag: Option<String>,
    /// `Last-Modified` answered.
    #[serde(default)]
    pub last_modified: Option<String>,
    /// When the attempt ended, seconds since the Unix epoch.
    pub time: u64,
    /// How it ended.
    pub outcome: Outcome,
    /// Requests made for this attempt (retries and redirects included).
    #[serde(default)]
    pub requests: u32,
    /// Human-readable detail for failures.
    #[serde(default)]
    pub detail: Option<String>,
    /// Catalogue metadata (Digital Library).
    #[serde(default)]
    pub meta: Option<RecordMeta>,
    /// True for a listing page (search result, HTML list), false for a document.
    #[serde(default)]
    pub listing: bool,
}

impl ManifestRecord {
    /// The record an attempt at `url` for `source` starts from: a document (not a listing),
    /// ending at `time` (seconds since the Unix epoch), `Failed` until something answers, with
    /// no request made and nothing known of the answer.
    pub(crate) fn started(source: &str, url: &str, time: u64) -> ManifestRecord {
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
            time,
            outcome: Outcome::Failed,
            requests: 0,
            detail: None,
            meta: None,
            listing: false,
        }
    }
}

/// What the manifest knows about a document URL: its last good state.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    /// `Fetched`/`Changed`/`Unchanged` (a stored file) or `WrongLanguage` (remembered so that
    /// a re-crawl asks conditionally instead of downloading the wrong file again).
    pub outcome: Outcome,
    pub sha256: Option<String>,
    pub path: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// The output directory: raw files and the manifest.
#[derive(Debug)]
pub(crate) struct Store {
    out: PathBuf,
    manifest: Mutex<std::fs::File>,
    /// Last good state per (requested URL).
    known: BTreeMap<String, Known>,
}

impl Store {
    /// Opens (creates) `<out>/raw/` and `<out>/manifest.jsonl`, removes leftovers of a killed
    /// crawl from `<out>/raw/.tmp/` and reads the manifest (a malformed last line, which a kill
    /// in mid-write could leave, is skipped).
    pub fn open(out: &Path) -> Result<Store, CrawlError> {
        let tmp = out.join("raw").join(".tmp");
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| CrawlError::io(&tmp, e))?;
        }
        std::fs::create_dir_all(&tmp).map_err(|e| CrawlError::io(&tmp, e))?;
        let mpath = out.join("manifest.jsonl");
        let mut known = BTreeMap::new();
        if mpath.exists() {
            let text = std::fs::read_to_string(&mpath).map_err(|e| CrawlError::io(&mpath, e))?;
            for rec in text
                .lines()
                .filter_map(|l| serde_json::from_str::<ManifestRecord>(l).ok())
            {
                let stored = rec.outcome.is_success()
                    && rec.path.as_ref().is_some_and(|p| out.join(p).is_file());
                let wrong = rec.outcome == Outcome::WrongLanguage
                    && (rec.etag.is_some() || rec.last_modified.is_some());
                if stored || wrong {
                    known.insert(
                        rec.requested_url.clone(),
                        Known {
                            outcome: rec.outcome,
                            sha256: rec.sha256,
                            path: rec.path,
                            etag: rec.etag,
                            last_modified: rec.last_modified,
                        },
                    );
                }
                // A later failure does not make an earlier good copy unknown.
            }
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&mpath)
            .map_err(|e| CrawlError::io(&mpath, e))?;
        Ok(Store {
            out: out.to_path_buf(),
            manifest: Mutex::new(file),
            known,
        })
    }

    pub fn known(&self, requested_url: &str) -> Option<&Known> {
        self.known.get(requested_url)
    }

    /// Writes `bytes` to `raw/<sha256>.<ext>` atomically; returns (sha256, relative path).
    pub async fn put(&self, bytes: &[u8], kind: FileKind) -> Result<(String, String), CrawlError> {
        let sha = sha256_hex(bytes);
        let rel = rel_path(&sha, kind);
        let dest = self.out.join(&rel);
        if dest.is_file() {
            return Ok((sha, rel));
        }
        let tmp = self.out.join("raw").join(".tmp").join(format!(
            "{sha}.{}.{}.part",
            std::process::id(),
            TMP_COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        tokio::fs::write(&tmp, bytes)
            .await
            .map_err(|e| CrawlError::io(&tmp, e))?;
        tokio::fs::rename(&tmp, &dest)
            .await
            .map_err(|e| CrawlError::io(&dest, e))?;
        Ok((sha, rel))
    }

    /// Appends one record as one line.
    pub fn append(&self, rec: &ManifestRecord) -> Result<(), CrawlError> {
        let mut line = serde_json::to_string(rec).map_err(CrawlError::Record)?;
        line.push('\n');
        let path = self.out.join("manifest.jsonl");
        let mut f = self
            .manifest
            .lock()
            .map_err(|_| CrawlError::Config("manifest lock poisoned".into()))?;
        f.write_all(line.as_bytes())
            .and_then(|()| f.flush())
            .map_err(|e| CrawlError::io(path, e))
    }
}

static TMP_COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// `raw/<sha256>.<ext>`.
fn rel_path(sha256: &str, kind: FileKind) -> String {
    format!("raw/{sha256}.{}", kind.extension())
}

/// Lower-case hex SHA-256 of `bytes`.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads every parseable line of a manifest file (malformed lines skipped).
///
/// # Errors
/// [`CrawlError::Io`] when the file cannot be read.
pub fn read_manifest(path: impl AsRef<Path>) -> Result<Vec<ManifestRecord>, CrawlError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| CrawlError::io(path, e))?;
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}
