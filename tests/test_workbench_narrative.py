"""The evaluator's narrative in the workbench: open the unit's file, check its headings, save, see it in place."""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from capeval import report
from capeval.batch import plan_jobs
from capeval.store import build_store
from capeval.workbench import Workbench
from capeval.workbench.selection import ALL, View
from tests.conftest import as_rendered

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/small with its store built, in a folder of programmes of its own."""
    target = tmp_path_factory.mktemp("narrative") / "programmes" / "small"
    shutil.copytree(DATA / "small", target, ignore=shutil.ignore_patterns("_store", "_rejected"))
    build_store(target)
    return target


@pytest.fixture(scope="module")
def shared(programme: Path) -> Workbench:
    served = programme.parent.parent
    return Workbench(programme.parent, out=served / "reports", base=served, served=(served, "/files/"))


@pytest.fixture
def bench(shared: Workbench, programme: Path) -> Iterator[Workbench]:
    """The shared workbench on partner P1 in English, with no narrative written; what a test writes is removed."""
    shared.language.value = "en"
    shared.track_picker.value = ALL
    shared.partner_picker.value = "P1"
    yield shared
    shutil.rmtree(programme / "narrative", ignore_errors=True)
    shared.narrative.drafts.clear()
    shared.narrative.discard()
    shared.redraw()


def tab(wb: Workbench, section: str) -> str:
    wb.tabs.selected_index = wb.sections.index(section)
    return str(wb.pages[wb.sections.index(section)].value)


def status(wb: Workbench) -> str:
    return html.unescape(str(wb.narrative.status.value))


def test_the_editor_opens_the_file_the_units_report_shows(bench: Workbench, programme: Path) -> None:
    editor, folder = bench.narrative, programme / "narrative" / "partners"
    assert editor.path == folder / "P1.md" and editor.text.value == ""  # none yet: the one for every language
    assert [value for _, value in editor.file.options] == [str(folder / "P1.md"), str(folder / "P1.en.md")]
    assert editor.file.label == "narrative/partners/P1.md (every language)"
    folder.mkdir(parents=True)
    (folder / "P2.md").write_text("For every language.\n", encoding="utf-8")
    (folder / "P2.en.md").write_text("Only in English.\n", encoding="utf-8")
    bench.partner_picker.value = "P2"
    assert editor.path == folder / "P2.en.md" and editor.text.value == "Only in English.\n"  # as the report
    bench.language.value = "nl"
    assert editor.path == folder / "P2.md" and editor.text.value == "For every language.\n"
    assert editor.file.label == "narrative/partners/P2.md (elke taal)"
    bench.partner_picker.value = ALL  # the whole programme
    assert editor.path == programme / "narrative" / "programme.md"


def test_a_heading_that_names_no_place_stops_the_save_with_its_line(bench: Workbench, programme: Path) -> None:
    editor = bench.narrative
    editor.text.value = "Opening words.\n\n## Activities\nReach.\n\n## Nonsense\nLost.\n"
    assert "Changed, not saved yet." in status(bench)
    assert not editor.save()
    assert not (programme / "narrative").exists()  # nothing written
    shown = status(bench)
    assert "Not saved: one problem, nothing was written." in shown
    assert "Line 6: '## Nonsense' names no place in the report; use one of ## Summary, ## Activities" in shown
    assert editor.text.value.endswith("Lost.\n")  # the text stays in the box


def test_saved_text_shows_in_the_tabs_where_the_report_places_it(bench: Workbench, programme: Path) -> None:
    editor = bench.narrative
    text = "Opening words.\n\n## Activities\nReach was *wide*.\n\n## Tracks compared\nNot in a partner's report.\n"
    before = {job.unit_id: job.input_hash for job in plan_jobs(programme)}
    editor.text.value = text
    assert editor.save()
    assert (programme / "narrative" / "partners" / "P1.md").read_text(encoding="utf-8") == text
    shown = status(bench)
    assert "Saved in narrative/partners/P1.md." in shown
    assert "Line 6: this report has no place 'Tracks compared'; the text under it is not shown." in shown
    assert bench.programme is not None
    ctx = report.open_report(str(bench.programme.store), "partner", "P1", language="en")
    page = tab(bench, "activities")
    assert "<p>Reach was <em>wide</em>.</p>" in page
    assert page == report.activities(ctx).html  # placed as the report places it
    assert "Opening words." in tab(bench, "key_findings")  # the summary comes before the key findings
    after = {job.unit_id: job.input_hash for job in plan_jobs(programme)}
    assert [unit for unit in before if before[unit] != after[unit]] == ["P1"]  # only P1's report renders again


def test_a_preview_shows_the_unsaved_text_in_place_and_writes_nothing(bench: Workbench, programme: Path) -> None:
    editor = bench.narrative
    editor.text.value = "## Activities\nPreviewed *here*.\n"
    assert editor.preview()
    assert "<p>Previewed <em>here</em>.</p>" in tab(bench, "activities")
    assert "The tabs show this text where the report will place it; it is not saved yet." in status(bench)
    assert not (programme / "narrative").exists()
    editor.text.value += "\n## Nonsense\n"  # typing ends the preview
    assert "Previewed" not in tab(bench, "activities")
    assert not editor.preview() and "Line 4: '## Nonsense' names no place" in status(bench)
    editor.text.value = "## Activities\nPreviewed *here*.\n"
    assert editor.preview()
    previewed = tab(bench, "activities")
    assert editor.save()
    assert tab(bench, "activities") == previewed  # the preview is what the saved file shows


def test_unsaved_text_waits_while_another_unit_is_shown(bench: Workbench) -> None:
    editor = bench.narrative
    editor.text.value = "Draft for P1.\n"
    bench.partner_picker.value = "P2"
    assert editor.text.value == "" and status(bench) == ""
    bench.partner_picker.value = "P1"
    assert editor.text.value == "Draft for P1.\n" and "Changed, not saved yet." in status(bench)
    editor.discard()
    assert editor.text.value == "" and status(bench) == ""


def test_dutch_headings_and_an_empty_text_removes_the_file(bench: Workbench, programme: Path) -> None:
    editor = bench.narrative
    bench.language.value = "nl"
    editor.file.value = str(programme / "narrative" / "partners" / "P1.nl.md")
    editor.text.value = "## Activiteiten\nVeel bereik.\n\n## Reactie van het management\nWe gaan door.\n"
    assert editor.save()
    assert "Veel bereik." in tab(bench, "activities")
    assert "We gaan door." in tab(bench, "actions")  # the management response follows the actions
    editor.text.value = "  \n"
    assert editor.save()
    assert not (programme / "narrative" / "partners" / "P1.nl.md").exists()
    assert "narrative/partners/P1.nl.md verwijderd" in status(bench)
    assert "Veel bereik." not in tab(bench, "activities")


def test_a_view_changes_with_its_narrative_only() -> None:
    """The drawn-section cache is keyed on the view; a saved narrative is another view of the unit."""
    first = View("store", 1, "partner", "P1", "en", 5, None, "a")
    assert first != View("store", 1, "partner", "P1", "en", 5, None, "b")
    assert first == View("store", 1, "partner", "P1", "en", 5, None, "a")


@pytest.mark.slow
def test_a_saved_narrative_is_in_the_rendered_report_and_only_its_report_renders_again(
    bench: Workbench, programme: Path
) -> None:
    renderer = bench.renderer
    renderer.scope.value = "chosen"
    renderer.chosen.value = ("P1", "P2")
    run = renderer.start()
    assert run is not None and run.join(timeout=300)
    assert "2 rendered" in renderer.status.value, renderer.status.value
    bench.narrative.text.value = "## Activities\nReach was *wide*.\n"
    assert bench.narrative.save()
    run = renderer.start()
    assert run is not None and run.join(timeout=300)
    assert "1 rendered, 1 unchanged" in renderer.status.value, renderer.status.value
    page = (programme.parent.parent / "reports" / "small" / "partners" / "P1.html").read_text(encoding="utf-8")
    assert "<p>Reach was <em>wide</em>.</p>" in page
    assert as_rendered(tab(bench, "activities")) in as_rendered(page)  # the tab as the report shows it
