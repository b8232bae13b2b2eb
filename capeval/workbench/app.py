"""The analyst workbench: ipywidgets pickers, one tab per section of the unit's report, export, render.

Only the pickers and tabs live here; what they show comes from :mod:`capeval.workbench.selection`
(sections) and :mod:`capeval.workbench.filters` (filters), the export and render panels from
:mod:`capeval.workbench.panels`, the browser side (keys, URL) from :mod:`capeval.workbench.page`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from capeval.i18n import LANGUAGES, t, table
from capeval.log import logger
from capeval.options import bounds, label_key
from capeval.report.html import escape, paragraph
from capeval.schema import ProgrammeConfig
from capeval.units import UnitKind
from capeval.workbench.filters import Filters, filter_values, partner_choices, wave_note, without_false_statements
from capeval.workbench.page import ROOT_CLASS, PageBridge, query_of
from capeval.workbench.panels import ExportPanel, RenderPanel
from capeval.workbench.selection import (
    ALL,
    Programme,
    View,
    chosen_unit,
    find_programmes,
    folder_labels,
    open_programme,
    section_html,
    tab_sections,
    view_of,
)

DEFAULT_ROOT = "build/demo"
WIDE = {"description_width": "initial"}  # labels are never cut ("Rapporte…")
# A section compared with a unit whose report shows it under another name.
COUNTERPART = {"gaps": "gaps_compared", "gaps_compared": "gaps"}
# A tab scrolls inside itself, so the pickers above it stay in view while it is read.
STYLE = f"""<style>
.{ROOT_CLASS} {{ max-width: 100%; }}
.{ROOT_CLASS} .wb-tabs .widget-html-content {{ max-height: 70vh; overflow: auto; }}
.{ROOT_CLASS} .lm-TabBar-tab {{ flex: 0 0 auto; min-width: fit-content; max-width: none; }}
.{ROOT_CLASS} .lm-TabBar-content {{ flex-wrap: wrap; }}
.{ROOT_CLASS} table.data {{ border-collapse: collapse; margin: 0.5em 0; }}
.{ROOT_CLASS} table.data th, .{ROOT_CLASS} table.data td {{ border-bottom: 1px solid #ccc; padding: 2px 8px; }}
.{ROOT_CLASS} td.num {{ text-align: right; }}
.{ROOT_CLASS} p.note, .{ROOT_CLASS} p.no-data {{ color: #555; font-style: italic; }}
.{ROOT_CLASS} p.flag {{ color: #a40000; font-weight: bold; }}
.{ROOT_CLASS} figure img {{ max-width: 100%; }}
.{ROOT_CLASS} .wb-compare {{ display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }}
.{ROOT_CLASS} .wb-compare > div {{ min-width: 0; overflow-x: auto; }}
</style>"""


def wrapping(children: list[Any], css: str = "") -> widgets.Box:
    """A row of widgets that wraps onto the next line when the notebook is narrow (1024 px, file browser open)."""
    box = widgets.Box(children, layout={"flex_flow": "row wrap", "align_items": "flex-start", "width": "100%"})
    if css:
        box.add_class(css)
    return box


class Workbench:
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
        self.base = Path(base) if base is not None else Path.cwd()
        self.root = self.resolve(root)
        self.served = served
        self.programme: Programme | None = None
        self._busy = False  # True while the pickers are refilled: their events are ignored
        self._drawn: dict[int, tuple[object, ...]] = {}
        self.sections: tuple[str, ...] = ()
        self.programme_picker = widgets.Dropdown(layout={"width": "auto"}, style=WIDE)
        self.folder = widgets.Text(layout={"width": "300px"}, style=WIDE)
        self.add_folder = widgets.Button(layout={"width": "auto"})
        self.track_picker = widgets.Dropdown(layout={"width": "340px"}, style=WIDE)
        self.search = widgets.Text(layout={"width": "340px"}, style=WIDE, continuous_update=True)
        self.search_note = widgets.HTML()
        self.partner_picker = widgets.Select(rows=8, layout={"width": "340px"}, style=WIDE)
        self.activity_type = widgets.Dropdown(layout={"width": "auto"}, style=WIDE)
        self.org_kind = widgets.Dropdown(layout={"width": "auto"}, style=WIDE)
        self.country = widgets.Dropdown(layout={"width": "auto"}, style=WIDE)
        self.language = widgets.ToggleButtons(options=list(LANGUAGES), value=language or "en", style=WIDE)
        self.language.style.button_width = "48px"
        # option controls (capeval.options): the suppression threshold, applied as it is typed
        low, high = bounds("min_group_size")
        self.min_group_size = widgets.BoundedIntText(
            min=low,
            max=high,
            value=ProgrammeConfig.model_fields["min_group_size"].default,  # until a programme gives its own
            continuous_update=True,
            layout={"width": "auto"},
            style=WIDE,
        )
        self.wave = widgets.Dropdown(layout={"width": "auto"}, style=WIDE)
        self.compare = widgets.Dropdown(layout={"width": "auto"}, style=WIDE)
        self.message = widgets.HTML()
        self.header = widgets.HTML()
        self.pages: list[widgets.HTML] = []
        self.tabs = widgets.Tab()
        self.export = ExportPanel(self)
        self.renderer = RenderPanel(self, self.resolve(out))
        self.bridge = PageBridge(app=app, layout={"display": "none"})
        for widget, name in [
            (self.programme_picker, "wb-programme"),
            (self.folder, "wb-folder"),
            (self.track_picker, "wb-track"),
            (self.search, "wb-search"),
            (self.search_note, "wb-search-note"),
            (self.partner_picker, "wb-partner"),
            (self.min_group_size, "wb-min-group"),
            (self.compare, "wb-compare-picker"),
            (self.message, "wb-message"),
            (self.header, "wb-header"),
            (self.tabs, "wb-tabs"),
        ]:
            widget.add_class(name)
        pickers = widgets.VBox(
            [
                wrapping([self.programme_picker, self.folder, self.add_folder]),
                wrapping(
                    [
                        widgets.VBox([self.track_picker, self.search, self.search_note, self.partner_picker]),
                        widgets.VBox([self.activity_type, self.org_kind, self.country]),
                        widgets.VBox([self.language, self.min_group_size, self.wave, self.compare]),
                    ]
                ),
            ]
        )
        pickers.add_class("wb-pickers")
        self.widget = widgets.VBox(
            [
                widgets.HTML(STYLE),
                self.bridge,
                pickers,
                self.message,
                self.header,
                self.tabs,
                self.export.widget,
                self.renderer.widget,
            ],
            layout={"width": "100%"},
        )
        self.widget.add_class(ROOT_CLASS)
        self.programme_picker.observe(self._on_programme, "value")
        self.track_picker.observe(self._on_track, "value")
        for control in (self.search, self.activity_type, self.org_kind, self.country):
            control.observe(self._on_list_filter, "value")
        for control in (self.partner_picker, self.min_group_size, self.wave, self.compare):
            control.observe(self._on_view, "value")
        self.language.observe(self._on_language, "value")
        self.tabs.observe(self._on_tab, "selected_index")
        self.add_folder.on_click(self._on_add_folder)
        self._label()
        self._fill_programmes(
            find_programmes(self.root, [self.resolve(f) for f in folders]), keep_language=language is not None
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Jupyter shows the workbench as its widget."""
        return self.widget._repr_mimebundle_(**kwargs)

    def t(self, key: str, /, **values: Any) -> str:
        """A workbench label in the language chosen."""
        return t(key, self.language.value, **values)

    def resolve(self, path: str | Path) -> Path:
        """A path typed by the analyst, from the folder relative paths start from."""
        given = Path(str(path).strip()).expanduser()
        return given if given.is_absolute() else self.base / given

    def filters(self) -> Filters:
        """The partner list's filters as set now."""
        return Filters(self.activity_type.value or ALL, self.org_kind.value or ALL, self.country.value or ALL)

    # --- pickers -------------------------------------------------------------------------

    def _fill_programmes(self, folders: list[Path], *, keep_language: bool = True) -> None:
        options = folder_labels(folders)
        if not options:
            self.message.value = paragraph(self.t("wb_no_programmes", root=self.root), "note")
            self._close_programme()
        current = self.programme_picker.value
        self._busy = True
        self.programme_picker.options = options
        self.programme_picker.value = None
        self._busy = False
        if options:
            chosen = current if current in dict(options).values() else options[0][1]
            self.select_programme(chosen, keep_language=keep_language)

    def select_programme(self, folder: str | Path, *, keep_language: bool = True) -> None:
        """Show the programme in ``folder`` (one of the picker's): its tracks, waves, first partner."""
        self.programme_picker.value = str(folder)
        if self.programme is not None and not keep_language:
            self.language.value = self.programme.language

    def _on_programme(self, change: dict[str, Any]) -> None:
        if self._busy or not change["new"]:
            return
        try:
            programme = open_programme(change["new"])
        except Exception as exc:  # a folder a user added may be broken: say why, leave no dead control
            logger.exception("cannot open programme %s", change["new"])
            self._close_programme()
            self.message.value = paragraph(self.t("wb_cannot_open", path=change["new"], error=str(exc)), "flag")
            return
        self.message.value = ""
        self.programme = programme
        self._busy = True
        self._enable(True)
        self.track_picker.options = [(self.t("wb_all_tracks"), ALL), *((n, i) for i, n in programme.tracks)]
        self.track_picker.value = ALL
        self.search.value = ""
        self._fill_filters()
        self.wave.options = [(self.t("wb_all_waves"), ALL), *((f"{label} ({i})", i) for i, label in programme.waves)]
        self.wave.value = ALL
        self.min_group_size.value = programme.min_group_size
        self._fill_partners()
        partners = [v for _, v in self.partner_picker.options if v != ALL]
        self.partner_picker.value = partners[0] if partners else ALL
        self._busy = False
        self._redraw()

    def _close_programme(self) -> None:
        """No programme shown: empty the pickers and tabs, disable every control that needs one."""
        self.programme, self.header.value, self._drawn = None, "", {}
        self._busy = True
        for picker in (self.track_picker, self.partner_picker, self.wave, self.compare):
            picker.options = ()
        self._busy = False
        self._set_tabs(())
        self._enable(False)
        self.search_note.value = ""
        self.renderer.refill()
        self.bridge.query = ""

    def _enable(self, on: bool) -> None:
        for control in (self.track_picker, self.search, self.partner_picker, self.activity_type, self.org_kind):
            control.disabled = not on
        for control in (self.country, self.min_group_size, self.wave, self.compare, self.language):
            control.disabled = not on
        self.export.enable(on)

    def _fill_filters(self) -> None:
        assert self.programme is not None
        values = filter_values(self.programme)
        for picker, key in ((self.activity_type, "activity_type"), (self.org_kind, "kind"), (self.country, "country")):
            kept = picker.value
            picker.options = [(self.t("wb_filter_all"), ALL), *((v, v) for v in values[key])]
            picker.value = kept if kept in values[key] else ALL

    def _fill_partners(self) -> None:
        """Refill the partner list for the track, filters and search; keep the partner when still listed."""
        assert self.programme is not None
        track = self.track_picker.value or ALL
        whole = self.t("wb_whole_track" if track != ALL else "wb_whole_programme")
        choices = partner_choices(self.programme, track, self.search.value, self.filters())
        options = [(whole, ALL), *choices]
        current = self.partner_picker.value
        busy, self._busy = self._busy, True
        self.partner_picker.options = options
        values = [v for _, v in options]
        narrowed = bool(self.search.value.strip()) or self.filters().active()
        self.partner_picker.value = current if current in values else (choices[0][1] if narrowed and choices else ALL)
        self._busy = busy
        total = len(partner_choices(self.programme, track))
        if not narrowed:
            self.search_note.value = ""
        elif choices:
            self.search_note.value = paragraph(self.t("wb_search_found", n=len(choices), total=total), "note")
        else:
            self.search_note.value = paragraph(self.t("wb_search_none", text=self.search.value.strip()), "flag")

    def _fill_compare(self) -> None:
        """Offer every other unit to compare with; the partner's own track first."""
        programme, view = self.programme, self.current_view()
        if programme is None or view is None:
            return
        units: list[tuple[UnitKind, str]] = []
        if view.kind == "partner" and programme.track_of(view.unit_id):
            units.append(("track", programme.track_of(view.unit_id)))
        units += [("partner", p.id) for p in programme.partners]
        units += [("track", i) for i, _ in programme.tracks] + [("programme", programme.id)]
        seen: set[str] = set()
        options = [(self.t("wb_compare_none"), ALL)]
        for kind, unit in units:
            key = f"{kind}:{unit}"
            if key not in seen and (kind, unit) != (view.kind, view.unit_id):
                seen.add(key)
                options.append((f"{self.t(f'wb_kind_{kind}')}: {programme.name_of(kind, unit)}", key))
        kept = self.compare.value
        busy, self._busy = self._busy, True
        self.compare.options = options
        self.compare.value = kept if kept in seen else ALL
        self._busy = busy

    def _on_track(self, change: dict[str, Any]) -> None:
        if not self._busy and self.programme is not None:
            self._fill_partners()
            self._redraw()

    def _on_list_filter(self, change: dict[str, Any]) -> None:
        if not self._busy and self.programme is not None:
            before = self.partner_picker.value
            self._fill_partners()
            if self.partner_picker.value != before:
                self._redraw()
            self.renderer.describe()

    def _on_add_folder(self, _: Any) -> None:
        folder = self.resolve(self.folder.value)
        if not (folder / "programme.yaml").is_file():
            self.message.value = paragraph(self.t("wb_not_a_programme", path=folder), "flag")
            return
        known = [Path(v) for _, v in self.programme_picker.options]
        self._fill_programmes(find_programmes(self.root, [*known, folder]))
        self.programme_picker.value = str(folder.resolve())

    # --- tabs ----------------------------------------------------------------------------

    def _on_view(self, change: dict[str, Any]) -> None:
        if not self._busy:
            self._redraw()

    def _on_language(self, change: dict[str, Any]) -> None:
        self._label()
        if self.programme is not None:
            busy, self._busy = self._busy, True
            track, wave = self.track_picker.value, self.wave.value
            self.track_picker.options = [(self.t("wb_all_tracks"), ALL), *self.track_picker.options[1:]]
            self.wave.options = [(self.t("wb_all_waves"), ALL), *self.wave.options[1:]]
            self.track_picker.value, self.wave.value = track, wave
            self._fill_filters()
            self._fill_partners()
            self._busy = busy
        if not self._busy:
            self._redraw()

    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] is not None and not self._busy:
            self._draw_tab(change["new"])
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
        if not self.compare.value:
            return None
        kind, unit = str(self.compare.value).split(":", 1)
        return self._view(kind, unit)  # type: ignore[arg-type]

    def current_section(self) -> str | None:
        """The section of the open tab."""
        index = self.tabs.selected_index
        return self.sections[index] if index is not None and index < len(self.sections) else None

    def _set_tabs(self, sections: tuple[str, ...]) -> None:
        """One tab per section of the unit's report; the open section stays open when the new unit has it."""
        if sections == self.sections:
            return
        keep = self.current_section()
        busy, self._busy = self._busy, True
        self.sections = sections
        self.pages = [widgets.HTML() for _ in sections]
        self.tabs.children = self.pages
        self.tabs.titles = tuple(self._tab_title(name) for name in sections)
        self.tabs.selected_index = sections.index(keep) if keep in sections else (0 if sections else None)
        self._drawn.clear()
        self._busy = busy

    def _tab_title(self, section: str) -> str:
        key = f"wb_tab_{section}"
        return self.t(key) if key in table() else section.replace("_", " ").capitalize()

    def _redraw(self) -> None:
        """Draw the header and the open tab for the current view; other tabs are drawn when opened."""
        view = self.current_view()
        if view is None:
            return
        self._set_tabs(tab_sections(view.kind))
        self._fill_compare()
        self.header.value = self.section_body(view, "title")
        self._draw_tab(self.tabs.selected_index or 0)
        self.renderer.refill()
        self._sync_query()

    def _draw_tab(self, index: int) -> None:
        view, other = self.current_view(), self.compared_view()
        if view is None or index >= len(self.sections):
            return
        key = (view, other, self.sections[index])
        if self._drawn.get(index) == key:
            return
        self.pages[index].value = self._page(view, other, self.sections[index])
        self._drawn[index] = key

    def _page(self, view: View, other: View | None, section: str) -> str:
        """The tab's HTML: the section, or the section of both units side by side."""
        body = self.section_body(view, section)
        if other is None or self.programme is None:
            return body
        same = section if section in tab_sections(other.kind) else COUNTERPART.get(section)
        if same in tab_sections(other.kind) and same is not None:
            right = self.section_body(other, same)
        else:
            right = paragraph(self.t("wb_compare_no_section"), "note")
        left_name = escape(self.programme.name_of(view.kind, view.unit_id))
        right_name = escape(self.programme.name_of(other.kind, other.unit_id))
        left = f"<div><h3>{left_name}</h3>{body}</div>"
        return f'<div class="wb-compare">{left}<div><h3>{right_name}</h3>{right}</div></div>'

    def section_body(self, view: View, section: str) -> str:
        """One section of ``view`` as its report draws it; with a wave chosen, what the filter did is said."""
        try:
            body = section_html(view, section)
        except Exception as exc:  # one failing section must not take the workbench down
            logger.exception("workbench section %s failed", section)
            return paragraph(self.t("wb_section_failed", error=f"{type(exc).__name__}: {exc}"), "flag")
        if view.wave is None or section == "title":
            return body
        label = str(dict(self.programme.waves).get(view.wave, view.wave)) if self.programme else str(view.wave)
        return wave_note(section, view.language, label) + without_false_statements(body, view.language, label)

    # --- the selection as a query string (the app's URL) --------------------------------

    def selection(self) -> dict[str, str]:
        """What is shown, as the app's URL keeps it: programme, track, partner, tab, language."""
        if self.programme is None:
            return {}
        return {
            "programme": Path(str(self.programme_picker.value)).name,
            "track": self.track_picker.value or "",
            "partner": self.partner_picker.value or "",
            "tab": self.current_section() or "",
            "language": self.language.value,
        }

    def apply_selection(self, selection: dict[str, str]) -> None:
        """Show what ``selection`` names (as :meth:`selection` gives it); unknown values are left as they are."""
        by_name = {Path(v).name: v for _, v in self.programme_picker.options}
        if selection.get("programme") in by_name:
            self.programme_picker.value = by_name[selection["programme"]]
        if selection.get("language") in LANGUAGES:
            self.language.value = selection["language"]
        if self.programme is None:
            return
        if selection.get("track") in dict(self.programme.tracks):
            self.track_picker.value = selection["track"]
        partners = [v for _, v in self.partner_picker.options]
        if "partner" in selection or "track" in selection:
            wanted = selection.get("partner", ALL)
            self.partner_picker.value = wanted if wanted in partners else self.partner_picker.value
        if selection.get("tab") in self.sections:
            self.tabs.selected_index = self.sections.index(selection["tab"])
        self._sync_query()

    def _sync_query(self) -> None:
        self.bridge.query = query_of(self.selection())

    def _label(self) -> None:
        """Set every label in the chosen language."""
        self.programme_picker.description = self.t("wb_programme")
        self.folder.placeholder = self.t("wb_folder_placeholder")
        self.folder.description = self.t("wb_folder")
        self.add_folder.description = self.t("wb_add_folder")
        self.track_picker.description = self.t("wb_track")
        self.search.description = self.t("wb_search")
        self.search.placeholder = self.t("wb_search_placeholder")
        self.partner_picker.description = self.t("wb_partner")
        self.activity_type.description = self.t("wb_filter_activity_type")
        self.org_kind.description = self.t("wb_filter_kind")
        self.country.description = self.t("wb_filter_country")
        self.language.description = self.t("wb_language")
        self.min_group_size.description = self.t(label_key("min_group_size"))
        self.min_group_size.tooltip = self.t("wb_min_group_size_help")
        self.wave.description = self.t("wb_wave")
        self.compare.description = self.t("wb_compare")
        self.tabs.titles = tuple(self._tab_title(name) for name in self.sections)
        self.export.relabel()
        self.renderer.relabel()
        self._drawn.clear()
