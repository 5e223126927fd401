//! The source paper's institutional claims, each with the sign the paper argues and a knock-out: with the mechanism behind it switched off, the claim must fail.
//!
//! Every check compares paired replications of `ovop.toml` variants (same
//! seed, same streams), mostly at years 5 and 20. The default suite uses
//! `REPS` replications; `cargo test --release -- --ignored` runs the
//! 40-replication versions (2.5 or 6.25 times either for the checks whose
//! effects are small against the noise of the draw). docs/ODD.md 10 lists the
//! measured sizes.

#[macro_use]
mod common;
use common::*;
use ovopsim::results::ScenarioResults;

/// Replications in the default suite.
const REPS: u32 = 16;
/// Replications of the long checks.
const LONG_REPS: u32 = 40;
const YEAR5: usize = 60;
const YEAR10: usize = 120;
const YEAR20: usize = 240;
const INCOME: &str = "income_per_capita";

replicated_checks!(
    continuity_sustained_support_beats_moving_on_early,
    focus_and_finish_beats_spreading_thin,
    local_yet_global_export_contracts_raise_income,
    environmental_care_keeps_expanded_raw_cropping_productive,
    monitoring_and_evaluation_raises_income_in_the_second_decade,
    infrastructure_works_raise_income,
);

/// Paired difference `b - a` of income at `month`.
fn income_diff(
    a: &ScenarioResults,
    b: &ScenarioResults,
    month: usize,
) -> ovopsim::stats::PairedDiff {
    diff(&at(a, INCOME, month), &at(b, INCOME, month))
}

/// Asserts the difference is not shown negative: its 95% CI reaches zero or above.
fn assert_not_negative(what: &str, d: &ovopsim::stats::PairedDiff) {
    show(what, d);
    assert!(
        d.ci95_high >= 0.0,
        "{what}: shown negative, mean {:.0} CI [{:.0}, {:.0}]",
        d.mean,
        d.ci95_low,
        d.ci95_high
    );
}

/// Asserts the claim does not hold: the difference is not shown positive.
fn assert_not_positive(what: &str, d: &ovopsim::stats::PairedDiff) {
    show(&format!("knock-out {what}"), d);
    assert!(
        d.ci95_low <= 0.0,
        "knock-out {what}: the claim still holds, mean {:.0} CI [{:.0}, {:.0}]",
        d.mean,
        d.ci95_low,
        d.ci95_high
    );
}

/// "Continuity": agencies that stay until a village has finished beat
/// agencies that move on after a year, in year 5 and in year 20. Two
/// mechanisms carry it: support builds up to the S-shaped response's
/// threshold only where it stays, and graduation frees money once a
/// village has finished. Knock-out: with diminishing returns from the first
/// rupiah (`programme.effect_shape=1`) and no graduation, moving on spreads
/// the money wider and wins by year 20.
fn continuity_sustained_support_beats_moving_on_early(n: u32) {
    let sustained = run("ovop", &[], n);
    let move_on = run("ovop", &["programme.duration_years=1"], n);
    for month in [YEAR5, YEAR20] {
        assert_positive(
            &format!("income month {month}: sustained minus moving on after 1 year"),
            &income_diff(&move_on, &sustained, month),
        );
    }
    let off = ["programme.graduation_months=0", "programme.effect_shape=1"];
    let sustained = run("ovop", &off, n);
    let move_on = run("ovop", &[off[0], off[1], "programme.duration_years=1"], n);
    assert_not_positive(
        "without graduation, concave response, year 20",
        &income_diff(&move_on, &sustained, YEAR20),
    );
}

/// "Fokus dan tuntas": the same budget on 20 villages at a time beats it
/// spread over all 50. Knock-out: with diminishing returns from the first
/// rupiah (`programme.effect_shape=1`) and no graduation, spreading wins by year 20.
fn focus_and_finish_beats_spreading_thin(n: u32) {
    let focus = run("ovop", &[], n);
    let spread = run("ovop", &["programme.target_villages=50"], n);
    for month in [YEAR5, YEAR20] {
        assert_positive(
            &format!("income month {month}: 20 villages minus 50"),
            &income_diff(&spread, &focus, month),
        );
    }
    let off = ["programme.effect_shape=1", "programme.graduation_months=0"];
    let focus = run("ovop", &off, n);
    let spread = run("ovop", &[off[0], off[1], "programme.target_villages=50"], n);
    assert_not_positive(
        "concave response, no graduation, year 20",
        &income_diff(&spread, &focus, YEAR20),
    );
}

/// Infrastructure: the roads, power and water works that infrastructure
/// money builds (durable, `programme.infrastructure_decay`) narrow the
/// transport margin between market and farm gate and lower groups'
/// transport, energy and spoilage costs, which raises income over the
/// programme's twenty years. Knock-out: with neither margin nor costs
/// depending on infrastructure (`economy.infrastructure_price_gap=0`,
/// `groups.other_cost_infrastructure=0`; only local demand still does),
/// the works no longer raise income. Run at 2.5 times the suite's
/// replications: the gain (+2.0k at 40) is about a 16-replication CI's
/// half-width.
fn infrastructure_works_raise_income(n: u32) {
    let n = n * 5 / 2;
    let horizon = |r: &ScenarioResults| mean_over(r, INCOME, 1, YEAR20);
    let none = "programme.infrastructure_gap_closed=0";
    let works = run("ovop", &[], n);
    let no_works = run("ovop", &[none], n);
    assert_positive(
        "income over years 1-20: infrastructure works minus none",
        &diff(&horizon(&no_works), &horizon(&works)),
    );
    let off = [
        "economy.infrastructure_price_gap=0",
        "groups.other_cost_infrastructure=0",
    ];
    let works = run("ovop", &off, n);
    let no_works = run("ovop", &[off[0], off[1], none], n);
    assert_not_positive(
        "margins and costs independent of infrastructure, income over years 1-20",
        &diff(&horizon(&no_works), &horizon(&works)),
    );
}

