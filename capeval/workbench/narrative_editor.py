"""The evaluator's narrative of the shown unit: open, edit, check and save ``narrative/…/<id>.md``.

The editor opens the file the unit's report in the chosen language shows (``<id>.<lang>.md``
when there is one, else ``<id>.md``; either can be chosen). Saving checks every ``## heading``
first (a heading that names no place is reported with its line, and nothing is written), then
writes the file atomically; the tabs then show each part where the report places it (the
report's own section functions read the file), and the next render includes it: the unit's
input hash covers its narrative, so only its reports are rendered again. *Preview* shows unsaved
text in the tabs, placed the same way, without writing it. Unsaved text is kept per file while
other units are shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from capeval.files import write_atomic
from capeval.i18n import t
from capeval.log import logger
from capeval.narrative import (
    MAX_BYTES,
    PLACES,
    Narrative,
    heading_place,
    narrative_block,
    narrative_path,
    parse_narrative,
)
from capeval.report import NARRATIVE_AFTER, NARRATIVE_BEFORE
from capeval.report.html import escape, paragraph
from capeval.workbench.selection import View, bare_section, report_sections

if TYPE_CHECKING:
    from capeval.workbench.app import Workbench


def shown_places(view: View) -> list[str]:
    """The places a narrative part can take in the report of ``view``'s unit, in report order."""
    sections = report_sections(view.kind)
    anchors = {place: section for section, place in (NARRATIVE_BEFORE | NARRATIVE_AFTER).items()}
    return [p for p in PLACES if anchors.get(p, p) in sections]


