//! Citation exports of twenty real rows, read back in Rust.

use crate::common;
use std::io::Read;
use std::str::FromStr;

use undex_analysis::{ExportFormat, ExportOptions, ExportWriter, export, export_with, permalink};

const BASE: &str = "https://undex.example.org/";

#[test]
fn format_names_round_trip() {
    for f in ExportFormat::ALL {
        assert_eq!(ExportFormat::from_str(f.as_str()).unwrap(), f);
        assert!(!f.content_type().is_empty());
        assert!(!f.file_extension().contains('.'));
    }
    assert_eq!(
        ExportFormat::from_str("CSL-JSON").unwrap(),
        ExportFormat::CslJson
    );
    let err = ExportFormat::from_str("pdf").unwrap_err().to_string();
    assert!(err.contains("unknown export format"), "{err}");
}

#[test]
fn permalinks_are_base_p_id() {
    assert_eq!(
        permalink(BASE, "A_79_875.en~76"),
        "https://undex.example.org/p/A_79_875.en~76"
    );
    assert_eq!(
        permalink("https://x.org", "A_1.en~4(a) b"),
        "https://x.org/p/A_1.en~4(a)%20b"
    );
}

#[test]
fn text_list_cites_symbol_and_paragraph_in_order() {
    let rows = common::twenty_rows();
    let out = String::from_utf8(export(&rows, ExportFormat::Text, BASE).unwrap()).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 20);
    for (line, row) in lines.iter().zip(&rows) {
        assert_eq!(*line, row.citation);
    }
    assert!(lines.contains(&"A/79/875-S/2025/248, para. 76"));
    assert!(lines.contains(&"A/79/875-S/2025/248, para. 1"));

    let quoted = export_with(
        &rows,
        ExportFormat::Text,
        &ExportOptions {
            base_url: BASE.into(),
            quote_text: true,
        },
    )
    .unwrap();
    let quoted = String::from_utf8(quoted).unwrap();
    let first_para = quoted
        .lines()
        .find(|l| l.starts_with("A/79/875-S/2025/248, para. 1:"))
        .unwrap();
    assert!(
        first_para.contains(": “At the 2005 World Summit"),
        "{first_para}"
    );
    assert!(first_para.ends_with('”'));
}

#[test]
fn csv_reads_back_every_row() {
    let rows = common::twenty_rows();
    let bytes = export(&rows, ExportFormat::Csv, BASE).unwrap();
    let mut rdr = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, undex_analysis::export::CSV_HEADER);
    let records: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 20);
    for (rec, row) in records.iter().zip(&rows) {
        assert_eq!(&rec[0], row.id);
        assert_eq!(&rec[1], row.symbol.as_deref().unwrap_or(""));
        assert_eq!(&rec[2], row.date.as_deref().unwrap_or(""));
        assert_eq!(&rec[5], row.citation);
        assert_eq!(&rec[6], row.text, "full text survives quoting");
        assert_eq!(&rec[8], permalink(BASE, &row.id));
    }
    assert!(records.iter().any(|r| &r[4] == "para. 76"));
}

#[test]
fn csl_json_items_are_reports_with_paragraph_locators() {
    let rows = common::twenty_rows();
    let bytes = export(&rows, ExportFormat::CslJson, BASE).unwrap();
    let items: Vec<serde_json::Value> = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(items.len(), 20);
    let mut ids = std::collections::BTreeSet::new();
    for (item, row) in items.iter().zip(&rows) {
        assert!(
            ids.insert(item["id"].as_str().unwrap().to_string()),
            "ids unique"
        );
        assert_eq!(item["type"], "report");
        assert_eq!(item["publisher"], "United Nations");
        assert_eq!(item["URL"], permalink(BASE, &row.id));
        assert_eq!(item["title"].as_str(), row.title.as_deref());
        if let Some(symbol) = &row.symbol {
            assert_eq!(item["number"], symbol.as_str());
        }
    }
    let p76 = items
        .iter()
        .find(|i| i["note"] == "A/79/875-S/2025/248, para. 76")
        .unwrap();
    assert_eq!(p76["locator"], "76");
    assert_eq!(p76["label"], "paragraph");
    assert_eq!(
        p76["issued"]["date-parts"][0],
        serde_json::json!([2025, 4, 22])
    );
    // The summary block has no paragraph number and is cited by page.
    assert_eq!(items[0]["label"], "page");
}

