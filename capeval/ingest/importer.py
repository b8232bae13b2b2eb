"""Orchestrate one import: read the exports, plan the rows, then write them (unless strict fails)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from capeval.csvfile import read_rows
from capeval.errors import Problem
from capeval.ingest.convert import plan_export
from capeval.ingest.errors import ExportFormatError, MappingError, StrictImportError
from capeval.ingest.formats import ExportFormat
from capeval.ingest.mapping import Mapping, load_mapping, source_of
from capeval.ingest.plan import PlanContext, Planned
from capeval.ingest.pseudonym import read_or_new_salt
from capeval.ingest.registry import get_format
from capeval.ingest.transaction import recover
from capeval.ingest.writer import write_planned
from capeval.messages import grouped_lines
from capeval.programme_file import check_programme, load_programme_config
from capeval.shortforms import coded_entry, expand, slug_id
from capeval.visible import visible


@dataclass
class ImportReport:
    """What an import did.

    ``added`` and ``already_present`` count programme-folder rows per table (a row already
    present was imported before and skipped); ``quarantined`` and ``incomplete`` count
    export rows per export file; ``rejected_files`` are the quarantine CSVs written
    (``<into>/_rejected/import_<stem>.csv``, with a ``_reason`` column).
    """

    into: Path
    fmt: str
    added: dict[str, int] = field(default_factory=dict)
    already_present: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, int] = field(default_factory=dict)
    incomplete: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rejected_files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """A few lines for the command line: counts per table, then problems and notes."""
        lines = [f"import --from {self.fmt} into {self.into}"]
        for table in sorted(set(self.added) | set(self.already_present)):
            lines.append(
                f"  {table}: {self.added.get(table, 0)} added, {self.already_present.get(table, 0)} already present"
            )
        for name, count in self.quarantined.items():
            lines.append(f"  {name}: {count} row(s) quarantined")
        for name, count in self.incomplete.items():
            lines.append(f"  {name}: {count} incomplete response(s) kept apart")
        lines += [f"  {line}" for line in grouped_lines(self.problems)]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(visible(line, one_line=True) for line in lines)  # export text never drives the terminal


def import_exports(
    fmt: str,
    exports: Sequence[str | Path],
    *,
    mapping: str | Path | None,
    into: str | Path,
    strict: bool = False,
) -> ImportReport:
    """Import survey exports into the programme folder ``into``; see :class:`ImportReport`.

    Raises ExportFormatError (a CapevalError) for unusable input: unknown format, a missing
    or unreadable export, a missing or invalid mapping. With ``strict`` any problem raises
    StrictImportError before anything is written.
    """
    export_format = get_format(fmt)
    paths = [Path(p) for p in exports]
    if not paths:
        raise ExportFormatError("no export given")
    for path in paths:
        if not path.is_file():
            raise ExportFormatError("export not found", file=str(path))
    root = Path(into)
    if root.is_dir():
        recover(root)  # an import interrupted after it was decided is finished before this one reads the folder
    salt, _ = read_or_new_salt(root)
    context = _context(root, salt)
    if export_format.plan is not None:
        planned = export_format.plan(paths, context)
    else:
        if mapping is None:
            raise MappingError(f"--from {fmt} needs a mapping file (draft one with --suggest-mapping)")
        planned = _plan_with_mapping(export_format, paths, load_mapping(mapping), context)
    report = ImportReport(
        into=root,
        fmt=fmt,
        problems=planned.problems,
        notes=planned.notes,
        quarantined={f"{stem}": len(rows) for stem, rows in planned.quarantined.items() if rows},
        incomplete={f"{stem}": len(rows) for stem, rows in planned.incomplete.items() if rows},
    )
    if strict and planned.problems:
        raise StrictImportError(list(planned.problems), report=report)
    report.added, report.already_present, report.rejected_files = write_planned(root, planned, salt)
    report.written = True
    return report


def _context(root: Path, salt: bytes) -> PlanContext:
    exists = (root / "programme.yaml").is_file()
    waves: set[int] = set()
    language = "en"
    if exists:
        config = load_programme_config(root)
        waves = set(config.wave_ids)
        language = config.language
    _, partners = read_rows(root / "partners.csv")
    _, activities = read_rows(root / "activities.csv")
    return PlanContext(
        root=root,
        salt=salt,
        partner_ids={r.get("partner_id", "") for r in partners} - {""},
        activity_ids={r.get("activity_id", "") for r in activities} - {""},
        wave_ids=waves,
        programme_exists=exists,
        language=language,
    )


def _plan_with_mapping(fmt: ExportFormat, paths: list[Path], mapping: Mapping, context: PlanContext) -> Planned:
    planned = Planned()
    if not context.programme_exists:
        planned.programme = _programme_block(mapping)
    elif mapping.programme:
        known = context.wave_ids
        waves = mapping.programme.get("waves") or []  # short forms already written out (Mapping)
        planned.new_waves = [w for w in waves if isinstance(w, dict) and w.get("id") not in known]
        if planned.new_waves:
            planned.notes.append(
                f"programme.yaml: added wave(s) {[w.get('id') for w in planned.new_waves]} from the mapping"
            )
    if mapping.activity is not None and mapping.activity.create is not None:
        planned.new_activity_types.append(mapping.activity.create.type)
    seen: set[tuple[str, int]] = set()
    for path in paths:
        export = fmt.read(path)
        planned.merge(plan_export(export, fmt, mapping, context, seen))
    return planned


def _programme_block(mapping: Mapping) -> dict[str, Any]:
    if not mapping.programme:
        raise MappingError("the programme folder has no programme.yaml and the mapping has no 'programme:' block")
    data = dict(mapping.programme)
    if mapping.activity is not None and mapping.activity.create is not None:
        types = list(data.get("activity_types") or [])
        new_type = mapping.activity.create.type
        ids = {t.get("id") for t in types if isinstance(t, dict)}
        if types and slug_id(new_type) not in ids and new_type not in ids:
            data["activity_types"] = [*types, coded_entry(new_type)]
    source, lines = source_of(mapping)
    block_lines = {key.removeprefix("programme."): line for key, line in lines.items() if key.startswith("programme.")}
    _, problems = check_programme(data, block_lines, file=source)
    if problems:  # every problem of the block at once, in capeval's words, each with its line
        first, *rest = problems
        more = "".join(f"\n  {p.file}:{p.line}: programme.{p.column}: {p.message}" for p in rest)
        raise MappingError(f"programme.{first.column}: {first.message}{more}", file=first.file, row=first.line)
    return expand(data)
