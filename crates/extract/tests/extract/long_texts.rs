//! Long numbered texts: paragraph numbers of any length, every paragraph kept. (Speed is
//! measured in `benches/segment.rs`, not asserted here.)

use undex_core::UnitKind;
use undex_extract::{ExtractOptions, extract};

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/seeds/");

/// Paragraph texts (number removed) of the 2026 and 2025 reports on the responsibility to
/// protect: real UN prose to build long documents from.
fn seed_paragraphs() -> Vec<String> {
    let mut out = Vec::new();
    for file in ["sg-r2p-report-2026.txt", "sg-r2p-report-2025-A-79-875.txt"] {
        let path = format!("{SEEDS}{file}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in text.lines() {
            let line = line.trim().trim_start_matches("- ");
            if let Some((n, rest)) = line.split_once(". ")
                && !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
                && rest.len() > 80
            {
                out.push(rest.to_string());
            }
        }
    }
    out
}

/// A numbered UN text of at least `bytes` bytes (masthead, "1. …", "2. …", blank lines
/// between), and its paragraph count.
fn numbered_text(bytes: usize, paragraphs: &[String]) -> (String, usize) {
    let mut out = String::from(
        "United Nations A/80/999\n\nGeneral Assembly\n\nDistr.: General\n23 April 2026\n\n\
         Original: English\n\nI. Introduction\n\n",
    );
    let mut n = 0usize;
    while out.len() < bytes {
        let text = &paragraphs[n % paragraphs.len()];
        n += 1;
        out.push_str(&format!("{n}. {text}\n\n"));
    }
    (out, n)
}

#[test]
fn a_4_mb_numbered_text_gives_every_paragraph_past_999() {
    // Numbers were read up to three digits: everything after paragraph 999 became one giant
    // paragraph 999.
    let paragraphs = seed_paragraphs();
    assert!(paragraphs.len() > 100, "{}", paragraphs.len());
    let (text, count) = numbered_text(4 << 20, &paragraphs);
    assert!(count > 5000, "{count} paragraphs");
    let doc = extract(text.as_bytes(), "long.txt", &ExtractOptions::default()).expect("extract");
    let numbers: Vec<u32> = doc
        .paragraphs
        .iter()
        .filter(|p| p.kind == UnitKind::Paragraph || p.kind == UnitKind::Chapeau)
        .filter(|p| p.sub.is_none())
        .map(|p| p.number.as_deref().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        numbers,
        (1..=u32::try_from(count).unwrap()).collect::<Vec<_>>()
    );
    // Each paragraph holds its own text, not its neighbours'.
    let longest = doc.paragraphs.iter().map(|p| p.text.len()).max().unwrap();
    let longest_source = paragraphs.iter().map(String::len).max().unwrap();
    assert!(longest <= longest_source, "{longest} > {longest_source}");
    let p1234 = doc
        .paragraphs
        .iter()
        .find(|p| p.number.as_deref() == Some("1234") && p.sub.is_none())
        .expect("paragraph 1234");
    let source = &paragraphs[1233 % paragraphs.len()];
    let first_words: Vec<&str> = source.split_whitespace().take(5).collect();
    assert!(
        p1234.text.starts_with(&first_words.join(" ")),
        "{}",
        p1234.text
    );
    assert_eq!(p1234.id, "A_80_999.en~1234");
}

#[test]
fn a_year_at_a_line_start_is_not_a_paragraph_number() {
    // A line break can put a year first ("2015. The …"): out of the numbering, it stays
    // inside the paragraph it belongs to.
    let paragraphs = seed_paragraphs();
    let mut text = String::from("United Nations A/80/998\n\nDistr.: General\n\n");
    for (k, p) in paragraphs.iter().take(3).enumerate() {
        text.push_str(&format!("{}. {p}\n\n", k + 1));
    }
    text.push_str("4. The Council last met on the question in\n2015. It adopted a resolution.\n\n");
    text.push_str(&format!("5. {}\n", paragraphs[4]));
    let doc = extract(text.as_bytes(), "year.txt", &ExtractOptions::default()).expect("extract");
    let numbers: Vec<&str> = doc
        .paragraphs
        .iter()
        .filter_map(|p| p.number.as_deref())
        .collect();
    assert_eq!(numbers, ["1", "2", "3", "4", "5"]);
    assert_eq!(
        doc.paragraphs[3].text,
        "The Council last met on the question in 2015. It adopted a resolution."
    );
}
