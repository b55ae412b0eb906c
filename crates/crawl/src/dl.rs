//! UN Digital Library MARCXML search results (`of=xm`).
//!
//! The total hit count comes from the leading comment
//! `<!-- Search-Engine-Total-Number-Of-Results: N -->`; each `<record>` gives the symbol
//! (MARC 191 `$a`), the title (245 `$a` `$b`), the date (269 `$a`), subjects (6xx `$a`) and one
//! 856 field per language file (`$u` URL, `$y` language label, `$s` size in bytes). Element
//! names are matched without their namespace prefix (captures use `ns0:`).

use quick_xml::events::Event;
use undex_core::Language;

use crate::check::{language_from_file_name, language_from_label, repair_mojibake};
use crate::store::RecordMeta;

/// One catalogue record of a search result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DlRecord {
    /// Symbols (191 `$a`), as catalogued.
    pub symbols: Vec<String>,
    /// Metadata kept with the files.
    pub meta: RecordMeta,
    /// Files, one per language.
    pub files: Vec<DlFile>,
}

/// One file of a record (MARC 856).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DlFile {
    /// `$u`: absolute URL.
    pub url: String,
    /// Language from the file name suffix (`-EN.pdf`) or the `$y` label.
    pub language: Option<Language>,
    /// `$y` as found (may be mojibake).
    pub label: Option<String>,
    /// `$s`: size in bytes.
    pub bytes: Option<u64>,
}

/// A parsed search page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DlPage {
    /// Total hits announced in the leading comment, when present.
    pub total: Option<u64>,
    /// Records on this page, in order.
    pub records: Vec<DlRecord>,
}

/// Parses one MARCXML search page. Malformed XML ends the parse: the records read so far are
/// returned (never a panic).
#[must_use]
pub fn parse_marcxml(xml: &str) -> DlPage {
    let mut page = DlPage::default();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut rec: Option<DlRecord> = None;
    let mut tag = String::new();
    let mut code = String::new();
    let mut text = String::new();
    let mut subfields: Vec<(String, String)> = Vec::new();
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                tracing::warn!(error = %e, "malformed marcxml, stopping");
                break;
            }
        };
        match ev {
            Event::Comment(c) => {
                let c = c.xml10_content();
                if let Some(rest) = c
                    .trim()
                    .strip_prefix("Search-Engine-Total-Number-Of-Results:")
                {
                    page.total = rest.trim().parse().ok();
                }
            }
            Event::Start(e) => {
                let name = e.local_name();
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == key)
                        .map(|a| a.value.to_string())
                        .unwrap_or_default()
                };
                match name.as_ref() {
                    "record" => rec = Some(DlRecord::default()),
                    "controlfield" => {
                        tag = attr("tag");
                        text.clear();
                    }
                    "datafield" => {
                        tag = attr("tag");
                        subfields.clear();
                    }
                    "subfield" => {
                        code = attr("code");
                        text.clear();
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                text.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) => {
                if let Ok(Some(ch)) = r.resolve_char_ref() {
                    text.push(ch);
                } else if let Some(s) =
                    quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                {
                    text.push_str(s);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "controlfield" => {
                    if let (Some(r), "001") = (rec.as_mut(), tag.as_str()) {
                        r.meta.recid = Some(text.trim().to_string());
                    }
                }
                "subfield" => subfields.push((code.clone(), text.trim().to_string())),
                "datafield" => {
                    if let Some(r) = rec.as_mut() {
                        apply_datafield(r, &tag, &subfields);
                    }
                }
                "record" => {
                    if let Some(r) = rec.take() {
                        page.records.push(r);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    page
}

fn apply_datafield(r: &mut DlRecord, tag: &str, sub: &[(String, String)]) {
    let get = |c: &str| {
        sub.iter()
            .find(|(k, _)| k == c)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    match tag {
        "191" => {
            if let Some(a) = get("a")
                && !r.symbols.iter().any(|s| s == a)
            {
                r.symbols.push(a.to_string());
            }
        }
        "245" => {
            let title = [get("a"), get("b")]
                .into_iter()
                .flatten()
                .map(repair_mojibake)
                .collect::<Vec<_>>()
                .join(" ");
            if !title.is_empty() {
                r.meta.title = Some(title.trim_end_matches([' ', '/', ':']).to_string());
            }
        }
        "269" => r.meta.date = get("a").map(str::to_string),
        t if t.starts_with('6') => {
            if let Some(a) = get("a") {
                r.meta.subjects.push(repair_mojibake(a));
            }
        }
        "856" => {
            if let Some(u) = get("u") {
                let label = get("y").map(str::to_string);
                let language = language_from_file_name(u)
                    .or_else(|| label.as_deref().and_then(language_from_label));
                r.files.push(DlFile {
                    url: u.to_string(),
                    language,
                    label,
                    bytes: get("s").and_then(|s| s.parse().ok()),
                });
            }
        }
        _ => {}
    }
}
