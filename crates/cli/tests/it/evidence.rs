//! Evidence at the command line against `litigant serve-sim`: a catalogue before evidence the
//! paper pipeline made, submitted with its deposit proof checked offline; the other side's
//! evidence and a served notice received; an opinion drafted, refused without re-verification
//! and kept, then submitted; a transcript and a service receipt signed and verified by the
//! platform; and the case file holding all of it, until a recorded file is altered.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::convert::corpus;
use crate::platform::{Setup, text};

const CASE: &str = "case_demo_loan";

fn tool(program: &str, args: &[&str], file: &Path) -> String {
    // pdftotext writes beside the file unless told `-`.
    let rest: &[&str] = if program == "pdftotext" { &["-"] } else { &[] };
    let output = Command::new(program)
        .args(args)
        .arg(file)
        .args(rest)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs (apt: poppler-utils, qpdf): {e}"));
    text(&output)
}

fn ok(output: &Output) -> String {
    assert!(output.status.success(), "{}", text(output));
    text(output)
}

/// The run failed with `code` and said `says`.
fn fails_with(output: &Output, code: i32, says: &str) {
    assert_eq!(output.status.code(), Some(code), "{}", text(output));
    assert!(text(output).contains(says), "{}", text(output));
}

fn convert(setup: &Setup, inputs: &[&str], output: &Path) {
    let mut command = setup.command(&["convert"]);
    for input in inputs {
        command.arg(corpus(input));
    }
    ok(&command
        .arg("-o")
        .arg(output)
        .env("OMP_THREAD_LIMIT", "1")
        .output()
        .expect("convert runs"));
}

fn write_items(path: &Path, pages: &str) {
    let items = serde_json::json!({
        "caseNumber": "(2026)演0101民初1000号",
        "submittedBy": "王小明",
        "items": [
            {"name": "借条", "source": "原件", "purpose": "证明被告向原告借款五万元", "file": 1},
            {"name": "银行转账记录", "source": "复印件", "purpose": "证明借款已经交付", "file": 2, "pages": pages},
            {"name": "催款短信", "source": "手机截屏", "purpose": "证明原告曾催告还款", "file": 2, "pages": "2"}
        ]
    });
    std::fs::write(path, items.to_string()).expect("the items file");
}

