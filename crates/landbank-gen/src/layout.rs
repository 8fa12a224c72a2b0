//! Street layout in metres: columns and rows of blocks between streets and avenues, and blocks split into cells.
//!
//! Cells never touch: neighbours inside a block are [`CELL_GAP_M`] apart and blocks are a street apart, so any
//! shape drawn inside its own cell cannot overlap another.

use geo::Coord;
use rand::Rng;
use rand::seq::IndexedRandom;

/// Widths of blocks along a row, metres.
pub(crate) const BLOCK_WIDTHS_M: [f64; 3] = [360.0, 400.0, 440.0];
/// Depths of blocks along a column, metres.
pub(crate) const BLOCK_DEPTHS_M: [f64; 3] = [260.0, 300.0, 340.0];
/// A street between two blocks, metres.
pub(crate) const STREET_M: f64 = 30.0;
/// An avenue between two blocks, metres; every [`AVENUE_EVERY`]th gap is one.
pub(crate) const AVENUE_M: f64 = 60.0;
/// How many blocks lie between two avenues.
pub(crate) const AVENUE_EVERY: usize = 3;
/// The gap between neighbouring cells inside a block, metres.
pub(crate) const CELL_GAP_M: f64 = 10.0;

/// An axis-aligned rectangle in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub(crate) fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect { x0, y0, x1, y1 }
    }

    pub(crate) fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub(crate) fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    pub(crate) fn area(&self) -> f64 {
        self.width() * self.height()
    }

    pub(crate) fn centre(&self) -> Coord {
        Coord { x: f64::midpoint(self.x0, self.x1), y: f64::midpoint(self.y0, self.y1) }
    }

    /// The rectangle shrunk by `d` on every side.
    pub(crate) fn inset(&self, d: f64) -> Rect {
        Rect::new(self.x0 + d, self.y0 + d, self.x1 - d, self.y1 - d)
    }

    /// The corners, counter-clockwise from the south-west.
    pub(crate) fn ring(&self) -> [Coord; 4] {
        [
            Coord { x: self.x0, y: self.y0 },
            Coord { x: self.x1, y: self.y0 },
            Coord { x: self.x1, y: self.y1 },
            Coord { x: self.x0, y: self.y1 },
        ]
    }

    /// The same rectangle as a `geo` rectangle, for distance tests.
    pub(crate) fn to_geo(self) -> geo::Rect {
        geo::Rect::new(Coord { x: self.x0, y: self.y0 }, Coord { x: self.x1, y: self.y1 })
    }

    /// `n` parts side by side along x (`along_x`) or y, of jittered widths, `gap` apart.
    pub(crate) fn split(&self, n: usize, along_x: bool, gap: f64, rng: &mut impl Rng) -> Vec<Rect> {
        let length = if along_x { self.width() } else { self.height() };
        let usable = length - gap * (n as f64 - 1.0);
        let weights: Vec<f64> = (0..n).map(|_| rng.random_range(0.8..1.2)).collect();
        let sum: f64 = weights.iter().sum();
        let mut at = if along_x { self.x0 } else { self.y0 };
        let mut parts = Vec::with_capacity(n);
        for (i, w) in weights.iter().enumerate() {
            let end = if i + 1 == n { if along_x { self.x1 } else { self.y1 } } else { at + usable * w / sum };
            parts.push(if along_x {
                Rect::new(at, self.y0, end, self.y1)
            } else {
                Rect::new(self.x0, at, self.x1, end)
            });
            at = end + gap;
        }
        parts
    }
}

/// A stretch of one axis, metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Span {
    pub lo: f64,
    pub hi: f64,
}

/// Blocks and the gaps between them along one axis, from `start` until `end`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Spans {
    pub blocks: Vec<Span>,
    /// The wide gaps (avenues) between blocks.
    pub avenues: Vec<Span>,
}

