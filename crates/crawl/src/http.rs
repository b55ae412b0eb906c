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

/// A [`Failure`] with these fields.
fn failure(
    outcome: Outcome,
    status: Option<u16>,
    final_url: Option<String>,
    detail: String,
    requests: u32,
) -> Failure {
    Failure {
        outcome,
        status,
        final_url,
        detail,
        requests,
    }
}

/// Whether a host admits a request for `url`: it was reached at the first contact, and its
/// robots.txt allows the path (RFC 9309: a robots.txt that answers a server error allows
/// nothing; one that could not be asked at all disallows too, with the reason).
fn admit(setup: &HostSetup, url: &Url, requests: u32) -> Result<(), Failure> {
    if let Err(e) = &setup.reach {
        return Err(failure(
            Outcome::Unreachable,
            None,
            Some(url.to_string()),
            e.clone(),
            requests,
        ));
    }
    match &setup.robots {
        Err(Robots::Refused(e) | Robots::Unreachable(e)) => Err(failure(
            Outcome::Disallowed,
            None,
            Some(url.to_string()),
            e.clone(),
            requests,
        )),
        Ok(Some(robot)) if !robot.allowed(url.as_str()) => Err(failure(
            Outcome::Disallowed,
            None,
            Some(url.to_string()),
            "robots.txt disallows this path".into(),
            requests,
        )),
        Ok(_) => Ok(()),
    }
}

/// How redirects are followed for one request (redirects are manual, so that every hop is
/// checked against the allow-list and robots.txt).
#[derive(Debug, Clone, Copy)]
struct Hop {
    /// Lower-case the path of the target: ODS answers an upper-case `Location` where only the
    /// lower-cased path serves the file (the upper-case one answers an HTML app, status 200).
    lowercase: bool,
    /// Redirects allowed before giving up.
    max_redirects: usize,
    /// Requests made so far (for a failure).
    requests: u32,
}

