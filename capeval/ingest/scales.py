"""The scale of a question, from what the form or the export says — never from the answers seen.

Three sources, tried by the draft mapping in this order after a form definition
(:mod:`capeval.ingest.forms`): a known answer vocabulary (``vocabularies.yaml``: agree,
satisfied, quality, importance, frequency, relevance, likelihood, yes/no in nl, en, de,
fr, es), numbers with labelled endpoints (``"1 (very left wing)"`` … ``"10 (very right
wing)"``) and a scale stated in the question (``"on a scale of 1 to 10"``). Whatever none
of them settles is left to the analyst (``EDIT: scale``).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from capeval.ingest.cells import normalise_label

LANGUAGES = ("en", "nl", "de", "fr", "es")
CLOSE_ENOUGH = 0.75  # difflib ratio above which a misspelt label is read as the scale's label


class _Point(BaseModel):
    model_config = ConfigDict(extra="forbid")
    en: list[str] = Field(default_factory=list)
    nl: list[str] = Field(default_factory=list)
    de: list[str] = Field(default_factory=list)
    fr: list[str] = Field(default_factory=list)
    es: list[str] = Field(default_factory=list)


class _Scale(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: int = 1
    points: list[_Point] = Field(min_length=2)

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, data: object) -> object:
        return {"points": data} if isinstance(data, list) else data


class _Vocabularies(RootModel[dict[str, _Scale]]):
    pass


@dataclass(frozen=True)
class Scale:
    """A known ordinal scale: its points low to high, each written in several languages."""

    name: str
    start: int
    points: tuple[dict[str, tuple[str, ...]], ...]
    lookup: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def minimum(self) -> int:
        return self.start

    @property
    def maximum(self) -> int:
        return self.start + len(self.points) - 1

    def value_of(self, label: str) -> int | None:
        """The value of an answer label on this scale, or None."""
        return self.lookup.get(normalise_label(label))

    def label(self, position: int, language: str) -> str:
        """How point ``position`` (0-based) is written in ``language`` (else English, else any)."""
        spellings = self.points[position]
        for lang in (language, "en", *LANGUAGES):
            if spellings.get(lang):
                return spellings[lang][0].capitalize()
        raise AssertionError(f"scale {self.name} point {position} has no label")  # pragma: no cover


@cache
def known_scales() -> tuple[Scale, ...]:
    """The scales of ``vocabularies.yaml``, checked: a spelling names one point of its scale."""
    text = resources.files("capeval.ingest").joinpath("vocabularies.yaml").read_text(encoding="utf-8")
    parsed = _Vocabularies.model_validate(yaml.safe_load(text)).root
    scales: list[Scale] = []
    for name, spec in parsed.items():
        points: list[dict[str, tuple[str, ...]]] = []
        lookup: dict[str, int] = {}
        for position, point in enumerate(spec.points):
            spelled = {lang: tuple(getattr(point, lang)) for lang in LANGUAGES if getattr(point, lang)}
            points.append(spelled)
            for spelling in (s for values in spelled.values() for s in values):
                key = normalise_label(spelling)
                if lookup.get(key, spec.start + position) != spec.start + position:
                    raise ValueError(f"vocabularies.yaml: '{spelling}' is two points of scale {name}")
                lookup[key] = spec.start + position
        scales.append(Scale(name=name, start=spec.start, points=tuple(points), lookup=lookup))
    return tuple(scales)


@dataclass
class ScaleGuess:
    """What the answer labels of one question say about its scale.

    ``scale`` is set when exactly one known scale holds every label (``corrected`` maps a
    misspelt label to the scale's label it was read as); ``candidates`` names every scale
    that would fit when there are several (then the analyst decides).
    """

    scale: Scale | None = None
    language: str = "en"
    seen: dict[str, int] = field(default_factory=dict)
    corrected: dict[str, str] = field(default_factory=dict)
    candidates: list[str] = field(default_factory=list)

    def labels(self) -> dict[str, int]:
        """Every point of the scale (the spelling seen where there is one, else the language's), then misspellings."""
        assert self.scale is not None
        by_value: dict[int, str] = {}
        for label, value in self.seen.items():
            if label not in self.corrected:
                by_value.setdefault(value, label)
        out: dict[str, int] = {}
        for position in range(len(self.scale.points)):
            value = self.scale.start + position
            out[by_value.get(value) or self.scale.label(position, self.language)] = value
        for label, value in self.seen.items():
            out.setdefault(label, value)
        return out


def recognise_labels(labels: Collection[str]) -> ScaleGuess:
    """The known scale every label belongs to (see :class:`ScaleGuess`); empty when none fits."""
    distinct = sorted({label for label in labels if label.strip()})
    if not distinct:
        return ScaleGuess()
    fits = [s for s in known_scales() if all(s.value_of(label) is not None for label in distinct)]
    if len(fits) == 1:
        return _guess(fits[0], distinct, {})
    if len(fits) > 1:
        return ScaleGuess(candidates=[s.name for s in fits])
    # one or two misspelt labels on an otherwise recognised scale ("Very unah" for "Very unhappy")
    near: list[tuple[Scale, dict[str, str]]] = []
    for scale in known_scales():
        known = [label for label in distinct if scale.value_of(label) is not None]
        if len(known) < max(2, len(distinct) - 2):
            continue
        corrected = {}
        for label in distinct:
            if scale.value_of(label) is None:
                close = difflib.get_close_matches(normalise_label(label), list(scale.lookup), n=2, cutoff=CLOSE_ENOUGH)
                if len({scale.lookup[c] for c in close}) != 1:
                    break
                corrected[label] = close[0]
        else:
            near.append((scale, corrected))
    if len(near) == 1:
        return _guess(near[0][0], distinct, near[0][1])
    return ScaleGuess(candidates=[s.name for s, _ in near])


def _guess(scale: Scale, labels: list[str], corrected: dict[str, str]) -> ScaleGuess:
    seen = {label: scale.lookup[normalise_label(corrected.get(label, label))] for label in labels}
    votes: Counter[str] = Counter()
    for label in labels:
        key = normalise_label(corrected.get(label, label))
        for position, spellings in enumerate(scale.points):
            for lang, values in spellings.items():
                if scale.start + position == seen[label] and key in {normalise_label(v) for v in values}:
                    votes[lang] += 1
    language = votes.most_common(1)[0][0] if votes else "en"
    return ScaleGuess(scale=scale, language=language, seen=seen, corrected=corrected)


_ENDPOINT = re.compile(r"^\s*(-?\d+)\s*(?:[-–:=.)]\s*|\(\s*)(?P<text>[^\d\s].*?)\)?\s*$")
_STATED = re.compile(
    r"(?:scale|schaal|skala|échelle|echelle|escala|score|cijfer|note|nota)\D{0,20}?"
    r"(?P<low>-?\d+)(?:\s*(?:-|–|/|to|tot|bis|à|a|al|and|en)\s*|\s+)(?P<high>\d+)",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"[(\[]\s*(?P<low>-?\d+)\s*(?:-|–|to|tot|bis|à|a|al)\s*(?P<high>\d+)\s*[)\]]")


def labelled_endpoints(cells: Collection[str]) -> tuple[int, int, dict[str, int]] | None:
    """``(low, high, labels)`` when answers are numbers whose ends carry a label ("1 (not at all)", "5 - very").

    Both ends must be labelled: a labelled number is an end of the scale, an unlabelled one
    is a step between; with only one end labelled the scale is not known.
    """
    labelled: dict[str, int] = {}
    for cell in cells:
        match = _ENDPOINT.match(cell)
        if match:
            labelled[cell] = int(match.group(1))
    if len(set(labelled.values())) < 2:
        return None
    low, high = min(labelled.values()), max(labelled.values())
    return low, high, labelled


def stated_scale(question: str) -> tuple[int, int] | None:
    """A scale written in the question: "on a scale of 1 to 10", "op een schaal van 1 tot 5", "(1-7)"."""
    text = question.replace("_", " ")
    match = _STATED.search(text) or _BRACKETED.search(text)
    if match is None:
        return None
    low, high = int(match.group("low")), int(match.group("high"))
    return (low, high) if low < high <= 100 else None
