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

/// The full citation of a unit: "A/79/875-S/2025/248, para. 76". When the document carries no
/// symbol, its title and date stand in for it: "Report of the Secretary-General, 23 April 2026,
/// para. 28".
#[must_use]
pub fn cite(row: &ParagraphRow) -> String {
    let point = pinpoint(
        row.kind,
        row.annex.as_deref(),
        row.number.as_deref(),
        row.ordinal,
        row.sub.as_deref(),
        row.page,
    );
    let head = match (&row.symbol, &row.title, &row.date) {
        (Some(symbol), _, _) => symbol.clone(),
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
}
