//! Snapshots of the rows extracted from a representative set of documents: one line per unit
//! (id, kind, page, innermost section, footnote references, first and last words), plus the
//! metadata. Review changes with `cargo insta review`.

use std::fmt::Write as _;

use undex_core::Document;
use undex_extract::{ExtractOptions, extract};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/");

fn read(rel: &str) -> Document {
    let path = format!("{SHARED}{rel}");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // Record the path relative to shared/ so snapshots do not depend on the checkout.
    extract(&bytes, rel, &ExtractOptions::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// First 8 and last 6 words, or the whole text when it is short.
fn ends(text: &str) -> String {
    let w: Vec<&str> = text.split_whitespace().collect();
    if w.len() <= 14 {
        return w.join(" ");
    }
    format!("{} … {}", w[..8].join(" "), w[w.len() - 6..].join(" "))
}

fn render(doc: &Document) -> String {
    let m = &doc.meta;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "symbols: {:?}\nreissued: {}\njob: {:?}\ndate: {:?}\ntitle: {:?}\nauthor: {:?}\ntype: {:?}\nbodies: {:?}\nga/sc/hrc: {:?}/{:?}/{:?}\nagenda: {:?}\nlanguage: {}\npages: {}\n",
        m.symbols
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        m.reissued,
        m.job_number,
        m.date,
        m.title,
        m.author,
        m.doc_type,
        m.bodies,
        m.ga_session,
        m.sc_year,
        m.hrc_session,
        m.agenda_items,
        m.language,
        m.pages
    );
    for row in doc.rows() {
        let _ = writeln!(
            out,
            "{} [{}] p{} {} {:?}{}\n    {}",
            row.id,
            row.kind.as_str(),
            row.page,
            row.section.as_deref().unwrap_or("-"),
            row.footnote_refs,
            row.speaker
                .as_deref()
                .map(|s| format!(" speaker={s}"))
                .unwrap_or_default(),
            ends(&row.text),
        );
    }
    out
}

macro_rules! snap {
    ($name:ident, $rel:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(render(&read($rel)));
        }
    };
}

snap!(seed_report_2026, "seeds/sg-r2p-report-2026.txt");
snap!(
    seed_report_2025_markdown,
    "seeds/sg-r2p-report-2025-A-79-875.txt"
);
snap!(
    letter_with_annex,
    "corpus/pdf/un_ods_samples/A_80_434-EN.pdf"
);
snap!(
    sg_report_reissued,
    "corpus/pdf/un_ods_samples/S_2012_197-EN.pdf"
);
snap!(
    ga_resolution,
    "corpus/pdf/un_ods_samples/A_RES_70_10-EN.pdf"
);
snap!(
    sc_resolution,
    "corpus/pdf/un_ods_samples/S_RES_2803_2025-EN.pdf"
);
snap!(
    verbatim_record,
    "corpus/pdf/un_ods_samples/S_PV.10011-EN.pdf"
);
snap!(
    upr_working_group_report,
    "corpus/pdf/hrc_upr_wg_reports/france2013.pdf"
);
snap!(
    stakeholders_summary_ru,
    "corpus/pdf/ohchr_multilingual/ohchr_1_ru.pdf"
);
snap!(
    docx_advance_questions,
    "corpus/word/ohchr_upr_slovenia/AdvancedQuestionsSlovenia.doc"
);
snap!(
    upr_working_group_report_2008_inner_list,
    "corpus/pdf/hrc_upr_wg_reports/algeria2008.pdf"
);
