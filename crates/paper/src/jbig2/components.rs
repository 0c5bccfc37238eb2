//! The 8-connected ink components of a page, found from its runs with a union-find in one pass
//! over the rows, so the cost grows with the ink, not with a search over the page. Each
//! component carries a bitmap of its own pixels only: where two components' boxes overlap,
//! neither bitmap holds the other's ink, which is what lets the text region OR them back.

use super::Bitmap;

/// A small bitmap, 64 pixels a word with pixel x at bit x % 64 of word x / 64 (least
/// significant first), rows of `words` words; 1 is ink.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) struct Shape {
    pub(crate) width: u32,
    pub(crate) height: u32,
    words: usize,
    rows: Vec<u64>,
}

impl Shape {
    pub(crate) fn new(width: u32, height: u32) -> Self {
        let words = (width as usize).div_ceil(64).max(1);
        Self {
            width,
            height,
            words,
            rows: vec![0; words * height as usize],
        }
    }

    pub(crate) fn set(&mut self, x: u32, y: u32) {
        let (x, y) = (x as usize, y as usize);
        self.rows[y * self.words + x / 64] |= 1 << (x % 64);
    }

    /// Sets pixels `x0..x1` of row `y`.
    fn set_run(&mut self, y: u32, x0: u32, x1: u32) {
        for x in x0..x1 {
            self.set(x, y);
        }
    }

    /// The pixel at (x, y), 0 outside the bitmap.
    pub(crate) fn get(&self, x: i64, y: i64) -> u8 {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return 0;
        }
        let (x, y) = (x as usize, y as usize);
        ((self.rows[y * self.words + x / 64] >> (x % 64)) & 1) as u8
    }

    pub(crate) fn ink(&self) -> u32 {
        self.rows.iter().map(|w| w.count_ones()).sum()
    }

    /// How many pixels differ from `other`, which has the same size; stops counting past
    /// `limit` (the answer is then some number above it).
    pub(crate) fn distance(&self, other: &Self, limit: u32) -> u32 {
        debug_assert_eq!((self.width, self.height), (other.width, other.height));
        let mut count = 0;
        for (row, other_row) in self
            .rows
            .chunks_exact(self.words)
            .zip(other.rows.chunks_exact(self.words))
        {
            count += row
                .iter()
                .zip(other_row)
                .map(|(a, b)| (a ^ b).count_ones())
                .sum::<u32>();
            if count > limit {
                break;
            }
        }
        count
    }

    /// How many pixels differ from `other` placed so that its pixel (x − dx, y − dy) lies
    /// under this one's (x, y), counted over both boxes; stops past `limit` like `distance`.
    pub(crate) fn distance_shifted(&self, other: &Self, dx: i32, dy: i32, limit: u32) -> u32 {
        if (dx, dy) == (0, 0) && (self.width, self.height) == (other.width, other.height) {
            return self.distance(other, limit);
        }
        if (-32..32).contains(&dx) {
            if self.words == 1 && other.words == 1 {
                return self.distance_narrow(other, dx, dy, limit);
            }
            return self.distance_words(other, dx, dy, limit);
        }
        // Over the union of both boxes in this shape's coordinates, pixel by pixel: only for
        // offsets far beyond what classing tries.
        let x0 = i64::from(dx.min(0));
        let y0 = i64::from(dy.min(0));
        let x1 = i64::from(self.width).max(i64::from(other.width) + i64::from(dx));
        let y1 = i64::from(self.height).max(i64::from(other.height) + i64::from(dy));
        let mut count = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                let o = other.get(x - i64::from(dx), y - i64::from(dy));
                count += u32::from(self.get(x, y) != o);
            }
            if count > limit {
                break;
            }
        }
        count
    }

    /// `distance_shifted` a row at a time on whole words: this shape's row is laid from bit 32
    /// of a scratch row and `other`'s from bit 32 + dx, so that no shift loses a pixel.
    fn distance_words(&self, other: &Self, dx: i32, dy: i32, limit: u32) -> u32 {
        let y0 = i64::from(dy.min(0));
        let y1 = i64::from(self.height).max(i64::from(other.height) + i64::from(dy));
        let span = self.words.max(other.words) * 64 + 64;
        let n = span.div_ceil(64) + 1;
        // Glyphs are narrow: scratch rows on the stack unless a shape is over 900 pixels wide.
        let (mut stack, mut heap);
        let (mine, theirs) = if 2 * n <= 32 {
            stack = [0u64; 32];
            stack[..2 * n].split_at_mut(n)
        } else {
            heap = vec![0u64; 2 * n];
            heap.split_at_mut(n)
        };
        let offset = u32::try_from(32 + dx).expect("dx within ±32");
        let mut count = 0;
        for y in y0..y1 {
            mine.fill(0);
            theirs.fill(0);
            if let Some(row) = self.row_words(y) {
                lay(row, 32, mine);
            }
            if let Some(row) = other.row_words(y - i64::from(dy)) {
                lay(row, offset, theirs);
            }
            count += mine
                .iter()
                .zip(theirs.iter())
                .map(|(a, b)| (a ^ b).count_ones())
                .sum::<u32>();
            if count > limit {
                break;
            }
        }
        count
    }

    /// `distance_words` for the common case of shapes at most 64 pixels wide: a row of each
    /// fits one 128-bit word with room for the shift.
    fn distance_narrow(&self, other: &Self, dx: i32, dy: i32, limit: u32) -> u32 {
        let y0 = i64::from(dy.min(0));
        let y1 = i64::from(self.height).max(i64::from(other.height) + i64::from(dy));
        let row = |shape: &Self, y: i64| -> u128 {
            shape.row_words(y).map_or(0, |r| u128::from(r[0]) << 32)
        };
        let mut count = 0;
        for y in y0..y1 {
            let theirs = row(other, y - i64::from(dy));
            let theirs = if dx >= 0 { theirs << dx } else { theirs >> -dx };
            count += (row(self, y) ^ theirs).count_ones();
            if count > limit {
                break;
            }
        }
        count
    }

    /// Row `y`'s words, `None` outside the shape.
    pub(crate) fn row_words(&self, y: i64) -> Option<&[u64]> {
        (0..i64::from(self.height))
            .contains(&y)
            .then(|| &self.rows[y as usize * self.words..(y as usize + 1) * self.words])
    }

    /// Writes row `y` one byte a pixel into `out`, which is `width` long.
    pub(crate) fn unpack_row(&self, y: usize, out: &mut [u8]) {
        let row = &self.rows[y * self.words..(y + 1) * self.words];
        for (x, pixel) in out.iter_mut().enumerate() {
            *pixel = ((row[x / 64] >> (x % 64)) & 1) as u8;
        }
    }
}

