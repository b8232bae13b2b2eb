"""ELIXIR TMD events (the export's ``code, title, node_main, date_start, ...`` or the upload
template's ``Title, ELIXIR Node, Start Date, ...``) as activities.csv rows; main nodes as partners.
"""

from __future__ import annotations

from dataclasses import dataclass

from capeval.errors import Problem
from capeval.ingest.cells import cell_text, normalise_label, parse_date, parse_number, slug
from capeval.ingest.sources import Sheet
from capeval.ingest.tmd_questions import CodeBook

# Column headers of the TMD export and of its upload template -> one name.
EVENT_COLUMNS = {
    "code": "code",
    "event_code": "code",
    "title": "title",
    "node": "node",
    "node_main": "node_main",
    "elixir node": "node_main",
    "date_start": "date_start",
    "start date": "date_start",
    "date_end": "date_end",
    "end date": "date_end",
    "duration": "duration",
    "type": "type",
    "event type": "type",
    "funding": "funding",
    "organising_institution": "organising_institution",
    "organising institution/s": "organising_institution",
    "location_city": "location_city",
    "location_country": "location_country",
    "location (city, country)": "location_country",
    "target_audience": "target_audience",
    "target audience": "target_audience",
    "number_participants": "number_participants",
    "no. of participants": "number_participants",
    "number_trainers": "number_trainers",
    "no. of trainers/ facilitators": "number_trainers",
    "url": "url",
    "url to event page/ agenda": "url",
    "status": "status",
}
EXTRA = (
    "title",
    "date_end",
    "duration",
    "number_trainers",
    "node",
    "funding",
    "target_audience",
    "location_country",
    "url",
)


@dataclass
class Event:
    activity_id: str
    partner_id: str
    date: str
    wave: int
    row: dict[str, object]


def is_events_sheet(sheet: Sheet) -> bool:
    names = {normalise_label(c) for c in sheet.columns}
    return "title" in names and bool(names & {"node_main", "elixir node"})


def read_events(
    sheet: Sheet, book: CodeBook, problems: list[Problem]
) -> tuple[list[Event], list[tuple[int, dict[str, str], str]]]:
    """Events of one sheet and the rejected rows (line, cells, reason)."""
    rename = {c: EVENT_COLUMNS[normalise_label(c)] for c in sheet.columns if normalise_label(c) in EVENT_COLUMNS}
    events: list[Event] = []
    rejected: list[tuple[int, dict[str, str], str]] = []
    for line, raw in sheet.records():
        cells = {rename.get(k, k): cell_text(v) for k, v in raw.items()}
        reasons: list[str] = []

        def bad(column: str, message: str, line: int = line, reasons: list[str] = reasons) -> None:
            problems.append(Problem(sheet.label, line, column, message))
            reasons.append(f"{column}: {message}")

        date = parse_date(cells.get("date_start", ""))
        if date is None:
            bad("date_start", f"expected a start date, got '{cells.get('date_start', '')}'")
        node = cells.get("node_main", "")
        if not node:
            bad("node_main", "empty; the main node is the partner")
        participants = parse_number(cells.get("number_participants", ""))
        if participants is None or participants < 0 or not participants.is_integer():
            bad(
                "number_participants",
                f"expected a whole number of participants, got '{cells.get('number_participants', '')}'",
            )
        code = cells.get("code") or (slug(f"{cells.get('title', '')}-{date}", max_length=48) if date else "")
        if reasons:
            rejected.append((line, cells, "; ".join(reasons)))
            continue
        assert date is not None and participants is not None
        kind = book.canonical(cells.get("type", ""))
        row: dict[str, object] = {
            "activity_id": code,
            "partner_id": node,
            "track_id": "",
            "type": book.event_types.get(normalise_label(kind), slug(kind) if kind else "event"),
            "date": date,
            "participants": int(participants),
            "hours": "",
            **{name: cells.get(name, "") for name in EXTRA},
        }
        events.append(Event(code, node, date, int(date[:4]), row))
    return events, rejected


def partner_rows(events: list[Event], countries: dict[str, str]) -> list[dict[str, object]]:
    """One partner per main node (``kind: node``), with its country when nodes.csv is given."""
    nodes = dict.fromkeys(e.partner_id for e in events)
    return [
        {"partner_id": n, "name": n, "kind": "node", "country": countries.get(n, ""), "track_id": ""} for n in nodes
    ]
