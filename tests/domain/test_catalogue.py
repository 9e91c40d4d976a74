"""The catalogue of links is complete: every field of the model that names a record is in it.

The walk reads the model itself, so a field added without a catalogue entry fails here before
it can carry an id past the views unfiltered.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from summitry.domain.base import SLUG_PATTERN, VARIANT_REF
from summitry.domain.catalogue import (
    COLLECTIONS,
    LINKS,
    NOT_LINKS,
    RECORD_LINKS,
    SETTINGS,
    SUMMIT,
    Shape,
)
from summitry.domain.plan import Plan, record_type


def _marks_an_id(metadata: list[Any]) -> bool:
    for item in metadata:
        if item == VARIANT_REF or getattr(item, "pattern", None) == SLUG_PATTERN:
            return True
    return False


def _spots(annotation: Any, metadata: list[Any], path: str) -> Iterator[str]:
    """Paths below a field whose values (or table keys) are ids."""
    if _marks_an_id(metadata):
        yield path
        return
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        yield from _spots(args[0], list(args[1:]), path)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            yield from _field_spots(info, f"{path}.{name}" if path else name)
    elif origin is dict:
        key, value = args
        inner = list(_spots(value, [], f"{path}.*"))
        if list(_spots(key, [], "x")):
            yield path
            # Plain tables below id keys are named by the table; records inside by path.
            inner = [spot for spot in inner if _has_model(value)]
        elif inner and not _has_model(value):
            inner = [path]
        yield from inner
    elif args:
        for arg in args:
            if arg is not Ellipsis and arg is not type(None):
                yield from (
                    spot.replace(f"{path}.[]", path) for spot in _spots(arg, [], f"{path}.[]")
                )


def _has_model(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_has_model(arg) for arg in typing.get_args(annotation))


def _field_spots(info: FieldInfo, path: str) -> Iterator[str]:
    yield from _spots(info.annotation, list(info.metadata), path)


def _found() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for name in COLLECTIONS:
        for field, info in record_type(name).model_fields.items():
            found |= {(name, spot) for spot in _field_spots(info, field)}
    for name in (SUMMIT, *SETTINGS):
        model = Plan.model_fields[name].annotation
        assert isinstance(model, type)
        found |= {(name, spot) for spot in _spots(model, [], "")}
    return found


def _listed() -> set[tuple[str, str]]:
    listed: set[tuple[str, str]] = set()
    for link in (*LINKS, *RECORD_LINKS):
        if link.shape is Shape.LINKED_TERMS:
            listed |= {(link.collection, f"{link.field}.issue")}
            listed |= {(link.collection, f"{link.field}.with_issue")}
        elif link.shape is Shape.DEPENDENCIES:
            listed.add((link.collection, f"{link.field}.task"))
        else:
            listed.add((link.collection, link.field))
    for collection, path in NOT_LINKS:
        names = COLLECTIONS if collection == "*" else (collection,)
        listed |= {(name, path) for name in names}
    return listed


def test_every_field_that_names_a_record_is_in_the_catalogue() -> None:
    found, listed = _found(), _listed()
    assert found - listed == set(), "fields that hold ids but are not in the catalogue"
    assert listed - found == set(), "catalogue entries the model does not have"


def test_the_walk_sees_nested_and_keyed_ids() -> None:
    # The walk itself must find ids inside tables, lists and nested models, or the test above
    # could pass on a catalogue that misses them.
    found = _found()
    for spot in [
        ("positions", "issues"),
        ("positions", "issues.*.scores"),
        ("positions", "linked.with_issue"),
        ("tasks", "depends_on.task"),
        ("risks", "scenario_variants"),
        ("descriptors", "impacts"),
        ("summit", "mediator"),
        ("notes", "visibility"),
    ]:
        assert spot in found, spot
