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

/// An index of the 2026 report (`seeds/sg-r2p-report-2026.txt`), made once per test run.
fn small_index() -> &'static Path {
    static INDEX: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, index) = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let index = dir.path().join("index");
        let report = shared().join("seeds/sg-r2p-report-2026.txt");
        let out = undex(&[
            "ingest",
            report.to_str().expect("UTF-8"),
            "--index",
            index.to_str().expect("UTF-8"),
            "--extracted",
            dir.path().join("extracted").to_str().expect("UTF-8"),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (dir, index)
    });
    index
}

/// A loopback port that was free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn serve_before_any_ingest_says_to_ingest_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = dir.path().join("index");
    let out = undex(&["serve", "--index", index.to_str().expect("UTF-8")]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("no index at {}/", index.display())),
        "{stderr}"
    );
    assert!(stderr.contains("run `undex ingest PATH` first"), "{stderr}");
    assert!(!stderr.contains("FileDoesNotExist"), "{stderr}");
    // Nothing was created on the way.
    assert!(!index.exists());
}

#[test]
fn a_port_in_use_is_named_with_the_addr_flag_and_up_checks_it_before_ingesting() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let addr = format!("127.0.0.1:{port}");

    let out = undex(&[
        "serve",
        "--index",
        small_index().to_str().expect("UTF-8"),
        "--addr",
        &addr,
    ]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(stderr.contains("--addr"), "{stderr}");

    // `up` says so before it ingests anything.
    let dir = tempfile::tempdir().expect("tempdir");
    let index = dir.path().join("index");
    let extracted = dir.path().join("extracted");
    let report = shared().join("seeds/sg-r2p-report-2026.txt");
    let out = undex(&[
        "up",
        "--from",
        report.to_str().expect("UTF-8"),
        "--index",
        index.to_str().expect("UTF-8"),
        "--extracted",
        extracted.to_str().expect("UTF-8"),
        "--addr",
        &addr,
    ]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(stderr.contains("--addr"), "{stderr}");
    assert!(!stderr.contains("ingested"), "{stderr}");
    assert!(!index.exists() && !extracted.exists(), "{stderr}");
    drop(taken);
}

/// GET `path` from `host:port` (every address the host name resolves to is tried); the
/// status code, or `None` while nothing answers.
fn http_status(host: &str, port: u16, path: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect((host, port)).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = String::new();
    stream.read_to_string(&mut head).ok()?;
    head.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn addr_takes_a_host_name() {
    let index = small_index().to_str().expect("UTF-8").to_string();
    // HOST without a port is refused with what to give.
    let out = undex(&["serve", "--index", &index, "--addr", "localhost"]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("HOST:PORT"), "{stderr}");

    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_undex"))
        .args(["serve", "--index", &index, "--addr"])
        .arg(format!("localhost:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn undex serve");
    let started = std::time::Instant::now();
    let mut status = None;
    while status.is_none() && started.elapsed() < std::time::Duration::from_secs(60) {
        if let Ok(Some(exit)) = child.try_wait() {
            panic!("undex serve exited: {exit}");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        status = http_status("localhost", port, "/api/search?q=veto");
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, Some(200));
}

#[test]
fn extract_of_a_missing_file_exits_non_zero_and_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.pdf");
    let out = undex(&["extract", missing.to_str().expect("UTF-8")]);
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");
    // With a readable file beside it, that file is still printed, and the exit is still 1.
    let report = shared().join("seeds/sg-r2p-report-2026.txt");
    let out = undex(&[
        "extract",
        report.to_str().expect("UTF-8"),
        missing.to_str().expect("UTF-8"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() > 50);
}

#[test]
fn logs_are_plain_when_not_on_a_terminal_and_each_failure_is_printed_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let damaged = shared().join("corpus/pdf/hrc_upr_slovenia/g0917123.pdf");
    let missing = dir.path().join("nothere.pdf");
    let out = undex(&[
        "ingest",
        damaged.to_str().expect("UTF-8"),
        missing.to_str().expect("UTF-8"),
        shared()
            .join("seeds/sg-r2p-report-2026.txt")
            .to_str()
            .expect("UTF-8"),
        "--index",
        dir.path().join("index").to_str().expect("UTF-8"),
        "--extracted",
        dir.path().join("extracted").to_str().expect("UTF-8"),
    ]);
    let stderr = stderr_of(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "colour codes in {stderr:?}");
    // Logs are there (info level by default), and plain.
    assert!(stderr.contains("INFO"), "{stderr}");
    for failed in ["g0917123.pdf", "nothere.pdf"] {
        assert_eq!(stderr.matches(failed).count(), 1, "{failed} in {stderr}");
    }
    assert!(stderr.contains("2 failed"), "{stderr}");
}

/// `undex up` crawling the committed sources file with every source pointed at `base`.
fn up_offline(base: &str, out: &Path, index: &Path, addr: &str) -> Command {
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/sources.toml");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_undex"));
    cmd.arg("up")
        .arg("--sources")
        .arg(sources)
        .arg("--out")
        .arg(out)
        .arg("--index")
        .arg(index)
        .arg("--extracted")
        .arg(out.join("extracted"))
        .args(["--addr", addr])
        .env_remove("UNDEX_LOG");
    for name in ["ods", "dl-r2p", "ohchr"] {
        cmd.args(["--base-url", &format!("{name}={base}")]);
    }
    cmd
}

#[test]
fn up_offline_says_which_host_it_cannot_reach_and_goes_on_with_what_it_has() {
    // Offline, `up` was silent for minutes, reported "disallowed 108" and served an empty
    // index. A loopback port nobody listens on stands for the unreachable UN hosts.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a port");
    let base = format!("http://{closed}");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("corpus");
    let index = dir.path().join("index");

    // Nothing fetched now or before: it stops, says why and what to do instead.
    let started = std::time::Instant::now();
    let run = up_offline(&base, &out, &index, &format!("127.0.0.1:{}", free_port()))
        .output()
        .expect("run undex up");
    let stderr = stderr_of(&run);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot reach {closed}")),
        "{stderr}"
    );
    assert!(stderr.contains("unreachable 108"), "{stderr}");
    assert!(!stderr.contains("disallowed"), "{stderr}");
    assert!(stderr.contains("undex up --from"), "{stderr}");
    assert!(!stderr.contains("serving"), "{stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );

    // With a document an earlier crawl stored, it goes on with it and serves it.
    std::fs::create_dir_all(out.join("raw")).expect("mkdir");
    std::fs::copy(
        shared().join("corpus/pdf/un_ods_samples/S_2025_317-EN.pdf"),
        out.join("raw/earlier.pdf"),
    )
    .expect("copy");
    let port = free_port();
    let mut child = up_offline(&base, &out, &index, &format!("127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn undex up");
    let mut status = None;
    while status.is_none() && started.elapsed() < std::time::Duration::from_secs(180) {
        if let Ok(Some(exit)) = child.try_wait() {
            panic!("undex up exited: {exit}");
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        status = http_status("127.0.0.1", port, "/api/search?q=Sudan");
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, Some(200));
    assert!(index.join("meta.json").is_file());
}
