//! The invisible text layer of a page: recognised words drawn in text rendering mode 3 (neither
//! filled nor stroked) over the image, each stretched to the box it occupies in the image, so a
//! reader can search and select the page's text where it is seen.

use std::fmt::Write as _;

use serde::Serialize;

use super::Placement;

/// One recognised word and where it lies in the page image, in pixels from the top left.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Word {
    pub text: String,
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
    /// Bottom and height of the word's line: words of a line share a baseline and a size.
    pub line_bottom: u32,
    pub line_height: u32,
}

/// The words of one page image of `width × height` pixels.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextLayer {
    pub width: u32,
    pub height: u32,
    pub words: Vec<Word>,
}

/// Share of a line's height below its baseline, for the letters that descend.
const DESCENT: f64 = 0.2;

impl TextLayer {
    /// The content-stream operators that draw the layer on a page whose image is at
    /// `placement`, using font resource `/F0` whose glyphs advance `advance`/1000 of the size.
    pub fn operators(&self, placement: &Placement, advance: u32) -> String {
        if self.words.is_empty() || self.width == 0 || self.height == 0 {
            return String::new();
        }
        let sx = placement.width / f64::from(self.width);
        let sy = placement.height / f64::from(self.height);
        let top = placement.y + placement.height;
        let mut out = String::from("BT 3 Tr");
        for word in &self.words {
            let units: Vec<u16> = word
                .text
                .chars()
                .filter(|c| u32::from(*c) <= 0xFFFF && !c.is_whitespace())
                .flat_map(|c| {
                    let mut buf = [0u16; 2];
                    c.encode_utf16(&mut buf).to_vec()
                })
                .collect();
            if units.is_empty() || word.width == 0 || word.line_height == 0 {
                continue;
            }
            let size = f64::from(word.line_height) * sy;
            let natural = units.len() as f64 * f64::from(advance) / 1000.0 * size;
            let stretch = 100.0 * f64::from(word.width) * sx / natural;
            let x = placement.x + f64::from(word.left) * sx;
            let baseline = top - f64::from(word.line_bottom) * sy + DESCENT * size;
            let _ = write!(
                out,
                "\n/F0 {size:.2} Tf {stretch:.2} Tz 1 0 0 1 {x:.2} {baseline:.2} Tm <"
            );
            for unit in units {
                let _ = write!(out, "{unit:04X}");
            }
            out.push_str("> Tj");
        }
        out.push_str("\nET");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::PaperSize;

    fn word(text: &str, left: u32, width: u32) -> Word {
        Word {
            text: text.into(),
            left,
            top: 100,
            width,
            height: 50,
            line_bottom: 150,
            line_height: 50,
        }
    }

    #[test]
    fn words_are_placed_and_stretched_to_their_boxes() {
        // At 72 dpi a pixel is a point.
        let placement = Placement::fit(500.0, 500.0, Some(72.0), PaperSize::A4);
        let layer = TextLayer {
            width: 500,
            height: 500,
            words: vec![word("Linn", 10, 200), word("证据", 300, 100)],
        };
        let ops = layer.operators(&placement, 500);
        assert!(ops.starts_with("BT 3 Tr"), "{ops}");
        // Four characters at 50 pt and half an em each are 100 pt wide; the box is 200.
        assert!(ops.contains("/F0 50.00 Tf 200.00 Tz"), "{ops}");
        assert!(ops.contains("<004C0069006E006E> Tj"), "{ops}");
        assert!(ops.contains("<8BC1636E> Tj"), "{ops}");
        let x = placement.x + 10.0;
        // The baseline sits a fifth of the line height above the line's bottom.
        let baseline = placement.y + 500.0 - 150.0 + 10.0;
        assert!(
            ops.contains(&format!("1 0 0 1 {x:.2} {baseline:.2} Tm")),
            "{ops}"
        );
        assert!(ops.ends_with("ET"));
    }

    #[test]
    fn empty_and_unplaceable_words_draw_nothing() {
        let placement = Placement::fit(10.0, 10.0, None, PaperSize::A4);
        assert_eq!(TextLayer::default().operators(&placement, 500), "");
        let layer = TextLayer {
            width: 10,
            height: 10,
            words: vec![word(" ", 0, 5), word("😀", 0, 5)],
        };
        assert_eq!(layer.operators(&placement, 500), "BT 3 Tr\nET");
    }
}
