"""ovopsim from Python: run the simulator in-process and get pandas DataFrames.

    import ovopsim
    r = ovopsim.run("scenarios/ovop.toml", reps=10, years=10,
                    set={"coordination.quality": 0.5})
    r.summary          # DataFrame, the columns of summary.csv
    r.plot("jobs_agroindustry")

Every function loads and validates the scenario as the command line does
(same checks, same error messages), runs it in the Rust library with the GIL
released, and returns the rows of the files the command line writes: the same
scenario, seed and overrides give the same numbers as ``ovopsim run``.
Ctrl-C (or a notebook's interrupt) stops a run before its next replication
and raises ``KeyboardInterrupt``.

A scenario is a path (``str`` or ``os.PathLike``), TOML text (a ``str``
holding a newline or ``=``), or a ``dict`` of the same keys (nested tables as
nested dicts). ``extends`` and ``district.villages_file`` in text or a dict
are relative to ``base_dir`` (default: the current folder). Text or a dict
without ``name`` is named "scenario".

Overrides: ``set`` is a dict ``{"key.path": value}`` or a list of
``"key.path=value"`` strings (as ``--set``); ``overlays`` is a list of partial
scenarios (dicts) applied, in order, before ``set``; ``years`` sets the
horizon (as ``--years``).
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from . import _ovopsim
from ._ovopsim import OvopsimError, ScenarioError

__version__ = _ovopsim.__version__

__all__ = [
    "run",
    "compare",
    "sweep",
    "check",
    "params",
    "metrics",
    "Result",
    "Comparison",
    "Sweep",
    "OvopsimError",
    "ScenarioError",
]

# ---------------------------------------------------------------- inputs

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(k: str) -> str:
    return k if _BARE_KEY.match(k) else json.dumps(k)


def toml_value(v: Any) -> str:
    """A Python value as a TOML value (inline tables for dicts), as ``--set`` takes it."""
    if hasattr(v, "item") and not isinstance(v, (list, tuple, dict)):
        v = v.item()  # numpy scalars
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{_toml_key(str(k))} = {toml_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} {v!r} as a scenario value")


def _dict_toml(d: Mapping) -> str:
    return "".join(f"{_toml_key(str(k))} = {toml_value(v)}\n" for k, v in d.items())


def _source(scenario: Any, base_dir: Any = None) -> tuple:
    base = os.fspath(base_dir) if base_dir is not None else "."
    if isinstance(scenario, Mapping):
        return ("dict", _dict_toml(scenario), base)
    if isinstance(scenario, os.PathLike):
        return ("path", os.fspath(scenario), base)
    if isinstance(scenario, str):
        if "\n" in scenario or "=" in scenario:
            return ("toml", scenario, base)
        return ("path", scenario, base)
    raise TypeError(
        f"a scenario is a path, TOML text or a dict, not {type(scenario).__name__}"
    )


def _flatten(d: Mapping, prefix: str = "") -> list:
    out = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.extend(_flatten(v, key + "."))
        else:
            out.append(f"{key}={toml_value(v)}")
    return out


def _sets(years: Any = None, set: Any = None, overlays: Iterable = ()) -> list:
    """``--years``, overlays, then ``set``, as ``key=value`` strings."""
    out = []
    if years is not None:
        out.append(f"years={int(years)}")
    for overlay in overlays or ():
        if isinstance(overlay, Mapping):
            out.extend(_flatten(overlay))
        else:
            raise TypeError("an overlay is a dict of scenario keys (a partial scenario)")
    if set is None:
        return out
    if isinstance(set, Mapping):
        out.extend(f"{k}={toml_value(v)}" for k, v in set.items())
    elif isinstance(set, str):
        out.append(set)
    else:
        out.extend(str(s) for s in set)
    return out


def _command(fn: str, **kw: Any) -> list:
    """How the manifest records the call."""
    return ["python", f"ovopsim.{fn}"] + [f"{k}={v!r}" for k, v in kw.items() if v not in (None, (), [])]


# Every value must parse to the exact float the simulator computed: pandas 3
# does so by default (and deprecates the option); earlier pandas needs "round_trip".
_EXACT = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


def _frame(text: str, text_columns: Sequence[str] = ("scenario",)) -> pd.DataFrame:
    return pd.read_csv(
        io.StringIO(text),
        **_EXACT,
        dtype={c: str for c in text_columns},
        keep_default_na=False,
        na_values=["NaN"],
    )


# ---------------------------------------------------------------- results


def _metric_info() -> dict:
    return {name: (unit, desc) for name, unit, desc in _ovopsim.metrics()}


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install matplotlib") from e
    return plt


def _check_metric(metric: str) -> None:
    names = [m[0] for m in _ovopsim.metrics()]
    if metric not in names:
        raise OvopsimError(f"{metric}: no such metric (metrics: {', '.join(names)})")


def _draw(ax, summary: pd.DataFrame, metric: str, start_year: int, label: str, band: bool):
    rows = summary[summary["metric"] == metric]
    x = start_year + rows["month"] / 12.0
    line = ax.plot(x, rows["mean"], label=label)[0]
    if band:
        ax.fill_between(x, rows["ci95_low"], rows["ci95_high"], alpha=0.25,
                        color=line.get_color(), linewidth=0)


def _labels(ax, metric: str, note: str):
    unit, desc = _metric_info()[metric]
    ax.set_title(desc)
    ax.set_xlabel("year")
    ax.set_ylabel(f"{metric} ({unit})")
    ax.legend(title=note)


class Result:
    """Replications of one scenario: ``summary`` and ``series`` in the layout of
    ``summary.csv`` and ``series.csv``, and ``manifest`` as ``manifest.json``."""

    def __init__(self, name: str, series_csv: str, summary_csv: str, manifest_json: str):
        self.name = name
        self.manifest = json.loads(manifest_json)
        self._series_csv = series_csv
        self._summary_csv = summary_csv
        self._series = None
        self._summary = None

    @property
    def series(self) -> pd.DataFrame:
        """``scenario,replication,month,metric,value``: one row per replication, month and metric."""
        if self._series is None:
            self._series = _frame(self._series_csv)
        return self._series

    @property
    def summary(self) -> pd.DataFrame:
        """``scenario,metric,month,mean,sd,ci95_low,ci95_high,p05,p50,p95,n``."""
        if self._summary is None:
            self._summary = _frame(self._summary_csv)
        return self._summary

    @property
    def scenario(self) -> dict:
        """The fully resolved scenario (defaults and overrides in place)."""
        return self.manifest["scenario"]

    def at(self, metric: str, year: int | None = None) -> pd.Series:
        """The summary row of ``metric`` at the end of ``year`` (default: the last month)."""
        _check_metric(metric)
        rows = self.summary[self.summary["metric"] == metric]
        row = rows.iloc[-1] if year is None else rows[rows["month"] == 12 * year].iloc[0]
        return row

    def save(self, out) -> None:
        """Writes ``series.csv``, ``summary.csv`` and ``manifest.json`` into folder ``out``,
        byte for byte as the simulator produced them."""
        os.makedirs(out, exist_ok=True)
        for name, text in [("series.csv", self._series_csv), ("summary.csv", self._summary_csv),
                           ("manifest.json", json.dumps(self.manifest, indent=2) + "\n")]:
            with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
                f.write(text)

    def plot(self, metric: str = "income_per_capita", ax=None, band: bool = True):
        """The mean of ``metric`` over calendar years with its 95% CI (matplotlib)."""
        _check_metric(metric)
        plt = _pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5))
        _draw(ax, self.summary, metric, self.scenario["start_year"], self.name, band)
        _labels(ax, metric, "mean, 95% CI" if band else "mean")
        return ax

    def __repr__(self) -> str:
        return (f"<ovopsim.Result {self.name!r}: {self.manifest['replications']} replications, "
                f"{self.scenario['years']} years, seed {self.manifest['seed']}>")


class Comparison:
    """Several scenarios run with the same seeds (paired replications)."""

    def __init__(self, files, comparison_csv: str, effects_csv: str, table: str):
        self.results = {f[0]: Result(*f) for f in files}
        self._comparison_csv = comparison_csv
        self.effects = _frame(effects_csv, ("scenario", "reference"))
        #: ``comparison.md``: key metrics at years 5, 10, 20 (within the horizon).
        self.table = table
        self._comparison = None

    @property
    def comparison(self) -> pd.DataFrame:
        """``comparison.csv``: mean, CI and the paired difference from the first scenario."""
        if self._comparison is None:
            self._comparison = _frame(self._comparison_csv)
        return self._comparison

    @property
    def summary(self) -> pd.DataFrame:
        return pd.concat([r.summary for r in self.results.values()], ignore_index=True)

    @property
    def series(self) -> pd.DataFrame:
        return pd.concat([r.series for r in self.results.values()], ignore_index=True)

    def __getitem__(self, name: str) -> Result:
        return self.results[name]

    def plot(self, metric: str = "income_per_capita", diff: bool = False, ax=None, band: bool = True):
        """Every scenario's mean with its 95% CI; with ``diff``, each minus the first (paired CI)."""
        _check_metric(metric)
        plt = _pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4.5))
        first = next(iter(self.results.values()))
        start = first.scenario["start_year"]
        if not diff:
            for r in self.results.values():
                _draw(ax, r.summary, metric, start, r.name, band)
            _labels(ax, metric, "mean, 95% CI" if band else "mean")
            return ax
        c = self.comparison
        for name in list(self.results)[1:]:
            rows = c[(c["scenario"] == name) & (c["metric"] == metric)]
            rows = rows[["month", "diff", "diff_ci95_low", "diff_ci95_high"]].set_axis(
                ["month", "mean", "ci95_low", "ci95_high"], axis=1)
            rows = rows.assign(metric=metric)
            _draw(ax, rows, metric, start, f"{name} - {first.name}", band)
        ax.axhline(0, color="grey", linewidth=0.8)
        _labels(ax, metric, "difference, paired 95% CI" if band else "difference")
        ax.set_title(f"{_metric_info()[metric][1]}: difference from {first.name}")
        return ax

    def __repr__(self) -> str:
        return f"<ovopsim.Comparison of {', '.join(self.results)}>"


