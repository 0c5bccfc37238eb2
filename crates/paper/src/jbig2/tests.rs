//! Round trips through the test-only decoder of `generic` and `mq`; the integration tests decode
//! the same streams with jbig2dec and poppler as well.

use super::*;

/// A fixed pseudo-random source (xorshift) so every run codes the same images.
pub(super) struct Noise(pub(super) u32);

impl Noise {
    pub(super) fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

pub(super) fn bitmap_from(width: u32, height: u32, ink: impl Fn(u32, u32) -> bool) -> Bitmap {
    let mut bitmap = Bitmap::new(width, height);
    for y in 0..height {
        let row: Vec<bool> = (0..width).map(|x| ink(x, y)).collect();
        bitmap.push_row(&row);
    }
    bitmap
}

/// Splits a stream into (type, page association, data) per segment, checking the headers.
fn segments(stream: &[u8]) -> Vec<(u8, u8, &[u8])> {
    let mut out = Vec::new();
    let mut rest = stream;
    let mut number = 0u32;
    while !rest.is_empty() {
        assert_eq!(rest[..4], number.to_be_bytes(), "segment numbers count up");
        let (kind, referred, page) = (rest[4], rest[5], rest[6]);
        assert_eq!(referred, 0, "no referred-to segments");
        let length = u32::from_be_bytes(rest[7..11].try_into().expect("4 bytes")) as usize;
        out.push((kind, page, &rest[11..11 + length]));
        rest = &rest[11 + length..];
        number += 1;
    }
    out
}

/// Encodes, checks the segment layout and decodes the region back into rows of 0/1.
fn round_trip(bitmap: &Bitmap) -> Vec<Vec<u8>> {
    let stream = encode_lossless(bitmap);
    let segs = segments(&stream);
    assert_eq!(
        segs.len(),
        2,
        "page information and one region, nothing else"
    );
    let (kind, page, info) = segs[0];
    assert_eq!((kind, page), (48, 1));
    assert_eq!(info[..4], bitmap.width.to_be_bytes());
    assert_eq!(info[4..8], bitmap.height.to_be_bytes());
    let (kind, page, region) = segs[1];
    assert_eq!((kind, page), (39, 1));
    assert_eq!(region[..4], bitmap.width.to_be_bytes());
    assert_eq!(region[4..8], bitmap.height.to_be_bytes());
    assert_eq!(region[17], 0b1000, "template 0 with typical prediction");
    assert_eq!(&region[18..26], &[3, 0xFF, 0xFD, 0xFF, 2, 0xFE, 0xFE, 0xFE]);
    generic::decode(&region[26..], bitmap.width, bitmap.height)
}

fn assert_round_trips(bitmap: &Bitmap) {
    let rows = round_trip(bitmap);
    assert_eq!(rows.len(), bitmap.height as usize);
    let mut unpacked = vec![0u8; bitmap.width as usize];
    for (y, row) in rows.iter().enumerate() {
        bitmap.unpack_row(y, &mut unpacked);
        assert_eq!(
            row, &unpacked,
            "row {y} of {}x{}",
            bitmap.width, bitmap.height
        );
    }
}

#[test]
fn random_bitmaps_of_awkward_widths_round_trip() {
    let mut noise = Noise(0x1234_5678);
    for (w, h) in [
        (1, 1),
        (1, 9),
        (9, 1),
        (7, 5),
        (13, 17),
        (64, 3),
        (101, 40),
        (333, 21),
    ] {
        let cells: Vec<bool> = (0..w * h).map(|_| noise.next().is_multiple_of(3)).collect();
        assert_round_trips(&bitmap_from(w, h, |x, y| cells[(y * w + x) as usize]));
    }
}

#[test]
fn uniform_pages_round_trip_and_white_costs_almost_nothing() {
    for (w, h) in [(1, 1), (17, 3), (2480, 60)] {
        let white = bitmap_from(w, h, |_, _| false);
        assert_round_trips(&white);
        assert_round_trips(&bitmap_from(w, h, |_, _| true));
        // Every row is a copy of the one above: one decision a row.
        let region = segments(&encode_lossless(&white))[1].2.len();
        assert!(region < 26 + 12, "white {w}x{h} took {region} bytes");
    }
}

#[test]
fn text_like_bitmap_with_repeated_rows_round_trips_and_beats_raw_bits() {
    // Strokes and blocks like glyphs, lines repeated in runs (what typical prediction skips),
    // and a few specks.
    let (w, h) = (611u32, 257u32);
    let mut noise = Noise(99);
    let specks: Vec<(u32, u32)> = (0..40)
        .map(|_| (noise.next() % w, noise.next() % h))
        .collect();
    let bitmap = bitmap_from(w, h, |x, y| {
        let line = y % 32;
        let glyph = (x / 11) % 7 != 3 && (6..22).contains(&line);
        let stroke = glyph && ((x % 11 < 2) || (line % 8 < 2 && x % 11 < 8));
        stroke || ((240..244).contains(&y) && (21..590).contains(&x)) || specks.contains(&(x, y))
    });
    assert_round_trips(&bitmap);
    let stream = encode_lossless(&bitmap);
    assert!(
        stream.len() * 8 < bitmap.packed().len(),
        "{} bytes coded from {} raw",
        stream.len(),
        bitmap.packed().len()
    );
}

#[test]
fn a_row_equal_to_the_one_above_after_ink_is_still_exact() {
    // Alternating typical and non-typical rows flip LTP both ways, from the first row on.
    let bitmap = bitmap_from(23, 12, |x, y| match y {
        0 | 1 => false,
        2..=4 => x % 3 == 0,
        5 => x == 22,
        6 | 7 => x == 0,
        _ => (x + y) % 5 == 0,
    });
    assert_round_trips(&bitmap);
}
