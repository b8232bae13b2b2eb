"""The analyst workbench: pickers, one tab per section of the unit's report, compare, narrative, export, render.

The pickers live in :mod:`capeval.workbench.pickers`, the tabs in :mod:`capeval.workbench.tabs`;
what they show comes from :mod:`capeval.workbench.selection` (sections) and
:mod:`capeval.workbench.filters` (filters); side by side from :mod:`capeval.workbench.compare`;
the narrative editor, export and render panels from :mod:`capeval.workbench.narrative_editor`
and :mod:`capeval.workbench.panels`; the browser side (keys, URL) from
:mod:`capeval.workbench.page` and :mod:`capeval.workbench.query`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from capeval.i18n import table
from capeval.log import logger
from capeval.report.html import paragraph
from capeval.units import UnitKind
from capeval.workbench.compare import compare_choices, compared_unit, side_by_side
from capeval.workbench.filters import wave_note, without_false_statements
from capeval.workbench.narrative_editor import NarrativeEditor, with_draft
from capeval.workbench.page import ROOT_CLASS, STYLE, PageBridge
from capeval.workbench.panels import ExportPanel, RenderPanel
from capeval.workbench.pickers import Pickers
from capeval.workbench.query import apply_selection, query_of, selection_of
from capeval.workbench.selection import ALL, View, chosen_unit, find_programmes, section_html, tab_sections, view_of
from capeval.workbench.tabs import SectionTabs

DEFAULT_ROOT = "build/demo"


class Workbench(Pickers):
    """Pick a programme, track and partner; see its report's sections; compare, export, render.

    ``root`` holds programme folders (the demo by default), ``folders`` adds others, ``out``
    is where "render reports" writes; relative paths start from ``base`` (the current folder
    by default). ``served`` is the folder a server serves files from and its URL prefix (links
    to rendered reports); ``app`` marks the Voilà app, whose URL follows the selection.
    """

    def __init__(
        self,
        root: str | Path = DEFAULT_ROOT,
        *,
        folders: tuple[str | Path, ...] | list[str | Path] = (),
        out: str | Path = "reports",
        language: str | None = None,
        base: str | Path | None = None,
        served: tuple[Path | None, str] = (None, "/files/"),
        app: bool = False,
    ) -> None:
        super().__init__(root, language=language, base=base)
        self.served = served
        self.header = widgets.HTML()
        self.tab_set = SectionTabs(self._tab_title, self._on_tab)
        self.tabs = self.tab_set.widget
        self.narrative = NarrativeEditor(self)
        self.export = ExportPanel(self)
        self.renderer = RenderPanel(self, self.resolve(out))
        self.bridge = PageBridge(app=app, layout={"display": "none"})
        self.header.add_class("wb-header")
        self.tabs.add_class("wb-tabs")
        self.widget = widgets.VBox(
            [
                widgets.HTML(STYLE),
                self.bridge,
                self.pickers,
                self.message,
                self.header,
                self.tabs,
                self.narrative.widget,
                self.export.widget,
                self.renderer.widget,
            ],
            layout={"width": "100%"},
        )
        self.widget.add_class(ROOT_CLASS)
        for control in (self.partner_picker, self.min_group_size, self.wave, self.compare):
            control.observe(self._on_view, "value")
        self.language.observe(self._on_language, "value")
        self._label()
        self._fill_programmes(
            find_programmes(self.root, [self.resolve(f) for f in folders]), keep_language=language is not None
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Jupyter shows the workbench as its widget."""
        return self.widget._repr_mimebundle_(**kwargs)

    # --- the pickers' hooks --------------------------------------------------------------

    def _no_programme(self) -> None:
        self.header.value = ""
        self.tab_set.show(())
        self.narrative.refresh()
        self.renderer.refill()
        self.bridge.query = ""

    def _enable_panels(self, on: bool) -> None:
        self.export.enable(on)

    def _list_filtered(self) -> None:
        self.renderer.describe()

    def _fill_compare(self) -> None:
        """Offer every other unit to compare with; the partner's own track first."""
        programme, view = self.programme, self.current_view()
        if programme is None or view is None:
            return
        options = compare_choices(programme, view, self.t)
        seen = {value for _, value in options[1:]}
        kept = self.compare.value
        busy, self._busy = self._busy, True
        self.compare.options = options
        self.compare.value = kept if kept in seen else ALL
        self._busy = busy

    # --- tabs ----------------------------------------------------------------------------

    def _on_view(self, change: dict[str, Any]) -> None:
        if not self._busy:
            self._redraw()

    def _on_language(self, change: dict[str, Any]) -> None:
        self._label()
        if not self._busy:
            self._redraw()

    def _on_tab(self, index: int) -> None:
        if not self._busy:
            self._draw_tab(index)
            self._sync_query()

    def current_view(self) -> View | None:
        """What the tabs show now (None before a programme is open)."""
        if self.programme is None:
            return None
        kind, unit = chosen_unit(self.programme, self.track_picker.value or ALL, self.partner_picker.value or ALL)
        return self._view(kind, unit)

    def _view(self, kind: UnitKind, unit: str) -> View | None:
        if self.programme is None:
            return None
        return view_of(
            self.programme,
            kind,
            unit,
            language=self.language.value,
            min_group_size=int(self.min_group_size.value or self.programme.min_group_size),
            wave=None if self.wave.value in (ALL, None) else int(self.wave.value),
        )

    def compared_view(self) -> View | None:
        """The unit shown beside the current one (None when not comparing)."""
        unit = compared_unit(self.compare.value)
        return None if unit is None else self._view(*unit)

    @property
    def sections(self) -> tuple[str, ...]:
        """The sections the tabs show, in order."""
        return self.tab_set.sections

    @property
    def pages(self) -> list[widgets.HTML]:
        """The tabs' pages, one per section."""
        return self.tab_set.pages

    def current_section(self) -> str | None:
        """The section of the open tab."""
        return self.tab_set.current()

    def _tab_title(self, section: str) -> str:
        key = f"wb_tab_{section}"
        return self.t(key) if key in table() else section.replace("_", " ").capitalize()

    def _redraw(self) -> None:
        """Draw the header and the open tab for the current view; other tabs are drawn when opened."""
        view = self.current_view()
        if view is None:
            return
        self.tab_set.show(tab_sections(view.kind))
        self._fill_compare()
        self.header.value = self.section_body(view, "title")
        self._draw_tab(self.tabs.selected_index or 0)
        self.narrative.refresh()
        self.renderer.refill()
        self._sync_query()

    def redraw(self) -> None:
        """Draw the shown unit again: after its narrative was saved, each tab shows its part anew."""
        self.tab_set.forget()
        self._redraw()

    def _draw_tab(self, index: int) -> None:
        view, other = self.current_view(), self.compared_view()
        if view is not None and index < len(self.sections):
            section, draft = self.sections[index], self.narrative.shown_draft(view)
            key = (view, other, section, tuple(sorted(draft.parts.items())) if draft else None)
            self.tab_set.draw(index, key, lambda: self._page(view, other, section))

    def _page(self, view: View, other: View | None, section: str) -> str:
        """The tab's HTML: the section, or the section of both units side by side."""
        if other is None or self.programme is None:
            return self.section_body(view, section)
        return side_by_side(
            self.programme, view, other, section, body_of=self.section_body, missing=self.t("wb_compare_no_section")
        )

    def section_body(self, view: View, section: str) -> str:
        """One section of ``view`` as its report draws it; with a wave chosen, what the filter did is said."""
        draft = self.narrative.shown_draft(view)
        try:
            body = section_html(view, section) if draft is None else with_draft(view, section, draft)
        except Exception as exc:  # one failing section must not take the workbench down
            logger.exception("workbench section %s failed", section)
            return paragraph(self.t("wb_section_failed", error=f"{type(exc).__name__}: {exc}"), "flag")
        if view.wave is None or section == "title":
            return body
        label = str(dict(self.programme.waves).get(view.wave, view.wave)) if self.programme else str(view.wave)
        return wave_note(section, view.language, label) + without_false_statements(body, view.language, label)

    # --- the selection as a query string (the app's URL): capeval.workbench.query ----------

    def selection(self) -> dict[str, str]:
        """What is shown, as the app's URL keeps it: programme, track, partner, tab, language."""
        return selection_of(self)

    def apply_selection(self, selection: dict[str, str]) -> None:
        """Show what ``selection`` names (as :meth:`selection` gives it); unknown values are left as they are."""
        apply_selection(self, selection)
        self._sync_query()

    def _sync_query(self) -> None:
        self.bridge.query = query_of(self.selection())

    def _label(self) -> None:
        """Set every label in the chosen language."""
        self._relabel_pickers()
        self.tab_set.retitle()
        self.narrative.relabel()
        self.export.relabel()
        self.renderer.relabel()
