//! Citation exports of a list of rows, in the given order, every row included.
//!
//! Citations follow the UN Editorial Manual: documents are cited by symbol and paragraphs by
//! number, never by page ("A/79/875-S/2025/248, para. 76"); the citation itself comes from
//! [`undex_core::citation::cite`] and the pinpoint from [`undex_core::citation::pinpoint`].
//! Each row is one bibliographic entry (a paragraph of a report); the entry carries the
//! document (symbol, title, date, publisher "United Nations") and the paragraph as its locator.
//!
//! A long list is written page by page with [`ExportWriter`]. CSV cells that a spreadsheet
//! would run as a formula (beginning with `=`, `+`, `-`, `@`, tab or carriage return) get a
//! leading `'` ([`csv_cell`]).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::str::FromStr;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};
use undex_core::ParagraphRow;
use undex_core::citation::{cite, row_pinpoint};

use crate::AnalysisError;

/// An export format of a citation list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExportFormat {
    /// Plain text, one citation per line (UTF-8, LF line ends).
    Text,
    /// A Word document (Office Open XML, .docx), one paragraph per citation.
    Docx,
    /// CSL-JSON: an array of items of type `report`.
    CslJson,
    /// RIS: one `TY  - RPT` record per row.
    Ris,
    /// BibTeX: one `@techreport` entry per row.
    Bibtex,
    /// CSV with a header row: id, symbol, date, title, paragraph, citation, text, tags, permalink;
    /// cells are made safe for spreadsheets ([`csv_cell`]).
    Csv,
}

impl ExportFormat {
    /// Every format, in the order of the user interface.
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Text,
        ExportFormat::Docx,
        ExportFormat::CslJson,
        ExportFormat::Ris,
        ExportFormat::Bibtex,
        ExportFormat::Csv,
    ];

    /// The name accepted by [`FromStr`]: "text", "docx", "csl-json", "ris", "bibtex", "csv".
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Text => "text",
            ExportFormat::Docx => "docx",
            ExportFormat::CslJson => "csl-json",
            ExportFormat::Ris => "ris",
            ExportFormat::Bibtex => "bibtex",
            ExportFormat::Csv => "csv",
        }
    }

    /// The HTTP `Content-Type` of the exported bytes.
    #[must_use]
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Text => "text/plain; charset=utf-8",
            ExportFormat::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            ExportFormat::CslJson => "application/vnd.citationstyles.csl+json",
            ExportFormat::Ris => "application/x-research-info-systems",
            ExportFormat::Bibtex => "application/x-bibtex; charset=utf-8",
            ExportFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The file extension, without the dot ("txt", "docx", "json", "ris", "bib", "csv").
    #[must_use]
    pub fn file_extension(self) -> &'static str {
        match self {
            ExportFormat::Text => "txt",
            ExportFormat::Docx => "docx",
            ExportFormat::CslJson => "json",
            ExportFormat::Ris => "ris",
            ExportFormat::Bibtex => "bib",
            ExportFormat::Csv => "csv",
        }
    }
}

impl std::fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = AnalysisError;

    /// Parses "text", "docx", "csl-json", "ris", "bibtex", "csv" (case-insensitive; "txt",
    /// "csl", "json" and "bib" are accepted as aliases).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(ExportFormat::Text),
            "docx" => Ok(ExportFormat::Docx),
            "csl-json" | "csl" | "json" => Ok(ExportFormat::CslJson),
            "ris" => Ok(ExportFormat::Ris),
            "bibtex" | "bib" => Ok(ExportFormat::Bibtex),
            "csv" => Ok(ExportFormat::Csv),
            _ => Err(AnalysisError::UnknownFormat(s.to_string())),
        }
    }
}

/// Options of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// Base URL of the undex site (`https://undex.example.org`); permalinks are
    /// `{base}/p/{id}`. A trailing slash is ignored.
    pub base_url: String,
    /// Text and Word exports: quote each paragraph's text after its citation.
    pub quote_text: bool,
}

/// Characters escaped in a permalink's id segment: everything but RFC 3986 unreserved
/// characters and the sub-delimiters `(`, `)` that paragraph ids use ("…~4(a)").
const ID_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'(')
    .remove(b')');

