"""The ELIXIR TMD code book shipped with capeval (``tmd_questions.yaml``), loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from capeval.ingest.cells import normalise_label


@dataclass(frozen=True)
class Question:
    """One standard TMD question: where it goes (items or demographics) and its options."""

    slug: str
    text: str
    kind: str
    table: str
    options: tuple[tuple[str, object], ...]
    level: str = "L1"
    dimension: str = ""
    criterion: str = ""
    codebook: str = ""
    scale: tuple[int, int] | None = None

    @property
    def question_id(self) -> str:
        return self.slug.lower()

    @property
    def short(self) -> str:
        return self.slug.split(".", 1)[1]

    @property
    def group(self) -> str:
        return self.slug.split(".", 1)[0]

    def option_labels(self) -> dict[str, object]:
        return dict(self.options)

    def scale_bounds(self) -> tuple[int, int]:
        if self.kind == "multiple":
            return 0, 1
        if self.scale is not None:
            return self.scale
        values = [int(str(v)) for _, v in self.options]
        return min(values), max(values)

    def lookup(self, text: str) -> tuple[str, object] | None:
        """The (label, value) an answer stands for, matched loosely, or None."""
        wanted = normalise_label(text)
        return next(((label, value) for label, value in self.options if normalise_label(label) == wanted), None)


@dataclass(frozen=True)
class CodeBook:
    questions: tuple[Question, ...]
    aliases: dict[str, str]
    event_types: dict[str, str]

    def by_header(self) -> dict[str, Question]:
        """Question per accepted column header: its text, its slug, or its short slug."""
        headers: dict[str, Question] = {}
        for q in self.questions:
            for name in (q.text, q.slug, q.short):
                headers[normalise_label(name)] = q
        return headers

    def canonical(self, text: str) -> str:
        """A spelling variant replaced by the label it stands for (value-alias table)."""
        return self.aliases.get(normalise_label(text), text)


@cache
def code_book() -> CodeBook:
    """The shipped TMD code book: 21 questions, value aliases, event types."""
    text = resources.files("capeval.ingest").joinpath("tmd_questions.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    questions = tuple(
        Question(
            slug=q["slug"],
            text=q["text"],
            kind=q["kind"],
            table=q.get("table", "items"),
            options=tuple((str(k), v) for k, v in (q.get("options") or {}).items()),
            level=q.get("level", "L1"),
            dimension=q.get("dimension", q["slug"].split(".", 1)[1]),
            criterion=q.get("criterion", ""),
            codebook=q.get("codebook", ""),
            scale=(int(q["scale"][0]), int(q["scale"][1])) if "scale" in q else None,
        )
        for q in data["questions"]
    )
    aliases = {normalise_label(k): str(v) for k, v in (data.get("aliases") or {}).items()}
    event_types = {normalise_label(k): str(v) for k, v in data["event_types"].items()}
    return CodeBook(questions=questions, aliases=aliases, event_types=event_types)
