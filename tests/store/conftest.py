"""Store tests: each runs with an audit key in its environment (fixtures: ``dbfixtures``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from summitry.store.reads import forget_databases


@pytest.fixture(autouse=True)
def _audit_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every store test has an audit key in its environment, and forgets open databases."""
    monkeypatch.setenv("SUMMITRY_AUDIT_KEY", "test-audit-key")
    monkeypatch.delenv("SUMMITRY_DATABASE_URL", raising=False)
    yield
    forget_databases()
