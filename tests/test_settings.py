"""Every setting carries its help text and is documented, and the environment sets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from summitry.settings import Settings, settings

DOC = (Path(__file__).parents[1] / "docs" / "settings.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_has_help_and_is_documented(name: str) -> None:
    field = Settings.model_fields[name]
    assert field.description
    assert len(field.description) > 20
    assert f"`SUMMITRY_{name.upper()}`" in DOC


def test_the_environment_sets_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMITRY_AUDIT_KEY_ID", "k7")
    monkeypatch.setenv("SUMMITRY_DATABASE_URL", "sqlite:///team.db")
    assert settings().audit_key_id == "k7"
    assert settings().database_url == "sqlite:///team.db"


def test_the_documentation_names_no_setting_that_does_not_exist() -> None:
    import re

    documented = set(re.findall(r"`SUMMITRY_([A-Z_]+)`", DOC)) - {"TEST_DATABASE_URL"}
    assert documented == {name.upper() for name in Settings.model_fields}
