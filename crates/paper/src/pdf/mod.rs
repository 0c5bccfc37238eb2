//! A streaming PDF/A-2b writer for image pages. Each page's image is written to the file as
//! soon as it is ready and then dropped, so memory stays flat however long the bundle is; the
//! page tree, outline, labels and metadata follow at the end.
//!
//! What PDF/A-2b asks of such a file, and where it is done: a binary comment after the header
//! (`new`); an XMP packet declaring part 2, conformance B, agreeing with the information
//! dictionary (`finish`, `xmp`); an output intent with an embedded ICC profile, which makes the
//! device colour spaces of the images well defined (`finish`, `icc`); a file identifier in the
//! trailer; no encryption, no JavaScript, no LZW, no transparency; a classic cross-reference table.

pub mod font;
pub mod icc;
pub mod text;
pub mod xmp;

use std::hash::{Hash, Hasher};
use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use crate::encode::{EncodedImage, ImageCoding};

/// Paper sizes a court may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PaperSize {
    #[default]
    A4,
    Letter,
}

impl PaperSize {
    /// Portrait width and height in points (1/72 inch).
    pub fn points(self) -> (f64, f64) {
        match self {
            Self::A4 => (595.276, 841.89),
            Self::Letter => (612.0, 792.0),
        }
    }
}

/// Where a page image sits on its sheet.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Placement {
    /// Sheet size, in points.
    pub sheet_width: f64,
    pub sheet_height: f64,
    /// The image's rectangle on the sheet, in points from the bottom-left corner.
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Placement {
    /// Places content of `w × h` source pixels on a sheet of `paper`, turned to landscape when
    /// the content is wider than tall. When the source's resolution is known the content keeps
    /// its true size if it fits (a receipt stays receipt-sized); otherwise, or when it does not
    /// fit, it is scaled to fit the sheet. It is centred either way, and never distorted.
    pub fn fit(w: f64, h: f64, dpi: Option<f64>, paper: PaperSize) -> Self {
        let (pw, ph) = paper.points();
        let (sheet_width, sheet_height) = if w > h { (ph, pw) } else { (pw, ph) };
        let fit_scale = (sheet_width / w).min(sheet_height / h);
        let scale = match dpi {
            // 2 % of slack: a Letter scan on A4 should shrink by 3 %, not be left hanging over.
            Some(dpi)
                if w * 72.0 / dpi <= sheet_width * 1.02
                    && h * 72.0 / dpi <= sheet_height * 1.02 =>
            {
                (72.0 / dpi).min(fit_scale)
            }
            _ => fit_scale,
        };
        let (width, height) = (w * scale, h * scale);
        Self {
            sheet_width,
            sheet_height,
            x: (sheet_width - width) / 2.0,
            y: (sheet_height - height) / 2.0,
            width,
            height,
        }
    }

    /// Pixels per inch of content `pixels` wide placed in this rectangle.
    pub fn dpi_of(&self, pixels: f64) -> f64 {
        pixels / (self.width / 72.0)
    }
}

/// The invisible text over a page image, and the font it is drawn in.
#[derive(Debug, Clone)]
pub struct PageText {
    pub layer: text::TextLayer,
    pub font: Arc<font::GlyphlessFont>,
}

/// Everything one page of the file shows.
#[derive(Debug, Clone)]
pub struct PageContent {
    pub image: EncodedImage,
    pub placement: Placement,
    pub text: Option<PageText>,
}

/// Counts bytes so objects know their offsets.
struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Document-level facts written at the end.
#[derive(Debug, Clone)]
pub struct DocumentInfo {
    pub title: Option<String>,
    pub producer: String,
    pub creator: String,
    pub created: xmp::CivilTime,
}

/// One bookmark: its title, the 0-based index of the page it opens, and the 1-based number
/// of its document in the whole bundle (which the page labels show, also in later parts of a
/// split bundle).
#[derive(Debug, Clone)]
pub struct Bookmark {
    pub title: String,
    pub first_page: usize,
    pub document: usize,
}

pub struct PdfWriter<W: Write> {
    out: Counting<W>,
    /// Byte offset of each object, by object number − 1; `None` until written.
    offsets: Vec<Option<u64>>,
    pages_id: u32,
    page_ids: Vec<u32>,
    /// The text layer's font, once written (one copy serves every page).
    font_id: Option<u32>,
    /// Feeds the file identifier: a digest of what was written.
    digest: std::collections::hash_map::DefaultHasher,
}

