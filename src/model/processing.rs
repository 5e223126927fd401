//! Households' own food-processing businesses: the working-capital loans they seek and what the capital earns.
//!
//! Most small processors run on their own capital (85-90%, FACTS); capital
//! is the second constraint they name. A business without a loan seeks one
//! now and then; a lender approves it by the same rules as any household
//! loan (7.15), so finance-access programmes widen this access as they widen
//! every other. While the loan runs, the borrowed working capital earns its
//! return in the household's other income; the household repays the loan
//! from its income like any debt.

use crate::model::finance::{self, Standing};
use crate::model::household::Households;
use crate::rng::Rng;
use crate::scenario::Scenario;
use rand::RngExt;

/// The processing businesses of one village and their working-capital loans.
#[derive(Debug, Clone)]
pub struct ProcessingLoans {
    /// The households that run a business (indices into the village's households).
    owner: Vec<u32>,
    /// Months left on each business's loan (0: none).
    months_left: Vec<u16>,
    /// The businesses' own stream: their draws leave every other draw of
    /// the village where it was.
    rng: Rng,
}

impl ProcessingLoans {
    /// The village's businesses, none of them borrowing yet. `village_rng` is
    /// the village's stream as generated (before any draw); the businesses
    /// take a stream of their own beside it.
    pub fn new(hh: &Households, village_rng: &Rng) -> Self {
        let mut rng = village_rng.clone();
        // Stream numbers are (replication << 32) | entity with replications
        // far below 2^31, so the top bit names a stream no other entity uses.
        rng.set_stream(village_rng.get_stream() ^ (1 << 63));
        rng.set_word_pos(0);
        let owner: Vec<u32> = hh
            .processing
            .iter()
            .enumerate()
            .filter(|(_, p)| **p > 0)
            .map(|(i, _)| u32::try_from(i).expect("fewer than 2^32 households in a village"))
            .collect();
        let months_left = vec![0; owner.len()];
        Self {
            owner,
            months_left,
            rng,
        }
    }

    /// Businesses with a loan running.
    pub fn financed(&self) -> u32 {
        self.months_left.iter().map(|&m| u32::from(m > 0)).sum()
    }

