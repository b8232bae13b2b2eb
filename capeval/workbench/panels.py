"""The workbench's two panels below the tabs: export the open tab, and render reports.

Both read the workbench's current selection; neither changes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from capeval.log import logger
from capeval.report.html import escape, paragraph
from capeval.workbench import exports
from capeval.workbench.rendering import BackgroundRender, RenderRequest, report_links
from capeval.workbench.selection import draw_section, partners_of

if TYPE_CHECKING:
    from capeval.batch import BatchResult
    from capeval.workbench.app import Workbench

AUTO = {"width": "auto"}
# What "render reports" may render; which are offered depends on the unit shown.
SCOPES = ("unit", "track_partners", "track", "programme", "chosen")


class ExportPanel:
    """Buttons that turn the open tab into CSV, XLSX, PNG or SVG files, shown as download links."""

    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        self.buttons = {kind: widgets.Button(layout=AUTO, icon="download") for kind in ("csv", "xlsx", "png", "svg")}
        self.links = widgets.HTML()
        for kind, button in self.buttons.items():
            button.add_class(f"wb-export-{kind}")
            button.on_click(lambda _, kind=kind: self.export(kind))
        self.label = widgets.HTML()
        self.widget = widgets.HBox([self.label, *self.buttons.values(), self.links], layout={"flex_flow": "row wrap"})

    def relabel(self) -> None:
        self.label.value = f"<b>{escape(self.bench.t('wb_export'))}</b>"
        for kind, button in self.buttons.items():
            button.description = self.bench.t(f"wb_export_{kind}")
        self.links.value = ""

    def enable(self, on: bool) -> None:
        for button in self.buttons.values():
            button.disabled = not on
        self.links.value = ""

    def export(self, kind: str) -> list[exports.Export]:
        """Make the open tab's files of ``kind`` and show their download links; the files made."""
        bench, view, section = self.bench, self.bench.current_view(), self.bench.current_section()
        if view is None or section is None or bench.programme is None:
            return []
        stem = exports.file_stem(bench.programme.id, view.unit_id if view.kind != "programme" else "", section)
        try:
            if kind in ("csv", "xlsx"):
                frames = exports.section_tables(bench.section_body(view, section))
                files = exports.tables_csv(frames, stem) if kind == "csv" else [exports.tables_xlsx(frames, stem)]
                files = files if frames else []
            else:
                files = exports.figure_files(exports.drawn_figures(lambda: draw_section(view, section)), stem, kind)
        except Exception as exc:  # an export that fails must not take the workbench down
            logger.exception("workbench export failed")
            self.links.value = paragraph(bench.t("wb_export_failed", error=str(exc)), "flag")
            return []
        nothing = "wb_export_no_tables" if kind in ("csv", "xlsx") else "wb_export_no_figures"
        self.links.value = " ".join(f.link(f.name) for f in files) or paragraph(bench.t(nothing), "note")
        return files