impl<W: Write> std::fmt::Debug for PdfWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PdfWriter({} pages)", self.page_ids.len())
    }
}

impl<W: Write> PdfWriter<W> {
    pub fn new(inner: W) -> io::Result<Self> {
        let mut out = Counting { inner, written: 0 };
        // The comment's bytes above 127 mark the file as binary (PDF/A-2 6.1.2).
        out.write_all(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        let mut writer = Self {
            out,
            offsets: Vec::new(),
            pages_id: 0,
            page_ids: Vec::new(),
            font_id: None,
            digest: std::collections::hash_map::DefaultHasher::new(),
        };
        writer.pages_id = writer.reserve();
        Ok(writer)
    }

    fn reserve(&mut self) -> u32 {
        self.offsets.push(None);
        self.offsets.len() as u32
    }

    fn begin(&mut self, id: u32) -> io::Result<()> {
        self.offsets[id as usize - 1] = Some(self.out.written);
        writeln!(self.out, "{id} 0 obj")
    }

    fn object(&mut self, id: u32, body: &str) -> io::Result<()> {
        self.begin(id)?;
        self.out.write_all(body.as_bytes())?;
        self.out.write_all(b"\nendobj\n")
    }

    fn stream(&mut self, id: u32, dict: &str, data: &[u8]) -> io::Result<()> {
        self.begin(id)?;
        write!(self.out, "<< {dict} /Length {} >>\nstream\n", data.len())?;
        self.out.write_all(data)?;
        self.out.write_all(b"\nendstream\nendobj\n")
    }

    /// Writes one page showing its image at its placement, with its text layer if it has one.
    pub fn add_page(&mut self, page: &PageContent) -> io::Result<()> {
        let (image, placement) = (&page.image, &page.placement);
        let image_id = self.reserve();
        let (colour_space, bits, filter) = match image.coding {
            ImageCoding::CcittG4 => (
                "/DeviceGray",
                1,
                format!(
                    "/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns {} /Rows {} /BlackIs1 false >>",
                    image.width, image.height
                ),
            ),
            // Embedded organisation, no globals (PDF 32000-1 7.4.7). The filter's output has 0
            // for black like G4 with /BlackIs1 false, so no /Decode array is needed. PDF/A-2
            // allows every Table 6 filter but LZW (and Crypt), so JBIG2Decode is fine.
            ImageCoding::Jbig2Generic | ImageCoding::Jbig2Text => {
                ("/DeviceGray", 1, "/Filter /JBIG2Decode".to_owned())
            }
            ImageCoding::JpegGray => ("/DeviceGray", 8, "/Filter /DCTDecode".to_owned()),
            ImageCoding::JpegRgb => ("/DeviceRGB", 8, "/Filter /DCTDecode".to_owned()),
        };
        let dict = format!(
            "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {colour_space} \
             /BitsPerComponent {bits} /Interpolate false {filter}",
            image.width, image.height
        );
        self.stream(image_id, &dict, &image.bytes)?;
        image.bytes.len().hash(&mut self.digest);
        image.bytes[..image.bytes.len().min(4096)].hash(&mut self.digest);

        let mut content = format!(
            "q {:.3} 0 0 {:.3} {:.3} {:.3} cm /Im0 Do Q",
            placement.width, placement.height, placement.x, placement.y
        );
        let mut fonts = String::new();
        if let Some(text) = page.text.as_ref().filter(|t| !t.layer.words.is_empty()) {
            let font_id = self.text_font(&text.font)?;
            fonts = format!(" /Font << /F0 {font_id} 0 R >>");
            content.push('\n');
            content.push_str(&text.layer.operators(placement, text.font.advance()));
        }
        let content_id = self.reserve();
        self.stream(content_id, "", content.as_bytes())?;

        let page_id = self.reserve();
        let body = format!(
            "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 {:.3} {:.3}] \
             /Resources << /XObject << /Im0 {image_id} 0 R >>{fonts} >> /Contents {content_id} 0 R >>",
            self.pages_id, placement.sheet_width, placement.sheet_height
        );
        self.object(page_id, &body)?;
        self.page_ids.push(page_id);
        Ok(())
    }

    pub fn page_count(&self) -> usize {
        self.page_ids.len()
    }

    /// Writes the page tree, bookmarks, page labels (`document-page`, e.g. `2-1` for the
    /// first page of the second document), metadata and trailer, and returns the sink.
    pub fn finish(mut self, info: &DocumentInfo, bookmarks: &[Bookmark]) -> io::Result<W> {
        self.write_end(info, bookmarks)?;
        Ok(self.out.inner)
    }

    /// The exact size the file would have if `pages` were added and it were then finished
    /// with `bookmarks`; nothing is written. Splitting a bundle at a size limit needs it.
    pub fn size_with(
        &self,
        pages: &[&PageContent],
        info: &DocumentInfo,
        bookmarks: &[Bookmark],
    ) -> io::Result<u64> {
        let mut dry = PdfWriter {
            out: Counting {
                inner: io::sink(),
                written: self.out.written,
            },
            offsets: self.offsets.clone(),
            pages_id: self.pages_id,
            page_ids: self.page_ids.clone(),
            font_id: self.font_id,
            digest: self.digest.clone(),
        };
        for page in pages {
            dry.add_page(page)?;
        }
        dry.write_end(info, bookmarks)?;
        Ok(dry.out.written)
    }

    fn write_end(&mut self, info: &DocumentInfo, bookmarks: &[Bookmark]) -> io::Result<()> {
        let kids: Vec<String> = self.page_ids.iter().map(|id| format!("{id} 0 R")).collect();
        let pages_body = format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            self.page_ids.len()
        );
        self.object(self.pages_id, &pages_body)?;

        let icc_id = self.reserve();
        self.stream(icc_id, "/N 3", &icc::srgb_profile())?;

        let xmp = xmp::packet(
            &info.producer,
            &info.creator,
            info.title.as_deref(),
            &info.created,
        );
        let meta_id = self.reserve();
        self.stream(meta_id, "/Type /Metadata /Subtype /XML", xmp.as_bytes())?;

        let outlines = self.write_outline(bookmarks)?;

        let mut labels = String::new();
        for b in bookmarks {
            labels = format!(
                "{labels}{} << /S /D /P {} >> ",
                b.first_page,
                text_string(&format!("{}-", b.document))
            );
        }

        let catalog_id = self.reserve();
        let mut catalog = format!(
            "<< /Type /Catalog /Pages {} 0 R /Metadata {meta_id} 0 R \
             /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 \
             /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) \
             /RegistryName (http://www.color.org) /DestOutputProfile {icc_id} 0 R >>]",
            self.pages_id
        );
        if !labels.is_empty() {
            catalog = format!("{catalog} /PageLabels << /Nums [{labels}] >>");
        }
        if let Some(outlines) = outlines {
            catalog = format!("{catalog} /Outlines {outlines} 0 R /PageMode /UseOutlines");
        }
        catalog.push_str(" >>");
        self.object(catalog_id, &catalog)?;

        let info_id = self.reserve();
        let date = info.created.pdf();
        let mut info_body = format!(
            "<< /Producer {} /Creator {} /CreationDate ({date}) /ModDate ({date})",
            text_string(&info.producer),
            text_string(&info.creator)
        );
        if let Some(title) = &info.title {
            info_body = format!("{info_body} /Title {}", text_string(title));
        }
        info_body.push_str(" >>");
        self.object(info_id, &info_body)?;

        let xref_at = self.out.written;
        write!(
            self.out,
            "xref\n0 {}\n0000000000 65535 f\r\n",
            self.offsets.len() + 1
        )?;
        for offset in &self.offsets {
            let offset = offset
                .ok_or_else(|| io::Error::other("an object was reserved but never written"))?;
            write!(self.out, "{offset:010} 00000 n\r\n")?;
        }
        date.hash(&mut self.digest);
        self.page_ids.len().hash(&mut self.digest);
        let a = self.digest.finish();
        a.hash(&mut self.digest);
        let id = format!("{a:016x}{:016x}", self.digest.finish());
        write!(
            self.out,
            "trailer\n<< /Size {} /Root {catalog_id} 0 R /Info {info_id} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref_at}\n%%EOF\n",
            self.offsets.len() + 1
        )?;
        self.out.flush()
    }

