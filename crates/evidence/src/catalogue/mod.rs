//! The evidence catalogue (证据目录) of a filing: one row per item with its name, source,
//! purpose of proof (证明目的) and pages, set as PDF page(s) in zh-CN (or English) with an
//! embedded CJK font, placed before the evidence PDFs in one file. The page numbers the
//! catalogue prints are the combined file's own page labels: catalogue pages are labelled
//! i, ii, …, the evidence starts again at 1, so "3-7" in the catalogue is what a PDF reader
//! shows for those pages. Each item is also a bookmark.
//!
//! Items are checked before anything is written: a page range beyond its PDF, an empty field,
//! a file number without a file, a PDF that cannot be read are errors naming the item.

mod font;
mod layout;
mod merge;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::EvidenceError;

pub use font::SYSTEM_CJK_FONTS;
/// The catalogue is set in the interface's language (zh-CN by default).
pub use litigant_settings::Language;

/// The catalogue as the person writes it (JSON, camelCase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Catalogue {
    /// The case number printed under the title, e.g. `(2026)演0101民初1000号`.
    #[serde(default)]
    pub case_number: Option<String>,
    /// Who submits the evidence (提交人).
    #[serde(default)]
    pub submitted_by: Option<String>,
    pub items: Vec<CatalogueItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CatalogueItem {
    /// 证据名称.
    pub name: String,
    /// 证据来源, e.g. 原件 (original), 复印件 (copy), 网页截图.
    pub source: String,
    /// 证明目的.
    pub purpose: String,
    /// Which of the evidence PDFs holds the item, from 1. Default: the item's own position.
    #[serde(default)]
    pub file: Option<usize>,
    /// The item's pages within that PDF, `3` or `3-7`. Default: all of it.
    #[serde(default)]
    pub pages: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct CatalogueOptions {
    pub language: Language,
    /// An OpenType font with the catalogue's characters. Default: the system's Noto Sans CJK.
    pub font: Option<PathBuf>,
}

/// Where an item landed in the combined PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacedItem {
    pub name: String,
    /// The page labels of its first and last page (the evidence is numbered from 1).
    pub first: usize,
    pub last: usize,
}

impl PlacedItem {
    /// As the catalogue prints it and the platform records it: `4` or `3-7`.
    pub fn page_range(&self) -> String {
        if self.first == self.last {
            self.first.to_string()
        } else {
            format!("{}-{}", self.first, self.last)
        }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogueReport {
    pub output: PathBuf,
    /// Pages taken by the catalogue itself (labelled i, ii, …).
    pub catalogue_pages: usize,
    /// Evidence pages after it (labelled 1, 2, …).
    pub evidence_pages: usize,
    pub items: Vec<PlacedItem>,
}

impl Catalogue {
    pub fn from_json(json: &[u8]) -> Result<Self, EvidenceError> {
        serde_json::from_slice(json).map_err(|e| EvidenceError::malformed("the catalogue", e))
    }
}

/// `3` or `3-7`, 1-based and inclusive.
fn parse_range(text: &str) -> Option<(usize, usize)> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a >= 1 && a <= b).then_some((a, b))
}

/// Checks every item against the evidence PDFs' page counts and places it in the combined
/// numbering. `pages[i]` is the page count of the i-th PDF.
fn place(
    catalogue: &Catalogue,
    files: &[PathBuf],
    pages: &[usize],
) -> Result<Vec<PlacedItem>, EvidenceError> {
    if catalogue.items.is_empty() {
        return Err(EvidenceError::NoItems);
    }
    // The label of each PDF's first page in the combined numbering, minus one.
    let offsets: Vec<usize> = pages
        .iter()
        .scan(0, |total, n| {
            let offset = *total;
            *total += n;
            Some(offset)
        })
        .collect();
    catalogue
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let problem = |problem: String| EvidenceError::CatalogueItem {
                item: i + 1,
                name: item.name.clone(),
                problem,
            };
            for (field, value) in [
                ("name", &item.name),
                ("source", &item.source),
                ("purpose", &item.purpose),
            ] {
                if value.trim().is_empty() {
                    return Err(problem(format!("its {field} is empty")));
                }
            }
            let file = item.file.unwrap_or(i + 1);
            if file == 0 || file > files.len() {
                return Err(problem(format!(
                    "it names file {file}, but {} evidence PDF(s) were given",
                    files.len()
                )));
            }
            let count = pages[file - 1];
            let (first, last) = match &item.pages {
                None => (1, count),
                Some(text) => parse_range(text).ok_or_else(|| {
                    problem(format!(
                        "its pages {text:?} are not a page or a range such as 3-7"
                    ))
                })?,
            };
            if last > count {
                return Err(EvidenceError::PageRange {
                    item: i + 1,
                    name: item.name.clone(),
                    range: item.pages.clone().unwrap_or_default(),
                    file: files[file - 1].clone(),
                    pages: count,
                });
            }
            Ok(PlacedItem {
                name: item.name.trim().to_owned(),
                first: offsets[file - 1] + first,
                last: offsets[file - 1] + last,
            })
        })
        .collect()
}

