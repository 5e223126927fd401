//! Benchmarks of the simulation engine: a household-month, a village-month, a month of the default district, whole replications, and setup.
//!
//! Run with `cargo bench` (or `cargo bench -- household` for one). Figures
//! and the commands for the end-to-end targets are in README.md, section
//! "Performance". Benchmarks that step households report throughput in
//! household-months (divan's items per second).

use divan::counter::ItemsCount;
use ovopsim::engine::{self, RunSpec, World};
use ovopsim::model::household::{CasualMarket, HouseholdCtx, Households};
use ovopsim::model::{Derived, Kind};
use ovopsim::rng;
use ovopsim::scenario::{self, Config};
use std::path::Path;

fn main() {
    divan::main();
}

fn config(sets: &[&str]) -> Config {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ovop.toml");
    scenario::load(&path, &sets).expect("scenario loads")
}

const SPEC: RunSpec = RunSpec {
    seed: 1,
    point: 0,
    replication: 0,
};

/// The household phase (earn, consume and borrow, crops, training, adoption)
/// of 10,000 households for one month, with a programme running; per item =
/// one household-month of that phase alone.
#[divan::bench(sample_count = 50)]
fn household_month(bencher: divan::Bencher) {
    let config = config(&[]);
    let s = &config.scenario;
    let d = Derived::new(s);
    let n = 10_000;
    let mut rng = rng::stream(1, 0, 0, 0);
    let mut hh = Households::generate(n, s, &mut rng);
    let mut effect = [0.3; Kind::COUNT];
    effect[0] = 0.5;
    let ctx = HouseholdCtx {
        s,
        d: &d,
        growth: 1.0,
        raw_yield_ha: 60.0,
        farmgate: 30_000.0,
        staple_ha: s.economy.staple_return_ha,
        effect,
        aware_share: 0.3,
        member_share: 0.1,
        trust: 0.6,
        offer: Some((0.1, 0)),
        raw_crop_pays: true,
    };
    hh.initialise(&ctx);
    // Every seeker finds work: a month of full employment to start from.
    let market = CasualMarket {
        demand_days: 1e12,
        tight0: 0.0,
    };
    let mut hist = ovopsim::stats::Histogram::new();
    hh.settle_labour(&[], 0, s, 1.0, market, 0, &mut hist);
    hh.initial_savings(s);
    bencher
        .counter(ItemsCount::new(n))
        .bench_local(|| hh.step(&ctx, &mut rng));
}

/// One whole month of a world of one village (about 600 households): all
/// phases, including groups, firms, agencies, labour and metrics; per item =
/// one household-month of the whole model.
#[divan::bench(sample_count = 100)]
fn village_month(bencher: divan::Bencher) {
    let config = config(&["district.villages=1", "programme.target_villages=1"]);
    let mut world = World::new(&config, SPEC);
    for t in 1..=48 {
        world.step(t);
    }
    let households = world.villages[0].hh.len();
    let mut t = 48;
    bencher
        .counter(ItemsCount::new(households))
        .bench_local(|| {
            t += 1;
            world.step(t);
            world.observe()
        });
}

/// Building the default district: 50 villages, about 30,000 households.
#[divan::bench(sample_count = 20)]
fn setup_default_district(bencher: divan::Bencher) {
    let config = config(&[]);
    bencher.bench(|| World::new(&config, SPEC));
}

/// One month of the default district in its fifth year (groups and partnerships running).
#[divan::bench(sample_count = 50)]
fn month_default_district(bencher: divan::Bencher) {
    let config = config(&[]);
    let mut world = World::new(&config, SPEC);
    for t in 1..=48 {
        world.step(t);
    }
    let households: usize = world.villages.iter().map(|v| v.hh.len()).sum();
    let mut t = 48;
    bencher
        .counter(ItemsCount::new(households))
        .bench_local(|| {
            t += 1;
            world.step(t);
            world.observe()
        });
}

/// One whole 20-year replication of the default scenario (scenarios/ovop.toml:
/// 50 villages, about 30,000 households, 240 months, metrics every month).
/// `ovopsim run scenarios/ovop.toml --reps 100` runs 100 of these, two at a
/// time on two cores, plus the result files (README, "Performance").
#[divan::bench(sample_count = 5)]
fn replication_default_20_years() {
    let config = config(&[]);
    let _ = divan::black_box(engine::run(&config, SPEC));
}

/// A whole 20-year replication of a district ten times larger (500 villages, about 300,000 households).
#[divan::bench(sample_count = 3)]
fn replication_500_villages_20_years() {
    let config = config(&["district.villages=500", "programme.target_villages=200"]);
    let _ = divan::black_box(engine::run(&config, SPEC));
}
