//! Driverless network scanners (eSCL, sold as Apple `AirScan` and Mopria scan) spoken to over
//! HTTP directly: no SANE backend or configuration needed. A job is `POST ScanJobs` with the
//! settings, then `GET {job}/NextDocument` until the scanner answers 404 (the feeder is done);
//! a busy scanner (503) is asked again a bounded number of times. Each page is decoded within
//! the decode limits before it is kept, then written into the caller's folder like a SANE scan,
//! so the pages go through the same pipeline and a failure never loses the pages before it.

mod caps;
mod discover;
mod xml;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};

pub use caps::{EsclCapabilities, EsclInputCaps, EsclSource, EsclStatus};
pub use discover::{DISCOVERY_WAIT, ESCL_SERVICE, ESCL_TLS_SERVICE, discover_escl};

use crate::decode;
use crate::error::PaperError;
use crate::scan::ScanOptions;
use caps::JobSettings;

/// The prefix that names an eSCL scanner where a SANE device name could stand.
pub const ESCL_PREFIX: &str = "escl:";

/// Whether `device` names an eSCL scanner (`escl:http://…`, `escl:https://…` or
/// `escl://host:port/path`) rather than a SANE device.
pub fn is_escl_device(device: &str) -> bool {
    device.strip_prefix(ESCL_PREFIX).is_some_and(|rest| {
        rest.starts_with("//") || rest.starts_with("http://") || rest.starts_with("https://")
    })
}

/// One network scanner, by its eSCL root URL (e.g. `http://192.168.1.20:8080/eSCL`).
#[derive(Debug, Clone)]
pub struct EsclScanner {
    root: reqwest::Url,
    client: Client,
    busy_tries: u32,
    busy_wait: Duration,
}

/// A page being scanned may keep the scanner busy this many times longer than a job request.
const PAGE_WAIT_FACTOR: u32 = 15;

/// Longest a busy scanner's `Retry-After` is waited for at a time.
const MAX_BUSY_WAIT: Duration = Duration::from_secs(10);

impl EsclScanner {
    /// The scanner at `address`: `http://…` or `https://…`, `escl://host:port/path` (plain
    /// HTTP), or any of these after `escl:`; without a path, `/eSCL`. Nothing is sent yet.
    /// Every request may take at most `timeout`.
    pub fn new(address: &str, timeout: Duration) -> Result<Self, PaperError> {
        let bad = |detail: &str| PaperError::EsclAddress {
            url: address.to_owned(),
            detail: detail.to_owned(),
        };
        let trimmed = address.trim();
        let rest = trimmed.strip_prefix(ESCL_PREFIX).unwrap_or(trimmed);
        let http = match rest.strip_prefix("//") {
            Some(host) => format!("http://{host}"),
            None => rest.to_owned(),
        };
        let mut root = reqwest::Url::parse(&http).map_err(|e| bad(&e.to_string()))?;
        if !matches!(root.scheme(), "http" | "https") {
            return Err(bad("only http and https scanners are spoken to"));
        }
        if root.host_str().is_none_or(str::is_empty) {
            return Err(bad("it names no host"));
        }
        if !root.username().is_empty() || root.password().is_some() {
            return Err(bad("it must not carry a user name or password"));
        }
        root.set_query(None);
        root.set_fragment(None);
        let path = root.path().trim_end_matches('/').to_owned();
        root.set_path(if path.is_empty() { "/eSCL/" } else { &path });
        if !root.path().ends_with('/') {
            let with_slash = format!("{}/", root.path());
            root.set_path(&with_slash);
        }
        let client = Client::builder()
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .timeout(timeout)
            .build()
            .map_err(|e| bad(&e.to_string()))?;
        Ok(Self {
            root,
            client,
            busy_tries: 5,
            busy_wait: Duration::from_secs(2),
        })
    }

    /// How often, and how long apart, a busy scanner (HTTP 503 without `Retry-After`) is
    /// asked again before giving up.
    #[must_use]
    pub fn with_busy_retries(mut self, tries: u32, wait: Duration) -> Self {
        self.busy_tries = tries.max(1);
        self.busy_wait = wait;
        self
    }

    /// The scanner's root URL, as requests are made against it.
    pub fn url(&self) -> &str {
        self.root.as_str().trim_end_matches('/')
    }

    fn endpoint(&self, path: &str) -> reqwest::Url {
        // `path` is one of ours and relative; joining cannot fail on a parsed http URL.
        self.root.join(path).unwrap_or_else(|_| self.root.clone())
    }

