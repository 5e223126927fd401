//! The [programme] section: government programmes (ten types) and their delivery.

use super::ProgrammeKind;
use super::key::{ASM, section};
use std::collections::BTreeMap;

section! {
    /// Government programmes (ten types) and their delivery.
    pub struct Programme in "programme" {
        target_villages: u32 = 20 => {
            meaning: "villages on each agency's yearly list",
            unit: "villages",
            allowed: int(1, 100_000),
            source: ASM,
        },
        duration_years: u32 = 0 => {
            meaning: "years an agency funds a village before moving on (0 = no limit)",
            unit: "years",
            allowed: int(0, 100),
            source: "source paper: kawasan programmes stopped",
        },
        effect_decay: f64 = 0.03 => {
            meaning: "fading of programme effects without new money",
            unit: "per month",
            allowed: share,
            source: ASM,
        },
        infrastructure_decay: f64 = 0.005 => {
            meaning: "depreciation of the roads, power and water works infrastructure money builds (in place of effect_decay for that kind)",
            unit: "per month",
            allowed: share,
            source: "bounded assumption (0.0035-0.01: useful lives of about 8 to 24 years); works are assets, not services that fade when funding stops",
        },
        effect_shape: f64 = 2.0 => {
            meaning: "shape of the response to programme money: 1 diminishing returns from the first rupiah, above 1 a threshold below which little happens",
            unit: "Weibull shape",
            allowed: range(1.0, 4.0),
            source: "bounded assumption: the source paper's fokus dan tuntas (thin support achieves little); Indonesia's village fund cut poverty only after about four years (Andina and Kim 2023)",
        },
        graduation_months: u32 = 36 => {
            meaning: "months in a row a village has had an active group paying its members before agencies count it finished and move on (0 = never)",
            unit: "months",
            allowed: int(0, 1200),
            source: "bounded assumption (12-60): the source paper's fokus dan tuntas, support until a village stands on its own",
        },
        saturation: BTreeMap<ProgrammeKind, f64> = default_saturation() => {
            meaning: "money at 63% of full effect",
            unit: "Rp/village",
            allowed: positive_at_most(1e15),
            source: "assumption (infrastructure: scaled to the village fund, about Rp943M per village per year in 2024)",
        },
        calendar: Vec<f64> = vec![0.02, 0.03, 0.05, 0.07, 0.08, 0.08, 0.09, 0.10, 0.10, 0.11, 0.12, 0.15] => {
            meaning: "planned share of the yearly budget per month (slow start, year-end rush)",
            unit: "shares Jan-Dec",
            allowed: by_hand("shares of 0 or more that sum to 1"),
            source: "assumption after APBN/APBD disbursement practice",
        },
        adaptive: bool = false => {
            meaning: "yearly monitoring and evaluation reallocates budget",
            unit: "true/false",
            allowed: any,
            source: "source paper: evaluation step",
        },
        adaptive_shift: f64 = 0.2 => {
            meaning: "share of a reviewed village's money moved towards its binding constraint by adaptive management",
            unit: "share/year",
            allowed: share,
            source: ASM,
        },
        evaluation_noise: f64 = 1.0 => {
            meaning: "error of the yearly evaluation's count of binding constraints with no regional database (scaled by 1 - information.quality)",
            unit: "log sd",
            allowed: range(0.0, 5.0),
            source: "bounded assumption (0-2): monitoring reads problems through reports of uneven quality",
        },
        evaluation_fail_after_years: u32 = 2 => {
            meaning: "years of funding after which an evaluation may find support not working in a village",
            unit: "years",
            allowed: int(0, 100),
            source: "assumption: two budget years before judging a village",
            advanced,
        },
        evaluation_fail_idle_months: f64 = 9.0 => {
            meaning: "months of a year without a working group (as the evaluation reads them) at which support is found not working",
            unit: "months",
            allowed: range(0.0, 12.0),
            source: ASM,
            advanced,
        },
        evaluation_saturated: f64 = 0.9 => {
            meaning: "mean effect of a remedy's kinds above which monitoring looks to the next constraint",
            unit: "effect 0-1",
            allowed: share,
            source: ASM,
            advanced,
        },
        evaluation_support_reached: f64 = 0.9 => {
            meaning: "effect of an agency's kinds in a village (weighted by its mix, as the evaluation reads it) from which a village without a working group is judged failing; below it, support is still building up and the village is kept (0: judged on years and idle months alone)",
            unit: "effect 0-1",
            allowed: share,
            source: "bounded assumption (0-1): an evaluation judges support that has had its chance; the village fund took about four years to show effects (Andina and Kim 2023)",
            advanced,
        },
        grant_share: f64 = 0.4 => {
            meaning: "finance-access money paid as grants to groups",
            unit: "share",
            allowed: share,
            source: ASM,
        },
        raw_material_yield_gain: f64 = 0.5 => {
            meaning: "raw-crop yield gain at full raw-material effect",
            unit: "share",
            allowed: range(0.0, 10.0),
            source: "assumption; farmer field schools: yields +13% in pilots, none at scale (Waddington et al. 2014)",
            advanced,
        },
        infrastructure_gap_closed: f64 = 0.6 => {
            meaning: "part of a village's infrastructure gap closed at full infrastructure effect",
            unit: "share",
            allowed: share,
            source: ASM,
            advanced,
        },
    }
}

/// Money per village at which each programme kind reaches 63% of its full effect.
fn default_saturation() -> BTreeMap<ProgrammeKind, f64> {
    use ProgrammeKind::*;
    [
        (Technology, 250e6),
        (QualityStandards, 150e6),
        (PromotionChannels, 150e6),
        (TradeFairs, 100e6),
        (FinanceAccess, 150e6),
        (HumanResources, 120e6),
        (Website, 40e6),
        (RawMaterial, 150e6),
        (Infrastructure, 800e6),
        (Empowerment, 80e6),
    ]
    .into_iter()
    .collect()
}
