//! Where things are: the paths of paragraph and document pages, the site's base URL, and a
//! row as the API shows it. Every resource links through these, so a path is spelled once.

use axum::http::{HeaderMap, header};
use undex_core::ParagraphRow;
use undex_core::citation::cite;

/// The permalink path of a paragraph.
pub(crate) fn paragraph_url(id: &str) -> String {
    format!("/p/{}", encode_segment(id))
}

/// The path of a document page; symbols keep their slashes (wildcard route).
pub(crate) fn document_url(row: &ParagraphRow) -> String {
    doc_id_url(&row.doc_id)
}

/// The path of the document page of a document id (`/d/{doc_id}`).
pub(crate) fn doc_id_url(doc_id: &str) -> String {
    format!("/d/{}", encode_segment(doc_id))
}

/// Percent-encodes a path segment, keeping the characters of undex ids and symbols readable.
pub(crate) fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'(' | b')' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The file name of a path on the server ("/srv/undex/corpus/raw/A_79_875.pdf" →
/// "A_79_875.pdf"; `/` and `\` both separate): the API shows which file a row comes from,
/// never where the server keeps it.
pub(crate) fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// A row as the API shows it: `source_file` reduced to its [`file_name`].
pub(crate) fn public_row(mut row: ParagraphRow) -> ParagraphRow {
    row.source_file = file_name(&row.source_file);
    row
}

/// The site's base URL from the request's `Host` header (`http://{host}`); `http://localhost`
/// when the header is missing or holds characters a host cannot have.
pub(crate) fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The row's citation: its stored one, or the UN Editorial Manual citation when it is empty.
pub(crate) fn citation_of(row: &ParagraphRow) -> String {
    if row.citation.trim().is_empty() {
        cite(row)
    } else {
        row.citation.clone()
    }
}
