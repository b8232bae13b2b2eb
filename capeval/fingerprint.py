"""A fingerprint of capeval's own code, templates and labels.

Stores and reports record it, so a new capeval (or an edited one) rebuilds what it made.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from pathlib import Path

from capeval import __version__

SUFFIXES = {".py", ".j2", ".css", ".js", ".yaml", ".json"}
# Parts of capeval no report or store is made with: editing them re-renders nothing.
NOT_IN_REPORTS = {
    "ingest",
    "workbench",
    "demo_exports",
    "demo.py",
    "demo_data",
    "demo_concepts.py",
    "cli.py",
    "bundle.py",
    "audit.py",
    "index.py",
}


@cache
def code_hash() -> str:
    """sha256 over capeval's version and every source, template and label file reports depend on."""
    digest = hashlib.sha256(__version__.encode())
    root = Path(str(files("capeval")))
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in NOT_IN_REPORTS or "__pycache__" in relative.parts:
            continue
        if path.is_file() and path.suffix in SUFFIXES:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
