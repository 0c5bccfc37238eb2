//! Lossless JBIG2 (ITU-T T.88) for bilevel pages, in two codings; `encode` keeps the smaller.
//!
//! - `encode_lossless`: one immediate lossless generic region covering the page, arithmetic
//!   coded with template 0 and typical prediction (6.2).
//! - `encode_symbols`: the page's glyph-sized 8-connected components (`components`) grouped
//!   into classes of about equal size and shape (`symbols`); one symbol dictionary (6.5) holds
//!   each class's pixel-wise majority, and one text region (6.4) places every component,
//!   either as its symbol when it is exactly that (RI = 0) or refined from it to its own
//!   pixels (RI = 1, generic refinement template 0, `refine`). What is larger than a glyph
//!   (rules, frames, pictures) goes into a generic region over its box.
//!
//! Both are lossless: the decoded page is the bitmap, pixel for pixel. There is no symbol
//! substitution, so no character can be swapped for a look-alike; the dictionary only makes
//! the refinement of each instance cheap. `encode_symbols` rebuilds the page from exactly what
//! it will place before coding anything, and gives up (the generic region is used) if that is
//! not the page.
//!
//! Measured on the benchmark's text pages (docs/benchmarks.md): the symbol coding's image
//! data is 19–41 % smaller than the generic region's, and handwriting stays generic (too
//! little repeats). Refinement is most of it: on the Letter scan, 3 825 instances of 342
//! symbols take 9.4 KB of dictionary (27 bytes a symbol), about 7.4 KB of positions, IDs and
//! sizes (2 bytes an instance) and about 39 KB of refinement (11 bytes for each of the 3 655
//! refined instances), because a 300 dpi scan's glyph edges differ from any prototype by a few
//! pixels each, and those pixels are information a lossless coder must keep.
//!
//! The output is the embedded organisation PDF's `/JBIG2Decode` takes (PDF 32000-1 7.4.7):
//! no file header, no end-of-page or end-of-file segment, page association 1, no globals.

mod components;
mod generic;
mod integer;
mod mq;
mod refine;
mod segments;
mod symbols;
mod text;

use components::{Component, Shape};
use text::Placement;

/// A bilevel image packed 8 pixels a byte, most significant bit first, rows padded to whole
/// bytes; 1 is black (ink), as in JBIG2.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Bitmap {
    width: u32,
    height: u32,
    stride: usize,
    bits: Vec<u8>,
}

impl Bitmap {
    pub(crate) fn new(width: u32, height: u32) -> Self {
        let stride = (width as usize).div_ceil(8);
        Self {
            width,
            height,
            stride,
            bits: Vec::with_capacity(stride * height as usize),
        }
    }

    /// An all-white bitmap with every row present.
    fn blank(width: u32, height: u32) -> Self {
        let stride = (width as usize).div_ceil(8);
        Self {
            width,
            height,
            stride,
            bits: vec![0; stride * height as usize],
        }
    }

    /// ORs `shape` into the bitmap with its top-left corner at (x, y); it must fit.
    fn draw(&mut self, shape: &Shape, x: u32, y: u32) {
        for sy in 0..shape.height {
            let Some(words) = shape.row_words(i64::from(sy)) else {
                continue;
            };
            let line = (y + sy) as usize * self.stride;
            // Only the ink pixels, found a word at a time.
            for (i, &word) in words.iter().enumerate() {
                let mut rest = word;
                while rest != 0 {
                    let px = x as usize + i * 64 + rest.trailing_zeros() as usize;
                    self.bits[line + px / 8] |= 0x80 >> (px % 8);
                    rest &= rest - 1;
                }
            }
        }
    }

    /// Appends the next row, `true` meaning ink. Rows beyond `height` are a caller bug.
    pub(crate) fn push_row(&mut self, row: &[bool]) {
        debug_assert_eq!(row.len(), self.width as usize);
        debug_assert!(self.bits.len() < self.stride * self.height as usize);
        for chunk in row.chunks(8) {
            let byte = chunk
                .iter()
                .enumerate()
                .fold(0u8, |b, (i, &ink)| b | (u8::from(ink) << (7 - i)));
            self.bits.push(byte);
        }
    }

    /// The packed rows (`height` rows of `stride` bytes once every row is pushed).
    pub(crate) fn packed(&self) -> &[u8] {
        &self.bits
    }

    fn row(&self, y: usize) -> &[u8] {
        &self.bits[y * self.stride..(y + 1) * self.stride]
    }

    /// Writes row `y` one byte a pixel (0 or 1) into `out`, which is `width` long.
    fn unpack_row(&self, y: usize, out: &mut [u8]) {
        for (pixels, &byte) in out.chunks_mut(8).zip(self.row(y)) {
            for (i, pixel) in pixels.iter_mut().enumerate() {
                *pixel = (byte >> (7 - i)) & 1;
            }
        }
    }
}

