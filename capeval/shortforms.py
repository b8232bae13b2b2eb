"""The short forms a person writes first in programme.yaml, and the long forms they stand for.

``waves: [2024, 2025]`` is two waves with id 2024 and 2025 (label "2024", year 2024): the
tables then say ``wave: 2024``, as the person who wrote years will write there too. A small
number is a wave id (``waves: [1, 2]``: label "1"); a text is a label (``waves: [nulmeting,
vervolgmeting]``: ids 1, 2 in the order written). ``services: [Bijscholen]`` is the service
``{id: bijscholen, label: Bijscholen}``: the id a slug of the label, which the tables may
use as well as the label itself (capeval.validate maps a label to its id).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

FIRST_YEAR, LAST_YEAR = 1900, 2100  # a wave written as a number in this range is a year


def slug_id(label: str) -> str:
    """The id of a bare label: lower case, accents dropped, other than letters and digits '_'
    (``"Business case"`` -> ``business_case``); the label itself when nothing of it is left."""
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", plain.casefold()).strip("_")
    return slug[:64] or label


def coded_entry(value: object) -> object:
    """A service, ingredient or activity type as a ``{id, label}`` mapping (a bare label expanded)."""
    if isinstance(value, str):
        return {"id": slug_id(value), "label": value}
    return value


def wave_entries(values: object) -> object:
    """programme.yaml's ``waves`` with every short entry written out as ``{id, label[, year]}``."""
    if not isinstance(values, list):
        return values
    return [_wave(value, position) for position, value in enumerate(values, start=1)]


def _wave(value: object, position: int) -> object:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool):
        if FIRST_YEAR <= value <= LAST_YEAR:
            return {"id": value, "label": str(value), "year": value}
        return {"id": value, "label": str(value)}
    if isinstance(value, str) and value.strip():
        return {"id": position, "label": value.strip()}
    return value


def expand(data: dict[str, Any]) -> dict[str, Any]:
    """programme.yaml's keys with every short form written out (what an import merges into)."""
    out = dict(data)
    if "waves" in out:
        out["waves"] = wave_entries(out["waves"])
    for key in ("services", "scaling_ingredients", "activity_types"):
        if isinstance(out.get(key), list):
            out[key] = [coded_entry(v) for v in out[key]]
    return out
