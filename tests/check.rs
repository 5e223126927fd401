//! Broken scenario files (tests/fixtures/bad/) each get one precise message, exit code 2, and nothing written.

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// (fixture, the exact first line of the error, after "error: ").
const EXPECTED: &[(&str, &str)] = &[
    (
        "bad-name.toml",
        "tests/fixtures/bad/bad-name.toml:1:8: key `name`: must be non-empty letters, digits, '-' or '_' (it names the output folder), got \"bad name!\"",
    ),
    (
        "binary.toml",
        "cannot read scenario tests/fixtures/bad/binary.toml: not a text file (invalid UTF-8 at byte 0)",
    ),
    (
        "coordination-min-above-max.toml",
        "tests/fixtures/bad/coordination-min-above-max.toml:5:18: key `coordination.continuity_max`: must not be below coordination.continuity_min",
    ),
    (
        "cycle-a.toml",
        "tests/fixtures/bad/cycle-b.toml:2:11: key `extends`: extends cycle: tests/fixtures/bad/cycle-a.toml -> tests/fixtures/bad/cycle-b.toml -> tests/fixtures/bad/cycle-a.toml",
    ),
    (
        "cycle-b.toml",
        "tests/fixtures/bad/cycle-a.toml:2:11: key `extends`: extends cycle: tests/fixtures/bad/cycle-b.toml -> tests/fixtures/bad/cycle-a.toml -> tests/fixtures/bad/cycle-b.toml",
    ),
    (
        "date-value.toml",
        "tests/fixtures/bad/date-value.toml:3:14: key `start_year`: got the date 2025-01-01, but years are written as a number alone, e.g. 2025 for 2025-01-01; allowed: 1900 to 2200",
    ),
    (
        "duplicate-key.toml",
        "tests/fixtures/bad/duplicate-key.toml:3:1: key `years`: `years` is written twice; each key may appear once",
    ),
    (
        "event-before-start.toml",
        "tests/fixtures/bad/event-before-start.toml:5:8: key `events.weather[0].year`: must be 2025 to 2044, got 1990",
    ),
    (
        "list-for-section.toml",
        "tests/fixtures/bad/list-for-section.toml:3:12: key `district`: expected a section of keys, got a list [...]: write [district] on a line of its own and its keys below it, one per line (e.g. districts = 1); `ovopsim params district` lists its keys",
    ),
    (
        "many-errors.toml",
        "tests/fixtures/bad/many-errors.toml:3:9: key `years`: invalid type: string \"ten\", expected a whole number 0 or more; allowed: a whole number 1 to 100",
    ),
    (
        "min-above-max.toml",
        "tests/fixtures/bad/min-above-max.toml:5:16: key `district.cohesion_max`: must not be below district.cohesion_min",
    ),
    (
        "missing-parent.toml",
        "tests/fixtures/bad/missing-parent.toml:2:11: key `extends`: cannot read tests/fixtures/bad/no-such-file.toml: No such file or directory (os error 2)",
    ),
    (
        "mix-not-summing-to-1.toml",
        "tests/fixtures/bad/mix-not-summing-to-1.toml:7:7: key `agencies[0].mix`: must be shares of 0 or more that sum to 1, got a sum of 0.7",
    ),
    (
        "nan.toml",
        "tests/fixtures/bad/nan.toml:4:11: key `coordination.quality`: must be 0 to 1, got NaN",
    ),
    (
        "negative-count.toml",
        "tests/fixtures/bad/negative-count.toml:4:12: key `district.villages`: invalid value: integer `-3`, expected a whole number 0 or more; allowed: a whole number 1 to 100000",
    ),
    (
        "negative-money.toml",
        "tests/fixtures/bad/negative-money.toml:4:14: key `economy.group_wage`: must be 0 or more, got -5000",
    ),
    (
        "probability-above-1.toml",
        "tests/fixtures/bad/probability-above-1.toml:4:21: key `weather.flood_probability`: must be 0 to 1, got 1.5",
    ),
    (
        "shares-not-summing-to-1.toml",
        "tests/fixtures/bad/shares-not-summing-to-1.toml:4:12: key `programme.calendar`: must be shares of 0 or more that sum to 1, got a sum of 1.2",
    ),
    (
        "syntax.toml",
        "tests/fixtures/bad/syntax.toml:3:11: extra `=`, expected nothing",
    ),
    (
        "trust-above-one.toml",
        "tests/fixtures/bad/trust-above-one.toml:5:18: key `adoption.trust_cohesion`: must be at most 1 - adoption.trust_base (0.4) so that trust stays a share, got 0.6",
    ),
    (
        "unknown-choice.toml",
        "tests/fixtures/bad/unknown-choice.toml:2:12: key `approach`: unknown value `kawasn`; did you mean `kawasan`? (allowed: ovop, kawasan, none)",
    ),
    (
        "unknown-key.toml",
        "tests/fixtures/bad/unknown-key.toml:4:1: key `district.vilages`: unknown key `vilages`; did you mean `villages`? (allowed: districts, villages, villages_file, households_mean, households_sd, households_min, infrastructure_min, infrastructure_max, distance_km_mean, cohesion_min, cohesion_max, candidates_per_village, local_demand_base, distance_scale_km, criteria_min, criteria_max, imposed_criteria_max, fit_yield_base, fit_market_base, fit_market_potential, fit_market_specificity, fit_price_base, fit_price_uniqueness, fit_quality, dissolutions_before_new_product)",
    ),
    (
        "unknown-product.toml",
        "tests/fixtures/bad/unknown-product.toml:4:11: key `events.price[0].product`: unknown product \"durian\"; expected \"all\" or one of coffee, cocoa, coconut_sugar, cassava_chips, fruit_processing, fish_processing",
    ),
    (
        "wrong-type.toml",
        "tests/fixtures/bad/wrong-type.toml:2:9: key `years`: invalid type: string \"ten\", expected a whole number 0 or more; allowed: a whole number 1 to 100",
    ),
];

