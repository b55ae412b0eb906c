//! The `undex` binary as a new user meets it, on the real documents in `../shared`: what it
//! reads from them, and the messages it gives when something is missing or in the way.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// `../shared` relative to the repository root.
fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Runs `undex` with `args` (logs at their default level, as a user sees them).
fn undex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_undex"))
        .args(args)
        .env_remove("UNDEX_LOG")
        .env_remove("UNDEX_ADDR")
        .env_remove("UNDEX_INDEX")
        .output()
        .expect("run undex")
}

/// The JSON-lines rows `undex extract` prints for `file`.
fn extract_rows(file: &Path) -> Vec<Value> {
    let out = undex(&["extract", file.to_str().expect("UTF-8 path")]);
    assert!(
        out.status.success(),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON row"))
        .collect()
}

#[test]
fn cited_symbols_never_start_inside_a_word() {
    // "OSCE/ODIHR" (the 2024 Slovenia stakeholders' summary), "OSCE/BIDDH" (a French
    // national report of 2010) and "SPLA/M-IO" (S/2025/317) were read as citations of the
    // UN documents "E/ODIHR", "E/BIDDH" and "A/M-IO".
    for (file, acronym) in [
        ("corpus/pdf/hrc_upr_slovenia/g2420410.pdf", "OSCE/ODIHR"),
        ("corpus/pdf/ohchr_multilingual/ohchr_2_fr.pdf", "OSCE/BIDDH"),
        ("corpus/pdf/un_ods_samples/S_2025_317-EN.pdf", "SPLA/M-IO"),
    ] {
        let rows = extract_rows(&shared().join(file));
        let with_acronym = rows
            .iter()
            .filter(|r| r["text"].as_str().is_some_and(|t| t.contains(acronym)))
            .count();
        assert!(with_acronym > 0, "{file}: no paragraph names {acronym}");
        for row in &rows {
            let text = row["text"].as_str().unwrap_or_default();
            let notes: Vec<&str> = row["footnotes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["text"].as_str())
                .collect();
            for cited in row["cited"].as_array().into_iter().flatten() {
                let symbol = cited["symbol"].as_str().unwrap_or_default();
                // A symbol cited by its printed form ("General Assembly resolution 60/1" is
                // cited as A/RES/60/1 without printing it) stands somewhere in the paragraph
                // or its notes with no letter or digit right before it.
                let at_word_start = |hay: &str| {
                    hay.match_indices(symbol).any(|(i, _)| {
                        !hay[..i]
                            .chars()
                            .next_back()
                            .is_some_and(char::is_alphanumeric)
                    })
                };
                let printed = text.contains(symbol) || notes.iter().any(|n| n.contains(symbol));
                assert!(
                    !printed || at_word_start(text) || notes.iter().any(|n| at_word_start(n)),
                    "{file}: {} cites {symbol} from inside a word: {text}",
                    row["id"]
                );
                assert!(
                    symbol.chars().any(|c| c.is_ascii_digit()),
                    "{file}: {} cites {symbol}",
                    row["id"]
                );
            }
        }
    }
}