/// Codes a complete bitmap as a JBIG2 stream for `/JBIG2Decode`.
pub(crate) fn encode_lossless(bitmap: &Bitmap) -> Vec<u8> {
    assert_eq!(
        bitmap.bits.len(),
        bitmap.stride * bitmap.height as usize,
        "every row pushed before coding"
    );
    let data = generic::encode(bitmap);
    segments::page_stream(bitmap.width, bitmap.height, &data)
}

/// Whether a component is small enough to be coded as a symbol: a character, not a rule,
/// a frame or a picture, which the generic region codes better than a dictionary would.
fn glyph_sized(component: &Component, page: &Bitmap) -> bool {
    component.shape.width <= (page.width / 8).max(8)
        && component.shape.height <= (page.height / 8).max(8)
}

/// Codes a complete bitmap as a symbol dictionary of its glyph-sized components, a text
/// region that places each of them refined to its exact pixels, and a generic region for the
/// rest (T.88 6.5, 6.4, 6.3, 6.2). Returns `None` when the page has no glyph-sized component,
/// or if the pieces would not rebuild the page exactly, which is checked before anything is
/// coded.
pub(crate) fn encode_symbols(bitmap: &Bitmap) -> Option<Vec<u8>> {
    assert_eq!(
        bitmap.bits.len(),
        bitmap.stride * bitmap.height as usize,
        "every row pushed before coding"
    );
    let (glyphs, large): (Vec<Component>, Vec<Component>) = components::components(bitmap)
        .into_iter()
        .partition(|c| glyph_sized(c, bitmap));
    if glyphs.is_empty() {
        return None;
    }
    let classes = symbols::classify(&glyphs);
    // Dictionary order: by height, then width, as height classes are coded (6.5.5).
    let mut order: Vec<usize> = (0..classes.len()).collect();
    order.sort_by_key(|&c| (classes[c].symbol.height, classes[c].symbol.width));
    let mut index = vec![0; classes.len()];
    for (i, &c) in order.iter().enumerate() {
        index[c] = i;
    }
    let symbols: Vec<&Shape> = order.iter().map(|&c| &classes[c].symbol).collect();
    let mut placements: Vec<Placement<'_>> = Vec::with_capacity(glyphs.len());
    for (c, class) in classes.iter().enumerate() {
        for (&m, &offset) in class.members.iter().zip(&class.offsets) {
            let glyph = &glyphs[m];
            placements.push(Placement {
                x: glyph.x,
                y: glyph.y,
                symbol: index[c],
                refined: (glyph.shape != class.symbol).then_some(&glyph.shape),
                offset,
            });
        }
    }

    // The hard invariant: what the decoder will OR together is the page, pixel for pixel.
    let mut rebuilt = Bitmap::blank(bitmap.width, bitmap.height);
    for p in &placements {
        rebuilt.draw(p.refined.unwrap_or(symbols[p.symbol]), p.x, p.y);
    }
    for c in &large {
        rebuilt.draw(&c.shape, c.x, c.y);
    }
    if rebuilt.bits != bitmap.bits {
        debug_assert!(
            false,
            "symbol instances and the rest do not rebuild the page"
        );
        return None;
    }

    let dictionary = symbols::dictionary(&symbols);
    let text = text::region(bitmap.width, bitmap.height, &symbols, &mut placements);
    let rest = (!large.is_empty()).then(|| {
        let x0 = large.iter().map(|c| c.x).min().unwrap_or(0);
        let y0 = large.iter().map(|c| c.y).min().unwrap_or(0);
        let x1 = large.iter().map(|c| c.x + c.shape.width).max().unwrap_or(0);
        let y1 = large
            .iter()
            .map(|c| c.y + c.shape.height)
            .max()
            .unwrap_or(0);
        let mut region = Bitmap::blank(x1 - x0, y1 - y0);
        for c in &large {
            region.draw(&c.shape, c.x - x0, c.y - y0);
        }
        (x0, y0, region)
    });
    let coded = rest.as_ref().map(|(_, _, region)| generic::encode(region));
    let generic = rest
        .as_ref()
        .zip(coded.as_deref())
        .map(|((x, y, region), coded)| segments::GenericRegion {
            x: *x,
            y: *y,
            width: region.width,
            height: region.height,
            coded,
        });
    Some(segments::symbol_page_stream(
        bitmap.width,
        bitmap.height,
        &dictionary,
        &text,
        generic.as_ref(),
    ))
}

/// Decodes a stream of `encode_lossless` with the test-only decoder, into rows of 0/1. The
/// layout is fixed: page information (11 + 19 bytes), then the region's header (11), its
/// information and generic flags (17 + 1 + 8 bytes) and the coded data.
#[cfg(test)]
pub(crate) fn decode_lossless(stream: &[u8], width: u32, height: u32) -> Vec<Vec<u8>> {
    generic::decode(&stream[11 + 19 + 11 + 26..], width, height)
}

#[cfg(test)]
mod symbol_tests;
#[cfg(test)]
mod tests;
