//! Credit: KUR tiers, commercial and informal loans, approval, and monthly debt service.
//!
//! A borrower's loans are pooled into one `Debt` (principal, blended monthly
//! rate, annuity payment), which is what monthly cash flow needs and keeps the
//! hot household state small.

use crate::rng::Rng;
use crate::scenario::Finance;
use rand::RngExt;

/// Who lent the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lender {
    Kur,
    Commercial,
    Informal,
}

/// Terms of an approved loan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loan {
    pub lender: Lender,
    pub amount: f64,
    /// Interest per month.
    pub rate_month: f64,
    pub term_months: u32,
}

/// Pooled outstanding debt of one borrower.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Debt {
    pub principal: f64,
    pub rate_month: f64,
    pub payment: f64,
    /// KUR loans taken so far (sets the KUR rate tier).
    pub kur_loans: u32,
}

/// Monthly payment that repays `principal` over `n` months at monthly rate `r`.
pub fn annuity(principal: f64, r: f64, n: u32) -> f64 {
    if principal <= 0.0 {
        return 0.0;
    }
    let n = f64::from(n.max(1));
    if r <= 0.0 {
        principal / n
    } else {
        principal * r / (1.0 - (1.0 + r).powf(-n))
    }
}

impl Debt {
    /// Adds a loan; the pooled payment is re-amortised over the new loan's term.
    pub fn add(&mut self, loan: Loan) {
        let total = self.principal + loan.amount;
        if total <= 0.0 {
            return;
        }
        self.rate_month =
            (self.principal * self.rate_month + loan.amount * loan.rate_month) / total;
        self.principal = total;
        self.payment = annuity(total, self.rate_month, loan.term_months);
        if loan.lender == Lender::Kur {
            self.kur_loans += 1;
        }
    }

    /// Pays this month's instalment; returns (cash paid, interest part).
    pub fn service(&mut self) -> (f64, f64) {
        if self.principal <= 0.0 {
            return (0.0, 0.0);
        }
        let interest = self.principal * self.rate_month;
        let pay = self.payment.min(self.principal + interest);
        self.principal += interest - pay;
        if self.principal < 1.0 {
            *self = Debt {
                kur_loans: self.kur_loans,
                ..Debt::default()
            };
        }
        (pay, interest)
    }

    /// Writes the debt off (default).
    pub fn write_off(&mut self) {
        *self = Debt {
            kur_loans: self.kur_loans,
            ..Debt::default()
        };
    }
}

/// Yearly KUR rate for a loan of `amount` after `kur_loans` earlier KUR loans; None above the small-loan ceiling.
pub fn kur_rate(f: &Finance, amount: f64, kur_loans: u32) -> Option<f64> {
    if amount <= f.kur_supermicro_max {
        Some(f.kur_supermicro_rate)
    } else if amount <= f.kur_small_max {
        let tier = (kur_loans as usize).min(f.kur_micro_rates.len() - 1);
        Some(f.kur_micro_rates[tier])
    } else {
        None
    }
}

/// What lenders know of a borrower.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    /// Collateral and bookkeeping (0-1).
    pub records: f64,
    /// The access-to-finance programme in the borrower's village (0-1).
    pub finance_effect: f64,
    /// Passes the formal lenders' check of a running, feasible business.
    pub sound: bool,
}

/// Asks lenders in order (KUR, commercial, then informal if allowed). Formal
/// lenders lend only to a `sound` borrower; moneylenders do not screen.
pub fn apply(
    f: &Finance,
    amount: f64,
    debt: &Debt,
    standing: Standing,
    allow_informal: bool,
    rng: &mut Rng,
) -> Option<Loan> {
    let u_kur: f64 = rng.random();
    let u_com: f64 = rng.random();
    apply_drawn(f, amount, debt, standing, allow_informal, (u_kur, u_com))
}

/// [`apply`] with its two uniforms (KUR's, then the bank's) drawn by the
/// caller, for borrowers that draw them whether they ask or not.
pub fn apply_drawn(
    f: &Finance,
    amount: f64,
    debt: &Debt,
    standing: Standing,
    allow_informal: bool,
    (u_kur, u_com): (f64, f64),
) -> Option<Loan> {
    if amount <= 0.0 {
        return None;
    }
    let Standing {
        records,
        finance_effect,
        sound,
    } = standing;
    let p_kur = (f.kur_approval
        * f.kur_supply
        * (f.kur_weight_base
            + f.kur_weight_records * records
            + f.kur_weight_programme * finance_effect)
        * (1.0 + f.kur_programme_boost * finance_effect))
        .min(1.0);
    if let Some(rate) = kur_rate(f, amount, debt.kur_loans)
        && sound
        && u_kur < p_kur
    {
        return Some(Loan {
            lender: Lender::Kur,
            amount,
            rate_month: rate / 12.0,
            term_months: f.term_months,
        });
    }
    if sound && u_com < f.commercial_approval * records {
        return Some(Loan {
            lender: Lender::Commercial,
            amount,
            rate_month: f.commercial_rate / 12.0,
            term_months: f.term_months,
        });
    }
    allow_informal.then_some(Loan {
        lender: Lender::Informal,
        amount,
        rate_month: f.informal_rate_month,
        term_months: f.informal_term_months,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn annuity_repays_exactly() {
        let mut d = Debt::default();
        d.add(Loan {
            lender: Lender::Kur,
            amount: 12e6,
            rate_month: 0.06 / 12.0,
            term_months: 24,
        });
        let mut paid = 0.0;
        for _ in 0..24 {
            paid += d.service().0;
        }
        assert_eq!(d.principal, 0.0);
        assert!(paid > 12e6 && paid < 12e6 * 1.07, "paid {paid}");
        assert_eq!(d.kur_loans, 1);
    }

    #[test]
    fn kur_tiers_follow_the_rules() {
        let f = Finance::default();
        assert_eq!(kur_rate(&f, 5e6, 0), Some(0.03));
        assert_eq!(kur_rate(&f, 50e6, 0), Some(0.06));
        assert_eq!(kur_rate(&f, 50e6, 3), Some(0.09));
        assert_eq!(kur_rate(&f, 50e6, 9), Some(0.09));
        assert_eq!(kur_rate(&f, 300e6, 1), Some(0.07));
        assert_eq!(kur_rate(&f, 600e6, 0), None);
    }

    #[test]
    fn tight_credit_lowers_approval() {
        let approvals = |supply: f64| {
            let f = Finance {
                kur_supply: supply,
                ..Finance::default()
            };
            let mut rng = stream(1, 0, 0, 0);
            (0..4000)
                .filter(|_| {
                    matches!(
                        apply(
                            &f,
                            20e6,
                            &Debt::default(),
                            Standing {
                                records: 0.5,
                                finance_effect: 0.5,
                                sound: true,
                            },
                            false,
                            &mut rng,
                        ),
                        Some(Loan {
                            lender: Lender::Kur,
                            ..
                        })
                    )
                })
                .count()
        };
        let normal = approvals(1.0);
        let tight = approvals(0.2);
        assert!(tight * 3 < normal, "tight {tight} normal {normal}");
    }
}
