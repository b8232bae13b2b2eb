"""Unit ids as file names: never outside the output folder, never colliding."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

UnitKind = Literal["partner", "track", "programme"]  # the three kinds of report

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
# a report in its second language is <stem>.<lang>.html: an id ending so would take another unit's file
_LANGUAGE_TAGS = (".nl", ".en")


def unit_filename(unit_id: str) -> str:
    """A file stem for ``unit_id``: the id itself when safe, else a slug plus a hash of the id.

    The hash keeps two different unsafe ids (``a/b`` and ``a\\b``) from sharing a file.
    """
    stem = unit_id.split(".", maxsplit=1)[0].lower()
    language_tagged = unit_id.lower().endswith(_LANGUAGE_TAGS)
    if _SAFE.match(unit_id) and stem not in _RESERVED and not unit_id.endswith(".") and not language_tagged:
        return unit_id
    return _hashed(unit_id, 10)


def _hashed(unit_id: str, length: int) -> str:
    """A slug of ``unit_id`` plus ``length`` hex digits of its hash."""
    slug = _UNSAFE_CHARS.sub("-", unit_id).strip("-.")[:60] or "unit"
    if slug.split(".")[0].lower() in _RESERVED:  # Windows reserves NUL.txt as it does NUL
        slug = f"u-{slug}"
    return f"{slug}-{_digest(unit_id)[:length]}"


def unit_filenames(unit_ids: Iterable[str]) -> dict[str, str]:
    """A file stem for each of a programme's ids, distinct even on a disk that ignores case or
    Unicode normalisation (macOS, Windows, SMB): ``P1`` and ``p1`` must not share a report.

    Each id keeps :func:`unit_filename`'s stem unless another id's stem is the same once case-folded
    and NFC-normalised; then each of those gets a hash of its id (longer until all are distinct).
    """
    names = {unit_id: unit_filename(unit_id) for unit_id in dict.fromkeys(unit_ids)}
    for length in (10, 20, 64):
        seen: dict[str, list[str]] = {}
        for unit_id, name in names.items():
            seen.setdefault(same_on_disk(name), []).append(unit_id)
        clashing = [unit_id for group in seen.values() if len(group) > 1 for unit_id in group]
        if not clashing:
            break
        for unit_id in clashing:
            names[unit_id] = _hashed(unit_id, length)
    return names


def same_on_disk(name: str) -> str:
    """``name`` as a case-insensitive, normalising file system compares it."""
    return unicodedata.normalize("NFC", name).casefold()


def _digest(unit_id: str) -> str:
    return hashlib.sha256(unit_id.encode("utf-8", "surrogatepass")).hexdigest()
