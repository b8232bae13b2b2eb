"""The selection as a query string: what the Voilà app's URL keeps (programme, track, partner, tab, language).

The app writes :func:`query_of` of :func:`selection_of` to the page's address as the selection
changes, and a new session reads it back with :func:`selection_from_query` and
:func:`apply_selection`, so an address can be shared.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode

from capeval.i18n import LANGUAGES
from capeval.workbench.selection import ALL

if TYPE_CHECKING:
    from capeval.workbench.app import Workbench

QUERY_KEYS = ("programme", "track", "partner", "tab", "language")


def selection_from_query(query: str) -> dict[str, str]:
    """The selection a query string names (``programme``, ``track``, ``partner``, ``tab``, ``language``)."""
    found = parse_qs(query.lstrip("?"), keep_blank_values=False)
    return {key: found[key][0] for key in QUERY_KEYS if found.get(key)}


def query_of(selection: dict[str, str]) -> str:
    """The query string of a selection, its keys in a fixed order (empty values left out)."""
    return urlencode([(key, selection[key]) for key in QUERY_KEYS if selection.get(key)])


def selection_of(bench: Workbench) -> dict[str, str]:
    """What ``bench`` shows, as the app's URL keeps it (empty before a programme is open)."""
    if bench.programme is None:
        return {}
    return {
        "programme": Path(str(bench.programme_picker.value)).name,
        "track": bench.track_picker.value or "",
        "partner": bench.partner_picker.value or "",
        "tab": bench.current_section() or "",
        "language": bench.language.value,
    }


def apply_selection(bench: Workbench, selection: dict[str, str]) -> None:
    """Show in ``bench`` what ``selection`` names (as :func:`selection_of` gives it); unknown values are left."""
    by_name = {Path(v).name: v for _, v in bench.programme_picker.options}
    if selection.get("programme") in by_name:
        bench.programme_picker.value = by_name[selection["programme"]]
    if selection.get("language") in LANGUAGES:
        bench.language.value = selection["language"]
    if bench.programme is None:
        return
    if selection.get("track") in dict(bench.programme.tracks):
        bench.track_picker.value = selection["track"]
    partners = [v for _, v in bench.partner_picker.options]
    if "partner" in selection or "track" in selection:
        wanted = selection.get("partner", ALL)
        bench.partner_picker.value = wanted if wanted in partners else bench.partner_picker.value
    if selection.get("tab") in bench.sections:
        bench.tabs.selected_index = bench.sections.index(selection["tab"])
