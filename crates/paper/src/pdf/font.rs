//! The font of the invisible text layer: Tesseract's glyphless TrueType font (`pdf.ttf`, one
//! empty glyph besides `.notdef`), read from the system's tessdata folder at run time and
//! embedded once per file.
//!
//! It is used as a composite font with `Identity-H`: each character code is one UTF-16 code
//! unit, the `CIDToGIDMap` sends every code to glyph 1 (never to `.notdef`, which PDF/A-2
//! 6.2.11.8 forbids showing), and the `ToUnicode` map gives each code back as itself, so
//! `pdftotext` and a reader's search see the recognised text. The advance width written in the
//! font dictionary is the one read from the font's own `hmtx` table, as PDF/A-2 6.2.11.5 asks.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::ZlibEncoder;

use super::PdfWriter;

/// The glyphless font and the metrics the font dictionaries need.
#[derive(Clone, PartialEq, Eq)]
pub struct GlyphlessFont {
    bytes: Vec<u8>,
    /// Advance width of glyph 1 in thousandths of the font size.
    advance: u32,
}

impl std::fmt::Debug for GlyphlessFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "GlyphlessFont({} bytes, advance {})",
            self.bytes.len(),
            self.advance
        )
    }
}

/// Why the font cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontProblem {
    pub path: PathBuf,
    pub detail: String,
}

impl GlyphlessFont {
    /// Reads and checks the font file.
    pub fn load(path: &Path) -> Result<Self, FontProblem> {
        let problem = |detail: String| FontProblem {
            path: path.to_path_buf(),
            detail,
        };
        let bytes = std::fs::read(path).map_err(|e| problem(e.to_string()))?;
        Self::from_bytes(bytes).map_err(|d| problem(d.to_owned()))
    }

    /// Checks that `bytes` is a TrueType font with a glyph 1 and reads that glyph's advance.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, &'static str> {
        let table = |tag: &[u8; 4]| -> Option<&[u8]> {
            let count = usize::from(u16::from_be_bytes(bytes.get(4..6)?.try_into().ok()?));
            (0..count).find_map(|i| {
                let record = bytes.get(12 + 16 * i..28 + 16 * i)?;
                if &record[..4] != tag {
                    return None;
                }
                let offset = u32::from_be_bytes(record[8..12].try_into().ok()?) as usize;
                let length = u32::from_be_bytes(record[12..16].try_into().ok()?) as usize;
                bytes.get(offset..offset.checked_add(length)?)
            })
        };
        let be16 =
            |t: &[u8], at: usize| t.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
        if bytes.get(..4) != Some(&[0, 1, 0, 0]) && bytes.get(..4) != Some(b"true") {
            return Err("not a TrueType font");
        }
        let units = table(b"head")
            .and_then(|t| be16(t, 18))
            .filter(|&u| u > 0)
            .ok_or("no usable head table")?;
        let glyphs = table(b"maxp")
            .and_then(|t| be16(t, 4))
            .ok_or("no maxp table")?;
        if glyphs < 2 {
            return Err("the font has no glyph besides .notdef");
        }
        let metrics = table(b"hhea")
            .and_then(|t| be16(t, 34))
            .filter(|&n| n > 0)
            .ok_or("no usable hhea table")?;
        // Glyphs past the last long metric share its advance (OpenType `hmtx`).
        let entry = usize::from(metrics.min(2) - 1);
        let advance = table(b"hmtx")
            .and_then(|t| be16(t, entry * 4))
            .ok_or("no usable hmtx table")?;
        Ok(Self {
            bytes,
            advance: (u32::from(advance) * 1000).div_ceil(u32::from(units)),
        })
    }

    /// Advance of every character, in thousandths of the font size.
    pub fn advance(&self) -> u32 {
        self.advance
    }
}