    /// One month, after the household phase has set this month's incomes:
    /// running loans earn their return and count down; a business without
    /// one seeks one at the rate `labour.processing_loan_seek / 12` and asks
    /// KUR, then a bank (no moneylender finances production). When a loan
    /// has run its term the working capital it bought, repaid by the
    /// household, returns to the household's savings; a household that
    /// defaults loses it. Returns the money lent this month (Rp).
    pub fn step(&mut self, hh: &mut Households, s: &Scenario, finance_effect: f64) -> f64 {
        let l = &s.labour;
        let p_seek = l.processing_loan_seek / 12.0;
        let earned = l.processing_loan * l.processing_capital_return;
        let mut lent = 0.0;
        for (&owner, left) in self.owner.iter().zip(&mut self.months_left) {
            let i = owner as usize;
            // Every business draws the same three uniforms every month,
            // asking or not, so that one business's loan (or a programme that
            // changes it) moves no other business's draws.
            let u_seek: f64 = self.rng.random();
            let u_lenders: (f64, f64) = (self.rng.random(), self.rng.random());
            if *left > 0 {
                if hh.banned[i] {
                    // Defaulted: the debt is written off and the capital gone with it.
                    *left = 0;
                    continue;
                }
                hh.inc_other[i] += earned;
                *left -= 1;
                if *left == 0 {
                    hh.savings[i] += l.processing_loan;
                }
                continue;
            }
            if u_seek >= p_seek || hh.banned[i] || l.processing_loan <= 0.0 {
                continue;
            }
            let standing = Standing {
                records: hh.records(i, s),
                finance_effect,
                sound: true,
            };
            if let Some(loan) = finance::apply_drawn(
                &s.finance,
                l.processing_loan,
                &hh.debt[i],
                standing,
                false,
                u_lenders,
            ) {
                lent += loan.amount;
                *left = u16::try_from(loan.term_months).unwrap_or(u16::MAX);
                hh.borrow(i, loan);
            }
        }
        lent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;
    use crate::scenario::Scenario;

    fn village(s: &Scenario, n: usize) -> (Households, ProcessingLoans) {
        let rng = stream(1, 0, 0, 16);
        let mut draws = rng.clone();
        let hh = Households::generate(n, s, &mut draws);
        let loans = ProcessingLoans::new(&hh, &rng);
        (hh, loans)
    }

    /// Every household runs a business, seeks at a yearly rate of 1 and is
    /// sure to be approved by KUR.
    fn eager_borrowers() -> Scenario {
        let mut s = Scenario::default();
        s.labour.processing_share = 1.0;
        s.labour.processing_loan_seek = 1.0;
        s.finance.kur_approval = 1.0;
        s.finance.kur_supply = 1.0;
        s.finance.kur_weight_base = 1.0;
        s
    }

    #[test]
    fn businesses_borrow_and_earn_only_while_the_loan_runs() {
        let mut s = eager_borrowers();
        let term = s.finance.term_months as usize;
        let (mut hh, mut loans) = village(&s, 200);
        assert_eq!(loans.owner.len(), 200);
        assert_eq!(loans.financed(), 0);
        // Seeking is rare (a twelfth a month at a yearly rate of 1), approval certain.
        let lent = loans.step(&mut hh, &s, 0.0);
        let first = loans.financed();
        assert!(
            first > 0 && first < 60,
            "{first} of 200 borrowed in a month"
        );
        assert_eq!(lent, f64::from(first) * s.labour.processing_loan);
        let borrowers: Vec<usize> = (0..200).filter(|&k| loans.months_left[k] > 0).collect();
        assert!(
            borrowers
                .iter()
                .all(|&k| hh.indebted[loans.owner[k] as usize])
        );
        // No one else borrows from here on; the first borrowers earn the
        // return in each of the next `term` months, and only then.
        s.labour.processing_loan_seek = 0.0;
        let earned = s.labour.processing_loan * s.labour.processing_capital_return;
        for month in 1..=term + 2 {
            let before = hh.inc_other.clone();
            let savings = hh.savings.clone();
            loans.step(&mut hh, &s, 0.0);
            for k in 0..200 {
                let i = loans.owner[k] as usize;
                let gain = hh.inc_other[i] - before[i];
                let expected = if borrowers.contains(&k) && month <= term {
                    earned
                } else {
                    0.0
                };
                assert_eq!(gain, expected, "business {k}, month {month}");
                // The working capital comes back when the term ends.
                let back = hh.savings[i] - savings[i];
                let expected = if borrowers.contains(&k) && month == term {
                    s.labour.processing_loan
                } else {
                    0.0
                };
                assert_eq!(back, expected, "business {k}, month {month}");
            }
        }
        assert_eq!(loans.financed(), 0);
    }

    #[test]
    fn a_defaulter_neither_borrows_nor_keeps_earning() {
        let s = eager_borrowers();
        let (mut hh, mut loans) = village(&s, 200);
        loans.step(&mut hh, &s, 0.0);
        let running = loans.financed();
        assert!(running > 0);
        hh.banned.fill(true);
        for _ in 0..24 {
            let before = hh.inc_other.clone();
            assert_eq!(loans.step(&mut hh, &s, 1.0), 0.0);
            assert_eq!(hh.inc_other, before);
        }
        assert_eq!(loans.financed(), 0);
    }

    #[test]
    fn no_business_borrows_without_lenders_or_a_wish_to() {
        let mut s = Scenario::default();
        s.labour.processing_share = 1.0;
        s.finance.kur_supply = 0.0;
        s.finance.commercial_approval = 0.0;
        let (mut hh, mut loans) = village(&s, 100);
        for _ in 0..24 {
            assert_eq!(loans.step(&mut hh, &s, 1.0), 0.0);
        }
        assert_eq!(loans.financed(), 0);
        s.finance.kur_supply = 1.0;
        s.labour.processing_loan_seek = 0.0;
        for _ in 0..24 {
            assert_eq!(loans.step(&mut hh, &s, 1.0), 0.0);
        }
        assert_eq!(loans.financed(), 0);
    }

    #[test]
    fn finance_access_widens_the_businesses_access() {
        let mut s = Scenario::default();
        s.labour.processing_share = 1.0;
        let borrowed = |effect: f64| {
            let (mut hh, mut loans) = village(&s, 2000);
            for _ in 0..12 {
                loans.step(&mut hh, &s, effect);
            }
            loans.financed()
        };
        let (without, with) = (borrowed(0.0), borrowed(1.0));
        assert!(
            with > without + without / 2,
            "{with} with, {without} without"
        );
    }
}
