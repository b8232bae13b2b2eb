"""The workbench's widget logic, without a browser: pickers, tabs, language, thresholds, cache, render."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from capeval import report
from capeval.demo import build_demo
from capeval.i18n import t
from capeval.store import Store, build_store
from capeval.workbench import Workbench, clear_caches
from capeval.workbench.rendering import RenderRequest, render_reports
from capeval.workbench.selection import ALL, SECTIONS, in_wave, report_context, section_html

DEMOS = ("erasmus_partnership", "expertise_pilots")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two demo programmes with their stores built, in a folder of their own."""
    root = tmp_path_factory.mktemp("workbench") / "demo"
    for folder in build_demo(root, only=DEMOS):
        build_store(folder)
    return root


@pytest.fixture
def bench(demo: Path, tmp_path: Path) -> Workbench:
    clear_caches()
    return Workbench(demo, out=tmp_path / "reports")


def partner_values(wb: Workbench) -> list[str]:
    return [value for _, value in wb.partner_picker.options if value != ALL]


def tab(wb: Workbench, section: str) -> str:
    index = list(SECTIONS).index(section)
    wb.tabs.selected_index = index
    return str(wb.pages[index].value)


def test_selecting_a_programme_fills_the_track_and_partner_pickers(bench: Workbench, demo: Path) -> None:
    assert [value for _, value in bench.programme_picker.options] == [str(demo / name) for name in DEMOS]
    bench.programme_picker.value = str(demo / "expertise_pilots")
    tracks = pd.read_csv(demo / "expertise_pilots" / "tracks.csv")
    partners = pd.read_csv(demo / "expertise_pilots" / "partners.csv")
    assert bench.track_picker.options == (("(all tracks)", ALL), *zip(tracks["name"], tracks["track_id"], strict=True))
    assert partner_values(bench) == list(partners["partner_id"])
    assert bench.partner_picker.value == partners["partner_id"].iloc[0]  # the first partner is shown
    assert bench.min_group_size.value == Store(demo / "expertise_pilots").config.min_group_size

    track = str(tracks["track_id"].iloc[1])
    bench.track_picker.value = track
    assert partner_values(bench) == list(partners.loc[partners["track_id"] == track, "partner_id"])
    assert bench.partner_picker.options[0] == ("— whole track —", ALL)


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


def test_the_whole_track_is_shown_when_no_partner_is_picked(bench: Workbench) -> None:
    bench.track_picker.value = track = bench.track_picker.options[1][1]
    bench.partner_picker.value = ALL
    name = {v: k for k, v in bench.track_picker.options}[track]
    assert t("report_title_track", "en", name=name) in bench.header.value
    assert "Renders the" in bench.render_scope.value


def test_search_narrows_the_partner_list(bench: Workbench, demo: Path) -> None:
    partners = pd.read_csv(demo / "erasmus_partnership" / "partners.csv")
    target = partners.iloc[3]
    bench.search.value = str(target["name"]).upper()[:12]
    assert target["partner_id"] in partner_values(bench)
    assert bench.partner_picker.value == partner_values(bench)[0]
    bench.search.value = "no such partner"
    assert partner_values(bench) == []
    assert bench.partner_picker.value == ALL


def test_language_switch_puts_headings_and_labels_in_dutch(bench: Workbench) -> None:
    assert "Activities and reach" in tab(bench, "activities")
    bench.language.value = "nl"
    assert "Activiteiten en bereik" in tab(bench, "activities")
    assert "Evaluatierapport" in bench.header.value
    assert bench.tabs.titles[0] == "Activiteiten"
    assert bench.track_picker.description == "Leertraject"
    assert bench.track_picker.options[0] == ("(alle leertrajecten)", ALL)
    assert bench.render_button.description == "Rapporten maken"


def test_a_larger_minimum_group_size_suppresses(bench: Workbench) -> None:
    note = t("suppressed_note", "en", min=1000)
    assert note not in tab(bench, "kirkpatrick")
    bench.min_group_size.value = 1000
    shown = tab(bench, "kirkpatrick")
    assert note in shown
    assert t("chain_unknown", "en") in shown
    request = bench.render_request()
    assert request is not None
    assert request.min_group_size == 1000


