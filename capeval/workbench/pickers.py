"""The workbench's pickers: programme (and added folders), track, search, partner, filters, options.

:class:`Pickers` holds these controls and keeps them consistent (a new programme refills the
tracks, waves and filters; a track, search or filter refills the partner list). What they
select is drawn by the :class:`~capeval.workbench.app.Workbench` built on it, through the
hooks :meth:`Pickers._redraw`, :meth:`Pickers._no_programme`, :meth:`Pickers._enable_panels`
and :meth:`Pickers._list_filtered`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from capeval.i18n import LANGUAGES, t
from capeval.log import logger
from capeval.options import bounds, label_key
from capeval.report.html import paragraph
from capeval.schema import ProgrammeConfig
from capeval.workbench.filters import Filters, filter_values, partner_choices
from capeval.workbench.selection import ALL, Programme, find_programmes, folder_labels, open_programme

WIDE = {"description_width": "initial"}  # labels are never cut ("Rapporte…")


def wrapping(children: list[Any], css: str = "") -> widgets.Box:
    """A row of widgets that wraps onto the next line when the notebook is narrow (1024 px, file browser open)."""
    box = widgets.Box(children, layout={"flex_flow": "row wrap", "align_items": "flex-start", "width": "100%"})
    if css:
        box.add_class(css)
    return box


class Pickers:
    """The controls that choose what the workbench shows; relative paths start from ``base``."""

    def __init__(self, root: str | Path, *, language: str | None, base: str | Path | None) -> None:
        self.base = Path(base) if base is not None else Path.cwd()
        self.root = self.resolve(root)
        self.programme: Programme | None = None
        self._busy = False  # True while the pickers are refilled: their events are ignored
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
        ]:
            widget.add_class(name)
        self.pickers = widgets.VBox(
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
        self.pickers.add_class("wb-pickers")
        self.programme_picker.observe(self._on_programme, "value")
        self.track_picker.observe(self._on_track, "value")
        for control in (self.search, self.activity_type, self.org_kind, self.country):
            control.observe(self._on_list_filter, "value")
        self.add_folder.on_click(self._on_add_folder)

    # --- what the workbench built on the pickers does ----------------------------------

    def _redraw(self) -> None:
        """Draw what the pickers select."""

    def _no_programme(self) -> None:
        """Show nothing: no programme is open."""

    def _enable_panels(self, on: bool) -> None:
        """Enable (or disable) the controls below the pickers."""

    def _list_filtered(self) -> None:
        """The partner list's filters changed."""

    # --- helpers -------------------------------------------------------------------------

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

    # --- programmes ----------------------------------------------------------------------

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
        """No programme shown: empty the pickers, disable every control that needs one."""
        self.programme = None
        self._busy = True
        for picker in (self.track_picker, self.partner_picker, self.wave, self.compare):
            picker.options = ()
        self._busy = False
        self._enable(False)
        self.search_note.value = ""
        self._no_programme()

    def _enable(self, on: bool) -> None:
        for control in (self.track_picker, self.search, self.partner_picker, self.activity_type, self.org_kind):
            control.disabled = not on
        for control in (self.country, self.min_group_size, self.wave, self.compare, self.language):
            control.disabled = not on
        self._enable_panels(on)

    def _on_add_folder(self, _: Any) -> None:
        folder = self.resolve(self.folder.value)
        if not (folder / "programme.yaml").is_file():
            self.message.value = paragraph(self.t("wb_not_a_programme", path=folder), "flag")
            return
        known = [Path(v) for _, v in self.programme_picker.options]
        self._fill_programmes(find_programmes(self.root, [*known, folder]))
        self.programme_picker.value = str(folder.resolve())

    # --- tracks, partners, filters -------------------------------------------------------

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
            self._list_filtered()

    def _relabel_pickers(self) -> None:
        """Every picker's label (and its "all" entries) in the chosen language."""
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
        if self.programme is not None:
            busy, self._busy = self._busy, True
            track, wave = self.track_picker.value, self.wave.value
            self.track_picker.options = [(self.t("wb_all_tracks"), ALL), *self.track_picker.options[1:]]
            self.wave.options = [(self.t("wb_all_waves"), ALL), *self.wave.options[1:]]
            self.track_picker.value, self.wave.value = track, wave
            self._fill_filters()
            self._fill_partners()
            self._busy = busy
