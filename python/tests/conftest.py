"""Shared fixtures: the repository root and the command-line binary to compare against."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def cli():
    """Runs the `ovopsim` command line from the repository root: the binary named
    by OVOPSIM_CLI (CI passes the one `cargo test --release` built), else one
    built now with `cargo build --release`."""
    if os.environ.get("OVOPSIM_CLI"):
        binary = pathlib.Path(os.environ["OVOPSIM_CLI"]).resolve()
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
        binary = pathlib.Path(target) / "release" / "ovopsim"
    assert binary.is_file(), binary

    def call(*args, ok=True):
        p = subprocess.run([str(binary), *map(str, args)], cwd=ROOT, capture_output=True, text=True)
        if ok:
            assert p.returncode == 0, p.stderr
        return p

    return call


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    """Paths in the tests are relative to the repository root, as in the README."""
    monkeypatch.chdir(ROOT)
