//! A small eSCL scanner on loopback for the tests: it describes a flatbed and a feeder, takes
//! jobs, and hands out real JPEG pages from the corpus, one per `NextDocument`, then 404. Its
//! faults are the ones real scanners show: busy (503) once or always, an empty feeder, a page
//! cut short (a truncated JPEG), and a connection dropped in the middle of a page.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};

/// What the scanner does wrong.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Answer 503 to this many job requests before accepting one.
    pub busy: usize,
    /// Answer 503 to this many page requests (the page is still being scanned).
    pub page_busy: usize,
    /// The feeder holds no paper: feeder jobs are refused with 409 and the status says
    /// `ScannerAdfEmpty`.
    pub feeder_empty: bool,
    /// Send only the first half of this page (1-based), as a complete response.
    pub truncated_page: Option<usize>,
    /// Drop the connection half-way through this page (1-based).
    pub dropped_page: Option<usize>,
    /// Set this flag when this page (1-based) has been sent: the person cancels.
    pub cancel_after: Option<(usize, Arc<AtomicBool>)>,
}

/// What the scanner saw.
#[derive(Debug, Default)]
pub struct Seen {
    pub job_requests: usize,
    pub settings: Vec<String>,
    pub deleted: Vec<String>,
    pub pages_sent: usize,
}

#[derive(Debug)]
struct Job {
    id: String,
    feeder: bool,
    next: usize,
}

#[derive(Debug)]
struct Scanner {
    pages: Vec<Vec<u8>>,
    faults: Faults,
    jobs: Vec<Job>,
    seen: Seen,
}

type Shared = Arc<Mutex<Scanner>>;

/// A running scanner; it stops when dropped.
#[derive(Debug)]
pub struct EsclServer {
    pub url: String,
    pub port: u16,
    scanner: Shared,
    _runtime: tokio::runtime::Runtime,
}

impl EsclServer {
    /// Serves `pages` (files read now) with `faults` on a free loopback port.
    pub fn start(pages: &[&Path], faults: Faults) -> Self {
        let pages = pages
            .iter()
            .map(|p| std::fs::read(p).expect("corpus page"))
            .collect();
        let scanner = Arc::new(Mutex::new(Scanner {
            pages,
            faults,
            jobs: Vec::new(),
            seen: Seen::default(),
        }));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("loopback port");
        let port = listener.local_addr().expect("address").port();
        let app = Router::new()
            .route("/eSCL/ScannerCapabilities", get(capabilities))
            .route("/eSCL/ScannerStatus", get(status))
            .route("/eSCL/ScanJobs", post(create_job))
            .route("/eSCL/ScanJobs/{id}/NextDocument", get(next_document))
            .route("/eSCL/ScanJobs/{id}", delete(delete_job))
            .with_state(Arc::clone(&scanner));
        runtime.spawn(async move { axum::serve(listener, app).await });
        Self {
            url: format!("http://127.0.0.1:{port}/eSCL"),
            port,
            scanner,
            _runtime: runtime,
        }
    }

    /// Looks at what the scanner saw so far.
    pub fn seen<T>(&self, look: impl FnOnce(&Seen) -> T) -> T {
        look(&lock(&self.scanner).seen)
    }
}

fn lock(scanner: &Shared) -> MutexGuard<'_, Scanner> {
    scanner.lock().expect("scanner state")
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml")], body).into_response()
}

const NAMESPACES: &str = r#"xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm""#;

fn input_caps(tag: &str, formats: &str) -> String {
    format!(
        "<scan:{tag}><scan:MinWidth>16</scan:MinWidth><scan:MaxWidth>2550</scan:MaxWidth>\
         <scan:MinHeight>16</scan:MinHeight><scan:MaxHeight>3508</scan:MaxHeight>\
         <scan:SettingProfiles><scan:SettingProfile><scan:ColorModes>\
         <scan:ColorMode>Grayscale8</scan:ColorMode><scan:ColorMode>RGB24</scan:ColorMode>\
         </scan:ColorModes><scan:DocumentFormats>{formats}</scan:DocumentFormats>\
         <scan:SupportedResolutions><scan:DiscreteResolutions>\
         <scan:DiscreteResolution><scan:XResolution>150</scan:XResolution><scan:YResolution>150</scan:YResolution></scan:DiscreteResolution>\
         <scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution>\
         </scan:DiscreteResolutions></scan:SupportedResolutions></scan:SettingProfile>\
         </scan:SettingProfiles></scan:{tag}>"
    )
}