/// The permalink of a paragraph: `{base}/p/{id}` (`https://undex.example.org/p/A_79_875.en~76`),
/// the id percent-encoded outside RFC 3986 unreserved characters and `(`, `)`.
#[must_use]
pub fn permalink(base_url: &str, id: &str) -> String {
    format!(
        "{}/p/{}",
        base_url.trim_end_matches('/'),
        utf8_percent_encode(id, ID_SEGMENT)
    )
}

/// Exports `rows`, in the given order, every row included, in `format`, with permalinks under
/// `base_url` and without quoted text. Returns the file's bytes (UTF-8 for text formats).
///
/// # Errors
/// Only on a failure of a writer library ([`AnalysisError::Csv`], [`AnalysisError::Zip`], …);
/// no row content makes an export fail.
pub fn export(
    rows: &[ParagraphRow],
    format: ExportFormat,
    base_url: &str,
) -> Result<Vec<u8>, AnalysisError> {
    export_with(
        rows,
        format,
        &ExportOptions {
            base_url: base_url.to_string(),
            quote_text: false,
        },
    )
}

/// [`export`] with options (quoted text in the text and Word lists).
///
/// # Errors
/// As [`export`].
pub fn export_with(
    rows: &[ParagraphRow],
    format: ExportFormat,
    options: &ExportOptions,
) -> Result<Vec<u8>, AnalysisError> {
    let mut writer = ExportWriter::new(format, options.clone());
    writer.write_rows(rows)?;
    writer.finish()
}

/// An export written a page of rows at a time, for lists read page by page from an index:
/// the rows of a page can be dropped once written. The bytes are those [`export_with`] gives
/// for all the pages' rows in one slice. Citation keys stay unique across pages; a Word
/// export keeps each row's citation (and quote) until [`ExportWriter::finish`] packages them.
#[derive(Debug)]
pub struct ExportWriter {
    format: ExportFormat,
    options: ExportOptions,
    out: Vec<u8>,
    /// Citation keys given so far (RIS, BibTeX, CSL-JSON).
    keys: BTreeSet<String>,
    /// Rows written so far.
    rows: usize,
    /// Word items (citation, quoted text), written as one package by `finish`.
    docx_items: Vec<(String, Option<String>)>,
}

impl ExportWriter {
    /// An empty export in `format`.
    #[must_use]
    pub fn new(format: ExportFormat, options: ExportOptions) -> Self {
        ExportWriter {
            format,
            options,
            out: Vec::new(),
            keys: BTreeSet::new(),
            rows: 0,
            docx_items: Vec::new(),
        }
    }

    /// Rows written so far.
    #[must_use]
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Appends `rows`, in order.
    ///
    /// # Errors
    /// As [`export`].
    pub fn write_rows(&mut self, rows: &[ParagraphRow]) -> Result<(), AnalysisError> {
        let first_page = self.rows == 0;
        let base = self.options.base_url.as_str();
        match self.format {
            ExportFormat::Text => self
                .out
                .extend_from_slice(text_list(rows, self.options.quote_text).as_bytes()),
            ExportFormat::Docx => self.docx_items.extend(rows.iter().map(|r| {
                (
                    citation_of(r),
                    self.options.quote_text.then(|| one_line(&r.text)),
                )
            })),
            ExportFormat::CslJson => {
                let keys = keys_with(rows, &mut self.keys);
                csl_json_items(rows, &keys, base, first_page, &mut self.out)?;
            }
            ExportFormat::Ris => {
                let keys = keys_with(rows, &mut self.keys);
                self.out
                    .extend_from_slice(ris(rows, &keys, base).as_bytes());
            }
            ExportFormat::Bibtex => {
                let keys = keys_with(rows, &mut self.keys);
                self.out
                    .extend_from_slice(bibtex(rows, &keys, base).as_bytes());
            }
            ExportFormat::Csv => {
                let page = csv_table(rows, base, first_page)?;
                self.out.extend_from_slice(&page);
            }
        }
        self.rows += rows.len();
        Ok(())
    }

