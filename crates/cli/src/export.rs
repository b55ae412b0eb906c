//! `undex export`: writes the citations of paragraphs of an index — every match of a query, in
//! result order, or a list of paragraph ids, in the given order — as plain text (UN Editorial
//! Manual citations, "A/79/875-S/2025/248, para. 76"), Word (.docx), CSL-JSON, RIS, BibTeX or
//! CSV (`undex_analysis::export`). The same export as the web app's `/api/export`.
//!
//! ```text
//! undex export [--index DIR] (--query Q | --ids ID,…) --format F [--out FILE] [--base-url URL]
//!              [--max-rows N] [--in-language L]
//! ```
//!
//! A query exports its first `--max-rows` matches (default
//! [`undex_library::export::MAX_EXPORT_ROWS`]), read from the index a page at a time; when it
//! matches more, the command says so on standard error.
//!
//! `--in-language fr` (one of ar, zh, en, fr, ru, es) writes each paragraph in its version in
//! that language when the index holds one aligned to it; the others are written as found and
//! listed on standard error (never dropped), and a paragraph a query matched in several
//! languages is written once.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use undex_analysis::{ExportFormat, ExportOptions};
use undex_index::{Selection, UndexIndex};
use undex_library::export::{ExportRequest, Exporter, MAX_EXPORT_ROWS};
use undex_library::languages::UnLanguage;

/// Arguments of `undex export`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// Index directory.
    #[arg(long, default_value = "index", env = "UNDEX_INDEX")]
    pub index: PathBuf,
    /// Export every paragraph matching this query (undex query language; "" lists all), in
    /// result order.
    #[arg(
        long,
        short = 'q',
        conflicts_with = "ids",
        required_unless_present = "ids"
    )]
    pub query: Option<String>,
    /// Export these paragraph ids, in this order (comma-separated).
    #[arg(long, value_delimiter = ',', num_args = 1..)]
    pub ids: Vec<String>,
    /// Format: text, docx, csl-json, ris, bibtex or csv.
    #[arg(long, short = 'f', value_parser = parse_format)]
    pub format: ExportFormat,
    /// Write to this file (atomically: a temporary file in the same folder, then renamed);
    /// standard output when absent.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Base URL of the undex site, for permalinks (`{base}/p/{id}`).
    #[arg(long, default_value = "http://127.0.0.1:8080", env = "UNDEX_BASE_URL")]
    pub base_url: String,
    /// Most paragraphs a query exports (its first matches in result order); the command says
    /// when the query matches more.
    #[arg(long, default_value_t = MAX_EXPORT_ROWS)]
    pub max_rows: usize,
    /// Write each paragraph in its version in this official language (ar, zh, en, fr, ru,
    /// es) when the index holds one; the paragraphs without one are written as found and
    /// listed on standard error.
    #[arg(long, value_parser = UnLanguage::parse)]
    pub in_language: Option<UnLanguage>,
}

/// Most ids of paragraphs without a version in the language named on standard error (the
/// count is always given).
const MAX_LISTED: usize = 20;

/// Parses a `--format` value with [`ExportFormat`]'s `FromStr`.
fn parse_format(s: &str) -> Result<ExportFormat, String> {
    s.parse()
        .map_err(|e: undex_analysis::AnalysisError| e.to_string())
}

