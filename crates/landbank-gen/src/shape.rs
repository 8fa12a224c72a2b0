//! Plot outlines in metres: rectangles, slightly rotated rectangles, trapezoids, irregular quadrilaterals and
//! L shapes drawn inside a cell, with their exact planar area and scaling to a target area.

use geo::Coord;
use rand::Rng;

use crate::layout::Rect;

/// The kinds of outline a plot can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShapeKind {
    Rectangle,
    /// A rectangle turned a few degrees.
    Rotated,
    /// A rectangle with one side shortened.
    Trapezoid,
    /// A rectangle with each corner pulled in a little.
    Quadrilateral,
    /// A rectangle with one corner cut out.
    LShape,
}

impl ShapeKind {
    /// A kind drawn with the weights given in percent for (rotated, trapezoid, quadrilateral, L); the rest are
    /// rectangles.
    pub(crate) fn pick(rng: &mut impl Rng, weights: [u32; 4]) -> ShapeKind {
        let mut roll = rng.random_range(0..100);
        for (kind, w) in [ShapeKind::Rotated, ShapeKind::Trapezoid, ShapeKind::Quadrilateral, ShapeKind::LShape]
            .into_iter()
            .zip(weights)
        {
            if roll < w {
                return kind;
            }
            roll -= w;
        }
        ShapeKind::Rectangle
    }
}

/// A simple polygon's ring in metres, counter-clockwise, without the closing point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outline(pub Vec<Coord>);

impl Outline {
    pub(crate) fn rectangle(r: Rect) -> Outline {
        Outline(r.ring().to_vec())
    }

    /// The largest outline of `kind` the generator draws inside `cell` (it never leaves the cell).
    pub(crate) fn inside(kind: ShapeKind, cell: Rect, rng: &mut impl Rng) -> Outline {
        match kind {
            ShapeKind::Rectangle => Outline::rectangle(cell),
            ShapeKind::Rotated => rotated(cell, rng),
            ShapeKind::Trapezoid => trapezoid(cell, rng),
            ShapeKind::Quadrilateral => quadrilateral(cell, rng),
            ShapeKind::LShape => l_shape(cell, rng),
        }
    }

    /// Twice the signed area (positive when counter-clockwise).
    fn doubled_signed_area(&self) -> f64 {
        let n = self.0.len();
        (0..n)
            .map(|i| {
                let a = self.0[i];
                let b = self.0[(i + 1) % n];
                a.x * b.y - b.x * a.y
            })
            .sum()
    }

    /// The planar area in m².
    pub(crate) fn area(&self) -> f64 {
        self.doubled_signed_area().abs() / 2.0
    }

    /// The area centroid.
    pub(crate) fn centroid(&self) -> Coord {
        let n = self.0.len();
        let (mut cx, mut cy) = (0.0, 0.0);
        for i in 0..n {
            let a = self.0[i];
            let b = self.0[(i + 1) % n];
            let cross = a.x * b.y - b.x * a.y;
            cx += (a.x + b.x) * cross;
            cy += (a.y + b.y) * cross;
        }
        let six_a = 3.0 * self.doubled_signed_area();
        Coord { x: cx / six_a, y: cy / six_a }
    }

    /// The outline scaled by `factor` about its centroid. With `factor <= 1` it stays inside any convex region
    /// that held it.
    #[must_use]
    pub(crate) fn scaled(&self, factor: f64) -> Outline {
        let c = self.centroid();
        Outline(self.0.iter().map(|p| Coord { x: c.x + (p.x - c.x) * factor, y: c.y + (p.y - c.y) * factor }).collect())
    }

    /// The outline scaled about its centroid to `area` m².
    #[must_use]
    pub(crate) fn with_area(&self, area: f64) -> Outline {
        self.scaled((area / self.area()).sqrt())
    }

    /// The bounding rectangle.
    pub(crate) fn bounds(&self) -> Rect {
        self.0.iter().fold(Rect::new(f64::MAX, f64::MAX, f64::MIN, f64::MIN), |r, c| {
            Rect::new(r.x0.min(c.x), r.y0.min(c.y), r.x1.max(c.x), r.y1.max(c.y))
        })
    }

    /// The same ring, counter-clockwise.
    fn counter_clockwise(mut self) -> Outline {
        if self.doubled_signed_area() < 0.0 {
            self.0.reverse();
        }
        self
    }
}

/// A rectangle turned by a few degrees, as large as fits in the cell.
fn rotated(cell: Rect, rng: &mut impl Rng) -> Outline {
    let (cell_w, cell_h) = (cell.width(), cell.height());
    // Keep the shorter side at least 70 % of the cell's.
    let limit = (0.25 * cell_w.min(cell_h) / cell_w.max(cell_h)).atan().min(10_f64.to_radians());
    let theta = rng.random_range(0.3..1.0) * limit * if rng.random_bool(0.5) { 1.0 } else { -1.0 };
    // The rectangle whose turned bounding box is the cell: w·cos + h·sin = W, w·sin + h·cos = H.
    let (sin, cos) = theta.abs().sin_cos();
    let det = cos * cos - sin * sin;
    let width = (cell_w * cos - cell_h * sin) / det;
    let height = (cell_h * cos - cell_w * sin) / det;
    if width <= 0.0 || height <= 0.0 {
        return Outline::rectangle(cell);
    }
    let centre = cell.centre();
    let (sin, cos) = theta.sin_cos();
    let (half_w, half_h) = (width / 2.0, height / 2.0);
    let corners = [(-half_w, -half_h), (half_w, -half_h), (half_w, half_h), (-half_w, half_h)];
    Outline(
        corners
            .iter()
            .map(|&(dx, dy)| Coord { x: centre.x + dx * cos - dy * sin, y: centre.y + dx * sin + dy * cos })
            .collect(),
    )
}

