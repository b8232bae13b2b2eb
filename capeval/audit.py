"""Cross-partner leak audit: a partner's report must hold no other partner's identifiable data.

For every partner report it looks for each other partner's name, partner id, lesson
texts and respondent ids in the page's visible text. Benchmarks are aggregates and
carry none of these, so any hit is a leak.

Respondent ids are unique per partner only: every partner may number its respondents
R01, R02, … An id the report's own partner also uses proves nothing (it is the partner's
own respondent as much as another's), and an id of digits only cannot be told from a
count in a table; neither is searched for. Another partner's id that the own partner
does not use (R31 where the own partner stops at R12) still counts as a leak.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from capeval.manifest import read_manifest
from capeval.store import Store

_TAG = re.compile(r"<[^>]+>")
_SCRIPT_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
MIN_TEXT = 12  # lesson snippets shorter than this are too generic to prove a leak


@dataclass(frozen=True)
class Leak:
    report: str
    owner: str
    kind: str  # name | partner_id | lesson | respondent_id
    value: str

    def __str__(self) -> str:
        return f"{self.report}: holds {self.kind} of partner {self.owner}: {self.value[:60]!r}"


def visible_text(page: str) -> str:
    """The text a reader sees (tags, scripts and styles removed, entities decoded)."""
    return html.unescape(_TAG.sub(" ", _SCRIPT_STYLE.sub(" ", page)))


def _identifiers(store: Store) -> dict[str, list[tuple[str, str]]]:
    """Per partner: (kind, value) pairs that identify it or its respondents."""
    found: dict[str, list[tuple[str, str]]] = {}
    partners = store.partners
    for row in partners.itertuples(index=False):
        found[str(row.partner_id)] = [("name", str(row.name)), ("partner_id", str(row.partner_id))]
    responses = store.table("responses")
    for pid, ids in responses.groupby("partner_id")["respondent_id"]:
        found.setdefault(str(pid), []).extend(("respondent_id", str(r)) for r in ids.unique())
    lessons = store.table("lessons")
    for row in lessons.itertuples(index=False):
        if pd.isna(row.partner_id):
            continue
        text = str(row.what_changed).strip()
        if len(text) >= MIN_TEXT:
            found.setdefault(str(row.partner_id), []).append(("lesson", text[:80]))
    return found


def audit_partner_reports(programme_dir: str | Path, programme_reports: str | Path) -> list[Leak]:
    """Every leak of another partner's data into a partner's report of this programme."""
    store = Store(programme_dir)
    folder = Path(programme_reports)
    identifiers = _identifiers(store)
    leaks: list[Leak] = []
    for entry in read_manifest(folder).get("reports", []):
        path = folder / str(entry.get("path"))
        if entry["kind"] != "partner" or not path.is_file():
            continue
        own = str(entry["unit"])
        text = visible_text(path.read_text(encoding="utf-8"))
        own_name = next((v for k, v in identifiers.get(own, []) if k == "name"), "")
        own_respondents = {v for k, v in identifiers.get(own, []) if k == "respondent_id"}
        for owner, values in identifiers.items():
            if owner == own:
                continue
            for kind, value in values:
                if kind == "name" and value in own_name:
                    continue  # "Gent" inside "Gentbrugge": the partner's own name
                if kind == "respondent_id" and (value in own_respondents or value.isdigit()):
                    continue  # partner-local ids: the own partner's R01 too; "17" is also a count
                pattern = re.escape(value)
                if kind in ("partner_id", "respondent_id"):
                    pattern = rf"(?<![\w-]){pattern}(?![\w-])"
                if re.search(pattern, text):
                    leaks.append(Leak(str(entry["path"]), owner, kind, value))
    return leaks
