//! Serving replicas (issue #14): two `undex serve` processes on one index folder keep answering,
//! with no 5xx and no failed connection, while the index is replaced by a newer one, and then
//! serve the newer one, whether it is published by `undex reindex` (built aside, folders
//! switched) or built elsewhere and switched in by the same two renames. (Not by switching a
//! symbolic link: tantivy resolves the link when the index is opened and goes on watching the
//! folder it pointed to.)

#[allow(dead_code)]
#[path = "../e2e/common.rs"]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{free_port, shared, undex};

/// A running `undex serve`, killed when dropped; its log (tantivy's reloads included) is in
/// `log`.
struct Replica {
    child: std::process::Child,
    addr: String,
    log: std::path::PathBuf,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Replica {
    /// The end of the server's log, for a failure message.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }
}

/// `undex serve` on a free loopback port, logging to `log`; waits until it answers.
fn serve(index: &Path, log: &Path) -> Replica {
    let addr = format!("127.0.0.1:{}", free_port());
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_undex"))
        .args(["serve", "--index", index.to_str().unwrap(), "--addr", &addr])
        .env(
            "UNDEX_LOG",
            "warn,tantivy::directory=debug,tantivy::reader=debug",
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(log).expect("log file"))
        .spawn()
        .expect("spawn undex serve");
    let server = Replica {
        child,
        addr,
        log: log.to_path_buf(),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect(&server.addr).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("undex serve did not start on {}", server.addr);
}

/// A GET over loopback that reports, rather than panics on, a refused or cut connection:
/// the status and the body, or what went wrong.
fn try_get(addr: &str, path: &str) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("write: {e}"))?;
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader
        .read_line(&mut status_line)
        .map_err(|e| format!("read: {e}"))?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {status_line:?}"))?;
    let mut rest = String::new();
    reader
        .read_to_string(&mut rest)
        .map_err(|e| format!("read: {e}"))?;
    let body = rest
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    Ok((status, body))
}

/// `documents` of `/api/stats`.
fn documents(addr: &str) -> u64 {
    let (status, body) = try_get(addr, "/api/stats").expect("stats");
    assert_eq!(status, 200, "{body}");
    let start = body.find('{').expect("a JSON body");
    let v: serde_json::Value =
        serde_json::from_str(&body[start..=body.rfind('}').unwrap()]).expect("stats JSON");
    v["documents"].as_u64().expect("documents")
}

/// Waits until every server answers `want` documents (at most 20 s).
fn wait_for(servers: &[&Replica], want: u64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    for server in servers {
        loop {
            let got = documents(&server.addr);
            if got == want {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{} still serves {got} documents, not the new index's {want}; its log:\n{}",
                server.addr,
                server.log_tail()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Requests to `addrs` in turn from `threads` threads (a round-robin balancer's view) until
/// `stop`; returns the number of answers and every answer that was not a 200 or failed.
fn hammer(
    addrs: Vec<String>,
    threads: usize,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<(usize, Vec<String>)> {
    std::thread::spawn(move || {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let (addrs, stop) = (addrs.clone(), Arc::clone(&stop));
                std::thread::spawn(move || {
                    let paths = [
                        "/api/search?q=protection&per_page=5",
                        "/api/search?q=%22early%20warning%22&per_page=3",
                        "/api/stats",
                        "/",
                    ];
                    let (mut n, mut bad) = (0usize, Vec::new());
                    while !stop.load(Ordering::Relaxed) {
                        let addr = &addrs[(n + t) % addrs.len()];
                        let path = paths[n % paths.len()];
                        match try_get(addr, path) {
                            Ok((200, _)) => {}
                            Ok((status, body)) => bad.push(format!(
                                "{addr}{path}: {status} {}",
                                &body[..body.len().min(200)]
                            )),
                            Err(e) => bad.push(format!("{addr}{path}: {e}")),
                        }
                        n += 1;
                    }
                    (n, bad)
                })
            })
            .collect();
        let mut total = (0, Vec::new());
        for w in workers {
            let (n, bad) = w.join().expect("hammer thread");
            total.0 += n;
            total.1.extend(bad);
        }
        total
    })
}

fn reindex(index: &Path, extracted: &Path) {
    let out = undex(&[
        "reindex",
        "--index",
        index.to_str().unwrap(),
        "--extracted",
        extracted.to_str().unwrap(),
        "--strict",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn servers_keep_answering_while_the_index_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let (index, extracted) = (dir.path().join("index"), dir.path().join("extracted"));
    let seeds = shared().join("seeds");
    let out = undex(&[
        "ingest",
        seeds.to_str().unwrap(),
        "--index",
        index.to_str().unwrap(),
        "--extracted",
        extracted.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A newer corpus that differs: one document fewer.
    let fewer = dir.path().join("fewer");
    std::fs::create_dir_all(&fewer).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(&extracted)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    let all = names.len() as u64;
    assert!(all >= 3, "{names:?}");
    for name in &names[1..] {
        std::fs::copy(extracted.join(name), fewer.join(name)).unwrap();
    }

    // 1. Two replicas of one folder; `undex reindex` publishes a new index in it four times.
    let logs = dir.path();
    let (a, b) = (
        serve(&index, &logs.join("a.log")),
        serve(&index, &logs.join("b.log")),
    );
    let addrs = [a.addr.as_str(), b.addr.as_str()];
    wait_for(&[&a, &b], all);
    let stop = Arc::new(AtomicBool::new(false));
    let load = hammer(
        addrs.iter().map(|s| (*s).to_string()).collect(),
        4,
        Arc::clone(&stop),
    );
    for round in 0..4 {
        let (source, want) = if round % 2 == 0 {
            (&fewer, all - 1)
        } else {
            (&extracted, all)
        };
        reindex(&index, source);
        eprintln!("round {round}: published {want} documents");
        wait_for(&[&a, &b], want);
    }
    stop.store(true, Ordering::Relaxed);
    let (answered, bad) = load.join().expect("load");
    assert!(
        bad.is_empty(),
        "{} bad answers: {:?}",
        bad.len(),
        &bad[..bad.len().min(10)]
    );
    assert!(answered > 20, "only {answered} requests answered");
    drop((a, b));

    // 2. A copy built elsewhere, moved in beside the served folder and switched by two
    //    renames (what `undex reindex` does); the old folder is deleted while the servers may
    //    still hold its files open.
    let (c, d) = (
        serve(&index, &logs.join("c.log")),
        serve(&index, &logs.join("d.log")),
    );
    let addrs = [c.addr.as_str(), d.addr.as_str()];
    wait_for(&[&c, &d], all);
    let stop = Arc::new(AtomicBool::new(false));
    let load = hammer(
        addrs.iter().map(|s| (*s).to_string()).collect(),
        4,
        Arc::clone(&stop),
    );
    let built = dir.path().join("elsewhere");
    reindex(&built, &fewer);
    let (new, old) = (dir.path().join("index.new"), dir.path().join("index.old"));
    std::fs::rename(&built, &new).unwrap();
    std::fs::rename(&index, &old).unwrap();
    std::fs::rename(&new, &index).unwrap();
    std::fs::remove_dir_all(&old).unwrap();
    wait_for(&[&c, &d], all - 1);
    std::thread::sleep(Duration::from_millis(500));
    stop.store(true, Ordering::Relaxed);
    let (answered, bad) = load.join().expect("load");
    assert!(
        bad.is_empty(),
        "{} bad answers: {:?}",
        bad.len(),
        &bad[..bad.len().min(10)]
    );
    assert!(answered > 10, "only {answered} requests answered");
}