    /// The export's bytes (UTF-8 for text formats).
    ///
    /// # Errors
    /// As [`export`].
    pub fn finish(mut self) -> Result<Vec<u8>, AnalysisError> {
        match self.format {
            ExportFormat::Docx => crate::docx::write_list(&self.docx_items),
            ExportFormat::CslJson => {
                self.out
                    .extend_from_slice(if self.rows == 0 { b"[]\n" } else { b"\n]\n" });
                Ok(self.out)
            }
            ExportFormat::Csv if self.rows == 0 => csv_table(&[], &self.options.base_url, true),
            _ => Ok(self.out),
        }
    }
}

/// The row's citation: its stored `citation`, or [`cite`] when that is empty.
pub(crate) fn citation_of(row: &ParagraphRow) -> String {
    if row.citation.trim().is_empty() {
        cite(row)
    } else {
        row.citation.clone()
    }
}

/// Collapses whitespace (line breaks included) to single spaces and drops control characters.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The plain-text list: one citation per line; with `quote`, followed by the text in
/// typographic quotation marks: `A/79/875-S/2025/248, para. 76: “…”`.
fn text_list(rows: &[ParagraphRow], quote: bool) -> String {
    let mut out = String::new();
    for row in rows {
        out.push_str(&citation_of(row));
        if quote {
            let _ = write!(out, ": “{}”", one_line(&row.text));
        }
        out.push('\n');
    }
    out
}

/// The citation key of each row (BibTeX key, CSL-JSON `id`, RIS `ID`), stable (derived from
/// the row id: characters other than ASCII letters, digits, `_`, `.`, `:` become `-`) and
/// unique within the list: "A_79_875.en~76" → "A_79_875.en-76", "…~4(a)" → "…-4-a"; a
/// repeated row gets "-2", "-3", ….
#[must_use]
pub fn citation_keys(rows: &[ParagraphRow]) -> Vec<String> {
    keys_with(rows, &mut BTreeSet::new())
}

/// [`citation_keys`] of `rows`, unique also against the keys in `seen` (which gains them).
fn keys_with(rows: &[ParagraphRow], seen: &mut BTreeSet<String>) -> Vec<String> {
    rows.iter()
        .map(|r| {
            let mut base: String =
                r.id.chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':') {
                            c
                        } else {
                            '-'
                        }
                    })
                    .collect();
            while base.ends_with('-') {
                base.pop();
            }
            if base.is_empty() {
                base.push_str("undex");
            }
            let mut key = base.clone();
            let mut n = 2;
            while !seen.insert(key.clone()) {
                key = format!("{base}-{n}");
                n += 1;
            }
            key
        })
        .collect()
}

/// (year, month, day) of an ISO 8601 date ("2025-04-22", "2025-04", "2025"), falling back to
/// the row's year.
fn date_parts(row: &ParagraphRow) -> Vec<i64> {
    let mut parts = Vec::new();
    if let Some(date) = &row.date {
        for p in date.split('-').take(3) {
            match p.trim().parse::<i64>() {
                Ok(n) => parts.push(n),
                Err(_) => break,
            }
        }
    }
    if parts.is_empty()
        && let Some(y) = row.year
    {
        parts.push(i64::from(y));
    }
    parts
}

fn title_of(row: &ParagraphRow) -> String {
    match &row.title {
        Some(t) if !t.trim().is_empty() => one_line(t),
        _ => match &row.symbol {
            Some(s) => s.clone(),
            // The file name only: an export never shows where the server keeps its files.
            None => row
                .source_file
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or_default()
                .to_string(),
        },
    }
}

/// Tags of a row as "family:value" strings, in a fixed order: pillars, risk factors,
/// recommendation, addressees, crimes, countries.
fn tag_list(row: &ParagraphRow) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(row.pillars.iter().map(|p| format!("pillar:{p}")));
    out.extend(row.risk_factors.iter().map(|f| format!("risk_factor:{f}")));
    if row.recommendation {
        out.push("recommendation".to_string());
    }
    out.extend(row.addressees.iter().map(|a| format!("addressee:{a}")));
    out.extend(row.crimes.iter().map(|c| format!("crime:{c}")));
    out.extend(row.countries.iter().map(|c| format!("country:{c}")));
    out
}