class Sweep:
    """A sweep's ``points`` (points.csv), ``sweep`` (sweep.csv: summaries per point,
    metric and recorded month) and ``runs`` (sweep_runs.csv)."""

    def __init__(self, points_csv: str, sweep_csv: str, runs_csv: str, manifest_json: str):
        self.manifest = json.loads(manifest_json)
        keys = self.manifest["design"]["keys"]
        self.points = _frame(points_csv, ())
        self._sweep_csv = sweep_csv
        self._runs_csv = runs_csv
        self._sweep = None
        self._runs = None
        self.keys = keys

    @property
    def sweep(self) -> pd.DataFrame:
        if self._sweep is None:
            self._sweep = _frame(self._sweep_csv, ())
        return self._sweep

    @property
    def runs(self) -> pd.DataFrame:
        if self._runs is None:
            self._runs = _frame(self._runs_csv, ())
        return self._runs

    def outcome(self, metric: str, year: int | None = None, stat: str = "mean") -> pd.Series:
        """``stat`` of ``metric`` at the end of ``year`` (default: the last recorded month),
        one value per point, in point order (as SALib's analyze expects)."""
        _check_metric(metric)
        s = self.sweep[self.sweep["metric"] == metric]
        month = s["month"].max() if year is None else 12 * year
        s = s[s["month"] == month]
        if s.empty:
            raise OvopsimError(f"year {year}: not a recorded month of this sweep (every {self.manifest['design']['every_months']} months)")
        return s.set_index("point")[stat].sort_index()

    def __repr__(self) -> str:
        d = self.manifest["design"]
        return f"<ovopsim.Sweep {d['sampling']}: {d['points']} points over {', '.join(self.keys)}>"


