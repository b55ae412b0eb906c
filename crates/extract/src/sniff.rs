//! Format detection from a file's bytes (never its extension: the UN serves DOCX files named
//! `.doc`, e.g. `AdvancedQuestionsSlovenia.doc`).

use std::io::Cursor;

/// A file format undex knows, as detected by [`sniff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Starts with `%PDF-` (within the first 1 024 bytes, as readers tolerate leading junk).
    Pdf,
    /// A ZIP package holding `word/document.xml` (Office Open XML, ECMA-376).
    Docx,
    /// A legacy Word 97-2003 file: OLE2 compound document (`D0 CF 11 E0 A1 B1 1A E1`).
    LegacyDoc,
    /// HTML (a `<!doctype html` or `<html` start).
    Html,
    /// XML that is not a document (e.g. a UN Digital Library MARCXML catalogue response).
    Xml,
    /// Markdown: UTF-8 text with Markdown syntax (`#` headings, `<sup>` markers, `**`).
    Markdown,
    /// Plain UTF-8 text.
    Text,
    /// Anything else (another ZIP, an image, non-UTF-8 bytes).
    Unknown,
}

impl Format {
    /// The name stored in `DocumentMeta::format`: "pdf", "docx", "doc", "html", "markdown",
    /// "text", "unknown".
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::LegacyDoc => "doc",
            Format::Html => "html",
            Format::Xml => "xml",
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Unknown => "unknown",
        }
    }
}

const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Detects the format of `bytes` from their content.
#[must_use]
pub fn sniff(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Format::Pdf;
    }
    if bytes.starts_with(&OLE2_MAGIC) {
        return Format::LegacyDoc;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(archive) if archive.index_for_name("word/document.xml").is_some() => Format::Docx,
            _ => Format::Unknown,
        };
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Format::Unknown;
    };
    let text = text.trim_start_matches('\u{feff}');
    let start: String = text
        .trim_start()
        .chars()
        .take(64)
        .collect::<String>()
        .to_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        return Format::Html;
    }
    if start.starts_with("<?xml") {
        return Format::Xml;
    }
    let markdown_signs = text
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("# ")
                || l.starts_with("## ")
                || l.starts_with("### ")
                || l.starts_with("#### ")
                || l.contains("<sup>")
                || l.contains("**")
        })
        .count();
    if markdown_signs >= 2 {
        Format::Markdown
    } else {
        Format::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_magic_numbers() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Format::Pdf);
        assert_eq!(sniff(&OLE2_MAGIC), Format::LegacyDoc);
        assert_eq!(sniff(b"PK\x03\x04garbage"), Format::Unknown);
        assert_eq!(sniff(b"1. Hello.\n\n2. World."), Format::Text);
        assert_eq!(sniff(b"# Title\n\n## Sub\n"), Format::Markdown);
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<collection/>"),
            Format::Xml
        );
        assert_eq!(sniff(&[0xff, 0xfe, 0x00]), Format::Unknown);
    }
}