/// "Local yet global": firms with export access pay certified partner groups
/// part of the export price and order more, which raises income over the
/// twenty years and at year 20 (by year 5 few groups are certified and
/// partnered: +0.1k at 100 replications, too small to assert at 16). Knock-out: if export contracts paid and ordered as domestic
/// ones, export access would change nothing.
fn local_yet_global_export_contracts_raise_income(n: u32) {
    let with = run("ovop", &[], n);
    let without = run("ovop", &["firms.export_access_share=0"], n);
    assert_positive(
        "income over years 1-20: export access minus none",
        &diff(
            &mean_over(&without, INCOME, 1, YEAR20),
            &mean_over(&with, INCOME, 1, YEAR20),
        ),
    );
    assert_positive(
        "income month 240: export access minus none",
        &income_diff(&without, &with, YEAR20),
    );
    let domestic = ["firms.export_price_share=0", "firms.export_volume_bonus=0"];
    let with = run("ovop", &domestic, n);
    let without = run(
        "ovop",
        &[domestic[0], domestic[1], "firms.export_access_share=0"],
        n,
    );
    assert_eq!(
        at(&with, INCOME, YEAR20),
        at(&without, INCOME, YEAR20),
        "knock-out: export access without export contracts changes income"
    );
}

/// "Menjaga kelestarian lingkungan": where the raw crop pays better than
/// staples (staple returns at the low end of their range, Rp1.5M/ha), members
/// crowd farmland with it and deplete it; the care that raw-material
/// programmes teach keeps the land healthier and income higher by year 20.
/// Knock-out: without depletion, care changes nothing at all.
///
/// Run at two and a half times the suite's replications (40 and 100): the
/// income gain, about Rp9k at 100 replications, is under the half-width of
/// a 16-replication CI (about Rp10k), so at 16 the check passed or failed
/// with the noise of the draw.
fn environmental_care_keeps_expanded_raw_cropping_productive(n: u32) {
    let n = n * 5 / 2;
    let pays = "economy.staple_return_ha=1500000";
    let care = run("ovop", &[pays], n);
    let careless = run("ovop", &[pays, "environment.care_effect=0"], n);
    for metric in ["resource_health", INCOME] {
        assert_positive(
            &format!("{metric} year 20: care minus none"),
            &diff(&at(&careless, metric, YEAR20), &at(&care, metric, YEAR20)),
        );
    }
    let still = "environment.depletion_rate=0";
    let care = run("ovop", &[pays, still], n);
    let careless = run("ovop", &[pays, still, "environment.care_effect=0"], n);
    assert_eq!(
        at(&care, INCOME, YEAR20),
        at(&careless, INCOME, YEAR20),
        "knock-out: care changes income on land that cannot deplete"
    );
}

/// "Monitoring and evaluation": with a perfect regional database, the
/// yearly review raises income over the second decade (years 11-20), once
/// its reallocations have compounded, and costs nothing over the first. The
/// review reads each kind's effect and each constraint's count through an
/// error that grows as the database worsens, and moves part of each target
/// village's money from kinds it reads as saturated to the remedy of the
/// most reported constraint. Knock-outs: with no money moved
/// (`programme.adaptive_shift=0`, villages still dropped when support
/// fails) the gain is not shown positive; judging villages after two funded
/// years whatever their support (`evaluation_support_reached=0`) lowers
/// income over the first decade. The gain (+2.1k at 100 replications) is
/// small against the noise of the draw, so its checks run at 6.25 times the
/// suite's replications (100 in the default suite).
fn monitoring_and_evaluation_raises_income_in_the_second_decade(n: u32) {
    let perfect = "information.quality=1";
    let first_decade = |r: &ScenarioResults| mean_over(r, INCOME, 1, YEAR10);
    let second_decade = |r: &ScenarioResults| mean_over(r, INCOME, YEAR10 + 1, YEAR20);
    let plan = run("ovop", &[perfect], n);
    let early = run(
        "ovop",
        &[
            perfect,
            "programme.adaptive=true",
            "programme.evaluation_support_reached=0",
        ],
        n,
    );
    assert_negative(
        "knock-out, villages judged after two funded years, income over years 1-10",
        &diff(&first_decade(&plan), &first_decade(&early)),
    );
    let n = n * 25 / 4;
    let plan = run("ovop", &[perfect], n);
    let adaptive = run("ovop", &[perfect, "programme.adaptive=true"], n);
    assert_not_negative(
        "income over years 1-10: adaptive minus the fixed plan",
        &diff(&first_decade(&plan), &first_decade(&adaptive)),
    );
    assert_positive(
        "income over years 11-20: adaptive minus the fixed plan",
        &diff(&second_decade(&plan), &second_decade(&adaptive)),
    );
    let unmoved = run(
        "ovop",
        &[
            perfect,
            "programme.adaptive=true",
            "programme.adaptive_shift=0",
        ],
        n,
    );
    assert_not_positive(
        "no money moved, income over years 11-20",
        &diff(&second_decade(&plan), &second_decade(&unmoved)),
    );
}
