"""The workbench's widget logic, without a browser: pickers, tabs, filters, compare, export, render."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from capeval import report
from capeval.batch import plan_jobs
from capeval.demo import build_demo
from capeval.i18n import t
from capeval.manifest import Programme as ManifestProgramme
from capeval.manifest import write_manifest
from capeval.parameters import parameters_from
from capeval.store import Store, build_store
from capeval.workbench import Workbench, clear_caches, report_sections, tab_sections
from capeval.workbench.query import query_of, selection_from_query
from capeval.workbench.rendering import RenderRequest, render_reports
from capeval.workbench.selection import ALL, in_wave, report_context, section_html
from tests.conftest import as_rendered

ROOT = Path(__file__).resolve().parents[1]
DEMOS = ("erasmus_partnership",)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two demo programmes with their stores built, in a folder of their own."""
    root = tmp_path_factory.mktemp("workbench") / "demo"
    for folder in build_demo(root, only=DEMOS):
        build_store(folder)
    return root


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the workbench's server serves; "render reports" writes into its reports/."""
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="module")
def shared(demo: Path, served: Path) -> Workbench:
    """One workbench for the module (its draws cached across tests); :func:`bench` resets it per test."""
    return Workbench(demo, out=served / "reports", base=served, served=(served, "/files/"))


@pytest.fixture
def bench(shared: Workbench) -> Workbench:
    """The shared workbench as just opened: English, first partner, first tab, no filter, compare or wave."""
    shared.language.value = "en"
    for control in (shared.compare, shared.wave, shared.activity_type, shared.org_kind, shared.country):
        control.value = ALL
    shared.search.value = ""
    shared.track_picker.value = ALL
    shared.partner_picker.value = partner_values(shared)[0]
    assert shared.programme is not None
    shared.min_group_size.value = shared.programme.min_group_size
    shared.tabs.selected_index = 0
    shared.renderer.scope.value = "unit"
    return shared


