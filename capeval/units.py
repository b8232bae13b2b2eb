"""Unit ids as file names: never outside the output folder, never colliding."""

from __future__ import annotations

import hashlib
import re

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def unit_filename(unit_id: str) -> str:
    """A file stem for ``unit_id``: the id itself when safe, else a slug plus a hash of the id.

    The hash keeps two different unsafe ids (``a/b`` and ``a\\b``) from sharing a file.
    """
    stem = unit_id.split(".", maxsplit=1)[0].lower()
    if _SAFE.match(unit_id) and stem not in _RESERVED and not unit_id.endswith("."):
        return unit_id
    slug = _UNSAFE_CHARS.sub("-", unit_id).strip("-.")[:60] or "unit"
    if slug.split(".")[0].lower() in _RESERVED:  # Windows reserves NUL.txt as it does NUL
        slug = f"u-{slug}"
    digest = hashlib.sha256(unit_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{slug}-{digest}"
