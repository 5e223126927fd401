"""Bad input raises ovopsim.ScenarioError or ovopsim.OvopsimError with the command line's words."""

import pathlib

import pytest

import ovopsim

BAD = sorted(p.name for p in (pathlib.Path(__file__).resolve().parents[2] / "tests/fixtures/bad").glob("*.toml"))


def cli_error(cli, *args):
    p = cli(*args, ok=False)
    assert p.returncode == 2, p.stderr
    assert p.stderr.startswith("error: "), p.stderr
    return p.stderr[len("error: "):].rstrip("\n")


@pytest.mark.parametrize("name", BAD)
def test_every_bad_fixture_raises_the_cli_message(cli, name):
    path = f"tests/fixtures/bad/{name}"
    with pytest.raises(ovopsim.ScenarioError) as e:
        ovopsim.check(path)
    assert str(e.value) == cli_error(cli, "check", path)
    assert isinstance(e.value, ovopsim.OvopsimError) and isinstance(e.value, ValueError)
    assert e.value.problems or e.value.line is None


def test_location_attributes():
    with pytest.raises(ovopsim.ScenarioError) as e:
        ovopsim.run("tests/fixtures/bad/bad-name.toml")
    assert (e.value.file, e.value.line, e.value.column, e.value.key) == (
        "tests/fixtures/bad/bad-name.toml", 1, 8, "name")
    assert e.value.problems[0]["message"].startswith("must be non-empty letters")
    with pytest.raises(ovopsim.ScenarioError) as e:
        ovopsim.run("no/such/file.toml")
    assert e.value.file == "no/such/file.toml" and e.value.line is None
    assert str(e.value).startswith("cannot read scenario no/such/file.toml: ")


def test_overrides_and_text_are_located(cli):
    with pytest.raises(ovopsim.ScenarioError) as e:
        ovopsim.run("scenarios/ovop.toml", set={"coordination.quality": 1.5})
    assert str(e.value) == cli_error(cli, "check", "scenarios/ovop.toml", "--set", "coordination.quality=1.5")
    assert e.value.key == "coordination.quality" and e.value.file is None
    assert e.value.problems[0]["set"] == "coordination.quality=1.5"
    with pytest.raises(ovopsim.ScenarioError) as e:
        ovopsim.run('name = "x"\n[coordination]\nquality = 2\n')
    assert (e.value.file, e.value.line, e.value.key) == ("<string>", 3, "coordination.quality")
    with pytest.raises(ovopsim.ScenarioError) as e:
        ovopsim.run({"district": {"vilages": 3}})
    assert e.value.key == "district.vilages" and e.value.line is None
    assert "did you mean `villages`" in str(e.value)


def test_other_bad_input(cli):
    with pytest.raises(ovopsim.OvopsimError) as e:
        ovopsim.compare(["scenarios/ovop.toml", "scenarios/ovop.toml"], reps=1, years=1)
    assert str(e.value) == cli_error(cli, "compare", "scenarios/ovop.toml", "scenarios/ovop.toml",
                                     "--reps", "1", "--years", "1", "--no-charts")
    with pytest.raises(ovopsim.OvopsimError) as e:
        ovopsim.sweep("scenarios/ovop.toml", vary=["coordination.quality=0.5:0.2:0.1"], reps=1)
    assert str(e.value) == cli_error(cli, "sweep", "scenarios/ovop.toml", "--vary",
                                     "coordination.quality=0.5:0.2:0.1", "--reps", "1")
    with pytest.raises(ovopsim.OvopsimError):
        ovopsim.params("no-such-key")
    with pytest.raises(TypeError):
        ovopsim.run(42)
