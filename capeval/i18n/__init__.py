"""The one translation table (nl, en) for every label a report or index shows."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from importlib.resources import files
from numbers import Integral, Number
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

LANGUAGES = ("en", "nl")
# libyaml's safe loader where PyYAML was built with it: every run reads the tables, ten times faster than in Python
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def table() -> dict[str, dict[str, Any]]:
    """The merged table of every ``*.yaml`` in this package; a key defined twice is an error.

    A label is text per language, or plural forms per language (``{one: …, other: …}``) with
    ``count:`` naming the placeholder whose number chooses the form (CLDR rules, via babel)."""
    merged: dict[str, dict[str, Any]] = {}
    for entry in sorted(files("capeval.i18n").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        text = entry.read_text(encoding="utf-8")
        data: dict[str, dict[str, Any]] = yaml.load(text, Loader=_SAFE_LOADER) or {}  # noqa: S506 (a safe loader)
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
    # a count handed over as a whole number is written as the reader writes numbers ("12 345")
    shown = {name: _whole(value, language) for name, value in values.items()}
    return str(text).format(**shown) if values else str(text)


def noun_key(key: str, noun: str) -> str:
    """``key``'s variant for a programme that calls its tracks ``noun`` (``<key>__pilot``), where the table has one."""
    return f"{key}__{noun}" if f"{key}__{noun}" in table() else key


def own_word(prefix: str, ident: object, text: object, language: str) -> str:
    """A word of the programme's tables in the report's language: the table's label ``prefix + ident`` (or
    the ``prefix`` label whose text it is) when the programme gave no label of its own (``text`` is the id) or
    took it from the table in either language ("follow-up" → "vervolgmeting"); else ``text`` as written."""
    shown = str(ident) if text is None or text == "" else str(text)
    key = f"{prefix}{ident}"
    if key in table() and shown.casefold() in {str(ident).casefold(), *_words(key)}:
        return t(key, language)
    found = _word_keys(prefix).get(shown.casefold())
    return t(found, language) if found else shown


def _words(key: str) -> set[str]:
    return {str(table()[key][lang]).casefold() for lang in LANGUAGES}


@cache
def _word_keys(prefix: str) -> dict[str, str]:
    return {word: key for key in table() if key.startswith(prefix) for word in _words(key)}


def _whole(value: Any, language: str) -> Any:
    if isinstance(value, Integral) and not isinstance(value, bool):
        return number(int(value), language, 0)
    return value


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
    thousands in both languages (unambiguous for nl and en readers), halves rounded up (3.25 → 3,3),
    a minus sign (U+2212) before a negative number."""
    if value is None or math.isnan(value):
        return "–"
    if isinstance(value, int):
        return _whole_text(int(value), language)
    # a float's shortest repr is what it is rounded from (numpy numbers too): -0.0 and 0.0 stay apart
    return _decimal_text(repr(float(value)), language, digits)


# a report writes the same few hundred numbers again and again (counts, n, scores): each is formatted once
@lru_cache(maxsize=8192)
def _whole_text(value: int, language: str) -> str:
    return _formatted(Decimal(value), language, 0)


@lru_cache(maxsize=8192)
def _decimal_text(text: str, language: str, digits: int) -> str:
    places = 0 if float(text).is_integer() and digits == 0 else digits
    return _formatted(Decimal(text), language, places)


def _formatted(exact: Decimal, language: str, places: int) -> str:
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded.is_zero():  # −0.04 shown with one decimal is "0.0", not "−0.0": rounding noise has no sign
        rounded = rounded.copy_abs()
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text = format_decimal(rounded, format=pattern, locale=_LOCALES[language])
    # a real minus sign (CLDR's is a hyphen): "−1.4" cannot be read as a dash in a range or a list
    return text.replace(_GROUP[language], "\u2009").replace("-", "\u2212")


def percent(share: float | None, language: str, digits: int = 0) -> str:
    """A share (0-1) as a percentage the reader writes: "12\u00a0%", a non-breaking space before the sign
    so that a line never starts with "%"; "–" when hidden or unknown."""
    if share is None or math.isnan(share):
        return "–"
    return f"{number(100 * float(share), language, digits)}\u00a0%"


def signed_percent(share: float | None, language: str) -> str:
    """A relative difference (0.09) as a whole percentage with its sign ("+9\u00a0%", "\u22121\u00a0%");
    a difference that rounds to zero has none ("0\u00a0%"), so rounding noise reads as no difference."""
    if share is None or math.isnan(share):
        return "–"
    shown = number(abs(100 * float(share)), language, 0)
    sign = "" if shown == "0" else "+" if share > 0 else "\u2212"
    return f"{sign}{shown}\u00a0%"


def moment(when: datetime, language: str) -> str:
    """A moment as the reader writes it, in UTC ("29 november 2026, 12:17 UTC"; babel, CLDR)."""
    return str(format_datetime(when, "d MMMM y, HH:mm 'UTC'", tzinfo=UTC, locale=_LOCALES[language]))


def day(when: date, language: str) -> str:
    """A date as the reader writes it ("22 april 2024", "22 April 2024"; babel, CLDR); a datetime's day."""
    return str(format_date(when, "d MMMM y", locale=_LOCALES[language]))


def language_name(code: str, language: str) -> str:
    """A language's name in ``language`` ("nl" in Dutch: "Nederlands"; babel, CLDR)."""
    return str(Locale.parse(_LOCALES[language]).languages.get(code, code))


def whole_number(value: int) -> str:
    """A count as both languages write it here: thin-space groups of thousands ("12\u2009345")."""
    return number(int(value), "en", 0)


def country_name(code: object, language: str) -> str:
    """A country's name in ``language`` for its ISO 3166 code ("BE" → "België"; the EU's "EL" and "UK" too);
    anything else as written."""
    text = str(code).strip()
    territory = _EU_CODES.get(text.upper(), text.upper())
    try:
        name = Locale.parse(_LOCALES[language]).territories.get(territory) if len(territory) == 2 else None
    except UnknownLocaleError:
        name = None
    return str(name) if name else text


_EU_CODES = {"EL": "GR", "UK": "GB"}  # the EU's own codes for Greece and the United Kingdom
_LOCALES = {"en": "en_GB", "nl": "nl_NL"}
_GROUP = {"en": ",", "nl": "."}
