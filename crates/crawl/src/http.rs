//! Polite HTTP: allow-list, a first contact that tells an unreachable host at once, robots.txt,
//! per-host rate limit and in-flight cap, retries with exponential backoff and jitter,
//! `Retry-After`, manual redirects, a size cap.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use texting_robots::Robot;
use tokio::sync::{Mutex, OnceCell, Semaphore};
use url::Url;

use crate::store::Outcome;
use crate::{CrawlError, CrawlOptions};

/// A successful exchange (any final status that is not transient and not a redirect).
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub final_url: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub requests: u32,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

/// Why no answer could be had.
#[derive(Debug)]
pub(crate) struct Failure {
    pub outcome: Outcome,
    pub status: Option<u16>,
    pub final_url: Option<String>,
    pub detail: String,
    pub requests: u32,
}

/// One request to make.
#[derive(Debug, Default)]
pub(crate) struct Req {
    pub headers: Vec<(&'static str, String)>,
    /// Lower-case the path of redirect targets (ODS answers an upper-case `Location` where only
    /// the lower-cased path serves the file).
    pub lowercase_redirects: bool,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
}

struct HostState {
    in_flight: Semaphore,
    setup: OnceCell<HostSetup>,
}

struct HostSetup {
    /// Whether the first contact reached the host; the reason when not.
    reach: Result<(), String>,
    robots: Result<Option<Robot>, Robots>,
    limiter: DefaultDirectRateLimiter,
}

/// Why robots.txt gives no rules to follow.
#[derive(Debug, Clone)]
enum Robots {
    /// It answered an error (5xx) or too many redirects: RFC 9309 says allow nothing.
    Refused(String),
    /// It could not be asked: the network failed (the host is unreachable, not disallowing).
    Unreachable(String),
}

pub(crate) struct Fetcher {
    client: reqwest::Client,
    opts: CrawlOptions,
    allowed: BTreeSet<String>,
    agent_token: String,
    hosts: Mutex<BTreeMap<String, Arc<HostState>>>,
}

/// `host` or `host:port` (explicit port only).
pub(crate) fn host_key(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    }
}

