"""Redaction of personal data in free text, before any report shows it.

What is found: e-mail addresses (international ones too, ``jöran@bücher.de``, and spelt out,
``jan [at] example [dot] org``); IBANs in any case, checked by their check digits; Dutch BSN
and Belgian national register numbers, checked by theirs (python-stdnum); phone numbers,
found by Google's ``phonenumbers`` in the Dutch, Belgian and neighbouring numbering plans,
plus any number shaped like one (``+``, ``00`` or a trunk ``0``, 8-15 digits) that is not a date.
:func:`redact_tables` applies it to every free-text column of a unit's tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import pandas as pd
import phonenumbers
from stdnum import iban as iban_number
from stdnum.be import nn as belgian_number
from stdnum.nl import bsn

from capeval.i18n import t
from capeval.table_specs import TABLES

PLACEHOLDERS: dict[str, str] = {"email": "[e-mail]", "phone": "[phone]", "iban": "[IBAN]", "national_id": "[ID number]"}
REDACTED = tuple(PLACEHOLDERS)  # the kinds of personal data replaced, each with a placeholder
PHONE_REGIONS = ("NL", "BE", "DE", "FR", "GB")  # numbers written without a country code
_TLD = r"(?:xn--[\w-]+|[^\W\d_]{2,})"  # letters in any script (IDN), or punycode
_EMAIL = re.compile(rf"[\w.%+'-]+@(?:[\w-]+\.)+{_TLD}")
# spelt out: "jan [at] example [dot] org", "jan(at)example.org", "jan at example dot org" (words need both)
_AT = r"\s*[\[({<]\s*(?:at|@|apenstaartje)\s*[\])}>]\s*"
_DOT = r"\s*[\[({<]\s*(?:dot|punt|\.)\s*[\])}>]\s*|\s+(?:dot|punt)\s+|\."
_SPELT_EMAIL = re.compile(
    rf"[\w.%+'-]+(?:{_AT})[\w-]+(?:(?:{_DOT})[\w-]+)*(?:{_DOT}){_TLD}\b"
    rf"|[\w.%+'-]+\s+at\s+[\w-]+(?:\s+(?:dot|punt)\s+[\w-]+)*\s+(?:dot|punt)\s+{_TLD}\b",
    re.IGNORECASE,
)
# IBAN: country code, two check digits, then 11-30 letters/digits, optionally in groups of four
_IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?\b")
_BSN = re.compile(r"(?<![\w.,-])(?:\d{9}|\d{4}\.\d{2}\.\d{3})(?![\w-]|[.,]\d)")
_BELGIAN = re.compile(r"(?<![\w.,-])\d{2}\.?\d{2}\.?\d{2}[- ]?\d{3}\.?\d{2}(?![\w-]|[.,]\d)")
# phone-shaped: international (+ or 00) or trunk-prefixed (0) numbers with spaces, dashes, dots, slashes
_PHONE = re.compile(r"(?<![\w+])(?:\+|00|\(0|0)[\d\s().\-/]{6,}\d(?!\w)")
_DATE = re.compile(r"^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")


def redact(text: str, placeholders: Mapping[str, str] | None = None) -> str:
    """``text`` with every e-mail address, IBAN, national number and phone number replaced."""
    marks = {**PLACEHOLDERS, **(placeholders or {})}
    out = _EMAIL.sub(marks["email"], text)
    out = _SPELT_EMAIL.sub(marks["email"], out)
    out = _IBAN.sub(_checked(_is_iban, marks["iban"]), out)
    out = _BSN.sub(_checked(bsn.is_valid, marks["national_id"]), out)
    out = _BELGIAN.sub(_checked(belgian_number.is_valid, marks["national_id"]), out)
    if sum(c.isdigit() for c in out) >= 8:  # a phone number has at least 8 digits
        out = _PHONE.sub(_phone_shaped(marks["phone"]), _valid_phones(out, marks["phone"]))
    return out


def redaction_marks(language: str) -> dict[str, str]:
    """The placeholders redacted personal data is replaced with, in ``language`` ("[e-mail removed]")."""
    return {kind: t(f"redacted_{kind}", language) for kind in REDACTED}


def redact_tables(tables: Mapping[str, pd.DataFrame], placeholders: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    """``tables`` (name -> frame, as in a store) with every free-text column redacted.

    Free text is every column the programme folder declares as text (names, themes, goals,
    lesson fields, domains, artefacts, rationales); ids, numbers and codes are left as they are.
    """
    out = dict(tables)
    for name, frame in tables.items():
        spec = TABLES.get(name)
        columns = [c.name for c in spec.columns if c.kind == "text" and c.name in frame.columns] if spec else []
        if not columns or frame.empty:
            continue
        redacted: dict[str, pd.Series] = {}
        for column in columns:
            cells = frame[column]
            distinct = cells.dropna().unique()  # the same text redacted once
            done = {value: redact(str(value), placeholders) for value in distinct}
            # a column of texts with nothing to redact stays as it is (mapping it gave the same column)
            if not all(isinstance(value, str) and text == value for value, text in done.items()):
                redacted[column] = cells.map(done, na_action="ignore").astype(cells.dtype)
        out[name] = frame.assign(**redacted) if redacted else frame
    return out


def _checked(valid: Callable[[str], bool], mark: str) -> Callable[[re.Match[str]], str]:
    return lambda match: mark if valid(match.group(0)) else match.group(0)


def _is_iban(text: str) -> bool:
    """A valid IBAN in any case; an upper-case IBAN shape counts even with wrong check digits (a typo)."""
    return bool(iban_number.is_valid(text.upper())) or (text == text.upper() and len(text.replace(" ", "")) >= 15)


def _valid_phones(text: str, mark: str) -> str:
    """``text`` with every number ``phonenumbers`` finds valid in one of :data:`PHONE_REGIONS` replaced."""
    spans: set[tuple[int, int]] = set()
    for region in PHONE_REGIONS:
        for found in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            if sum(c.isdigit() for c in found.raw_string) >= 8:  # not a short service number or a year
                spans.add((found.start, found.end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in reversed(merged):
        text = text[:start] + mark + text[end:]
    return text


def _phone_shaped(mark: str) -> Callable[[re.Match[str]], str]:
    def phone(match: re.Match[str]) -> str:
        found = match.group(0)
        digits = sum(c.isdigit() for c in found)
        if _DATE.match(found.strip()) or not 8 <= digits <= 15:
            return found
        return mark

    return phone
