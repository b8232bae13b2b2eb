"""Reading one cell of an export: text, numbers with a decimal comma, dates in local formats.

Survey tools write the same answer in many shapes (``3``, ``3.0``, ``"3,5"``,
``21-11-2026``, ``2023/11/13 4:20:37 pm CET``, a real XLSX datetime); these functions
turn them into one canonical form or ``None`` when a cell is not what was asked for.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time

_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_TZ_SUFFIX = re.compile(r"\s+(?:[A-Z]{2,5}|GMT[+-]\d{1,2}(?::?\d{2})?|UTC[+-]\d{1,2}(?::?\d{2})?)$")

# Local date layouts, day first as in Dutch and Belgian files; ISO first of all.
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%d-%m-%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y",
    "%d-%m-%y",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
)


def cell_text(value: object) -> str:
    """The text of a cell, stripped; ``""`` for an empty cell; ``3.0`` from XLSX becomes ``3``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_number(value: object, decimal: str = ".") -> float | None:
    """A number from a cell, or None. ``decimal`` is the file's decimal mark ("." or ",").

    Thousands separators are accepted when unambiguous (``1.234,5`` with a decimal
    comma, ``1,234.5`` with a decimal point).
    """
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else number
    text = cell_text(value).replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if decimal == "," and _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    elif decimal == "." and _THOUSANDS_COMMA.match(text):
        text = text.replace(",", "")
    if not _PLAIN.match(text):
        return None
    if "," in text and "." in text:
        return None
    if "," in text:
        if decimal != ",":
            return None
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:  # pragma: no cover - the pattern above admits only numbers
        return None
    return None if math.isinf(number) else number


def parse_datetime(value: object) -> datetime | None:
    """A date or time stamp from a cell, or None; day-first for ambiguous local dates."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time())
    text = cell_text(value)
    if not text:
        return None
    text = _TZ_SUFFIX.sub("", text)
    text = re.sub(r"\s*(a\.?m\.?|p\.?m\.?)$", lambda m: " " + m.group(1).replace(".", "").upper(), text, flags=re.I)
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return None


def parse_date(value: object) -> str | None:
    """The date of a cell as ``YYYY-MM-DD`` (the programme folder's format), or None."""
    moment = parse_datetime(value)
    return moment.date().isoformat() if moment is not None else None


def normalise_label(text: str) -> str:
    """Compare answer labels loosely: case, accents' composition, spaces and ``/ `` vs ``/``."""
    folded = unicodedata.normalize("NFC", text).casefold()
    folded = re.sub(r"\s*/\s*", "/", folded)
    return re.sub(r"\s+", " ", folded).strip()


def slug(text: str, *, max_length: int = 40) -> str:
    """An id-safe slug of a label: ``"Helemaal mee eens"`` -> ``helemaal_mee_eens``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_").lower()
    return (cleaned or "x")[:max_length].rstrip("_")
