//! Prints the blocks of PDFs as JSON lines: `pdf_blocks FILE.pdf...`.
//!
//! Each line is `{"file":…, "page":…, "role":…, "text":…, …}`; a file that fails prints
//! `{"file":…, "error":…, "code":…}`. With `--ocr`, image-only PDFs are OCR'd; with `--quiet`,
//! only a per-file summary line (`{"file":…, "pages":…, "blocks":…}`) is printed.

use std::io::Write;

use undex_extract::pdf::{PdfOptions, read_pdf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = PdfOptions {
        ocr: args.iter().any(|a| a == "--ocr"),
    };
    let quiet = args.iter().any(|a| a == "--quiet");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::json!({"file": path, "error": e.to_string(), "code": "io"})
                );
                continue;
            }
        };
        match read_pdf(&bytes, &opts) {
            Ok(doc) if quiet => {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::json!({"file": path, "pages": doc.pages, "blocks": doc.blocks.len(), "warnings": doc.warnings})
                );
            }
            Ok(doc) => {
                for b in &doc.blocks {
                    let mut v = serde_json::to_value(b).unwrap_or_default();
                    if let Some(o) = v.as_object_mut() {
                        o.insert("file".into(), path.clone().into());
                    }
                    let _ = writeln!(out, "{v}");
                }
                for w in &doc.warnings {
                    let _ = writeln!(out, "{}", serde_json::json!({"file": path, "warning": w}));
                }
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::json!({"file": path, "error": e.to_string(), "code": e.code()})
                );
            }
        }
    }
}
