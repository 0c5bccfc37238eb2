//! Generic refinement region coding (T.88 6.3) with GRTEMPLATE = 0 at the nominal adaptive
//! pixels and TPGRON = 0: every pixel of a symbol instance is coded in the context of 13
//! pixels, 4 already coded in the instance and 9 of the dictionary symbol it is refined from.
//! A pixel the symbol predicts costs a small fraction of a bit, a pixel where the instance
//! differs costs several; whatever the symbol, the instance comes out exact.

use super::components::Shape;
use super::mq::{Context, MqEncoder};

/// The adaptive pixels of GRTEMPLATE 0 as (x, y) offsets (7.4.3.1.3): RA1 in the instance,
/// RA2 in the reference, both at their nominal place (−1, −1).
pub(crate) const NOMINAL_AT: [(i8, i8); 2] = [(-1, -1), (-1, -1)];

/// One context per 13-pixel neighbourhood, shared by every instance of a text region.
///
/// With TPGRON = 0 no decision shares a context with another kind of decision, so the decoder
/// only needs the same neighbourhood to map to the same context as here, not the bit order of
/// Figure 12; the order below is the one the test decoder spells out pixel by pixel.
pub(crate) fn contexts() -> Vec<Context> {
    vec![0; 1 << 13]
}

/// Codes `target` against `reference`, whose pixel (x − dx, y − dy) lies under the target's
/// (x, y) (dx, dy are GRREFERENCEDX, GRREFERENCEDY of 6.4.11).
pub(crate) fn encode(
    coder: &mut MqEncoder,
    contexts: &mut [Context],
    target: &Shape,
    reference: &Shape,
    dx: i32,
    dy: i32,
) {
    let (w, h) = (target.width as usize, target.height as usize);
    // Both images in target coordinates, one byte a pixel, with a margin of one pixel on
    // every side (and one more on the right so the windows can read ahead).
    let stride = w + 3;
    let at = |x: usize, y: usize| (y * stride) + x;
    let mut cur = vec![0u8; stride * (h + 2)];
    let mut refr = vec![0u8; stride * (h + 2)];
    for y in 0..h {
        target.unpack_row(y, &mut cur[at(1, y + 1)..at(1 + w, y + 1)]);
    }
    let mut row = vec![0u8; reference.width as usize];
    for ry in 0..reference.height as usize {
        // Reference row ry lies under target row ry + dy, its pixel rx under rx + dx.
        let y = ry as i64 + i64::from(dy) + 1;
        if !(0..=h as i64 + 1).contains(&y) {
            continue;
        }
        reference.unpack_row(ry, &mut row);
        for (rx, &p) in row.iter().enumerate() {
            let x = rx as i64 + i64::from(dx) + 1;
            if (0..=w as i64 + 1).contains(&x) {
                refr[at(x as usize, y as usize)] = p;
            }
        }
    }
    for y in 1..=h {
        // Three-pixel windows (x−1, x, x+1) of the instance's row above and the reference's
        // rows above, at and below; bit 0 is x+1.
        let window =
            |img: &[u8], row: usize| u32::from(img[at(0, row)]) << 1 | u32::from(img[at(1, row)]);
        let mut up = window(&cur, y - 1);
        let mut r_up = window(&refr, y - 1);
        let mut r_mid = window(&refr, y);
        let mut r_down = window(&refr, y + 1);
        let mut left = 0u32;
        for x in 1..=w {
            up = ((up << 1) | u32::from(cur[at(x + 1, y - 1)])) & 7;
            r_up = ((r_up << 1) | u32::from(refr[at(x + 1, y - 1)])) & 7;
            r_mid = ((r_mid << 1) | u32::from(refr[at(x + 1, y)])) & 7;
            r_down = ((r_down << 1) | u32::from(refr[at(x + 1, y + 1)])) & 7;
            let cx = (up << 10 | left << 9 | r_up << 6 | r_mid << 3 | r_down) as usize;
            let pixel = cur[at(x, y)];
            coder.encode(&mut contexts[cx], pixel);
            left = u32::from(pixel);
        }
    }
}

