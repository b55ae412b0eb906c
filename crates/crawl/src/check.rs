//! Checks on what a server answered: is it a document, an error page, a bot challenge, and in
//! which language is it written.

use std::io::Read;

use serde::{Deserialize, Serialize};
use undex_core::Language;

/// The kind of file recognised from its first bytes (never from its name or content type:
/// OHCHR serves DOCX files named `.doc`, ODS serves HTML with status 200).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// Starts with `%PDF-`.
    Pdf,
    /// A zip archive holding `word/document.xml` (Office Open XML).
    Docx,
    /// An OLE2 compound file (Word 97-2003 `.doc`).
    Doc,
}

impl FileKind {
    /// File name extension used in the store.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Doc => "doc",
        }
    }
}

/// Recognises a document from its bytes; `None` for anything else (HTML, empty, truncated).
#[must_use]
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileKind::Pdf);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(FileKind::Doc);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
        if archive.index_for_name("word/document.xml").is_some() {
            return Some(FileKind::Docx);
        }
    }
    None
}

/// True when the answer is a bot-protection page rather than content: a Cloudflare challenge
/// (`cf-mitigated: challenge`, or a 403/503 whose body reads "Just a moment...") or the UN
/// Digital Library's empty 202 (its answer to scripts).
#[must_use]
pub fn is_blocked(status: u16, cf_mitigated: Option<&str>, body: &[u8]) -> bool {
    if cf_mitigated.is_some_and(|v| v.eq_ignore_ascii_case("challenge")) {
        return true;
    }
    if status == 202 && body.iter().all(u8::is_ascii_whitespace) {
        return true;
    }
    if matches!(status, 403 | 429 | 503) {
        let head = String::from_utf8_lossy(&body[..body.len().min(8192)]);
        return head.contains("Just a moment...")
            || head.contains("challenge-platform")
            || head.contains("cf-chl");
    }
    false
}

/// True when the bytes look like an HTML page (the ODS single-page app, an error page).
#[must_use]
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let head = head.trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<head")
}

/// Detects the UN language (ISO 639-1) of a document from its text: the first pages of a PDF's
/// text layer (via lopdf) or the text runs of a DOCX. `None` when there is no text layer (scans),
/// the text is too short, or the detection is not reliable. Never panics: a PDF that makes the
/// parser panic gives `None`.
#[must_use]
pub fn detect_language(kind: FileKind, bytes: &[u8]) -> Option<Language> {
    let text = std::panic::catch_unwind(|| match kind {
        FileKind::Pdf => pdf_text(bytes),
        FileKind::Docx => docx_text(bytes),
        FileKind::Doc => None,
    })
    .ok()
    .flatten()?;
    language_of_text(&text)
}

/// The UN language of a text, when `whatlang` is reliably sure and it is one of the six.
#[must_use]
pub fn language_of_text(text: &str) -> Option<Language> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 200 {
        return None;
    }
    let info = whatlang::detect(text)?;
    if !info.is_reliable() {
        return None;
    }
    Language::parse(info.lang().code()).filter(|l| l.is_official())
}

fn pdf_text(bytes: &[u8]) -> Option<String> {
    let doc = pdf_extract::Document::load_mem(bytes).ok()?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().take(3).collect();
    let text = doc.extract_text(&pages).ok()?;
    Some(text.chars().take(20_000).collect())
}

fn docx_text(bytes: &[u8]) -> Option<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .ok()?
        .take(4 * 1024 * 1024)
        .read_to_string(&mut xml)
        .ok()?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Text(t)) => {
                out.push_str(&t.xml10_content());
            }
            Ok(quick_xml::events::Event::End(e)) if e.local_name().as_ref() == "p" => {
                out.push('\n');
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            _ => {}
        }
        if out.len() > 20_000 {
            break;
        }
    }
    Some(out)
}

/// Repairs UTF-8 text that was decoded as Latin-1 once ("FranÃ§ais" → "Français"), as found in
/// Digital Library MARCXML captures. Text that is not such mojibake is returned unchanged.
#[must_use]
pub fn repair_mojibake(text: &str) -> String {
    if text.is_ascii()
        || !text.chars().any(|c| {
            matches!(
                c,
                'Ã' | 'Â' | 'Ø' | 'Ù' | 'Ð' | 'Ñ' | 'ä' | 'å' | 'æ' | 'ç' | 'é' | 'è'
            )
        })
    {
        return text.to_string();
    }
    let bytes: Option<Vec<u8>> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect();
    bytes
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_else(|| text.to_string())
}

/// Maps a Digital Library language label (MARC 856 `$y`, possibly mojibake) to a UN
/// language: the language's ISO 639-1 code ("EN", any case), its name in English or its own
/// name ("Français", "francais", "中文").
#[must_use]
pub fn language_from_label(label: &str) -> Option<Language> {
    let l = repair_mojibake(label).trim().to_lowercase();
    if let Some(language) = Language::from_code(&l).filter(|l| l.is_official()) {
        return Some(language);
    }
    Some(match l.as_str() {
        "english" => Language::En,
        "français" | "francais" | "french" => Language::Fr,
        "español" | "espanol" | "spanish" => Language::Es,
        "русский" | "russian" => Language::Ru,
        "العربية" | "arabic" => Language::Ar,
        "中文" | "chinese" => Language::Zh,
        _ => return None,
    })
}

/// The language suffix of a UN file name: its ISO 639-1 code in any case
/// (`A_C.3_78_L.49_Rev.1-EN.pdf` and `A-HRC-58-3-fr.docx` are English and French) or the
/// UN's one-letter mark (`..._E.docx`: E, F, S, R, A, C for English, French, Spanish,
/// Russian, Arabic, Chinese).
#[must_use]
pub fn language_from_file_name(name: &str) -> Option<Language> {
    let stem = name.rsplit('/').next()?.rsplit_once('.')?.0;
    let (_, suffix) = stem.rsplit_once(['-', '_'])?;
    match suffix.to_ascii_uppercase().as_str() {
        "E" => Some(Language::En),
        "F" => Some(Language::Fr),
        "S" => Some(Language::Es),
        "R" => Some(Language::Ru),
        "A" => Some(Language::Ar),
        "C" => Some(Language::Zh),
        _ => Language::from_code(&suffix.to_ascii_lowercase()).filter(|l| l.is_official()),
    }
}
