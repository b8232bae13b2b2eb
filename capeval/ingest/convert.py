"""Apply a mapping to one export: tidy rows for responses, lessons, activities and items.

Every export row becomes zero or more programme rows, or is quarantined whole with the
reasons (unknown answer label, unknown partner, duplicate respondent, ...), each also a
Problem naming the file, row and column.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from capeval.errors import Problem
from capeval.ingest.cells import cell_text, parse_date, parse_number
from capeval.ingest.choices import label_or_number, split_choices
from capeval.ingest.errors import MappingError
from capeval.ingest.formats import ExportFormat, Record
from capeval.ingest.mapping import CountRows, Item, Mapping, Source
from capeval.ingest.personal import personal_cell
from capeval.ingest.plan import PlanContext, Planned, Row
from capeval.ingest.pseudonym import pseudonym
from capeval.ingest.sources import Export, Sheet
from capeval.ingest.unmapped import unmapped_item_problems
from capeval.schema import FALSE_WORDS, TRUE_WORDS
from capeval.visible import quoted, visible


@dataclass
class _Record:
    sheet: Sheet
    line: int
    own: Record
    context: Record
    key: str
    root_key: str


def plan_export(
    export: Export, fmt: ExportFormat, mapping: Mapping, ctx: PlanContext, seen: set[tuple[str, int]]
) -> Planned:
    """The rows one export adds; ``seen`` holds (respondent_id, wave) pairs of earlier exports of this import."""
    planner = _ExportPlanner(export, fmt, mapping, ctx, seen)
    planned = planner.planned
    planned.stems.append(export.path.stem)
    planned.notes.extend(_check_columns(export, mapping))
    for record in _records(export, mapping, planned):
        planner.plan_record(record)
    for table, row in _item_rows(mapping, export):
        planned.add(table, row)
    for partner_row in mapping.partners:
        planned.add("partners", dict(partner_row))
    for track_row in mapping.tracks:
        planned.add("tracks", dict(track_row))
    planned.problems.extend(unmapped_item_problems(export, fmt, mapping))
    planned.problems.extend(_pending_scale_problems(export, mapping))
    return planned


def _pending_scale_problems(export: Export, mapping: Mapping) -> list[Problem]:
    """One problem per labelled item whose scale the mapping leaves to settle (``EDIT``)."""
    present = {c: s.label for s in export.sheets for c in s.columns}
    return [
        Problem(
            present[item.column],
            1,
            item.column,
            f"the scale of item '{item.item_id}' is not settled (EDIT in the mapping): its answers are not "
            "imported until its labels and scale_min/scale_max are set",
        )
        for item in mapping.items
        if item.scale_pending and item.labels and item.column in present
    ]


class _ExportPlanner:
    """Plans the rows of one export, one record at a time; a record with any problem is quarantined."""

    def __init__(
        self, export: Export, fmt: ExportFormat, mapping: Mapping, ctx: PlanContext, seen: set[tuple[str, int]]
    ) -> None:
        self.export, self.fmt, self.mapping, self.ctx, self.seen = export, fmt, mapping, ctx, seen
        self.planned = Planned()
        self.known_partners = ctx.partner_ids | {str(p.get("partner_id")) for p in mapping.partners}
        programme_waves = (mapping.programme or {}).get("waves", [])
        self.known_waves = ctx.wave_ids | {int(w["id"]) for w in programme_waves if isinstance(w, dict) and "id" in w}
        self.namespace = mapping.respondent.namespace or fmt.name
        self.counts = _child_counts(export, mapping)
        self.created: set[str] = set()
        self.personal = {c for s in export.sheets for c in s.columns if fmt.is_personal(c)} | set(mapping.personal)
        self.separator = export.meta.get("multi_separator", fmt.multi_separator)
        self.record: _Record | None = None
        self.reasons: list[str] = []

    def problem(self, column: str, message: str) -> None:
        assert self.record is not None
        # headers and cells come from the export: an escape sequence or bidi override in them must not drive a terminal
        column, message = visible(column, one_line=True), visible(message, one_line=True)
        self.planned.problems.append(Problem(self.record.sheet.label, self.record.line, column, message))
        self.reasons.append(f"{column}: {message}")

    def plan_record(self, record: _Record) -> None:
        self.record, self.reasons = record, []
        stem = self.export.path.stem
        if (
            self.fmt.is_incomplete is not None
            and record.sheet is self.export.main
            and self.fmt.is_incomplete(record.own)
        ):
            self.planned.incomplete[stem].append(_safe_cells(record.own, self.personal, self.ctx.salt))
            return
        partner = self._partner(record)
        wave = self._wave(record)
        respondent_id = pseudonym(self.ctx.salt, f"{self.namespace}|{record.key}", prefix="R", length=12)
        if wave is not None and (respondent_id, wave) in self.seen:
            shown = _shown_key(record, self.mapping)
            self.problem(
                self.mapping.respondent.column or "respondent", f"duplicate respondent {quoted(shown)} in wave {wave}"
            )
        rows: list[tuple[str, Row]] = []
        activity_id = self._activity(record, partner, rows) if self.mapping.activity is not None else ""
        base: Row = {"respondent_id": respondent_id, "partner_id": partner, "activity_id": activity_id, "wave": wave}
        for item_id, value in _answers(self.mapping.items, record, self.export.decimal, self.separator, self.problem):
            rows.append(("responses", {**base, "item_id": item_id, "value": value}))
        rows += self._lessons(record, partner, wave)
        if self.reasons:
            cells = _safe_cells(record.own, self.personal, self.ctx.salt)
            self.planned.quarantine(stem, record.line, record.sheet.name, cells, self.reasons)
            return
        if rows and wave is not None:
            self.seen.add((respondent_id, wave))
        for table, row in rows:
            self.planned.add(table, row)
            if table == "activities":
                self.created.add(str(row["activity_id"]))

    def _partner(self, record: _Record) -> str:
        partner = _resolve(self.mapping.partner, record.context)
        column = self.mapping.partner.column or "partner"
        if not partner:
            self.problem(column, "empty; a partner is required")
        elif partner not in self.known_partners:
            self.problem(column, f"unknown partner_id '{partner}' (not in partners.csv or the mapping's partners)")
        return partner

    def _wave(self, record: _Record) -> int | None:
        text = _resolve(self.mapping.wave, record.context)
        number = parse_number(text)
        wave = int(number) if number is not None and number.is_integer() else None
        if wave is None or wave not in self.known_waves:
            column = self.mapping.wave.column or "wave"
            self.problem(column, f"unknown wave '{text}' (programme waves: {sorted(self.known_waves)})")
        return wave

    def _lessons(self, record: _Record, partner: str, wave: int | None) -> list[tuple[str, Row]]:
        rows: list[tuple[str, Row]] = []
        for number, lesson in enumerate(self.mapping.lessons):
            own = record.own
            fields = {name: cell_text(own.get(column)) for name, column in lesson.fields.items() if column in own}
            if not fields.get("what_changed"):
                continue
            domain = _resolve(lesson.domain, record.context) if lesson.domain else ""
            consent = _resolve(lesson.consent_to_quote, record.context).casefold()
            if consent not in TRUE_WORDS | FALSE_WORDS:
                self.problem(lesson.consent_to_quote.column or "consent_to_quote", f"expected yes/no, got '{consent}'")
            lesson_id = pseudonym(self.ctx.salt, f"{self.namespace}|{record.key}|lesson{number}", prefix="L", length=12)
            row: Row = {"lesson_id": lesson_id, "partner_id": partner, "wave": wave, "method": lesson.method, **fields}
            row.update(domain=domain, consent_to_quote="yes" if consent in TRUE_WORDS else "no")
            rows.append(("lessons", row))
        return rows

    def _activity(self, record: _Record, partner: str, rows: list[tuple[str, Row]]) -> str:
        spec = self.mapping.activity
        assert spec is not None
        decimal = self.export.decimal
        activity_id = _resolve(spec, record.context)
        if not activity_id:
            self.problem(spec.column or "activity", "empty; an activity id is required by the mapping")
            return ""
        if activity_id in self.ctx.activity_ids or activity_id in self.created:
            return activity_id
        create = spec.create
        if create is None:
            message = f"unknown activity_id '{activity_id}' (not in activities.csv; add 'create:' to the mapping)"
            self.problem(spec.column or "activity", message)
            return activity_id
        when = record.context.get(create.date.column) if create.date.column else _resolve(create.date, record.context)
        date = parse_date(when)
        if date is None:
            self.problem(create.date.column or "activity.create.date", "expected a date for the new activity")
        if isinstance(create.participants, CountRows):
            participants = float(self.counts[(create.participants.count_sheet, record.root_key)])
        else:
            participants = parse_number(_resolve(create.participants, record.context), decimal) or 0.0
        hours = parse_number(_resolve(create.hours, record.context), decimal) if create.hours else None
        track = _resolve(create.track_id, record.context) if create.track_id else ""
        row: Row = {"activity_id": activity_id, "partner_id": partner, "track_id": track, "type": create.type}
        row.update(date=date, participants=int(participants), hours=hours)
        rows.append(("activities", row))
        return activity_id


def _records(export: Export, mapping: Mapping, planned: Planned) -> list[_Record]:
    """Every row of every sheet with its ancestors' cells merged in (repeat groups)."""
    by_key: dict[str, dict[str, _Record]] = {}
    out: list[_Record] = []
    column = mapping.respondent.column
    for sheet in export.sheets:
        index = by_key.setdefault(sheet.name, {})
        for line, own in sheet.records():
            own_key = cell_text(own.get(sheet.key)) if sheet.key else str(line)
            if sheet.parent is None:
                key = cell_text(own.get(column)) if column else _content_hash(own)
                record = _Record(sheet, line, own, dict(own), key or f"line{line}", key or f"line{line}")
                if column and not key:
                    planned.problems.append(Problem(sheet.label, line, column, "empty respondent id; row not imported"))
                    planned.quarantine(export.path.stem, line, sheet.name, {}, [f"{column}: empty respondent id"])
                    continue
            else:
                parent = by_key.get(sheet.parent, {}).get(cell_text(own.get(sheet.parent_key or "")))
                if parent is None:
                    message = f"repeat row links to no row of sheet '{sheet.parent}'"
                    planned.problems.append(Problem(sheet.label, line, sheet.parent_key or "-", message))
                    planned.quarantine(export.path.stem, line, sheet.name, {}, [message])
                    continue
                key = f"{parent.key}/{sheet.name}/{own_key}"
                record = _Record(sheet, line, own, {**parent.context, **own}, key, parent.root_key)
            index[own_key] = record
            out.append(record)
    return out


