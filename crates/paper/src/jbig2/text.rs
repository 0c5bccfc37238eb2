//! The text region segment (T.88 6.4, 7.4.3) that places every symbol instance on the page:
//! arithmetic coding, SBREFINE = 1, instances combined by OR, reference corner top left, not
//! transposed. An instance equal to its symbol is placed as it is (RI = 0); any other is
//! refined from it (RI = 1, `refine`), so each placed bitmap is exactly its component.

use super::components::Shape;
use super::integer::{IntegerContexts, SymbolIdContexts};
use super::mq::MqEncoder;
use super::refine;
use super::symbols::centring;

/// One instance to place: its box's top-left corner on the page, the dictionary index of its
/// symbol, and its own pixels when they differ from the symbol's.
#[derive(Debug)]
pub(crate) struct Placement<'a> {
    pub(crate) x: u32,
    pub(crate) y: u32,
    pub(crate) symbol: usize,
    pub(crate) refined: Option<&'a Shape>,
    /// Where the symbol lies under a refined instance (GRREFERENCEDX, GRREFERENCEDY).
    pub(crate) offset: (i32, i32),
}

/// log2 of SBSTRIPS: instances whose top rows fall within the same `2^LOG_STRIPS` rows share a
/// strip, so a line of text costs one strip header and each instance a small T offset.
pub(crate) const LOG_STRIPS: u32 = 2;

/// REFCORNER = TOPLEFT (7.4.3.1.1: 0 bottom left, 1 top left, 2 bottom right, 3 top right).
const TOP_LEFT: u16 = 1;

/// The text region segment's data: region information (the whole page at (0, 0), OR), flags,
/// refinement adaptive pixels, the instance count and the coded instances.
///
/// `placements` may be in any order; they are coded strip by strip, left to right.
pub(crate) fn region(
    width: u32,
    height: u32,
    symbols: &[&Shape],
    placements: &mut [Placement<'_>],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + placements.len() * 8);
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    out.push(0);
    // Flags (7.4.3.1.1): SBHUFF 0, SBREFINE 1, LOGSBSTRIPS, REFCORNER, TRANSPOSED 0,
    // SBCOMBOP OR (0), SBDEFPIXEL 0, SBDSOFFSET 0, SBRTEMPLATE 0.
    let flags: u16 = 0b10 | (LOG_STRIPS as u16) << 2 | TOP_LEFT << 4;
    out.extend_from_slice(&flags.to_be_bytes());
    for (dx, dy) in refine::NOMINAL_AT {
        out.extend_from_slice(&dx.to_be_bytes());
        out.extend_from_slice(&dy.to_be_bytes());
    }
    let count = u32::try_from(placements.len()).expect("far fewer than 2^32 instances");
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&code_instances(symbols, placements));
    out
}

/// The number coders of a text region (6.4.5), one set per region.
struct Numbers {
    dt: IntegerContexts,
    fs: IntegerContexts,
    ds: IntegerContexts,
    it: IntegerContexts,
    ri: IntegerContexts,
    rdw: IntegerContexts,
    rdh: IntegerContexts,
    rdx: IntegerContexts,
    rdy: IntegerContexts,
}

fn code_instances(symbols: &[&Shape], placements: &mut [Placement<'_>]) -> Vec<u8> {
    let strip_of = |p: &Placement<'_>| p.y >> LOG_STRIPS;
    placements.sort_unstable_by_key(|p| (strip_of(p), p.x, p.y));
    let mut coder = MqEncoder::new(placements.len() * 8);
    let mut n = Numbers {
        dt: IntegerContexts::new(),
        fs: IntegerContexts::new(),
        ds: IntegerContexts::new(),
        it: IntegerContexts::new(),
        ri: IntegerContexts::new(),
        rdw: IntegerContexts::new(),
        rdh: IntegerContexts::new(),
        rdx: IntegerContexts::new(),
        rdy: IntegerContexts::new(),
    };
    let mut ids = SymbolIdContexts::for_symbol_count(symbols.len());
    let mut refinement = refine::contexts();
    // The initial STRIPT is coded negated and multiplied by SBSTRIPS (6.4.5 step 2); 0 starts
    // the strips at the top of the region.
    n.dt.encode(&mut coder, Some(0));
    let (mut strip_t, mut first_s) = (0i64, 0i64);
    let mut rest: &[Placement<'_>] = placements;
    while let Some(head) = rest.first() {
        let strip_len = rest
            .iter()
            .take_while(|p| strip_of(p) == strip_of(head))
            .count();
        let (strip, after) = rest.split_at(strip_len);
        let t = i64::from(strip_of(head)) << LOG_STRIPS;
        n.dt.encode(&mut coder, Some(small((t - strip_t) >> LOG_STRIPS)));
        strip_t = t;
        let mut cur_s = 0i64;
        for (k, p) in strip.iter().enumerate() {
            let s = i64::from(p.x);
            if k == 0 {
                n.fs.encode(&mut coder, Some(small(s - first_s)));
                first_s = s;
            } else {
                // SBDSOFFSET is 0: the gap from the previous instance's right edge.
                n.ds.encode(&mut coder, Some(small(s - cur_s)));
            }
            // CURT is only coded when a strip is more than one row high (6.4.9).
            if LOG_STRIPS > 0 {
                n.it.encode(&mut coder, Some(small(i64::from(p.y) - strip_t)));
            }
            ids.encode(&mut coder, p.symbol);
            let symbol = symbols[p.symbol];
            let width = match p.refined {
                None => {
                    n.ri.encode(&mut coder, Some(0));
                    symbol.width
                }
                Some(shape) => {
                    n.ri.encode(&mut coder, Some(1));
                    let rdw = i64::from(shape.width) - i64::from(symbol.width);
                    let rdh = i64::from(shape.height) - i64::from(symbol.height);
                    n.rdw.encode(&mut coder, Some(small(rdw)));
                    n.rdh.encode(&mut coder, Some(small(rdh)));
                    // GRREFERENCEDX = ⌊RDW / 2⌋ + RDX, and likewise for y (6.4.11).
                    let (cx, cy) = centring(shape.width, shape.height, symbol);
                    let (dx, dy) = p.offset;
                    n.rdx.encode(&mut coder, Some(dx - cx));
                    n.rdy.encode(&mut coder, Some(dy - cy));
                    refine::encode(&mut coder, &mut refinement, shape, symbol, dx, dy);
                    shape.width
                }
            };
            // TOPLEFT: the next instance's S counts from this one's right column (6.4.5 x).
            cur_s = s + i64::from(width) - 1;
        }
        // OOB ends the strip, the last one included.
        n.ds.encode(&mut coder, None);
        rest = after;
    }
    coder.finish()
}

fn small(v: i64) -> i32 {
    i32::try_from(v).expect("page coordinates are far below 2^31")
}
