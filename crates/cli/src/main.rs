//! The `undex` binary: crawl, ingest, extract, serve (web and MCP) and evaluate UN reports.
//!
//! Glue only: each subcommand parses its flags and calls a library crate. Errors are reported
//! with `anyhow` context and the process exits 2 on an error that stops the command (3 when
//! another ingest holds the index), 1 when
//! `--strict` is set and some documents failed.

mod crawl;
mod eval;
mod export;
mod ingest;
mod mcp;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use undex_extract::ExtractOptions;

use crate::ingest::{EXIT_LOCKED, read_document, run_ingest, run_reindex};

/// undex: search United Nations reports by the paragraph.
#[derive(Debug, Parser)]
#[command(name = "undex", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read PDF, DOCX and text files or folders, tag their paragraphs and index them.
    Ingest(IngestArgs),
    /// Rebuild the index from the extracted JSON lines, without reading the documents again.
    Reindex(ReindexArgs),
    /// Print the paragraphs of files (JSON lines by default) without indexing them.
    Extract(ExtractArgs),
    /// Serve the search page and JSON API.
    Serve(ServeArgs),
    /// Serve the search tools to an AI assistant over the Model Context Protocol (stdio).
    Mcp(McpArgs),
    /// Fetch UN documents from ODS, the UN Digital Library and OHCHR (corpus/sources.toml).
    Crawl(CrawlCmdArgs),
    /// Crawl the default sources (or read --from), ingest, then serve: the one command a new user needs.
    Up(UpArgs),
    /// Export a citation list of search results or chosen paragraphs (text, docx, csl-json,
    /// ris, bibtex, csv).
    Export(export::ExportArgs),
    /// Measure extraction or tagging against hand-labelled paragraphs.
    #[command(subcommand)]
    Eval(EvalCommand),
}

#[derive(Debug, Subcommand)]
enum EvalCommand {
    /// Paragraph recall, exact first/last-words rate, footnote-reference precision and recall.
    Extract(EvalArgs),
    /// Per-family micro-F1, per-class P/R/F1, recommendation P/R, addressee F1.
    Tags(EvalArgs),
    /// Precision and recall of the paragraphs aligned across two language versions of one
    /// document, against hand-checked pairs (docs/align-gold/*.jsonl).
    Align(AlignArgs),
}

#[derive(Debug, clap::Args)]
struct AlignArgs {
    /// Gold pairs, one JSON object per line: `a` and `b` (unit ids), `a_source` and
    /// `b_source` (the two files, relative to the working directory or a folder above the
    /// gold file). Repeat the flag for several files; the figures are given per document pair
    /// and in total.
    #[arg(long, required = true)]
    gold: Vec<PathBuf>,
    /// Run OCR (tesseract) on pages that have no text layer.
    #[arg(long)]
    ocr: bool,
}

#[derive(Debug, clap::Args)]
struct EvalArgs {
    /// Gold rows, one JSON object per line (format of shared/eval-dev/gold-2026.jsonl).
    #[arg(long)]
    gold: PathBuf,
    /// Read this document instead of the gold rows' `source` (for a gold file with one source).
    #[arg(long)]
    source: Option<PathBuf>,
    /// Run OCR (tesseract) on pages that have no text layer.
    #[arg(long)]
    ocr: bool,
    /// `eval tags` only: after the table, list each gold row the tagger got wrong, with the
    /// required tags it missed and the tags it gave in excess.
    #[arg(long)]
    misses: bool,
}

#[derive(Debug, clap::Args)]
struct IndexArg {
    /// Index directory.
    #[arg(long, default_value = "index", env = "UNDEX_INDEX")]
    index: PathBuf,
}