def _content_hash(own: Record) -> str:
    text = "\x1f".join(f"{k}={cell_text(v)}" for k, v in sorted(own.items()))
    return "row-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _shown_key(record: _Record, mapping: Mapping) -> str:
    column = mapping.respondent.column
    return cell_text(record.context.get(column)) if column else f"row content {record.key}"


def _resolve(source: Source, context: Record) -> str:
    if source.column is None:
        return f"{source.prefix}{cell_text(source.value)}"
    text = cell_text(context.get(source.column))
    return f"{source.prefix}{source.recode(text)}" if text else ""


def _answers(
    items: list[Item], record: _Record, decimal: str, separator: str, problem: Callable[[str, str], None]
) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    for item in items:
        if item.column not in record.own or (item.scale_pending and item.labels):
            continue  # labelled answers of an unsettled scale wait: their values depend on it
        text = cell_text(record.own[item.column])
        if not text:
            continue
        if item.multiple is not None:
            chosen, unknown = split_choices(text, item.multiple.separator or separator, item.multiple.options)
            if unknown:
                problem(item.column, f"unknown option(s) {unknown} (expected: {', '.join(item.multiple.options)})")
            out += [
                (f"{item.item_id}.{opt}", 1.0 if opt in chosen else 0.0)
                for opt in dict.fromkeys(item.multiple.options.values())
            ]
            continue
        value = label_or_number(text, item.labels, decimal)
        if value is None:
            expected = (
                ", ".join(f"'{k}'" for k in item.labels)
                if item.labels
                else f"a number {item.scale_min}–{item.scale_max}"
            )
            problem(item.column, f"unknown answer label '{text}' (expected {expected})")
        elif (
            item.scale_min is not None and item.scale_max is not None and not item.scale_min <= value <= item.scale_max
        ):
            problem(
                item.column,
                f"value {value:g} outside the scale {item.scale_min}–{item.scale_max} of item '{item.item_id}'",
            )
        else:
            out.append((item.item_id, value))
    return out