#[test]
fn ris_and_bibtex_hold_one_record_per_row() {
    let rows = common::twenty_rows();
    let ris = String::from_utf8(export(&rows, ExportFormat::Ris, BASE).unwrap()).unwrap();
    assert_eq!(ris.matches("TY  - RPT\n").count(), 20);
    assert_eq!(ris.matches("ER  - \n").count(), 20);
    assert!(ris.contains("SN  - A/79/875-S/2025/248\n"));
    assert!(ris.contains("N1  - A/79/875-S/2025/248, para. 76\n"));
    assert!(
        ris.lines()
            .all(|l| l.is_empty() || l.get(2..6) == Some("  - "))
    );

    let bib = String::from_utf8(export(&rows, ExportFormat::Bibtex, BASE).unwrap()).unwrap();
    assert_eq!(bib.matches("@techreport{").count(), 20);
    assert!(bib.contains("@techreport{A_79_875.en-76,"));
    assert!(bib.contains("  number = {A/79/875-S/2025/248},"));
    // Stable: the same rows give the same bytes.
    assert_eq!(
        bib.as_bytes(),
        export(&rows, ExportFormat::Bibtex, BASE).unwrap()
    );
}

#[test]
fn docx_is_a_zip_with_one_paragraph_per_citation() {
    let rows = common::twenty_rows();
    let bytes = export(&rows, ExportFormat::Docx, BASE).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(zip.by_name("[Content_Types].xml").is_ok());
    assert_eq!(xml.matches("<w:p>").count(), 20);
    assert!(xml.contains(">A/79/875-S/2025/248, para. 76<"));
    // Deterministic bytes (no timestamps).
    assert_eq!(bytes, export(&rows, ExportFormat::Docx, BASE).unwrap());
}

#[test]
fn empty_list_exports_valid_empty_files() {
    let text = export(&[], ExportFormat::Text, BASE).unwrap();
    assert!(text.is_empty());
    let csl: Vec<serde_json::Value> =
        serde_json::from_slice(&export(&[], ExportFormat::CslJson, BASE).unwrap()).unwrap();
    assert!(csl.is_empty());
    let csv = export(&[], ExportFormat::Csv, BASE).unwrap();
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        "id,symbol,date,title,paragraph,citation,text,tags,permalink\n"
    );
    let docx = export(&[], ExportFormat::Docx, BASE).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("<w:body></w:body>"), "{xml}");
}

/// Issue #16: a paragraph or title beginning with `=`, `+`, `-`, `@`, tab or carriage return
/// must not run as a spreadsheet formula (OWASP CSV injection): the cell gets a leading `'`.
#[test]
fn csv_cells_cannot_start_a_formula() {
    let mut rows = common::twenty_rows();
    let hostile = [
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ];
    for (row, text) in rows.iter_mut().zip(hostile) {
        row.text = text.to_string();
        row.title = Some(text.to_string());
    }
    let csv = export(&rows, ExportFormat::Csv, BASE).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    for (record, text) in records.iter().zip(hostile) {
        assert_eq!(&record[6], format!("'{text}"), "text");
        assert_eq!(&record[3], format!("'{text}"), "title");
    }
    // Cells that cannot start a formula are unchanged.
    let plain = &records[hostile.len()];
    assert_eq!(&plain[0], rows[hostile.len()].id);
    assert_eq!(&plain[6], rows[hostile.len()].text);
    for record in &records {
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
}

/// An export written a page at a time (as the server and `undex export` read the index) is
/// byte for byte the export of all rows at once, in every format; citation keys stay unique
/// across pages.
#[test]
fn exports_written_by_pages_equal_one_shot_exports() {
    let mut rows = common::twenty_rows();
    // A repeated row needs a suffixed key, even when its twin is on an earlier page.
    rows.push(rows[0].clone());
    let options = ExportOptions {
        base_url: BASE.to_string(),
        quote_text: true,
    };
    for format in ExportFormat::ALL {
        let whole = export_with(&rows, format, &options).unwrap();
        for page in [1, 3, 7, 50] {
            let mut writer = ExportWriter::new(format, options.clone());
            for chunk in rows.chunks(page) {
                writer.write_rows(chunk).unwrap();
            }
            assert_eq!(writer.rows(), rows.len());
            let paged = writer.finish().unwrap();
            if format == ExportFormat::Docx {
                assert_eq!(docx_text(&paged), docx_text(&whole), "{format} by {page}");
            } else {
                assert_eq!(paged, whole, "{format} by {page}");
            }
        }
        let empty = ExportWriter::new(format, options.clone()).finish().unwrap();
        if format != ExportFormat::Docx {
            assert_eq!(empty, export(&[], format, BASE).unwrap(), "{format} empty");
        }
    }
    let csl: serde_json::Value =
        serde_json::from_slice(&export_with(&rows, ExportFormat::CslJson, &options).unwrap())
            .unwrap();
    let last = csl.as_array().unwrap().last().unwrap();
    assert_eq!(last["id"], format!("{}-2", csl[0]["id"].as_str().unwrap()));
}

/// The `word/document.xml` of a .docx package.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}
