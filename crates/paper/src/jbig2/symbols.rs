//! Grouping the glyph-sized components of a page into classes, and the symbol dictionary
//! segment (T.88 6.5, 7.4.2) that holds one bitmap per class.
//!
//! A class is components of the same size whose pixels differ in few places. Its dictionary
//! symbol is the pixel-wise majority of its members, which predicts every member better than
//! any one member does. Nothing here decides what the page shows: each instance is later
//! refined to its own exact pixels (`text`), the symbol only makes that refinement cheap.

use std::collections::HashMap;

use super::components::{Component, Shape};
use super::generic::{self, NOMINAL_AT};
use super::integer::IntegerContexts;
use super::mq::MqEncoder;

/// One class: its symbol and the components (indices into the caller's list) it stands for.
#[derive(Debug)]
pub(crate) struct Class {
    pub(crate) symbol: Shape,
    pub(crate) members: Vec<usize>,
    /// Per member, where the symbol lies under it: the symbol's pixel (x − dx, y − dy) under
    /// the member's (x, y) (GRREFERENCEDX, GRREFERENCEDY).
    pub(crate) offsets: Vec<(i32, i32)>,
}

/// How many pixels a component may differ from a class's first member and still join it. A
/// larger class makes a smaller dictionary but dearer refinements; this was tuned on the
/// benchmark's text pages (see the module docs of `jbig2`).
fn join_limit(ink: u32) -> u32 {
    2 + ink * 2 / 5
}

/// How many classes one component is compared with at most (after the ink count filter). On
/// the benchmark's text pages no component comes near it.
const MAX_COMPARISONS: usize = 400;

/// Where an instance of `width` × `height` takes the pixels of a symbol of another size: the
/// symbol's pixel (x − dx, y − dy) under the instance's (x, y), centred as the text region
/// codes it with RDX = RDY = 0 (GRREFERENCEDX = ⌊RDW / 2⌋, 6.4.11).
pub(crate) fn centring(width: u32, height: u32, symbol: &Shape) -> (i32, i32) {
    let rdw = i64::from(width) - i64::from(symbol.width);
    let rdh = i64::from(height) - i64::from(symbol.height);
    (
        i32::try_from(rdw.div_euclid(2)).expect("glyph sizes"),
        i32::try_from(rdh.div_euclid(2)).expect("glyph sizes"),
    )
}

/// Groups `glyphs` (components small enough to be characters) into classes of about equal
/// size. Each component is compared only with the classes of its own width and height and
/// those one pixel either way, first by ink count, so the work stays near linear in the
/// number of components.
pub(crate) fn classify(glyphs: &[Component]) -> Vec<Class> {
    // Per (width, height): the classes, with their first member's ink count.
    let mut buckets: HashMap<(u32, u32), Vec<(usize, u32)>> = HashMap::new();
    let mut classes: Vec<Class> = Vec::new();
    let inks: Vec<u32> = glyphs.iter().map(|g| g.shape.ink()).collect();
    for (i, glyph) in glyphs.iter().enumerate() {
        let shape = &glyph.shape;
        let limit = join_limit(inks[i]);
        let mut best: Option<(u32, usize, (i32, i32))> = None;
        let mut compared = 0;
        'search: for w in shape.width.saturating_sub(1)..=shape.width + 1 {
            for h in shape.height.saturating_sub(1)..=shape.height + 1 {
                let Some(bucket) = buckets.get(&(w, h)) else {
                    continue;
                };
                for &(class, ink) in bucket {
                    if ink.abs_diff(inks[i]) > limit {
                        continue;
                    }
                    // A page of specks or halftone could hold thousands of classes of one
                    // size; comparing with a bounded number keeps the work linear.
                    compared += 1;
                    if compared > MAX_COMPARISONS {
                        break 'search;
                    }
                    let first = &glyphs[classes[class].members[0]].shape;
                    let bound = best.map_or(limit, |(b, _, _)| b.min(limit));
                    let (d, offset) = best_offset(shape, first, bound, bound / 2);
                    if d <= bound && best.is_none_or(|(b, _, _)| d < b) {
                        best = Some((d, class, offset));
                        if d == 0 {
                            break 'search;
                        }
                    }
                }
            }
        }
        if let Some((_, class, offset)) = best {
            classes[class].members.push(i);
            classes[class].offsets.push(offset);
        } else {
            buckets
                .entry((shape.width, shape.height))
                .or_default()
                .push((classes.len(), inks[i]));
            classes.push(Class {
                symbol: shape.clone(),
                members: vec![i],
                offsets: vec![(0, 0)],
            });
        }
    }
    for class in &mut classes {
        if class.members.len() > 2 {
            // The majority over the members placed where they matched the first, then each
            // member's best place on it, and the majority again over the members so placed.
            class.symbol = majority(glyphs, &class.members, &class.offsets);
            align(glyphs, class);
            class.symbol = majority(glyphs, &class.members, &class.offsets);
            align(glyphs, class);
        } else {
            // Classing may have taken a centred match that a shifted one beats.
            align(glyphs, class);
        }
    }
    classes
}

