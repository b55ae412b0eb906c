//! Prints what `extract` reads from a file: metadata, then one line per unit.
//! Usage: `cargo run -p undex-extract --example dump -- FILE [--blocks]`

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: dump FILE [--blocks]");
        return ExitCode::FAILURE;
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if args.iter().any(|a| a == "--blocks") {
        let format = undex_extract::sniff(&bytes);
        match undex_extract::read_blocks(&bytes, format, &Default::default()) {
            Ok(b) => {
                for bl in &b.blocks {
                    let t: String = bl.text.chars().take(100).collect();
                    println!("p{} {:?} {t}", bl.page, bl.role);
                }
            }
            Err(e) => eprintln!("{e}"),
        }
        return ExitCode::SUCCESS;
    }
    match undex_extract::extract(&bytes, path, &Default::default()) {
        Ok(doc) => {
            let mut m = doc.meta.clone();
            m.sha256.truncate(12);
            println!("{m:#?}");
            for p in &doc.paragraphs {
                let t: String = p.text.chars().take(70).collect();
                let end: String = {
                    let c: Vec<char> = p.text.chars().collect();
                    c[c.len().saturating_sub(40)..].iter().collect()
                };
                println!(
                    "{} p{} [{}] {:?} {t} … {end} {:?} {}",
                    p.id,
                    p.page,
                    p.kind.as_str(),
                    p.section
                        .last()
                        .map(|s| s.chars().take(20).collect::<String>()),
                    p.footnote_refs,
                    p.speaker.as_deref().unwrap_or("")
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            ExitCode::FAILURE
        }
    }
}
