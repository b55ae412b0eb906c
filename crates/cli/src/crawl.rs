//! `undex crawl`: fetch the sources declared in `corpus/sources.toml` politely and resumably,
//! with a progress bar and an end summary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use undex_crawl::{CrawlOptions, CrawlProgress, CrawlReport, ManifestRecord};

/// Crawl flags, shared by `undex crawl` and `undex up`.
#[derive(Debug, Clone, clap::Args)]
pub struct CrawlArgs {
    /// The sources file.
    #[arg(long, default_value = "corpus/sources.toml")]
    pub sources: PathBuf,
    /// Only this source (repeatable; names from the sources file).
    #[arg(long = "source")]
    pub only_sources: Vec<String>,
    /// Only these languages (ar, en, es, fr, ru, zh; repeatable or comma-separated).
    #[arg(long = "lang", value_delimiter = ',')]
    pub languages: Vec<String>,
    /// Stop after this many documents.
    #[arg(long)]
    pub limit: Option<usize>,
    /// List what would be fetched without downloading documents.
    #[arg(long)]
    pub dry_run: bool,
    /// Override a source's base URL: `ods=http://127.0.0.1:9000` (repeatable; names `ods`,
    /// `undl`, `ohchr` or any source name).
    #[arg(long = "base-url", value_name = "NAME=URL")]
    pub base_urls: Vec<String>,
    /// Where `raw/` and `manifest.jsonl` go.
    #[arg(long = "out", default_value = "corpus")]
    pub out_dir: PathBuf,
    /// User-Agent header (keep a contact URL in it).
    #[arg(long)]
    pub user_agent: Option<String>,
}

struct Bar(ProgressBar);

impl CrawlProgress for Bar {
    fn planned(&self, n: usize) {
        self.0.set_length(n as u64);
    }
    fn finished(&self, record: &ManifestRecord) {
        self.0.inc(1);
        self.0
            .set_message(format!("{:?} {}", record.outcome, record.requested_url));
    }
    fn note(&self, message: &str) {
        self.0.set_message(message.to_string());
    }
    fn unreachable(&self, host: &str, _reason: &str) {
        // Said at once, above the bar (the reason is in the summary): the crawl goes on with
        // the hosts it can reach.
        self.0.suspend(|| {
            eprintln!("undex: cannot reach {host} (is this machine offline?): going on without it");
        });
    }
}

/// Regular files directly under `dir` (the crawl's `raw/` store); 0 when it does not exist.
#[must_use]
pub fn stored_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .count()
    })
}

/// `undex up` without `--from`: crawls, then says what there is to ingest. Offline, it goes on
/// with what earlier crawls stored; with nothing stored at all it stops with what to do
/// instead, rather than serving an empty index.
///
/// # Errors
/// As [`run_crawl`]; and when nothing is stored under `<out>/raw`.
pub fn crawl_for_up(args: &CrawlArgs) -> anyhow::Result<Option<PathBuf>> {
    let report = run_crawl(args, false)?;
    if args.dry_run {
        return Ok(None);
    }
    let raw = args.out_dir.join("raw");
    let stored = stored_files(&raw);
    let hosts: Vec<&str> = report.unreachable.keys().map(String::as_str).collect();
    if stored == 0 {
        if hosts.is_empty() {
            bail!(
                "the crawl stored nothing under {}: nothing to ingest",
                raw.display()
            );
        }
        bail!(
            "cannot reach {} (is this machine offline?) and no earlier crawl stored anything \
             under {}: nothing to ingest. To search documents you have, run `undex up --from \
             PATH…` (for example `--from ../shared/seeds ../shared/corpus`)",
            hosts.join(", "),
            raw.display()
        );
    }
    if !hosts.is_empty() {
        eprintln!(
            "undex: cannot reach {}: going on with the {stored} documents stored under {}",
            hosts.join(", "),
            raw.display()
        );
    }
    Ok(Some(raw))
}

/// Builds the crawler's options from the flags.
///
/// # Errors
/// A malformed `--base-url`, a `--source` that the sources file does not name, or a `--lang`
/// that is not the code of an official UN language ([`undex_crawl::un_language`]).
fn options(args: &CrawlArgs, strict: bool, known: &[&str]) -> anyhow::Result<CrawlOptions> {
    let mut base_urls = BTreeMap::new();
    for pair in &args.base_urls {
        let Some((name, url)) = pair.split_once('=') else {
            bail!("--base-url takes NAME=URL, got {pair:?}");
        };
        base_urls.insert(name.trim().to_string(), url.trim().to_string());
    }
    for name in &args.only_sources {
        if !known.contains(&name.as_str()) {
            bail!(
                "--source {name:?} is not in the sources file (known: {})",
                known.join(", ")
            );
        }
    }
    let mut opts = CrawlOptions {
        out_dir: args.out_dir.clone(),
        only_sources: args.only_sources.clone(),
        languages: args
            .languages
            .iter()
            .map(|code| undex_crawl::un_language(code))
            .collect::<Result<_, _>>()?,
        limit: args.limit,
        dry_run: args.dry_run,
        strict,
        base_urls,
        ..CrawlOptions::default()
    };
    if let Some(ua) = &args.user_agent {
        opts.user_agent.clone_from(ua);
    }
    Ok(opts)
}

/// Runs a crawl and prints its summary to standard error.
///
/// # Errors
/// An unreadable sources file, bad flags, or (with `strict`) any failed document.
pub fn run_crawl(args: &CrawlArgs, strict: bool) -> anyhow::Result<CrawlReport> {
    let sources = undex_crawl::load_sources(&args.sources)
        .with_context(|| format!("cannot load {}", args.sources.display()))?;
    let opts = options(args, strict, &sources.names())?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{spinner} crawl [{bar:30}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let progress = Bar(bar.clone());
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let result = runtime.block_on(undex_crawl::crawl(&sources, &opts, &progress));
    bar.finish_and_clear();
    let report = result?;
    eprint!("{report}");
    Ok(report)
}