async fn capabilities() -> Response {
    let both = "<pwg:DocumentFormat>application/pdf</pwg:DocumentFormat>\
                <pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat>";
    let jpeg = "<pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat>";
    xml(format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><scan:ScannerCapabilities {NAMESPACES}><pwg:Version>2.63</pwg:Version><pwg:MakeAndModel>Litigant Test Scanner &amp; Feeder</pwg:MakeAndModel><pwg:SerialNumber>LT-0001</pwg:SerialNumber><scan:Platen>{}</scan:Platen><scan:Adf>{}</scan:Adf></scan:ScannerCapabilities>"#,
        input_caps("PlatenInputCaps", both),
        input_caps("AdfSimplexInputCaps", jpeg),
    ))
}

async fn status(State(scanner): State<Shared>) -> Response {
    let adf = if lock(&scanner).faults.feeder_empty {
        "ScannerAdfEmpty"
    } else {
        "ScannerAdfLoaded"
    };
    xml(format!(
        "<?xml version=\"1.0\"?><scan:ScannerStatus {NAMESPACES}><pwg:Version>2.63</pwg:Version>\
         <pwg:State>Idle</pwg:State><scan:AdfState>{adf}</scan:AdfState></scan:ScannerStatus>"
    ))
}

async fn create_job(State(scanner): State<Shared>, settings: String) -> Response {
    let mut scanner = lock(&scanner);
    scanner.seen.job_requests += 1;
    if scanner.faults.busy > 0 {
        scanner.faults.busy -= 1;
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let feeder = settings.contains("<pwg:InputSource>Feeder</pwg:InputSource>");
    scanner.seen.settings.push(settings);
    if feeder && scanner.faults.feeder_empty {
        return StatusCode::CONFLICT.into_response();
    }
    let id = format!("job-{}", scanner.jobs.len() + 1);
    scanner.jobs.push(Job {
        id: id.clone(),
        feeder,
        next: 0,
    });
    (
        StatusCode::CREATED,
        [(header::LOCATION, format!("/eSCL/ScanJobs/{id}"))],
    )
        .into_response()
}

async fn next_document(State(scanner): State<Shared>, UrlPath(id): UrlPath<String>) -> Response {
    let mut scanner = lock(&scanner);
    if scanner.faults.page_busy > 0 {
        scanner.faults.page_busy -= 1;
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let count = scanner.pages.len();
    let Some(job) = scanner.jobs.iter_mut().find(|j| j.id == id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // A flatbed job holds one page; the feeder's end is a 404.
    let last = if job.feeder { count } else { 1 };
    if job.next >= last {
        return StatusCode::NOT_FOUND.into_response();
    }
    let index = job.next;
    job.next += 1;
    let number = index + 1;
    let page = scanner.pages[index].clone();
    scanner.seen.pages_sent += 1;
    if let Some((after, flag)) = &scanner.faults.cancel_after
        && *after == number
    {
        flag.store(true, Ordering::Relaxed);
    }
    let half = page.len() / 2;
    if scanner.faults.truncated_page == Some(number) {
        return (
            [(header::CONTENT_TYPE, "image/jpeg")],
            page[..half].to_vec(),
        )
            .into_response();
    }
    if scanner.faults.dropped_page == Some(number) {
        let first = Bytes::copy_from_slice(&page[..half]);
        // The first half goes out, then the line dies: the pause lets it reach the client.
        let chunks = futures_util::stream::unfold(Some(first), |half| async move {
            if let Some(bytes) = half {
                return Some((Ok(bytes), None));
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            Some((Err(std::io::Error::other("the scanner lost power")), None))
        });
        return (
            [
                (header::CONTENT_TYPE, "image/jpeg".to_owned()),
                (header::CONTENT_LENGTH, page.len().to_string()),
            ],
            Body::from_stream(chunks),
        )
            .into_response();
    }
    ([(header::CONTENT_TYPE, "image/jpeg")], page).into_response()
}

async fn delete_job(State(scanner): State<Shared>, UrlPath(id): UrlPath<String>) -> StatusCode {
    lock(&scanner).seen.deleted.push(id);
    StatusCode::OK
}
