//! `litigant id check`: the verdict of `litigant-id-number` on numbers given as arguments or
//! read from standard input, one line each, masked as the library masks them, so the output
//! can be pasted into a ticket or a log.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};
use litigant_id_number::{Details, IdKind, IdNumber, IdNumberError, check, identify, mask};
use serde_json::{Map, Value, json};

#[derive(Debug, Subcommand)]
pub enum IdCommand {
    /// Check identity numbers; exit 0 if all are valid, 1 if any is not.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check every number as this kind, instead of working the kind out from its shape
    /// (needed for foreign passports).
    #[arg(long, value_name = "KIND", value_parser = kind_parser())]
    kind: Option<IdKind>,
    /// Print one JSON object a line instead of text.
    #[arg(long)]
    json: bool,
    /// The numbers; without any, one number a line is read from standard input.
    #[arg(value_name = "NUMBER")]
    numbers: Vec<String>,
}

fn kind_parser() -> impl TypedValueParser<Value = IdKind> {
    PossibleValuesParser::new(IdKind::ALL.map(IdKind::as_str)).try_map(|name| name.parse())
}

pub fn run(command: IdCommand) -> ExitCode {
    match command {
        IdCommand::Check(args) => check_numbers(&args),
    }
}

fn check_numbers(args: &CheckArgs) -> ExitCode {
    let numbers = if args.numbers.is_empty() {
        match read_lines() {
            Ok(lines) => lines,
            Err(error) => {
                eprintln!("litigant id check: cannot read standard input: {error}");
                return ExitCode::from(2);
            }
        }
    } else {
        args.numbers.clone()
    };
    if numbers.is_empty() {
        eprintln!(
            "litigant id check: no numbers; give them as arguments or one a line on standard input"
        );
        return ExitCode::from(2);
    }
    let mut all_valid = true;
    let mut out = io::stdout().lock();
    for input in &numbers {
        let verdict = match args.kind {
            Some(kind) => check(kind, input),
            None => identify(input),
        };
        all_valid &= verdict.is_ok();
        let shown = mask(input.trim());
        let line = if args.json {
            json_line(&shown, &verdict).to_string()
        } else {
            text_line(&shown, &verdict)
        };
        // A closed pipe (`| head`) only means nobody reads the rest.
        if writeln!(out, "{line}").is_err() {
            break;
        }
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The non-blank lines of standard input.
fn read_lines() -> io::Result<Vec<String>> {
    let mut numbers = Vec::new();
    for line in io::stdin().lock().lines() {
        let line = line?;
        if !line.trim().is_empty() {
            numbers.push(line);
        }
    }
    Ok(numbers)
}

fn text_line(shown: &str, verdict: &Result<IdNumber, IdNumberError>) -> String {
    match verdict {
        Ok(number) => format!("{}  valid  {}", number.masked(), describe(number)),
        Err(error) => format!("{shown}  invalid: {error}"),
    }
}

/// What a valid number tells, in a phrase: `resident ID card, born 1949-12-31, female, Beijing`.
fn describe(number: &IdNumber) -> String {
    let kind = number.kind();
    match number.details() {
        Details::Person {
            birth_date,
            sex,
            region,
        } => format!("{kind}, born {birth_date}, {sex}, {region}"),
        Details::Organisation {
            authority,
            entity_type,
            region,
        } => format!(
            "{kind}, {} registered by the {} authority, {region}",
            entity_type.name_en, authority.name_en
        ),
        Details::Passport { category } => format!("{kind}, {category}"),
        Details::HkMacaoTravelPermit {
            region,
            issue_count: Some(count),
        } => format!("{kind}, {region}, issue {count}"),
        Details::HkMacaoTravelPermit {
            region,
            issue_count: None,
        } => format!("{kind}, {region}"),
        Details::Nothing => kind.to_string(),
    }
}

fn json_line(shown: &str, verdict: &Result<IdNumber, IdNumberError>) -> Value {
    match verdict {
        Ok(number) => json!({
            "number": number.masked(),
            "valid": true,
            "kind": number.kind(),
            "label_zh": number.kind().label_zh(),
            "details": number.details(),
        }),
        Err(error) => {
            let details: Map<String, Value> = error
                .details()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), Value::String(value)))
                .collect();
            json!({
                "number": shown,
                "valid": false,
                "code": error.code(),
                "message": error.to_string(),
                "details": details,
            })
        }
    }
}
