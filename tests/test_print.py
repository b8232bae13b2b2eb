"""A demo partner report printed to A4 by Debian's chromium: short, with the front page a reader expects."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
MAX_PAGES = 10  # issue 14: the municipal demo partner report MUN01 in at most 10 A4 pages


@pytest.fixture(scope="module")
def printed(demo_reports: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    """MUN01's report printed; the text lines of each page."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium at /usr/bin/chromium (make browser installs it)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from pypdf import PdfReader

    from capeval.pdf import print_reports

    page = tmp_path_factory.mktemp("print") / "MUN01.html"
    shutil.copyfile(demo_reports[1] / "municipal_tracks" / "partners" / "MUN01.html", page)
    (pdf,) = print_reports([page])
    return [[line.strip() for line in p.extract_text().splitlines() if line.strip()] for p in PdfReader(pdf).pages]


def test_municipal_partner_report_prints_in_at_most_ten_pages(printed: list[list[str]]) -> None:
    assert 2 <= len(printed) <= MAX_PAGES


def test_page_one_holds_title_contents_and_key_findings_and_nothing_after(printed: list[list[str]]) -> None:
    first = printed[0]
    assert first[0] == "Evaluatierapport: Gemeente Lindebeke"
    assert "Inhoud" in first and "Belangrijkste bevindingen" in first
    assert first.index("Inhoud") < first.index("Belangrijkste bevindingen")
    assert printed[1][0] == "Activiteiten en bereik"  # the first section opens page 2


def test_no_page_holds_only_a_heading_or_two_lines(printed: list[list[str]]) -> None:
    short = {number: lines for number, lines in enumerate(printed, start=1) if len(lines) <= 2}
    assert short == {}
    assert printed[-1][-1].startswith("Gemaakt op")  # the provenance ends the last page, with its heading
    assert "Herkomst" in printed[-1]


def test_the_evaluators_narrative_is_printed(printed: list[list[str]]) -> None:
    text = " ".join(line for page in printed for line in page)
    assert "Tekst van de evaluator" in text  # the demo's narrative/partners/MUN01.md, marked as the evaluator's
    assert "Lindebeke nam deel aan vijf sessies van het leertraject" in text
