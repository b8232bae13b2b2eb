"""What one export column is, for a draft mapping: an item (with the scale the form or the
export says), a select-multiple question, a lesson (free text), personal data, or something
that is not an item — each with a one-line reason the draft shows as a comment.

Not items: consent, demographics (age, gender, education, occupation, counts), dates,
file names and links, numbers that are not ratings, and categorical answers whose labels
are no known scale (reported, so an ordinal scale in a language capeval does not know is
seen, not lost).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from capeval.ingest.cells import cell_text, parse_datetime, parse_number, slug
from capeval.ingest.forms import FormQuestion
from capeval.ingest.personal import names_by_content, personal_by_content, personal_by_header
from capeval.ingest.scales import labelled_endpoints, recognise_labels, stated_scale
from capeval.ingest.sources import Sheet, kobo_option_columns, repeat_of
from capeval.ingest.unmapped import looks_like_item

Kind = Literal["item", "lesson", "personal", "ignore"]
FREE_TEXT_LENGTH = 25
MAX_CATEGORIES = 20

CONSENT = re.compile(
    r"consent|toestemming|akkoord met|einwillig|einverstanden|consentement|consentimiento|"
    r"\bquote\b|\bciteren\b|\bzitieren\b|\bciter\b|\bcitar\b",
    re.IGNORECASE,
)
QUOTE = re.compile(r"\bquote|\bcite|citeren|zitier|citer|citar", re.IGNORECASE)
DEMOGRAPHIC = re.compile(
    r"\b(age|leeftijd|alter|âge|edad|gender|sex|geslacht|geschlecht|genre|sexe|género|sexo|"
    r"education|opleiding|ausbildung|bildung|éducation|formation|educación|estudios|"
    r"occupation|beroep|beruf|profession|profesión|ocupación|position|functie|job|rol|role|"
    r"country|pays|país|nationality|nationaliteit|nationalität|nationalité|nacionalidad|"
    r"year of birth|geboortejaar|geburtsjahr|household|huishouden|haushalt|ménage|hogar|"
    r"income|inkomen|einkommen|revenu|ingresos)\b|"
    r"how many|hoeveel|wie viele|wieviele|combien|cuántos|cuántas|cuantos|number of|aantal",
    re.IGNORECASE,
)
FILE_OR_LINK = re.compile(r"^(https?://|www\.)|\.(jpe?g|png|gif|heic|webp|pdf|docx?|xlsx?|mp[34]|wav|m4a)$", re.I)


@dataclass
class Drafted:
    """The draft's reading of one column: where it goes, its item spec, and why (the comment)."""

    kind: Kind
    note: str = ""
    spec: dict[str, Any] = field(default_factory=dict)


def item_id_of(column: str) -> str:
    """An item id from a header: a Kobo path's last step (``group/q``), else the whole question."""
    base, number = repeat_of(column)
    text = base.rsplit("/", 1)[-1] if " " not in base else base
    stem = slug(text, max_length=40)
    return stem if number == 1 else f"{stem}_{number}"


def classify_column(
    column: str, sheet: Sheet, *, decimal: str, separator: str, form: FormQuestion | None = None
) -> Drafted:
    """Where ``column`` goes in a draft mapping, and why."""
    filled = [c for c in (cell_text(v) for v in sheet.values(column)) if c]
    base_name = repeat_of(column)[0]
    early = _not_an_answer(base_name, filled, form)
    if early is not None:
        return early
    options = kobo_option_columns(column, sheet)
    if options or (form is not None and form.kind == "select_multiple"):
        return _multiple(column, options or ([o for o, _ in form.options] if form else []))
    base = _base_spec(column)
    if form is not None and form.kind in ("select_one", "rating", "range", "integer", "decimal"):
        spec = _from_form(base, form)
        if spec is not None:
            return spec
    if sum(1 for c in filled if FILE_OR_LINK.search(c)) > 0.5 * len(filled):
        return Drafted("ignore", "file names or links, not answers")
    if all(parse_datetime(c) is not None and parse_number(c, decimal) is None for c in filled):
        return Drafted("ignore", "dates or times")
    numbers = [parse_number(c, decimal) for c in filled]
    demographic = DEMOGRAPHIC.search(base_name.replace("_", " ")) is not None
    if all(n is not None for n in numbers):
        return _numeric(base, base_name, filled, decimal=decimal, demographic=demographic)
    labelled = None if demographic else _labelled(base, filled, numbers)
    if labelled is not None:
        return labelled
    multiple = [] if demographic else _split_multiple(filled, separator, numbers)
    if multiple:
        return _multiple(column, multiple)
    if demographic:
        return Drafted("ignore", "a demographic or background question, not an item")
    return _text(filled)


def _not_an_answer(name: str, filled: list[str], form: FormQuestion | None) -> Drafted | None:
    """Personal data, a column that is no question, an empty column or consent; else None."""
    if personal_by_header(name):
        return Drafted("personal", "personal data by its name")
    found = personal_by_content(filled)
    if found:
        return Drafted("personal", f"personal data: the cells look like {found}")
    if form is not None and form.kind in ("calculate", "note", "file", "geo", "hidden"):
        return Drafted("ignore", f"not a question ({form.kind} in the form)")
    if not filled:
        return Drafted("ignore", "no answers in this export")
    if CONSENT.search(name):
        return Drafted("ignore", "consent, not an item (a lesson's consent_to_quote may use it)")
    return None


