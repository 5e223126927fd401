//! Benchmarks of the simulation engine: one month of the default district, one whole replication, and setup.
//!
//! Run with `cargo bench`. Figures are reported in README.md.

use ovopsim::engine::{self, RunSpec, World};
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
    let mut t = 48;
    bencher.bench_local(|| {
        t += 1;
        world.step(t);
        world.observe()
    });
}

/// A whole 20-year replication of the default district (240 months, metrics every month).
#[divan::bench(sample_count = 5)]
fn replication_default_20_years() {
    let config = config(&[]);
    divan::black_box(engine::run(&config, SPEC));
}

/// A whole 20-year replication of a district ten times larger (500 villages, about 300,000 households).
#[divan::bench(sample_count = 3)]
fn replication_500_villages_20_years() {
    let config = config(&["district.villages=500", "programme.target_villages=200"]);
    divan::black_box(engine::run(&config, SPEC));
}
