//! Symbol-coded pages decoded back by a test-only decoder written from T.88 6.5 (dictionary),
//! 6.4 (text region) and 6.3 (refinement), pixel for pixel against the page that was coded.
//! The integration tests decode the same streams of real pages with jbig2dec and poppler.

use super::integer::{IntegerContexts, SymbolIdContexts};
use super::mq::MqDecoder;
use super::tests::{Noise, bitmap_from};
use super::*;

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes(b[..4].try_into().expect("4 bytes"))
}

fn shape_from_rows(rows: &[Vec<u8>], width: u32) -> Shape {
    let mut shape = Shape::new(width, rows.len() as u32);
    for (y, row) in rows.iter().enumerate() {
        for (x, &p) in row.iter().enumerate() {
            if p == 1 {
                shape.set(x as u32, y as u32);
            }
        }
    }
    shape
}

/// What the decoder met on the way, for the tests to check the encoder's choices.
#[derive(Default, Debug)]
struct Seen {
    symbols: usize,
    exact: usize,
    refined: usize,
    /// Refined instances whose symbol is not centred on them (RDX or RDY not 0).
    shifted: usize,
    generic: bool,
}

/// 6.5.5 for SDHUFF = 0, SDREFAGG = 0: height classes of symbols, then the export runs.
fn decode_dictionary(data: &[u8]) -> Vec<Shape> {
    assert_eq!(&data[..2], &[0, 0], "SDHUFF 0, SDREFAGG 0, SDTEMPLATE 0");
    assert_eq!(&data[2..10], &[3, 0xFF, 0xFD, 0xFF, 2, 0xFE, 0xFE, 0xFE]);
    let (exported, new) = (be32(&data[10..]) as usize, be32(&data[14..]) as usize);
    assert_eq!(exported, new);
    let mut decoder = MqDecoder::new(&data[18..]);
    let (mut dh, mut dw, mut ex) = (
        IntegerContexts::new(),
        IntegerContexts::new(),
        IntegerContexts::new(),
    );
    let mut contexts = generic::symbol_contexts();
    let mut symbols = Vec::new();
    let mut height = 0i32;
    while symbols.len() < new {
        height += dh.decode(&mut decoder).expect("a height, not OOB");
        let mut width = 0i32;
        while let Some(d) = dw.decode(&mut decoder) {
            width += d;
            let rows = generic::decode_with(
                &mut decoder,
                &mut contexts,
                width as u32,
                height as u32,
                false,
            );
            symbols.push(shape_from_rows(&rows, width as u32));
        }
    }
    assert_eq!(symbols.len(), new);
    assert_eq!(
        ex.decode(&mut decoder),
        Some(0),
        "no symbol left unexported"
    );
    assert_eq!(ex.decode(&mut decoder), Some(new as i32));
    symbols
}

/// 6.4.5 for SBHUFF = 0, SBREFINE = 1, REFCORNER TOPLEFT, not transposed, OR, SBDSOFFSET 0.
fn decode_text(data: &[u8], symbols: &[Shape], page: &mut Bitmap, seen: &mut Seen) {
    let (width, height) = (be32(data), be32(&data[4..]));
    assert_eq!((width, height), (page.width, page.height));
    let flags = u16::from_be_bytes([data[17], data[18]]);
    assert_eq!(flags & 0b11, 0b10, "SBHUFF 0, SBREFINE 1");
    assert_eq!((flags >> 4) & 0b111, 1, "TOPLEFT, not transposed");
    assert_eq!(
        flags >> 7,
        0,
        "OR, white default, SBDSOFFSET 0, SBRTEMPLATE 0"
    );
    let strips = 1i32 << ((flags >> 2) & 3);
    assert_eq!(&data[19..23], &[0xFF; 4], "RA1 and RA2 at (-1, -1)");
    let count = be32(&data[23..]) as usize;
    let mut d = MqDecoder::new(&data[27..]);
    let mut n: Vec<IntegerContexts> = (0..9).map(|_| IntegerContexts::new()).collect();
    let [dt, fs, ds, it, ri, rdw, rdh, rdx, rdy] = n.as_mut_slice() else {
        unreachable!("nine coders")
    };
    let mut ids = SymbolIdContexts::for_symbol_count(symbols.len());
    let mut refinement = refine::contexts();
    let mut strip_t = -dt.decode(&mut d).expect("initial STRIPT") * strips;
    let (mut first_s, mut placed) = (0i32, 0usize);
    while placed < count {
        strip_t += dt.decode(&mut d).expect("strip DT") * strips;
        let mut cur_s = None;
        loop {
            let s = match cur_s {
                None => {
                    first_s += fs.decode(&mut d).expect("DFS");
                    first_s
                }
                Some(cur) => match ds.decode(&mut d) {
                    Some(ids) => cur + ids,
                    None => break,
                },
            };
            let t = strip_t
                + if strips == 1 {
                    0
                } else {
                    it.decode(&mut d).expect("CURT")
                };
            let symbol = &symbols[ids.decode(&mut d)];
            let bitmap = if ri.decode(&mut d) == Some(0) {
                seen.exact += 1;
                symbol.clone()
            } else {
                seen.refined += 1;
                let (w, h) = (rdw.decode(&mut d), rdh.decode(&mut d));
                let (x, y) = (rdx.decode(&mut d), rdy.decode(&mut d));
                let [w, h, x, y] = [w, h, x, y].map(|v| v.expect("not OOB"));
                seen.shifted += usize::from((x, y) != (0, 0));
                let (gw, gh) = (symbol.width as i32 + w, symbol.height as i32 + h);
                let (dx, dy) = (w.div_euclid(2) + x, h.div_euclid(2) + y);
                refine::decode(
                    &mut d,
                    &mut refinement,
                    gw as u32,
                    gh as u32,
                    symbol,
                    dx,
                    dy,
                )
            };
            page.draw(&bitmap, s as u32, t as u32);
            cur_s = Some(s + bitmap.width as i32 - 1);
            placed += 1;
        }
    }
    assert_eq!(placed, count, "the strips hold SBNUMINSTANCES instances");
}

