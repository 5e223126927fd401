//! Fuzzing (issue 14): the scenario loader, `--set` and the villages CSV reader answer any input, mutated from a corpus of real and hostile files, with a value or an error, never a panic or a hang.
//!
//! Property tests with shrinking (proptest; cargo-fuzz needs a nightly
//! compiler). The corpus is `tests/fuzz/corpus/` plus the shipped scenarios,
//! the broken-file fixtures and the example villages file. `fuzz_quick` runs
//! in the default suite; `fuzz_for_ten_minutes` (`--ignored`) runs for
//! `OVOPSIM_FUZZ_SECS` seconds (default 600).

use ovopsim::scenario;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The folder `extends` is resolved in, holding the corpus files.
fn corpus_dir() -> PathBuf {
    root().join("tests/fuzz/corpus")
}

/// The texts of the corpus files ending in `ext`.
fn corpus(ext: &str) -> Vec<String> {
    let dirs = ["tests/fuzz/corpus", "scenarios", "tests/fixtures/bad"];
    let mut texts = Vec::new();
    for dir in dirs {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        paths.sort();
        texts.extend(
            paths
                .iter()
                .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()),
        );
    }
    assert!(!texts.is_empty());
    texts
}

/// Pieces of TOML and CSV that reach the edges of the readers.
const TOKENS: &[&str] = &[
    "=",
    "[",
    "]",
    "[[agencies]]",
    "[district]",
    "\"",
    "'",
    "\n",
    "\r\n",
    ",",
    ";",
    "{",
    "}",
    ".",
    "#",
    "1e308",
    "-1e308",
    "-1",
    "-0",
    "0",
    "0.5",
    "4294967296",
    "18446744073709551616",
    "nan",
    "inf",
    "true",
    "1979-05-27T07:32:00Z",
    "\"\"",
    "[]",
    "extends = \"huge-budget.toml\"\n",
    "extends = \"nan-inf.toml\"\n",
    "villages_file = \"quoted.csv\"\n",
    "years",
    "district.villages",
    "agencies[0].budget",
    "coffee",
    "é",
    "\u{0}",
    "\t",
];

/// One edit of a text: at a position, delete some characters, insert a token or repeat a slice.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, usize),
    Duplicate(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..40usize).prop_map(|(p, n)| Edit::Delete(p, n)),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(p, t)| Edit::Insert(p, t)),
        (any::<usize>(), 1..200usize).prop_map(|(p, n)| Edit::Duplicate(p, n)),
    ]
}

/// The nearest character boundary at or before `p % (len + 1)`.
fn boundary(text: &str, p: usize) -> usize {
    let mut p = p % (text.len() + 1);
    while !text.is_char_boundary(p) {
        p -= 1;
    }
    p
}

fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for e in edits {
        match *e {
            Edit::Delete(p, n) => {
                let a = boundary(&text, p);
                let b = boundary(&text, a + n.min(text.len() - a));
                let b = if b < a { a } else { b };
                text.replace_range(a..b, "");
            }
            Edit::Insert(p, t) => {
                let a = boundary(&text, p);
                text.insert_str(a, TOKENS[t]);
            }
            Edit::Duplicate(p, n) => {
                let a = boundary(&text, p);
                let b = boundary(&text, a + n.min(text.len() - a)).max(a);
                let slice = text[a..b].to_string();
                text.insert_str(b, &slice);
            }
        }
    }
    text
}

/// A `--set` argument: a declared key (or a mangled one) with a hostile value.
fn set_arg() -> impl Strategy<Value = String> {
    let keys: Vec<String> = scenario::PARAMS
        .iter()
        .map(|p| p.key.replace("[]", "[0]").replace("<kind>", "technology"))
        .collect();
    (
        proptest::sample::select(keys),
        0..TOKENS.len(),
        "[ -~]{0,12}",
        any::<bool>(),
    )
        .prop_map(|(key, t, free, token)| {
            let value = if token { TOKENS[t].to_string() } else { free };
            format!("{key}={value}")
        })
}

/// Loads `text` (as a file in the corpus folder) with `sets`: it must return, quickly, with a value or an error that prints.
fn loads_or_refuses(text: &str, sets: &[String]) -> Result<(), TestCaseError> {
    let start = Instant::now();
    let result = scenario::load_str(text, Path::new("fuzz.toml"), &corpus_dir(), sets);
    if let Err(e) = &result {
        prop_assert!(!e.to_string().is_empty());
    }
    prop_assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
    Ok(())
}

/// A villages file with this text, read through a scenario.
fn villages_file_loads_or_refuses(csv: &str) -> Result<(), TestCaseError> {
    let dir = std::env::temp_dir().join(format!("ovopsim-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let name = format!("{:?}.csv", std::thread::current().id()).replace(['(', ')'], "");
    let path = dir.join(name);
    std::fs::write(&path, csv).unwrap();
    let text = format!(
        "name = \"f\"\n[district]\ndistricts = 2\nvillages_file = {:?}\n",
        path.display().to_string()
    );
    let start = Instant::now();
    let result = scenario::load_str(&text, Path::new("fuzz.toml"), &dir, &[]);
    if let Err(e) = &result {
        prop_assert!(!e.to_string().is_empty());
    }
    prop_assert!(start.elapsed() < Duration::from_secs(10));
    Ok(())
}

/// Runs both targets for `cases` cases each from `seed`.
fn campaign(cases: u32, seed: u64) {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = |salt: u64| {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[8..16].copy_from_slice(&salt.to_le_bytes());
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
    };
    let tomls = corpus("toml");
    let toml_cases = (
        proptest::sample::select(tomls),
        proptest::collection::vec(edit(), 0..8),
        proptest::collection::vec(set_arg(), 0..3),
    );
    TestRunner::new_with_rng(config.clone(), rng(1))
        .run(&toml_cases, |(text, edits, sets)| {
            loads_or_refuses(&mutate(&text, &edits), &sets)
        })
        .unwrap();
    let csvs = corpus("csv");
    let csv_cases = (
        proptest::sample::select(csvs),
        proptest::collection::vec(edit(), 0..8),
    );
    TestRunner::new_with_rng(config, rng(2))
        .run(&csv_cases, |(text, edits)| {
            villages_file_loads_or_refuses(&mutate(&text, &edits))
        })
        .unwrap();
}

/// The default suite's share: a few hundred inputs per target, the same each run.
#[test]
fn fuzz_quick() {
    campaign(300, 14);
}

/// The long campaign: new seeds until the time is up (`OVOPSIM_FUZZ_SECS`, default 600).
#[test]
#[ignore = "long: at least ten minutes"]
fn fuzz_for_ten_minutes() {
    let secs: u64 = std::env::var("OVOPSIM_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let start = Instant::now();
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut batches = 0u64;
    while start.elapsed() < Duration::from_secs(secs) {
        eprintln!("fuzz: seed {seed}");
        campaign(1000, seed);
        seed += 1;
        batches += 1;
    }
    eprintln!(
        "fuzz: {} inputs per target in {:?}, no panic, no hang",
        batches * 1000,
        start.elapsed()
    );
}
