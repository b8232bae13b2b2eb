"""One import is one transaction over the programme folder: all of it is written, or none.

Every file an import may change (the tidy tables, programme.yaml, the salt, its quarantine
files) is staged in a hidden folder inside the programme folder: existing files are copied there
and rewritten, so the originals are never touched while the import runs.
When everything is staged, a journal naming each file to replace or delete is written
atomically, then the files are moved into place and the journal removed. A failure before
the journal leaves the folder as it was; a crash after it is finished by the next import
(:func:`recover`), so an import is never half-applied.
"""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from capeval.files import write_atomic
from capeval.ingest.errors import ExportFormatError

JOURNAL = ".capeval_import_journal.json"
STAGING_PREFIX = ".capeval_import_"
SIDE_FOLDER = "_rejected"
SIDE_PREFIXES = ("import_", "incomplete_")


def staged_files(root: Path) -> list[Path]:
    """The files of ``root`` an import may change, relative to it."""
    if not root.is_dir():
        return []
    names = [p for p in root.iterdir() if p.is_file() and (p.suffix == ".csv" or p.name in _TOP_FILES)]
    side = root / SIDE_FOLDER
    if side.is_dir():
        names += [p for p in side.iterdir() if p.is_file() and p.name.startswith(SIDE_PREFIXES)]
    return sorted(p.relative_to(root) for p in names)


_TOP_FILES = {"programme.yaml", ".capeval_salt"}


class FolderTransaction:
    """Stage an import's writes in ``staging`` and apply them to ``root`` in one step (see the module)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.created_root = not root.exists()
        self.staging = Path()
        self.before: list[Path] = []

    def __enter__(self) -> Path:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            recover(self.root)
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.root))
            self.before = staged_files(self.root)
            for relative in self.before:
                _copy(self.root / relative, self.staging / relative)
        except OSError as exc:
            self._abandon()
            raise _write_error(self.root, exc) from exc
        return self.staging

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if kind is not None:
            self._abandon()
            if isinstance(exc, OSError):
                raise _write_error(self.root, exc) from exc
            return
        try:
            plan = self.prepare()
        except OSError as error:
            self._abandon()
            raise _write_error(self.root, error) from error
        apply_journal(self.root, plan)

    def prepare(self) -> dict[str, list[str]]:
        """Check every destination and write the journal; after this the import is decided."""
        after = set(_walk(self.staging))
        replace = [str(p) for p in sorted(after) if not _same(self.staging / p, self.root / p)]
        delete = [str(p) for p in self.before if p not in after]
        for relative in replace:
            target = self.root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_dir():
                raise IsADirectoryError(f"{target} is a folder")
        plan = {"staging": [self.staging.name], "replace": replace, "delete": delete}
        write_atomic(self.root / JOURNAL, json.dumps(plan, indent=1).encode("utf-8"))
        return plan

    def _abandon(self) -> None:
        if self.staging != Path() and self.staging.is_dir():
            shutil.rmtree(self.staging, ignore_errors=True)
        if self.created_root and self.root.is_dir() and not any(self.root.iterdir()):
            self.root.rmdir()


def apply_journal(root: Path, plan: dict[str, list[str]]) -> None:
    """Move the staged files into place, delete the stale ones, then drop the journal and the staging folder."""
    staging = root / plan["staging"][0]
    for relative in plan["replace"]:
        source = staging / relative
        if source.is_file():  # already moved when an interrupted commit is finished
            os.replace(source, root / relative)
    for relative in plan["delete"]:
        (root / relative).unlink(missing_ok=True)
    side = root / SIDE_FOLDER
    if side.is_dir() and not any(side.iterdir()):
        side.rmdir()
    (root / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def recover(root: Path) -> None:
    """Finish an import interrupted after its journal was written; drop staging folders of failed ones."""
    journal = root / JOURNAL
    if journal.is_file():
        plan = json.loads(journal.read_text(encoding="utf-8"))
        apply_journal(root, plan)
    for leftover in root.glob(f"{STAGING_PREFIX}*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def _walk(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        if path.is_file() and (not path.name.startswith(".") or path.name in _TOP_FILES):
            yield path.relative_to(folder)


def _same(staged: Path, original: Path) -> bool:
    if not original.is_file():
        return False
    return filecmp.cmp(staged, original, shallow=False)


def _copy(source: Path, target: Path) -> None:
    # a copy, not a hard link: a writer that rewrote a staged file in place would change the original
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def _write_error(root: Path, exc: OSError) -> ExportFormatError:
    where = str(exc.filename) if exc.filename and STAGING_PREFIX not in str(exc.filename) else str(root)
    return ExportFormatError(
        f"could not write the programme folder ({exc.strerror or exc}); nothing was imported", file=where
    )