/// Decodes a stream of `encode_symbols` segment by segment onto a white page.
fn decode_page(stream: &[u8]) -> (Bitmap, Seen) {
    let mut rest = stream;
    let mut page = None;
    let mut symbols = Vec::new();
    let mut seen = Seen::default();
    let mut number = 0u32;
    while !rest.is_empty() {
        assert_eq!(be32(rest), number, "segment numbers count up");
        let kind = rest[4] & 0x3F;
        let referred = usize::from(rest[5] >> 5);
        let refs = &rest[6..6 + referred];
        assert_eq!(rest[6 + referred], 1, "page 1");
        let length = be32(&rest[7 + referred..]) as usize;
        let data = &rest[11 + referred..11 + referred + length];
        match kind {
            48 => page = Some(Bitmap::blank(be32(data), be32(&data[4..]))),
            0 => {
                assert!(refs.is_empty());
                symbols = decode_dictionary(data);
                seen.symbols = symbols.len();
            }
            6 => {
                assert_eq!(refs, &[1], "the text region uses the dictionary");
                decode_text(
                    data,
                    &symbols,
                    page.as_mut().expect("page first"),
                    &mut seen,
                );
            }
            39 => {
                seen.generic = true;
                let (w, h, x, y) = (
                    be32(data),
                    be32(&data[4..]),
                    be32(&data[8..]),
                    be32(&data[12..]),
                );
                let rows = generic::decode(&data[26..], w, h);
                let region = shape_from_rows(&rows, w);
                page.as_mut().expect("page first").draw(&region, x, y);
            }
            other => panic!("unexpected segment type {other}"),
        }
        rest = &rest[11 + referred + length..];
        number += 1;
    }
    (page.expect("a page information segment"), seen)
}

fn assert_symbols_round_trip(bitmap: &Bitmap) -> Seen {
    let stream = encode_symbols(bitmap).expect("glyph-sized components to code");
    let (page, seen) = decode_page(&stream);
    assert_eq!((page.width, page.height), (bitmap.width, bitmap.height));
    for y in 0..bitmap.height as usize {
        assert!(page.row(y) == bitmap.row(y), "row {y} differs");
    }
    seen
}

/// A few glyph designs (7–19 pixels, odd sizes) set on lines; `variant` may change pixels of
/// the n-th instance.
fn typeset(
    width: u32,
    height: u32,
    designs: &[Vec<bool>],
    sizes: &[(u32, u32)],
    variant: impl Fn(usize, u32, u32) -> bool,
) -> Bitmap {
    let mut ink = vec![false; (width * height) as usize];
    let mut n = 0;
    for line in 0..(height / 24) {
        let mut x = 3;
        let mut k = line as usize;
        while x + 20 < width {
            let design = k % designs.len();
            let (w, h) = sizes[design];
            let top = line * 24 + 2 + (20 - h);
            for gy in 0..h {
                for gx in 0..w {
                    let on = designs[design][(gy * w + gx) as usize] ^ variant(n, gx, gy);
                    ink[((top + gy) * width + x + gx) as usize] |= on;
                }
            }
            x += w + 3;
            k += 1;
            n += 1;
        }
    }
    bitmap_from(width, height, |x, y| ink[(y * width + x) as usize])
}

/// Solid blobs: one connected component each, whatever the noise inside.
fn designs(noise: &mut Noise) -> (Vec<Vec<bool>>, Vec<(u32, u32)>) {
    let sizes = vec![(7, 11), (9, 15), (13, 13), (8, 19), (11, 9)];
    let designs = sizes
        .iter()
        .map(|&(w, h)| {
            (0..w * h)
                .map(|i| {
                    let (x, y) = (i % w, i / w);
                    x == 0 || y == h - 1 || !noise.next().is_multiple_of(4)
                })
                .collect()
        })
        .collect();
    (designs, sizes)
}