# ---------------------------------------------------------------- commands


def run(scenario, reps: int = 20, seed: int = 1, years: int | None = None, set=None,
        overlays: Iterable = (), base_dir=None) -> Result:
    """Replications of one scenario, as ``ovopsim run``."""
    files = _ovopsim.run(_source(scenario, base_dir), _sets(years, set, overlays), int(reps),
                         int(seed), _command("run", scenario=scenario if not isinstance(scenario, Mapping) else "<dict>",
                                              reps=reps, seed=seed, years=years, set=set))
    return Result(*files)


def compare(scenarios: Sequence, reps: int = 20, seed: int = 1, years: int | None = None,
            set=None, overlays: Iterable = (), base_dir=None) -> Comparison:
    """Several scenarios with the same seeds, as ``ovopsim compare``; differences
    are against the first, paired by replication."""
    sources = [_source(s, base_dir) for s in scenarios]
    out = _ovopsim.compare(sources, _sets(years, set, overlays), int(reps), int(seed),
                           _command("compare", reps=reps, seed=seed, years=years, set=set))
    return Comparison(*out)


def sweep(scenario, vary=None, ranges=None, n: int | None = None, points=None, reps: int = 20,
          seed: int = 1, years: int | None = None, set=None, overlays: Iterable = (),
          every: int = 12, base_dir=None) -> Sweep:
    """A sweep, as ``ovopsim sweep``: a full grid of ``vary`` (``{key: [values]}`` or
    ``{key: "lo:hi:step"}``), a Latin hypercube of ``n`` points over ``ranges``
    (``{key: (lo, hi)}``), or the given ``points`` (a DataFrame or a list of dicts,
    one column or key per varied scenario key). Each point is the mean of
    ``reps`` replications with common random numbers."""
    vary_args, range_args, keys, rows = [], [], [], []
    if points is not None:
        if isinstance(points, pd.DataFrame):
            keys = [str(c) for c in points.columns]
            records = points.to_dict("records")
        else:
            records = list(points)
            keys = list(records[0]) if records else []
        rows = [[toml_value(p[k]) for k in keys] for p in records]
        if not rows:
            raise OvopsimError("points: no points given")
    elif ranges:
        range_args = [f"{k}={float(lo)!r}:{float(hi)!r}" for k, (lo, hi) in ranges.items()]
        if n is None:
            raise OvopsimError("sweep: a Latin hypercube needs n, the number of points")
    elif vary:
        if isinstance(vary, Mapping):
            for k, v in vary.items():
                text = v if isinstance(v, str) else ",".join(toml_value(x) for x in v)
                vary_args.append(f"{k}={text}")
        else:
            vary_args = [str(v) for v in vary]
    out = _ovopsim.sweep(_source(scenario, base_dir), _sets(years, set, overlays), int(reps),
                         int(seed), int(every), vary_args, range_args, n, keys, rows,
                         _command("sweep", reps=reps, seed=seed, years=years, set=set))
    return Sweep(*out)


