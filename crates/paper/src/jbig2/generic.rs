//! Generic region coding (T.88 6.2) with MMR = 0, GBTEMPLATE = 0 at the nominal adaptive pixels
//! and typical prediction (TPGDON = 1): every pixel is coded in the context of the 16 pixels of
//! Figure 3 that precede it, and a row equal to the one above costs one decision.

use super::Bitmap;
use super::components::Shape;
use super::mq::{Context, MqEncoder};

/// The nominal adaptive template pixels for GBTEMPLATE = 0 (6.2.5.3, Figure 7), as (x, y)
/// offsets: A1, A2, A3, A4. The segment header repeats them and the context below assumes them.
pub(crate) const NOMINAL_AT: [(i8, i8); 4] = [(3, -1), (-3, -1), (2, -2), (-2, -2)];

/// The context of the "this row is a copy of the one above" decision for template 0 (6.2.5.7).
/// It is shared with the pixel context of the same value, so the pixel contexts must be numbered
/// exactly as 6.2.5.3 numbers them for a decoder to follow.
pub(crate) const SLTP_CONTEXT: usize = 0x9B25;

/// Left and right margin of the unpacked rows: the template reaches four pixels either side.
const PAD: usize = 4;

/// Codes `bitmap` and returns the arithmetic-coded data (ending in 0xFF 0xAC).
///
/// The context of pixel (x, y), bit 15 first: A4 (x−2, y−2); (x−1..x+1, y−2) as bits 14..12;
/// A3 (x+2, y−2); A2 (x−3, y−1); (x−2..x+2, y−1) as bits 9..5; A1 (x+3, y−1); (x−4..x−1, y)
/// as bits 3..0. Within each row the pixel further right has the lower bit, so each row's part
/// is a shift register that takes in one new pixel per step.
pub(crate) fn encode(bitmap: &Bitmap) -> Vec<u8> {
    let width = bitmap.width as usize;
    let mut contexts: Vec<Context> = vec![0; 1 << 16];
    let mut coder = MqEncoder::new(bitmap.packed().len() / 16);
    // Rows y−2, y−1 and y, one byte a pixel, zero outside the bitmap.
    let mut above2 = vec![0u8; width + 2 * PAD];
    let mut above1 = vec![0u8; width + 2 * PAD];
    let mut current = vec![0u8; width + 2 * PAD];
    let mut was_typical = false;
    for y in 0..bitmap.height as usize {
        // 6.2.5.7: a row is "typical" when it equals the row above; above row 0 is all white.
        let typical = if y == 0 {
            bitmap.row(0).iter().all(|&b| b == 0)
        } else {
            bitmap.row(y) == bitmap.row(y - 1)
        };
        coder.encode(
            &mut contexts[SLTP_CONTEXT],
            u8::from(typical != was_typical),
        );
        was_typical = typical;
        std::mem::swap(&mut above2, &mut above1);
        std::mem::swap(&mut above1, &mut current);
        bitmap.unpack_row(y, &mut current[PAD..PAD + width]);
        if typical {
            continue;
        }
        code_row(&mut coder, &mut contexts, &above2, &above1, &current, width);
    }
    coder.finish()
}

/// Codes one row of pixels in its template 0 contexts, given the two rows above; each row is
/// one byte a pixel with `PAD` zero pixels either side.
fn code_row(
    coder: &mut MqEncoder,
    contexts: &mut [Context],
    above2: &[u8],
    above1: &[u8],
    current: &[u8],
    width: usize,
) {
    // Each window holds the pixels of the previous step; bit 0 is the rightmost.
    let mut row1 =
        u32::from(above1[PAD]) << 2 | u32::from(above1[PAD + 1]) << 1 | u32::from(above1[PAD + 2]);
    let mut row2 = u32::from(above2[PAD]) << 1 | u32::from(above2[PAD + 1]);
    let mut row0 = 0u32;
    for x in 0..width {
        row1 = ((row1 << 1) | u32::from(above1[PAD + x + 3])) & 0x7F;
        row2 = ((row2 << 1) | u32::from(above2[PAD + x + 2])) & 0x1F;
        let cx = (row2 << 11 | row1 << 4 | row0) as usize;
        let pixel = current[PAD + x];
        coder.encode(&mut contexts[cx], pixel);
        row0 = ((row0 << 1) | u32::from(pixel)) & 0xF;
    }
}

