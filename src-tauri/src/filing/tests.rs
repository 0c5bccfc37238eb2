//! The checks made on this computer before anything is sent: materials known by their bytes
//! and held to the court's limits, the court's problems put in the form's terms.

use litigant_court_sim::config::demo_policy;

use super::*;

fn material(dir: &Path, name: &str, bytes: &[u8], document_type: &str) -> MaterialForm {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    MaterialForm {
        path: path.display().to_string(),
        document_type: document_type.into(),
    }
}

#[test]
fn a_material_is_known_by_its_bytes_not_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let materials = [
        material(dir.path(), "a.pdf", b"%PDF-1.7 ...", "evidence"),
        material(
            dir.path(),
            "b.pdf",
            b"PK\x03\x04 a zip named .pdf",
            "evidence",
        ),
        material(dir.path(), "c.bin", b"\xFF\xD8\xFF\xE0 jpeg", "identity"),
    ];
    let (passed, total) = check_materials(&demo_policy(), &materials, &mut problems);
    assert_eq!(passed.len(), 2);
    assert_eq!(passed[1].content_type, "image/jpeg");
    // Every file present counts towards the filing's total, accepted or not.
    assert_eq!(total, 12 + 21 + 9);
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].field.as_str(), problems[0].code.as_str()),
        ("/materials/1", "material_type")
    );
}

#[test]
fn a_material_over_the_courts_limit_is_named_with_its_size_and_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut policy = demo_policy();
    policy.max_document_bytes = 10;
    let mut problems = Vec::new();
    let materials = [
        material(
            dir.path(),
            "big.pdf",
            b"%PDF-1.4 more than ten bytes",
            "evidence",
        ),
        material(dir.path(), "small.pdf", b"%PDF-1.4", "no_such_kind"),
    ];
    let (passed, _) = check_materials(&policy, &materials, &mut problems);
    assert_eq!(passed.len(), 1, "the small one passes the size check");
    let big = problems.iter().find(|p| p.code == "material_size").unwrap();
    assert_eq!(big.field, "/materials/0");
    assert_eq!(big.limit, Some(10.0));
    assert_eq!(big.size, Some(28.0));
    assert!(
        problems
            .iter()
            .any(|p| p.field == "/materials/1" && p.code == "material_kind")
    );
}

#[test]
fn court_problems_keep_their_field_and_get_a_code_to_translate() {
    let view: Vec<ProblemView> = court_problems(vec![
        FieldProblem {
            pointer: "/parties/1/name".into(),
            message: "Give the party's name.".into(),
        },
        FieldProblem {
            pointer: "/documents".into(),
            message: "Attach the complaint.".into(),
        },
        FieldProblem {
            pointer: "/claims".into(),
            message: "State each claim.".into(),
        },
    ])
    .collect();
    let pairs: Vec<(&str, &str)> = view
        .iter()
        .map(|p| (p.field.as_str(), p.code.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [("/parties/1/name", "party_name"), ("/claims", "claims")],
        "the complaint is always supplied, so the court's missing-complaint problem is dropped"
    );
}

#[test]
fn an_unknown_role_is_a_problem_on_that_party() {
    let mut problems = Vec::new();
    let form = FilingForm {
        case_type: "civil_first_instance".into(),
        title: "t".into(),
        parties: vec![PartyForm {
            role: "judge".into(),
            name: "X".into(),
            id_type: None,
            id_number: Some("  ".into()),
            address: None,
            mobile: None,
        }],
        claims: vec![" c ".into()],
        facts_and_reasons: "f".into(),
        materials: Vec::new(),
        evidence: Vec::new(),
    };
    let draft = draft_of(&form, &mut problems);
    assert!(draft.parties.is_empty());
    assert_eq!(draft.claims, ["c"]);
    assert_eq!(problems[0].field, "/parties/0/role");
}