class RenderPanel:
    """Where the reports go, which reports, what the render applies, then progress and links."""

    def __init__(self, bench: Workbench, out: Path) -> None:
        self.bench = bench
        self.run: BackgroundRender | None = None
        self._kind = ""
        self.out = widgets.Text(value=str(out), layout={"width": "420px"}, style={"description_width": "initial"})
        self.scope = widgets.Dropdown(layout={"width": "auto"}, style={"description_width": "initial"})
        self.chosen = widgets.SelectMultiple(rows=6, layout={"width": "420px", "display": "none"})
        self.button = widgets.Button(button_style="primary", icon="file", layout=AUTO)
        self.applies = widgets.HTML()
        self.progress = widgets.IntProgress(min=0, max=1, value=0, layout={"width": "360px"})
        self.status = widgets.HTML()
        self.links = widgets.HTML()
        self.button.add_class("wb-render")
        self.scope.add_class("wb-render-scope")
        self.applies.add_class("wb-render-applies")
        self.scope.observe(lambda _: self.describe(), "value")
        self.chosen.observe(lambda _: self.describe(), "value")
        self.out.observe(lambda _: self.describe(), "value")
        self.button.on_click(lambda _: self.start())
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.out, self.scope, self.button], layout={"flex_flow": "row wrap"}),
                self.chosen,
                self.applies,
                widgets.HBox([self.progress, self.status], layout={"flex_flow": "row wrap"}),
                self.links,
            ]
        )

    def relabel(self) -> None:
        t = self.bench.t
        self.out.description = t("wb_out")
        self.button.description = t("wb_render")
        self.scope.description = t("wb_render_which")
        self.chosen.description = t("wb_render_chosen_partners")
        self.refill()

    def refill(self) -> None:
        """Offer the scopes that fit the unit shown, and the programme's partners to choose from."""
        bench, view = self.bench, self.bench.current_view()
        if view is None or bench.programme is None:
            self.scope.options, self.chosen.options = (), ()
            self.button.disabled = True
            self.applies.value = ""
            return
        track = bench.programme.track_of(view.unit_id) if view.kind == "partner" else view.unit_id
        offered = {
            "unit": view.kind == "partner",
            "track_partners": view.kind == "track",
            "track": view.kind == "track" or (view.kind == "partner" and bool(track)),
            "programme": True,
            "chosen": True,
        }
        name = bench.programme.name_of("track", track) if track else ""
        options = [(bench.t(f"wb_scope_{s}", name=name), s) for s in SCOPES if offered[s]]
        same_kind = view.kind == self._kind  # a choice made for another kind of unit is not kept
        keep = self.scope.value if same_kind and self.scope.value in [v for _, v in options] else options[0][1]
        self._kind = view.kind
        self.scope.options = options
        self.scope.value = keep
        chosen = self.chosen.value
        self.chosen.options = [(f"{p.name} ({p.id})", p.id) for p in bench.programme.partners]
        self.chosen.value = tuple(c for c in chosen if c in {p.id for p in bench.programme.partners})
        self.describe()

    def request(self) -> RenderRequest | None:
        """The batch "render reports" would run now (None before a programme is open)."""
        bench, view, programme = self.bench, self.bench.current_view(), self.bench.programme
        if view is None or programme is None or not self.scope.value:
            return None
        track = programme.track_of(view.unit_id) if view.kind == "partner" else view.unit_id
        partners: tuple[str, ...] = ()
        tracks: tuple[str, ...] = ()
        scope = self.scope.value
        if scope == "unit":
            partners = (view.unit_id,)
        elif scope == "track_partners":
            partners = tuple(partners_of(programme, "track", track))
        elif scope == "track":
            tracks = (track,)
        elif scope == "chosen":
            partners = tuple(self.chosen.value)
        size = view.min_group_size if view.min_group_size != programme.min_group_size else None
        return RenderRequest(
            programme=programme.folder,
            programme_id=programme.id,
            out=bench.resolve(self.out.value),
            partners=partners,
            language=view.language,
            min_group_size=size,
            tracks=tracks,
            programme_report=scope == "programme",
        )

    def describe(self) -> None:
        """Say on the button's line what the render writes and applies (threshold, language, wave)."""
        bench, request, view = self.bench, self.request(), self.bench.current_view()
        self.chosen.layout.display = "" if self.scope.value == "chosen" else "none"
        if request is None or view is None or bench.programme is None:
            return
        self.button.disabled = request.count == 0 or (self.run is not None and self.run.thread.is_alive())
        language = bench.t(f"wb_lang_{view.language}")
        lines = [(bench.t("wb_render_count", n=request.count, out=str(request.out), language=language), "note")]
        if request.min_group_size is None:
            lines.append((bench.t("wb_render_threshold_default", n=view.min_group_size), "note"))
        else:
            default = bench.programme.min_group_size
            lines.append((bench.t("wb_render_threshold_other", n=view.min_group_size, default=default), "flag"))
        if view.wave is not None or bench.filters().active():
            lines.append((bench.t("wb_render_not_filtered"), "flag"))
        self.applies.value = "".join(paragraph(text, css) for text, css in lines)

    def start(self) -> BackgroundRender | None:
        """Start rendering in a background thread (None when busy or nothing is chosen)."""
        request = self.request()
        if request is None or request.count == 0 or (self.run and self.run.thread.is_alive()):
            return None
        self.button.disabled = True
        self.progress.max, self.progress.value = request.count, 0
        self.status.value = escape(self.bench.t("wb_rendering", done=0, total=request.count))
        self.links.value = ""
        self.run = BackgroundRender(request, on_progress=self._on_progress, on_done=self._on_done)
        self.run.start()
        return self.run

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.value = done
        self.status.value = escape(self.bench.t("wb_rendering", done=done, total=total))

    def _on_done(self, result: BatchResult | None, error: BaseException | None) -> None:
        self.button.disabled = False
        t = self.bench.t
        if error is not None or result is None:
            self.status.value = paragraph(t("wb_render_error", error=str(error)), "flag")
            return
        counts = {status: sum(e.status == status for e in result.entries) for status in ("ok", "skipped", "failed")}
        self.progress.value = self.progress.max
        self.status.value = escape(t("wb_rendered", **counts))
        programme = self.bench.programme
        names: dict[str, Any] = {}
        if programme is not None:
            names = {p.id: p.name for p in programme.partners} | dict(programme.tracks)
            names[programme.id] = programme.title
        labels = {key: t(f"wb_status_{key}") for key in ("ok", "skipped")} | {"index": t("wb_index")}
        server_root, prefix = self.bench.served
        self.links.value = report_links(result, names=names, labels=labels, server_root=server_root, prefix=prefix)
