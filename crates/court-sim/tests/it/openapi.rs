//! The committed `OpenAPI` document is what the router generates.

use std::path::PathBuf;

fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/platform-api.yaml")
}

/// Set `LITIGANT_UPDATE_GENERATED=1` to rewrite docs/platform-api.yaml.
#[test]
fn docs_platform_api_yaml_is_fresh() {
    let generated = litigant_court_sim::openapi()
        .to_yaml()
        .expect("the document serialises");
    let path = committed();
    if std::env::var_os("LITIGANT_UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &generated).expect("docs/platform-api.yaml is writable");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{} is stale: run LITIGANT_UPDATE_GENERATED=1 cargo test -p litigant-court-sim --test it openapi",
        path.display()
    );
}

#[test]
fn the_document_is_openapi_3_1_and_covers_every_resource() {
    let document: serde_json::Value =
        serde_json::from_str(&litigant_court_sim::openapi().to_json().expect("json"))
            .expect("valid JSON");
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        document["openapi"]
    );
    let paths = document["paths"].as_object().expect("paths");
    for path in [
        "/api/v1/policy",
        "/api/v1/identity/registrations",
        "/api/v1/auth/login",
        "/api/v1/me/reverification",
        "/api/v1/uploads",
        "/api/v1/uploads/{id}",
        "/api/v1/filings",
        "/api/v1/filings/check",
        "/api/v1/filings/{filingId}/supplements",
        "/api/v1/cases/{caseId}/consents",
        "/api/v1/cases/{caseId}/documents",
        "/api/v1/cases/{caseId}/evidence",
        "/api/v1/evidence/{evidenceId}/opinion",
        "/api/v1/hearings/{hearingId}/steps/{index}/recording",
        "/api/v1/service/{serviceId}/certificate",
        "/api/v1/signatures",
        "/api/v1/documents/{id}/deposit-proof",
        "/api/v1/deposit-log/key",
        "/api/v1/events",
        "/api/v1/clerk/filings/{filingId}/review",
        "/api/v1/clerk/faults",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} is missing from the document"
        );
    }
    assert!(paths["/api/v1/uploads/{id}"].get("patch").is_some());
    assert!(paths["/api/v1/uploads/{id}"].get("head").is_some());
    assert!(document["components"]["schemas"].get("Problem").is_some());
}
