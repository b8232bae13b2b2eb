"""ELIXIR Training Metrics Database uploads and exports, imported without a mapping.

Give it any of: the events file (export or upload template), demographics / quality /
impact responses (question-text or slug headers, linked to events by ``event`` or
``event_code``), ``nodes.csv`` (countries of nodes) and the value-alias table. Events
become activities (wave = the year the event started), each event's main node becomes
the partner, quality and impact answers become responses on the shipped code book
(:mod:`capeval.ingest.tmd_questions`), demographics go to ``demographics.csv``, and each
event carries ``responses_received`` and ``response_rate`` (quality responses / participants).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from capeval.csvfile import read_rows, write_rows
from capeval.errors import Problem
from capeval.ingest.cells import cell_text, normalise_label
from capeval.ingest.choices import split_choices
from capeval.ingest.errors import ExportFormatError
from capeval.ingest.formats import ExportFormat
from capeval.ingest.plan import PlanContext, Planned, Row
from capeval.ingest.pseudonym import pseudonym
from capeval.ingest.sources import Export, Sheet, read_table
from capeval.ingest.tmd_events import Event, is_events_sheet, partner_rows, read_events
from capeval.ingest.tmd_questions import CodeBook, Question, code_book

EVENT_LINK = ("event", "event_code")
BOOKKEEPING = {"user", "created", "modified", "id"}


def read_tmd(path: Path) -> Export:
    return read_table(path, "tmd")


def tmd_file_kind(sheet: Sheet) -> str:
    """What a TMD file holds: events, survey, aliases, nodes or institutions (from its header)."""
    names = {normalise_label(c) for c in sheet.columns}
    kinds = (
        ("events", is_events_sheet(sheet)),
        ("aliases", {"field", "value", "alias"} <= names),
        ("nodes", names == {"name", "country"}),
        ("survey", bool(names & set(EVENT_LINK))),
        ("institutions", "ror_id" in names),
    )
    kind = next((k for k, matches in kinds if matches), None)
    if kind is None:
        message = "not a TMD file (expected events, responses with event_code, nodes or value aliases)"
        raise ExportFormatError(message, file=sheet.label, row=1)
    return kind


def plan_tmd(paths: Sequence[Path], ctx: PlanContext) -> Planned:
    """Plan the rows of a set of TMD files (order does not matter: events are read first)."""
    shipped = code_book()
    book = replace(shipped, aliases=dict(shipped.aliases))  # an aliases file extends this import only
    planned = Planned()
    files: dict[str, list[tuple[Path, Sheet]]] = defaultdict(list)
    for path in paths:
        sheet = read_tmd(path).main
        planned.stems.append(path.stem)
        files[tmd_file_kind(sheet)].append((path, sheet))
    for _, sheet in files["aliases"]:
        _add_aliases(book, sheet)
    countries = {
        cell_text(r.get("name")): cell_text(r.get("country")) for _, s in files["nodes"] for _, r in s.records()
    }
    planned.notes += [f"{path.name}: institutions are not imported" for path, _ in files["institutions"]]
    new_events = [event for path, sheet in files["events"] for event in _read_event_file(path, sheet, book, planned)]
    events = _existing_events(ctx.root) | {e.activity_id: e for e in new_events}
    surveys = files["survey"]
    for event in new_events:
        planned.add("activities", event.row)
    for row in partner_rows(new_events, countries):
        planned.add("partners", row)
    for path, sheet in surveys:
        _plan_survey(path, sheet, _Survey(book, events, ctx.salt, planned))
    for row in item_rows(book):
        planned.add("items", row)
    years = sorted({e.wave for e in new_events} | {e.wave for e in events.values()})
    waves = [{"id": y, "label": str(y), "year": y} for y in years]
    types = [{"id": t, "label": label} for label, t in _type_labels(book).items()]
    if not ctx.programme_exists:
        planned.programme = {
            "id": "tmd",
            "title": "ELIXIR training metrics",
            "language": "en",
            "waves": waves or [{"id": 1, "label": "wave 1"}],
            "activity_types": types,
        }
    else:
        planned.new_waves = [w for w in waves if w["id"] not in ctx.wave_ids]
    planned.new_activity_types = sorted({str(e.row["type"]) for e in new_events})
    codes = {e.activity_id for e in new_events}
    planned.after_write.append(lambda root: update_response_rates(root, codes))
    return planned


def _read_event_file(path: Path, sheet: Sheet, book: CodeBook, planned: Planned) -> list[Event]:
    found, rejected = read_events(sheet, book, planned.problems)
    for line, cells, reason in rejected:
        planned.quarantine(path.stem, line, sheet.name, dict(cells), [reason])
    return found


def _type_labels(book: CodeBook) -> dict[str, str]:
    text = {
        "training_face_to_face": "Training - face to face",
        "training_elearning": "Training - e-learning",
        "training_blended": "Training - blended",
        "knowledge_exchange_workshop": "Knowledge exchange workshop",
        "hackathon": "Hackathon",
    }
    return {text.get(t, t): t for t in dict.fromkeys(book.event_types.values())}


def _existing_events(root: Path) -> dict[str, Event]:
    _, rows = read_rows(root / "activities.csv")
    events = {}
    for row in rows:
        date = row.get("date", "")
        if len(date) >= 4 and date[:4].isdigit():
            events[row["activity_id"]] = Event(
                row["activity_id"], row.get("partner_id", ""), date, int(date[:4]), dict(row)
            )
    return events


def _add_aliases(book: CodeBook, sheet: Sheet) -> None:
    for _, row in sheet.records():
        alias, value = cell_text(row.get("alias")), cell_text(row.get("value"))
        if alias and value:
            book.aliases.setdefault(normalise_label(alias), value)


@dataclass
class _Survey:
    book: CodeBook
    events: dict[str, Event]
    salt: bytes
    planned: Planned


def _plan_survey(path: Path, sheet: Sheet, run: _Survey) -> None:
    book, events, planned = run.book, run.events, run.planned
    headers = book.by_header()
    link = next(c for c in sheet.columns if normalise_label(c) in EVENT_LINK)
    questions = {c: headers[normalise_label(c)] for c in sheet.columns if normalise_label(c) in headers}
    for column in sheet.columns:
        if column not in questions and column != link and normalise_label(column) not in BOOKKEEPING:
            planned.problems.append(Problem(sheet.label, 1, column, "not one of the 21 TMD questions; column ignored"))
    groups = "+".join(sorted({q.group for q in questions.values()}))
    occurrences: Counter[str] = Counter()
    for line, raw in sheet.records():
        cells = {c: cell_text(raw.get(c)) for c in [link, *questions]}
        reasons: list[str] = []
        code = cells[link]
        event = events.get(code)
        if event is None:
            reasons.append(f"{link}: unknown event '{code}' (not in the events file or activities.csv)")
            planned.problems.append(Problem(sheet.label, line, link, reasons[-1].split(": ", 1)[1]))
        content = "\x1f".join(cells[c] for c in questions)
        occurrences[content + code] += 1
        respondent = pseudonym(
            run.salt, f"tmd|{groups}|{code}|{content}|{occurrences[content + code]}", prefix="R", length=12
        )
        rows: list[tuple[str, Row]] = []
        for column, question in questions.items():
            text = cells[column]
            if not text:
                continue
            try:
                rows += _answer_rows(question, book.canonical(text), book)
            except ValueError as exc:
                reasons.append(f"{column}: {exc}")
                planned.problems.append(Problem(sheet.label, line, column, str(exc)))
        if reasons or event is None:
            planned.quarantine(path.stem, line, sheet.name, dict(cells), reasons)
            continue
        base: Row = {
            "respondent_id": respondent,
            "partner_id": event.partner_id,
            "activity_id": event.activity_id,
            "wave": event.wave,
        }
        for table, row in rows:
            planned.add(table, {**base, **row})


def _answer_rows(question: Question, text: str, book: CodeBook) -> list[tuple[str, Row]]:
    """Rows for one answer; ValueError names an answer the question does not offer."""
    qid = question.question_id
    if question.kind == "open":
        return [("demographics", {"question_id": qid, "answer": text})]
    labels = question.option_labels()
    if question.kind == "multiple":
        options = {label: str(option) for label, option in labels.items()}
        aliased = ", ".join(book.canonical(p.strip()) for p in text.split(", ")) if "," in text else text
        chosen, unknown = split_choices(aliased, ",", options)
        if unknown:
            raise ValueError(f"unknown answer label(s) {unknown} (expected: {'; '.join(labels)})")
        if question.table == "demographics":
            names = {str(v): k for k, v in labels.items()}
            return [("demographics", {"question_id": qid, "answer": names[o]}) for o in chosen]
        return [
            ("responses", {"item_id": f"{qid}.{o}", "value": 1.0 if o in chosen else 0.0}) for o in options.values()
        ]
    found = question.lookup(text)
    if found is None:
        raise ValueError(f"unknown answer label '{text}' (expected: {'; '.join(labels)})")
    label, value = found
    if question.table == "demographics":
        return [("demographics", {"question_id": qid, "answer": label})]
    return [("responses", {"item_id": qid, "value": float(str(value))})]


def item_rows(book: CodeBook) -> list[Row]:
    """items.csv rows of the shipped quality and impact questions (every option, chosen or not)."""
    rows: list[Row] = []
    for q in book.questions:
        if q.table != "items":
            continue
        low, high = q.scale_bounds()
        base: Row = {
            "text_nl": "",
            "level": q.level,
            "dimension": q.dimension,
            "criterion": q.criterion,
            "question_id": q.question_id,
            "codebook": q.codebook,
        }
        if q.kind == "multiple":
            for label, option in q.options:
                rows.append(
                    {
                        "item_id": f"{q.question_id}.{option}",
                        "text_en": f"{q.text} {label}",
                        **base,
                        "scale_min": 0,
                        "scale_max": 1,
                        "kind": "option",
                        "labels": f"0=not chosen; 1={label}",
                    }
                )
            continue
        labels = "; ".join(f"{v}={k}" for k, v in q.options)
        rows.append(
            {
                "item_id": q.question_id,
                "text_en": q.text,
                **base,
                "scale_min": low,
                "scale_max": high,
                "kind": q.kind,
                "labels": labels,
            }
        )
    return rows


def update_response_rates(root: Path, codes: set[str]) -> None:
    """Set ``responses_received``, ``impact_responses_received`` and ``response_rate`` on TMD events.

    TMD events are those imported now (``codes``) and those that carry the columns already;
    other activities keep them empty.
    """
    header, activities = read_rows(root / "activities.csv")
    _, responses = read_rows(root / "responses.csv")
    quality: dict[str, set[str]] = {}
    impact: dict[str, set[str]] = {}
    for row in responses:
        target = (
            quality
            if row.get("item_id", "").startswith("quality.")
            else impact
            if row.get("item_id", "").startswith("impact.")
            else None
        )
        if target is not None:
            target.setdefault(row.get("activity_id", ""), set()).add(row.get("respondent_id", ""))
    columns = [
        *header,
        *[c for c in ("responses_received", "impact_responses_received", "response_rate") if c not in header],
    ]
    for row in activities:
        if row["activity_id"] not in codes and not row.get("responses_received"):
            continue
        received = len(quality.get(row["activity_id"], ()))
        participants = int(row.get("participants") or 0)
        row["responses_received"] = str(received)
        row["impact_responses_received"] = str(len(impact.get(row["activity_id"], ())))
        row["response_rate"] = f"{received / participants:.3f}" if participants else ""
    write_rows(root / "activities.csv", columns, activities)


FORMAT = ExportFormat(
    name="tmd",
    read=read_tmd,
    needs_mapping=False,
    plan=plan_tmd,
    description="ELIXIR Training Metrics Database: events, demographics, quality and impact files",
)
