//! Citations in the style of the United Nations Editorial Manual: documents are cited by symbol,
//! paragraphs by number, never by page ("A/79/875-S/2025/248, para. 76"; "para. 4 (a)";
//! "A/80/434-S/2025/632, annex, para. 3"). Verbatim records, which have no paragraph numbers,
//! are cited by page ("S/PV.10011, p. 5").

use crate::document::UnitKind;
use crate::row::ParagraphRow;

/// The pinpoint part of a citation: "para. 76", "para. 4 (a)", "annex I, para. 3",
/// "preambular para. 3", "p. 5". `number` is the number as printed; `ordinal` is the place of
/// an unnumbered unit among its kind, which only preambular paragraphs are cited by. A unit
/// with neither a printed number nor such an ordinal (a block, a speaker turn) is cited by its
/// page, never by an invented paragraph number.
#[must_use]
pub fn pinpoint(
    kind: UnitKind,
    annex: Option<&str>,
    number: Option<&str>,
    ordinal: Option<u32>,
    sub: Option<&str>,
    page: u32,
) -> String {
    let mut out = String::new();
    if let Some(annex) = annex {
        // "Annex I" is cited "annex I": lower-case the word, keep the roman numeral.
        match annex.strip_prefix("Annex") {
            Some(rest) => out.push_str(&format!("annex{rest}")),
            None => out.push_str(annex),
        }
        out.push_str(", ");
    }
    match (kind, number, ordinal) {
        (UnitKind::SpeakerTurn | UnitKind::Block, _, _) => out.push_str(&format!("p. {page}")),
        (UnitKind::Preambular, _, Some(ordinal)) => {
            out.push_str(&format!("preambular para. {ordinal}"));
        }
        (_, Some(number), _) => {
            out.push_str("para. ");
            out.push_str(number);
            if let Some(sub) = sub {
                out.push_str(&format!(" ({sub})"));
            }
        }
        (_, None, _) => out.push_str(&format!("p. {page}")),
    }
    out
}

/// The [`pinpoint`] of a row, from its kind, annex, number, ordinal, sub-paragraph and page
/// ("para. 76", "annex I, para. 3", "p. 5").
#[must_use]
pub fn row_pinpoint(row: &ParagraphRow) -> String {
    pinpoint(
        row.kind,
        row.annex.as_deref(),
        row.number.as_deref(),
        row.ordinal,
        row.sub.as_deref(),
        row.page,
    )
}

/// The full citation of a unit: "A/79/875-S/2025/248, para. 76". When the document carries no
/// symbol, its title and date stand in for it: "Report of the Secretary-General, 23 April 2026,
/// para. 28". A document that is not a UN document ([`ParagraphRow::is_un_document`]) is
/// cited by author and quoted title, as the Editorial Manual cites other publications, and
/// never by its file name: "Global Centre for the Responsibility to Protect, \"Summary of the
/// UN Secretary-General's 2024 Report on R2P\", p. 1".
#[must_use]
pub fn cite(row: &ParagraphRow) -> String {
    let point = row_pinpoint(row);
    let head = match (&row.symbol, &row.title, &row.date) {
        (Some(symbol), _, _) => symbol.clone(),
        (None, _, _) if !row.is_un_document() => non_un_head(row),
        (None, Some(title), Some(date)) => format!("{title}, {}", human_date(date)),
        (None, Some(title), None) => title.clone(),
        // Neither symbol nor title: the file name is the best the reader can look up.
        (None, None, _) => std::path::Path::new(&row.source_file)
            .file_name()
            .map_or_else(
                || row.source_file.clone(),
                |n| n.to_string_lossy().into_owned(),
            ),
    };
    format!("{head}, {point}")
}

/// Author, quoted title and date of a document that is not a UN document, as many of them as
/// are known; never its file name.
fn non_un_head(row: &ParagraphRow) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(author) = row.author.as_deref().filter(|a| !a.trim().is_empty()) {
        parts.push(author.trim().to_string());
    }
    match row.title.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(title) => parts.push(format!("\"{}\"", title.trim())),
        None => parts.push("untitled document (not a UN document)".to_string()),
    }
    if let Some(date) = &row.date {
        parts.push(human_date(date));
    }
    parts.join(", ")
}