#[test]
fn identical_instances_are_placed_without_refinement() {
    let mut noise = Noise(7);
    let (designs, sizes) = designs(&mut noise);
    let seen = assert_symbols_round_trip(&typeset(301, 200, &designs, &sizes, |_, _, _| false));
    assert_eq!(seen.symbols, designs.len(), "{seen:?}");
    assert_eq!(seen.refined, 0, "{seen:?}");
    assert!(seen.exact > 40, "{seen:?}");
}

#[test]
fn instances_one_pixel_off_their_symbol_are_refined_exactly() {
    let mut noise = Noise(11);
    let (designs, sizes) = designs(&mut noise);
    // Every third instance has one interior pixel flipped.
    let page = typeset(333, 170, &designs, &sizes, |n, x, y| {
        n % 3 == 1 && (x, y) == (3, 4)
    });
    let seen = assert_symbols_round_trip(&page);
    assert!(seen.refined > 10 && seen.exact > 10, "{seen:?}");
}

#[test]
fn noisy_text_with_rules_and_a_lone_glyph_round_trips() {
    let mut noise = Noise(0xBEEF);
    let (designs, sizes) = designs(&mut noise);
    // Edge noise on many instances, as a scanner leaves it.
    let flips: Vec<u32> = (0..4000).map(|_| noise.next()).collect();
    let text = typeset(517, 200, &designs, &sizes, |n, x, y| {
        let r = flips[n % flips.len()];
        (x == r % 7 && y == (r >> 8) % 5) || (n % 5 == 0 && x == 1 && y == 2)
    });
    let (w, h) = (517u32, 260u32);
    let bitmap = bitmap_from(w, h, |x, y| {
        let in_text = y < 200 && text.row(y as usize)[x as usize / 8] >> (7 - x % 8) & 1 == 1;
        // A rule across the page (large: the generic region codes it), a frame with a speck
        // inside its box, and one glyph no other resembles.
        let rule = (205..208).contains(&y) && x > 4 && x < 510;
        let frame = (215..255).contains(&y)
            && (x == 300 || x == 340 || y == 215 || y == 254)
            && (300..=340).contains(&x);
        let speck = (x, y) == (320, 230);
        let lone = (20..37).contains(&x) && (220..226).contains(&y) && (x + y) % 4 != 0;
        in_text || rule || frame || speck || lone
    });
    let seen = assert_symbols_round_trip(&bitmap);
    assert!(
        seen.generic,
        "the rule goes to the generic region: {seen:?}"
    );
    assert!(seen.refined > 0 && seen.exact > 0, "{seen:?}");
}

#[test]
fn one_glyph_alone_is_a_dictionary_of_one_with_a_zero_bit_id() {
    let bitmap = bitmap_from(13, 10, |x, y| {
        (2..9).contains(&x) && (1..8).contains(&y) && (x, y) != (5, 4)
    });
    let seen = assert_symbols_round_trip(&bitmap);
    assert_eq!((seen.symbols, seen.exact, seen.refined), (1, 1, 0));
}

#[test]
fn pages_without_glyph_sized_components_are_left_to_the_generic_region() {
    assert!(encode_symbols(&bitmap_from(200, 160, |_, _| false)).is_none());
    // One frame around the page: a single component far larger than a character.
    let frame = bitmap_from(200, 160, |x, y| x == 3 || y == 3 || x == 196 || y == 156);
    assert!(encode_symbols(&frame).is_none());
}

#[test]
fn instances_with_a_pixel_more_on_one_side_are_refined_from_a_shifted_symbol() {
    // The same 9×15 blob many times; every other copy has one more pixel left of its first
    // column, so its box is a pixel wider on the left and the symbol lies under it shifted
    // (RDW = 1 and RDX ≠ 0), and every third copy a pixel more on top (RDH = 1, RDY ≠ 0).
    let mut noise = Noise(5);
    let (designs, sizes) = designs(&mut noise);
    let (design, w) = (&designs[1], sizes[1].0);
    let (width, height) = (300u32, 200u32);
    let mut ink = vec![false; (width * height) as usize];
    let mut n = 0;
    for top in (3..height - 20).step_by(24) {
        for left in (4..width - 14).step_by(14) {
            for (i, _) in design.iter().enumerate().filter(|&(_, &on)| on) {
                let (x, y) = (left + i as u32 % w, top + i as u32 / w);
                ink[(y * width + x) as usize] = true;
            }
            if n % 2 == 1 {
                ink[((top + 5) * width + left - 1) as usize] = true;
            }
            // Not on the first line: the first copy met (top row first) is the plain one, whose
            // box the symbol takes.
            if n % 3 == 2 && top > 3 {
                ink[((top - 1) * width + left) as usize] = true;
            }
            n += 1;
        }
    }
    let page = bitmap_from(width, height, |x, y| ink[(y * width + x) as usize]);
    let seen = assert_symbols_round_trip(&page);
    assert!(
        seen.refined > n / 2 && seen.shifted > n / 3,
        "{seen:?} of {n}"
    );
}