def _child_counts(export: Export, mapping: Mapping) -> Counter[tuple[str, str]]:
    """Rows of each repeat sheet per root record, for ``participants: {count_sheet: ...}``."""
    counts: Counter[tuple[str, str]] = Counter()
    spec = mapping.activity.create if mapping.activity is not None else None
    if spec is None or not isinstance(spec.participants, CountRows):
        return counts
    scratch = Planned()
    for record in _records(export, mapping, scratch):
        if record.sheet.name == spec.participants.count_sheet:
            counts[(record.sheet.name, record.root_key)] += 1
    return counts


def _item_rows(mapping: Mapping, export: Export) -> list[tuple[str, Row]]:
    present = {c for s in export.sheets for c in s.columns}
    rows: list[tuple[str, Row]] = []
    for item in mapping.items:
        if item.column not in present:
            continue
        base: Row = {
            "text_nl": item.text_nl or "",
            "text_en": item.text_en or "",
            "level": item.level,
            "dimension": item.dimension,
            "criterion": item.criterion or "",
            "question_id": item.item_id,
        }
        if item.multiple is None:
            labels = "; ".join(f"{v:g}={k}" for k, v in sorted(item.labels.items(), key=lambda kv: kv[1]))
            kind = "ordinal" if item.labels else "number"  # a numeric answer without labels (0-10, a grade)
            rows.append(
                (
                    "items",
                    {
                        "item_id": item.item_id,
                        **base,
                        "scale_min": item.scale_min,
                        "scale_max": item.scale_max,
                        "kind": kind,
                        "labels": labels,
                    },
                )
            )
            continue
        for label, option in item.multiple.options.items():
            rows.append(
                (
                    "items",
                    {
                        "item_id": f"{item.item_id}.{option}",
                        **base,
                        "scale_min": 0,
                        "scale_max": 1,
                        "kind": "option",
                        "labels": f"0=not chosen; 1={label}",
                        "text_en": f"{item.text_en}: {label}" if item.text_en else "",
                        "text_nl": f"{item.text_nl}: {label}" if item.text_nl else "",
                    },
                )
            )
    return rows


def _safe_cells(own: Record, personal: set[str], salt: bytes) -> Row:
    """A row's cells for the quarantine file: personal columns, and any cell that is an e-mail address or
    a phone number whatever its column, pseudonymised."""
    cells: Row = {}
    for key, value in own.items():
        text = cell_text(value)
        cells[key] = pseudonym(salt, text) if text and (key in personal or personal_cell(text)) else text
    return cells


def _check_columns(export: Export, mapping: Mapping) -> list[str]:
    """Fail early when a column needed for every row is missing; note mapped columns this export lacks."""
    present = {c for s in export.sheets for c in s.columns}
    for name, source in (("respondent", mapping.respondent), ("partner", mapping.partner), ("wave", mapping.wave)):
        column = getattr(source, "column", None)
        if column and column not in present:
            raise MappingError(
                f"{name} column '{column}' not in the export (columns: {', '.join(sorted(present)[:30])})",
                file=export.path.name,
            )
    absent = [i.column for i in mapping.items if i.column not in present]
    absent += [c for lesson in mapping.lessons for c in lesson.fields.values() if c not in present]
    return [f"{export.path.name}: mapped column '{c}' not in this export; skipped" for c in absent]