    fn unreachable(&self, error: &reqwest::Error) -> PaperError {
        PaperError::EsclUnreachable {
            url: self.url().to_owned(),
            detail: plain(error),
        }
    }

    fn unreadable(&self, detail: impl Into<String>) -> PaperError {
        PaperError::EsclReply {
            url: self.url().to_owned(),
            detail: detail.into(),
        }
    }

    /// Sends a request, asking again while the scanner answers 503 (busy), at most
    /// `busy_tries` times; other answers are returned as they are.
    fn send(&self, request: impl Fn() -> RequestBuilder) -> Result<Response, PaperError> {
        self.send_within(self.busy_tries, request)
    }

    /// [`Self::send`] with its own bound on the tries.
    fn send_within(
        &self,
        tries: u32,
        request: impl Fn() -> RequestBuilder,
    ) -> Result<Response, PaperError> {
        for attempt in 1..=tries {
            let response = request().send().map_err(|e| self.unreachable(&e))?;
            if response.status() != StatusCode::SERVICE_UNAVAILABLE {
                return Ok(response);
            }
            if attempt < tries {
                let asked = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse().ok())
                    .map(Duration::from_secs);
                std::thread::sleep(asked.unwrap_or(self.busy_wait).min(MAX_BUSY_WAIT));
            }
        }
        Err(PaperError::EsclBusy {
            url: self.url().to_owned(),
            tries,
        })
    }

    fn get_text(&self, path: &str) -> Result<String, PaperError> {
        let url = self.endpoint(path);
        let response = self.send(|| self.client.get(url.clone()))?;
        let status = response.status();
        if !status.is_success() {
            return Err(PaperError::EsclRefused {
                url: url.to_string(),
                status: status.as_u16(),
                state: None,
                message: "it does not answer as an eSCL scanner there; check the address"
                    .to_owned(),
            });
        }
        response.text().map_err(|e| self.unreachable(&e))
    }

    /// What the scanner can do: make and model, sources, resolutions, colour modes, formats.
    pub fn capabilities(&self) -> Result<EsclCapabilities, PaperError> {
        let document = self.get_text("ScannerCapabilities")?;
        caps::parse_capabilities(&document).map_err(|e| self.unreadable(e))
    }

    /// What the scanner is doing now, and its feeder's state.
    pub fn status(&self) -> Result<EsclStatus, PaperError> {
        let document = self.get_text("ScannerStatus")?;
        caps::parse_status(&document).map_err(|e| self.unreadable(e))
    }

    /// Scans up to `options.pages` pages into `dir` as `escl-0001.jpg`, … (or `.png`,
    /// `.pdf`, as the scanner sends them) and returns their paths in order. The source is
    /// `options.source` (`Platen`/`Flatbed` or `Feeder`/`ADF`), else the feeder when it holds
    /// paper, else the flatbed. `cancel` is looked at before each page; on cancellation or an
    /// error the job is deleted on the scanner, and the pages already written stay in `dir`.
    pub fn scan(
        &self,
        options: &ScanOptions,
        dir: &Path,
        cancel: &AtomicBool,
    ) -> Result<Vec<PathBuf>, PaperError> {
        let capabilities = self.capabilities()?;
        let input = self.input(&capabilities, options.source.as_deref())?;
        let settings =
            JobSettings::choose(input, options.resolution, options.colour).ok_or_else(|| {
                self.failed(format!(
                    "it sends only {}, none of which can be read; JPEG, PNG or PDF are",
                    input.formats.join(", ")
                ))
            })?;
        let job = self.create_job(&settings)?;
        let mut pages = Vec::new();
        let result = self.fetch_pages(&job, &settings, options, dir, cancel, &mut pages);
        let finished = matches!(result, Ok(true));
        if !finished {
            // A job stopped early holds the scanner until it is deleted; a failure to delete
            // changes nothing for the person, whose pages are in `dir`.
            let _ = self.client.delete(job).send();
        }
        result?;
        if pages.is_empty() {
            return Err(self.no_pages());
        }
        Ok(pages)
    }

    fn failed(&self, detail: String) -> PaperError {
        PaperError::ScanFailed {
            device: self.url().to_owned(),
            detail,
        }
    }

    /// The input to scan from.
    fn input<'a>(
        &self,
        capabilities: &'a EsclCapabilities,
        asked: Option<&str>,
    ) -> Result<&'a EsclInputCaps, PaperError> {
        let offered = || {
            capabilities
                .inputs
                .iter()
                .map(|i| i.source.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let source = match asked.map(str::to_ascii_lowercase).as_deref() {
            None => {
                let loaded = capabilities.input(EsclSource::Feeder).is_some()
                    && self
                        .status()
                        .is_ok_and(|s| s.adf_state.as_deref() == Some("ScannerAdfLoaded"));
                if loaded || capabilities.input(EsclSource::Platen).is_none() {
                    EsclSource::Feeder
                } else {
                    EsclSource::Platen
                }
            }
            Some("platen" | "flatbed") => EsclSource::Platen,
            Some("feeder" | "adf" | "automatic document feeder") => EsclSource::Feeder,
            Some(_) => {
                return Err(self.failed(format!(
                    "it has no source named {}; it offers {}",
                    asked.unwrap_or_default(),
                    offered()
                )));
            }
        };
        capabilities.input(source).ok_or_else(|| {
            self.failed(format!(
                "it has no {}; it offers {}",
                source.as_str(),
                offered()
            ))
        })
    }

    /// `POST ScanJobs`; the job's URL from the `Location` the scanner answers with.
    fn create_job(&self, settings: &JobSettings) -> Result<reqwest::Url, PaperError> {
        let url = self.endpoint("ScanJobs");
        let document = settings.document();
        let response = self.send(|| {
            self.client
                .post(url.clone())
                .header(CONTENT_TYPE, "text/xml")
                .body(document.clone())
        })?;
        let status = response.status();
        if status != StatusCode::CREATED {
            return Err(self.refused(url.as_str(), status, settings.source));
        }
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| self.unreadable("the new scan job has no Location"))?;
        url.join(location)
            .map_err(|e| self.unreadable(format!("the job's Location {location}: {e}")))
    }

    /// Why the scanner refused, with its state when it tells it: an empty feeder is said so.
    fn refused(&self, url: &str, status: StatusCode, source: EsclSource) -> PaperError {
        let now = self.status().ok();
        if source == EsclSource::Feeder
            && let Some(adf) = now.as_ref().and_then(|s| s.adf_state.clone())
            && adf == "ScannerAdfEmpty"
        {
            return PaperError::EsclFeederEmpty {
                url: self.url().to_owned(),
                state: adf,
            };
        }
        let state = now.map(|s| s.adf_state.unwrap_or(s.state));
        let message = match status {
            StatusCode::CONFLICT => "it is in a state that cannot scan now (paper jam, cover \
                                     open or no paper); look at the scanner's panel"
                .to_owned(),
            StatusCode::NOT_FOUND => "it has no such job or address; check the address".to_owned(),
            _ => format!(
                "it did not accept the job ({})",
                status.canonical_reason().unwrap_or("no reason given")
            ),
        };
        PaperError::EsclRefused {
            url: url.to_owned(),
            status: status.as_u16(),
            state,
            message,
        }
    }

    /// After a job gave no page: an empty feeder, or a plain failure.
    fn no_pages(&self) -> PaperError {
        match self.status() {
            Ok(EsclStatus {
                adf_state: Some(adf),
                ..
            }) if adf == "ScannerAdfEmpty" => PaperError::EsclFeederEmpty {
                url: self.url().to_owned(),
                state: adf,
            },
            _ => self.failed("the scanner gave no pages (is the paper in place?)".to_owned()),
        }
    }

    /// Takes the job's documents until the scanner says there are no more (404), the page
    /// count is reached, or the flatbed's one page is in. `Ok(true)` when the job finished on
    /// the scanner's side.
    fn fetch_pages(
        &self,
        job: &reqwest::Url,
        settings: &JobSettings,
        options: &ScanOptions,
        dir: &Path,
        cancel: &AtomicBool,
        pages: &mut Vec<PathBuf>,
    ) -> Result<bool, PaperError> {
        let mut next = job.clone();
        let with_slash = format!("{}/NextDocument", job.path().trim_end_matches('/'));
        next.set_path(&with_slash);
        let wanted = options.pages.max(1) as usize;
        loop {
            if pages.len() >= wanted {
                return Ok(false);
            }
            if cancel.load(Ordering::Relaxed) {
                return Err(PaperError::ScanCancelled {
                    device: self.url().to_owned(),
                    pages: pages.len(),
                });
            }
            let page = pages.len() + 1;
            // The scanner answered the job; a transport failure now is a page lost on the way.
            // Scanners answer 503 while the page is still being scanned, which at a high
            // resolution takes far longer than waiting out another job's end.
            let tries = self.busy_tries.saturating_mul(PAGE_WAIT_FACTOR);
            let response = self
                .send_within(tries, || self.client.get(next.clone()))
                .map_err(|e| match e {
                    PaperError::EsclUnreachable { detail, .. } => {
                        self.page_error(page, page - 1, dir, broke(&detail))
                    }
                    other => other,
                })?;
            let status = response.status();
            if status == StatusCode::NOT_FOUND {
                return Ok(true);
            }
            if status != StatusCode::OK {
                return Err(self.refused(next.as_str(), status, settings.source));
            }
            let bytes = self.body(response, options, page, dir, pages.len())?;
            pages.push(self.keep(&bytes, settings, options, page, dir)?);
            if settings.source == EsclSource::Platen {
                return Ok(false);
            }
        }
    }

    fn page_error(&self, page: usize, kept: usize, dir: &Path, detail: String) -> PaperError {
        PaperError::EsclPage {
            url: self.url().to_owned(),
            page,
            kept,
            dir: dir.to_path_buf(),
            detail,
        }
    }

    /// The page's bytes, within the file-size limit.
    fn body(
        &self,
        response: Response,
        options: &ScanOptions,
        page: usize,
        dir: &Path,
        kept: usize,
    ) -> Result<Vec<u8>, PaperError> {
        let max = options.limits.max_file_bytes;
        let mut bytes = Vec::new();
        response
            .take(max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| self.page_error(page, kept, dir, broke(&plain(&e))))?;
        if bytes.len() as u64 > max {
            return Err(self.page_error(
                page,
                kept,
                dir,
                format!("it is larger than the {max}-byte limit; scan at a lower resolution"),
            ));
        }
        Ok(bytes)
    }

    /// Decodes the page within the limits, then writes it into `dir`.
    fn keep(
        &self,
        bytes: &[u8],
        settings: &JobSettings,
        options: &ScanOptions,
        page: usize,
        dir: &Path,
    ) -> Result<PathBuf, PaperError> {
        let extension = match bytes {
            [0xFF, 0xD8, ..] => "jpg",
            [0x89, b'P', b'N', b'G', ..] => "png",
            [b'%', b'P', b'D', b'F', ..] => "pdf",
            _ => match settings.format.as_str() {
                "image/png" => "png",
                "application/pdf" => "pdf",
                _ => "jpg",
            },
        };
        let path = dir.join(format!("escl-{page:04}.{extension}"));
        let kept = page - 1;
        let checked = decode::open_bytes(&path, bytes.to_vec(), &options.limits)
            .and_then(|pages| pages.map(|p| p.map(drop)).collect::<Result<Vec<()>, _>>());
        if let Err(error) = checked {
            let detail = match error {
                PaperError::Corrupt { detail, .. } => detail,
                other => other.to_string(),
            };
            return Err(self.page_error(page, kept, dir, detail));
        }
        std::fs::write(&path, bytes).map_err(|source| PaperError::Write {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }
}

fn broke(cause: &dyn std::fmt::Display) -> String {
    format!("the connection broke while it was coming ({cause})")
}

/// A transport error in a sentence: the error and its causes, without debug noise.
fn plain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_taken_in_their_usual_spellings() {
        let t = Duration::from_secs(5);
        let url = |a: &str| EsclScanner::new(a, t).map(|s| s.url().to_owned());
        assert_eq!(
            url("escl://10.0.0.5:8080/eSCL").expect("ok"),
            "http://10.0.0.5:8080/eSCL"
        );
        assert_eq!(
            url("escl:http://127.0.0.1:9/eSCL/").expect("ok"),
            "http://127.0.0.1:9/eSCL"
        );
        assert_eq!(
            url("https://scanner.local").expect("ok"),
            "https://scanner.local/eSCL"
        );
        for bad in [
            "ftp://x/eSCL",
            "escl:",
            "http://user:pw@x/eSCL",
            "not a url",
        ] {
            let err = url(bad).expect_err(bad);
            assert_eq!(err.code(), "paper.escl.address", "{bad}: {err}");
        }
        assert!(is_escl_device("escl:http://127.0.0.1:8080/eSCL"));
        assert!(is_escl_device("escl://host/eSCL"));
        assert!(!is_escl_device("test:0"));
        assert!(!is_escl_device("escl:HP_Scanner"));
    }
}
