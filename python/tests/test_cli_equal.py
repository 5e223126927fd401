"""Results from Python are the command line's, byte for byte and value for value."""

import json

import pandas as pd
import pytest

import ovopsim

# A small district and a short horizon keep each run well under a second.
SMALL = ["--years", "3", "--set", "district.villages=6"]
SMALL_SET = {"district.villages": 6}


def cli_frame(path, text_columns=("scenario",)):
    return pd.read_csv(path, **ovopsim._EXACT, dtype={c: str for c in text_columns},
                       keep_default_na=False, na_values=["NaN"])


def test_run_equals_cli(cli, tmp_path):
    out = tmp_path / "run"
    cli("run", "scenarios/ovop.toml", "--reps", "3", "--seed", "7", *SMALL,
        "--set", "coordination.quality=0.4", "--out", out, "--quiet", "--no-charts")
    r = ovopsim.run("scenarios/ovop.toml", reps=3, seed=7, years=3,
                    set={**SMALL_SET, "coordination.quality": 0.4})
    # The same bytes as the CLI's files...
    r.save(tmp_path / "py")
    for name in ["series.csv", "summary.csv"]:
        assert (tmp_path / "py" / name).read_bytes() == (out / name).read_bytes(), name
    # ...and the same values in the DataFrames.
    pd.testing.assert_frame_equal(r.series, cli_frame(out / "series.csv"))
    pd.testing.assert_frame_equal(r.summary, cli_frame(out / "summary.csv"))
    assert list(r.summary.columns[:10]) == [
        "scenario", "metric", "month", "mean", "sd", "ci95_low", "ci95_high", "p05", "p50", "p95"]
    # Every value is the exact float written (shortest round-trip digits).
    exact = [float(line.rsplit(",", 1)[1]) for line in r._series_csv.splitlines()[1:]]
    assert r.series["value"].tolist() == exact
    cli_manifest = json.loads((out / "manifest.json").read_text())
    for key in ["tool", "version", "scenario", "scenario_file", "seed", "replications"]:
        assert r.manifest[key] == cli_manifest[key], key


def test_compare_equals_cli(cli, tmp_path):
    out = tmp_path / "cmp"
    cli("compare", "scenarios/baseline.toml", "scenarios/ovop.toml", "--reps", "3", *SMALL,
        "--out", out, "--quiet", "--no-charts")
    c = ovopsim.compare(["scenarios/baseline.toml", "scenarios/ovop.toml"], reps=3, years=3,
                        set=SMALL_SET)
    assert list(c.results) == ["baseline", "ovop"]
    assert c.comparison.equals(cli_frame(out / "comparison.csv"))
    pd.testing.assert_frame_equal(c.comparison, cli_frame(out / "comparison.csv"))
    pd.testing.assert_frame_equal(c.effects, cli_frame(out / "effects.csv", ("scenario", "reference")))
    assert c.table == (out / "comparison.md").read_text()
    for name in ["baseline", "ovop"]:
        pd.testing.assert_frame_equal(c[name].series, cli_frame(out / name / "series.csv"))
    diff = c.comparison.query("scenario == 'ovop' and metric == 'income_per_capita' and month == 36")
    assert diff["diff"].iloc[0] > 0


def test_grid_sweep_equals_cli(cli, tmp_path):
    out = tmp_path / "sweep"
    cli("sweep", "scenarios/ovop.toml", "--vary", "coordination.quality=0.3,0.8",
        "--vary", "finance.kur_supply=0.5:1:0.5", "--reps", "2", *SMALL, "--every", "6",
        "--out", out, "--quiet", "--no-charts")
    s = ovopsim.sweep("scenarios/ovop.toml",
                      vary={"coordination.quality": [0.3, 0.8], "finance.kur_supply": "0.5:1:0.5"},
                      reps=2, years=3, set=SMALL_SET, every=6)
    pd.testing.assert_frame_equal(s.points, cli_frame(out / "points.csv", ()))
    pd.testing.assert_frame_equal(s.sweep, cli_frame(out / "sweep.csv", ()))
    pd.testing.assert_frame_equal(s.runs, cli_frame(out / "sweep_runs.csv", ()))
    assert len(s.outcome("jobs_agroindustry", year=3)) == 4


def test_lhs_and_given_points_equal_cli(cli, tmp_path):
    out = tmp_path / "lhs"
    cli("sweep", "scenarios/ovop.toml", "--sample", "lhs", "--n", "3",
        "--range", "coordination.quality=0.2:0.9", "--reps", "2", *SMALL,
        "--out", out, "--quiet", "--no-charts")
    s = ovopsim.sweep("scenarios/ovop.toml", ranges={"coordination.quality": (0.2, 0.9)}, n=3,
                      reps=2, years=3, set=SMALL_SET)
    pd.testing.assert_frame_equal(s.sweep, cli_frame(out / "sweep.csv", ()))
    # The same points given explicitly give the same results.
    given = ovopsim.sweep("scenarios/ovop.toml", points=s.points.drop(columns="point"),
                          reps=2, years=3, set=SMALL_SET)
    pd.testing.assert_frame_equal(given.sweep, s.sweep)
    assert given.manifest["design"]["sampling"] == "given points"


def test_text_and_dict_scenarios_match_the_file(root):
    tomllib = pytest.importorskip("tomllib")
    path = root / "scenarios" / "ovop.toml"
    by_path = ovopsim.run(path, reps=2, years=2, set=SMALL_SET)
    by_text = ovopsim.run(path.read_text(), reps=2, years=2, set=SMALL_SET, base_dir=path.parent)
    with open(path, "rb") as f:
        by_dict = ovopsim.run(tomllib.load(f), reps=2, years=2, set=SMALL_SET)
    pd.testing.assert_frame_equal(by_text.series, by_path.series)
    pd.testing.assert_frame_equal(by_dict.series, by_path.series)
    # A partial dict extends a file; without a name it is called "scenario".
    partial = ovopsim.run({"extends": "scenarios/ovop.toml", "coordination": {"quality": 0.4}},
                          reps=2, years=2, set=SMALL_SET)
    overlaid = ovopsim.run(path, reps=2, years=2, set=SMALL_SET,
                           overlays=[{"coordination": {"quality": 0.4}}])
    assert partial.name == "scenario"
    assert partial.series["value"].equals(overlaid.series["value"])
    assert not partial.series["value"].equals(by_path.series["value"])


def test_params_and_check_match_cli(cli):
    listing = cli("params", "--all").stdout
    keys = [line.split(" ")[0] for line in listing.splitlines() if line and not line.startswith(" ")
            and not line.startswith("(")]
    assert ovopsim.params(all=True)["key"].tolist() == keys
    assert "coordination.quality" in ovopsim.params("coordination")["key"].tolist()
    info = ovopsim.check("scenarios/ovop.toml")
    line = cli("check", "scenarios/ovop.toml").stdout.strip()
    assert line == f"scenarios/ovop.toml: ok ({info['name']}, {info['villages']} villages, {info['years']} years)"
    assert {"metric", "unit", "description"} <= set(ovopsim.metrics().columns)
