//! Shared helpers: paths to `../shared`, running the binary, a one-time ingest of the whole
//! shared corpus, a served index, and a minimal HTTP/1.1 GET over loopback.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// `../shared` relative to the repository root.
pub fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// The 2026 R2P report text.
pub fn report_2026() -> PathBuf {
    shared().join("seeds/sg-r2p-report-2026.txt")
}

/// Runs `undex` with `args`.
pub fn undex(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_undex"))
        .args(args)
        .env("UNDEX_LOG", "warn")
        .output()
        .expect("run undex")
}

/// The result of ingesting all of `../shared/seeds` and `../shared/corpus` once.
pub struct Ingested {
    /// Keeps the temporary directory alive for the whole test run.
    _dir: tempfile::TempDir,
    pub index: PathBuf,
    pub extracted: PathBuf,
    pub output: Output,
}

/// Ingests the whole shared corpus once per test binary.
pub fn ingested() -> &'static Ingested {
    static INGESTED: OnceLock<Ingested> = OnceLock::new();
    INGESTED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let index = dir.path().join("index");
        let extracted = dir.path().join("extracted");
        let seeds = shared().join("seeds");
        let corpus = shared().join("corpus");
        let output = undex(&[
            "ingest",
            seeds.to_str().unwrap(),
            corpus.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
            "--extracted",
            extracted.to_str().unwrap(),
        ]);
        Ingested {
            _dir: dir,
            index,
            extracted,
            output,
        }
    })
}

/// A running `undex serve` over the ingested index, killed when dropped.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Starts `undex serve` on a free loopback port and waits until it answers.
pub fn serve(index: &Path) -> Server {
    let addr = format!("127.0.0.1:{}", free_port());
    let child = Command::new(env!("CARGO_BIN_EXE_undex"))
        .args(["serve", "--index", index.to_str().unwrap(), "--addr", &addr])
        .env("UNDEX_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn undex serve");
    let server = Server { child, addr };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect(&server.addr).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("undex serve did not start on {}", server.addr);
}

/// A GET over loopback: returns (status, content type, body). Percent-encodes nothing: pass
/// an already-encoded path.
pub fn get(addr: &str, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("write request");
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("status line");
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let mut content_type = String::new();
    let mut chunked = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("header");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-type:") {
            content_type = v.trim().to_string();
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut raw = Vec::new();
    reader.read_to_end(&mut raw).expect("body");
    let body = if chunked { dechunk(&raw) } else { raw };
    (
        status,
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&raw[..eol]).trim(), 16)
            .expect("chunk size");
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&raw[start..start + size]);
        raw = &raw[(start + size + 2).min(raw.len())..];
    }
    out
}

/// Percent-encodes a query-string value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
