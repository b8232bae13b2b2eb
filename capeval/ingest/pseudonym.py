"""Pseudonyms: a salted hash per programme folder, stable across imports, never reversible.

The salt lives in ``<programme>/.capeval_salt``; without it the pseudonyms cannot be
recomputed from a name or e-mail address, with it the same person gets the same id in
every import into that folder.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

SALT_FILE = ".capeval_salt"


def read_or_new_salt(root: Path) -> tuple[bytes, bool]:
    """The programme folder's salt and whether it is new (then :func:`write_salt` it on writing)."""
    path = root / SALT_FILE
    if path.is_file():
        return path.read_text(encoding="ascii").strip().encode("ascii"), False
    return secrets.token_hex(32).encode("ascii"), True


def write_salt(root: Path, salt: bytes) -> None:
    path = root / SALT_FILE
    if not path.is_file():
        path.write_text(salt.decode("ascii") + "\n", encoding="ascii")


def pseudonym(salt: bytes, value: str, *, prefix: str = "p", length: int = 16) -> str:
    """A stable opaque id for ``value`` (case and surrounding spaces ignored)."""
    digest = hmac.new(salt, value.strip().casefold().encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}{digest[:length]}"
