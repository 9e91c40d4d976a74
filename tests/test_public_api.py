"""The public API: a sorted, complete __all__ with a docstring on everything it exports."""

from __future__ import annotations

import inspect

import summitry


def test_all_is_sorted_and_every_name_exists() -> None:
    assert summitry.__all__ == sorted(summitry.__all__)
    missing = [name for name in summitry.__all__ if not hasattr(summitry, name)]
    assert not missing


def test_all_is_exactly_the_public_names_of_the_root() -> None:
    public = {name for name in dir(summitry) if not name.startswith("_")}
    modules = {name for name in public if inspect.ismodule(getattr(summitry, name))}
    assert public - modules == set(summitry.__all__) - {"__version__"}


def test_importing_the_package_loads_no_engine() -> None:
    import subprocess
    import sys

    code = (
        "import sys, summitry; "
        "print(sorted(m for m in ('numba', 'numpy', 'matplotlib', 'pydantic') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_every_public_callable_and_class_has_a_docstring() -> None:
    undocumented = [
        name
        for name in summitry.__all__
        if (inspect.isclass(getattr(summitry, name)) or inspect.isfunction(getattr(summitry, name)))
        and not inspect.getdoc(getattr(summitry, name))
    ]
    assert not undocumented


def test_library_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan = summitry.Plan(
        summit=summitry.Summit(title="Harbour Talks"),
        parties=[
            summitry.Party(id="north", name="North"),
            summitry.Party(id="south", name="South"),
        ],  # type: ignore[arg-type]
    )
    summitry.save_plan(plan, tmp_path / "summit.toml")
    assert summitry.load_plan(tmp_path / "summit.toml") == plan
    assert summitry.parse_plan(summitry.dump_plan(plan)) == plan


def test_analyses_from_the_top_level() -> None:
    from summitry.cli import example_path

    plan = summitry.load_plan(example_path("summit.toml"))
    result = summitry.forecast(plan, iterations=1_000, seed=3)
    assert isinstance(result, summitry.Forecast)
    assert result.iterations == 1_000
    analysis = summitry.negotiation(plan)
    assert analysis.parties == ("russia", "united-states")
    assert analysis.nash.package is not None


def test_scenarios_and_venues_from_the_top_level() -> None:
    from summitry.cli import example_path

    plan = summitry.load_plan(example_path("summit.toml"))
    found = summitry.find_scenarios(summitry.cib_model(plan))
    assert found.exact
    assert found.consistent
    worst = summitry.under_scenario(plan, found.consistent[0])
    switched = [
        r
        for r in summitry.risk_register(plan, plan.summit.as_of, found.consistent[0])
        if r.active_in_scenario
    ]
    assert all(worst.risks[r.id].probability == 1 for r in switched)
    analysis = summitry.venue_analysis(plan)
    assert analysis.smaa is not None