/// The template 0 contexts a symbol dictionary shares among all its symbol bitmaps.
pub(crate) fn symbol_contexts() -> Vec<Context> {
    vec![0; 1 << 16]
}

/// Codes one symbol bitmap as a dictionary does (6.5.8.1): template 0 at the nominal adaptive
/// pixels, no typical prediction, in `contexts` carried over from the symbols before it.
pub(crate) fn encode_symbol(coder: &mut MqEncoder, contexts: &mut [Context], shape: &Shape) {
    let width = shape.width as usize;
    let mut above2 = vec![0u8; width + 2 * PAD];
    let mut above1 = vec![0u8; width + 2 * PAD];
    let mut current = vec![0u8; width + 2 * PAD];
    for y in 0..shape.height as usize {
        std::mem::swap(&mut above2, &mut above1);
        std::mem::swap(&mut above1, &mut current);
        shape.unpack_row(y, &mut current[PAD..PAD + width]);
        code_row(coder, contexts, &above2, &above1, &current, width);
    }
}

/// The generic region decoding procedure of 6.2.5 for the same parameters, written pixel by
/// pixel from the template so that it checks the encoder's shift registers.
#[cfg(test)]
pub(crate) fn decode(data: &[u8], width: u32, height: u32) -> Vec<Vec<u8>> {
    let mut contexts: Vec<Context> = vec![0; 1 << 16];
    let mut decoder = super::mq::MqDecoder::new(data);
    decode_with(&mut decoder, &mut contexts, width, height, true)
}

/// The same procedure with the decoder and contexts given, as a symbol dictionary runs it for
/// each symbol (`typical` = TPGDON).
#[cfg(test)]
pub(crate) fn decode_with(
    decoder: &mut super::mq::MqDecoder<'_>,
    contexts: &mut [Context],
    width: u32,
    height: u32,
    typical: bool,
) -> Vec<Vec<u8>> {
    let (w, h) = (i64::from(width), i64::from(height));
    let mut rows: Vec<Vec<u8>> = Vec::with_capacity(height as usize);
    let mut ltp = 0u8;
    for y in 0..h {
        if typical {
            ltp ^= decoder.decode(&mut contexts[SLTP_CONTEXT]);
        }
        if ltp == 1 {
            let copy = rows
                .last()
                .cloned()
                .unwrap_or_else(|| vec![0; width as usize]);
            rows.push(copy);
            continue;
        }
        let mut row = vec![0u8; width as usize];
        for x in 0..w {
            let at = |dx: i64, dy: i64, row: &[u8]| -> usize {
                let (px, py) = (x + dx, y + dy);
                if px < 0 || px >= w || py < 0 {
                    return 0;
                }
                usize::from(if dy == 0 {
                    row[px as usize]
                } else {
                    rows[py as usize][px as usize]
                })
            };
            let [a1, a2, a3, a4] = NOMINAL_AT.map(|(dx, dy)| (i64::from(dx), i64::from(dy)));
            let cx = at(a4.0, a4.1, &row) << 15
                | at(-1, -2, &row) << 14
                | at(0, -2, &row) << 13
                | at(1, -2, &row) << 12
                | at(a3.0, a3.1, &row) << 11
                | at(a2.0, a2.1, &row) << 10
                | at(-2, -1, &row) << 9
                | at(-1, -1, &row) << 8
                | at(0, -1, &row) << 7
                | at(1, -1, &row) << 6
                | at(2, -1, &row) << 5
                | at(a1.0, a1.1, &row) << 4
                | at(-4, 0, &row) << 3
                | at(-3, 0, &row) << 2
                | at(-2, 0, &row) << 1
                | at(-1, 0, &row);
            row[x as usize] = decoder.decode(&mut contexts[cx]);
        }
        rows.push(row);
    }
    rows
}
