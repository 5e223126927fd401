"""The engine runs with the GIL released, Ctrl-C stops it, results plot with matplotlib."""

import os
import signal
import threading
import time

import pytest

import ovopsim

SMALL_SET = {"district.villages": 6}


def test_gil_is_released_while_running():
    ticks = 0
    done = threading.Event()

    def work():
        ovopsim.run("scenarios/ovop.toml", reps=4, years=10, set={"district.villages": 20})
        done.set()

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    # Python kept running alongside the simulation.
    assert ticks > 20


def test_ctrl_c_stops_a_run_between_replications():
    # Python's own Ctrl-C handler, whatever the process started with or an
    # earlier test left: with SIGINT ignored the run is never interrupted.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    # About a minute of work if it were not stopped.
    try:
        with pytest.raises(KeyboardInterrupt):
            ovopsim.run("scenarios/ovop.toml", reps=400, years=20, set={"district.villages": 10})
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    elapsed = time.monotonic() - start
    assert elapsed < 15, elapsed
    # The library is usable afterwards.
    assert ovopsim.run("scenarios/ovop.toml", reps=1, years=1, set=SMALL_SET).summary.shape[0] > 0


def test_plot_draws_mean_and_band():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    r = ovopsim.run("scenarios/ovop.toml", reps=3, years=2, set=SMALL_SET)
    ax = r.plot("jobs_agroindustry")
    assert len(ax.lines) == 1 and len(ax.collections) == 1
    assert ax.lines[0].get_xdata()[0] == r.scenario["start_year"]
    c = ovopsim.compare(["scenarios/baseline.toml", "scenarios/ovop.toml"], reps=2, years=2, set=SMALL_SET)
    assert len(c.plot("income_per_capita").lines) == 2
    assert len(c.plot("income_per_capita", diff=True).lines) == 2  # the difference and zero
    with pytest.raises(ovopsim.OvopsimError):
        r.plot("no_such_metric")