/// "2026-04-23" → "23 April 2026" (the UN's day-month-year order); other input unchanged.
#[must_use]
pub fn human_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    if let [y, m, d] = parts[..]
        && let (Ok(m), Ok(d)) = (m.parse::<usize>(), d.parse::<u32>())
        && (1..=12).contains(&m)
    {
        return format!("{d} {} {y}", MONTHS[m - 1]);
    }
    iso.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinpoints_follow_the_editorial_manual() {
        assert_eq!(
            pinpoint(UnitKind::Paragraph, None, Some("76"), None, None, 20),
            "para. 76"
        );
        assert_eq!(
            pinpoint(UnitKind::Subparagraph, None, Some("4"), None, Some("a"), 2),
            "para. 4 (a)"
        );
        assert_eq!(
            pinpoint(
                UnitKind::Paragraph,
                Some("Annex I"),
                Some("3"),
                None,
                None,
                5
            ),
            "annex I, para. 3"
        );
        assert_eq!(
            pinpoint(UnitKind::Paragraph, Some("annex"), Some("3"), None, None, 5),
            "annex, para. 3"
        );
        assert_eq!(
            pinpoint(UnitKind::SpeakerTurn, None, None, Some(12), None, 5),
            "p. 5"
        );
        assert_eq!(
            pinpoint(UnitKind::Preambular, None, None, Some(3), None, 1),
            "preambular para. 3"
        );
        // An unnumbered block is cited by its page, never "para. 1".
        assert_eq!(
            pinpoint(UnitKind::Block, None, None, Some(1), None, 4),
            "p. 4"
        );
        assert_eq!(human_date("2026-04-23"), "23 April 2026");
        assert_eq!(human_date("2026-12-03"), "3 December 2026");
        assert_eq!(human_date("2026-13-03"), "2026-13-03");
        assert_eq!(human_date("1996"), "1996");
    }

    fn one_block_document(meta: crate::DocumentMeta) -> crate::Document {
        crate::Document {
            meta,
            paragraphs: vec![crate::Paragraph {
                id: "x~b1".to_string(),
                kind: UnitKind::Block,
                number: None,
                ordinal: Some(1),
                sub: None,
                annex: None,
                section: Vec::new(),
                page: 1,
                text: "Some text.".to_string(),
                footnote_refs: Vec::new(),
                footnotes: Vec::new(),
                speaker: None,
                tags: crate::Tags::default(),
            }],
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_document_that_is_not_a_un_document_is_never_cited_by_file_name() {
        let meta = crate::DocumentMeta {
            title: Some("Summary of the 2024 Report on R2P".to_string()),
            author: Some("Global Centre for the Responsibility to Protect".to_string()),
            doc_type: Some(format!("summary{}", crate::NON_UN_MARK)),
            source_file: "seeds/gcr2p-summary-of-2024-report.txt".to_string(),
            ..crate::DocumentMeta::default()
        };
        assert!(!meta.is_un_document());
        let rows = one_block_document(meta.clone()).rows();
        assert!(!rows[0].is_un_document());
        assert_eq!(
            rows[0].citation,
            "Global Centre for the Responsibility to Protect, \"Summary of the 2024 Report on R2P\", p. 1"
        );
        let untitled = crate::DocumentMeta {
            title: None,
            author: None,
            ..meta
        };
        let citation = &one_block_document(untitled).rows()[0].citation;
        assert!(!citation.contains("gcr2p"), "{citation}");
        // A UN document without symbol or title still names its file: nothing else finds it.
        let un = crate::DocumentMeta {
            doc_type: Some("other".to_string()),
            source_file: "a/b/report.txt".to_string(),
            ..crate::DocumentMeta::default()
        };
        assert_eq!(
            one_block_document(un).rows()[0].citation,
            "report.txt, p. 1"
        );
    }
}