def test_a_wave_shows_only_its_rows_and_says_what_that_means(bench: Workbench) -> None:
    bench.wave.value = 1
    shown = tab(bench, "kirkpatrick")
    assert t("wb_wave_note_kirkpatrick", "en", wave="baseline") in shown
    assert "<td>baseline</td>" in shown
    assert "<td>follow-up</td>" not in shown  # the chain's rows of the other wave
    assert t("change_none", "en") in shown
    assert t("wb_wave_only", "en", wave="baseline") in tab(bench, "gaps")


def test_in_wave_keeps_the_rows_of_one_wave(small: Path) -> None:
    build_store(small)
    data = Store(small).unit("partner", "P3")  # responses: one row in wave 2; portfolio: two rows in wave 1
    first, second = in_wave(data, 1), in_wave(data, 2)
    assert (len(first["responses"]), len(first["portfolio"])) == (0, 2)
    assert (len(second["responses"]), len(second["portfolio"])) == (1, 0)
    assert second["responses"]["respondent_id"].tolist() == ["R4"]
    assert second["activities"].equals(data["activities"])  # activities have no wave


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


def test_adding_a_folder(bench: Workbench, small: Path) -> None:
    bench.folder.value = str(small.parent)
    bench.add_folder.click()
    assert "is not a programme folder" in bench.message.value
    bench.folder.value = str(small)
    bench.add_folder.click()
    assert bench.programme_picker.value == str(small)
    assert partner_values(bench) == ["P1", "P2", "P3"]

    broken = shutil.copytree(small, small.parent / "broken", ignore=shutil.ignore_patterns("_store"))
    (broken / "partners.csv").write_text("partner_id,name,kind,country,track_id\n", encoding="utf-8")
    bench.folder.value = str(broken)
    bench.add_folder.click()
    assert "no valid partner rows" in bench.message.value  # the store's own error, shown
    assert bench.programme is None
    assert bench.header.value == ""


@pytest.mark.slow
def test_render_button_writes_the_selected_partners_report(bench: Workbench, demo: Path, tmp_path: Path) -> None:
    second = partner_values(bench)[1]
    bench.partner_picker.value = second
    run = bench.render()
    assert run is not None
    assert bench.render_button.disabled
    assert run.join(timeout=180)
    assert not bench.render_button.disabled
    assert "1 rendered" in bench.render_status.value, bench.render_status.value
    html = tmp_path / "reports" / "erasmus_partnership" / "partners" / f"{second}.html"
    name = pd.read_csv(demo / "erasmus_partnership" / "partners.csv").set_index("partner_id").at[second, "name"]
    assert name in html.read_text(encoding="utf-8")
    assert [p.name for p in (tmp_path / "reports" / "erasmus_partnership" / "partners").iterdir()] == [html.name]
    assert bench.progress.value == bench.progress.max == 1
    links = bench.links.outputs[0]["data"]["text/html"]
    assert f'href="{Path(os.path.relpath(html, Path.cwd())).as_posix()}"' in links


@pytest.mark.slow
def test_render_works_with_an_event_loop_running_in_the_calling_thread(bench: Workbench, tmp_path: Path) -> None:
    """As in a Jupyter kernel: the button is clicked, and the batch called, on a thread running an event loop."""
    bench.partner_picker.value = first = partner_values(bench)[0]

    async def click_and_wait() -> str:
        asyncio.get_running_loop()  # the loop a kernel runs
        bench.render_button.click()
        assert bench.render_run is not None
        assert await asyncio.to_thread(bench.render_run.join, 180)
        return str(bench.render_status.value)

    assert "1 rendered" in asyncio.run(click_and_wait())

    assert bench.programme is not None
    request = RenderRequest(bench.programme.folder, "erasmus_partnership", tmp_path / "direct", (first,), "nl")

    async def render_directly() -> list[str]:
        return [e.status for e in render_reports(request).entries]

    assert asyncio.run(render_directly()) == ["ok"]