/// CSL-JSON (Citation Style Language 1.0 input data): one item of type `report` per row.
///
/// Appends one page of items to `out`, laid out as `serde_json::to_vec_pretty` lays out the
/// whole array: `[` before the first page, `,` between items; [`ExportWriter::finish`] closes
/// the array.
fn csl_json_items(
    rows: &[ParagraphRow],
    keys: &[String],
    base_url: &str,
    first_page: bool,
    out: &mut Vec<u8>,
) -> Result<(), AnalysisError> {
    let items = rows.iter().zip(keys).map(|(row, key)| {
        let mut item = serde_json::Map::new();
        item.insert("id".into(), json!(key));
        item.insert("type".into(), json!("report"));
        item.insert("title".into(), json!(title_of(row)));
        if let Some(symbol) = &row.symbol {
            item.insert("number".into(), json!(symbol));
        }
        item.insert("publisher".into(), json!("United Nations"));
        if let Some(author) = &row.author {
            item.insert("author".into(), json!([{ "literal": author }]));
        }
        if let Some(genre) = &row.doc_type {
            item.insert("genre".into(), json!(genre));
        }
        let parts = date_parts(row);
        if !parts.is_empty() {
            item.insert("issued".into(), json!({ "date-parts": [parts] }));
        }
        item.insert("language".into(), json!(row.language));
        item.insert("URL".into(), json!(permalink(base_url, &row.id)));
        item.insert("locator".into(), json!(locator(row)));
        item.insert("label".into(), json!(label(row)));
        item.insert("note".into(), json!(citation_of(row)));
        Value::Object(item)
    });
    for (i, item) in items.enumerate() {
        out.extend_from_slice(if first_page && i == 0 { b"[\n" } else { b",\n" });
        // An item of a pretty array is indented by two spaces; strings hold no raw newline.
        let pretty = serde_json::to_string_pretty(&item)?;
        for (n, line) in pretty.lines().enumerate() {
            if n > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(b"  ");
            out.extend_from_slice(line.as_bytes());
        }
    }
    Ok(())
}

/// The CSL locator: the paragraph number with its sub-paragraph ("76", "4 (a)"), or the page
/// for units cited by page (speaker turns, unnumbered blocks).
fn locator(row: &ParagraphRow) -> String {
    if label(row) == "page" {
        return row.page.to_string();
    }
    // Units cited by paragraph are numbered, or preambular paragraphs cited by their ordinal.
    let number = row
        .number
        .clone()
        .or_else(|| row.ordinal.map(|o| o.to_string()))
        .unwrap_or_default();
    match &row.sub {
        Some(sub) => format!("{number} ({sub})"),
        None => number,
    }
}

/// The CSL locator label: "paragraph", or "page" for units the Editorial Manual cites by page.
fn label(row: &ParagraphRow) -> &'static str {
    if row_pinpoint(row).contains("para.") {
        "paragraph"
    } else {
        "page"
    }
}

/// RIS: `TY  - RPT` records; the symbol is the report number (`SN`), the citation with its
/// pinpoint goes in a note (`N1`), the paragraph text in the abstract (`AB`).
fn ris(rows: &[ParagraphRow], keys: &[String], base_url: &str) -> String {
    let mut out = String::new();
    for (row, key) in rows.iter().zip(keys) {
        let mut tag = |t: &str, v: &str| {
            let v = one_line(v);
            if !v.is_empty() {
                let _ = writeln!(out, "{t}  - {v}");
            }
        };
        tag("TY", "RPT");
        tag("ID", key);
        tag("TI", &title_of(row));
        if let Some(author) = &row.author {
            tag("AU", author);
        }
        tag("PB", "United Nations");
        if let Some(symbol) = &row.symbol {
            tag("SN", symbol);
        }
        let parts = date_parts(row);
        if let Some(y) = parts.first() {
            tag("PY", &y.to_string());
        }
        if parts.len() == 3 {
            tag(
                "DA",
                &format!("{}/{:02}/{:02}/", parts[0], parts[1], parts[2]),
            );
        }
        tag("LA", row.language.as_str());
        tag("N1", &citation_of(row));
        tag("AB", &row.text);
        for t in tag_list(row) {
            tag("KW", &t);
        }
        tag("UR", &permalink(base_url, &row.id));
        out.push_str("ER  - \n\n");
    }
    out
}

