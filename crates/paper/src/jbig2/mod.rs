//! Lossless JBIG2 (ITU-T T.88) for bilevel pages: one page information segment and one
//! immediate lossless generic region covering the page, arithmetic coded with template 0 and
//! typical prediction. No symbol dictionaries and no refinement: what is coded is exactly the
//! bitmap, pixel for pixel, so no character can be swapped for a look-alike.
//!
//! The output is the embedded organisation PDF's `/JBIG2Decode` takes (PDF 32000-1 7.4.7):
//! no file header, no end-of-page or end-of-file segment, page association 1, no globals.

mod generic;
mod mq;
mod segments;

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

/// Decodes a stream of `encode_lossless` with the test-only decoder, into rows of 0/1. The
/// layout is fixed: page information (11 + 19 bytes), then the region's header (11), its
/// information and generic flags (17 + 1 + 8 bytes) and the coded data.
#[cfg(test)]
pub(crate) fn decode_lossless(stream: &[u8], width: u32, height: u32) -> Vec<Vec<u8>> {
    generic::decode(&stream[11 + 19 + 11 + 26..], width, height)
}

#[cfg(test)]
mod tests;
