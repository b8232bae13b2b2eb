"""The evaluator's own words: Markdown files in a programme folder's ``narrative/``, placed in reports.

``narrative/partners/<id>.md``, ``narrative/tracks/<id>.md``, ``narrative/programme.md`` and
``narrative/programme-internal.md`` (each optionally ``<name>.nl.md`` / ``<name>.en.md``). Level-2
headings say where a part goes: ``## Summary`` (before the key findings), ``## <section>`` (after
that section), ``## Limitations`` (before the method notes), ``## Management response`` (after the
actions). Text before the first heading belongs to the summary. The Markdown is rendered with
markdown-it-py (raw HTML off) and sanitised with nh3: no script, no image, links http(s) and mailto.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from capeval.errors import Problem
from capeval.i18n import LANGUAGES, t
from capeval.units import unit_filename

FOLDER = "narrative"
MAX_BYTES = 200_000  # a narrative is pages of text, not a data file

# Where a part may go: the heading's key and the report section it follows (or precedes).
PLACES = (
    "summary",
    "activities",
    "kirkpatrick",
    "interventions",
    "criteria",
    "answers",
    "gaps",
    "lessons",
    "scaling",
    "actions",
    "headline",
    "partners_compared",
    "tracks_compared",
    "intervention_mix",
    "waves",
    "gaps_compared",
    "limitations",
    "management_response",
)
_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_HEADING = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
_FILE = re.compile(r"^(?P<stem>.+?)(?:\.(?P<lang>nl|en))?\.md$")


@dataclass(frozen=True)
class Narrative:
    """One narrative file: its unit, language (None: any) and Markdown per place."""

    path: str
    kind: str  # partner, track, programme or programme-internal
    unit_id: str
    language: str | None
    parts: dict[str, str] = field(default_factory=dict)


def heading_place(heading: str) -> str | None:
    """The place a ``## heading`` names, in English or Dutch, ignoring case; None if it names none."""
    wanted = " ".join(heading.casefold().split())
    for place in PLACES:
        if any(" ".join(t(f"narrative_place_{place}", lang).casefold().split()) == wanted for lang in LANGUAGES):
            return place
    return None


def _places_listed(language: str) -> str:
    return ", ".join(f"'## {t(f'narrative_place_{p}', language)}'" for p in PLACES)


def parse_narrative(text: str, file: str) -> tuple[dict[str, str], list[Problem]]:
    """Split ``text`` into Markdown per place; a heading that names no place is a problem at its line."""
    parts: dict[str, list[str]] = {}
    problems: list[Problem] = []
    place: str | None = "summary"
    fence = False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        match = None if fence else _HEADING.match(line)
        if match:
            place = heading_place(match.group(1))
            if place is None:
                why = f"'## {match.group(1)}' names no place in a report; expected one of {_places_listed('en')}"
                problems.append(Problem(file, number, "heading", why))
            continue
        if place is not None:
            parts.setdefault(place, []).append(line)
    joined = {p: "\n".join(lines).strip() for p, lines in parts.items()}
    return {p: text for p, text in joined.items() if text}, problems


def read_narratives(root: Path, partners: set[str], tracks: set[str]) -> tuple[list[Narrative], list[Problem]]:
    """Every narrative file under ``root/narrative`` and the problems found: unknown unit or heading,
    not UTF-8, too large, a symbolic link out of the folder. Missing folder: nothing, no problem."""
    folder = root / FOLDER
    found: list[Narrative] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return found, problems
    known = {"partners": _by_filename(partners), "tracks": _by_filename(tracks)}
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        rel = path.relative_to(root).as_posix()
        unit = _unit_of(path.relative_to(folder), known)
        if unit is None:
            why = (
                "not a narrative of this programme; expected narrative/partners/<partner_id>.md, "
                "narrative/tracks/<track_id>.md, narrative/programme.md or narrative/programme-internal.md "
                "(optionally .nl.md or .en.md), with an id from partners.csv or tracks.csv"
            )
            problems.append(Problem(rel, 0, "-", why))
            continue
        text, problem = _read_text(path, root, rel)
        if problem is not None:
            problems.append(problem)
            continue
        parts, heading_problems = parse_narrative(text, rel)
        problems.extend(heading_problems)
        kind, unit_id, language = unit
        found.append(Narrative(rel, kind, unit_id, language, parts))
    return found, problems