#[test]
fn every_broken_fixture_gets_its_precise_message() {
    for (file, expected) in EXPECTED {
        let path = format!("tests/fixtures/bad/{file}");
        let o = Command::new(env!("CARGO_BIN_EXE_ovopsim"))
            .current_dir(root())
            .args(["check", &path])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{file}");
        let err = String::from_utf8_lossy(&o.stderr);
        let first = err.lines().next().unwrap_or("");
        assert_eq!(first, format!("error: {expected}"), "{file}");
        assert!(
            o.stdout.is_empty(),
            "{file}: check prints nothing on stdout for a bad file"
        );
    }
}

/// Every problem of a file is listed in file order, type and range problems
/// alike; the range of a key whose type is wrong is not checked at a default.
#[test]
fn every_problem_of_a_file_is_listed() {
    let o = Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .args(["check", "tests/fixtures/bad/many-errors.toml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let f = "tests/fixtures/bad/many-errors.toml";
    let expected = [
        format!(
            "error: {f}:3:9: key `years`: invalid type: string \"ten\", expected a whole number 0 or more; allowed: a whole number 1 to 100"
        ),
        format!(
            "{f}:6:12: key `district.villages`: invalid type: string \"many\", expected a whole number 0 or more; allowed: a whole number 1 to 100000"
        ),
        format!("{f}:7:19: key `district.households_mean`: must be 1 to 20000, got -3"),
        format!("{f}:10:11: key `coordination.quality`: must be 0 to 1, got 1.5"),
        format!("{f}:13:21: key `weather.flood_probability`: must be 0 to 1, got 2"),
        format!("{f}:14:1: key `weather.drought`: unknown key `drought` (allowed: "),
        format!(
            "{f}:19:10: key `agencies[0].budget`: invalid type: string \"lots\", expected a number; allowed: 0 to 1000000000000000"
        ),
        format!(
            "{f}:20:7: key `agencies[0].mix`: expected a table of `name = value` entries, got a list [...]: write it as {{ technology = 0.5, website = 0.5 }} with any of: technology, quality_standards, "
        ),
    ];
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{err}");
    for (line, expected) in lines.iter().zip(&expected) {
        assert!(
            line.starts_with(expected.as_str()),
            "{line}\nexpected: {expected}"
        );
    }
}

/// A file with more problems than are worth reading lists the first 100 and says so.
#[test]
fn a_file_of_many_problems_lists_the_first_100() {
    let dir = std::env::temp_dir().join(format!("ovopsim-many-problems-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("many.toml");
    let mut text = String::from("name = \"many\"\n");
    for i in 0..150 {
        text.push_str(&format!(
            "[[events.weather]]\nkind = \"el_nino\"\nyear = \"y{i}\"\n"
        ));
    }
    std::fs::write(&file, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .args(["check", file.to_str().unwrap()])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 101, "{err}");
    assert!(
        lines[99].contains(":301:8: key `events.weather[99].year`: invalid type: string \"y99\""),
        "{}",
        lines[99]
    );
    assert!(
        lines[100].ends_with(
            "many.toml: more problems not listed (the first 100 are); fix these and check again"
        ),
        "{}",
        lines[100]
    );
}

#[test]
fn every_fixture_is_listed() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/fixtures/bad"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|(f, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(files, listed);
}

#[test]
fn broken_fixtures_write_nothing_on_any_command() {
    let out = std::env::temp_dir().join(format!("ovopsim-fixtures-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    for (file, _) in EXPECTED {
        let path = format!("tests/fixtures/bad/{file}");
        let o_str = out.to_str().unwrap();
        for args in [
            vec!["run", path.as_str(), "--out", o_str],
            vec![
                "compare",
                "scenarios/ovop.toml",
                path.as_str(),
                "--out",
                o_str,
            ],
            vec![
                "sweep",
                path.as_str(),
                "--vary",
                "years=1,2",
                "--out",
                o_str,
            ],
        ] {
            let o = Command::new(env!("CARGO_BIN_EXE_ovopsim"))
                .current_dir(root())
                .args(&args)
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert!(!out.exists(), "{args:?} wrote {}", out.display());
        }
    }
}
