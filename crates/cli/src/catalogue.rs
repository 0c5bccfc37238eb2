//! `litigant catalogue ITEMS.json PDFS... -o OUT.pdf`: the evidence catalogue (证据目录) set as
//! PDF page(s) before the evidence PDFs, in one file with bookmarks and page labels. The items
//! file is JSON: `{"caseNumber": "...", "submittedBy": "...", "items": [{"name", "source",
//! "purpose", "file": 1, "pages": "1-2"}]}`; `file` (from 1) defaults to the item's position,
//! `pages` to the whole file.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use litigant_evidence::{Catalogue, CatalogueOptions, CatalogueReport, Language, write_catalogue};

use crate::platform::Failure;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LanguageArg {
    #[value(name = "zh-CN")]
    ZhCn,
    En,
}

#[derive(Debug, Args)]
pub struct CatalogueArgs {
    /// The items, as JSON.
    pub items: PathBuf,
    /// The evidence PDFs, in order.
    #[arg(required = true)]
    pub pdfs: Vec<PathBuf>,
    /// The combined PDF to write.
    #[arg(short, long)]
    pub output: PathBuf,
    /// The catalogue's language.
    #[arg(long, value_enum, default_value = "zh-CN")]
    pub lang: LanguageArg,
    /// An OpenType font with the catalogue's characters. Default: the system's Noto Sans CJK.
    #[arg(long)]
    pub font: Option<PathBuf>,
}

/// Reads the items file and writes the combined PDF.
pub fn write(args: &CatalogueArgs) -> Result<(Catalogue, CatalogueReport), Failure> {
    let json = std::fs::read(&args.items)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.items.display())))?;
    let catalogue = Catalogue::from_json(&json).map_err(Failure::usage)?;
    let options = CatalogueOptions {
        language: match args.lang {
            LanguageArg::ZhCn => Language::ZhCn,
            LanguageArg::En => Language::En,
        },
        font: args.font.clone(),
    };
    let report = write_catalogue(&catalogue, &args.pdfs, &options, &args.output)?;
    Ok((catalogue, report))
}

pub fn print(report: &CatalogueReport, output: &Path) {
    println!(
        "{}: catalogue {} page(s), evidence {} page(s)",
        output.display(),
        report.catalogue_pages,
        report.evidence_pages
    );
    for (n, item) in report.items.iter().enumerate() {
        println!("{}. {}  pages {}", n + 1, item.name, item.page_range());
    }
}

pub fn run(args: &CatalogueArgs) -> Result<(), Failure> {
    let (_, report) = write(args)?;
    print(&report, &args.output);
    Ok(())
}
