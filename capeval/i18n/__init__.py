"""The one translation table (nl, en) for every label a report or index shows."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml

LANGUAGES = ("en", "nl")


@cache
def table() -> dict[str, dict[str, str]]:
    text = files("capeval.i18n").joinpath("labels.yaml").read_text(encoding="utf-8")
    data: dict[str, dict[str, str]] = yaml.safe_load(text)
    return data


def t(key: str, language: str, /, **values: Any) -> str:
    """The label ``key`` in ``language``, formatted with ``values``; KeyError if missing."""
    if language not in LANGUAGES:
        raise KeyError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    text = table()[key][language]
    return text.format(**values) if values else text


def number(value: float | int | None, language: str, digits: int = 1) -> str:
    """A number as the reader writes it: decimal comma in Dutch, thin grouping."""
    if value is None or value != value:  # NaN
        return "–"
    if isinstance(value, int) or float(value).is_integer() and digits == 0:
        text = f"{int(round(float(value))):,}"
    else:
        text = f"{float(value):,.{digits}f}"
    if language == "nl":
        text = text.replace(",", "\u2009").replace(".", ",")
    else:
        text = text.replace(",", "\u2009")
    return text
