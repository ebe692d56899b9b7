//! Which stored trade a rebuilt trade continues, so its id, notes, tags and attachments
//! survive a rebuild.
//!
//! A rebuilt trade is stored under its opening fill's key. Matched by that key alone, a
//! trade whose opening fill changes would be dropped with everything the trader wrote on
//! it: an older statement imported later adds a fill before its opening, or purging the
//! trade before a flip removes the flip fill. So a rebuilt trade without a stored key
//! takes over the stored trade it shares the most fills with, and a stored trade left over
//! that still shares fills with a rebuilt one (two trades joined by a new fill) is merged
//! into that trade's identity instead of being dropped.

use std::collections::HashMap;

use uuid::Uuid;

/// For each rebuilt trade, the stored trade with the same key (index into `stored`).
pub fn match_by_key(rebuilt: &[&str], stored: &[&str]) -> Vec<Option<usize>> {
    let index: HashMap<&str, usize> = stored.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    rebuilt.iter().map(|k| index.get(k).copied()).collect()
}

/// Gives the rebuilt trades still without a stored trade (`continues[i] == None`) the
/// unclaimed stored trade they share the most fills with, largest overlaps first.
///
/// `rebuilt[i]` are rebuilt trade i's execution ids; `unclaimed` lists the stored trades
/// no rebuilt trade has taken, as (index into the stored list, execution ids). Returns
/// the stored trades still left over, each with the rebuilt trade it shares the most
/// fills with, if any (merge into that one; none: remove).
pub fn match_by_fills(
    continues: &mut [Option<usize>],
    rebuilt: &[&[Uuid]],
    unclaimed: &[(usize, Vec<Uuid>)],
) -> Vec<(usize, Option<usize>)> {
    let owner: HashMap<Uuid, usize> = unclaimed
        .iter()
        .enumerate()
        .flat_map(|(j, (_, execs))| execs.iter().map(move |e| (*e, j)))
        .collect();
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    for (i, execs) in rebuilt.iter().enumerate() {
        for e in execs.iter() {
            if let Some(j) = owner.get(e) {
                *shared.entry((i, *j)).or_default() += 1;
            }
        }
    }
    // Largest overlap first; ties to the earlier trade, so the result does not depend on
    // the hash map's order.
    let mut pairs: Vec<((usize, usize), usize)> = shared.into_iter().collect();
    pairs.sort_by(|((i1, j1), c1), ((i2, j2), c2)| c2.cmp(c1).then(i1.cmp(i2)).then(j1.cmp(j2)));
    let mut taken = vec![false; unclaimed.len()];
    for ((i, j), _) in &pairs {
        if continues[*i].is_none() && !taken[*j] {
            continues[*i] = Some(unclaimed[*j].0);
            taken[*j] = true;
        }
    }
    unclaimed
        .iter()
        .enumerate()
        .filter(|(j, _)| !taken[*j])
        .map(|(j, (stored, _))| {
            let into = pairs
                .iter()
                .find(|((_, pj), _)| *pj == j)
                .map(|((i, _), _)| *i);
            (*stored, into)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<Uuid> {
        (0..n).map(|_| Uuid::new_v4()).collect()
    }

    #[test]
    fn keys_match_first() {
        assert_eq!(
            match_by_key(&["b", "x", "a"], &["a", "b"]),
            vec![Some(1), None, Some(0)]
        );
    }

    #[test]
    fn an_earlier_fill_keeps_the_stored_trade() {
        // Stored trade 0 held fills e1, e2; the rebuilt trade opens with a new fill e0.
        let e = ids(3);
        let mut continues = vec![None];
        let left = match_by_fills(
            &mut continues,
            &[&[e[0], e[1], e[2]]],
            &[(0, vec![e[1], e[2]])],
        );
        assert_eq!(continues, vec![Some(0)]);
        assert!(left.is_empty());
    }

    #[test]
    fn joined_trades_merge_into_the_larger_overlap() {
        // Stored 0: e0 e1; stored 1: e2 e3 e4; a new fill joins them into one trade.
        let e = ids(6);
        let mut continues = vec![None];
        let left = match_by_fills(
            &mut continues,
            &[&[e[0], e[1], e[5], e[2], e[3], e[4]]],
            &[(0, vec![e[0], e[1]]), (1, vec![e[2], e[3], e[4]])],
        );
        assert_eq!(continues, vec![Some(1)]);
        assert_eq!(left, vec![(0, Some(0))]);
    }

    #[test]
    fn a_trade_with_no_fills_left_is_removed_and_claimed_ones_stay() {
        let e = ids(4);
        // Rebuilt 0 kept its key (stored 2); stored 5 lost every fill.
        let mut continues = vec![Some(2), None];
        let left = match_by_fills(
            &mut continues,
            &[&[e[0]], &[e[1]]],
            &[(5, vec![e[2], e[3]])],
        );
        assert_eq!(continues, vec![Some(2), None]);
        assert_eq!(left, vec![(5, None)]);
    }

    #[test]
    fn without_a_key_the_larger_overlap_wins() {
        // Stored 0: e0..e4; rebuilt 0 has e0 e1, rebuilt 1 has e2 e3 e4.
        let e = ids(5);
        let mut continues = vec![None, None];
        let left = match_by_fills(
            &mut continues,
            &[&[e[0], e[1]], &[e[2], e[3], e[4]]],
            &[(0, e.clone())],
        );
        assert_eq!(continues, vec![None, Some(0)]);
        assert!(left.is_empty());
    }
}
