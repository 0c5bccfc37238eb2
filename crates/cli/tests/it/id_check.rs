//! `litigant id check` as a person or a script runs it: the real binary, with arguments and
//! with standard input, judged by what it prints and its exit code.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn litigant(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_litigant"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("litigant starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .expect("stdin written");
    drop(input);
    child.wait_with_output().expect("litigant finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

#[test]
fn valid_numbers_exit_zero_with_what_they_tell() {
    let output = litigant(
        &[
            "id",
            "check",
            "11010519491231002X",
            "91350100M000100Y43",
            "ef1260892",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "1101**********002X  valid  resident ID card, born 1949-12-31, female, Beijing\n\
         9135**********0Y43  valid  unified social credit code, enterprise registered by the \
         industry and commerce authority, Fujian\n\
         EF*****92  valid  Chinese passport, ordinary\n"
    );
}

#[test]
fn one_invalid_number_makes_exit_one_and_says_why() {
    let output = litigant(
        &["id", "check", "11010519491231002X", "110105194912310021"],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines[1],
        "1101**********0021  invalid: The check character at position 18 is “1”, but the \
         characters before it give “X”: one of them is probably mistyped, or two are swapped"
    );
    assert!(!text.contains("110105194912310021") && !text.contains("11010519491231002X"));
}

#[test]
fn reads_one_number_a_line_from_stdin() {
    let output = litigant(
        &["id", "check"],
        Some("11010519491231002X\n\n  110105491231002  \nH1234567803\n"),
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "1101**********002X  valid  resident ID card, born 1949-12-31, female, Beijing\n\
         1101*******1002  invalid: This is a 15-digit identity card number from before 1999; \
         the 18-digit number on current cards is 1101**********002X\n\
         H1*****78  valid  mainland travel permit for Hong Kong and Macao residents, Hong Kong, \
         issue 3\n"
    );
}

#[test]
fn kind_forces_how_a_number_is_read() {
    let guessed = litigant(&["id", "check", "C01X00T47"], None);
    assert_eq!(guessed.status.code(), Some(1));
    assert!(stdout(&guessed).contains("invalid: Litigant cannot tell what kind of number"));
    let forced = litigant(
        &["id", "check", "--kind", "foreign_passport", "C01X00T47"],
        None,
    );
    assert_eq!(forced.status.code(), Some(0));
    assert_eq!(stdout(&forced), "C0*****47  valid  foreign passport\n");
}

#[test]
fn json_lines_carry_codes_and_details() {
    let output = litigant(
        &["id", "check", "--json"],
        Some("11010519491231002X\n91110000600037341M\n"),
    );
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object a line"))
        .collect();
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[0]["kind"], "resident_id_card");
    assert_eq!(lines[0]["number"], "1101**********002X");
    assert_eq!(lines[0]["details"]["birth_date"], "1949-12-31");
    assert_eq!(lines[1]["valid"], false);
    assert_eq!(lines[1]["code"], "id_number.check_character_mismatch");
    assert_eq!(lines[1]["details"]["expected"], "L");
    assert_eq!(lines[1]["number"], "9111**********341M");
}

#[test]
fn usage_errors_exit_two() {
    let bad_kind = litigant(&["id", "check", "--kind", "driving_licence", "x"], None);
    assert_eq!(bad_kind.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_kind.stderr).contains("resident_id_card"));
    let nothing = litigant(&["id", "check"], Some("\n  \n"));
    assert_eq!(nothing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("no numbers"));
    let no_command = litigant(&["id"], None);
    assert_eq!(no_command.status.code(), Some(2));
}