fn is_transient(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .to_string();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(&v).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

impl Fetcher {
    pub fn new(opts: &CrawlOptions, allowed: BTreeSet<String>) -> Result<Fetcher, CrawlError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .timeout(opts.request_timeout)
            .connect_timeout(opts.connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if !opts.use_system_proxy {
            builder = builder.no_proxy();
        }
        let client = builder
            .build()
            .map_err(|e| CrawlError::Client(e.to_string()))?;
        let agent_token = opts
            .user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or("undex")
            .to_string();
        Ok(Fetcher {
            client,
            opts: opts.clone(),
            allowed,
            agent_token,
            hosts: Mutex::new(BTreeMap::new()),
        })
    }

    async fn host(&self, key: &str) -> Arc<HostState> {
        let mut hosts = self.hosts.lock().await;
        hosts
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(HostState {
                    in_flight: Semaphore::new(self.opts.max_in_flight_per_host.max(1)),
                    setup: OnceCell::new(),
                })
            })
            .clone()
    }

    async fn host_setup<'h>(&self, url: &Url, host: &'h HostState) -> &'h HostSetup {
        host.setup
            .get_or_init(|| async {
                let reach = self.probe(url).await;
                let robots = if reach.is_err() || !self.opts.obey_robots {
                    Ok(None)
                } else {
                    self.fetch_robots(url).await
                };
                // robots.txt that could not be asked for means the host is unreachable.
                let reach = match (&reach, &robots) {
                    (Ok(()), Err(Robots::Unreachable(e))) => Err(e.clone()),
                    _ => reach,
                };
                let mut period = self.opts.min_interval;
                // Crawl-delay, when longer than ours, is honoured (capped at 60 s).
                if let Ok(Some(r)) = &robots
                    && let Some(d) = r.delay
                    && d.is_finite()
                    && d > 0.0
                {
                    period = period.max(Duration::from_secs_f32(d.min(60.0)));
                }
                let quota = Quota::with_period(period.max(Duration::from_millis(1)))
                    .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN));
                HostSetup {
                    reach,
                    robots,
                    limiter: RateLimiter::direct(quota),
                }
            })
            .await
    }

    /// Makes the first contact with the host of `url` (its robots.txt read too) unless that
    /// was done already, and tells whether it could be reached; `Err` carries why not
    /// ("cannot reach documents.un.org: …").
    pub async fn reach(&self, url: &str) -> Result<(), String> {
        let url = Url::parse(url).map_err(|e| format!("bad url {url:?}: {e}"))?;
        let key = host_key(&url);
        if !self.allowed.contains(&key) {
            return Ok(());
        }
        let host = self.host(&key).await;
        self.host_setup(&url, &host).await.reach.clone()
    }

    /// True when requests go through a proxy from the environment: the proxy, not this
    /// machine, then connects to the host, so a direct probe would prove nothing.
    fn proxied(&self) -> bool {
        self.opts.use_system_proxy
            && [
                "HTTPS_PROXY",
                "https_proxy",
                "HTTP_PROXY",
                "http_proxy",
                "ALL_PROXY",
                "all_proxy",
            ]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
    }

    /// The first contact with a host: its name looked up and a TCP connection opened (and
    /// closed at once, nothing sent), within [`CrawlOptions::probe_timeout`]. Skipped when a
    /// proxy is in use.
    async fn probe(&self, url: &Url) -> Result<(), String> {
        let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
            return Ok(());
        };
        if self.proxied() {
            return Ok(());
        }
        let shown = host_key(url);
        let limit = self.opts.probe_timeout.max(Duration::from_millis(1));
        let addrs: Vec<std::net::SocketAddr> =
            match tokio::time::timeout(limit, tokio::net::lookup_host((host, port))).await {
                Ok(Ok(a)) => a.collect(),
                Ok(Err(e)) => return Err(format!("cannot reach {shown}: no address for it ({e})")),
                Err(_) => {
                    return Err(format!(
                        "cannot reach {shown}: no answer to the name look-up within {} s",
                        limit.as_secs_f32()
                    ));
                }
            };
        let mut last = format!("cannot reach {shown}: its name has no address");
        for addr in addrs {
            match tokio::time::timeout(limit, tokio::net::TcpStream::connect(addr)).await {
                Ok(Ok(_stream)) => return Ok(()),
                Ok(Err(e)) => last = format!("cannot reach {shown} ({addr}): {e}"),
                Err(_) => {
                    last = format!(
                        "cannot reach {shown} ({addr}): no connection within {} s",
                        limit.as_secs_f32()
                    );
                }
            }
        }
        tracing::debug!(host = %shown, "{last}");
        Err(last)
    }

    /// Reads robots.txt once per host (RFC 9309). 200: parsed; redirects: followed up to 5
    /// times; 4xx: no robots.txt, all allowed; 5xx after retries: nothing allowed
    /// ([`Robots::Refused`]); no answer at all after retries: [`Robots::Unreachable`] (the
    /// host's documents are then unreachable, not disallowed).
    async fn fetch_robots(&self, url: &Url) -> Result<Option<Robot>, Robots> {
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        let mut backoff = self.backoff();
        let mut redirects = 0;
        loop {
            let res = self.client.get(robots_url.clone()).send().await;
            let transient = match res {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let location = resp
                        .headers()
                        .get("location")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|l| robots_url.join(l).ok());
                    if let (300..=399, Some(next)) = (status, location) {
                        redirects += 1;
                        if redirects > 5 {
                            return Err(Robots::Refused(
                                "robots.txt: more than 5 redirects".into(),
                            ));
                        }
                        robots_url = next;
                        continue;
                    }
                    if status == 200 {
                        let body = resp
                            .bytes()
                            .await
                            .map_err(|e| Robots::Unreachable(format!("robots.txt: {e}")))?;
                        let body = &body[..body.len().min(512 * 1024)];
                        return Robot::new(&self.agent_token, body).map(Some).or(Ok(None));
                    }
                    if (400..500).contains(&status) && status != 429 {
                        return Ok(None);
                    }
                    Robots::Refused(format!("robots.txt answered {status}"))
                }
                Err(e) => Robots::Unreachable(format!(
                    "cannot reach {}: robots.txt: {e}",
                    host_key(&robots_url)
                )),
            };
            match backoff.next() {
                Some(d) => tokio::time::sleep(d).await,
                None => return Err(transient),
            }
        }
    }

    fn backoff(&self) -> backon::ExponentialBackoff {
        ExponentialBuilder::default()
            .with_min_delay(self.opts.backoff_min)
            .with_max_delay(self.opts.backoff_max)
            .with_max_times(self.opts.max_retries)
            .with_jitter()
            .build()
    }

    /// GETs `url`, following redirects, retrying transient failures.
    pub async fn get(&self, url: &str, req: &Req) -> Result<Answer, Failure> {
        let mut requests = 0u32;
        let fail = |outcome, status, final_url: Option<String>, detail: String, requests| Failure {
            outcome,
            status,
            final_url,
            detail,
            requests,
        };
        let mut url = Url::parse(url).map_err(|e| {
            fail(
                Outcome::Failed,
                None,
                None,
                format!("bad url {url:?}: {e}"),
                0,
            )
        })?;
        let mut redirects = 0usize;
        loop {
            let key = host_key(&url);
            if !self.allowed.contains(&key) {
                return Err(fail(
                    Outcome::HostNotAllowed,
                    None,
                    Some(url.to_string()),
                    format!("host {key:?} is not on the allow-list"),
                    requests,
                ));
            }
            let host = self.host(&key).await;
            let setup = self.host_setup(&url, &host).await;
            if let Err(e) = &setup.reach {
                return Err(fail(
                    Outcome::Unreachable,
                    None,
                    Some(url.to_string()),
                    e.clone(),
                    requests,
                ));
            }
            match &setup.robots {
                Err(Robots::Refused(e) | Robots::Unreachable(e)) => {
                    return Err(fail(
                        Outcome::Disallowed,
                        None,
                        Some(url.to_string()),
                        e.clone(),
                        requests,
                    ));
                }
                Ok(Some(robot)) if !robot.allowed(url.as_str()) => {
                    return Err(fail(
                        Outcome::Disallowed,
                        None,
                        Some(url.to_string()),
                        "robots.txt disallows this path".into(),
                        requests,
                    ));
                }
                Ok(_) => {}
            }
            let mut backoff = self.backoff();
            let (status, headers, body) = loop {
                let permit = host
                    .in_flight
                    .acquire()
                    .await
                    .map_err(|e| fail(Outcome::Failed, None, None, e.to_string(), requests))?;
                setup.limiter.until_ready().await;
                requests += 1;
                let sent = self.send(&url, req).await;
                drop(permit);
                let delay = match sent {
                    Ok((status, headers, body)) => {
                        let cf = headers.get("cf-mitigated").and_then(|v| v.to_str().ok());
                        if !is_transient(status) || crate::check::is_blocked(status, cf, &body) {
                            break (status, headers, body);
                        }
                        let wait = retry_after(&headers);
                        if let Some(w) = wait
                            && w > self.opts.max_retry_after
                        {
                            return Err(fail(
                                Outcome::Failed,
                                Some(status),
                                Some(url.to_string()),
                                format!("retry-after {} s is longer than allowed", w.as_secs()),
                                requests,
                            ));
                        }
                        match backoff.next() {
                            Some(b) => wait.unwrap_or(b),
                            None => {
                                return Err(fail(
                                    Outcome::Failed,
                                    Some(status),
                                    Some(url.to_string()),
                                    format!("http {status} after {requests} requests"),
                                    requests,
                                ));
                            }
                        }
                    }
                    Err(SendError::TooLarge(n)) => {
                        return Err(fail(
                            Outcome::TooLarge,
                            None,
                            Some(url.to_string()),
                            format!("larger than {n} bytes"),
                            requests,
                        ));
                    }
                    Err(SendError::Net { message, connect }) => match backoff.next() {
                        Some(b) => {
                            tracing::debug!(url = %url, error = %message, "transient network error");
                            b
                        }
                        None => {
                            // No connection could be made at all: the host is unreachable.
                            let (outcome, detail) = if connect {
                                (
                                    Outcome::Unreachable,
                                    format!("cannot reach {key}: {message}"),
                                )
                            } else {
                                (Outcome::Failed, message)
                            };
                            return Err(fail(
                                outcome,
                                None,
                                Some(url.to_string()),
                                detail,
                                requests,
                            ));
                        }
                    },
                };
                tokio::time::sleep(delay).await;
            };
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let Some(loc) = headers.get("location").and_then(|v| v.to_str().ok()) else {
                    return Err(fail(
                        Outcome::Failed,
                        Some(status),
                        Some(url.to_string()),
                        "redirect without location".into(),
                        requests,
                    ));
                };
                let mut next = url.join(loc).map_err(|e| {
                    fail(
                        Outcome::Failed,
                        Some(status),
                        Some(url.to_string()),
                        format!("bad location {loc:?}: {e}"),
                        requests,
                    )
                })?;
                if req.lowercase_redirects {
                    let lower = next.path().to_lowercase();
                    next.set_path(&lower);
                }
                redirects += 1;
                if redirects > self.opts.max_redirects {
                    return Err(fail(
                        Outcome::Failed,
                        Some(status),
                        Some(next.to_string()),
                        format!("more than {} redirects", self.opts.max_redirects),
                        requests,
                    ));
                }
                url = next;
                continue;
            }
            return Ok(Answer {
                status,
                final_url: url.to_string(),
                headers,
                body,
                requests,
            });
        }
    }

    async fn send(&self, url: &Url, req: &Req) -> Result<(u16, HeaderMap, Vec<u8>), SendError> {
        let mut headers = HeaderMap::new();
        for (k, v) in &req.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(v),
            ) {
                headers.insert(name, value);
            }
        }
        if let Some(v) = req
            .if_none_match
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            headers.insert(reqwest::header::IF_NONE_MATCH, v);
        }
        if let Some(v) = req
            .if_modified_since
            .as_deref()
            .and_then(|v| HeaderValue::from_str(v).ok())
        {
            headers.insert(reqwest::header::IF_MODIFIED_SINCE, v);
        }
        let mut resp = self
            .client
            .get(url.clone())
            .headers(headers)
            .send()
            .await
            .map_err(|e| SendError::Net {
                connect: e.is_connect(),
                message: e.to_string(),
            })?;
        let max = self.opts.max_file_bytes;
        if resp.content_length().is_some_and(|n| n > max) {
            return Err(SendError::TooLarge(max));
        }
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| SendError::Net {
            connect: false,
            message: e.to_string(),
        })? {
            if (body.len() + chunk.len()) as u64 > max {
                return Err(SendError::TooLarge(max));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, headers, body))
    }
}

enum SendError {
    /// A network error; `connect` when no connection could be made.
    Net {
        message: String,
        connect: bool,
    },
    TooLarge(u64),
}