@pytest.fixture(scope="module")
def small_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/small with its store built, shared by the tests that only read it."""
    target = tmp_path_factory.mktemp("small") / "small"
    shutil.copytree(ROOT / "tests" / "data" / "small", target, ignore=shutil.ignore_patterns("_store", "_rejected"))
    build_store(target)
    return target


def partner_values(wb: Workbench) -> list[str]:
    return [value for _, value in wb.partner_picker.options if value != ALL]


def tab(wb: Workbench, section: str) -> str:
    index = wb.sections.index(section)
    wb.tabs.selected_index = index
    return str(wb.pages[index].value)


def show_track(wb: Workbench, index: int = 1) -> str:
    wb.track_picker.value = track = wb.track_picker.options[index][1]
    wb.partner_picker.value = ALL
    return str(track)


def test_selecting_a_programme_fills_the_track_and_partner_pickers(demo: Path, small_built: Path) -> None:
    small = small_built
    bench = Workbench(demo, folders=[small], base=demo)
    assert [value for _, value in bench.programme_picker.options] == [str(demo / n) for n in DEMOS] + [str(small)]
    bench.programme_picker.value = str(small)
    tracks = pd.read_csv(small / "tracks.csv")
    partners = pd.read_csv(small / "partners.csv")
    assert bench.track_picker.options == (("(all tracks)", ALL), *zip(tracks["name"], tracks["track_id"], strict=True))
    assert partner_values(bench) == list(partners["partner_id"])
    assert bench.partner_picker.value == partners["partner_id"].iloc[0]  # the first partner is shown
    assert bench.min_group_size.value == Store(small).config.min_group_size

    track = str(tracks["track_id"].iloc[1])
    bench.track_picker.value = track
    assert partner_values(bench) == list(partners.loc[partners["track_id"] == track, "partner_id"])
    assert bench.partner_picker.options[0] == ("— whole track —", ALL)


def test_tabs_are_the_sections_of_the_units_report_notebook() -> None:
    track = report_sections("track")
    assert track[0] == "title" and track.index("activities") < track.index("gaps_compared")
    assert "gaps" in tab_sections("partner")
    assert "gaps_compared" in tab_sections("track") and "gaps" not in tab_sections("track")
    assert {"key_findings", "headline", "tracks_compared", "waves"} <= set(tab_sections("programme"))
    assert "title" not in tab_sections("programme")  # the title is the header


def test_selecting_a_partner_redraws_the_tabs_with_the_report_functions(bench: Workbench, demo: Path) -> None:
    first, second = partner_values(bench)[:2]
    before = tab(bench, "activities"), bench.header.value
    bench.partner_picker.value = second
    after = tab(bench, "activities"), bench.header.value
    assert before != after
    partners = pd.read_csv(demo / "erasmus_partnership" / "partners.csv").set_index("partner_id")
    assert partners.at[second, "name"] in after[1]
    assert partners.at[first, "name"] not in after[1]
    ctx = report.open_report(str(demo / "erasmus_partnership"), "partner", second, language="en")
    assert after[0] == report.activities(ctx).html  # the same section as in the report
    assert tab(bench, "scaling") == report.scaling(ctx).html


@pytest.mark.parametrize("kind", ["track", "programme"])
def test_a_track_and_the_programme_have_their_reports_tabs(bench: Workbench, kind: str) -> None:
    unit = show_track(bench) if kind == "track" else (bench.partner_picker.__setattr__("value", ALL) or "")
    view = bench.current_view()
    assert view is not None and view.kind == kind
    assert bench.sections == tab_sections(view.kind)
    assert bench.programme is not None  # the report notebook opens the store, as the workbench does
    ctx = report.open_report(str(bench.programme.store), view.kind, unit or view.unit_id, language="en")
    for section in ("key_findings", "headline", "gaps_compared"):  # every tab: the slow render test
        assert tab(bench, section) == getattr(report, section)(ctx).html, section
    assert "No data for this section" not in tab(bench, "gaps_compared")


def test_the_whole_track_is_shown_when_no_partner_is_picked(bench: Workbench) -> None:
    track = show_track(bench)
    name = {v: k for k, v in bench.track_picker.options}[track]
    assert t("report_title_track", "en", name=name) in bench.header.value
    assert f"the partner reports of {name}" == bench.renderer.scope.label


def test_search_narrows_the_partner_list_and_says_how_many(bench: Workbench, demo: Path) -> None:
    partners = pd.read_csv(demo / "erasmus_partnership" / "partners.csv")
    target = partners.iloc[3]
    bench.search.value = str(target["name"]).upper()[:12]
    assert target["partner_id"] in partner_values(bench)
    assert bench.partner_picker.value == partner_values(bench)[0]
    assert f"{len(partner_values(bench))} of {len(partners)} partners listed." in bench.search_note.value
    bench.search.value = "no such partner"
    assert partner_values(bench) == []
    assert bench.partner_picker.value == ALL
    assert "No partner matches “no such partner”" in bench.search_note.value


def test_filters_by_country_kind_and_activity_type(bench: Workbench, demo: Path) -> None:
    partners = pd.read_csv(demo / "erasmus_partnership" / "partners.csv")
    activities = pd.read_csv(demo / "erasmus_partnership" / "activities.csv")
    bench.country.value = "DE"
    assert partner_values(bench) == list(partners.loc[partners["country"] == "DE", "partner_id"])
    bench.country.value = ALL
    bench.org_kind.value = "vet_school"
    assert partner_values(bench) == list(partners.loc[partners["kind"] == "vet_school", "partner_id"])
    bench.org_kind.value = ALL
    kind = sorted(activities["type"].unique())[0]
    bench.activity_type.value = kind
    with_kind = set(activities.loc[activities["type"] == kind, "partner_id"])
    assert partner_values(bench) == [p for p in partners["partner_id"] if p in with_kind]
    assert t("wb_render_not_filtered", "en") in bench.renderer.applies.value


def test_language_switch_puts_headings_and_labels_in_dutch(bench: Workbench) -> None:
    assert "Activities and reach" in tab(bench, "activities")
    bench.language.value = "nl"
    assert "Activiteiten en bereik" in tab(bench, "activities")
    assert "Evaluatierapport" in bench.header.value
    assert bench.tabs.titles[bench.sections.index("activities")] == "Activiteiten"
    assert bench.track_picker.description == "Leertraject"
    assert bench.track_picker.options[0] == ("(alle leertrajecten)", ALL)
    assert bench.renderer.button.description == "Rapporten maken"
    assert bench.min_group_size.description == "Drempel voor onderdrukking (min. groep)"


def test_a_larger_threshold_suppresses_and_the_render_line_says_so(bench: Workbench) -> None:
    hidden = t("hidden_all", "en", what=t("hidden_what_levels", "en"), min=1000)
    note = hidden.replace("'", "&#x27;").replace("1000", "1\u2009000")  # a number as the reader reads it
    assert "1\u2009000" in note and note not in tab(bench, "kirkpatrick")
    assert bench.min_group_size.continuous_update  # applied while typed, no Enter needed
    bench.min_group_size.value = 1000
    shown = tab(bench, "kirkpatrick")
    assert note in shown
    assert t("chain_unknown", "en") in shown
    request = bench.renderer.request()
    assert request is not None
    assert request.min_group_size == 1000
    expected = t("wb_render_threshold_other", "en", n=1000, default=5).replace("'", "&#x27;")
    assert expected in bench.renderer.applies.value


def test_a_wave_shows_only_its_rows_and_says_the_filter_removed_the_change(bench: Workbench) -> None:
    bench.partner_picker.value = partner_values(bench)[1]  # enough baseline respondents for a row to show
    bench.wave.value = 1
    shown = tab(bench, "kirkpatrick")
    assert t("wb_wave_removed", "en", wave="baseline").replace("'", "&#x27;") in shown
    assert "<td>baseline</td>" in shown
    assert "<td>follow-up</td>" not in shown  # the chain's rows of the other wave
    assert t("change_none", "en") not in shown  # not "no respondent answered both waves": the filter did it
    assert t("wb_wave_removed_change", "en", wave="baseline") in shown
    assert t("wb_wave_only", "en", wave="baseline") in tab(bench, "lessons")
    assert t("wb_render_not_filtered", "en") in bench.renderer.applies.value


def test_in_wave_keeps_the_rows_of_one_wave(small_built: Path) -> None:
    data = Store(small_built).unit("partner", "P3")  # responses: one row in wave 2; portfolio: two rows in wave 1
    first, second = in_wave(data, 1), in_wave(data, 2)
    assert (len(first["responses"]), len(first["portfolio"])) == (0, 2)
    assert (len(second["responses"]), len(second["portfolio"])) == (1, 0)
    assert second["responses"]["respondent_id"].tolist() == ["R4"]
    assert second["activities"].equals(data["activities"])  # activities have no wave


def test_a_partner_beside_its_track(bench: Workbench, demo: Path) -> None:
    partner = partner_values(bench)[0]
    partners = pd.read_csv(demo / "erasmus_partnership" / "partners.csv").set_index("partner_id")
    track = str(partners.at[partner, "track_id"])
    assert bench.compare.options[1][1] == f"track:{track}"  # its own track is offered first
    bench.compare.value = f"track:{track}"
    page = tab(bench, "gaps")
    ctx = report.open_report(str(demo / "erasmus_partnership"), "track", track, language="en")
    assert page.startswith('<div class="wb-compare">')
    assert report.gaps_compared(ctx).html in page  # the track's gaps comparison beside the partner's gaps
    assert str(partners.at[partner, "name"]) in page


def test_export_the_tabs_tables_and_figure(bench: Workbench) -> None:
    page = tab(bench, "activities")
    tables = pd.read_html(io.StringIO(page), flavor="lxml", thousands="\u2009")
    csvs = bench.export.export("csv")
    assert len(csvs) == len(tables) > 0
    first = pd.read_csv(io.BytesIO(csvs[0].data))
    assert list(first.columns) == list(tables[0].columns)
    assert first.astype(str).values.tolist() == tables[0].astype(str).values.tolist()
    assert 'download="erasmus_partnership_' in bench.export.links.value
    book = openpyxl.load_workbook(io.BytesIO(bench.export.export("xlsx")[0].data))
    assert len(book.sheetnames) == len(tables)

    tab(bench, "scaling")  # the spider diagram
    png, svg = bench.export.export("png"), bench.export.export("svg")
    assert len(png) == len(svg) == 1
    assert png[0].data.startswith(b"\x89PNG") and b"<svg" in svg[0].data
    href = bench.export.links.value.split('href="', 1)[1].split('"', 1)[0]
    assert base64.b64decode(href.split(",", 1)[1]) == svg[0].data


def test_the_selection_round_trips_through_the_query_string(bench: Workbench, demo: Path) -> None:
    track = show_track(bench, 2)
    tab(bench, "partners_compared")
    bench.language.value = "nl"
    selection = bench.selection()
    query = query_of(selection)
    assert query == f"programme=erasmus_partnership&track={track}&tab=partners_compared&language=nl"
    assert bench.bridge.query == query
    other = Workbench(demo, base=demo)
    other.apply_selection(selection_from_query("?" + query))
    assert other.selection() == {**selection, "partner": ""}
    assert other.tabs.titles[other.tabs.selected_index] == "Partners vergeleken"


def test_a_second_look_is_served_from_the_cache(bench: Workbench) -> None:
    first, second = partner_values(bench)[:2]
    clear_caches()
    bench.partner_picker.value = second
    bench.partner_picker.value = first
    reads, drawn = report_context.cache_info(), section_html.cache_info()
    bench.partner_picker.value = second
    assert report_context.cache_info().misses == reads.misses  # no store read
    assert section_html.cache_info().misses == drawn.misses
    assert section_html.cache_info().hits == drawn.hits + 2  # the header and the open tab


def test_adding_a_folder_relative_to_the_base_and_a_broken_one(demo: Path, small_built: Path) -> None:
    small = small_built
    bench = Workbench(demo, base=small.parent)
    bench.folder.value = "."
    bench.add_folder.click()
    assert "is not a programme folder" in bench.message.value
    bench.folder.value = "small"  # from the base, not from notebooks/
    bench.add_folder.click()
    assert bench.programme_picker.value == str(small.resolve())
    assert partner_values(bench) == ["P1", "P2", "P3"]

    twin = shutil.copytree(small, small.parent / "copy" / "small", ignore=shutil.ignore_patterns("_store"))
    broken = shutil.copytree(small, small.parent / "broken", ignore=shutil.ignore_patterns("_store"))
    bench.folder.value = str(twin)
    bench.add_folder.click()
    labels = [label for label, _ in bench.programme_picker.options]
    assert {"small (copy/)", f"small ({small.parent.name}/)"} <= set(labels)  # same names told apart
    (broken / "partners.csv").write_text("partner_id,name,kind,country,track_id\n", encoding="utf-8")
    bench.folder.value = str(broken)
    bench.add_folder.click()
    assert "no valid partner rows" in bench.message.value  # the store's own error, shown
    assert bench.programme is None and bench.header.value == ""
    assert bench.tabs.children == () and bench.track_picker.options == ()
    assert bench.renderer.button.disabled and all(b.disabled for b in bench.export.buttons.values())
    bench.programme_picker.value = str(small.resolve())  # another programme brings everything back
    assert not bench.renderer.button.disabled and bench.sections


def test_notebooks_are_shipped_without_outputs() -> None:
    for name in ("explore.ipynb", "app.ipynb"):
        notebook = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
        code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
        assert code and all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code), name
        assert "widgets" not in notebook["metadata"], name  # no saved widget state


@pytest.mark.slow
def test_render_the_track_and_programme_reports_hold_every_tab(bench: Workbench, served: Path) -> None:
    """The track and programme reports rendered from the workbench hold every tab as the workbench drew it."""
    track = show_track(bench)
    bench.renderer.scope.value = "track"
    run = bench.renderer.start()
    assert run is not None
    assert bench.renderer.button.disabled
    assert run.join(timeout=300)
    assert not bench.renderer.button.disabled
    assert "1 rendered" in bench.renderer.status.value, bench.renderer.status.value
    assert bench.renderer.progress.value == bench.renderer.progress.max == 1
    links = bench.renderer.links.value
    assert f'href="/files/reports/erasmus_partnership/tracks/{track}.html"' in links
    folder = served / "reports" / "erasmus_partnership"
    html = as_rendered((folder / "tracks" / f"{track}.html").read_text(encoding="utf-8"))
    for section in bench.sections:
        if section != "provenance":  # its time of rendering differs
            assert as_rendered(tab(bench, section)) in html, section

    bench.track_picker.value = ALL  # the whole programme
    bench.renderer.scope.value = "programme"
    run = bench.renderer.start()
    assert run is not None and run.join(timeout=300)
    assert "1 rendered" in bench.renderer.status.value, bench.renderer.status.value
    html = as_rendered((folder / "programme" / "erasmus_partnership.html").read_text(encoding="utf-8"))
    for section in bench.sections:
        if section != "provenance":
            assert as_rendered(tab(bench, section)) in html, section
    assert not list((served / "reports").rglob(".ipynb_checkpoints"))


@pytest.mark.slow
def test_render_works_with_an_event_loop_running_in_the_calling_thread(bench: Workbench, tmp_path: Path) -> None:
    """As in a Jupyter kernel: the button is clicked, and the batch called, on a thread running an event loop."""
    bench.partner_picker.value = first = partner_values(bench)[0]

    async def click_and_wait() -> str:
        asyncio.get_running_loop()  # the loop a kernel runs
        bench.renderer.button.click()
        assert bench.renderer.run is not None
        assert await asyncio.to_thread(bench.renderer.run.join, 180)
        return str(bench.renderer.status.value)

    assert "1 rendered" in asyncio.run(click_and_wait())

    assert bench.programme is not None
    request = RenderRequest(bench.programme.folder, "erasmus_partnership", tmp_path / "direct", (first,), "nl")

    async def render_directly() -> list[str]:
        return [e.status for e in render_reports(request).entries]

    assert asyncio.run(render_directly()) == ["ok"]


def test_a_render_at_another_threshold_says_so_in_its_report_and_manifest(small_built: Path, tmp_path: Path) -> None:
    """Defect 4: a threshold other than the programme's (2 here) is in the method notes and the manifest."""
    own = plan_jobs(parameters_from({"programme": str(small_built)}), partners=["P1"])[0]
    other = plan_jobs(parameters_from({"programme": str(small_built), "min_group_size": 8}), partners=["P1"])[0]
    write_manifest(tmp_path, ManifestProgramme("small", "Small", "en"), [other.entry("ok")])
    assert [r["min_group_size"] for r in json.loads((tmp_path / "manifest.json").read_text())["reports"]] == [8]
    assert own.entry("ok").min_group_size is None  # the programme's own: nothing to mark
    ctx = report.open_report(str(small_built / "_store"), "partner", "P1", language="en", min_group_size=8)
    stated = t("rel_rule_threshold", "en", min=8, programme=2).replace("'", "&#x27;")
    assert stated in report.method_notes(ctx).html
