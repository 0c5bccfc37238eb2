//! Sets the catalogue on A4 pages: a title, the case number and submitter, and a ruled table
//! whose cells wrap to their column (CJK at any character, Latin at spaces). Rows never split
//! across pages; a row taller than a page is an error, since it could not be printed whole.

use super::font::CatalogueFont;
use super::{Catalogue, Language, PlacedItem};
use crate::error::EvidenceError;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
const SIZE: f32 = 10.0;
const LEADING: f32 = 14.0;
const PADDING: f32 = 4.0;
/// Column widths: number, name, source, purpose of proof, pages (483 pt in all).
const COLUMNS: [f32; 5] = [32.0, 105.0, 80.0, 196.0, 70.0];

/// One thing drawn on a page, in PDF points from the bottom left; glyphs are the font's own ids.
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    Text {
        x: f32,
        y: f32,
        size: f32,
        glyphs: Vec<u16>,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
    },
}

#[derive(Debug, Default)]
pub struct Drawn {
    pub pages: Vec<Vec<Draw>>,
}

struct Words {
    title: &'static str,
    case: &'static str,
    by: &'static str,
    header: [&'static str; 5],
}

fn words(language: Language) -> Words {
    match language {
        Language::ZhCn => Words {
            title: "证据目录",
            case: "案号：",
            by: "提交人：",
            header: ["序号", "证据名称", "证据来源", "证明目的", "页码"],
        },
        Language::En => Words {
            title: "Evidence Catalogue",
            case: "Case: ",
            by: "Submitted by: ",
            header: ["No.", "Evidence", "Source", "Purpose of proof", "Pages"],
        },
    }
}

/// The bookmark title of the catalogue itself.
pub fn title(language: Language) -> &'static str {
    words(language).title
}

/// Breaks `text` into lines no wider than `width`.
fn wrap(font: &CatalogueFont, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.trim().lines() {
        let mut line = String::new();
        for c in paragraph.chars() {
            let mut candidate = line.clone();
            candidate.push(c);
            if line.is_empty() || font.width(&candidate, SIZE) <= width {
                line = candidate;
                continue;
            }
            // Latin words move whole to the next line when the line has a space to break at.
            match line.rfind(' ').filter(|_| !is_cjk(c) && c != ' ') {
                Some(space) if !line[space + 1..].chars().any(is_cjk) => {
                    let rest = line[space + 1..].to_owned();
                    line.truncate(space);
                    lines.push(std::mem::take(&mut line));
                    line = rest;
                    line.push(c);
                }
                _ => {
                    lines.push(std::mem::take(&mut line));
                    if c != ' ' {
                        line.push(c);
                    }
                }
            }
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn is_cjk(c: char) -> bool {
    matches!(u32::from(c), 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

struct Pages<'f> {
    font: &'f mut CatalogueFont,
    drawn: Drawn,
    y: f32,
}

impl Pages<'_> {
    fn text(&mut self, x: f32, y: f32, size: f32, text: &str) -> Result<(), EvidenceError> {
        let glyphs = self.font.glyphs(text)?;
        if let Some(page) = self.drawn.pages.last_mut() {
            page.push(Draw::Text { x, y, size, glyphs });
        }
        Ok(())
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32)) {
        if let Some(page) = self.drawn.pages.last_mut() {
            page.push(Draw::Line { from, to });
        }
    }

    /// A table row of wrapped cells with its rules; starts a new page (with the header again)
    /// when it does not fit.
    fn row(
        &mut self,
        cells: &[String; 5],
        header: Option<&[String; 5]>,
    ) -> Result<(), EvidenceError> {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .zip(COLUMNS)
            .map(|(cell, width)| wrap(self.font, cell, width - 2.0 * PADDING))
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        let height = small(lines) * LEADING + 2.0 * PADDING;
        if height > PAGE_HEIGHT - 2.0 * MARGIN - 2.0 * LEADING {
            return Err(EvidenceError::malformed(
                "the catalogue",
                format!("the row beginning {:?} is longer than a page", cells[1]),
            ));
        }
        if self.y - height < MARGIN {
            self.drawn.pages.push(Vec::new());
            self.y = PAGE_HEIGHT - MARGIN;
            if let Some(header) = header {
                self.row(header, None)?;
            }
        }
        let top = self.y;
        let bottom = top - height;
        let right = MARGIN + COLUMNS.iter().sum::<f32>();
        self.line((MARGIN, top), (right, top));
        self.line((MARGIN, bottom), (right, bottom));
        let mut x = MARGIN;
        self.line((x, top), (x, bottom));
        for (cell, width) in wrapped.iter().zip(COLUMNS) {
            for (n, text) in cell.iter().enumerate() {
                let baseline = top - PADDING - (small(n) + 1.0) * LEADING + 3.0;
                self.text(x + PADDING, baseline, SIZE, text)?;
            }
            x += width;
            self.line((x, top), (x, bottom));
        }
        self.y = bottom;
        Ok(())
    }
}

/// The catalogue's pages.
pub fn lay_out(
    catalogue: &Catalogue,
    placed: &[PlacedItem],
    language: Language,
    font: &mut CatalogueFont,
) -> Result<Drawn, EvidenceError> {
    let words = words(language);
    let mut pages = Pages {
        font,
        drawn: Drawn {
            pages: vec![Vec::new()],
        },
        y: PAGE_HEIGHT - MARGIN,
    };
    let title_size = 18.0;
    let title_width = pages.font.width(words.title, title_size);
    pages.text(
        (PAGE_WIDTH - title_width) / 2.0,
        pages.y - title_size,
        title_size,
        words.title,
    )?;
    pages.y -= title_size + LEADING;
    for (label, value) in [
        (words.case, &catalogue.case_number),
        (words.by, &catalogue.submitted_by),
    ] {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            pages.y -= LEADING;
            pages.text(MARGIN, pages.y, SIZE, &format!("{label}{}", value.trim()))?;
        }
    }
    pages.y -= LEADING;
    let header = words.header.map(str::to_owned);
    pages.row(&header, None)?;
    for (n, (item, place)) in catalogue.items.iter().zip(placed).enumerate() {
        let cells = [
            (n + 1).to_string(),
            item.name.trim().to_owned(),
            item.source.trim().to_owned(),
            item.purpose.trim().to_owned(),
            place.page_range(),
        ];
        pages.row(&cells, Some(&header))?;
    }
    Ok(pages.drawn)
}

/// A line count as a coordinate factor; a cell has a few lines, never 65 535.
fn small(n: usize) -> f32 {
    f32::from(u16::try_from(n).unwrap_or(u16::MAX))
}
