"""ovopsim as an EMA Workbench model: uncertainties, levers and outcomes over scenario keys.

    from ema_workbench import perform_experiments
    from ovopsim import ema
    m = ema.model("scenarios/ovop.toml", baseline="scenarios/baseline.toml", reps=4)
    experiments, outcomes = perform_experiments(m, scenarios=50)

Uncertainties and levers are scenario keys with a range ``(lo, hi)`` (whole
numbers at both ends give an integer parameter) or a list of choices. An
experiment's values are applied as ``--set`` overrides: uncertainties to every
scenario run, levers to the programme scenario only. Each experiment runs
``reps`` replications with the same seed (common random numbers, so
experiments differ only by their parameters).

Outcomes, for each metric named: ``<metric>`` is the mean over replications
at the end of ``year`` (default: the horizon); with a ``baseline`` scenario,
``<metric>_gain`` is the programme's mean minus the baseline's, paired by
replication. EMA Workbench names must be Python identifiers, so a key's
parameter is named with ``.`` and ``[]`` replaced by ``_``
(``coordination.quality`` -> ``coordination_quality``); :func:`parameter_name`
gives it.

Use EMA Workbench's default ``SequentialEvaluator``: each experiment already
runs its replications on every core, with the GIL released.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from . import run as _run
from . import _sets, toml_value

#: Uncertainties of the default model: coordination between agencies, KUR credit and shocks.
DEFAULT_UNCERTAINTIES = {
    "coordination.quality": (0.1, 1.0),
    "finance.kur_supply": (0.1, 1.5),
    "prices.jumps_per_year": (0.0, 2.0),
    "prices.jump_sd": (0.05, 0.6),
    "weather.el_nino_every_years": (2.0, 10.0),
}

#: Outcomes of the default model.
DEFAULT_OUTCOMES = ("income_per_capita", "jobs_agroindustry", "poverty_rate")


def parameter_name(key: str) -> str:
    """The EMA Workbench name of a scenario key: ``agencies[0].budget`` -> ``agencies_0_budget``."""
    return re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9_]", "_", key)).strip("_")


def _parameters(spec: Mapping, ema):
    out, names = [], {}
    for key, domain in (spec or {}).items():
        name = parameter_name(key)
        if name in names:
            raise ValueError(f"{key} and {names[name]} have the same EMA name {name}")
        names[name] = key
        if isinstance(domain, (list, tuple)) and len(domain) == 2 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in domain
        ):
            lo, hi = domain
            if isinstance(lo, int) and isinstance(hi, int):
                out.append(ema.IntegerParameter(name, lo, hi))
            else:
                out.append(ema.RealParameter(name, float(lo), float(hi)))
        elif isinstance(domain, (list, tuple)):
            out.append(ema.CategoricalParameter(name, list(domain)))
        else:
            raise ValueError(f"{key}: give a range (lo, hi) or a list of choices, not {domain!r}")
    return out, names


def _value(summary, metric: str, month):
    rows = summary[summary["metric"] == metric]
    row = rows.iloc[-1] if month is None else rows[rows["month"] == month].iloc[0]
    return row


def model(
    scenario="scenarios/ovop.toml",
    baseline=None,
    uncertainties: Mapping | None = None,
    levers: Mapping | None = None,
    outcomes: Sequence[str] = DEFAULT_OUTCOMES,
    year: int | None = None,
    reps: int = 5,
    seed: int = 1,
    years: int | None = None,
    set=None,
    name: str = "ovopsim",
    base_dir=None,
):
    """An ``ema_workbench.Model`` running ``scenario`` (and ``baseline``, if given) per experiment.

    ``uncertainties`` defaults to :data:`DEFAULT_UNCERTAINTIES`; ``levers`` to none.
    ``years`` and ``set`` are fixed overrides applied to every run (e.g. a
    small district for a quick exploration)."""
    import ema_workbench as ema

    if uncertainties is None:
        uncertainties = DEFAULT_UNCERTAINTIES
    u_params, u_keys = _parameters(uncertainties, ema)
    l_params, l_keys = _parameters(levers or {}, ema)
    fixed = _sets(years, set)
    month = None if year is None else 12 * int(year)

    def simulate(**values):
        common = [f"{u_keys[k]}={toml_value(v)}" for k, v in values.items() if k in u_keys]
        policy = [f"{l_keys[k]}={toml_value(v)}" for k, v in values.items() if k in l_keys]
        out = {}
        if baseline is None:
            r = _run(scenario, reps=reps, seed=seed, set=fixed + common + policy, base_dir=base_dir)
            for metric in outcomes:
                out[metric] = float(_value(r.summary, metric, month)["mean"])
            return out
        # Uncertainties hold in both worlds; levers are the programme's. Paired by replication.
        base = _run(baseline, reps=reps, seed=seed, set=fixed + common, base_dir=base_dir)
        prog = _run(scenario, reps=reps, seed=seed, set=fixed + common + policy, base_dir=base_dir)
        for metric in outcomes:
            b = base.series[base.series["metric"] == metric]
            p = prog.series[prog.series["metric"] == metric]
            m = p["month"].max() if month is None else month
            bv = b[b["month"] == m].set_index("replication")["value"]
            pv = p[p["month"] == m].set_index("replication")["value"]
            out[metric] = float(pv.mean())
            out[f"{metric}_gain"] = float((pv - bv).mean())
        return out

    m = ema.Model(name, function=simulate)
    m.uncertainties = u_params
    m.levers = l_params
    names = []
    for metric in outcomes:
        names.append(metric)
        if baseline is not None:
            names.append(f"{metric}_gain")
    m.outcomes = [ema.ScalarOutcome(n) for n in names]
    return m


__all__ = ["model", "parameter_name", "DEFAULT_UNCERTAINTIES", "DEFAULT_OUTCOMES"]