/// Where `shape` matches `symbol` best: centred, or up to a pixel off either way in x and y
/// (a box one pixel wider on one side is otherwise placed half a pixel off, and every
/// misplaced edge pixel costs bits in the refinement). A centred match within `settled`
/// pixels is taken as it is. Returns the differing pixels (some number above `bound` if none
/// is within it) and the offset.
fn best_offset(shape: &Shape, symbol: &Shape, bound: u32, settled: u32) -> (u32, (i32, i32)) {
    let (cx, cy) = centring(shape.width, shape.height, symbol);
    let mut best = (
        shape.distance_shifted(symbol, cx, cy, bound.saturating_mul(2)),
        (cx, cy),
    );
    // A shape a pixel off its place differs along its edges, which is about what the bound
    // allows in place; one that differs more than twice the bound centred is another shape,
    // and the eight other places are not worth comparing.
    if best.0 <= settled || best.0 > bound.saturating_mul(2) {
        return best;
    }
    for oy in -1..=1 {
        for ox in -1..=1 {
            if (ox, oy) == (0, 0) {
                continue;
            }
            let (dx, dy) = (cx + ox, cy + oy);
            let d = shape.distance_shifted(symbol, dx, dy, best.0.min(bound));
            if d < best.0 {
                best = (d, (dx, dy));
            }
        }
    }
    best
}

/// Places each member where it matches the class's symbol best.
fn align(glyphs: &[Component], class: &mut Class) {
    for (&m, offset) in class.members.iter().zip(&mut class.offsets) {
        *offset = best_offset(&glyphs[m].shape, &class.symbol, u32::MAX, 0).1;
    }
}

/// The pixel-wise majority of the members over the first member's box, each member placed
/// on it at its offset (ties go to paper).
fn majority(glyphs: &[Component], members: &[usize], offsets: &[(i32, i32)]) -> Shape {
    let first = &glyphs[members[0]].shape;
    let (w, h) = (first.width, first.height);
    let mut votes = vec![0u32; (w * h) as usize];
    for (&m, &(dx, dy)) in members.iter().zip(offsets) {
        let shape = &glyphs[m].shape;
        for y in 0..h {
            for x in 0..w {
                let ink = shape.get(i64::from(x) + i64::from(dx), i64::from(y) + i64::from(dy));
                votes[(y * w + x) as usize] += u32::from(ink);
            }
        }
    }
    let mut symbol = Shape::new(w, h);
    let n = members.len() as u32;
    for y in 0..h {
        for x in 0..w {
            if votes[(y * w + x) as usize] * 2 > n {
                symbol.set(x, y);
            }
        }
    }
    symbol
}

/// The symbol dictionary segment's data (7.4.2.1 and 6.5) for `symbols`, which must be in
/// the order of increasing height, then width, as height classes are coded: arithmetic coding,
/// no refinement or aggregation, template 0 at the nominal adaptive pixels, every symbol new
/// and exported.
pub(crate) fn dictionary(symbols: &[&Shape]) -> Vec<u8> {
    let count = u32::try_from(symbols.len()).expect("a page has far fewer than 2^32 symbols");
    let mut out = Vec::with_capacity(64 + symbols.len() * 16);
    // Flags (7.4.2.1.1): SDHUFF 0, SDREFAGG 0, SDTEMPLATE 0, contexts neither used nor kept.
    out.extend_from_slice(&0u16.to_be_bytes());
    for (dx, dy) in NOMINAL_AT {
        out.extend_from_slice(&dx.to_be_bytes());
        out.extend_from_slice(&dy.to_be_bytes());
    }
    // SDNUMEXSYMS and SDNUMNEWSYMS.
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&count.to_be_bytes());

    let mut coder = MqEncoder::new(symbols.len() * 16);
    let (mut dh, mut dw, mut ex) = (
        IntegerContexts::new(),
        IntegerContexts::new(),
        IntegerContexts::new(),
    );
    let mut bitmap_contexts = generic::symbol_contexts();
    let mut height = 0i64;
    let mut rest = symbols;
    while let Some(first) = rest.first() {
        let class_len = rest.iter().take_while(|s| s.height == first.height).count();
        let (class, after) = rest.split_at(class_len);
        dh.encode(&mut coder, Some(delta(i64::from(first.height), height)));
        height = i64::from(first.height);
        let mut width = 0i64;
        for symbol in class {
            debug_assert!(i64::from(symbol.width) >= width, "widths in order");
            dw.encode(&mut coder, Some(delta(i64::from(symbol.width), width)));
            width = i64::from(symbol.width);
            generic::encode_symbol(&mut coder, &mut bitmap_contexts, symbol);
        }
        // OOB ends the height class (6.5.6).
        dw.encode(&mut coder, None);
        rest = after;
    }
    // Export flags (6.5.10): a run of 0 symbols not exported, then all of them exported.
    ex.encode(&mut coder, Some(0));
    ex.encode(
        &mut coder,
        Some(i32::try_from(count).expect("checked above")),
    );
    out.extend_from_slice(&coder.finish());
    out
}

fn delta(now: i64, before: i64) -> i32 {
    i32::try_from(now - before).expect("symbol sizes are below a page side")
}
