//! Apportioning an exact integer total (e.g. thousandths of a mu) over members that each stay within bounds.

/// What one member may take: at least `lo`, at most `hi`, ideally `want`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Share {
    pub lo: i64,
    pub hi: i64,
    pub want: i64,
}

/// Amounts within each member's bounds that sum to exactly `total`, moving each member from what it wants in
/// proportion to its room to move; `None` when the bounds cannot reach the total.
pub(crate) fn apportion(total: i64, shares: &[Share]) -> Option<Vec<i64>> {
    let lo: i64 = shares.iter().map(|s| s.lo).sum();
    let hi: i64 = shares.iter().map(|s| s.hi).sum();
    if total < lo || total > hi || shares.iter().any(|s| s.lo > s.hi) {
        return None;
    }
    let mut amounts: Vec<i64> = shares.iter().map(|s| s.want.clamp(s.lo, s.hi)).collect();
    let mut diff = total - amounts.iter().sum::<i64>();
    let room = |s: &Share, a: i64, up: bool| if up { s.hi - a } else { a - s.lo };
    let up = diff > 0;
    let total_room: i64 = shares.iter().zip(&amounts).map(|(s, &a)| room(s, a, up)).sum();
    if total_room > 0 {
        let wanted = diff;
        for (s, a) in shares.iter().zip(amounts.iter_mut()) {
            let step = (i128::from(wanted) * i128::from(room(s, *a, up)) / i128::from(total_room)) as i64;
            *a += step;
            diff -= step;
        }
    }
    // What integer division left over, one unit at a time.
    while diff != 0 {
        let mut moved = false;
        for (s, a) in shares.iter().zip(amounts.iter_mut()) {
            if diff == 0 {
                break;
            }
            if room(s, *a, diff > 0) > 0 {
                *a += diff.signum();
                diff -= diff.signum();
                moved = true;
            }
        }
        if !moved {
            return None;
        }
    }
    Some(amounts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(lo: i64, hi: i64, want: i64) -> Share {
        Share { lo, hi, want }
    }

    #[test]
    fn the_amounts_sum_to_the_total_within_bounds() {
        let shares = [share(10, 100, 50), share(0, 40, 39), share(5, 7, 6), share(1, 1_000, 700)];
        for total in [16, 200, 795, 1_147] {
            let got = apportion(total, &shares).expect("reachable");
            assert_eq!(got.iter().sum::<i64>(), total);
            for (a, s) in got.iter().zip(&shares) {
                assert!((s.lo..=s.hi).contains(a), "{a} outside {s:?}");
            }
        }
    }

    #[test]
    fn a_total_the_bounds_cannot_reach_is_refused() {
        let shares = [share(10, 20, 15), share(10, 20, 15)];
        assert_eq!(apportion(19, &shares), None);
        assert_eq!(apportion(41, &shares), None);
        assert_eq!(apportion(40, &shares), Some(vec![20, 20]));
    }

    #[test]
    fn members_keep_what_they_want_when_it_already_adds_up() {
        let shares = [share(0, 100, 30), share(0, 100, 70)];
        assert_eq!(apportion(100, &shares), Some(vec![30, 70]));
    }
}
