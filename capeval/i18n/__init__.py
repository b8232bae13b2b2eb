"""The one translation table (nl, en) for every label a report or index shows."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib.resources import files
from numbers import Number
from typing import Any

import yaml
from babel import Locale
from babel.numbers import format_decimal

LANGUAGES = ("en", "nl")


@cache
def table() -> dict[str, dict[str, Any]]:
    """The merged table of every ``*.yaml`` in this package; a key defined twice is an error.

    A label is text per language, or plural forms per language (``{one: …, other: …}``) with
    ``count:`` naming the placeholder whose number chooses the form (CLDR rules, via babel)."""
    merged: dict[str, dict[str, Any]] = {}
    for entry in sorted(files("capeval.i18n").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data: dict[str, dict[str, Any]] = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
        for key, labels in data.items():
            if key in merged:
                raise KeyError(f"label {key!r} is defined twice (again in {entry.name})")
            merged[key] = labels
    return merged


def t(key: str, language: str, /, **values: Any) -> str:
    """The label ``key`` in ``language``, formatted with ``values``; KeyError if missing."""
    if language not in LANGUAGES:
        raise KeyError(f"unknown language {language!r}; expected one of {LANGUAGES}")
    entry = table()[key]
    text = entry[language]
    if isinstance(text, dict):  # plural forms: "1 activiteit", "2 activiteiten"
        text = text[plural_form(values[entry["count"]], language)]
    return str(text).format(**values) if values else str(text)


def plural_form(count: object, language: str) -> str:
    """The CLDR plural category ('one', 'other', …) of ``count`` in ``language`` (babel); ``count``
    may be a number or a number as shown ("1", "1 234", "2,5"); a whole number counts as an integer."""
    if isinstance(count, str):
        group, decimal = (".", ",") if language == "nl" else (",", ".")
        digits = re.sub(r"[\s\u2009\u202f]", "", count).replace(group, "").replace(decimal, ".")
        try:
            count = Decimal(digits)
        except ArithmeticError:
            return "other"
    if not isinstance(count, Number):
        return "other"
    value = Decimal(str(count))
    rule = Locale.parse(language).plural_form
    return str(rule(abs(int(value))) if value == value.to_integral_value() else rule(abs(value)))


def number(value: float | int | None, language: str, digits: int = 1) -> str:
    """A number as the reader writes it (babel, CLDR): decimal comma in Dutch, thin-space groups of
    thousands in both languages (unambiguous for nl and en readers), halves rounded up (3.25 → 3,3)."""
    if value is None or math.isnan(value):
        return "–"
    whole = isinstance(value, int) or (float(value).is_integer() and digits == 0)
    places = 0 if whole else digits
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))  # numpy numbers too
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text = format_decimal(rounded, format=pattern, locale=_LOCALES[language])
    return text.replace(_GROUP[language], "\u2009")


_LOCALES = {"en": "en_GB", "nl": "nl_NL"}
_GROUP = {"en": ",", "nl": "."}