/// ORs `row` into `out` shifted `offset` bits towards the higher pixels.
fn lay(row: &[u64], offset: u32, out: &mut [u64]) {
    let (skip, shift) = ((offset / 64) as usize, offset % 64);
    for (i, &w) in row.iter().enumerate() {
        out[i + skip] |= w << shift;
        if shift > 0 {
            out[i + skip + 1] |= w >> (64 - shift);
        }
    }
}

/// One connected component: its box's top-left corner on the page and its own pixels.
#[derive(Debug)]
pub(crate) struct Component {
    pub(crate) x: u32,
    pub(crate) y: u32,
    pub(crate) shape: Shape,
}

/// A horizontal run of ink `x0..x1` on row `y`.
#[derive(Clone, Copy)]
struct Run {
    y: u32,
    x0: u32,
    x1: u32,
}

fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        let up = parent[parent[i as usize] as usize];
        parent[i as usize] = up;
        i = up;
    }
    i
}

/// The runs of ink of one packed row.
fn row_runs(row: &[u8], width: u32, y: u32, runs: &mut Vec<Run>) {
    let mut x = 0u32;
    let mut start = None;
    for &byte in row {
        if byte == 0 && start.is_none() {
            x += 8;
            continue;
        }
        if byte == 0xFF && start.is_some() {
            x += 8;
            continue;
        }
        for i in 0..8 {
            if x >= width {
                break;
            }
            let ink = (byte >> (7 - i)) & 1 == 1;
            match (ink, start) {
                (true, None) => start = Some(x),
                (false, Some(x0)) => {
                    runs.push(Run { y, x0, x1: x });
                    start = None;
                }
                _ => {}
            }
            x += 1;
        }
    }
    if let Some(x0) = start {
        runs.push(Run {
            y,
            x0,
            x1: width.min(x),
        });
    }
}

