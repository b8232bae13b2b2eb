"""The workbench's filters: which partners are listed, and what a wave filter does to each section.

Activity type, organisation kind and country narrow the partner list (as slicers do); a
track or programme view still shows the whole unit as its report does, so no figure
describes a group the release did not decide on. The wave filter narrows the rows a
section is drawn from; where a section compares waves, it says that the filter removed
the other wave instead of stating that nobody answered twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from capeval.i18n import t
from capeval.report.html import escape, paragraph
from capeval.workbench.selection import ALL, Programme

# Sections that compare waves: with one wave chosen, they say the filter removed the others.
COMPARES_WAVES = frozenset({"key_findings", "kirkpatrick", "gaps", "gaps_compared", "waves", "actions"})
# Statements that are false when the filter (not the data) removed the other wave.
FALSE_UNDER_WAVE = ("change_none", "gap_change_none")


@dataclass(frozen=True)
class Filters:
    """The partner list's filters; ALL ("") lets every value through."""

    activity_type: str = ALL
    kind: str = ALL
    country: str = ALL

    def active(self) -> bool:
        return any((self.activity_type, self.kind, self.country))

    def admits(self, activity_types: frozenset[str], kind: str, country: str) -> bool:
        """True when a partner with these activity types, kind and country passes every filter."""
        return (
            (not self.activity_type or self.activity_type in activity_types)
            and (not self.kind or self.kind == kind)
            and (not self.country or self.country == country)
        )


def filter_values(programme: Programme) -> dict[str, list[str]]:
    """The values each filter offers: activity types, organisation kinds and countries present."""
    return {
        "activity_type": sorted({a for p in programme.partners for a in p.activity_types}),
        "kind": sorted({p.kind for p in programme.partners if p.kind}),
        "country": sorted({p.country for p in programme.partners if p.country}),
    }


def partner_choices(
    programme: Programme, track: str = ALL, search: str = "", filters: Filters = Filters()
) -> list[tuple[str, str]]:
    """``(label, partner_id)`` of the partners in ``track`` that pass ``filters`` and whose name or id
    contains ``search`` (any case)."""
    needle = search.strip().casefold()
    return [
        (f"{p.name} ({p.id})", p.id)
        for p in programme.partners
        if track in (ALL, p.track)
        and filters.admits(p.activity_types, p.kind, p.country)
        and (needle in p.id.casefold() or needle in p.name.casefold())
    ]


def wave_note(section: str, language: str, wave: str) -> str:
    """The note above a section drawn from one wave only (``wave`` is its label)."""
    key = "wb_wave_removed" if section in COMPARES_WAVES else "wb_wave_only"
    return paragraph(t(key, language, wave=wave), "note")


def without_false_statements(html: str, language: str, wave: str) -> str:
    """``html`` with each "nobody answered both waves" statement replaced by what the filter did."""
    said = escape(t("wb_wave_removed_change", language, wave=wave))
    for key in FALSE_UNDER_WAVE:
        html = html.replace(escape(t(key, language)), said)
    return html
