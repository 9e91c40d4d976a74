"""A mutation fuzzer over plan files: whatever a user writes, every command answers calmly.

Each example mutates the bundled plan's text (a value replaced by an extreme or malformed one,
a line dropped or doubled, a key renamed, junk inserted) and runs every plan command on it
in-process. Each must exit 0 or 2; on 2 it prints exactly one line on standard error, never a
traceback or an internal error, and writes nothing. ``SUMMITRY_FUZZ_EXAMPLES`` sets the number
of examples (a few in ``make test``; ``make fuzz`` runs many and prints the tally).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summitry.cli import example_path, main

# The bundled plan with a short forecast, so that each example stays quick.
BASE = (
    example_path("summit.toml")
    .read_text(encoding="utf-8")
    .replace("iterations = 10000", "iterations = 200", 1)
)
LINES = BASE.splitlines()
VALUE_LINES = [i for i, line in enumerate(LINES) if re.match(r"^[a-z_-]+ = ", line)]


def _kind(line: str) -> str:
    value = line.split(" = ", 1)[1].split(" #")[0].strip()
    if re.fullmatch(r"\[[-\d., ]+\]", value):
        return "numbers"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "date"
    if re.fullmatch(r"-?[\d.]+(e-?\d+)?", value):
        return "number"
    return "other"


KIND_OF = {i: _kind(LINES[i]) for i in VALUE_LINES}

EXTREMES = [
    "1e308", "-1e308", "1e20", "inf", "-inf", "nan", "0", "-1", "1e-320", "99999999999999999999",
    "9999-12-31", "0001-01-01", "2024-02-30", "2024-7-19", '""', '"x"', '"' + "y" * 5000 + '"',
    '"line\\nbreak"', "[]", "[1e308, 1e308, 1e308]", "[-5, 0, 5]", "[nan, 1, 2]", "{}", "true",
    '"joint"', '["russia", "united-states"]', '"nobody"', '"russia"', "[[[[[[[[1]]]]]]]]",
]  # fmt: skip

BY_KIND = {
    "numbers": ["[1e308, 1e308, 1e308]", "[1e20, 1e20, 1e20]", "[nan, 1, 2]", "[inf, inf, inf]",
                "[-5, 0, 5]", "[1, 2]", "[3, 2, 1]", "[0, 0, 0]", "[1e-320, 1, 2]"],
    "number": ["1e308", "-1e308", "1e20", "inf", "nan", "-1", "0", "99999999999999999999"],
    "date": ["9999-12-31", "0001-01-01", "1900-01-01", "2200-12-31", "2024-02-30"],
    "other": EXTREMES,
}  # fmt: skip


@st.composite
def typed_value(draw: st.DrawFn) -> tuple[str, int, str]:
    """A value replaced by an extreme of its own kind: a number by a huge one, a date by an
    edge date; these reach the engines, where malformed text is stopped by the parser."""
    index = draw(st.sampled_from([i for i in VALUE_LINES if KIND_OF[i] != "other"]))
    return ("value", index, draw(st.sampled_from(BY_KIND[KIND_OF[index]])))


mutations = st.one_of(
    typed_value(),
    st.tuples(st.just("value"), st.sampled_from(VALUE_LINES), st.sampled_from(EXTREMES)),
    st.tuples(st.just("drop"), st.integers(0, len(LINES) - 1), st.just("")),
    st.tuples(st.just("double"), st.integers(0, len(LINES) - 1), st.just("")),
    st.tuples(st.just("rename"), st.sampled_from(VALUE_LINES), st.sampled_from(["x", "id", "_"])),
    st.tuples(
        st.just("junk"),
        st.integers(0, len(LINES) - 1),
        st.text(alphabet="[]{}=\"'#.,\\\n\t abc123-", min_size=1, max_size=12),
    ),
)


def mutate(steps: list[tuple[str, int, str]]) -> str:
    """The base plan's text with the mutations applied in order."""
    lines = list(LINES)
    for kind, index, value in steps:
        index %= len(lines)
        line = lines[index]
        if kind == "value" and " = " in line:
            lines[index] = line.split(" = ", 1)[0] + " = " + value
        elif kind == "drop":
            del lines[index]
        elif kind == "double":
            lines.insert(index, line)
        elif kind == "rename" and " = " in line:
            lines[index] = value + line[line.index(" = ") :]
        elif kind == "junk":
            lines.insert(index, value)
    return "\n".join(lines) + "\n"


