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
    """Runs the `ovopsim` command line (built with `cargo build --release` once) from the repository root."""
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
