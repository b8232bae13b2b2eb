"""Writing to disk: a message in our words for a full, read-only or limited disk, and a waiting lock.

A write that fails (no space, a read-only folder, a file system without rename or fsync,
such as FAT or some network shares) ends as a :class:`DiskError` naming the folder and
what to do, never as a Python traceback.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from pathlib import Path

from capeval.errors import CapevalError

# errno -> what went wrong and what to do; the folder is named before it
_ADVICE: dict[int, str] = {
    errno.ENOSPC: "no space left on this disk; free some space (or choose another folder) and run again",
    errno.EDQUOT: "your disk quota is used up; free some space (or choose another folder) and run again",
    errno.EROFS: "the folder is on a read-only disk; make it writable, or work on a copy on a writable disk "
    "(reports: choose another --out)",
    errno.EACCES: "no permission to write here; make the folder writable for you, or work on a copy "
    "(reports: choose another --out)",
    errno.EPERM: "no permission to write here; make the folder writable for you, or work on a copy "
    "(reports: choose another --out)",
    errno.EFBIG: "a file grew beyond what this disk allows; choose a folder on another disk",
    errno.EXDEV: "files cannot be renamed within this folder's file system; choose a folder on a local disk",
    errno.ENOTSUP: "this file system cannot rename, lock or flush files safely (FAT, some network shares); "
    "choose a folder on a local disk",
    errno.ENOSYS: "this file system cannot rename, lock or flush files safely (FAT, some network shares); "
    "choose a folder on a local disk",
    errno.ENOLCK: "this file system cannot lock files (some network shares); choose a folder on a local disk",
    errno.EINVAL: "this file system refused to rename, lock or flush a file (FAT, some network shares?); "
    "choose a folder on a local disk",
    errno.EIO: "the disk reported an input/output error; check the disk, or choose another folder",
    errno.ENAMETOOLONG: "a file name is too long for this file system; choose a folder with a shorter path",
}


class DiskError(CapevalError):
    """Writing in a folder failed for a reason of the disk or file system, not of the data."""


def disk_error(exc: OSError, folder: Path) -> DiskError | None:
    """The :class:`DiskError` for ``exc`` raised while writing in ``folder``, or None if not a disk's."""
    advice = _ADVICE.get(exc.errno) if exc.errno is not None else None
    if advice is None:
        return None
    return DiskError(f"cannot write in this folder: {advice} ({exc.strerror or exc})", file=str(folder))


@contextlib.contextmanager
def writing_in(folder: Path) -> Iterator[None]:
    """Turn a disk's OSError raised inside the block into a :class:`DiskError` naming ``folder``."""
    try:
        yield
    except OSError as exc:
        problem = disk_error(exc, folder)
        if problem is None:
            raise
        raise problem from exc


@contextlib.contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created if needed), waiting for another holder to finish.

    On a system without ``fcntl`` (Windows) the block runs unlocked.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, or when the process dies
        yield


def refuse_link_out(path: Path, root: Path) -> None:
    """Raise :class:`DiskError` when ``path`` is a symbolic link leading out of ``root``.

    capeval writes only inside the programme and output folders; a link planted there (in a
    folder received from someone else) must not send its files elsewhere.
    """
    if not path.is_symlink():
        return
    target = path.resolve()
    if not target.is_relative_to(root.resolve()):
        raise DiskError(
            f"is a symbolic link to {target}, outside {root}; capeval does not follow it: "
            "remove the link (a plain folder or file is made in its place)",
            file=str(path),
        )


def refuse_file_for_folder(path: Path, purpose: str) -> None:
    """Raise :class:`DiskError` when ``path``, where capeval makes a folder, is a file.

    The OS would say only "File exists"; ``purpose`` says what the folder holds.
    """
    if path.exists() and not path.is_dir():
        raise DiskError(
            f"is a file, not a folder; capeval writes {purpose} into a folder of this name: "
            "move or delete the file and run again",
            file=str(path),
        )
