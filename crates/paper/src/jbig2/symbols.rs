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
}

/// How many pixels a component may differ from a class's first member and still join it. A
/// larger class makes a smaller dictionary but dearer refinements; this was tuned on the
/// benchmark's text pages (see the module docs of `jbig2`).
fn join_limit(ink: u32) -> u32 {
    2 + ink / 6
}

/// Groups `glyphs` (components small enough to be characters) into classes of equal size.
/// Each component is compared only with the classes of its own width and height, first by ink
/// count, so the work stays near linear in the number of components.
pub(crate) fn classify(glyphs: &[Component]) -> Vec<Class> {
    // Per (width, height): the classes, with their first member's shape and ink count.
    let mut buckets: HashMap<(u32, u32), Vec<(usize, u32)>> = HashMap::new();
    let mut classes: Vec<Class> = Vec::new();
    let inks: Vec<u32> = glyphs.iter().map(|g| g.shape.ink()).collect();
    for (i, glyph) in glyphs.iter().enumerate() {
        let shape = &glyph.shape;
        let limit = join_limit(inks[i]);
        let bucket = buckets.entry((shape.width, shape.height)).or_default();
        let mut best: Option<(u32, usize)> = None;
        for &(class, ink) in bucket.iter() {
            if ink.abs_diff(inks[i]) > limit {
                continue;
            }
            let first = &glyphs[classes[class].members[0]].shape;
            let d = shape.distance(first, limit);
            if d <= limit && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, class));
                if d == 0 {
                    break;
                }
            }
        }
        if let Some((_, class)) = best {
            classes[class].members.push(i);
        } else {
            bucket.push((classes.len(), inks[i]));
            classes.push(Class {
                symbol: shape.clone(),
                members: vec![i],
            });
        }
    }
    for class in &mut classes {
        if class.members.len() > 2 {
            class.symbol = majority(glyphs, &class.members);
        }
    }
    classes
}

/// The pixel-wise majority of equal-sized members (ties go to paper).
fn majority(glyphs: &[Component], members: &[usize]) -> Shape {
    let first = &glyphs[members[0]].shape;
    let (w, h) = (first.width, first.height);
    let mut votes = vec![0u32; (w * h) as usize];
    let mut row = vec![0u8; w as usize];
    for &m in members {
        for y in 0..h {
            glyphs[m].shape.unpack_row(y as usize, &mut row);
            for (v, &p) in votes[(y * w) as usize..].iter_mut().zip(&row) {
                *v += u32::from(p);
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
