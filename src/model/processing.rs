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
    /// one seeks one with probability `labour.processing_loan_seek / 12` and
    /// asks KUR, then a bank (no moneylender finances production). Returns
    /// the money lent this month (Rp).
    pub fn step(&mut self, hh: &mut Households, s: &Scenario, finance_effect: f64) -> f64 {
        let l = &s.labour;
        let p_seek = l.processing_loan_seek / 12.0;
        let earned = l.processing_loan * l.processing_capital_return;
        let mut lent = 0.0;
        for (&owner, left) in self.owner.iter().zip(&mut self.months_left) {
            let i = owner as usize;
            // One draw per business a month, taken or not, so that one
            // business's loan does not move the others' draws.
            let u: f64 = self.rng.random();
            if *left > 0 {
                hh.inc_other[i] += earned;
                *left -= 1;
                continue;
            }
            if u >= p_seek || hh.banned[i] || l.processing_loan <= 0.0 {
                continue;
            }
            let records = if hh.land[i] > 0.0 {
                s.finance.household_records_land
            } else {
                s.finance.household_records_landless
            };
            let standing = Standing {
                records,
                finance_effect,
                sound: true,
            };
            if let Some(loan) = finance::apply(
                &s.finance,
                l.processing_loan,
                &hh.debt[i],
                standing,
                false,
                &mut self.rng,
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

    #[test]
    fn businesses_borrow_and_earn_only_while_the_loan_runs() {
        let mut s = Scenario::default();
        s.labour.processing_share = 1.0;
        s.labour.processing_loan_seek = 1.0;
        s.finance.kur_approval = 1.0;
        s.finance.kur_supply = 1.0;
        s.finance.kur_weight_base = 1.0;
        let (mut hh, mut loans) = village(&s, 200);
        assert_eq!(loans.owner.len(), 200);
        assert_eq!(loans.financed(), 0);
        // Seeking is rare (1 in 12 a month at a yearly share of 1), approval certain.
        let lent = loans.step(&mut hh, &s, 0.0);
        let first = loans.financed();
        assert!(
            first > 0 && first < 60,
            "{first} of 200 borrowed in a month"
        );
        assert_eq!(lent, f64::from(first) * s.labour.processing_loan);
        let before: Vec<f64> = hh.inc_other.clone();
        loans.step(&mut hh, &s, 0.0);
        let gained = hh
            .inc_other
            .iter()
            .zip(&before)
            .filter(|(a, b)| *a > *b)
            .count();
        // Last month's borrowers earn the return this month.
        assert!(
            gained >= first as usize,
            "{gained} earned, {first} financed"
        );
        // A loan ends after its term, and the household owes it.
        assert!(hh.indebted.iter().filter(|&&d| d).count() >= first as usize);
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
