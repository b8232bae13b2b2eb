"""The capeval error family: every error a user can act on says where (file, row, column, unit)."""

from __future__ import annotations

from dataclasses import dataclass


class CapevalError(ValueError):
    """Root of capeval's errors.

    ``file``, ``row`` (1-based line number in the file, header = line 1), ``column`` and
    ``unit`` (a partner or track id) are optional and rendered in that order.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        unit: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.unit = unit
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(self.file if self.row is None else f"{self.file}:{self.row}")
        if self.column is not None:
            where.append(self.column)
        if self.unit is not None:
            where.append(f"unit {self.unit}")
        return ": ".join([*where, self.message])


class ProgrammeError(CapevalError):
    """The programme folder cannot be read (missing folder, unreadable programme.yaml)."""


class ValidationError(CapevalError):
    """The programme folder is invalid; ``problems`` holds one entry per problem."""

    def __init__(self, problems: list[Problem], *, file: str | None = None) -> None:
        self.problems = problems
        head = f"{len(problems)} problem(s)"
        super().__init__(head + "".join(f"\n  {p}" for p in problems[:20]), file=file)


class StoreError(CapevalError):
    """The columnar store is missing, stale or does not hold the unit asked for."""


class ParameterError(CapevalError):
    """A run's parameters are invalid (unknown key, wrong type, unknown unit)."""


class UnitIdError(CapevalError):
    """A unit id cannot safely become a file name."""


class UsageError(ParameterError):
    """What the command line (or a run's parameters) asks cannot be done: an unknown unit or executor.

    The command line exits 2 on it, as on any bad usage.
    """


# What a report that ran out of memory says, wherever the MemoryError was raised.
OUT_OF_MEMORY = (
    "out of memory while rendering (MemoryError): the report needed more memory than this process may use; "
    "free memory or raise the limit, or render fewer reports at once (capeval run --workers 1)"
)


class ReportError(CapevalError):
    """A report notebook failed to execute or render."""


class ReportCellError(ReportError):
    """A cell of a report notebook raised (papermill's ``PapermillExecutionError`` is the model).

    ``cell`` counts from 1 over every cell of the executed notebook (kept under ``_failed/``,
    the injected parameters cell included); ``source`` is that cell's code; ``traceback`` its
    traceback as plain text. The message names the cell, its first line and the error.
    """

    def __init__(
        self, *, cell: int, source: str, ename: str, evalue: str, traceback: str, unit: str | None = None
    ) -> None:
        self.cell, self.source, self.ename, self.evalue, self.traceback = cell, source, ename, evalue, traceback
        first = next((line.strip() for line in source.splitlines() if line.strip()), "")
        shown = first if len(first) <= 60 else first[:59] + "…"
        said = OUT_OF_MEMORY if ename == "MemoryError" else f"raised {ename}: {evalue}"
        super().__init__(f"cell {cell} ({shown}) {said}", unit=unit)

    def __reduce__(self) -> tuple[type[ReportCellError], tuple[()], dict[str, object]]:
        return (ReportCellError.__new__, (ReportCellError,), self.__dict__)  # type: ignore[return-value]


class ReportTimeoutError(ReportError):
    """A report ran longer than its timeout."""


class WorkerDiedError(ReportError):
    """The process running a report ended without a result (killed, out of memory, crashed)."""


class TaskTimeoutError(ReportError):
    """A report's process ran past the executor's time limit and was killed."""


@dataclass(frozen=True, order=True)
class Problem:
    """One validation problem, printed as ``file:line: column: message`` (line 0: the whole file,
    printed without a line: ``tracks.csv: -: required table missing``)."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.column}: {self.message}"