def check(scenario, set=None, years: int | None = None, base_dir=None):
    """Validates scenarios without running them, as ``ovopsim check``.

    Returns ``{"file", "name", "villages", "years", "scenario"}`` (a list of them
    for a list of scenarios); raises ``ScenarioError`` naming the problems of
    every bad scenario, in the command line's words."""
    many = isinstance(scenario, (list, tuple))
    items = list(scenario) if many else [scenario]
    found, errors = [], []
    for s in items:
        src = _source(s, base_dir)
        try:
            name, villages, horizon, resolved = _ovopsim.check(src, _sets(years, set))
        except ScenarioError as e:
            errors.append(e)
            continue
        label = src[1] if src[0] == "path" else f"<{src[0]}>"
        found.append({"file": label, "name": name, "villages": villages, "years": horizon,
                      "scenario": json.loads(resolved)})
    if errors:
        if len(errors) == 1:
            raise errors[0]
        e = ScenarioError("\n".join(str(x) for x in errors))
        first = errors[0]
        for attr in ("file", "line", "column", "key"):
            setattr(e, attr, getattr(first, attr))
        e.problems = [p for x in errors for p in x.problems]
        raise e
    return found if many else found[0]


def params(filter: str | None = None, all: bool = False) -> pd.DataFrame:
    """Every scenario key with default, allowed values, unit, meaning and source,
    as ``ovopsim params [FILTER] [--all]``."""
    df = pd.DataFrame(_ovopsim.params(),
                      columns=["key", "default", "allowed", "unit", "meaning", "source", "advanced"])
    if filter is not None:
        df = df[df["key"].str.contains(filter, regex=False)]
        if df.empty:
            raise OvopsimError(f"no key contains {json.dumps(filter)}; `ovopsim params` lists them all")
    if not all:
        df = df[~df["advanced"]]
    return df.reset_index(drop=True)


def metrics() -> pd.DataFrame:
    """Every metric of the result tables: name, unit, description."""
    return pd.DataFrame(_ovopsim.metrics(), columns=["metric", "unit", "description"])