/// Writes the catalogue followed by `evidence` (PDFs, in order) to `output`. The file appears
/// only when complete: it is written beside `output` and renamed, so a failure leaves
/// whatever was there.
pub fn write_catalogue(
    catalogue: &Catalogue,
    evidence: &[PathBuf],
    options: &CatalogueOptions,
    output: &Path,
) -> Result<CatalogueReport, EvidenceError> {
    let inputs = evidence
        .iter()
        .map(|path| merge::Input::load(path))
        .collect::<Result<Vec<_>, _>>()?;
    let pages: Vec<usize> = inputs.iter().map(merge::Input::pages).collect();
    let placed = place(catalogue, evidence, &pages)?;
    let mut font = font::CatalogueFont::load(options.font.as_deref())?;
    let drawn = layout::lay_out(catalogue, &placed, options.language, &mut font)?;
    let bytes =
        merge::combine(&drawn, &font, inputs, &placed, options.language).map_err(|e| match e {
            // The bytes are made in memory; the file they were for is this one.
            EvidenceError::PdfOutput { cause, .. } => EvidenceError::PdfOutput {
                path: output.to_owned(),
                cause,
            },
            other => other,
        })?;

    let output_error = |cause: String| EvidenceError::PdfOutput {
        path: output.to_owned(),
        cause,
    };
    let mut partial = output.as_os_str().to_owned();
    partial.push(".part");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, &bytes).map_err(|e| output_error(e.to_string()))?;
    if let Err(e) = std::fs::rename(&partial, output) {
        // Ours alone; the rename's failure is what the caller needs to hear.
        let _ = std::fs::remove_file(&partial);
        return Err(output_error(e.to_string()));
    }
    Ok(CatalogueReport {
        output: output.to_owned(),
        catalogue_pages: drawn.pages.len(),
        evidence_pages: pages.iter().sum(),
        items: placed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(file: Option<usize>, pages: Option<&str>) -> CatalogueItem {
        CatalogueItem {
            name: "借条".into(),
            source: "原件".into(),
            purpose: "证明借款事实".into(),
            file,
            pages: pages.map(Into::into),
        }
    }

    #[test]
    fn items_are_numbered_through_the_combined_evidence() {
        let files = vec![PathBuf::from("a.pdf"), PathBuf::from("b.pdf")];
        let catalogue = Catalogue {
            case_number: None,
            submitted_by: None,
            items: vec![
                item(None, None),
                item(Some(2), Some("2-3")),
                item(Some(2), Some("1")),
            ],
        };
        let placed = place(&catalogue, &files, &[2, 3]).unwrap();
        let ranges: Vec<String> = placed.iter().map(PlacedItem::page_range).collect();
        assert_eq!(ranges, ["1-2", "4-5", "3"]);
    }

    #[test]
    fn bad_items_are_refused_with_the_item_named() {
        let files = vec![PathBuf::from("a.pdf")];
        let refused = |items: Vec<CatalogueItem>| {
            place(
                &Catalogue {
                    case_number: None,
                    submitted_by: None,
                    items,
                },
                &files,
                &[2],
            )
            .unwrap_err()
        };
        let beyond = refused(vec![item(None, Some("2-3"))]);
        assert_eq!(beyond.code(), "evidence.page_range");
        assert!(beyond.to_string().contains("a.pdf, which has 2 page(s)"));
        assert_eq!(
            refused(vec![item(None, Some("3-2"))]).code(),
            "evidence.catalogue_item"
        );
        assert_eq!(
            refused(vec![item(None, None), item(None, None)]).code(),
            "evidence.catalogue_item"
        );
        let mut empty = item(None, None);
        empty.purpose = " ".into();
        assert!(
            refused(vec![empty])
                .to_string()
                .contains("purpose is empty")
        );
        assert_eq!(refused(Vec::new()).code(), "evidence.no_items");
    }
}
