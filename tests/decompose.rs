//! `ovopsim decompose`: contributions add up to the effect, Shapley values are efficient, a channel that changes nothing gets exactly 0, results are byte-identical for any thread count, and bad input writes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary folder for one test.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ovopsim-decompose-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// ovop.toml with a single agency that pays for technology and empowerment
/// only: no infrastructure money, so switching infrastructure off changes nothing.
fn no_infrastructure(dir: &Path) -> PathBuf {
    let path = dir.join("no-infrastructure.toml");
    let ovop = root().join("scenarios/ovop.toml");
    std::fs::write(
        &path,
        format!(
            "extends = {:?}\nname = \"no-infrastructure\"\n\n[[agencies]]\nname = \"industry\"\nlevel = \"central\"\nbudget = 20_000_000_000\nmix = {{ technology = 0.6, empowerment = 0.4 }}\n",
            ovop.display().to_string()
        ),
    )
    .unwrap();
    path
}

/// Runs decompose on a small district: 6 villages, 3 years, 3 replications.
fn decompose(scenario: &Path, out: &Path, threads: &str, extra: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .env("RAYON_NUM_THREADS", threads)
        .arg("decompose")
        .arg(scenario)
        .args([
            "--against",
            "scenarios/baseline.toml",
            "--reps",
            "3",
            "--years",
            "3",
            "--set",
            "district.villages=6",
            "--quiet",
            "--out",
        ])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// decomposition.csv as (channel, metric, year) -> (kind, contribution, ci low, ci high).
type Rows = BTreeMap<(String, String, u32), (String, f64, f64, f64)>;

fn read_csv(dir: &Path) -> Rows {
    let text = std::fs::read_to_string(dir.join("decomposition.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "channel,kind,metric,year,contribution,ci95_low,ci95_high,knockout,knockout_ci95_low,knockout_ci95_high,method,order"
    );
    lines
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let num = |i: usize| f[i].parse::<f64>().unwrap();
            (
                (f[0].to_string(), f[2].to_string(), f[3].parse().unwrap()),
                (f[1].to_string(), num(4), num(5), num(6)),
            )
        })
        .collect()
}

/// For every metric and year: the channels' contributions plus the
/// remainder equal the total effect, and the total is scenario minus baseline.
fn assert_adds_up(rows: &Rows, channels: &[&str]) {
    let mut checked = 0;
    for ((channel, metric, year), (_, total, _, _)) in rows {
        if channel != "total" {
            continue;
        }
        let get = |c: &str| rows[&(c.to_string(), metric.clone(), *year)].1;
        let sum: f64 = channels.iter().map(|c| get(c)).sum::<f64>() + get("remainder");
        let scale = get("scenario").abs().max(1.0);
        assert!(
            (sum - total).abs() <= 1e-9 * scale,
            "{metric} year {year}: contributions + remainder {sum} != total {total}"
        );
        assert!((get("scenario") - get("baseline") - total).abs() <= 1e-9 * scale);
        checked += 1;
    }
    assert_eq!(checked, 3 * 4, "three metrics at years 0 to 3");
}