def _labelled(base: dict[str, Any], filled: list[str], numbers: list[float | None]) -> Drafted | None:
    """An item whose answers are labels: labelled numeric ends, a known scale, or labels to settle."""
    labels = sorted({c for c, n in zip(filled, numbers, strict=True) if n is None})
    endpoints = labelled_endpoints(filled)
    if endpoints is not None and all(n is not None or c in endpoints[2] for c, n in zip(filled, numbers, strict=True)):
        low, high, named = endpoints
        spec = {**base, "labels": dict(sorted(named.items(), key=lambda kv: kv[1])), **_range(low, high)}
        return Drafted("item", f"scale {low}–{high} from the labelled ends", spec)
    guess = recognise_labels(labels)
    if guess.scale is not None:
        note = f"scale '{guess.scale.name}' ({guess.language}) {guess.scale.minimum}–{guess.scale.maximum}"
        if guess.corrected:
            note += "; check: read " + ", ".join(f"'{k}' as '{v}'" for k, v in guess.corrected.items())
        return Drafted("item", note, {**base, "labels": guess.labels()})
    if guess.candidates:
        spec = {**base, "labels": dict.fromkeys(labels, 0), "scale_min": "EDIT: scale", "scale_max": "EDIT: scale"}
        return Drafted(
            "item",
            f"EDIT: scale — the labels fit several scales ({', '.join(guess.candidates)}); give each label its value "
            "(a middle point nobody chose counts too) and scale_min/scale_max",
            spec,
        )
    return None


def _text(filled: list[str]) -> Drafted:
    """Answers in words that are no scale: categories, free text (a lesson), names, or short text."""
    distinct = Counter(filled)
    if len(distinct) <= MAX_CATEGORIES and len(filled) > len(distinct):
        shown = ", ".join(f"'{_short(label)}'" for label, _ in distinct.most_common(3))
        more = f" and {len(distinct) - 3} more" if len(distinct) > 3 else ""
        return Drafted(
            "ignore",
            f"categorical: {len(distinct)} labels, no known scale ({shown}{more}); if ordered, map it under items: "
            "with its labels",
        )
    letters = sum(ch.isalpha() for c in filled for ch in c) / max(1, sum(len(c) for c in filled))
    if sum(len(c) for c in filled) / len(filled) >= FREE_TEXT_LENGTH and letters > 0.6:
        return Drafted("lesson", "free text")
    if names_by_content(filled):
        return Drafted("personal", "personal data: the cells look like names")
    return Drafted("ignore", "short text, not a scale")


def _short(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _base_spec(column: str) -> dict[str, Any]:
    item_id = item_id_of(column)
    return {"column": column, "item_id": item_id, "text_en": repeat_of(column)[0], "level": "L1", "dimension": item_id}


def _numeric(base: dict[str, Any], name: str, filled: list[str], *, decimal: str, demographic: bool) -> Drafted:
    stated = stated_scale(name)
    if demographic:
        return Drafted("ignore", "a demographic or a count, not an item")
    if stated is not None:
        return Drafted("item", f"scale {stated[0]}–{stated[1]} as the question says", {**base, **_range(*stated)})
    if not looks_like_item(filled, decimal):
        return Drafted("ignore", "numbers that are not ratings (amounts, counts, codes)")
    values = [n for n in (parse_number(c, decimal) for c in filled) if n is not None]
    spec = {**base, "scale_min": "EDIT: scale", "scale_max": "EDIT: scale"}
    return Drafted(
        "item",
        f"EDIT: scale — the export does not say it (answers seen {min(values):g}–{max(values):g}; "
        "the form's lowest and highest possible answer, e.g. 1 and 5)",
        spec,
    )


def _range(low: float, high: float) -> dict[str, Any]:
    return {"scale_min": int(low), "scale_max": int(high)}


def _from_form(base: dict[str, Any], form: FormQuestion) -> Drafted | None:
    if form.kind in ("range", "integer", "decimal"):
        if form.low is None or form.high is None:
            return None
        return Drafted(
            "item", f"scale {form.low:g}–{form.high:g} from the form", {**base, **_range(form.low, form.high)}
        )
    labels = [label for label, _ in form.options if parse_number(label) is None]  # not the answer codes
    guess = recognise_labels(labels)
    if guess.scale is None and form.kind != "rating":
        shown = ", ".join(f"'{label}'" for label in labels[:6])
        return Drafted(
            "ignore",
            f"categorical in the form ({len(labels)} options: {shown}); if ordered, move to items: with its labels",
        )
    spec = {**base, "labels": dict(form.options)}
    values = [value for _, value in form.options]
    spec.update(_range(min(values), max(values)))
    return Drafted("item", f"scale {min(values):g}–{max(values):g} from the form's {len(values)} options", spec)


def _split_multiple(filled: list[str], separator: str, numbers: list[float | None]) -> list[str]:
    """The options of a select-multiple column joined by ``separator``, or [] when it does not look like one."""
    sep = separator.strip()
    if not sep or any(n is not None for n in numbers) or any(parse_datetime(c) is not None for c in filled):
        return []  # a space-joined list cannot be told from prose without Kobo's option columns
    pieces = Counter(p.strip() for c in filled for p in c.split(sep) if p.strip())
    joined = sum(1 for c in filled if sep in c)
    if joined and len(pieces) <= 25 and sum(pieces.values()) > len(pieces):
        return sorted(pieces)
    return []


def _multiple(column: str, options: list[str]) -> Drafted:
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for option in options:
        option_id = unique_id(slug(option, max_length=30), taken)
        ids[option] = option_id
    spec = {**_base_spec(column), "multiple": {"options": ids}}
    return Drafted("item", f"select-multiple: one 0/1 item per option ({len(ids)} options)", spec)


def unique_id(candidate: str, taken: set[str]) -> str:
    """``candidate``, or ``candidate_2``, ``_3``, ... when taken; the id chosen is added to ``taken``."""
    chosen, number = candidate, 1
    while chosen in taken:
        number += 1
        chosen = f"{candidate}_{number}"
    taken.add(chosen)
    return chosen
