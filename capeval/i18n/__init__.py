"""The one translation table (nl, en) for every label a report or index shows."""

from __future__ import annotations

import math
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

LANGUAGES = ("en", "nl")


@cache
def table() -> dict[str, dict[str, str]]:
    """The merged table of every ``*.yaml`` in this package; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    for entry in sorted(files("capeval.i18n").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data: dict[str, dict[str, str]] = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        for key, labels in data.items():
            if key in merged:
                raise KeyError(f"label {key!r} is defined twice (again in {entry.name})")
            merged[key] = labels
    return merged


def t(key: str, language: str, /, **values: Any) -> str:
    """The label ``key`` in ``language``, formatted with ``values``; KeyError if missing."""
    if language not in LANGUAGES:
        raise KeyError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    text = table()[key][language]
    return text.format(**values) if values else text


def number(value: float | int | None, language: str, digits: int = 1) -> str:
    """A number as the reader writes it: decimal comma in Dutch, thin grouping."""
    if value is None or math.isnan(value):
        return "–"
    whole = isinstance(value, int) or (float(value).is_integer() and digits == 0)
    text = f"{round(float(value)):,}" if whole else f"{float(value):,.{digits}f}"
    text = text.replace(",", "\u2009")  # thin space groups thousands in both languages
    return text.replace(".", ",") if language == "nl" else text