impl Hop {
    /// The URL to ask next when `status` (the answer to `url`) is a redirect (301, 302, 303,
    /// 307, 308), counting it in `redirects`; `None` for any other status. A redirect
    /// without a usable `Location`, or one too many, is a failure.
    fn next(
        &self,
        url: &Url,
        status: u16,
        headers: &HeaderMap,
        redirects: &mut usize,
    ) -> Result<Option<Url>, Failure> {
        if !matches!(status, 301 | 302 | 303 | 307 | 308) {
            return Ok(None);
        }
        let fail = |final_url: String, detail: String| {
            failure(
                Outcome::Failed,
                Some(status),
                Some(final_url),
                detail,
                self.requests,
            )
        };
        let Some(loc) = headers.get("location").and_then(|v| v.to_str().ok()) else {
            return Err(fail(url.to_string(), "redirect without location".into()));
        };
        let mut next = url
            .join(loc)
            .map_err(|e| fail(url.to_string(), format!("bad location {loc:?}: {e}")))?;
        if self.lowercase {
            let lower = next.path().to_lowercase();
            next.set_path(&lower);
        }
        *redirects += 1;
        if *redirects > self.max_redirects {
            return Err(fail(
                next.to_string(),
                format!("more than {} redirects", self.max_redirects),
            ));
        }
        Ok(Some(next))
    }
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
        let client = builder.build().map_err(CrawlError::Client)?;
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
        let mut url = Url::parse(url).map_err(|e| {
            failure(
                Outcome::Failed,
                None,
                None,
                format!("bad url {url:?}: {e}"),
                0,
            )
        })?;
        let mut requests = 0u32;
        let mut redirects = 0usize;
        loop {
            let (status, headers, body) = self.exchange(&url, req, &mut requests).await?;
            let hop = Hop {
                lowercase: req.lowercase_redirects,
                max_redirects: self.opts.max_redirects,
                requests,
            };
            match hop.next(&url, status, &headers, &mut redirects)? {
                Some(next) => url = next,
                None => {
                    return Ok(Answer {
                        status,
                        final_url: url.to_string(),
                        headers,
                        body,
                        requests,
                    });
                }
            }
        }
    }

    /// One URL, without following redirects: the host must be allowed and admit it
    /// ([`admit`]); then it is asked under the host's in-flight cap and rate limit until the
    /// answer is neither transient nor a network error, waiting between attempts as
    /// [`Fetcher::wait_after_status`] and [`Fetcher::wait_after_error`] say. `requests`
    /// counts every request made.
    async fn exchange(
        &self,
        url: &Url,
        req: &Req,
        requests: &mut u32,
    ) -> Result<(u16, HeaderMap, Vec<u8>), Failure> {
        let key = host_key(url);
        if !self.allowed.contains(&key) {
            return Err(failure(
                Outcome::HostNotAllowed,
                None,
                Some(url.to_string()),
                format!("host {key:?} is not on the allow-list"),
                *requests,
            ));
        }
        let host = self.host(&key).await;
        let setup = self.host_setup(url, &host).await;
        admit(setup, url, *requests)?;
        let mut backoff = self.backoff();
        loop {
            let permit = host
                .in_flight
                .acquire()
                .await
                .map_err(|e| failure(Outcome::Failed, None, None, e.to_string(), *requests))?;
            setup.limiter.until_ready().await;
            *requests += 1;
            let sent = self.send(url, req).await;
            drop(permit);
            let delay = match sent {
                Ok((status, headers, body)) => {
                    let cf = headers.get("cf-mitigated").and_then(|v| v.to_str().ok());
                    if !is_transient(status) || crate::check::is_blocked(status, cf, &body) {
                        return Ok((status, headers, body));
                    }
                    self.wait_after_status(url, status, &headers, &mut backoff, *requests)?
                }
                Err(e) => self.wait_after_error(url, &key, e, &mut backoff, *requests)?,
            };
            tokio::time::sleep(delay).await;
        }
    }

    /// The wait before asking again after a transient status (408, 429, 500, 502–504; ODS
    /// answers 502/503 under load): the server's `Retry-After` when it sends one, else the
    /// next backoff step. A `Retry-After` longer than `max_retry_after`, or no retry left, is
    /// a failure.
    fn wait_after_status(
        &self,
        url: &Url,
        status: u16,
        headers: &HeaderMap,
        backoff: &mut impl Iterator<Item = Duration>,
        requests: u32,
    ) -> Result<Duration, Failure> {
        let wait = retry_after(headers);
        if let Some(w) = wait
            && w > self.opts.max_retry_after
        {
            return Err(failure(
                Outcome::Failed,
                Some(status),
                Some(url.to_string()),
                format!("retry-after {} s is longer than allowed", w.as_secs()),
                requests,
            ));
        }
        match backoff.next() {
            Some(b) => Ok(wait.unwrap_or(b)),
            None => Err(failure(
                Outcome::Failed,
                Some(status),
                Some(url.to_string()),
                format!("http {status} after {requests} requests"),
                requests,
            )),
        }
    }

    /// The wait before asking again after a network error (the next backoff step). A body
    /// over the size cap is a failure at once; so is a network error with no retry left,
    /// and when not even a connection could be made the host (`key`) is unreachable.
    fn wait_after_error(
        &self,
        url: &Url,
        key: &str,
        error: SendError,
        backoff: &mut impl Iterator<Item = Duration>,
        requests: u32,
    ) -> Result<Duration, Failure> {
        let (message, connect) = match error {
            SendError::TooLarge(n) => {
                return Err(failure(
                    Outcome::TooLarge,
                    None,
                    Some(url.to_string()),
                    format!("larger than {n} bytes"),
                    requests,
                ));
            }
            SendError::Net { message, connect } => (message, connect),
        };
        if let Some(b) = backoff.next() {
            tracing::debug!(url = %url, error = %message, "transient network error");
            return Ok(b);
        }
        let (outcome, detail) = if connect {
            (
                Outcome::Unreachable,
                format!("cannot reach {key}: {message}"),
            )
        } else {
            (Outcome::Failed, message)
        };
        Err(failure(
            outcome,
            None,
            Some(url.to_string()),
            detail,
            requests,
        ))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(location: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("location", HeaderValue::from_str(location).unwrap());
        h
    }

    fn hop(lowercase: bool) -> Hop {
        Hop {
            lowercase,
            max_redirects: 2,
            requests: 3,
        }
    }

    #[test]
    fn ods_redirects_are_followed_to_the_lower_cased_path() {
        let url = Url::parse("https://documents.un.org/api/symbol/access?s=A/79/875").unwrap();
        let mut n = 0;
        let next = hop(true)
            .next(
                &url,
                302,
                &headers("/DOC/UNDOC/GEN/N25/123/45/PDF/N2512345.pdf"),
                &mut n,
            )
            .unwrap()
            .unwrap();
        assert_eq!(
            next.as_str(),
            "https://documents.un.org/doc/undoc/gen/n25/123/45/pdf/n2512345.pdf"
        );
        assert_eq!(n, 1);
        let kept = hop(false)
            .next(&url, 301, &headers("/A/B.pdf"), &mut n)
            .unwrap()
            .unwrap();
        assert_eq!(kept.path(), "/A/B.pdf");
        // Not a redirect: nothing to follow.
        assert!(
            hop(true)
                .next(&url, 200, &headers("/x"), &mut n)
                .unwrap()
                .is_none()
        );
        assert_eq!(n, 2);
    }

    #[test]
    fn bad_and_endless_redirects_fail() {
        let url = Url::parse("https://example.org/a").unwrap();
        let mut n = 0;
        let f = hop(false)
            .next(&url, 302, &HeaderMap::new(), &mut n)
            .unwrap_err();
        assert_eq!(f.detail, "redirect without location");
        assert_eq!((f.status, f.requests), (Some(302), 3));
        let mut n = 2;
        let f = hop(false)
            .next(&url, 307, &headers("/b"), &mut n)
            .unwrap_err();
        assert_eq!(f.detail, "more than 2 redirects");
        assert_eq!(f.final_url.as_deref(), Some("https://example.org/b"));
    }

    fn setup(reach: Result<(), String>, robots: Result<Option<Robot>, Robots>) -> HostSetup {
        HostSetup {
            reach,
            robots,
            limiter: RateLimiter::direct(Quota::per_second(NonZeroU32::MIN)),
        }
    }

    #[test]
    fn hosts_admit_what_robots_txt_allows() {
        let url = Url::parse("https://example.org/private/a.pdf").unwrap();
        assert!(admit(&setup(Ok(()), Ok(None)), &url, 0).is_ok());
        let robot = Robot::new("undex", b"User-agent: *\nDisallow: /private/\n").unwrap();
        let f = admit(&setup(Ok(()), Ok(Some(robot))), &url, 0).unwrap_err();
        assert_eq!(f.outcome, Outcome::Disallowed);
        let f = admit(
            &setup(
                Ok(()),
                Err(Robots::Refused("robots.txt answered 503".into())),
            ),
            &url,
            0,
        )
        .unwrap_err();
        assert_eq!(
            (f.outcome, f.detail.as_str()),
            (Outcome::Disallowed, "robots.txt answered 503")
        );
        let f = admit(
            &setup(Err("cannot reach example.org".into()), Ok(None)),
            &url,
            1,
        )
        .unwrap_err();
        assert_eq!((f.outcome, f.requests), (Outcome::Unreachable, 1));
    }

    #[test]
    fn transient_statuses_and_retry_after() {
        assert!(is_transient(503) && is_transient(429) && !is_transient(404));
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("7"));
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            "retry-after",
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
    }
}