/// The 8-connected components of `page`, in the order their first run is met (top to bottom,
/// left to right).
pub(crate) fn components(page: &Bitmap) -> Vec<Component> {
    let mut runs: Vec<Run> = Vec::new();
    let mut parent: Vec<u32> = Vec::new();
    let mut above = 0..0;
    for y in 0..page.height {
        let start = runs.len();
        row_runs(page.row(y as usize), page.width, y, &mut runs);
        parent.extend(start as u32..runs.len() as u32);
        // Runs of the row above touch this run 8-connectedly when they overlap it widened by
        // one pixel either side; both lists are in x order, so one merge-like walk finds all.
        let mut first_above = above.start;
        for i in start..runs.len() {
            let run = runs[i];
            while first_above < above.end && runs[first_above].x1 < run.x0 {
                first_above += 1;
            }
            let mut j = first_above;
            while j < above.end && runs[j].x0 <= run.x1 {
                let (a, b) = (find(&mut parent, i as u32), find(&mut parent, j as u32));
                if a != b {
                    parent[a.max(b) as usize] = a.min(b);
                }
                j += 1;
            }
        }
        above = start..runs.len();
    }

    // Boxes per root, then each component's own runs drawn into its shape.
    let mut index_of_root: Vec<u32> = vec![u32::MAX; runs.len()];
    let mut boxes: Vec<(u32, u32, u32, u32)> = Vec::new();
    let mut owner: Vec<u32> = Vec::with_capacity(runs.len());
    for (i, run) in runs.iter().enumerate() {
        let root = find(&mut parent, i as u32) as usize;
        if index_of_root[root] == u32::MAX {
            index_of_root[root] = boxes.len() as u32;
            boxes.push((u32::MAX, u32::MAX, 0, 0));
        }
        let k = index_of_root[root];
        owner.push(k);
        let b = &mut boxes[k as usize];
        *b = (
            b.0.min(run.x0),
            b.1.min(run.y),
            b.2.max(run.x1),
            b.3.max(run.y + 1),
        );
    }
    let mut out: Vec<Component> = boxes
        .iter()
        .map(|&(x0, y0, x1, y1)| Component {
            x: x0,
            y: y0,
            shape: Shape::new(x1 - x0, y1 - y0),
        })
        .collect();
    for (run, &k) in runs.iter().zip(&owner) {
        let c = &mut out[k as usize];
        c.shape.set_run(run.y - c.y, run.x0 - c.x, run.x1 - c.x);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rows: &[&str]) -> Bitmap {
        let mut bitmap = Bitmap::new(rows[0].len() as u32, rows.len() as u32);
        for row in rows {
            let pixels: Vec<bool> = row.chars().map(|c| c == '#').collect();
            bitmap.push_row(&pixels);
        }
        bitmap
    }

    #[test]
    fn diagonal_neighbours_join_and_nested_boxes_keep_their_own_pixels() {
        let bitmap = page(&[
            "#........#",
            ".#..####.#",
            "..#.#..#..",
            "....#.##..",
            "....####..",
            "..........",
            "#########.",
        ]);
        let found = components(&bitmap);
        let summary: Vec<(u32, u32, u32, u32, u32)> = found
            .iter()
            .map(|c| (c.x, c.y, c.shape.width, c.shape.height, c.shape.ink()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (0, 0, 3, 3, 3),
                (9, 0, 1, 2, 2),
                (4, 1, 4, 4, 13),
                (0, 6, 9, 1, 9)
            ]
        );
        // The ring's box holds no pixel of anything else, and the ring is all there.
        let ring = &found[2].shape;
        assert_eq!(ring.get(2, 2), 1);
        assert_eq!(ring.get(1, 1), 0);
    }

    #[test]
    fn shifted_distances_on_words_match_a_pixel_count_for_wide_and_narrow_shapes() {
        let mut noise = super::super::tests::Noise(77);
        let mut random = |w: u32, h: u32| {
            let mut s = Shape::new(w, h);
            for y in 0..h {
                for x in 0..w {
                    if noise.next().is_multiple_of(3) {
                        s.set(x, y);
                    }
                }
            }
            s
        };
        for (w, h, ow, oh) in [
            (9, 11, 10, 12),
            (64, 5, 63, 6),
            (70, 9, 71, 8),
            (130, 4, 129, 4),
        ] {
            let (a, b) = (random(w, h), random(ow, oh));
            for dy in -2..=2 {
                for dx in -2..=2 {
                    let mut slow = 0;
                    for y in -3..i64::from(h.max(oh)) + 3 {
                        for x in -3..i64::from(w.max(ow)) + 3 {
                            let o = b.get(x - i64::from(dx), y - i64::from(dy));
                            slow += u32::from(a.get(x, y) != o);
                        }
                    }
                    assert_eq!(
                        a.distance_shifted(&b, dx, dy, u32::MAX),
                        slow,
                        "{w}x{h} {dx},{dy}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_run_to_the_right_edge_of_an_odd_width_is_closed() {
        let bitmap = page(&["..#######", "#........"]);
        let found = components(&bitmap);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].x, found[0].shape.width), (2, 7));
    }
}
