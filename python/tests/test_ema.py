"""A small EMA Workbench experiment and a SALib Sobol design run through ovopsim."""

import warnings

import pytest

import ovopsim

ema_workbench = pytest.importorskip(
    "ema_workbench", reason="EMA Workbench is not installed (pip install ema_workbench)")


def test_small_ema_experiment_with_baseline():
    from ovopsim import ema

    model = ema.model("scenarios/ovop.toml", baseline="scenarios/baseline.toml",
                      levers={"programme.duration_years": (0, 5)},
                      outcomes=["income_per_capita", "jobs_agroindustry"],
                      reps=2, years=2, set={"district.villages": 5})
    assert {u.name for u in model.uncertainties} >= {"coordination_quality", "finance_kur_supply"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = ema_workbench.perform_experiments(model, scenarios=4, policies=2)
    assert len(experiments) == 8
    assert set(outcomes) == {"income_per_capita", "income_per_capita_gain",
                             "jobs_agroindustry", "jobs_agroindustry_gain"}
    assert all(len(v) == 8 for v in outcomes.values())
    # The same experiment run directly gives the same number (common random numbers, fixed seed).
    row = experiments.iloc[0]
    r = ovopsim.run("scenarios/ovop.toml", reps=2, years=2, set={
        "district.villages": 5,
        **{k: row[ema.parameter_name(k)] for k in ema.DEFAULT_UNCERTAINTIES},
        "programme.duration_years": int(row["programme_duration_years"])})
    assert r.at("income_per_capita")["mean"] == outcomes["income_per_capita"][0]


def test_salib_sobol_through_a_sweep_of_points():
    salib = pytest.importorskip("SALib", reason="SALib is not installed (pip install SALib)")
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample

    import pandas as pd

    problem = {"num_vars": 2, "names": ["coordination.quality", "finance.kur_supply"],
               "bounds": [[0.1, 1.0], [0.1, 1.5]]}
    x = sobol_sample.sample(problem, 8, calc_second_order=False, seed=1)
    s = ovopsim.sweep("scenarios/ovop.toml", points=pd.DataFrame(x, columns=problem["names"]),
                      reps=1, years=2, set={"district.villages": 4})
    y = s.outcome("income_per_capita", year=2).to_numpy()
    assert len(y) == len(x) == 8 * 4
    indices = sobol.analyze(problem, y, calc_second_order=False, seed=1)
    assert len(indices["ST"]) == 2
    assert salib is not None