    fn write_outline(&mut self, bookmarks: &[Bookmark]) -> io::Result<Option<u32>> {
        if bookmarks.is_empty() {
            return Ok(None);
        }
        let root = self.reserve();
        let ids: Vec<u32> = bookmarks.iter().map(|_| self.reserve()).collect();
        for (i, b) in bookmarks.iter().enumerate() {
            let page = self.page_ids.get(b.first_page).copied().ok_or_else(|| {
                io::Error::other(format!("bookmark '{}' points past the last page", b.title))
            })?;
            let mut body = format!(
                "<< /Title {} /Parent {root} 0 R /Dest [{page} 0 R /Fit]",
                text_string(&b.title)
            );
            if i > 0 {
                body = format!("{body} /Prev {} 0 R", ids[i - 1]);
            }
            if i + 1 < ids.len() {
                body = format!("{body} /Next {} 0 R", ids[i + 1]);
            }
            body.push_str(" >>");
            self.object(ids[i], &body)?;
        }
        let body = format!(
            "<< /Type /Outlines /First {} 0 R /Last {} 0 R /Count {} >>",
            ids[0],
            ids[ids.len() - 1],
            ids.len()
        );
        self.object(root, &body)?;
        Ok(Some(root))
    }
}

/// A PDF text string: a literal for printable ASCII, else UTF-16BE with a byte order mark.
pub fn text_string(s: &str) -> String {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('(');
        for c in s.chars() {
            if matches!(c, '(' | ')' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push(')');
        out
    } else {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut out = String::from("<FEFF");
        for unit in s.encode_utf16() {
            for shift in [12, 8, 4, 0] {
                out.push(char::from(HEX[usize::from((unit >> shift) & 0xF)]));
            }
        }
        out.push('>');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_escape_or_go_to_utf16() {
        assert_eq!(text_string("a(b)\\"), "(a\\(b\\)\\\\)");
        assert_eq!(text_string("证"), "<FEFF8BC1>");
    }

    #[test]
    fn placement_keeps_true_size_when_known_and_fits_otherwise() {
        // A 300 dpi A5 scan keeps its size, centred on A4.
        let a5 = Placement::fit(1748.0, 2480.0, Some(300.0), PaperSize::A4);
        assert!((a5.width - 419.5).abs() < 0.5 && (a5.dpi_of(1748.0) - 300.0).abs() < 0.5);
        assert!((a5.x - (595.276 - a5.width) / 2.0).abs() < 1e-9);
        // A Letter scan is shrunk onto A4 rather than hanging over its edge.
        let letter = Placement::fit(2550.0, 3300.0, Some(300.0), PaperSize::A4);
        assert!(letter.width <= 595.276 + 1e-9);
        // Without a resolution, content fills the sheet; wide content turns it landscape.
        let wide = Placement::fit(3000.0, 2000.0, None, PaperSize::A4);
        assert!((wide.sheet_width - 841.89).abs() < 1e-9);
        assert!((wide.width - 841.89).abs() < 1e-6 || (wide.height - 595.276).abs() < 1e-6);
    }

    #[test]
    fn a_written_file_has_a_consistent_cross_reference_table() {
        let mut w = PdfWriter::new(Vec::new()).expect("in memory");
        let image = EncodedImage {
            width: 8,
            height: 1,
            coding: ImageCoding::JpegGray,
            bytes: vec![0xFF, 0xD8, 0xFF, 0xD9],
        };
        let page = PageContent {
            image,
            placement: Placement::fit(8.0, 1.0, None, PaperSize::A4),
            text: None,
        };
        let info = DocumentInfo {
            title: Some("证据".into()),
            producer: "p".into(),
            creator: "c".into(),
            created: xmp::CivilTime::from_system(std::time::UNIX_EPOCH),
        };
        let bookmarks = [Bookmark {
            title: "a.jpg".into(),
            first_page: 0,
            document: 1,
        }];
        let projected = w.size_with(&[&page], &info, &bookmarks).expect("in memory");
        w.add_page(&page).expect("in memory");
        assert_eq!(
            w.size_with(&[], &info, &bookmarks).expect("in memory"),
            projected
        );
        let bytes = w.finish(&info, &bookmarks).expect("in memory");
        assert_eq!(projected, bytes.len() as u64, "the projected size is exact");
        // Bytes above 127 (the binary comment) become '?' so that offsets stay byte offsets.
        let ascii: Vec<u8> = bytes
            .iter()
            .map(|&b| if b < 128 { b } else { b'?' })
            .collect();
        let text = String::from_utf8(ascii).expect("ascii");
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref");
        assert!(text[startxref..].starts_with("xref\n"));
        // Every listed offset points at the start of its object.
        let table = &text[startxref..];
        for (i, line) in table
            .lines()
            .skip(3)
            .take_while(|l| !l.starts_with("trailer"))
            .enumerate()
        {
            let offset: usize = line[..10].parse().expect("offset");
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "object {}",
                i + 1
            );
        }
    }
}
