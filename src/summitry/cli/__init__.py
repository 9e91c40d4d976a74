"""The ``summitry`` command line: parse the options, call a service, render the result.

Exit codes: 0 success, 2 bad input (one line on stderr saying what and where), 1 internal error
(one line; ``--debug`` shows the traceback). One module per command group registers its
commands on :data:`app`.
"""

from __future__ import annotations

from summitry.cli import (
    demo,
    negotiation,
    outlook,
    plans,
    readiness,
    reports,
    serve,
    users,
    workspace,
)
from summitry.cli._app import JSON_SCHEMA_VERSION, app, example_path, run

__all__ = ["JSON_SCHEMA_VERSION", "app", "example_path", "main"]

# Each module registers its commands on import.
_COMMANDS = (plans, readiness, negotiation, outlook, reports, demo, workspace, users, serve)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code, turning every error into one line.

    Usage: ``sys.exit(main(["validate", "summit.toml"]))``.
    """
    return run(argv)