def heading_problems(text: str, view: View, language: str) -> tuple[list[str], list[str]]:
    """What is wrong with the ``## headings`` of ``text`` for ``view``'s report, one line each in ``language``:
    (problems that stop a save: a heading that names no place, a file too large; warnings: a place
    this report does not have, whose text it will not show)."""
    places = shown_places(view)
    listed = ", ".join(f"## {t(f'narrative_place_{p}', language)}" for p in places)
    if len(text.encode("utf-8")) > MAX_BYTES:
        return [t("wb_narrative_too_large", language, kb=str(MAX_BYTES // 1000))], []
    lines = text.splitlines()
    problems = [
        t("wb_narrative_bad_heading", language, line=str(p.line), heading=_heading(lines[p.line - 1]), places=listed)
        for p in parse_narrative(text, "")[1]
    ]
    warnings = []
    fence = False
    for number, line in enumerate(lines, start=1):
        fence = fence != line.lstrip().startswith(("```", "~~~"))
        place = heading_place(_heading(line)) if line.startswith("##") and not line.startswith("###") else None
        if not fence and place is not None and place not in places:
            warnings.append(t("wb_narrative_not_shown", language, line=str(number), heading=_heading(line)))
    return problems, warnings


def with_draft(view: View, section: str, draft: Narrative) -> str:
    """``section`` of ``view`` with the parts of an unsaved ``draft`` placed as the report places a saved one."""
    before = narrative_block(draft, NARRATIVE_BEFORE.get(section, ""), view.language)
    after = narrative_block(draft, NARRATIVE_AFTER.get(section, section), view.language)
    return "\n".join(part for part in (before, bare_section(view, section), after) if part)


def _heading(line: str) -> str:
    return line.strip().lstrip("#").strip().rstrip("#").strip()


class NarrativeEditor:
    """A folded panel under the tabs: the narrative file of the shown unit, a text box, save and discard."""

    def __init__(self, bench: Workbench) -> None:
        self.bench = bench
        self.path: Path | None = None
        self.view: View | None = None
        self.saved = ""  # the file's text as on disk ("" when there is no file)
        self.drafts: dict[Path, str] = {}  # unsaved text of files not shown now
        self._key: tuple[object, ...] = ()
        self._loading = False
        self.file = widgets.Dropdown(layout={"width": "auto"}, style={"description_width": "initial"})
        self.help = widgets.HTML()
        self.text = widgets.Textarea(rows=14, layout={"width": "100%"})
        self.save_button = widgets.Button(button_style="primary", icon="save", layout={"width": "auto"})
        self.discard_button = widgets.Button(icon="undo", layout={"width": "auto"})
        self.preview_button = widgets.Button(icon="eye", layout={"width": "auto"})
        self.draft: Narrative | None = None  # the unsaved text shown in the tabs (Preview), until saved or changed
        self.status = widgets.HTML()
        for widget, css in [
            (self.file, "wb-narrative-file"),
            (self.text, "wb-narrative-text"),
            (self.save_button, "wb-narrative-save"),
            (self.discard_button, "wb-narrative-discard"),
            (self.preview_button, "wb-narrative-preview"),
            (self.status, "wb-narrative-status"),
        ]:
            widget.add_class(css)
        buttons = widgets.HBox(
            [self.save_button, self.preview_button, self.discard_button], layout={"flex_flow": "row wrap"}
        )
        body = widgets.VBox([self.file, self.help, self.text, buttons, self.status], layout={"width": "100%"})
        self.widget = widgets.Accordion(children=[body], selected_index=None, layout={"width": "100%"})
        self.widget.add_class("wb-narrative")
        self.file.observe(self._on_file, "value")
        self.text.observe(self._on_text, "value")
        self.save_button.on_click(lambda _: self.save())
        self.discard_button.on_click(lambda _: self.discard())
        self.preview_button.on_click(lambda _: self.preview())

    @property
    def root(self) -> Path | None:
        """The programme folder the narrative files are in (where the report reads them)."""
        programme = self.bench.programme
        return programme.store.parent if programme is not None else None

    def relabel(self) -> None:
        """Labels in the chosen language (the file choices name the language)."""
        self.file.description = self.bench.t("wb_narrative_file")
        self.save_button.description = self.bench.t("wb_narrative_save")
        self.discard_button.description = self.bench.t("wb_narrative_discard")
        self.preview_button.description = self.bench.t("wb_narrative_preview")
        self._key = ()
        self.refresh()

    def refresh(self) -> None:
        """Follow the shown unit and language: offer its files and open the one its report shows."""
        view, root = self.bench.current_view(), self.root
        key = (root, view.kind, view.unit_id, view.language) if view is not None and root is not None else ()
        if key == self._key:
            return
        self._keep_draft()
        self._key, self.view, self.draft = key, view, None
        for control in (self.file, self.text, self.save_button, self.discard_button, self.preview_button):
            control.disabled = view is None
        if view is None or root is None:
            self.path, self.saved, self.status.value, self.help.value = None, "", "", ""
            self._set_text("")
            self.widget.set_title(0, self.bench.t("wb_narrative"))
            return
        own = narrative_path(root, view.kind, view.unit_id, view.language)
        shared = narrative_path(root, view.kind, view.unit_id)
        language = self.bench.t(f"wb_lang_{view.language}")
        options = [
            (self.bench.t("wb_narrative_every_language", file=self._rel(shared)), str(shared)),
            (self.bench.t("wb_narrative_one_language", file=self._rel(own), language=language), str(own)),
        ]
        self._loading = True
        self.file.options = options
        self.file.value = str(own) if own.is_file() else str(shared)
        self._loading = False
        listed = ", ".join(f"## {self.bench.t(f'narrative_place_{p}')}" for p in shown_places(view))
        self.help.value = paragraph(self.bench.t("wb_narrative_help", places=listed), "note")
        self._open(Path(self.file.value))

    def _rel(self, path: Path) -> str:
        root = self.root
        return path.relative_to(root).as_posix() if root is not None else path.name

    def _keep_draft(self) -> None:
        if self.path is not None and self.text.value != self.saved:
            self.drafts[self.path] = self.text.value

    def _on_file(self, change: dict[str, Any]) -> None:
        if not self._loading and change["new"]:
            self._keep_draft()
            self._open(Path(change["new"]))

    def _open(self, path: Path) -> None:
        """Show ``path``'s text (or its unsaved draft) in the box."""
        self.path = path
        self.widget.set_title(0, self.bench.t("wb_narrative_title", file=self._rel(path)))
        try:
            self.saved = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
        except (OSError, UnicodeDecodeError) as exc:  # said; saving writes a readable file again
            self.saved = ""
            self._set_text(self.drafts.pop(path, ""))
            error = self.bench.t("wb_narrative_unreadable", file=self._rel(path), error=exc)
            self.status.value = paragraph(error, "flag")
            return
        self._set_text(self.drafts.pop(path, self.saved))
        self._on_text({})

    def _set_text(self, text: str) -> None:
        self._loading = True
        self.text.value = text
        self._loading = False

    def _on_text(self, change: dict[str, Any]) -> None:
        if self.draft is not None:  # the preview no longer shows what is typed
            self.draft = None
            self.bench.redraw()
        if not self._loading:
            changed = self.text.value != self.saved
            self.status.value = paragraph(self.bench.t("wb_narrative_unsaved"), "note") if changed else ""

    def shown_draft(self, view: View) -> Narrative | None:
        """The previewed unsaved text when ``view`` is the unit and language it was written for, else None."""
        same = self.view is not None and (view.kind, view.unit_id, view.language) == (
            self.view.kind,
            self.view.unit_id,
            self.view.language,
        )
        return self.draft if same else None

    def preview(self) -> bool:
        """Show the unsaved text in the tabs, each part where the report places it; nothing is written.
        False (and the problems shown) when a heading names no place."""
        if self.path is None or self.view is None:
            return False
        problems, warnings = heading_problems(self.text.value, self.view, self.bench.language.value)
        if problems:
            self.status.value = paragraph(self.bench.t("wb_narrative_no_preview"), "flag") + _items(problems)
            return False
        parts = parse_narrative(self.text.value, self._rel(self.path))[0]
        self.draft = Narrative(self._rel(self.path), self.view.kind, self.view.unit_id, self.view.language, parts)
        self.bench.redraw()
        self.status.value = paragraph(self.bench.t("wb_narrative_previewed"), "note") + _items(warnings)
        return True

    def discard(self) -> None:
        """Put the file's text back in the box, dropping what was typed since the last save."""
        if self.path is not None:
            self.drafts.pop(self.path, None)
            self._open(self.path)
            if self.draft is not None:
                self.draft = None
                self.bench.redraw()

    def save(self) -> bool:
        """Check the text's headings and write the file (remove it when the text is empty); True when saved.

        On a problem nothing is written and each problem is shown with its line; the tabs are redrawn
        after a save, so each part shows where the report places it.
        """
        path, view, text = self.path, self.view, self.text.value
        if path is None or view is None:
            return False
        problems, warnings = heading_problems(text, view, self.bench.language.value)
        if problems:
            head = paragraph(self.bench.t("wb_narrative_not_saved", n=len(problems)), "flag")
            self.status.value = head + _items(problems)
            return False
        try:
            if text.strip():
                write_atomic(path, text if text.endswith("\n") else text + "\n")
                done = "wb_narrative_saved"
            else:
                path.unlink(missing_ok=True)
                done = "wb_narrative_removed"
        except OSError as exc:  # a read-only folder, a full disk: said, the text stays in the box
            logger.exception("cannot save narrative %s", path)
            self.status.value = paragraph(self.bench.t("wb_narrative_failed", file=self._rel(path), error=exc), "flag")
            return False
        self.saved, self.draft = text, None
        self.drafts.pop(path, None)
        self.bench.redraw()
        self.status.value = paragraph(self.bench.t(done, file=self._rel(path)), "note") + _items(warnings)
        return True


def _items(lines: list[str]) -> str:
    return f"<ul>{''.join(f'<li>{escape(line)}</li>' for line in lines)}</ul>" if lines else ""
