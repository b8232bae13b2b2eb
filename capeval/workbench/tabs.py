"""The workbench's tabs: one per section of the unit's report, each drawn when opened.

A tab is drawn once per look (its key: view, compared view, section, narrative); switching
back to it shows what was drawn. Changing units keeps the open section open when the new
unit's report has it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import ipywidgets as widgets


class SectionTabs:
    """A tab widget with one HTML page per section; ``on_open(index)`` when the analyst opens a tab."""

    def __init__(self, title_of: Callable[[str], str], on_open: Callable[[int], None]) -> None:
        self.widget = widgets.Tab()
        self.pages: list[widgets.HTML] = []
        self.sections: tuple[str, ...] = ()
        self._title_of, self._on_open = title_of, on_open
        self._drawn: dict[int, Hashable] = {}
        self._quiet = False  # True while the tabs are rebuilt: their events are not the analyst's
        self.widget.observe(self._opened, "selected_index")

    def _opened(self, change: dict[str, Any]) -> None:
        if change["new"] is not None and not self._quiet:
            self._on_open(change["new"])

    def current(self) -> str | None:
        """The section of the open tab (None when there are no tabs)."""
        index = self.widget.selected_index
        return self.sections[index] if index is not None and index < len(self.sections) else None

    def show(self, sections: tuple[str, ...]) -> None:
        """One tab per section; the open section stays open when it is among ``sections``."""
        if sections == self.sections:
            return
        keep = self.current()
        self._quiet = True
        try:
            self.sections = sections
            self.pages = [widgets.HTML() for _ in sections]
            self.widget.children = self.pages
            self.widget.titles = tuple(self._title_of(name) for name in sections)
            self.widget.selected_index = sections.index(keep) if keep in sections else (0 if sections else None)
        finally:
            self._quiet = False
        self._drawn.clear()

    def open(self, section: str) -> None:
        """Open the tab of ``section`` (as the analyst would); nothing when there is none."""
        if section in self.sections:
            self.widget.selected_index = self.sections.index(section)

    def retitle(self) -> None:
        """Title every tab anew (the language changed); every page is drawn again when next shown."""
        self.widget.titles = tuple(self._title_of(name) for name in self.sections)
        self.forget()

    def forget(self) -> None:
        """Draw every page again when next shown."""
        self._drawn.clear()

    def draw(self, index: int, key: Hashable, page: Callable[[], str]) -> None:
        """Fill tab ``index`` with ``page()`` unless it already shows what ``key`` names."""
        if index >= len(self.sections) or self._drawn.get(index) == key:
            return
        self.pages[index].value = page()
        self._drawn[index] = key