#[derive(Debug, clap::Args)]
struct IngestArgs {
    /// Files and folders to read (folders recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    index: IndexArg,
    /// Where extracted documents are written as JSON lines.
    #[arg(long, default_value = "corpus/extracted")]
    extracted: PathBuf,
    /// Run OCR (tesseract) on pages that have no text layer.
    #[arg(long)]
    ocr: bool,
    /// Exit non-zero when any document fails.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, clap::Args)]
struct ReindexArgs {
    #[command(flatten)]
    index: IndexArg,
    /// The extracted documents (JSON lines, one file per document) to index.
    #[arg(long, default_value = "corpus/extracted")]
    extracted: PathBuf,
    /// Exit non-zero when any file fails.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExtractFormat {
    /// One JSON object per paragraph.
    Jsonl,
    /// One JSON object per document (metadata and paragraphs).
    Json,
    /// Readable text: citation, then the paragraph.
    Text,
}

#[derive(Debug, clap::Args)]
struct ExtractArgs {
    /// Files to read. A file that does not exist or cannot be read makes the command exit 1;
    /// one that is read but holds no document it can extract is reported and, without
    /// --strict, does not.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: ExtractFormat,
    /// Run OCR (tesseract) on pages that have no text layer.
    #[arg(long)]
    ocr: bool,
    /// Exit non-zero when any file fails.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    #[command(flatten)]
    index: IndexArg,
    /// Address to listen on, HOST:PORT (a host name such as `localhost` is resolved).
    #[arg(long, default_value = "127.0.0.1:8080", env = "UNDEX_ADDR")]
    addr: String,
}

#[derive(Debug, clap::Args)]
struct McpArgs {
    #[command(flatten)]
    index: IndexArg,
}

#[derive(Debug, clap::Args)]
struct CrawlCmdArgs {
    #[command(flatten)]
    crawl: crawl::CrawlArgs,
    /// Exit non-zero when any document failed or was blocked.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, clap::Args)]
struct UpArgs {
    /// Files and folders to ingest before serving; without it, the default sources are
    /// crawled first and what they fetched is ingested.
    #[arg(long = "from", num_args = 1..)]
    from: Vec<PathBuf>,
    #[command(flatten)]
    crawl: crawl::CrawlArgs,
    #[command(flatten)]
    index: IndexArg,
    /// Where extracted documents are written as JSON lines.
    #[arg(long, default_value = "corpus/extracted")]
    extracted: PathBuf,
    /// Address to listen on, HOST:PORT (a host name such as `localhost` is resolved). It is
    /// bound before anything is crawled or ingested, so a port in use is said at once.
    #[arg(long, default_value = "127.0.0.1:8080", env = "UNDEX_ADDR")]
    addr: String,
    /// Run OCR (tesseract) on pages that have no text layer.
    #[arg(long)]
    ocr: bool,
    /// Stop (exit non-zero) before serving when any document fails.
    #[arg(long)]
    strict: bool,
}

/// Logs to standard error, in colour only when it is a terminal. A file that fails in an
/// ingest is printed once, in the summary, not also as it happens (the library logs each
/// failure as a warning with a `code` field; those events are left out here).
fn init_tracing() {
    use std::io::IsTerminal;
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_env("UNDEX_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("warn,undex=info,lopdf=off,pdf_extract=off")
    });
    let not_in_summary = tracing_subscriber::filter::filter_fn(|meta| {
        !(meta.target().starts_with("undex_library")
            && *meta.level() == tracing::Level::WARN
            && meta.fields().field("code").is_some())
    });
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    tracing_subscriber::registry()
        .with(filter)
        .with(not_in_summary)
        .with(fmt)
        .init();
}

fn run_extract(args: &ExtractArgs) -> anyhow::Result<bool> {
    use std::io::Write;
    let opts = ExtractOptions {
        ocr: args.ocr,
        ..ExtractOptions::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    let mut unreadable = 0usize;
    for file in &args.files {
        match read_document(file, &opts) {
            Ok(doc) => match args.format {
                ExtractFormat::Jsonl => {
                    for row in doc.rows() {
                        serde_json::to_writer(&mut out, &row)?;
                        out.write_all(b"\n")?;
                    }
                }
                ExtractFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &doc)?;
                    out.write_all(b"\n")?;
                }
                ExtractFormat::Text => {
                    for row in doc.rows() {
                        writeln!(out, "{}\n{}\n", row.citation, row.text)?;
                    }
                }
            },
            Err(failure) => {
                failed += 1;
                if failure.code == "io" {
                    unreadable += 1;
                }
                eprintln!("undex: {}: {}", failure.path.display(), failure.message);
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        eprintln!("{failed} of {} files failed", args.files.len());
    }
    // A file that is not there is a mistake in the command, not a document that failed.
    Ok(unreadable == 0 && (!args.strict || failed == 0))
}

fn run(cli: Cli) -> anyhow::Result<bool> {
    match cli.command {
        Command::Ingest(args) => Ok(run_ingest(
            &args.index.index,
            args.paths,
            args.extracted,
            ExtractOptions {
                ocr: args.ocr,
                ..ExtractOptions::default()
            },
            args.strict,
        )?),
        Command::Reindex(args) => Ok(run_reindex(
            &args.index.index,
            &args.extracted,
            args.strict,
        )?),
        Command::Extract(args) => run_extract(&args),
        Command::Serve(args) => {
            let index = serve::open_index(&args.index.index)?;
            let listener = serve::bind(&args.addr)?;
            serve::run_serve(&args.index.index, index, listener)?;
            Ok(true)
        }
        Command::Mcp(args) => {
            mcp::run_mcp(&args.index.index)?;
            Ok(true)
        }
        Command::Export(args) => {
            export::run_export(&args)?;
            Ok(true)
        }
        Command::Crawl(args) => {
            crawl::run_crawl(&args.crawl, args.strict)?;
            Ok(true)
        }
        Command::Up(args) => {
            // The port first: a port in use is said before a minute of crawling or ingesting.
            let listener = serve::bind(&args.addr)?;
            let paths = if args.from.is_empty() {
                match crawl::crawl_for_up(&args.crawl)? {
                    Some(raw) => vec![raw],
                    // A dry run: the plan is printed, nothing is ingested or served.
                    None => return Ok(true),
                }
            } else {
                args.from
            };
            let ok = run_ingest(
                &args.index.index,
                paths,
                args.extracted,
                ExtractOptions {
                    ocr: args.ocr,
                    ..ExtractOptions::default()
                },
                args.strict,
            )?;
            if !ok {
                return Ok(false);
            }
            let index = serve::open_index(&args.index.index)?;
            serve::run_serve(&args.index.index, index, listener)?;
            Ok(true)
        }
        Command::Eval(EvalCommand::Extract(args)) => {
            let opts = ExtractOptions {
                ocr: args.ocr,
                ..ExtractOptions::default()
            };
            print!(
                "{}",
                eval::eval_extract(&args.gold, args.source.as_deref(), &opts)?
            );
            Ok(true)
        }
        Command::Eval(EvalCommand::Tags(args)) => {
            let opts = ExtractOptions {
                ocr: args.ocr,
                ..ExtractOptions::default()
            };
            print!(
                "{}",
                eval::eval_tags(&args.gold, args.source.as_deref(), &opts, args.misses)?
            );
            Ok(true)
        }
        Command::Eval(EvalCommand::Align(args)) => {
            let opts = ExtractOptions {
                ocr: args.ocr,
                ..ExtractOptions::default()
            };
            print!("{}", eval::eval_align(&args.gold, &opts)?);
            Ok(true)
        }
    }
}

/// mimalloc instead of glibc's malloc: a search allocates and frees its per-query vectors
/// (the facet sample, the hits, the JSON answer) on every request, and glibc's bins cost a
/// tenth of a median search's time in `_int_malloc`, `malloc_consolidate` and `unlink_chunk`
/// (session 25's profile; see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("undex: error: {err:#}");
            let locked = err
                .downcast_ref::<undex_library::LibraryError>()
                .is_some_and(undex_library::LibraryError::is_locked);
            ExitCode::from(if locked { EXIT_LOCKED } else { 2 })
        }
    }
}