def _by_filename(ids: set[str]) -> dict[str, str]:
    """Each id under its own spelling and under its report's file stem (ids with unsafe characters)."""
    return {unit_filename(uid): uid for uid in ids} | {uid: uid for uid in ids}


def _unit_of(rel: Path, known: dict[str, dict[str, str]]) -> tuple[str, str, str | None] | None:
    match = _FILE.match(rel.name)
    if match is None:
        return None
    stem, language = match.group("stem"), match.group("lang")
    if len(rel.parts) == 1 and stem in ("programme", "programme-internal"):
        return stem, "", language
    if len(rel.parts) == 2 and rel.parts[0] in known and stem in known[rel.parts[0]]:
        return rel.parts[0].removesuffix("s"), known[rel.parts[0]][stem], language
    return None


def _read_text(path: Path, root: Path, rel: str) -> tuple[str, Problem | None]:
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        why = "a symbolic link to a file outside the programme folder; capeval does not read it: copy the file here"
        return "", Problem(rel, 0, "-", why)
    if path.stat().st_size > MAX_BYTES:
        return "", Problem(rel, 0, "-", f"larger than {MAX_BYTES // 1000} kB; a narrative is text, not data")
    try:
        return path.read_text(encoding="utf-8-sig"), None
    except UnicodeDecodeError as err:
        why = f"not UTF-8 (byte {err.start}); save it as UTF-8, e.g. in your editor's 'Save as' encoding choice"
        return "", Problem(rel, 0, "-", why)


def narrative_for(root: Path, kind: str, unit_id: str, language: str) -> Narrative | None:
    """The narrative a report of ``kind``/``unit_id`` in ``language`` shows: ``<name>.<language>.md``
    when written, else ``<name>.md``; None when there is none or it cannot be read."""
    for path in _candidates(root, kind, unit_id, language):
        if path.is_file() and not (path.is_symlink() and not path.resolve().is_relative_to(root.resolve())):
            rel = path.relative_to(root).as_posix()
            text, problem = _read_text(path, root, rel)
            if problem is None:
                return Narrative(rel, kind, unit_id, language, parse_narrative(text, rel)[0])
    return None


def narrative_digest(root: Path, kind: str, unit_id: str) -> str:
    """Hash of every narrative file a unit's reports may show (any language): part of its input hash."""
    digest = hashlib.sha256()
    for language in LANGUAGES:
        for path in _candidates(root, kind, unit_id, language):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def narrative_path(root: Path, kind: str, unit_id: str, language: str | None = None) -> Path:
    """Where the narrative of ``kind``/``unit_id`` is written: ``<name>.<language>.md`` for one language,
    ``<name>.md`` (shown in every language that has none of its own) when ``language`` is None."""
    folder = root / FOLDER
    whole = kind in ("programme", "programme-internal")
    base = folder / kind if whole else folder / f"{kind}s" / unit_filename(unit_id)
    return base.with_name(f"{base.name}.{language}.md" if language else f"{base.name}.md")


def _candidates(root: Path, kind: str, unit_id: str, language: str) -> list[Path]:
    return [narrative_path(root, kind, unit_id, language), narrative_path(root, kind, unit_id)]


def render_markdown(text: str) -> str:
    """Markdown as safe HTML: raw HTML shown as text, no image or script, links only http(s) and mailto."""
    import nh3  # imported here: planning a run hashes narratives but renders none
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table").render(text)
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def narrative_block(narrative: Narrative | None, place: str, language: str) -> str:
    """The HTML of one place's part, marked as the evaluator's text; '' when there is none."""
    if narrative is None or place not in narrative.parts:
        return ""
    label = t("narrative_label", language)
    body = render_markdown(narrative.parts[place])
    return f'<aside class="narrative" aria-label="{label}"><p class="narrative-label">{label}</p>{body}</aside>'
