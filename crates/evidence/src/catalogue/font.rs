//! The catalogue's CJK font: a system Noto Sans CJK (or another OpenType font the caller names)
//! measured with ttf-parser, cut to the glyphs the catalogue uses with subsetter, and embedded
//! as a CID font (Identity-H) with a `ToUnicode` `CMap`, so the text prints the same everywhere and
//! `pdftotext` gets the Chinese back. PDF/A-2b needs every font embedded; this is how.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::error::EvidenceError;

/// Where Debian, Fedora and Arch put Noto Sans CJK; the first that exists is used.
pub const SYSTEM_CJK_FONTS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
];

/// A loaded font face and the glyphs used so far (original glyph id -> the character).
pub struct CatalogueFont {
    path: PathBuf,
    data: Vec<u8>,
    index: u32,
    units_per_em: f32,
    used: BTreeMap<u16, char>,
}

impl CatalogueFont {
    /// Loads `given`, else the first system CJK font found.
    pub fn load(given: Option<&Path>) -> Result<Self, EvidenceError> {
        let path = match given {
            Some(path) => path.to_owned(),
            None => SYSTEM_CJK_FONTS
                .iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
                .ok_or_else(|| EvidenceError::FontMissing {
                    tried: SYSTEM_CJK_FONTS.iter().map(PathBuf::from).collect(),
                })?,
        };
        let data = std::fs::read(&path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                EvidenceError::FontMissing {
                    tried: vec![path.clone()],
                }
            } else {
                EvidenceError::File {
                    path: path.clone(),
                    source,
                }
            }
        })?;
        let index = simplified_chinese_face(&data);
        let face = ttf_parser::Face::parse(&data, index).map_err(|e| EvidenceError::Font {
            path: path.clone(),
            cause: e.to_string(),
        })?;
        let units_per_em = f32::from(face.units_per_em());
        Ok(Self {
            path,
            data,
            index,
            units_per_em,
            used: BTreeMap::new(),
        })
    }

    fn face(&self) -> ttf_parser::Face<'_> {
        // Parsed once in `load`; the bytes have not changed since.
        ttf_parser::Face::parse(&self.data, self.index).unwrap_or_else(|_| unreachable!())
    }

    /// The glyph ids for `text`, noting them as used. A character the font lacks is an error
    /// naming it, not a blank box in a court document.
    pub fn glyphs(&mut self, text: &str) -> Result<Vec<u16>, EvidenceError> {
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            let gid = self
                .face()
                .glyph_index(c)
                .ok_or_else(|| EvidenceError::FontLacksCharacter {
                    path: self.path.clone(),
                    character: c,
                })?
                .0;
            self.used.entry(gid).or_insert(c);
            glyphs.push(gid);
        }
        Ok(glyphs)
    }

    /// The width of `text` at `size` points; characters the font lacks count as one em.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let face = self.face();
        let units: f32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(self.units_per_em, f32::from)
            })
            .sum();
        units / self.units_per_em * size
    }

    fn advance_per_mille(&self, gid: u16) -> i64 {
        let advance = self
            .face()
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .map_or(self.units_per_em, f32::from);
        whole(advance * 1000.0 / self.units_per_em)
    }

    /// Adds the subset font to `doc` and returns the Type 0 font's id and the map from
    /// original glyph ids to the subset's CIDs, which content streams must use.
    pub fn embed(
        &self,
        doc: &mut Document,
    ) -> Result<(ObjectId, BTreeMap<u16, u16>), EvidenceError> {
        let font_error = |cause: String| EvidenceError::Font {
            path: self.path.clone(),
            cause,
        };
        let mut remapper = subsetter::GlyphRemapper::new();
        let cids: BTreeMap<u16, u16> = self
            .used
            .keys()
            .map(|&gid| (gid, remapper.remap(gid)))
            .collect();
        let subset = subsetter::subset(&self.data, self.index, &remapper)
            .map_err(|e| font_error(format!("it cannot be subset: {e}")))?;
        let raw = ttf_parser::RawFace::parse(&subset, 0)
            .map_err(|e| font_error(format!("its subset cannot be read: {e}")))?;
        let cff = raw.table(ttf_parser::Tag::from_bytes(b"CFF "));
        let face = self.face();
        let name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            // The first record whose encoding reads as Unicode (Mac Roman ones do not).
            .find_map(|n| n.to_string())
            .map(|name: String| {
                // A PDF name is printable ASCII without delimiters.
                name.chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect::<String>()
            })
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "CJKFont".to_owned());
        // A subset font's name carries a six-letter tag (ISO 32000-1 9.6.4), taken from the
        // glyphs it holds so the same catalogue gives the same name.
        let tag: String = crate::hash::sha256_hex(format!("{:?}", self.used).as_bytes())
            .bytes()
            .take(6)
            .map(|b| char::from(b'A' + b % 26))
            .collect();
        let base_font = format!("{tag}+{name}");

        let (subtype, file_key, font_file) = match cff {
            Some(cff) => {
                let mut dict = Dictionary::new();
                dict.set("Subtype", "CIDFontType0C");
                ("CIDFontType0", "FontFile3", Stream::new(dict, cff.to_vec()))
            }
            None => ("CIDFontType2", "FontFile2", {
                let mut dict = Dictionary::new();
                dict.set("Length1", i64::try_from(subset.len()).unwrap_or(i64::MAX));
                Stream::new(dict, subset.clone())
            }),
        };
        let mut font_file = font_file;
        font_file
            .compress()
            .map_err(|e| font_error(format!("it cannot be compressed: {e}")))?;
        let font_file = doc.add_object(font_file);

        let descriptor = self.descriptor(&face, &base_font, file_key, font_file);
        let descriptor = doc.add_object(descriptor);

        let mut widths = Vec::new();
        for (&gid, &cid) in &cids {
            widths.push(Object::Integer(i64::from(cid)));
            widths.push(Object::Array(vec![Object::Integer(
                self.advance_per_mille(gid),
            )]));
        }
        let mut system_info = Dictionary::new();
        system_info.set("Registry", Object::string_literal("Adobe"));
        system_info.set("Ordering", Object::string_literal("Identity"));
        system_info.set("Supplement", 0_i64);
        let mut cid_font = Dictionary::new();
        cid_font.set("Type", "Font");
        cid_font.set("Subtype", subtype);
        cid_font.set("BaseFont", Object::Name(base_font.clone().into_bytes()));
        cid_font.set("CIDSystemInfo", system_info);
        cid_font.set("FontDescriptor", descriptor);
        cid_font.set("DW", 1000_i64);
        cid_font.set("W", widths);
        if subtype == "CIDFontType2" {
            cid_font.set("CIDToGIDMap", "Identity");
        }
        let cid_font = doc.add_object(cid_font);

        let mut to_unicode = Stream::new(Dictionary::new(), self.to_unicode(&cids).into_bytes());
        to_unicode
            .compress()
            .map_err(|e| font_error(format!("its ToUnicode map cannot be compressed: {e}")))?;
        let to_unicode = doc.add_object(to_unicode);

        let mut font = Dictionary::new();
        font.set("Type", "Font");
        font.set("Subtype", "Type0");
        font.set("BaseFont", Object::Name(base_font.into_bytes()));
        font.set("Encoding", "Identity-H");
        font.set("DescendantFonts", vec![Object::Reference(cid_font)]);
        font.set("ToUnicode", to_unicode);
        Ok((doc.add_object(font), cids))
    }

    fn descriptor(
        &self,
        face: &ttf_parser::Face<'_>,
        base_font: &str,
        file_key: &str,
        font_file: ObjectId,
    ) -> Dictionary {
        let scale = 1000.0 / self.units_per_em;
        let bbox = face.global_bounding_box();
        let per_mille = |v: i16| Object::Integer(whole(f32::from(v) * scale));
        let mut descriptor = Dictionary::new();
        descriptor.set("Type", "FontDescriptor");
        descriptor.set("FontName", Object::Name(base_font.to_owned().into_bytes()));
        descriptor.set("Flags", 4_i64); // symbolic: glyphs outside the standard Latin set
        descriptor.set(
            "FontBBox",
            vec![
                per_mille(bbox.x_min),
                per_mille(bbox.y_min),
                per_mille(bbox.x_max),
                per_mille(bbox.y_max),
            ],
        );
        descriptor.set("ItalicAngle", 0_i64);
        descriptor.set("Ascent", per_mille(face.ascender()));
        descriptor.set("Descent", per_mille(face.descender()));
        descriptor.set(
            "CapHeight",
            per_mille(face.capital_height().unwrap_or(face.ascender())),
        );
        descriptor.set("StemV", 80_i64);
        descriptor.set(file_key, font_file);
        descriptor
    }

    /// The `CMap` from each CID back to its character (UTF-16BE), for text extraction and
    /// PDF/A's requirement that text be mappable to Unicode.
    fn to_unicode(&self, cids: &BTreeMap<u16, u16>) -> String {
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        let pairs: Vec<(u16, char)> = cids
            .iter()
            .filter_map(|(gid, cid)| self.used.get(gid).map(|c| (*cid, *c)))
            .collect();
        // At most 100 mappings per block (the CMap format's limit).
        for block in pairs.chunks(100) {
            let _ = writeln!(cmap, "{} beginbfchar", block.len());
            for (cid, c) in block {
                let mut units = [0_u16; 2];
                let _ = write!(cmap, "<{cid:04X}> <");
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(cmap, "{unit:04X}");
                }
                cmap.push_str(">\n");
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        cmap
    }
}

/// The face of a collection for simplified Chinese (Noto's `... CJK SC`), else the first.
fn simplified_chinese_face(data: &[u8]) -> u32 {
    let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
    (0..count)
        .find(|&i| {
            ttf_parser::Face::parse(data, i).is_ok_and(|face| {
                face.names().into_iter().any(|n| {
                    n.name_id == ttf_parser::name_id::FAMILY
                        && n.to_string().is_some_and(|s| s.ends_with(" SC"))
                })
            })
        })
        .unwrap_or(0)
}

/// A font measure rounded to the integer PDF font dictionaries hold; font units are small.
#[allow(
    clippy::cast_possible_truncation,
    reason = "font measures in thousandths of an em are far inside i64's range"
)]
fn whole(value: f32) -> i64 {
    value.round() as i64
}
