"""The one atomic write: a file is whole or absent, never half written.

Every file capeval writes for a user (reports, manifest, index pages, CSV, YAML, Parquet,
meta.json) goes through :func:`replacing`: a temp file in the same folder, flushed to
disk, then renamed over the target in one step. A run killed mid-write leaves at most a
``.<name>.*.tmp`` file, which :func:`remove_stale_temps` clears.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)
TEMP_SUFFIX = ".tmp"


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A fresh temp path beside ``path``; renamed over ``path`` when the block ends without error, else removed.

    The temp name is unique, so two processes writing the same file at once each rename a whole one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb+") as handle:  # on disk before the rename, so a crash leaves old or new
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; what capeval writes is meant to be read
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` whole or not at all."""
    with replacing(path) as temporary:
        temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def remove_stale_temps(folder: Path) -> None:
    """Remove the temp files a killed run left under ``folder`` (:func:`replacing` names them ``.<name>.*.tmp``)."""
    for path in folder.rglob(f".*{TEMP_SUFFIX}"):
        path.unlink(missing_ok=True)