/// The refinement decoding procedure of 6.3.5 for the same parameters, pixel by pixel from the
/// template, only to check the encoder against.
#[cfg(test)]
pub(crate) fn decode(
    decoder: &mut super::mq::MqDecoder<'_>,
    contexts: &mut [Context],
    width: u32,
    height: u32,
    reference: &Shape,
    dx: i32,
    dy: i32,
) -> Shape {
    let mut out = Shape::new(width, height);
    let [(a1x, a1y), (a2x, a2y)] = NOMINAL_AT.map(|(x, y)| (i64::from(x), i64::from(y)));
    for y in 0..i64::from(height) {
        for x in 0..i64::from(width) {
            let r = |ox: i64, oy: i64| {
                u32::from(reference.get(x + ox - i64::from(dx), y + oy - i64::from(dy)))
            };
            let c = |ox: i64, oy: i64| u32::from(out.get(x + ox, y + oy));
            let cx = c(a1x, a1y) << 12
                | c(0, -1) << 11
                | c(1, -1) << 10
                | c(-1, 0) << 9
                | r(a2x, a2y) << 8
                | r(0, -1) << 7
                | r(1, -1) << 6
                | r(-1, 0) << 5
                | r(0, 0) << 4
                | r(1, 0) << 3
                | r(-1, 1) << 2
                | r(0, 1) << 1
                | r(1, 1);
            if decoder.decode(&mut contexts[cx as usize]) == 1 {
                out.set(x as u32, y as u32);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::mq::MqDecoder;
    use super::super::tests::Noise;
    use super::*;

    fn shape(width: u32, height: u32, ink: impl Fn(u32, u32) -> bool) -> Shape {
        let mut s = Shape::new(width, height);
        for y in 0..height {
            for x in 0..width {
                if ink(x, y) {
                    s.set(x, y);
                }
            }
        }
        s
    }

    /// Codes every (target, reference, dx, dy) in one run with shared contexts, as a text
    /// region does, and decodes them back.
    fn round_trip(cases: &[(Shape, Shape, i32, i32)]) -> usize {
        let mut coder = MqEncoder::new(64);
        let mut cx = contexts();
        for (target, reference, dx, dy) in cases {
            encode(&mut coder, &mut cx, target, reference, *dx, *dy);
        }
        let data = coder.finish();
        let mut decoder = MqDecoder::new(&data);
        let mut cx = contexts();
        for (i, (target, reference, dx, dy)) in cases.iter().enumerate() {
            let back = decode(
                &mut decoder,
                &mut cx,
                target.width,
                target.height,
                reference,
                *dx,
                *dy,
            );
            assert_eq!(&back, target, "case {i}");
        }
        data.len()
    }

    #[test]
    fn random_targets_against_random_references_at_offsets_round_trip() {
        let mut noise = Noise(0x9E37_79B9);
        let mut next = || noise.next();
        let mut cases = Vec::new();
        for (w, h, rw, rh, dx, dy) in [
            (1, 1, 1, 1, 0, 0),
            (7, 9, 7, 9, 0, 0),
            (13, 5, 12, 6, 1, -1),
            (70, 3, 65, 4, -2, 2),
            (9, 30, 11, 29, 0, 1),
        ] {
            let cells: Vec<bool> = (0..w * h).map(|_| next() % 3 == 0).collect();
            let target = shape(w, h, |x, y| cells[(y * w + x) as usize]);
            let rcells: Vec<bool> = (0..rw * rh).map(|_| next() % 2 == 0).collect();
            let reference = shape(rw, rh, |x, y| rcells[(y * rw + x) as usize]);
            cases.push((target, reference, dx, dy));
        }
        round_trip(&cases);
    }

    #[test]
    fn an_instance_one_pixel_off_its_symbol_costs_a_few_bytes() {
        // A ring 'o' and the same ring with one pixel more, many times, as on a page.
        let ring = |x: u32, y: u32| {
            let (dx, dy) = (x as i32 - 10, y as i32 - 12);
            (64..=121).contains(&(dx * dx + dy * dy))
        };
        let symbol = shape(21, 25, ring);
        let instance = shape(21, 25, |x, y| ring(x, y) || (x, y) == (10, 12));
        let cases: Vec<_> = (0..200)
            .map(|_| (instance.clone(), symbol.clone(), 0, 0))
            .collect();
        let bytes = round_trip(&cases);
        // 200 instances of 525 pixels: far below the 13 125 bytes they take uncoded.
        assert!(bytes < 200 * 4, "{bytes} bytes");
    }
}