fn checks_the_bundle(bundle: &Path) {
    assert!(tool("qpdf", &["--check"], bundle).contains("No syntax or stream encoding errors"));
    // One catalogue page, then 1 + 2 evidence pages.
    assert!(tool("pdfinfo", &[], bundle).contains("Pages:           4"));
    // Every input came from the paper pipeline as PDF/A-2b, so the bundle says so too.
    let metadata = tool("pdfinfo", &["-meta"], bundle);
    assert!(
        metadata.contains("<pdfaid:part>2</pdfaid:part>"),
        "{metadata}"
    );
    let raw = std::fs::read(bundle).expect("the bundle");
    let holds = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(holds(b"/GTS_PDFA1"), "the inputs' output intent is kept");
    assert!(holds(b"/DestOutputProfile"), "with its ICC profile");
    assert!(holds(b"/ID[<") || holds(b"/ID [<"), "a file identifier");
    let fonts = tool("pdffonts", &[], bundle);
    assert!(
        fonts.contains("NotoSansCJK") && fonts.contains("CID Type 0C"),
        "{fonts}"
    );
    for line in fonts.lines().skip(2) {
        assert!(line.contains(" yes "), "every font is embedded: {line}");
    }
    let catalogue = tool("pdftotext", &["-l", "1"], bundle).replace("\n\n", "\n");
    for expected in [
        "证据目录",
        "证据名称",
        "证明目的",
        "借条",
        "银行转账记录",
        "2-3",
    ] {
        assert!(catalogue.contains(expected), "{expected} in {catalogue}");
    }
    let structure = tool(
        "qpdf",
        &["--json", "--json-key=pagelabels", "--json-key=outlines"],
        bundle,
    );
    let json: serde_json::Value = serde_json::from_str(&structure).expect("qpdf's JSON");
    assert_eq!(json["pagelabels"][0]["label"]["/S"], "/r");
    assert_eq!(json["pagelabels"][1]["index"], 1);
    assert_eq!(json["pagelabels"][1]["label"]["/S"], "/D");
    let outlines: Vec<(String, u64)> = json["outlines"]
        .as_array()
        .expect("bookmarks")
        .iter()
        .map(|o| {
            (
                o["title"].as_str().unwrap_or_default().to_owned(),
                o["destpageposfrom1"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        outlines,
        [
            ("证据目录".to_owned(), 1),
            ("1. 借条".to_owned(), 2),
            ("2. 银行转账记录".to_owned(), 3),
            ("3. 催款短信".to_owned(), 4)
        ]
    );
}

fn submit_opinion(setup: &Setup) {
    ok(&setup.run(&[
        "opinion",
        "draft",
        "--case",
        CASE,
        "evi_demo_transfer",
        "--authenticity",
        "admit",
        "--legality",
        "admit",
        "--relevance",
        "dispute",
        "--relevance-reason",
        "这笔转账是另一笔借款",
    ]));
    let listed = ok(&setup.run(&["opinion", "list", "--case", CASE]));
    assert!(
        listed.contains("evi_demo_transfer") && listed.contains("dispute (这笔转账是另一笔借款)")
    );

    let refused = setup.run(&[
        "opinion",
        "submit",
        "--platform",
        &setup.sim,
        "--case",
        CASE,
    ]);
    fails_with(&refused, 1, "Verify your identity again");
    let kept = ok(&setup.run(&["opinion", "list", "--case", CASE]));
    assert!(
        kept.contains("evi_demo_transfer"),
        "a refusal keeps the draft"
    );

    let mut submit = setup
        .command(&[
            "opinion",
            "submit",
            "--platform",
            &setup.sim,
            "--case",
            CASE,
            "--reverify-mobile",
            "13800138000",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("submit starts");
    let code = setup.sms_code("reverify");
    submit
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{code}\n").as_bytes())
        .expect("the code typed");
    let submitted = ok(&submit.wait_with_output().expect("submit ends"));
    assert!(submitted.contains("on evi_demo_transfer"), "{submitted}");
    assert_eq!(ok(&setup.run(&["opinion", "list", "--case", CASE])), "");
}

fn sign(setup: &Setup, file: &Path, document: &str, purpose: &str) -> Output {
    setup
        .command(&["sign", "--platform", &setup.sim, "--case", CASE])
        .arg(file)
        .args(["--document", document, "--purpose", purpose])
        .output()
        .expect("sign runs")
}

fn signs_a_transcript_and_a_receipt(setup: &Setup) {
    ok(&setup.run(&["key", "register", "--platform", &setup.sim]));
    let transcript = setup.root.path().join("transcript.pdf");
    std::fs::write(&transcript, b"%PDF-1.7 hearing transcript of 30 November").expect("written");
    let uploaded = ok(&setup
        .command(&["upload", "--platform", &setup.sim])
        .arg(&transcript)
        .output()
        .expect("upload runs"));
    let document = uploaded
        .split_whitespace()
        .find(|w| w.starts_with("doc_"))
        .expect("the document's id")
        .to_owned();
    let signed = ok(&sign(setup, &transcript, &document, "transcript"));
    assert!(
        signed.contains("signed") && signed.contains("verified at"),
        "{signed}"
    );

    // The signature as any party checks it: with the key the platform holds for the signer.
    let checked = ok(&setup
        .command(&["signatures", "--platform", &setup.sim, "--case", CASE])
        .arg(&transcript)
        .args(["--document", &document])
        .output()
        .expect("signatures runs"));
    assert!(
        checked.contains("ok   王小明 signed as transcript"),
        "{checked}"
    );

    let notice = std::fs::read_dir(setup.data().join("served").join(CASE))
        .expect("the served folder")
        .next()
        .expect("the served notice")
        .expect("an entry")
        .path();
    ok(&sign(setup, &notice, "doc_demo_notice", "receipt"));

    // A local copy that is not the platform's document is not signed.
    let altered = setup.root.path().join("altered.pdf");
    std::fs::write(&altered, b"%PDF-1.7 hearing transcript, altered").expect("written");
    let refused = sign(setup, &altered, &document, "transcript");
    fails_with(&refused, 1, "the platform holds SHA-256");

    // Another party checks the detached signature with the registered public key.
    let signature = std::fs::read_dir(setup.data().join("signatures").join(CASE))
        .expect("the signatures folder")
        .map(|e| e.expect("an entry").path())
        .find(|p| std::fs::read_to_string(p).is_ok_and(|s| s.contains("\"transcript\"")))
        .expect("the transcript's signature");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&signature).expect("read")).expect("JSON");
    let public = json["publicKey"].as_str().expect("a key").to_owned();
    let check = |file: &PathBuf| {
        setup
            .command(&["sign", "--public-key", &public, "--verify"])
            .arg(&signature)
            .arg(file)
            .output()
            .expect("sign --verify runs")
    };
    ok(&check(&transcript));
    let mismatch = check(&altered);
    fails_with(&mismatch, 1, "evidence.signature.document_mismatch");
}

fn case_file_kinds(data: &Path) -> Vec<String> {
    let db = rusqlite::Connection::open(data.join("case-file.db")).expect("the case file");
    let mut statement = db
        .prepare("SELECT kind FROM entries WHERE case_id = ?1 ORDER BY seq")
        .expect("a query");
    statement
        .query_map([CASE], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("kinds")
}

fn submits_catalogued_evidence(setup: &Setup) {
    let dir = setup.root.path();
    let (first, second) = (dir.join("iou.pdf"), dir.join("transfers.pdf"));
    convert(
        setup,
        &["zh_photo_form_handwriting_perspective.jpg"],
        &first,
    );
    convert(
        setup,
        &[
            "photo_letter_signature_shadow.jpg",
            "zh_scan_vat_invoice_testsample_redseal.jpg",
        ],
        &second,
    );
    let key = dir.join("court-key.json");
    let published = reqwest::blocking::get(format!("{}/api/v1/deposit-log/key", setup.sim))
        .expect("the court's key")
        .text()
        .expect("its JSON");
    std::fs::write(&key, published).expect("saved");

    // A page range beyond its PDF is refused before anything is written or sent.
    let items = dir.join("items.json");
    write_items(&items, "1-3");
    let bundle = dir.join("bundle.pdf");
    let submit = |items: &Path| {
        setup
            .command(&[
                "evidence",
                "submit",
                "--platform",
                &setup.sim,
                "--case",
                CASE,
            ])
            .arg("--key")
            .arg(&key)
            .arg(items)
            .arg(&first)
            .arg(&second)
            .arg("-o")
            .arg(&bundle)
            .output()
            .expect("evidence submit runs")
    };
    let refused = submit(&items);
    fails_with(&refused, 1, "names pages 1-3 of");
    assert!(!bundle.exists());

    write_items(&items, "1-2");
    let submitted = ok(&submit(&items));
    assert_eq!(
        submitted.matches("submitted evi_").count(),
        3,
        "{submitted}"
    );
    assert!(submitted.contains("银行转账记录  pages 2-3"), "{submitted}");
    assert!(
        submitted.contains("not checked:") && !submitted.contains("FAIL"),
        "{submitted}"
    );
    checks_the_bundle(&bundle);
    let proof = dir.join("bundle.pdf.proof.json");
    let verified = setup
        .command(&["verify-proof"])
        .arg(&bundle)
        .arg(&proof)
        .arg("--key")
        .arg(&key)
        .output()
        .expect("runs");
    ok(&verified);
}

#[test]
fn catalogued_evidence_opinions_and_signatures_end_up_in_a_case_file_that_verifies() {
    let setup = Setup::start();
    setup.login(&setup.sim);
    submits_catalogued_evidence(&setup);

    let key = setup.root.path().join("court-key.json");
    let received = ok(&setup
        .command(&[
            "evidence",
            "receive",
            "--platform",
            &setup.sim,
            "--case",
            CASE,
        ])
        .arg("--key")
        .arg(&key)
        .output()
        .expect("evidence receive runs"));
    assert!(
        received.contains("evidence evi_demo_transfer"),
        "{received}"
    );
    assert!(received.contains("served srv_demo_notice"), "{received}");

    submit_opinion(&setup);
    signs_a_transcript_and_a_receipt(&setup);

    let kinds = case_file_kinds(&setup.data());
    for (kind, at_least) in [("filed", 4), ("received", 1), ("served", 1), ("signed", 2)] {
        assert!(
            kinds.iter().filter(|k| *k == kind).count() >= at_least,
            "{kind} in {kinds:?}"
        );
    }
    let verified = ok(&setup.run(&["verify", CASE]));
    assert!(
        verified.contains(&format!("{} entries", kinds.len())),
        "{verified}"
    );

    // A recorded signature edited afterwards is found.
    let signature = std::fs::read_dir(setup.data().join("signatures").join(CASE))
        .expect("signatures")
        .next()
        .expect("one")
        .expect("an entry")
        .path();
    let mut json = std::fs::read_to_string(&signature).expect("read");
    json = json
        .replace("\"transcript\"", "\"mediation_agreement\"")
        .replace("\"service_receipt\"", "\"mediation_agreement\"");
    std::fs::write(&signature, json).expect("edited");
    let tampered = setup.run(&["verify", CASE]);
    fails_with(&tampered, 1, "was changed");
}

#[test]
fn catalogue_input_errors_are_plain_and_exit_with_their_code() {
    let dir = tempfile::tempdir().expect("a folder");
    let items = dir.path().join("items.json");
    write_items(&items, "1");
    let corrupt = dir.path().join("scan.pdf");
    std::fs::write(&corrupt, b"%PDF-1.7\n1 0 obj << /Type /Catalog").expect("written");
    let output = dir.path().join("out.pdf");
    let run = |items: &Path| {
        Command::new(env!("CARGO_BIN_EXE_litigant"))
            .arg("catalogue")
            .arg(items)
            .arg(&corrupt)
            .arg(&corrupt)
            .arg("-o")
            .arg(&output)
            .output()
            .expect("catalogue runs")
    };
    let damaged = run(&items);
    fails_with(&damaged, 1, "scan.pdf is not a PDF that can be read");
    let missing = run(&dir.path().join("nothing.json"));
    fails_with(&missing, 2, "nothing.json");
    assert!(!output.exists());
}
