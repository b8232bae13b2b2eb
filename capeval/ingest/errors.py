"""Errors of the import: input that cannot be used at all (as opposed to bad rows, which are Problems)."""

from __future__ import annotations

from capeval.errors import CapevalError
from capeval.visible import visible


class ExportFormatError(CapevalError):
    """An export cannot be imported: unknown format, unreadable or empty file, wrong layout."""


class MappingError(ExportFormatError):
    """The mapping file is missing, not valid YAML, or does not fit the export."""


class StrictImportError(ExportFormatError):
    """``strict=True`` and the import found problems; nothing was written.

    ``problems`` lists them; ``report`` is the ImportReport that would have been written.
    """

    def __init__(self, problems: list[object], *, report: object = None, file: str | None = None) -> None:
        self.problems = problems
        self.report = report
        head = f"{len(problems)} problem(s); nothing imported (strict)"
        super().__init__(head + "".join(f"\n  {visible(str(p), one_line=True)}" for p in problems[:20]), file=file)
