"""An attacker who reads only what a programme publishes: every rendered HTML report and manifest.json.

It collects every survey figure shown with its n (Kirkpatrick level and dimension scores, changes,
criteria, partners and tracks compared, the waves table, and the results per intervention type: levels,
criteria and answer shares per activity type), keyed by what it measures as the reports label it, and
tries every difference of an aggregate and its published parts: a programme minus its shown tracks (and
the shown partners of hidden tracks), a track minus its shown partners, a level minus its shown
dimensions, and a level, criterion or question (the total its own table gives) minus its shown activity
types. A difference whose group is 1 to ``min_group_size - 1`` respondents is a leak: its mean is
recovered to within rounding.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

_NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?")


class _Tables(HTMLParser):
    """Every <table class="data ..."> of a page as (classes, header texts, row texts), the <h1>, and the text
    of the <h4> right before a table (an answer table's question) by the table's question class."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[set[str], list[str], list[list[str]]]] = []
        self.title = ""
        self.question_of_text: dict[str, str] = {}  # question text -> its answer table's class (q-<id>)
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_title = False
        self._h4: list[str] | None = None
        self._last_h4 = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            classes = set((dict(attrs).get("class") or "").split())
            self.tables.append((classes, [], []))
            for question in (c for c in classes if c.startswith("q-")):
                self.question_of_text.setdefault(self._last_h4, question)
            self._last_h4 = ""
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "h1":
            self._in_title = True
        elif tag == "h4":
            self._h4 = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            _classes, header, rows = self.tables[-1]
            if not header:
                header.extend(self._row)
            else:
                rows.append(self._row)
            self._row = None
        elif tag == "h1":
            self._in_title = False
        elif tag == "h4" and self._h4 is not None:
            self._last_h4 = "".join(self._h4).strip()
            self._h4 = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._h4 is not None:
            self._h4.append(data)
        if self._in_title:
            self.title += data


def parse_number(text: str) -> float | None:
    """A number as a report writes it (decimal comma in Dutch, thin-space groups); None for '–'."""
    text = text.replace("\u2009", "").replace("\xa0", "").replace(" ", "").replace("%", "").replace(",", ".")
    text = text.replace("\u2212", "-")  # the minus sign reports write
    return float(text) if _NUMBER.fullmatch(text) else None  # '–' or words ("no evidence"): not a value


@dataclass
class Published:
    """What the attacker collected: n and whether a value is shown, per measure and scope."""

    n: dict[tuple[str, str], int] = field(default_factory=dict)  # (measure, scope) -> n
    shown: set[tuple[str, str]] = field(default_factory=set)
    parent: dict[str, str] = field(default_factory=dict)  # scope -> scope above ("*" = programme)
    links: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    # (level, criterion or question; scope) -> its results per activity type: disjoint groups where each person
    # answered about one type
    parts: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def cell(self, measure: str, scope: str, n_text: str | None, value_text: str) -> None:
        if n_text is not None:
            n = parse_number(n_text)
            if n is not None:
                self.n[(measure, scope)] = int(n)
        if parse_number(value_text) is not None:
            self.shown.add((measure, scope))


@dataclass(frozen=True)
class Conventions:
    """What a reader of the reports knows of their layout: the wave the dimension and comparison tables
    show (their intros say it), and which comparison column is which level."""

    latest_wave: str  # the wave label
    level_of_column: dict[str, str]  # comparison/waves column header -> level label


def read_release(reports: Path, conventions: Conventions) -> Published:
    """Read every report of a programme's output folder (``reports/<programme>``)."""
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    found = Published()
    names = {
        kind: {str(r["name"]): f"{kind[0]}:{r['unit']}" for r in manifest["reports"] if r["kind"] == kind}
        for kind in ("partner", "track")
    }
    for entry in manifest["reports"]:
        if entry["status"] == "failed":
            continue
        kind, unit = entry["kind"], str(entry["unit"])
        scope = "*" if kind == "programme" else f"{kind[0]}:{unit}"
        if kind == "partner":
            found.parent[scope] = f"t:{entry['track_id']}" if entry.get("track_id") else "*"
        elif kind == "track":
            found.parent[scope] = "*"
        page = (reports / entry["path"]).read_text(encoding="utf-8")
        parser = _Tables()
        parser.feed(page)
        _collect(found, parser, scope, names, conventions)
        _collect_text(found, page, scope)
    return found


_TYPE_CELL = re.compile(r"^(.*) \(n = (\d[\d\u2009]*)\)$")  # "score (n = k)", "share % (n = k)" or "–"
_WAVE_N = re.compile(r"^(.*) \((?:n = )?(\d[\d\u2009]*)(?: respondents?)?[,)]")
_PAIR_SHOWN = re.compile(r"<p>([^<:]+): from [^<]* \((\d+) respondents who answered both\)")
_TOP_TWO = re.compile(
    r"<tr><td>Top two answers to “([^”]+)” \(([^)]+)\)</td><td>([^<]*)</td><td>(?:(\d+) of the )?(\d+)? ?"
)


def _collect_text(found: Published, page: str, scope: str) -> None:
    """Figures given in sentences: before/after pairs and the rating share of the headline figures (English)."""
    for stem, n in _PAIR_SHOWN.findall(page):
        found.cell(f"pair|{stem}", scope, n, "1")
    for question, wave, value, _, n in _TOP_TWO.findall(page):
        found.cell(f"rating|{question}|{wave}", scope, n or None, value)


_PROGRAMME_CONSERVATIVE = ("Programme (conservative)", "Programma (voorzichtig)")
_SELF_REPORTED = re.compile(r" \((?:self-reported|zelfgerapporteerd)\)$")


def _level(label: str) -> str:
    """A level's label without the self-report mark the chain table adds (the comparisons do not)."""
    return _SELF_REPORTED.sub("", label)


def _collect(found: Published, page: _Tables, scope: str, names: dict[str, dict[str, str]], known: Conventions) -> None:  # noqa: PLR0912
    for classes, header, rows in page.tables:
        if "kp-chain" in classes:  # wave, level, n, score, CI, [programme mean,] partners' median
            for row in rows:
                found.cell(f"level|{row[0]}|{_level(row[1])}", scope, row[2], row[3])
                if len(header) == 7:  # not in the programme report, whose score is the programme's mean
                    found.cell(f"level|{row[0]}|{_level(row[1])}", "*", None, row[5])
        elif "kp-dims" in classes:  # level, dimension, n, score (latest wave)
            for row in rows:
                found.cell(f"dim|{known.latest_wave}|{row[0]}|{row[1]}", scope, row[2], row[3])
                found.links[(f"level|{known.latest_wave}|{row[0]}", scope)].add(
                    f"dim|{known.latest_wave}|{row[0]}|{row[1]}"
                )
        elif "kp-change" in classes:  # level, paired n, lost, before, after, change, CI, conservative, [programme]
            for row in rows:
                found.cell(f"change|{row[0]}", scope, row[1], row[3])
                if len(header) >= 9 and header[8] in _PROGRAMME_CONSERVATIVE:  # not in the programme report
                    found.cell(f"change|{row[0]}", "*", None, row[8])
        elif "criteria" in classes:  # criterion, score, strength, n items, n respondents, sources, programme
            for row in rows:
                found.cell(f"criterion|{row[0]}", scope, row[4], row[1])
                found.cell(f"criterion|{row[0]}", "*", None, row[6])
        elif "partners-compared" in classes or "tracks-compared" in classes:
            units = names["partner" if "partners-compared" in classes else "track"]
            for row in rows:
                for column, value in zip(header, row, strict=True):
                    if column in known.level_of_column and row[0] in units:
                        found.cell(
                            f"level|{known.latest_wave}|{known.level_of_column[column]}", units[row[0]], None, value
                        )
        elif "freq" in classes:  # answer, then per wave (n = N) a number and a share column
            question = next(c for c in classes if c.startswith("q-"))
            for index, label in enumerate(header[1:]):
                match = _WAVE_N.match(label)
                if match is None:
                    continue
                measure = f"question|{question}|{match.group(1)}"
                shares = [row[2 + 2 * index] for row in rows[1:] if len(row) > 2 + 2 * index]
                shown = next((v for v in shares if parse_number(v) is not None), "–")
                found.cell(measure, scope, match.group(2), shown)
        elif "iv-types" in classes:  # wave, type, then per level "score (n = k)" or "–"
            for row in rows:
                for column, value in zip(header[2:], row[2:], strict=True):
                    measure = f"type|{row[0]}|{_level(column)}|{row[1]}"
                    match = _TYPE_CELL.match(value)
                    found.cell(measure, scope, match.group(2) if match else None, match.group(1) if match else value)
                    found.parts[(f"level|{row[0]}|{_level(column)}", scope)].add(measure)
        elif "iv-criteria" in classes:  # criterion, then per activity type "score (n = k)" or "–"; waves pooled
            for row in rows:
                for kind, value in zip(header[1:], row[1:], strict=True):
                    _typed_cell(found, f"typecriterion|{row[0]}|{kind}", f"criterion|{row[0]}", scope, value)
        elif "iv-questions" in classes:  # question text, then per type "share (n = k)" or "–"; the latest wave
            for row in rows:
                question = page.question_of_text.get(row[0], f"text:{row[0]}")  # its answer table's total
                total = f"question|{question}|{known.latest_wave}"
                for kind, value in zip(header[1:], row[1:], strict=True):
                    _typed_cell(found, f"typequestion|{question}|{known.latest_wave}|{kind}", total, scope, value)
        elif "waves" in classes:  # wave, year, respondents, partners, L1, L3, activities
            for row in rows:
                for column, value in zip(header, row, strict=True):
                    if column in known.level_of_column:
                        found.cell(f"level|{row[0]}|{known.level_of_column[column]}", scope, None, value)


def _typed_cell(found: Published, measure: str, total: str, scope: str, value: str) -> None:
    """A per-type table's cell ("value (n = k)" or "–"), a part of ``total`` at the same scope."""
    match = _TYPE_CELL.match(value)
    found.cell(measure, scope, match.group(2) if match else None, match.group(1) if match else value)
    found.parts[(total, scope)].add(measure)


def leaks(found: Published, min_group_size: int) -> list[str]:
    """Every difference of a shown aggregate and its shown parts that isolates 1..min-1 respondents,
    every shown value of fewer than min respondents, and every shown level whose hidden dimensions are
    all small while another dimension is shown. A total minus its shown activity types is a group when each
    respondent answered about one type, which the published n tell: the types' n (hidden ones' too) add up to
    the total's. Where they add up to more, someone answered about two types and counts in both (the reports
    say so): the difference is then nobody's answers, and the attacker cannot isolate anyone by it."""
    out = [
        f"{m} at {s}: n = {found.n[(m, s)]}"
        for m, s in sorted(found.shown)
        if 0 < found.n.get((m, s), min_group_size) < min_group_size
    ]
    children: dict[str, list[str]] = defaultdict(list)
    for child, parent in found.parent.items():
        children[parent].append(child)
    for measure, node in sorted(found.shown):
        n = found.n.get((measure, node))
        if n is None or node.startswith("p:"):
            continue
        covered = _covered(found, measure, node, children)
        region = n - sum(found.n[(measure, c)] for c in covered)
        if 0 < region < min_group_size:
            out.append(f"{measure} at {node}: minus {len(covered)} shown parts leaves {region} respondent(s)")
    for (level, scope), dims in sorted(found.links.items()):
        if (level, scope) not in found.shown:
            continue
        hidden = [found.n.get((d, scope), 0) for d in dims if (d, scope) not in found.shown]
        if any(hidden) and max(hidden) < min_group_size and any((d, scope) in found.shown for d in dims):
            out.append(
                f"{level} at {scope}: minus its shown dimensions leaves dimensions of {max(hidden)} respondent(s)"
            )
    for (level, scope), types in sorted(found.parts.items()):
        n = found.n.get((level, scope))
        every = [found.n.get((m, scope)) for m in types]
        if n is not None and None not in every and sum(k for k in every if k is not None) > n:
            continue  # overlapping types: no exact difference
        shown = [found.n[(m, scope)] for m in types if (m, scope) in found.shown and (m, scope) in found.n]
        if (level, scope) in found.shown and n is not None and shown and 0 < n - sum(shown) < min_group_size:
            out.append(f"{level} at {scope}: minus its shown activity types leaves {n - sum(shown)} respondent(s)")
    return out


def _covered(found: Published, measure: str, node: str, children: dict[str, list[str]]) -> list[str]:
    """The shown cells right below ``node`` (with a published n), and below its hidden ones."""
    covered: list[str] = []
    for child in children.get(node, []):
        if (measure, child) in found.shown and (measure, child) in found.n:
            covered.append(child)
        elif (measure, child) not in found.shown:
            covered.extend(_covered(found, measure, child, children))
    return covered


_COST_ROW = re.compile(  # the activities table's cost row: the unit's own, the median per partner, [the total]
    r"<tr><td>(?:Cost \(EUR, activities with a known cost\)|Kosten \(euro, activiteiten met bekende kosten\))</td>"
    r"<td class=\"num\">([^<]*)</td><td class=\"num\">[^<]*</td>(?:<td class=\"num\">([^<]*)</td>)?"
)
_TYPE_COST = re.compile(r"<th>(?:Cost \(EUR, known costs\)|Kosten \(euro, bekende kosten\))</th>")


def cost_leaks(reports: Path, min_group_size: int) -> list[str]:
    """A partner knows its own costs: every cost total a report shows, minus that partner's own, must leave the
    costs of no fewer than ``min_group_size`` other partners. The attacker counts partners from the manifest
    (which partners and tracks were reported), so it may count partners without a known cost too: it flags a
    total of 2 to ``min_group_size`` partners (one partner's own, read by itself alone, is no leak), and
    a programme total beside a unit that leaves fewer than ``min_group_size`` partners outside it."""
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    entries = [e for e in manifest["reports"] if e["status"] != "failed"]
    in_track: dict[str, int] = defaultdict(int)
    for entry in entries:
        if entry["kind"] == "partner" and entry.get("track_id"):
            in_track[str(entry["track_id"])] += 1
    everyone = sum(1 for e in entries if e["kind"] == "partner")
    out = []
    for entry in entries:
        kind, unit = entry["kind"], str(entry["unit"])
        page = (reports / entry["path"]).read_text(encoding="utf-8")
        size = {"partner": 1, "track": in_track.get(unit, 0), "programme": everyone}.get(kind, 0)
        outside = everyone - size
        row = _COST_ROW.search(page)
        if row is None:
            continue
        own, total = row.group(1), row.group(2)
        if kind != "partner" and 1 < size <= min_group_size:
            if parse_number(own.replace("\u2009", "")) is not None:
                out.append(f"{kind} {unit}: its cost total of {size} partners minus one partner's own")
            if _TYPE_COST.search(page):
                out.append(f"{kind} {unit}: costs per activity type of {size} partners")
        if total is not None and parse_number(total.replace("\u2009", "")) is not None and outside < min_group_size:
            out.append(f"{kind} {unit}: the programme's cost total minus its own leaves {outside} partner(s)")
    return out
