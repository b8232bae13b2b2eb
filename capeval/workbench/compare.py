"""Side by side: which units the shown one can be compared with, and a tab of both.

A partner is offered its own track first, then every other partner, track and the programme.
A section the other unit's report shows under another name (a partner's gaps, a track's gaps
comparison) is shown under that name; one it lacks is said to be missing.
"""

from __future__ import annotations

from collections.abc import Callable

from capeval.report.html import escape, paragraph
from capeval.units import UnitKind
from capeval.workbench.selection import ALL, Programme, View, tab_sections

# A section compared with a unit whose report shows it under another name.
COUNTERPART = {"gaps": "gaps_compared", "gaps_compared": "gaps"}


def compare_choices(programme: Programme, view: View, label: Callable[[str], str]) -> list[tuple[str, str]]:
    """``(label, "kind:unit")`` per unit ``view`` can be compared with, after "(nothing)" (``ALL``).

    ``label`` gives a workbench label in the chosen language (``wb_compare_none``, ``wb_kind_<kind>``).
    """
    units: list[tuple[UnitKind, str]] = []
    if view.kind == "partner" and programme.track_of(view.unit_id):
        units.append(("track", programme.track_of(view.unit_id)))
    units += [("partner", p.id) for p in programme.partners]
    units += [("track", i) for i, _ in programme.tracks] + [("programme", programme.id)]
    seen: set[str] = set()
    options = [(label("wb_compare_none"), ALL)]
    for kind, unit in units:
        key = f"{kind}:{unit}"
        if key not in seen and (kind, unit) != (view.kind, view.unit_id):
            seen.add(key)
            options.append((f"{label(f'wb_kind_{kind}')}: {programme.name_of(kind, unit)}", key))
    return options


def compared_unit(choice: str | None) -> tuple[UnitKind, str] | None:
    """The (kind, unit id) a compare choice names; None for "(nothing)"."""
    if not choice:
        return None
    kind, unit = str(choice).split(":", 1)
    return kind, unit  # type: ignore[return-value]


def side_by_side(
    programme: Programme,
    view: View,
    other: View,
    section: str,
    *,
    body_of: Callable[[View, str], str],
    missing: str,
) -> str:
    """One tab of ``view`` beside the same section of ``other`` (``missing`` when its report lacks it)."""
    body = body_of(view, section)
    same = section if section in tab_sections(other.kind) else COUNTERPART.get(section)
    if same is not None and same in tab_sections(other.kind):
        right = body_of(other, same)
    else:
        right = paragraph(missing, "note")
    left_name = escape(programme.name_of(view.kind, view.unit_id))
    right_name = escape(programme.name_of(other.kind, other.unit_id))
    left = f"<div><h3>{left_name}</h3>{body}</div>"
    return f'<div class="wb-compare">{left}<div><h3>{right_name}</h3>{right}</div></div>'