/// Lays blocks of the given sizes from `start` up to `end`, a street apart and an avenue apart every
/// [`AVENUE_EVERY`] blocks.
pub(crate) fn spans(start: f64, end: f64, sizes: &[f64], rng: &mut impl Rng) -> Spans {
    let mut out = Spans::default();
    let mut at = start;
    while let Some(&size) = sizes.choose(rng) {
        if at + size > end {
            break;
        }
        out.blocks.push(Span { lo: at, hi: at + size });
        at += size;
        let gap = if out.blocks.len() % AVENUE_EVERY == 0 {
            out.avenues.push(Span { lo: at, hi: at + AVENUE_M });
            AVENUE_M
        } else {
            STREET_M
        };
        at += gap;
    }
    out
}

/// How often, in percent, a block is split each way: whole, in halves, in thirds, 2×2, 3×2, 4×2, or half a
/// block plus a grid of small lots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mix([u32; 7]);

impl Mix {
    /// Every split about equally likely: plots from 3 to 180 mu, about 5 per block.
    pub(crate) const VARIED: Mix = Mix([7, 15, 18, 20, 16, 10, 14]);
    /// Mostly plots of 20–80 mu, about 4.4 per block, with a few large plots and small lots.
    pub(crate) const MEDIUM: Mix = Mix([6, 14, 24, 26, 18, 4, 8]);
}

/// Splits a block into plot cells, from one large plot to a row of small lots, with the frequencies of `mix`.
pub(crate) fn partition(block: Rect, mix: Mix, rng: &mut impl Rng) -> Vec<Rect> {
    let along_x = block.width() >= block.height();
    let g = CELL_GAP_M;
    let grid = |rng: &mut _, long: usize, short: usize| -> Vec<Rect> {
        block.split(long, along_x, g, rng).into_iter().flat_map(|strip| strip.split(short, !along_x, g, rng)).collect()
    };
    let total: u32 = mix.0.iter().sum();
    let mut roll = rng.random_range(0..total);
    let pattern = mix
        .0
        .iter()
        .position(|&w| {
            let hit = roll < w;
            roll = roll.saturating_sub(w);
            hit
        })
        .unwrap_or(mix.0.len() - 1);
    match pattern {
        0 => vec![block],
        1 => block.split(2, along_x, g, rng),
        2 => block.split(3, along_x, g, rng),
        3 => grid(rng, 2, 2),
        4 => grid(rng, 3, 2),
        5 => grid(rng, 4, 2),
        _ => {
            let halves = block.split(2, along_x, g, rng);
            let mut cells = vec![halves[0]];
            let across = rng.random_range(3..=5);
            let down = rng.random_range(2..=3);
            for strip in halves[1].split(across, along_x, g, rng) {
                cells.extend(strip.split(down, !along_x, g, rng));
            }
            cells
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn disjoint(a: &Rect, b: &Rect) -> bool {
        a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0
    }

    #[test]
    fn cells_of_a_block_stay_inside_it_and_apart() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for i in 0..400 {
            let mix = if i % 2 == 0 { Mix::VARIED } else { Mix::MEDIUM };
            let block = Rect::new(100.0, 50.0, 540.0, 350.0);
            let cells = partition(block, mix, &mut rng);
            for (i, a) in cells.iter().enumerate() {
                assert!(a.x0 >= block.x0 && a.x1 <= block.x1 + 1e-9);
                assert!(a.y0 >= block.y0 && a.y1 <= block.y1 + 1e-9);
                assert!(a.width() > 20.0 && a.height() > 20.0, "{a:?}");
                for b in &cells[i + 1..] {
                    assert!(disjoint(a, b), "{a:?} {b:?}");
                }
            }
            let covered: f64 = cells.iter().map(Rect::area).sum();
            assert!(covered > 0.8 * block.area());
        }
    }

    #[test]
    fn spans_leave_streets_and_avenues_between_blocks() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let s = spans(0.0, 5_000.0, &BLOCK_WIDTHS_M, &mut rng);
        assert!(s.blocks.len() >= 9);
        assert!(s.blocks.last().is_some_and(|b| b.hi <= 5_000.0));
        for w in s.blocks.windows(2) {
            let gap = w[1].lo - w[0].hi;
            assert!((gap - STREET_M).abs() < 1e-9 || (gap - AVENUE_M).abs() < 1e-9, "{gap}");
        }
        assert_eq!(s.avenues.len(), s.blocks.len() / AVENUE_EVERY);
    }
}
