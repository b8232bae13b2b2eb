"""The analyst workbench: ipywidgets pickers, one tab per report section, and "render reports".

Only the widgets live here; what they show comes from :mod:`capeval.workbench.selection`
and the batch run from :mod:`capeval.workbench.rendering`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from capeval.i18n import LANGUAGES, t
from capeval.log import logger
from capeval.report.html import escape, paragraph
from capeval.workbench.rendering import BackgroundRender, RenderRequest, report_links
from capeval.workbench.selection import (
    ALL,
    SECTIONS,
    Programme,
    View,
    chosen_unit,
    find_programmes,
    open_programme,
    partner_choices,
    partners_of,
    section_html,
    view_of,
    wave_note_key,
)

DEFAULT_ROOT = "build/demo"
STYLE = """<style>
.capeval-workbench table.data { border-collapse: collapse; margin: 0.5em 0; }
.capeval-workbench table.data th, .capeval-workbench table.data td { border-bottom: 1px solid #ccc; padding: 2px 8px; }
.capeval-workbench td.num { text-align: right; }
.capeval-workbench p.note, .capeval-workbench p.no-data { color: #555; font-style: italic; }
.capeval-workbench p.flag { color: #a40000; font-weight: bold; }
.capeval-workbench figure img { max-width: 640px; }
</style>"""


class Workbench:
    """Pick a programme, track and partner; see the report's sections; render the reports.

    ``root`` holds programme folders (the demo by default), ``folders`` adds others,
    ``out`` is where "render reports" writes; ``language`` is the first language shown
    (default: the first programme's).
    """

    def __init__(
        self,
        root: str | Path = DEFAULT_ROOT,
        *,
        folders: tuple[str | Path, ...] | list[str | Path] = (),
        out: str | Path = "reports",
        language: str | None = None,
    ) -> None:
        self.root = Path(root)
        self.programme: Programme | None = None
        self.render_run: BackgroundRender | None = None
        self._busy = False  # True while the pickers are refilled: their events are ignored
        self._drawn: dict[int, View] = {}
        layout = {"width": "360px"}
        self.programme_picker = widgets.Dropdown(layout=layout)
        self.folder = widgets.Text(layout={"width": "320px"})
        self.add_folder = widgets.Button()
        self.track_picker = widgets.Dropdown(layout=layout)
        self.search = widgets.Text(layout=layout)
        self.partner_picker = widgets.Select(rows=8, layout=layout)
        self.language = widgets.ToggleButtons(options=list(LANGUAGES), value=language or "en")
        self.language.style.button_width = "48px"
        self.min_group_size = widgets.BoundedIntText(min=1, max=100_000, value=5, layout={"width": "200px"})
        self.wave = widgets.Dropdown(layout={"width": "240px"})
        self.message = widgets.HTML()
        self.header = widgets.HTML()
        self.pages = [widgets.HTML() for _ in SECTIONS]
        self.tabs = widgets.Tab(children=self.pages)
        self.out = widgets.Text(value=str(out), layout={"width": "360px"})
        self.render_button = widgets.Button(button_style="primary", icon="file")
        self.render_scope = widgets.HTML()
        self.progress = widgets.IntProgress(min=0, max=1, value=0, layout={"width": "360px"})
        self.render_status = widgets.HTML()
        self.links = widgets.Output()
        for widget, name in [
            (self.programme_picker, "wb-programme"),
            (self.track_picker, "wb-track"),
            (self.search, "wb-search"),
            (self.partner_picker, "wb-partner"),
            (self.header, "wb-header"),
            (self.tabs, "wb-tabs"),
            (self.render_button, "wb-render"),
        ]:
            widget.add_class(name)
        self.widget = widgets.VBox(
            [
                widgets.HTML(STYLE),
                widgets.HBox([self.programme_picker, self.folder, self.add_folder]),
                widgets.HBox(
                    [
                        widgets.VBox([self.track_picker, self.search, self.partner_picker]),
                        widgets.VBox([self.language, self.min_group_size, self.wave]),
                    ]
                ),
                self.message,
                self.header,
                self.tabs,
                widgets.HBox([self.out, self.render_button]),
                self.render_scope,
                widgets.HBox([self.progress, self.render_status]),
                self.links,
            ]
        )
        self.widget.add_class("capeval-workbench")
        self.programme_picker.observe(self._on_programme, "value")
        self.track_picker.observe(self._on_track, "value")
        self.search.observe(self._on_search, "value")
        for control in (self.partner_picker, self.min_group_size, self.wave):
            control.observe(self._on_view, "value")
        self.language.observe(self._on_language, "value")
        self.tabs.observe(self._on_tab, "selected_index")
        self.add_folder.on_click(self._on_add_folder)
        self.render_button.on_click(lambda _: self.render())
        self._label()
        self._fill_programmes(find_programmes(self.root, folders), keep_language=language is not None)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Jupyter shows the workbench as its widget."""
        return self.widget._repr_mimebundle_(**kwargs)

    def t(self, key: str, /, **values: Any) -> str:
        """A workbench label in the language chosen."""
        return t(key, self.language.value, **values)

    # --- pickers -------------------------------------------------------------------------

    def _fill_programmes(self, folders: list[Path], *, keep_language: bool = True) -> None:
        options = [(folder.name, str(folder)) for folder in folders]
        if not options:
            self.message.value = paragraph(self.t("wb_no_programmes", root=self.root), "note")
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
        if self.programme is None:
            return
        if not keep_language:
            self.language.value = self.programme.language

    def _on_programme(self, change: dict[str, Any]) -> None:
        if self._busy or not change["new"]:
            return
        try:
            programme = open_programme(change["new"])
        except Exception as exc:  # a folder a user added may be broken: say why, stay usable
            logger.exception("cannot open programme %s", change["new"])
            self.message.value = paragraph(str(exc), "flag")
            self.programme, self.header.value, self._drawn = None, "", {}
            for page in self.pages:
                page.value = ""
            return
        self.message.value = ""
        self.programme = programme
        self._busy = True
        self.track_picker.options = [(self.t("wb_all_tracks"), ALL), *((n, i) for i, n in programme.tracks)]
        self.track_picker.value = ALL
        self.search.value = ""
        self.wave.options = [(self.t("wb_all_waves"), ALL), *((f"{label} ({i})", i) for i, label in programme.waves)]
        self.wave.value = ALL
        self.min_group_size.value = programme.min_group_size
        self._fill_partners()
        partners = [v for _, v in self.partner_picker.options if v != ALL]
        self.partner_picker.value = partners[0] if partners else ALL
        self._busy = False
        self._redraw()

    def _fill_partners(self) -> None:
        """Refill the partner list for the track and search text; keep the partner when still listed."""
        assert self.programme is not None
        track = self.track_picker.value or ALL
        whole = self.t("wb_whole_track" if track != ALL else "wb_whole_programme")
        options = [(whole, ALL), *partner_choices(self.programme, track, self.search.value)]
        current = self.partner_picker.value
        busy, self._busy = self._busy, True
        self.partner_picker.options = options
        values = [v for _, v in options]
        matches = values[1:] if self.search.value.strip() else []
        self.partner_picker.value = current if current in values else (matches[0] if matches else ALL)
        self._busy = busy

    def _on_track(self, change: dict[str, Any]) -> None:
        if not self._busy and self.programme is not None:
            self._fill_partners()
            self._redraw()

    def _on_search(self, change: dict[str, Any]) -> None:
        if not self._busy and self.programme is not None:
            before = self.partner_picker.value
            self._fill_partners()
            if self.partner_picker.value != before:
                self._redraw()

    def _on_add_folder(self, _: Any) -> None:
        folder = Path(self.folder.value.strip()).expanduser()
        if not (folder / "programme.yaml").is_file():
            self.message.value = paragraph(self.t("wb_not_a_programme", path=folder), "flag")
            return
        known = [Path(v) for _, v in self.programme_picker.options]
        self._fill_programmes(find_programmes(self.root, [*known, folder]))
        self.programme_picker.value = str(folder)

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
            self._fill_partners()
            self._busy = busy
        if not self._busy:
            self._redraw()

    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:
            self._draw_tab(change["new"])

    def current_view(self) -> View | None:
        """What the tabs show now (None before a programme is open)."""
        if self.programme is None:
            return None
        kind, unit = chosen_unit(self.programme, self.track_picker.value or ALL, self.partner_picker.value or ALL)
        return view_of(
            self.programme,
            kind,
            unit,
            language=self.language.value,
            min_group_size=int(self.min_group_size.value),
            wave=None if self.wave.value in (ALL, None) else int(self.wave.value),
        )

    def _redraw(self) -> None:
        """Draw the header and the open tab for the current view; other tabs are drawn when opened."""
        view = self.current_view()
        if view is None:
            return
        self.header.value = self._section(view, "title")
        self._draw_tab(self.tabs.selected_index or 0)
        self._describe_render()

    def _draw_tab(self, index: int) -> None:
        view = self.current_view()
        if view is None or self._drawn.get(index) == view:
            return
        self.pages[index].value = self._section(view, list(SECTIONS)[index])
        self._drawn[index] = view

    def _section(self, view: View, section: str) -> str:
        try:
            body = section_html(view, section)
        except Exception as exc:  # one failing section must not take the workbench down
            logger.exception("workbench section %s failed", section)
            return paragraph(self.t("wb_section_failed", error=f"{type(exc).__name__}: {exc}"), "flag")
        key = wave_note_key(view, section)
        if key is None or section == "title":
            return body
        labels = dict(self.programme.waves) if self.programme else {}
        return paragraph(self.t(key, wave=labels.get(view.wave or 0, view.wave)), "note") + body

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
        self.language.description = self.t("wb_language")
        self.min_group_size.description = self.t("wb_min_group_size")
        self.wave.description = self.t("wb_wave")
        self.tabs.titles = tuple(self.t(f"wb_tab_{name}") for name in SECTIONS)
        self.out.description = self.t("wb_out")
        self.render_button.description = self.t("wb_render")
        self._drawn.clear()

    # --- render reports ------------------------------------------------------------------

    def render_request(self) -> RenderRequest | None:
        """The batch "render reports" would run now: the partners of the unit shown."""
        view, programme = self.current_view(), self.programme
        if view is None or programme is None:
            return None
        size = view.min_group_size if view.min_group_size != programme.min_group_size else None
        return RenderRequest(
            programme=programme.folder,
            programme_id=programme.id,
            out=Path(self.out.value).expanduser(),
            partners=tuple(partners_of(programme, view.kind, view.unit_id)),
            language=view.language,
            min_group_size=size,
        )

    def _describe_render(self) -> None:
        view, programme = self.current_view(), self.programme
        if view is None or programme is None:
            return
        n = len(partners_of(programme, view.kind, view.unit_id))
        names = {pid: name for pid, name, _ in programme.partners} | dict(programme.tracks)
        name = names.get(view.unit_id, programme.title)
        self.render_scope.value = paragraph(self.t(f"wb_render_{view.kind}", name=name, n=n), "note")

    def render(self) -> BackgroundRender | None:
        """Start rendering the current selection's reports in a background thread (None when busy or empty)."""
        request = self.render_request()
        if request is None or not request.partners or (self.render_run and self.render_run.thread.is_alive()):
            return None
        self.render_button.disabled = True
        self.progress.max, self.progress.value = len(request.partners), 0
        self.render_status.value = escape(self.t("wb_rendering", done=0, total=len(request.partners)))
        self.links.outputs = ()
        self.render_run = BackgroundRender(request, on_progress=self._on_render_progress, on_done=self._on_rendered)
        self.render_run.start()
        return self.render_run

    def _on_render_progress(self, done: int, total: int) -> None:
        self.progress.value = done
        self.render_status.value = escape(self.t("wb_rendering", done=done, total=total))

    def _on_rendered(self, result: Any, error: BaseException | None) -> None:
        self.render_button.disabled = False
        if error is not None or result is None:
            self.render_status.value = paragraph(self.t("wb_render_error", error=str(error)), "flag")
            return
        counts = {status: sum(e.status == status for e in result.entries) for status in ("ok", "skipped", "failed")}
        self.progress.value = self.progress.max
        self.render_status.value = escape(self.t("wb_rendered", **counts))
        names = {pid: name for pid, name, _ in self.programme.partners} if self.programme else {}
        labels = {key: self.t(f"wb_status_{key}") for key in ("ok", "skipped")} | {"index": self.t("wb_index")}
        html = report_links(result, names=names, labels=labels)
        self.links.outputs = ({"output_type": "display_data", "data": {"text/html": html}, "metadata": {}},)