/// Runs `undex export`: reads the rows (all pages of the query, or the ids in order), exports
/// them and writes the bytes to `--out` (atomically) or standard output; reports the number of
/// paragraphs on standard error.
///
/// # Errors
/// When the index cannot be opened, the query does not parse, an id is not in the index, or
/// the output cannot be written.
pub fn run_export(args: &ExportArgs) -> anyhow::Result<()> {
    let index = UndexIndex::open_read_only(&args.index)
        .with_context(|| format!("opening the index in {}", args.index.display()))?;
    let options = ExportOptions {
        base_url: args.base_url.clone(),
        quote_text: false,
    };
    let exporter = Exporter::new(
        &index,
        ExportRequest {
            format: args.format,
            options,
            language: args.in_language,
        },
    );
    let exported = if args.ids.is_empty() {
        let selection = Selection {
            q: args.query.clone().unwrap_or_default(),
            ..Selection::default()
        };
        exporter.search(&selection, args.max_rows)?
    } else {
        exporter.ids(&args.ids)?
    };
    let exported_to = match &args.out {
        Some(path) => {
            write_atomically(path, &exported.bytes)?;
            format!(" to {}", path.display())
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&exported.bytes)
                .context("writing to standard output")?;
            out.flush().context("writing to standard output")?;
            String::new()
        }
    };
    if exported.truncated() {
        eprintln!(
            "undex: exported the first {} of {} matching paragraphs{exported_to} (limit --max-rows {}); narrow the query or raise --max-rows for the rest",
            exported.rows, exported.total, args.max_rows
        );
    } else {
        eprintln!("undex: exported {} paragraphs{exported_to}", exported.rows);
    }
    if let Some(language) = &exported.language {
        let missing = &exported.not_in_language;
        if missing.is_empty() {
            eprintln!("undex: every paragraph is in its {language} version");
        } else {
            let listed: Vec<&str> = missing
                .iter()
                .take(MAX_LISTED)
                .map(String::as_str)
                .collect();
            let more = if missing.len() > MAX_LISTED {
                ", …"
            } else {
                ""
            };
            let (n, s) = (missing.len(), if missing.len() == 1 { "" } else { "s" });
            eprintln!(
                "undex: {n} paragraph{s} without a {language} version in the index, exported as found: {}{more}",
                listed.join(", ")
            );
        }
        if exported.merged > 0 {
            eprintln!(
                "undex: {} rows left out: the same paragraph was already exported (matched in several languages)",
                exported.merged
            );
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same folder, synced and renamed
/// over `path`, so a reader never sees a partial file.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    undex_core::fsutil::write_atomic(path, bytes)
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use undex_index::SearchRequest;

    /// The first column of a CSV export, header left out: the paragraph ids, in order.
    fn first_column(csv: &std::path::Path) -> Vec<String> {
        std::fs::read_to_string(csv)
            .expect("written")
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next().map(str::to_string))
            .collect()
    }

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        export: ExportArgs,
    }

    /// Runs `undex export --index INDEX ARGS…`.
    fn export(index_dir: &Path, args: &[&str]) {
        let index = index_dir.to_str().expect("utf-8 path");
        let argv = ["undex", "--index", index]
            .into_iter()
            .chain(args.iter().copied());
        let args = Cli::try_parse_from(argv).expect("arguments parse").export;
        run_export(&args).expect("export");
    }

    const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/");

    fn rows_of(file: &str) -> Vec<undex_core::ParagraphRow> {
        let path = format!("{SEEDS}{file}");
        let bytes = std::fs::read(&path).expect("seed readable");
        undex_extract::extract(&bytes, &path, &Default::default())
            .expect("seed extracts")
            .rows()
    }

    #[test]
    fn exports_ids_in_order_and_all_query_matches_to_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let index_dir = dir.path().join("index");
        let rows_2025 = rows_of("sg-r2p-report-2025-A-79-875.txt");
        let rows_2026 = rows_of("sg-r2p-report-2026.txt");
        {
            let index = UndexIndex::open_or_create(&index_dir).expect("index");
            index
                .replace_documents(&[rows_2025.clone(), rows_2026.clone()])
                .expect("ingest");
        }
        let ids = [&rows_2026[5].id, &rows_2025[2].id, &rows_2026[1].id];
        let out = dir.path().join("out.csv");
        export(
            &index_dir,
            &[
                "--ids",
                &format!("{},{},{}", ids[0], ids[1], ids[2]),
                "--format",
                "csv",
                "--out",
                out.to_str().expect("utf-8 path"),
            ],
        );
        let got = first_column(&out);
        assert_eq!(got, ids.map(String::clone));

        // The RIS export of the query "protect" with `extra` arguments, written to `file`.
        let ris_of = |file: &str, extra: &[&str]| {
            let out = dir.path().join(file);
            let out_arg = out.to_str().expect("utf-8 path");
            let query = ["--query", "protect", "--format", "ris", "-o", out_arg];
            export(&index_dir, &[&query[..], extra].concat());
            std::fs::read_to_string(&out).expect("written")
        };
        // A query: one RIS record per match of the index (more than a web page of 20), and
        // the atomic write left no temporary file behind.
        let ris = ris_of("out.ris", &[]);
        let index = UndexIndex::open_read_only(&index_dir).expect("index");
        let total = index
            .search(&SearchRequest {
                q: "protect".into(),
                ..SearchRequest::default()
            })
            .expect("search")
            .total;
        assert!(total > 20);
        assert_eq!(ris.matches("TY  - RPT").count(), total);

        // --max-rows cuts a query's export to its first matches.
        let capped_ris = ris_of("capped.ris", &["--max-rows", "7"]);
        assert_eq!(capped_ris.matches("TY  - RPT").count(), 7);
        assert!(
            ris.starts_with(&capped_ris),
            "the first matches, in result order"
        );
        std::fs::remove_file(dir.path().join("capped.ris")).expect("remove");
        let files: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(files.len(), 3, "index, out.csv, out.ris: {files:?}");

        assert!(
            Cli::try_parse_from(["undex", "--format", "csv"]).is_err(),
            "query or ids"
        );
        assert!(
            Cli::try_parse_from(["undex", "--ids", "x", "--format", "pdf"]).is_err(),
            "unknown format"
        );
        let in_german = [
            "undex",
            "--ids",
            "x",
            "--format",
            "csv",
            "--in-language",
            "de",
        ];
        assert!(
            Cli::try_parse_from(in_german).is_err(),
            "not an official language"
        );
        // In French, from an index holding only English: every paragraph is exported as
        // found (and named on standard error), none dropped.
        let out = dir.path().join("fr.csv");
        export(
            &index_dir,
            &[
                "--ids",
                &format!("{},{}", ids[0], ids[1]),
                "--format",
                "csv",
                "--in-language",
                "FR",
                "--out",
                out.to_str().expect("utf-8 path"),
            ],
        );
        let got = first_column(&out);
        assert_eq!(got, [ids[0].clone(), ids[1].clone()]);
    }
}
