//! `litigant scanners --escl URL` and `litigant convert --scan escl:URL` against a bare eSCL
//! flatbed on loopback (plain HTTP/1.1 over a std socket, one request per connection) that
//! hands out one real corpus JPEG.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;

use mdns_sd::{ServiceDaemon, ServiceInfo};

use crate::convert::{corpus, litigant, sane_test_config};

const CAPABILITIES: &str = r#"<?xml version="1.0"?><scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"><pwg:Version>2.6</pwg:Version><pwg:MakeAndModel>Loopback Flatbed</pwg:MakeAndModel><scan:Platen><scan:PlatenInputCaps><scan:MaxWidth>2550</scan:MaxWidth><scan:MaxHeight>3508</scan:MaxHeight><scan:SettingProfiles><scan:SettingProfile><scan:ColorModes><scan:ColorMode>RGB24</scan:ColorMode></scan:ColorModes><scan:DocumentFormats><pwg:DocumentFormat>image/jpeg</pwg:DocumentFormat></scan:DocumentFormats><scan:SupportedResolutions><scan:DiscreteResolutions><scan:DiscreteResolution><scan:XResolution>300</scan:XResolution><scan:YResolution>300</scan:YResolution></scan:DiscreteResolution></scan:DiscreteResolutions></scan:SupportedResolutions></scan:SettingProfile></scan:SettingProfiles></scan:PlatenInputCaps></scan:Platen></scan:ScannerCapabilities>"#;

const STATUS: &str = r#"<?xml version="1.0"?><scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"><pwg:Version>2.6</pwg:Version><pwg:State>Idle</pwg:State></scan:ScannerStatus>"#;

/// Answers one request: the request line picks the answer; a POST's body is read and dropped.
fn answer(stream: TcpStream, page: &[u8], sent: &mut bool) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        if header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let (status, extra, content): (&str, &str, &[u8]) = match line.split_whitespace().nth(1) {
        Some("/eSCL/ScannerCapabilities") => ("200 OK", "", CAPABILITIES.as_bytes()),
        Some("/eSCL/ScannerStatus") => ("200 OK", "", STATUS.as_bytes()),
        Some("/eSCL/ScanJobs") => ("201 Created", "Location: /eSCL/ScanJobs/1\r\n", b""),
        Some("/eSCL/ScanJobs/1/NextDocument") if !*sent => {
            *sent = true;
            ("200 OK", "Content-Type: image/jpeg\r\n", page)
        }
        _ => ("404 Not Found", "", b""),
    };
    let mut stream = reader.into_inner();
    write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        content.len()
    )?;
    stream.write_all(content)
}

/// Starts the scanner on a free loopback port; it serves until the test process ends.
fn flatbed() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("loopback port");
    let url = format!(
        "http://127.0.0.1:{}/eSCL",
        listener.local_addr().expect("address").port()
    );
    let page = std::fs::read(corpus("zh_scan_vat_invoice_testsample_redseal.jpg")).expect("page");
    std::thread::spawn(move || {
        let mut sent = false;
        for stream in listener.incoming().flatten() {
            // A client that hangs up early only ends its own request.
            let _ = answer(stream, &page, &mut sent);
        }
    });
    url
}

#[test]
fn scanners_describes_an_escl_scanner() {
    let url = flatbed();
    let run = litigant()
        .args(["scanners", "--escl", &url])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.starts_with("Loopback Flatbed\n"), "{stdout}");
    assert!(
        stdout.contains(&format!("device\tescl:{url}\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains("Platen\t300 dpi; RGB24; image/jpeg"),
        "{stdout}"
    );
}

#[test]
fn convert_scans_from_an_escl_scanner() {
    let url = flatbed();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("escl.pdf");
    let run = litigant()
        .args(["convert", "--scan", &format!("escl:{url}"), "-o"])
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("scanned 1 pages"), "{stderr}");
    let info = Command::new("pdfinfo")
        .arg(&out)
        .output()
        .expect("pdfinfo runs");
    assert!(String::from_utf8_lossy(&info.stdout).contains("Pages:           1\n"));
    assert!(!dir.path().join("escl.pdf.scans").exists());
}

#[test]
fn an_unreachable_escl_scanner_is_an_error_with_its_code() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let run = litigant()
        .args([
            "scanners",
            "--escl",
            &format!("escl://127.0.0.1:{port}/eSCL"),
        ])
        .output()
        .expect("runs");
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("error [paper.escl.unreachable]"),
        "{stderr}"
    );
}

/// `litigant scanners` lists SANE's devices and, after them, the network scanners that
/// announce themselves: here the loopback flatbed, announced over multicast DNS by a responder
/// in this process.
#[test]
fn scanners_lists_sane_devices_and_announced_network_scanners() {
    let url = flatbed();
    let port: u16 = url
        .trim_end_matches("/eSCL")
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port");
    let responder = ServiceDaemon::new().expect("an mDNS responder");
    let properties = [("rs", "eSCL"), ("ty", "Loopback Flatbed")];
    let info = ServiceInfo::new(
        "_uscan._tcp.local.",
        &format!("Loopback flatbed {port}"),
        "litigant-cli-test.local.",
        "127.0.0.1",
        port,
        &properties[..],
    )
    .expect("a service");
    responder.register(info).expect("announced");

    let dir = tempfile::tempdir().expect("temp dir");
    let run = litigant()
        .arg("scanners")
        .env("SANE_CONFIG_DIR", sane_test_config(dir.path()))
        .output()
        .expect("runs");
    let _ = responder.shutdown();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let sane = stdout.find("test:0\t").expect("SANE's test device");
    let network = stdout
        .find(&format!("escl:{url}\tLoopback Flatbed\n"))
        .unwrap_or_else(|| panic!("the network scanner is not listed: {stdout}"));
    assert!(sane < network, "{stdout}");
}
