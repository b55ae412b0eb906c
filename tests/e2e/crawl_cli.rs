//! `undex crawl` wiring: the committed `corpus/sources.toml` loads, a dry run plans the R2P
//! series without touching the network or writing files, and a bad `--source` is refused.
//! (The crawler's behaviour against replayed UN services is tested in `crates/crawl/tests`.)

use std::path::Path;

use crate::common::undex;

fn sources() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/sources.toml")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn dry_run_plans_the_r2p_series_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let run = undex(&[
        "crawl",
        "--sources",
        &sources(),
        "--source",
        "ods",
        "--lang",
        "en",
        "--dry-run",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "{text}");
    // The first and the latest annual reports, and the Framework of Analysis.
    for symbol in ["A/63/677", "A/79/875-S/2025/248", "A/70/741-S/2016/71"] {
        assert!(text.contains(symbol), "{symbol} not planned: {text}");
    }
    assert!(!out.path().join("raw").exists());
    assert!(!out.path().join("manifest.jsonl").exists());
}

#[test]
fn an_unknown_source_is_refused_with_the_known_names() {
    let run = undex(&[
        "crawl",
        "--sources",
        &sources(),
        "--source",
        "nosuch",
        "--dry-run",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("nosuch") && stderr.contains("ods"),
        "{stderr}"
    );
}
