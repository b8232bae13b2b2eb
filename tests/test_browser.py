"""What only a browser shows: reports and index pages opened from disk in Debian's chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium at /usr/bin/chromium (make browser installs it)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield instance
        instance.close()


class Visit:
    """A page opened from file://, with every console error and non-local request recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.remote: list[str] = []
        self.page = browser.new_page(viewport={"width": 1000, "height": 900})
        self.page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("request", self._request)
        self.page.goto(path.as_uri(), wait_until="load")

    def _request(self, request: Any) -> None:
        if not request.url.startswith(("file:", "data:", "about:")):
            self.remote.append(request.url)

    def images_loaded(self) -> bool:
        script = "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)"
        return bool(self.page.evaluate(script))


def every_page(reports: Path) -> list[Path]:
    return sorted(p for p in reports.rglob("*.html") if "_failed" not in p.parts)


def test_every_page_opens_offline_without_errors(browser: Any, rendered_small: Path) -> None:
    pages = every_page(rendered_small)
    assert len(pages) == 8  # root index, programme index, three partner, two track and the programme report
    for path in pages:
        visit = Visit(browser, path)
        assert visit.errors == [], path
        assert visit.remote == [], path
        assert visit.images_loaded(), path
        visit.page.close()


def test_table_of_contents_links_reach_their_sections(browser: Any, rendered_small: Path, tmp_path: Path) -> None:
    visit = Visit(browser, rendered_small / "small" / "partners" / "P1.html")
    page = visit.page
    links = page.locator("nav.toc a")
    assert links.count() >= 3
    for i in range(links.count()):
        link = links.nth(i)
        target = str(link.get_attribute("href"))
        link.click()
        assert page.evaluate("location.hash") == target
        top = page.evaluate(f"document.getElementById({target[1:]!r}).getBoundingClientRect().top")
        at_bottom = page.evaluate("window.scrollY + window.innerHeight >= document.body.scrollHeight - 2")
        assert abs(top) < 5 or (at_bottom and 0 <= top < 900), f"{target} not brought into view (top={top})"
    shot = tmp_path / "partner-report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    page.close()


def test_index_search_and_filters(browser: Any, rendered_small: Path) -> None:
    visit = Visit(browser, rendered_small / "small" / "index.html")
    page = visit.page
    visible = "Array.from(document.querySelectorAll('#reports tbody tr')).filter(r => !r.hidden).length"
    assert page.evaluate(visible) == 6  # the programme, two tracks, three partners
    page.fill("#search", "beta")
    assert page.evaluate(visible) == 1
    assert page.locator("#reports tbody tr:not([hidden]) a").inner_text() == "Beta Board"
    page.fill("#search", "track")
    assert page.evaluate(visible) == 2  # the kind column
    page.fill("#search", "")
    page.select_option("#track", "T1")
    assert page.evaluate(visible) == 3  # the track report and its two partners
    page.select_option("#status", "failed")
    assert page.evaluate(visible) == 0
    assert page.locator("#shown").inner_text() == "0"
    page.close()


def test_links_work_after_copying_the_folder(browser: Any, rendered_small: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere"
    shutil.copytree(rendered_small, copy)
    visit = Visit(browser, copy / "index.html")
    page = visit.page
    page.click("text=Small test programme")
    page.click("text=Gamma Group")
    assert page.url == (copy / "small" / "partners" / "P3.html").as_uri()
    assert "Evaluation report: Gamma Group" in page.inner_text("h1")
    page.go_back()
    page.click('#reports a[href="tracks/T2.html"]')
    assert page.url == (copy / "small" / "tracks" / "T2.html").as_uri()
    page.go_back()
    page.click('#reports a[href="programme/small.html"]')
    assert page.url == (copy / "small" / "programme" / "small.html").as_uri()
    assert "Programme report: Small test programme" in page.inner_text("h1")
    assert visit.errors == [] and visit.remote == []
    page.close()
