//! Reading what Tesseract prints: the TSV of recognised words (`tsv` config) and the result of
//! orientation and script detection (`--psm 0`).

use serde::Serialize;

use crate::pdf::text::{TextLayer, Word};

/// Words below this confidence (0–100) are left out of the text layer: they are mostly specks,
/// table rules and stamps read as letters, which would only add noise to a search.
pub const MIN_WORD_CONFIDENCE: f32 = 30.0;

/// The words of a page image of `width × height` pixels from Tesseract's TSV output.
///
/// Columns: level, page, block, paragraph, line, word, left, top, width, height, confidence,
/// text. Level 4 rows are lines, level 5 rows words; a word belongs to the line row before it.
pub fn words(tsv: &str, width: u32, height: u32) -> TextLayer {
    let mut layer = TextLayer {
        width,
        height,
        words: Vec::new(),
    };
    let mut line: Option<(u32, u32)> = None;
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 12 {
            continue;
        }
        let num = |i: usize| cols[i].trim().parse::<u32>().ok();
        let (Some(level), Some(left), Some(top), Some(w), Some(h)) =
            (num(0), num(6), num(7), num(8), num(9))
        else {
            continue;
        };
        match level {
            4 => line = Some((top + h, h)),
            5 => {
                let confidence: f32 = cols[10].trim().parse().unwrap_or(-1.0);
                let text = cols[11..].join("\t").trim().to_owned();
                if text.is_empty() || confidence < MIN_WORD_CONFIDENCE {
                    continue;
                }
                let (line_bottom, line_height) = line.unwrap_or((top + h, h));
                layer.words.push(Word {
                    text,
                    left,
                    top,
                    width: w,
                    height: h,
                    line_bottom,
                    line_height,
                });
            }
            _ => {}
        }
    }
    layer
}

/// What orientation detection found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OrientationGuess {
    /// Degrees to turn the page clockwise to make its text upright: 0, 90, 180 or 270.
    pub rotate: u16,
    pub confidence: f32,
}

/// Parses `Rotate:` and `Orientation confidence:` from Tesseract's OSD report.
pub fn orientation(report: &str) -> Option<OrientationGuess> {
    let field = |name: &str| {
        report
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
    };
    let rotate: u16 = field("Rotate:")?.parse().ok()?;
    let confidence: f32 = field("Orientation confidence:")?.parse().ok()?;
    matches!(rotate, 0 | 90 | 180 | 270).then_some(OrientationGuess { rotate, confidence })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t2550\t3300\t-1\t
4\t1\t1\t1\t1\t0\t882\t131\t775\t86\t-1\t
5\t1\t1\t1\t1\t1\t882\t132\t154\t70\t93.3\tThe
5\t1\t1\t1\t1\t2\t1061\t131\t596\t86\t91.0\tLinnSequencer
5\t1\t1\t1\t1\t3\t1700\t131\t20\t20\t12.0\t~
4\t1\t2\t1\t1\t0\t347\t380\t300\t43\t-1\t
5\t1\t2\t1\t1\t1\t347\t380\t65\t30\t88.0\t证据
5\t1\t2\t1\t1\t2\t420\t380\t65\t30\t95.0\t 
";

    #[test]
    fn words_take_their_lines_baseline_and_skip_noise() {
        let layer = words(TSV, 2550, 3300);
        assert_eq!((layer.width, layer.height), (2550, 3300));
        let texts: Vec<&str> = layer.words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["The", "LinnSequencer", "证据"]);
        let the = &layer.words[0];
        assert_eq!(
            (the.left, the.top, the.width, the.height),
            (882, 132, 154, 70)
        );
        assert_eq!((the.line_bottom, the.line_height), (217, 86));
        assert_eq!(layer.words[2].line_bottom, 423);
    }

    #[test]
    fn malformed_rows_are_ignored() {
        let layer = words(
            "header\n5\tx\n5\t1\t1\t1\t1\t1\ta\tb\tc\td\t90\tword\n",
            10,
            10,
        );
        assert!(layer.words.is_empty());
    }

    #[test]
    fn orientation_reports_are_read() {
        let report = "Page number: 0\nOrientation in degrees: 90\nRotate: 270\n\
                      Orientation confidence: 34.52\nScript: Latin\nScript confidence: 3.83\n";
        assert_eq!(
            orientation(report),
            Some(OrientationGuess {
                rotate: 270,
                confidence: 34.52
            })
        );
        assert_eq!(orientation("Rotate: 45\nOrientation confidence: 3\n"), None);
        assert_eq!(
            orientation("Too few characters. Skipping this page\n"),
            None
        );
    }
}
