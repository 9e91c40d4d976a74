"""The command-line application: its options, shared helpers and the error boundary.

Commands live in one module per group; each parses its options, calls one service and
renders the result. Modules import services and renderers inside the commands, so that
``summitry --version`` and ``--help`` start without loading any engine.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from summitry import __version__

if TYPE_CHECKING:
    from summitry.access.labels import Label
    from summitry.access.policy import Principal
    from summitry.services.source import PlanSource
    from summitry.store.reads import WorkspaceRef

JSON_SCHEMA_VERSION = 2
"""Version of the ``--json`` documents; bumped when a field changes meaning or disappears.

Version 2: ``viewer`` is an object naming the reader and clearances; results carry ``label``.
"""

app = typer.Typer(
    name="summitry",
    help="A workbench for preparing a high-level summit. Start with 'summitry demo'.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON document instead.")]
PlanArgument = Annotated[Path, typer.Argument(metavar="PLAN", help="The plan file (TOML).")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Reference date (YYYY-MM-DD) for due-soon and overdue; default: the plan's as_of, "
        "else today.",
    ),
]
AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        metavar="PARTY|joint|all",
        help="Read as this party, as 'joint' (what every party may read) or as 'all' (the whole "
        "file, the default here).",
    ),
]
CirculatingAsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        metavar="PARTY|joint|all",
        help="Who the written files are for: a party, 'joint' (what every party may read; the "
        "default for files that circulate) or 'all' (the whole file).",
    ),
]
CompartmentOption = Annotated[
    list[str] | None,
    typer.Option(
        "--compartment", metavar="NAME", help="A compartment the reader is cleared for (repeat)."
    ),
]
ScenarioOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        metavar="N",
        help="Consistent scenario N, numbered as 'summitry scenarios' lists them.",
    ),
]
WorkspaceOption = Annotated[
    str | None,
    typer.Option(
        "--workspace",
        "-w",
        metavar="NAME",
        help="Read the plan from this workspace of the database instead of a plan file.",
    ),
]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="FILE",
        help="The SQLite database file (default: SUMMITRY_DATABASE_URL, else summitry.db here).",
    ),
]
OptionalPlanArgument = Annotated[
    Path | None,
    typer.Argument(metavar="PLAN", help="The plan file (TOML); leave it out with --workspace."),
]
CIRCULATES = " — the default for files that circulate; --as names another reader"


def source_of(plan: Path | None, workspace: str | None, db: Path | None) -> PlanSource:
    """Where a command reads its plan: the PLAN file, or ``--workspace`` (not both).

    Usage: ``source_of(None, "demo", None)``.
    """
    from summitry.errors import InputError

    if workspace is None:
        if plan is None:
            raise InputError("give a plan file, or --workspace NAME to read one from the database")
        return plan
    if plan is not None:
        raise InputError(f"give a plan file or --workspace, not both ('{plan}' and '{workspace}')")
    return workspace_ref(workspace, db)


def source_words(source: PlanSource) -> str:
    """How a command line names a plan source: the file, or ``--workspace NAME [--db FILE]``.

    Usage: ``f"Next: summitry status {source_words(source)}"``.
    """
    if isinstance(source, Path):
        return str(source)
    return f"--workspace {source.name}" + (f" --db {source.db}" if source.db else "")


def workspace_ref(workspace: str, db: Path | None) -> WorkspaceRef:
    """A reference to a workspace of the database named by ``--db`` (or the default).

    Usage: ``workspace_ref("demo", Path("team.db"))``.
    """
    import getpass

    from summitry.store.reads import WorkspaceRef

    return WorkspaceRef(workspace, db, actor=f"{getpass.getuser()} (command line)")


def example_path(name: str) -> Path:
    """Path of a file of the bundled example (``briefing.txt``, ``summit.toml``).

    Usage: ``load(example_path("summit.toml"))``.
    """
    return Path(str(files("summitry").joinpath("examples", name)))


def principal_of(
    as_party: str | None, compartment: list[str] | None, *, circulates: bool = False
) -> Principal:
    """The reader of a command: the whole file by default, ``joint`` for circulating files.

    Usage: ``principal_of("russia", ["back-channel"])``.
    """
    from summitry.access.policy import ALL, Principal
    from summitry.domain.base import JOINT

    return Principal.of(as_party or (JOINT if circulates else ALL), compartment or ())


def default_note(as_party: str | None, circulates: bool) -> str:
    """What the first line adds when the reader is the default for circulating files."""
    return CIRCULATES if circulates and as_party is None else ""


def emit_json(
    kind: str,
    payload: dict[str, Any],
    principal: Principal | None = None,
    label: Label | None = None,
) -> None:
    """Print a ``--json`` document: schema version, kind, reader, label, then the payload.

    Usage: ``emit_json("status", {"dashboard": board}, principal, outcome.label)``.
    """
    from pydantic_core import to_jsonable_python

    from summitry.console import out

    document: dict[str, Any] = {"schema_version": JSON_SCHEMA_VERSION, "kind": kind}
    if principal is not None:
        document["viewer"] = principal.as_dict()
    if label is not None:
        document["label"] = label.as_dict()
    document.update(payload)
    out.out(json.dumps(to_jsonable_python(document), indent=2, ensure_ascii=False))


def parse_date(text: str | None, option: str) -> dt.date | None:
    """A date option, or a one-line error naming the option.

    Usage: ``parse_date("2024-09-16", "--summit-date")``.
    """
    if text is None:
        return None
    from summitry.domain.base import FIRST_DATE, LAST_DATE, is_supported_date
    from summitry.errors import InputError

    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: '{text[:80]}' is not a date; use YYYY-MM-DD") from None
    if not is_supported_date(day):
        raise InputError(
            f"{option}: {day} is outside the dates summitry supports ({FIRST_DATE} to {LAST_DATE})"
        )
    return day


def make_folder(folder: Path) -> None:
    """Create an output folder, or fail with one line.

    Usage: ``make_folder(Path("charts"))``.
    """
    from summitry.errors import InputError

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(f"{folder}: cannot create the folder ({err.strerror})") from None


def progress_bar() -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback drawing a bar on a terminal (None when output is not a terminal).

    Usage: ``with contextmanager(progress_bar)() as tick: forecast(plan, progress=tick)``.
    """
    from rich.progress import Progress

    from summitry.console import out

    if not out.is_terminal:
        yield None
        return
    with Progress(transient=True, console=out) as bar:
        task = bar.add_task("Simulating", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield tick


progress = contextmanager(progress_bar)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"summitry {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback of an internal error.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Declare the global options; main() reads --debug before any command runs."""


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code, turning every error into one line.

    Usage: ``sys.exit(run(["validate", "summit.toml"]))``.
    """
    from summitry.errors import SummitryError

    args = list(sys.argv[1:] if argv is None else argv) or ["--help"]
    debug = "--debug" in args
    try:
        # Without standalone mode the parser returns an exit code instead of calling exit().
        result = app(args=args, prog_name="summitry", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.TyperException as err:
        # Usage errors from the command-line parser (unknown option, missing argument, ...).
        command = " ".join(arg for arg in args[:1] if not arg.startswith("-"))
        hint = f" (see 'summitry {command} --help')" if command else " (see 'summitry --help')"
        typer.echo(f"error: {one_line(_usage_message(err))}{hint.replace('  ', ' ')}", err=True)
        return err.exit_code
    except BrokenPipeError:
        # The reader of our output went away (`summitry forecast ... | head`): not an error.
        return 0
    except typer.Abort:
        typer.echo("error: interrupted", err=True)
        return 130
    except SummitryError as err:
        typer.echo(f"error: {one_line(str(err))}", err=True)
        return 2
    except Exception as err:  # the one place that turns surprises into one line
        if debug:
            traceback.print_exc()
        typer.echo(
            f"internal error: {type(err).__name__}: {one_line(str(err))} (run with --debug for "
            "the traceback)",
            err=True,
        )
        return 1
    return result if isinstance(result, int) else 0


MESSAGE_LIMIT = 600
"""The longest error line we print; an input echoed in full could run to megabytes."""

_PARSER_WORDING = (
    (re.compile(r"Input should be a valid integer.*"), "not a whole number"),
    (re.compile(r"Input should be a valid number.*"), "not a number"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), r"must be at least \1"),
    (re.compile(r"Input should be less than or equal to (\S+)"), r"must be at most \1"),
)


def one_line(message: str) -> str:
    r"""A message as one line: newlines shown as ``\\n``, and cut at :data:`MESSAGE_LIMIT`.

    Usage: ``one_line("bad name 'a\\nb'")``.
    """
    flat = message.replace("\r", "\\r").replace("\n", "\\n")
    return flat if len(flat) <= MESSAGE_LIMIT else flat[: MESSAGE_LIMIT - 1] + "…"


def _usage_message(err: Exception) -> str:
    """The parser's message in our wording: ``--seed: not a whole number``."""
    from typer._click.exceptions import BadParameter

    if not isinstance(err, BadParameter) or err.param is None:
        return err.format_message() if isinstance(err, typer.TyperException) else str(err)
    hint = err.param_hint or err.param.get_error_hint()
    name = hint if isinstance(hint, str) else " / ".join(hint)
    message = err.message
    for pattern, ours in _PARSER_WORDING:
        message = pattern.sub(ours, message)
    return f"{name.strip(chr(39))}: {message}"
