"""Personal data in an export, by column name and by what the cells hold.

A column is personal when its header says so (e-mail, name, phone, address, contact, in
nl, en, de, fr, es) or when most of its filled cells look like e-mail addresses, phone
numbers (checked with ``phonenumbers``) or person names (one to three short words of
letters, nearly all different) — whatever the header says ("Contact Number").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import phonenumbers

from capeval.ingest.cells import cell_text

PERSONAL_HEADER = re.compile(
    r"(^|[^a-zà-ÿ])(e-?mail|courriel|correo|naam|name|names|nom|nombre|vorname|nachname|prénom|prenom|apellidos?|"
    r"phone|telephone|téléphone|telefoon|telefon|teléfono|telefono|gsm|mobile|mobiel|handy|"
    r"adres|address|adresse|dirección|direccion|contact|kontakt|contacto|postcode|zip|iban|signature|handtekening)"
    r"([^a-zà-ÿ]|$)",
    re.IGNORECASE,
)
EMAIL = re.compile(r"^[\w.+'-]+@[\w-]+(\.[\w-]+)+$")
PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-/]{7,22}$")
NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?$")
PHONE_REGIONS = ("NL", "BE", "DE", "FR", "ES", "GB", "US")
SHARE = 0.6  # of the filled cells: above this a column is personal by content
MIN_FILLED = 2


def personal_by_header(column: str) -> bool:
    """True when the header names personal data (e-mail, name, phone, address, contact, ...)."""
    return PERSONAL_HEADER.search(column.replace("_", " ")) is not None


def looks_like_email(text: str) -> bool:
    return EMAIL.match(text.strip()) is not None


def looks_like_phone(text: str) -> bool:
    """A phone number in international form, or valid in one of the regions capeval's users live in."""
    text = text.strip()
    digits = sum(ch.isdigit() for ch in text)
    if not PHONE_SHAPE.match(text) or not 8 <= digits <= 15:
        return False
    if not (text.startswith(("+", "0", "(")) or re.search(r"\d[\s\-/.]\d", text)):
        return False  # a bare run of digits is an id or a count more often than a phone number
    for region in (None, *PHONE_REGIONS) if text.startswith("+") else PHONE_REGIONS:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def looks_like_name(text: str) -> bool:
    """One to three words of letters, each short: "Maryam", "julia", "Elizabeth Smith", "van Dijk"."""
    words = text.split()
    return 1 <= len(words) <= 4 and all(len(w) <= 20 and NAME_WORD.match(w) for w in words) and len(text) <= 40


def personal_by_content(cells: Sequence[object]) -> str | None:
    """What personal data a column's cells hold ("e-mail addresses", "phone numbers", "names"), or None."""
    filled = [t for t in (cell_text(c) for c in cells) if t]
    if len(filled) < MIN_FILLED:
        return None
    for kind, test in (("e-mail addresses", looks_like_email), ("phone numbers", looks_like_phone)):
        if sum(1 for t in filled if test(t)) > SHARE * len(filled):
            return kind
    return None


def names_by_content(cells: Sequence[object]) -> bool:
    """True when short answers look like person names: nearly all different, one to three words of letters."""
    filled = [t for t in (cell_text(c) for c in cells) if t]
    if len(filled) < MIN_FILLED:
        return False
    distinct = {t.casefold() for t in filled}
    shaped = sum(1 for t in filled if looks_like_name(t))
    return len(distinct) >= 0.8 * len(filled) and shaped > SHARE * len(filled)


def personal_cell(text: str) -> bool:
    """True for a cell that is itself an e-mail address or a phone number (pseudonymised in quarantine files)."""
    return looks_like_email(text) or looks_like_phone(text)
