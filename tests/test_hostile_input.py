"""No script from data: hostile text in names, tracks and lessons is shown as text, never run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from matplotlib.text import Text

from capeval.cli import main
from capeval.figures import gap_bars, png_bytes, scaling_radar
from tests.conftest import DATA

pytestmark = pytest.mark.slow

SCRIPT = "<script>console.log('XSS-MARKER');alert(1)</script>"
IMG = "<img src=x onerror=\"console.log('XSS-MARKER');alert(2)\">"
LINK = "[click me](javascript:console.log('XSS-MARKER'))"
MIXED = "**bold** <b onmouseover=alert(3)>html</b> `code` <iframe src=javascript:alert(4)></iframe>"


CONTACT_DOMAIN = "policy (ask jöran@bücher.de or 06-12345678)"
CONTACT_ARTEFACT = "manual by jan [at] example [dot] org, IBAN nl91abna0417164300, BSN 111222333"


def csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "small"
    shutil.copytree(DATA / "small", folder, ignore=shutil.ignore_patterns("_store", "_rejected"))
    partners = (folder / "partners.csv").read_text(encoding="utf-8")
    partners = partners.replace("Alpha Agency", csv_cell(f"Alpha {SCRIPT}")).replace("Beta Board", csv_cell(IMG))
    (folder / "partners.csv").write_text(partners, encoding="utf-8")
    tracks = (folder / "tracks.csv").read_text(encoding="utf-8").replace("Procurement", csv_cell(f"Proc {IMG}"))
    (folder / "tracks.csv").write_text(tracks, encoding="utf-8")
    lessons = ["lesson_id,partner_id,track_id,wave,method,domain,what_changed,significance,consent_to_quote,artefact"]
    for i, text in enumerate([SCRIPT, IMG, LINK, MIXED, "Mail me at jan@example.org or +31 6 12345678"]):
        domain = IMG if i == 0 else CONTACT_DOMAIN if i == 1 else "policy"
        lessons.append(
            f"L{i},P1,T1,1,msc,{csv_cell(domain)},{csv_cell(text)},{csv_cell(MIXED)},yes,{csv_cell(CONTACT_ARTEFACT)}"
        )
    (folder / "lessons.csv").write_text("\n".join(lessons) + "\n", encoding="utf-8")
    out = root / "reports"
    assert main(["run", "--programme", str(folder), "--out", str(out), "--quiet", "--workers", "2"]) == 0
    return out / "small"


def test_hostile_text_is_escaped_in_the_html(hostile: Path) -> None:
    for page in [hostile / "partners" / "P1.html", hostile / "partners" / "P2.html", hostile / "index.html"]:
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.replace("<script>\n// Filter", "")  # only the index's own filter script
        assert "<img src=x" not in html and "<iframe" not in html and "<b onmouseover" not in html
        assert 'href="javascript:' not in html.lower()


def test_hostile_text_reaches_the_page_as_text(hostile: Path) -> None:
    html = (hostile / "partners" / "P1.html").read_text(encoding="utf-8")
    assert "Alpha &lt;script&gt;console.log" in html  # the partner name, escaped
    assert "[click me](javascript:console.log(" in html  # Markdown is not rendered into a link
    assert "**bold** &lt;b onmouseover=alert(3)&gt;html&lt;/b&gt;" in html  # nor is HTML


def test_redacted_contacts_in_quotes(hostile: Path) -> None:
    html = (hostile / "partners" / "P1.html").read_text(encoding="utf-8")
    assert "jan@example.org" not in html and "12345678" not in html


def test_contact_details_in_every_text_field_are_redacted(hostile: Path) -> None:
    pages = [hostile / "partners" / "P1.html", *(hostile / "tracks").glob("*.html"), *(hostile / "programme").iterdir()]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for secret in ("bücher", "06-12345678", "[at] example", "nl91abna", "111222333"):
            assert secret not in html, (page.name, secret)
    html = (hostile / "partners" / "P1.html").read_text(encoding="utf-8")
    assert "policy (ask [e-mail removed] or [phone number removed])" in html  # the domain, redacted
    assert "manual by [e-mail removed], IBAN [account number removed], BSN [ID number removed]" in html


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium at /usr/bin/chromium")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield instance
        instance.close()


@pytest.mark.browser
@pytest.mark.parametrize("page_name", ["partners/P1.html", "partners/P2.html", "index.html"])
def test_no_script_runs_in_a_real_browser(browser: Any, hostile: Path, page_name: str) -> None:
    page = browser.new_page()
    events: list[str] = []
    page.on("dialog", lambda dialog: (events.append("dialog:" + dialog.message), dialog.dismiss()))
    page.on("console", lambda msg: events.append("console:" + msg.text))
    page.goto((hostile / page_name).as_uri(), wait_until="load")
    page.mouse.move(10, 10)
    page.wait_for_timeout(300)
    assert not [e for e in events if "XSS-MARKER" in e or e.startswith("dialog:")]
    text = page.inner_text("body")
    if page_name == "partners/P1.html":
        assert "Alpha <script>console.log('XSS-MARKER');alert(1)</script>" in text  # shown as text
    if page_name == "partners/P2.html":
        assert IMG in text
    page.close()


MATH = ["Training (US$ 5k) and coaching (US$ 2k)", r"Budget $\undefinedcommand$", r"$\frac{a}{b}$ partner"]


def test_figure_text_from_data_is_never_read_as_mathtext() -> None:
    gaps = pd.DataFrame({"label": MATH, "gap": [1.0, 2.0, 3.0], "median_gap": [1.0, float("nan"), 2.0]})
    figure = gap_bars(gaps, label_column="label", gap_label=MATH[1], median_label=MATH[2], axis_title=MATH[0])
    figure.canvas.draw()
    texts = [t for t in figure.findobj(Text) if "$" in t.get_text()]
    assert {t.get_text() for t in texts} >= set(MATH) and not [t for t in texts if t.get_parse_math()]
    assert png_bytes(figure).startswith(b"\x89PNG")  # mathtext would raise on \undefinedcommand
    scores = pd.DataFrame({"label": MATH, "mean": [2.0, 3.0, 4.0], "median": [3.0, 3.0, 3.0]})
    radar = scaling_radar(scores, label_column="label", unit_label=MATH[1], benchmark_label=MATH[2])
    assert png_bytes(radar).startswith(b"\x89PNG")
