//! Online filing on the mock runtime against the demo court: a draft's problems each on its
//! field (a missing claim and defendant, a file that is not a document the court accepts, a
//! file that is not there) and nothing sent for it; the fixed draft uploaded through the outbox
//! and filed once (sending its outbox item again files nothing new); the demo filing waiting
//! for corrections supplemented; a filing cancelled.

use litigant_court_client::ItemKind::{Filing, Upload};
use litigant_court_client::Outbox;
use serde_json::{Value, json};

use super::cases::signed_in_plaintiff;
use super::{Shell, shell};

fn fields(check: &Value) -> Vec<(String, String)> {
    check["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["field"].as_str().unwrap().to_owned(),
                p["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn write_pdf(shell: &Shell, name: &str) -> String {
    let path = shell.data_dir().join(name);
    std::fs::write(
        &path,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    )
    .unwrap();
    path.display().to_string()
}

fn form(materials: &Value, claims: &Value, with_defendant: bool) -> Value {
    let mut parties = vec![json!({"role": "plaintiff", "name": "张三", "idType": null,
        "idNumber": null, "address": null, "mobile": null})];
    if with_defendant {
        parties.push(
            json!({"role": "defendant", "name": "某某商贸有限公司", "idType": null,
            "idNumber": null, "address": "北京市", "mobile": null}),
        );
    }
    json!({"form": {
        "caseType": "civil_first_instance",
        "title": "买卖合同纠纷",
        "parties": parties,
        "claims": claims,
        "factsAndReasons": "被告未按合同支付货款。",
        "materials": materials,
        "evidence": [{"name": "买卖合同", "purpose": "证明合同关系", "material": 0}],
    }})
}

#[test]
fn the_filing_commands_want_a_login_first() {
    let shell = shell();
    for (cmd, args) in [
        ("filing_policy", json!({})),
        ("filings_list", json!({})),
        ("filing_get", json!({"filingId": "fil_demo_sales"})),
        ("filing_cancel", json!({"filingId": "fil_demo_sales"})),
    ] {
        let refused = shell.invoke(cmd, args).unwrap_err();
        assert_eq!(refused["code"], "account.not_signed_in", "{cmd}: {refused}");
    }
}

#[test]
fn each_problem_is_on_its_field_and_nothing_is_sent_until_they_are_fixed() {
    let shell = signed_in_plaintiff();
    let policy = shell.ok("filing_policy", json!({}));
    assert!(
        policy["documentTypes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["code"] == "complaint")
    );
    let before = shell
        .ok("filings_list", json!({}))
        .as_array()
        .unwrap()
        .len();
    let text = shell.data_dir().join("notes.txt");
    std::fs::write(&text, "not a PDF").unwrap();
    let missing = shell.data_dir().join("gone.pdf");
    let bad = form(
        &json!([
            {"path": text.display().to_string(), "documentType": "evidence"},
            {"path": missing.display().to_string(), "documentType": "evidence"},
        ]),
        &json!([]),
        false,
    );
    let check = shell.ok("filing_check", bad.clone());
    assert_eq!(check["acceptable"], false);
    let found = fields(&check);
    for expected in [
        ("/materials/0", "material_type"),
        ("/materials/1", "material_missing"),
        ("/claims", "claims"),
        ("/parties", "parties"),
    ] {
        assert!(
            found
                .iter()
                .any(|(f, c)| (f.as_str(), c.as_str()) == expected),
            "{expected:?} not in {found:?}"
        );
    }
    let refused = shell.ok("filing_submit", bad);
    assert_eq!(refused["filing"], Value::Null);
    assert_eq!(
        shell
            .ok("filings_list", json!({}))
            .as_array()
            .unwrap()
            .len(),
        before,
        "a draft with problems is not filed"
    );

    let pdf = write_pdf(&shell, "contract.pdf");
    let good = form(
        &json!([{"path": pdf, "documentType": "evidence"}]),
        &json!(["判令被告支付货款 10000 元"]),
        true,
    );
    assert_eq!(shell.ok("filing_check", good.clone())["acceptable"], true);
    let outcome = shell.ok("filing_submit", good);
    let filing = &outcome["filing"];
    assert_eq!(filing["status"], "received", "{outcome}");
    // The structured complaint, the contract and the evidence catalogue.
    assert_eq!(filing["documents"], 3);
    let listed = shell.ok("filings_list", json!({}));
    assert_eq!(listed.as_array().unwrap().len(), before + 1);
    assert_eq!(listed[0]["id"], filing["id"]);

    // Everything went through the outbox in the data folder: three uploads, then the filing.
    // Sending its item again answers with the same filing and files nothing new.
    let outbox = Outbox::open(shell.data_dir().join("outbox.db")).unwrap();
    let items = outbox.items().unwrap();
    let kinds: Vec<_> = items.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, [Upload, Upload, Upload, Filing]);
    let item = items.last().unwrap().id;
    let again = shell.ok("filing_resend", json!({"outboxItem": item}));
    assert_eq!(again["id"], filing["id"]);
    assert_eq!(
        shell
            .ok("filings_list", json!({}))
            .as_array()
            .unwrap()
            .len(),
        before + 1
    );
    let unknown = shell
        .invoke("filing_resend", json!({"outboxItem": 999}))
        .unwrap_err();
    assert_eq!(unknown["code"], "court_client.no_such_item", "{unknown}");

    let cancelled = shell.ok("filing_cancel", json!({"filingId": filing["id"]}));
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["canCancel"], false);
    let again = shell
        .invoke("filing_cancel", json!({"filingId": filing["id"]}))
        .unwrap_err();
    assert!(!again["message"].as_str().unwrap().is_empty(), "{again}");
}

#[test]
fn the_demo_filing_shows_its_corrections_and_takes_a_supplement() {
    let shell = signed_in_plaintiff();
    let waiting = shell.ok("filing_get", json!({"filingId": "fil_demo_sales"}));
    assert_eq!(waiting["status"], "correction_requested");
    assert!(!waiting["deficiencies"].as_array().unwrap().is_empty());
    assert!(waiting["correctionDueAt"].is_string());
    assert_eq!(waiting["overdue"], false);
    assert_eq!(waiting["canSupplement"], true);

    let empty = shell.ok(
        "filing_supplement",
        json!({"filingId": "fil_demo_sales", "note": " ", "materials": []}),
    );
    assert_eq!(
        fields(&empty["check"]),
        [("/note".into(), "supplement_empty".into())]
    );
    assert_eq!(empty["filing"], Value::Null);

    let pdf = write_pdf(&shell, "id-card.pdf");
    let done = shell.ok(
        "filing_supplement",
        json!({"filingId": "fil_demo_sales", "note": "补充身份证明",
            "materials": [{"path": pdf, "documentType": "identity"}]}),
    );
    let filing = &done["filing"];
    assert_eq!(filing["supplements"][0]["note"], "补充身份证明");
    assert_eq!(filing["supplements"][0]["documents"], 1);
    assert_ne!(filing["status"], "correction_requested", "{filing}");
}