#[test]
fn sequential_adds_up_is_deterministic_and_a_channel_that_changes_nothing_gives_zero() {
    let dir = temp("sequential");
    let scenario = no_infrastructure(&dir);
    let channels = [
        "local_multiplier",
        "infrastructure",
        "technology",
        "empowerment",
    ];
    let list = channels.join(",");
    let one = dir.join("one");
    ok(&decompose(&scenario, &one, "1", &["--channels", &list]));
    let rows = read_csv(&one);
    assert_adds_up(&rows, &channels);
    for ((channel, _, _), (kind, c, lo, hi)) in &rows {
        if channel == "infrastructure" {
            assert_eq!(kind, "channel");
            assert_eq!((*c, *lo, *hi), (0.0, 0.0, 0.0), "no infrastructure money");
        }
    }
    // The programme has an effect, and the decomposition finds some of it.
    let income = |c: &str| rows[&(c.to_string(), "income_per_capita".to_string(), 3)].1;
    assert!(income("total") != 0.0);
    assert!(channels.iter().any(|c| income(c) != 0.0));

    let two = dir.join("two");
    ok(&decompose(&scenario, &two, "2", &["--channels", &list]));
    for file in ["decomposition.csv", "decomposition.md", "decomposition.tex"] {
        assert!(
            std::fs::read(one.join(file)).unwrap() == std::fs::read(two.join(file)).unwrap(),
            "{file} differs between 1 and 2 threads"
        );
    }

    let md = std::fs::read_to_string(one.join("decomposition.md")).unwrap();
    assert!(md.contains("## Mean income per capita (Rp per capita per month)\n\n| Channel | year 3 (Dec 2027) |\n|:--|--:|\n"), "{md}");
    assert!(md.contains("| infrastructure | 0 (0 to 0) |"), "{md}");
    assert!(md.contains("`programme.saturation.infrastructure=1e15`"));
    let tex = std::fs::read_to_string(one.join("decomposition.tex")).unwrap();
    assert_eq!(tex.matches("\\begin{tabular}").count(), 3);
    for metric in ["income_per_capita", "jobs_agroindustry", "poverty_rate"] {
        let png = std::fs::read(one.join(format!("charts/waterfall_{metric}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let svg =
            std::fs::read_to_string(one.join(format!("charts/waterfall_{metric}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg")
                && svg.contains("local_multiplier")
                && svg.contains("remainder")
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(one.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["kind"], "decompose");
    assert_eq!(manifest["design"]["method"], "sequential");
    // No channel, three more cumulative sets and three more single knock-outs.
    assert_eq!(manifest["design"]["arms"].as_array().unwrap().len(), 8);
    assert_eq!(
        manifest["design"]["arms"][1]["sets"][0],
        "economy.local_multiplier_days=0"
    );
}

#[test]
fn shapley_values_add_up_exact_and_sampled() {
    let dir = temp("shapley");
    let exact = dir.join("exact");
    let channels = ["local_multiplier", "promotion", "empowerment"];
    ok(&decompose(
        Path::new("scenarios/ovop.toml"),
        &exact,
        "2",
        &[
            "--channels",
            &channels.join(","),
            "--method",
            "shapley",
            "--no-charts",
        ],
    ));
    let rows = read_csv(&exact);
    assert_adds_up(&rows, &channels);
    let text = std::fs::read_to_string(exact.join("decomposition.csv")).unwrap();
    assert!(
        text.contains(",shapley (exact),\n"),
        "Shapley rows state no order"
    );
    let manifest = std::fs::read_to_string(exact.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"method\": \"shapley (exact)\""));

    // Seven channels are sampled: two orders, deterministic from the seed.
    let sampled = dir.join("sampled");
    let seven = [
        "local_multiplier",
        "export",
        "partnerships",
        "technology",
        "quality_standards",
        "promotion",
        "empowerment",
    ];
    ok(&decompose(
        Path::new("scenarios/ovop.toml"),
        &sampled,
        "2",
        &[
            "--channels",
            &seven.join(","),
            "--method",
            "shapley",
            "--permutations",
            "2",
            "--no-charts",
        ],
    ));
    assert_adds_up(&read_csv(&sampled), &seven);
    let text = std::fs::read_to_string(sampled.join("decomposition.csv")).unwrap();
    assert!(text.contains(",shapley (2 sampled permutations),"));
    assert!(!sampled.join("charts").exists(), "--no-charts");
}

#[test]
fn bad_input_is_refused_before_any_work() {
    let dir = temp("bad");
    let short = dir.join("short.toml");
    std::fs::write(
        &short,
        "name = \"short\"\napproach = \"none\"\nyears = 10\n",
    )
    .unwrap();
    let out = dir.join("out");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--channels", "local_multiplier,nonsense"],
            "--channels nonsense: no such channel",
        ),
        (
            &["--channels", "export,export"],
            "--channels export: given twice",
        ),
        (
            &["--metrics", "income_per_capita,nonsense"],
            "--metrics nonsense: no such metric",
        ),
        (
            &["--permutations", "5"],
            "--permutations applies to --method shapley",
        ),
        (
            &["--table-years", "2,9"],
            "--table-years: year 9 is beyond the 3-year horizon",
        ),
    ];
    for (args, message) in cases {
        let o = decompose(Path::new("scenarios/ovop.toml"), &out, "2", args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?}: nothing written");
    }
    // A baseline of another horizon (no --years to even them out).
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ovopsim"))
        .current_dir(root())
        .args(["decompose", "scenarios/ovop.toml", "--against"])
        .arg(&short)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("horizon of 10 years differs from scenarios/ovop.toml's 20; use --years"),
        "{err}"
    );
    assert!(!out.exists());
    // A scenario without a programme has no programme channels to decompose.
    let o = decompose(&short, &out, "2", &["--channels", "technology,promotion"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("no channel left to decompose: channel technology left out: the scenario runs no programme"),
        "{err}"
    );
    assert!(!out.exists());
}