/// Escapes text for a BibTeX field value read as LaTeX.
fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            _ => out.push(c),
        }
    }
    out
}

/// BibTeX: `@techreport` entries keyed by row id; `institution` is "United Nations", `number`
/// the symbol, `note` the citation with its pinpoint, `url` the permalink.
fn bibtex(rows: &[ParagraphRow], keys: &[String], base_url: &str) -> String {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let mut out = String::new();
    for (row, key) in rows.iter().zip(keys) {
        let _ = writeln!(out, "@techreport{{{key},");
        // Double braces keep the title's capitals (BibTeX styles lower-case titles).
        let _ = writeln!(out, "  title = {{{{{}}}}},", bib_escape(&title_of(row)));
        if let Some(author) = &row.author {
            let _ = writeln!(out, "  author = {{{{{}}}}},", bib_escape(author));
        }
        let _ = writeln!(out, "  institution = {{United Nations}},");
        if let Some(symbol) = &row.symbol {
            let _ = writeln!(out, "  number = {{{}}},", bib_escape(symbol));
        }
        if let Some(t) = &row.doc_type {
            let _ = writeln!(out, "  type = {{{}}},", bib_escape(t));
        }
        let parts = date_parts(row);
        if let Some(y) = parts.first() {
            let _ = writeln!(out, "  year = {{{y}}},");
        }
        if let Some(m) = parts.get(1)
            && let Some(name) = usize::try_from(*m - 1).ok().and_then(|i| MONTHS.get(i))
        {
            let _ = writeln!(out, "  month = {name},");
        }
        if parts.len() == 3 {
            let _ = writeln!(
                out,
                "  date = {{{:04}-{:02}-{:02}}},",
                parts[0], parts[1], parts[2]
            );
        }
        let _ = writeln!(
            out,
            "  language = {{{}}},",
            bib_escape(row.language.as_str())
        );
        let _ = writeln!(out, "  note = {{{}}},", bib_escape(&citation_of(row)));
        // `url` is a verbatim field: no LaTeX escapes; braces cannot occur (percent-encoded).
        let _ = writeln!(out, "  url = {{{}}}", permalink(base_url, &row.id));
        out.push_str("}\n\n");
    }
    out
}

/// The CSV header of [`ExportFormat::Csv`].
pub const CSV_HEADER: [&str; 9] = [
    "id",
    "symbol",
    "date",
    "title",
    "paragraph",
    "citation",
    "text",
    "tags",
    "permalink",
];

/// Characters that make a spreadsheet read a cell as a formula (or, tab and carriage return,
/// shift it into one) when they begin it: OWASP's list for CSV injection.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A CSV cell that a spreadsheet shows as text: a value beginning with `=`, `+`, `-`, `@`, tab
/// or carriage return gets a leading `'` (OWASP, CSV injection), so "=HYPERLINK(…)" in a
/// paragraph is shown, not run; any other value is unchanged.
#[must_use]
pub fn csv_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

/// CSV (RFC 4180, with header [`CSV_HEADER`] when `header` is set); `tags` joins
/// "family:value" tags with "; ". Every cell goes through [`csv_cell`].
fn csv_table(
    rows: &[ParagraphRow],
    base_url: &str,
    header: bool,
) -> Result<Vec<u8>, AnalysisError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        w.write_record(CSV_HEADER)?;
    }
    for row in rows {
        let cells = [
            row.id.clone(),
            row.symbol.clone().unwrap_or_default(),
            row.date.clone().unwrap_or_default(),
            row.title.clone().unwrap_or_default(),
            row_pinpoint(row),
            citation_of(row),
            row.text.clone(),
            tag_list(row).join("; "),
            permalink(base_url, &row.id),
        ];
        w.write_record(cells.iter().map(|c| csv_cell(c).into_owned()))?;
    }
    w.into_inner()
        .map_err(|e| AnalysisError::Io(e.into_error()))
}
