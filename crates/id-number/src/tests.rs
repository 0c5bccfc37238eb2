//! The public entry points: normalisation, identification and what errors and numbers print.

use super::*;

fn today() -> Date {
    Date::new(2026, 5, 1).unwrap()
}

fn kind_of(input: &str) -> Result<IdKind, String> {
    identify_as_of(input, today())
        .map(|number| number.kind())
        .map_err(|error| error.code().to_owned())
}

#[test]
fn identifies_each_kind_from_its_shape() {
    assert_eq!(kind_of("11010519491231002x"), Ok(IdKind::ResidentIdCard));
    assert_eq!(
        kind_of("810000199001010012"),
        Err("id_number.check_character_mismatch".into())
    );
    let permit = format!(
        "81000019900101001{}",
        id_card_check_character("81000019900101001").unwrap()
    );
    assert_eq!(kind_of(&permit), Ok(IdKind::ResidencePermit));
    assert_eq!(
        kind_of("91110000600037341L"),
        Ok(IdKind::UnifiedSocialCreditCode)
    );
    assert_eq!(kind_of(" ef1260892 "), Ok(IdKind::Passport));
    assert_eq!(kind_of("MA1234567"), Ok(IdKind::Passport));
    assert_eq!(kind_of("H12345678"), Ok(IdKind::HkMacaoTravelPermit));
    assert_eq!(kind_of("M1234567801"), Ok(IdKind::HkMacaoTravelPermit));
    assert_eq!(kind_of("01234567"), Ok(IdKind::TaiwanTravelPermit));
    assert_eq!(
        kind_of("1234567801(B)"),
        Err("id_number.legacy_taiwan_permit".into())
    );
    assert_eq!(
        kind_of("110105491231002"),
        Err("id_number.legacy_fifteen_digit".into())
    );
    assert_eq!(kind_of("C01X00T47"), Err("id_number.unidentified".into()));
    assert_eq!(
        kind_of("1101051949123100"),
        Err("id_number.wrong_length".into())
    );
    assert_eq!(
        kind_of("E1234567A"),
        Err("id_number.unexpected_character".into())
    );
}

#[test]
fn check_normalises_and_refuses_inner_blanks() {
    let number = check_as_of(
        IdKind::ResidentIdCard,
        "　１１０１０５１９４９１２３１００２ｘ ",
        today(),
    )
    .unwrap();
    assert_eq!(number.expose(), "11010519491231002X");
    assert_eq!(
        check_as_of(IdKind::ResidentIdCard, "110105 19491231002X", today()),
        Err(IdNumberError::InnerWhitespace { position: 7 })
    );
    assert_eq!(
        check_as_of(IdKind::Passport, "", today()),
        Err(IdNumberError::Empty {
            kind: Some(IdKind::Passport)
        })
    );
    assert!(check(IdKind::ResidentIdCard, "11010519491231002X").is_ok());
}

#[test]
fn a_kind_is_not_mistaken_for_another() {
    assert!(matches!(
        check_as_of(IdKind::ResidentIdCard, "91110000600037341L", today()),
        Err(IdNumberError::UnexpectedCharacter {
            position: 18,
            found: 'L',
            ..
        })
    ));
    assert!(matches!(
        check_as_of(
            IdKind::UnifiedSocialCreditCode,
            "11010519491231002X",
            today()
        ),
        Err(IdNumberError::UnknownRegion { position: 3, .. })
    ));
    assert!(check_as_of(IdKind::ForeignPassport, "E12345678", today()).is_ok());
}

#[test]
fn numbers_print_masked_and_expose_in_full() {
    let number = check_as_of(IdKind::ResidentIdCard, "11010519491231002X", today()).unwrap();
    assert_eq!(number.to_string(), "1101**********002X");
    assert_eq!(
        format!("{number:?}"),
        "IdNumber { kind: ResidentIdCard, number: \"1101**********002X\", .. }"
    );
    assert_eq!(number.expose(), "11010519491231002X");
    let details = serde_json::to_value(number.details()).unwrap();
    assert_eq!(
        details,
        serde_json::json!({
            "type": "person",
            "birth_date": "1949-12-31",
            "sex": "female",
            "region": {"code": "11", "name_zh": "北京市", "name_en": "Beijing"}
        })
    );
}

#[test]
fn every_error_has_a_stable_code_and_no_whole_number() {
    let inputs = [
        ("11010519491231002Y", IdKind::ResidentIdCard),
        ("110105194912310021", IdKind::ResidentIdCard),
        ("110105491231002", IdKind::ResidentIdCard),
        ("11010519491331002X", IdKind::ResidentIdCard),
        ("91110000600037341M", IdKind::UnifiedSocialCreditCode),
        ("B1110000600037341L", IdKind::UnifiedSocialCreditCode),
        ("E1234567A", IdKind::Passport),
        ("1234567801", IdKind::TaiwanTravelPermit),
    ];
    for (input, kind) in inputs {
        let error = check_as_of(kind, input, today()).unwrap_err();
        assert!(error.code().starts_with("id_number."));
        let shown = [
            error.to_string(),
            format!("{error:?}"),
            format!("{:?}", error.details()),
        ];
        for text in shown {
            assert!(!text.contains(input), "{input} in {text}");
            assert!(!text.contains("11010519491231002X"), "{text}");
        }
    }
}
