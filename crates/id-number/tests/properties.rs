//! Properties over generated numbers: what is built by the rules passes, what a check character
//! exists to catch (one wrong character, two neighbours swapped) never passes, and nothing that
//! prints a number or an error shows a whole number.

use litigant_id_number::{
    Date, Details, IdKind, IdNumber, IdNumberError, PROVINCES, check_as_of, check_mobile,
    id_card_check_character, identify_as_of, uscc_check_character,
};
use proptest::prelude::*;

const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Authority and entity type pairs of the published GB 32100 table, written out again here so
/// the test does not take the crate's word for it.
const USCC_PAIRS: [&str; 36] = [
    "11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39", "41", "49", "51", "52",
    "53", "59", "61", "62", "69", "71", "72", "79", "81", "89", "91", "92", "93", "A1", "A9", "N1",
    "N2", "N3", "N9", "Y1",
];

fn today() -> Date {
    Date::new(2026, 5, 1).expect("a real date")
}

/// A valid resident ID card number from a province (not the permit codes 81 and 82), a county,
/// a birth date between 1900 and today and a sequence number.
fn id_card() -> impl Strategy<Value = String> {
    let provinces: Vec<&str> = PROVINCES
        .iter()
        .map(|region| region.code)
        .filter(|code| !matches!(*code, "81" | "82"))
        .collect();
    (
        proptest::sample::select(provinces),
        0u32..10_000,
        1900u16..=2026,
        1u8..=12,
        1u8..=31,
        0u32..1000,
    )
        .prop_filter_map(
            "a real date up to today",
            |(province, county, year, month, day, seq)| {
                let date = Date::new(year, month, day)
                    .ok()
                    .filter(|date| *date <= today())?;
                let first_17 = format!(
                    "{province}{county:04}{:04}{:02}{:02}{seq:03}",
                    date.year(),
                    date.month(),
                    date.day()
                );
                let check = id_card_check_character(&first_17)?;
                Some(format!("{first_17}{check}"))
            },
        )
}

/// A valid unified social credit code from a table pair, a registration region, an
/// organisation code of the code alphabet and its check character.
fn uscc() -> impl Strategy<Value = String> {
    let provinces: Vec<&str> = PROVINCES
        .iter()
        .map(|region| region.code)
        .chain(["10"])
        .collect();
    (
        proptest::sample::select(USCC_PAIRS.to_vec()),
        proptest::sample::select(provinces),
        0u32..10_000,
        "[0-9A-HJ-NP-RTUW-Y]{9}",
    )
        .prop_map(|(pair, province, county, body)| {
            let first_17 = format!("{pair}{province}{county:04}{body}");
            let check = uscc_check_character(&first_17).expect("17 code characters");
            format!("{first_17}{check}")
        })
}

fn assert_masked(number: &IdNumber) {
    let whole = number.expose();
    for shown in [number.to_string(), format!("{number:?}"), number.masked()] {
        assert!(!shown.contains(whole), "{whole} shown whole in {shown}");
    }
}

fn assert_error_hides(error: &IdNumberError, input: &str) {
    for shown in [
        error.to_string(),
        format!("{error:?}"),
        format!("{:?}", error.details()),
    ] {
        assert!(!shown.contains(input), "{input} shown whole in {shown}");
    }
}

/// Every variant of `number` with one character replaced by another from `alphabet`.
fn single_changes(number: &str, alphabet: &str) -> Vec<String> {
    let chars: Vec<char> = number.chars().collect();
    let mut changed = Vec::new();
    for index in 0..chars.len() {
        for replacement in alphabet.chars().filter(|&c| c != chars[index]) {
            let mut copy = chars.clone();
            copy[index] = replacement;
            changed.push(copy.into_iter().collect());
        }
    }
    changed
}