COMMANDS = [
    ["validate", "plan.toml"],
    ["validate", "plan.toml", "--as", "russia"],
    ["status", "plan.toml"],
    ["forecast", "plan.toml", "--save", "out/forecast.json"],
    ["risks", "plan.toml"],
    ["venues", "plan.toml", "--as", "all"],
    ["scenarios", "plan.toml"],
    ["negotiate", "plan.toml", "--as", "russia"],
    ["negotiate", "plan.toml", "--mediate"],
    ["sitrep", "plan.toml", "--no-forecast", "-o", "out/report.md"],
]


def run(args: list[str]) -> tuple[int, str, str]:
    """One command in-process, with its standard output and error."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(args)
    return code, stdout.getvalue(), stderr.getvalue()


def check(text: str, *, strict: bool = False) -> list[str]:
    """Run every command on a plan text; the list of ways they misbehaved (empty: all calm).

    ``strict`` also counts a refusal (exit 2) as a failure: for the sound base plan.
    """
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        previous = os.getcwd()
        os.chdir(folder)
        try:
            Path("plan.toml").write_text(text, encoding="utf-8")
            for args in COMMANDS:
                Path("out").mkdir(exist_ok=True)
                code, _, err = run(args)
                written = sorted(p.name for p in Path("out").iterdir())
                where = " ".join(args)
                if code not in (0, 2) or (strict and code != 0):
                    failures.append(f"{where}: exit {code}: {err.strip()[:300]}")
                elif code == 2 and args[0] == "validate":
                    # validate lists every problem, one line each, each naming the file.
                    strays = [
                        x for x in err.splitlines() if not x.startswith(("plan.toml", "error:"))
                    ]
                    if strays:
                        failures.append(f"{where}: lines that name no place: {strays[:3]}")
                elif code == 2 and len(err.splitlines()) != 1:
                    failures.append(f"{where}: {len(err.splitlines())} lines: {err[:300]}")
                elif "Traceback" in err or "internal error" in err:
                    failures.append(f"{where}: {err[:300]}")
                elif code == 2 and written:
                    failures.append(f"{where}: wrote {written} and failed")
                for path in Path("out").iterdir():
                    if path.is_dir():
                        for inner in path.iterdir():
                            inner.unlink()
                        path.rmdir()
                    else:
                        path.unlink()
        finally:
            os.chdir(previous)
    return failures


@settings(
    max_examples=int(os.environ.get("SUMMITRY_FUZZ_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("SUMMITRY_FUZZ_RANDOM") != "1",
)
@given(st.lists(mutations, min_size=1, max_size=3))
def test_every_command_answers_a_mutated_plan_calmly(steps: list[tuple[str, int, str]]) -> None:
    failures = check(mutate(steps))
    assert not failures, "\n".join(failures)


def test_the_unmutated_plan_passes_every_command() -> None:
    # The fuzzer's base must itself be sound, or every mutation would fail for the same reason.
    assert "iterations = 200" in BASE
    assert check(BASE, strict=True) == []


def tally(count: int, seed: int = 0) -> tuple[int, list[str]]:
    """Run ``count`` random mutated plans; the number of inputs and every failure seen.

    Usage (what ``make fuzz`` runs): ``python tests/test_fuzz.py 500``.
    """
    import random

    rng = random.Random(seed)
    failures: list[str] = []
    for number in range(count):
        steps = []
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["typed", "typed", "value", "drop", "double", "rename", "junk"])
            if kind == "typed":
                index = rng.choice([i for i in VALUE_LINES if KIND_OF[i] != "other"])
                steps.append(("value", index, rng.choice(BY_KIND[KIND_OF[index]])))
            elif kind == "value":
                steps.append((kind, rng.choice(VALUE_LINES), rng.choice(EXTREMES)))
            elif kind == "rename":
                steps.append((kind, rng.choice(VALUE_LINES), rng.choice(["x", "id", "_"])))
            elif kind == "junk":
                junk = "".join(rng.choice("[]{}=\"'#.,\\\n\t abc123-") for _ in range(8))
                steps.append((kind, rng.randrange(len(LINES)), junk))
            else:
                steps.append((kind, rng.randrange(len(LINES)), ""))
        failures += [f"input {number} {steps}: {f}" for f in check(mutate(steps))]
    return count, failures


if __name__ == "__main__":
    import sys

    inputs, found = tally(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    for failure in found:
        print(failure)
    print(f"{inputs} mutated plans, {len(COMMANDS)} commands each: {len(found)} failures")
    sys.exit(1 if found else 0)