/// The cell with one side shortened from one or both ends.
fn trapezoid(cell: Rect, rng: &mut impl Rng) -> Outline {
    let mut ring = cell.ring().to_vec();
    let e = rng.random_range(0..4);
    let (p, q) = (ring[e], ring[(e + 1) % 4]);
    let t1: f64 = rng.random_range(0.0..0.15);
    let t2 = rng.random_range((0.08 - t1).max(0.0)..0.15);
    ring[e] = Coord { x: p.x + (q.x - p.x) * t1, y: p.y + (q.y - p.y) * t1 };
    ring[(e + 1) % 4] = Coord { x: q.x + (p.x - q.x) * t2, y: q.y + (p.y - q.y) * t2 };
    Outline(ring)
}

/// The cell with each corner pulled towards the centre by up to 7 % of the sides.
fn quadrilateral(cell: Rect, rng: &mut impl Rng) -> Outline {
    let centre = cell.centre();
    let (w, h) = (cell.width(), cell.height());
    Outline(
        cell.ring()
            .iter()
            .map(|c| Coord {
                x: c.x + (centre.x - c.x).signum() * w * rng.random_range(0.0..0.07),
                y: c.y + (centre.y - c.y).signum() * h * rng.random_range(0.0..0.07),
            })
            .collect(),
    )
}

/// The cell with a rectangular notch cut from one corner.
fn l_shape(cell: Rect, rng: &mut impl Rng) -> Outline {
    let (w, h) = (cell.width(), cell.height());
    let nw = w * rng.random_range(0.25..0.45);
    let nh = h * rng.random_range(0.25..0.45);
    // Drawn with the notch at the north-east corner, then mirrored to the chosen corner.
    let local = [(0.0, 0.0), (w, 0.0), (w, h - nh), (w - nw, h - nh), (w - nw, h), (0.0, h)];
    let flip_x = rng.random_bool(0.5);
    let flip_y = rng.random_bool(0.5);
    Outline(
        local
            .iter()
            .map(|&(x, y)| Coord {
                x: cell.x0 + if flip_x { w - x } else { x },
                y: cell.y0 + if flip_y { h - y } else { y },
            })
            .collect(),
    )
    .counter_clockwise()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use geo::{LineString, Polygon, Validation};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    const KINDS: [ShapeKind; 5] =
        [ShapeKind::Rectangle, ShapeKind::Rotated, ShapeKind::Trapezoid, ShapeKind::Quadrilateral, ShapeKind::LShape];

    #[test]
    fn every_kind_of_outline_is_valid_counter_clockwise_and_inside_its_cell() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        for cell in [
            Rect::new(0.0, 0.0, 200.0, 150.0),
            Rect::new(10.0, 20.0, 60.0, 160.0),
            Rect::new(-300.0, 40.0, 140.0, 380.0),
        ] {
            for kind in KINDS {
                for _ in 0..50 {
                    let o = Outline::inside(kind, cell, &mut rng);
                    assert!(o.doubled_signed_area() > 0.0, "{kind:?} is clockwise");
                    let b = o.bounds();
                    assert!(b.x0 >= cell.x0 - 1e-9 && b.x1 <= cell.x1 + 1e-9, "{kind:?}");
                    assert!(b.y0 >= cell.y0 - 1e-9 && b.y1 <= cell.y1 + 1e-9, "{kind:?}");
                    assert!(o.area() > 0.5 * cell.area(), "{kind:?} is too small");
                    let polygon = Polygon::new(LineString::new(o.0.clone()), vec![]);
                    assert!(polygon.is_valid(), "{kind:?}: {o:?}");
                }
            }
        }
    }

    #[test]
    fn scaling_to_an_area_reaches_it_and_keeps_the_centroid() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let o = Outline::inside(ShapeKind::LShape, Rect::new(0.0, 0.0, 180.0, 120.0), &mut rng);
        let smaller = o.with_area(12_345.0);
        assert_relative_eq!(smaller.area(), 12_345.0, max_relative = 1e-12);
        assert_relative_eq!(smaller.centroid().x, o.centroid().x, epsilon = 1e-9);
        assert_relative_eq!(smaller.centroid().y, o.centroid().y, epsilon = 1e-9);
    }

    #[test]
    fn a_rectangle_has_its_width_times_height() {
        let o = Outline::rectangle(Rect::new(1.0, 2.0, 11.0, 7.0));
        assert_relative_eq!(o.area(), 50.0);
        assert_relative_eq!(o.centroid().x, 6.0);
        assert_relative_eq!(o.centroid().y, 4.5);
    }
}