/// Every variant of `number` with two different neighbours swapped.
fn adjacent_swaps(number: &str) -> Vec<String> {
    let chars: Vec<char> = number.chars().collect();
    (0..chars.len() - 1)
        .filter(|&index| chars[index] != chars[index + 1])
        .map(|index| {
            let mut copy = chars.clone();
            copy.swap(index, index + 1);
            copy.into_iter().collect()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn id_cards_built_by_the_rules_pass(number in id_card()) {
        let checked = check_as_of(IdKind::ResidentIdCard, &number, today()).unwrap();
        prop_assert_eq!(checked.expose(), number.as_str());
        let Details::Person { birth_date, sex, region } = checked.details() else {
            panic!("{:?}", checked.details());
        };
        prop_assert_eq!(birth_date.to_string().replace('-', ""), &number[6..14]);
        prop_assert_eq!(region.code, &number[..2]);
        let odd = (number.as_bytes()[16] - b'0') % 2 == 1;
        prop_assert_eq!(sex.to_string(), if odd { "male" } else { "female" });
        prop_assert_eq!(identify_as_of(&number, today()).unwrap(), checked.clone());
        let lower = number.to_ascii_lowercase();
        prop_assert_eq!(check_as_of(IdKind::ResidentIdCard, &lower, today()).unwrap(), checked.clone());
        assert_masked(&checked);
    }

    #[test]
    fn one_wrong_character_in_an_id_card_is_caught(number in id_card()) {
        for changed in single_changes(&number, "0123456789X") {
            let error = check_as_of(IdKind::ResidentIdCard, &changed, today()).unwrap_err();
            assert_error_hides(&error, &changed);
        }
    }

    #[test]
    fn swapped_neighbours_in_an_id_card_are_caught(number in id_card()) {
        for swapped in adjacent_swaps(&number) {
            prop_assert!(check_as_of(IdKind::ResidentIdCard, &swapped, today()).is_err(), "{}", swapped);
        }
    }

    #[test]
    fn credit_codes_built_by_the_rules_pass(code in uscc()) {
        let checked = check_as_of(IdKind::UnifiedSocialCreditCode, &code, today()).unwrap();
        prop_assert_eq!(checked.expose(), code.as_str());
        let Details::Organisation { authority, entity_type, .. } = checked.details() else {
            panic!("{:?}", checked.details());
        };
        prop_assert_eq!(format!("{}{}", authority.code, entity_type.code), &code[..2]);
        prop_assert_eq!(identify_as_of(&code, today()).unwrap(), checked.clone());
        assert_masked(&checked);
    }

    #[test]
    fn one_wrong_character_in_a_credit_code_is_caught(code in uscc()) {
        for changed in single_changes(&code, USCC_ALPHABET) {
            let error = check_as_of(IdKind::UnifiedSocialCreditCode, &changed, today()).unwrap_err();
            assert_error_hides(&error, &changed);
        }
    }

    #[test]
    fn swapped_neighbours_in_a_credit_code_are_caught(code in uscc()) {
        for swapped in adjacent_swaps(&code) {
            prop_assert!(
                check_as_of(IdKind::UnifiedSocialCreditCode, &swapped, today()).is_err(),
                "{}", swapped
            );
        }
    }

    #[test]
    fn other_kinds_print_masked(
        number in prop_oneof![
            "E[0-9A-HJ-NP-Z][0-9]{7}",
            "(DE|SE|PE|MA)[0-9]{7}",
            "[GK][0-9]{8}",
            "[HM][0-9]{8}([0-9]{2})?",
            "[0-9]{8}",
        ],
    ) {
        let checked = identify_as_of(&number, today()).unwrap();
        assert_masked(&checked);
    }

    /// Whatever is typed, every check answers without panicking, and an error never repeats it.
    #[test]
    fn any_input_is_answered(input in "\\PC{0,24}") {
        for kind in IdKind::ALL {
            if let Err(error) = check_as_of(kind, &input, today())
                && input.trim().chars().count() >= 5
            {
                assert_error_hides(&error, input.trim());
            }
        }
        let _ = identify_as_of(&input, today());
        let _ = check_mobile(&input);
    }

    #[test]
    fn mobile_numbers_are_normalised(
        second in 3u8..=9,
        rest in "[0-9]{9}",
        prefix in prop_oneof![Just(""), Just("+86 "), Just("0086-"), Just("+86")],
        separator in prop_oneof![Just(""), Just(" "), Just("-")],
    ) {
        let digits = format!("1{second}{rest}");
        let typed = format!("{prefix}{}{separator}{}{separator}{}", &digits[..3], &digits[3..7], &digits[7..]);
        let number = check_mobile(&typed).unwrap();
        prop_assert_eq!(number.expose(), digits.as_str());
        prop_assert!(!number.to_string().contains(&digits));
        let debug = format!("{number:?}");
        prop_assert!(!debug.contains(&digits));
    }
}
