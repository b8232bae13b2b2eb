"""What report notebooks call: open a unit, then show each section.

Each section lives in a module of its own (``capeval/report/<module>.py``, see :data:`SECTIONS`);
the function of the same name here returns a :class:`Section` that Jupyter displays as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from capeval.narrative import narrative_block, narrative_for
from capeval.report.context import ReportContext, open_report

# notebook name -> (module, function) of the section that draws it
SECTIONS: dict[str, tuple[str, str]] = {
    "title": ("title", "title"),
    "key_findings": ("findings", "key_findings"),
    "headline": ("headline", "headline"),
    "activities": ("activities", "activities"),
    "kirkpatrick": ("kirkpatrick", "kirkpatrick"),
    "interventions": ("interventions", "interventions"),
    "criteria": ("criteria", "criteria"),
    "answers": ("answers", "answers"),
    "gaps": ("gaps", "gaps"),
    "lessons": ("lessons", "lessons"),
    "scaling": ("scaling", "scaling"),
    "actions": ("actions", "actions"),
    "method_notes": ("method", "method_notes"),
    "provenance": ("provenance", "provenance"),
    "partners_compared": ("partners_compared", "partners_compared"),
    "tracks_compared": ("tracks_compared", "tracks_compared"),
    "intervention_mix": ("mix", "intervention_mix_section"),
    "waves": ("waves", "waves_section"),
    "gaps_compared": ("gaps_compared", "gaps_compared"),
    "milestones": ("milestones", "milestones"),
    "priorities": ("priorities", "priorities"),
    "commitments": ("commitments", "commitments"),
    "added_value": ("added_value", "added_value"),
    "events": ("events", "events"),
    "internal_title": ("internal", "internal_title"),
    "partner_overview": ("internal", "partner_overview"),
    "outliers": ("internal", "outliers"),
}


class Section:
    """HTML that Jupyter shows as rich output (and as text in a terminal)."""

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


# where the evaluator's narrative (narrative/*.md) goes: its summary before the key findings, its
# limitations before the method notes, the management response after the actions, and a part named
# after a section right after that section
NARRATIVE_BEFORE = {"key_findings": "summary", "method_notes": "limitations"}
NARRATIVE_AFTER = {"actions": "management_response"}


def _shown(build: Callable[[ReportContext], str], name: str = "") -> Callable[[ReportContext], Section]:
    def show(ctx: ReportContext) -> Section:
        narrative = narrative_for(ctx.store.path.parent, ctx.narrative_kind, ctx.unit_id, ctx.language)
        before = narrative_block(narrative, NARRATIVE_BEFORE.get(name, ""), ctx.language)
        after = narrative_block(narrative, NARRATIVE_AFTER.get(name, name), ctx.language)
        return Section("\n".join(part for part in (before, build(ctx), after) if part))

    show.__doc__ = build.__doc__
    show.__name__ = build.__name__
    return show


def _section(name: str) -> Callable[[ReportContext], Section]:
    module, function = SECTIONS[name]
    return _shown(getattr(import_module(f"capeval.report.{module}"), function), name)


# importing ``capeval.report.title`` binds the module to ``report.title``; the functions below
# rebind the names to the sections, as notebooks call them (``report.title(ctx)``)
title = _section("title")
key_findings = _section("key_findings")
headline = _section("headline")
activities = _section("activities")
kirkpatrick = _section("kirkpatrick")
interventions = _section("interventions")
criteria = _section("criteria")
answers = _section("answers")
gaps = _section("gaps")
lessons = _section("lessons")
scaling = _section("scaling")
actions = _section("actions")
method_notes = _section("method_notes")
provenance = _section("provenance")
partners_compared = _section("partners_compared")
tracks_compared = _section("tracks_compared")
intervention_mix = _section("intervention_mix")
waves = _section("waves")
gaps_compared = _section("gaps_compared")
milestones = _section("milestones")
priorities = _section("priorities")
commitments = _section("commitments")
added_value = _section("added_value")
events = _section("events")
internal_title = _section("internal_title")
partner_overview = _section("partner_overview")
outliers = _section("outliers")

__all__ = [
    "SECTIONS",
    "ReportContext",
    "Section",
    "actions",
    "activities",
    "added_value",
    "answers",
    "commitments",
    "criteria",
    "events",
    "gaps",
    "gaps_compared",
    "headline",
    "internal_title",
    "intervention_mix",
    "interventions",
    "key_findings",
    "kirkpatrick",
    "lessons",
    "method_notes",
    "milestones",
    "open_report",
    "outliers",
    "partner_overview",
    "partners_compared",
    "priorities",
    "provenance",
    "scaling",
    "title",
    "tracks_compared",
    "waves",
]