/// The `ToUnicode` map: every two-byte code stands for the UTF-16 code unit of the same value.
/// Ranges stay within one high byte, as a `bfrange` must; surrogates are left out (the text
/// layer holds characters of the Basic Multilingual Plane only).
fn to_unicode_cmap() -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let highs: Vec<u16> = (0..=0xFFu16)
        .filter(|h| !(0xD8..=0xDF).contains(h))
        .collect();
    for block in highs.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfrange", block.len());
        for h in block {
            let _ = writeln!(cmap, "<{h:02X}00> <{h:02X}FF> <{h:02X}00>");
        }
        cmap.push_str("endbfrange\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

fn deflate(data: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(data)?;
    encoder.finish()
}

impl<W: Write> PdfWriter<W> {
    /// The object number of the text layer's font, writing the font on first use.
    pub(super) fn text_font(&mut self, font: &GlyphlessFont) -> io::Result<u32> {
        if let Some(id) = self.font_id {
            return Ok(id);
        }
        let file_id = self.reserve();
        let compressed = deflate(&font.bytes)?;
        self.stream(
            file_id,
            &format!("/Filter /FlateDecode /Length1 {}", font.bytes.len()),
            &compressed,
        )?;

        // Every code to glyph 1: two bytes per code, big-endian.
        let map: Vec<u8> = std::iter::repeat_n([0u8, 1u8], 0x1_0000)
            .flatten()
            .collect();
        let map_id = self.reserve();
        self.stream(map_id, "/Filter /FlateDecode", &deflate(&map)?)?;

        let unicode_id = self.reserve();
        self.stream(
            unicode_id,
            "/Filter /FlateDecode",
            &deflate(to_unicode_cmap().as_bytes())?,
        )?;

        let descriptor_id = self.reserve();
        self.object(
            descriptor_id,
            &format!(
                "<< /Type /FontDescriptor /FontName /GlyphLessFont /Flags 5 \
                 /FontBBox [0 0 {} 1000] /ItalicAngle 0 /Ascent 1000 /Descent 0 \
                 /CapHeight 1000 /StemV 80 /FontFile2 {file_id} 0 R >>",
                font.advance
            ),
        )?;
        let cid_font_id = self.reserve();
        self.object(
            cid_font_id,
            &format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /GlyphLessFont \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor {descriptor_id} 0 R /DW {} /CIDToGIDMap {map_id} 0 R >>",
                font.advance
            ),
        )?;
        let id = self.reserve();
        self.object(
            id,
            &format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /GlyphLessFont /Encoding /Identity-H \
                 /DescendantFonts [{cid_font_id} 0 R] /ToUnicode {unicode_id} 0 R >>"
            ),
        )?;
        self.font_id = Some(id);
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal TrueType file: the table directory and the tables the reader looks at.
    fn font_with(units: u16, advance: u16, glyphs: u16) -> Vec<u8> {
        let mut head = vec![0u8; 54];
        head[18..20].copy_from_slice(&units.to_be_bytes());
        let mut maxp = vec![0u8; 6];
        maxp[4..6].copy_from_slice(&glyphs.to_be_bytes());
        let mut hhea = vec![0u8; 36];
        hhea[34..36].copy_from_slice(&2u16.to_be_bytes());
        let mut hmtx = vec![0u8; 8];
        hmtx[4..6].copy_from_slice(&advance.to_be_bytes());
        let tables: [(&[u8; 4], Vec<u8>); 4] = [
            (b"head", head),
            (b"hhea", hhea),
            (b"hmtx", hmtx),
            (b"maxp", maxp),
        ];
        let mut out = vec![0, 1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0];
        let mut offset = 12 + 16 * tables.len();
        let mut data = Vec::new();
        for (tag, table) in &tables {
            out.extend_from_slice(*tag);
            out.extend_from_slice(&[0; 4]);
            out.extend_from_slice(&(offset as u32).to_be_bytes());
            out.extend_from_slice(&(table.len() as u32).to_be_bytes());
            offset += table.len();
            data.extend_from_slice(table);
        }
        out.extend(data);
        out
    }

    #[test]
    fn the_advance_comes_from_the_fonts_own_metrics() {
        let font = GlyphlessFont::from_bytes(font_with(2048, 1024, 2)).expect("valid");
        assert_eq!(font.advance(), 500);
        let font = GlyphlessFont::from_bytes(font_with(1000, 600, 2)).expect("valid");
        assert_eq!(font.advance(), 600);
    }

    #[test]
    fn a_font_without_a_visible_glyph_or_tables_is_refused() {
        assert!(GlyphlessFont::from_bytes(font_with(2048, 1024, 1)).is_err());
        assert!(GlyphlessFont::from_bytes(b"not a font at all".to_vec()).is_err());
        assert!(GlyphlessFont::from_bytes(vec![0, 1, 0, 0]).is_err());
    }

    #[test]
    fn the_unicode_map_covers_every_plane_zero_unit_but_surrogates() {
        let cmap = to_unicode_cmap();
        assert!(cmap.contains("<8B00> <8BFF> <8B00>"));
        assert!(cmap.contains("<0000> <00FF> <0000>"));
        assert!(!cmap.contains("<D800>"));
        // At most 100 entries per block (PDF 32000-1, 9.10.3 and the CMap specification).
        assert_eq!(cmap.matches("beginbfrange").count(), 3);
    }
}
