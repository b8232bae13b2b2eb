"""Word and XLSX exports of a report page: the same headings, tables, figures and suppression as the HTML."""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from capeval.errors import ParameterError
from capeval.export import chosen_formats
from capeval.export.appendix import activity_reach, item_wording, programme_codebook
from capeval.export.page import Bullets, Heading, Pairs, Paragraph, Picture, read_report
from capeval.export.word import report_docx
from capeval.export.workbook import report_workbook, shown_value
from capeval.schema import ProgrammeConfig

# a 1×1 PNG: the smallest figure a page can embed
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PAGE = f"""<!DOCTYPE html><html lang="nl"><head><title>x</title><style>h1 {{}}</style></head><body>
<main class="report"><h1 id="title">Evaluatierapport: Alfa</h1>
<dl><dt>Programma</dt><dd>Proef</dd><dt>Land</dt><dd>België</dd></dl>
<nav class="toc"><h2 id="contents">Inhoud</h2><ol><li><a href="#findings">Bevindingen</a></li></ol></nav>
<h2 id="findings">Bevindingen</h2><ul class="findings"><li>Eerste   bevinding</li><li>Tweede</li></ul>
<h2 id="activities">Activiteiten</h2><p>Vijf <b>activiteiten</b>.</p>
<h3 id="per-type">Per soort</h3>
<table class="data"><thead><tr><th scope="col">Soort</th><th scope="col">Deelnames</th><th>Aandeel</th></tr></thead>
<tbody><tr><td>werkbezoek</td><td class="num">1&#8239;234</td><td class="num">36&nbsp;%</td></tr>
<tr><td>=HYPERLINK("x")</td><td class="num">–</td><td class="num">–</td></tr></tbody></table>
<p class="no-data">Geen gegevens voor dit onderdeel.</p>
<figure><img src="data:image/png;base64,{base64.b64encode(PNG).decode()}" alt="Staafdiagram van de hiaten">
<figcaption>Hiaten per dienst</figcaption></figure>
<footer class="provenance"><h2 id="provenance">Herkomst</h2><dl><dt>capeval-versie</dt><dd>0.1.0</dd></dl>
<p class="rendered-at">Gemaakt op: 2026-01-01</p></footer></main></body></html>"""


def test_the_page_read_back_as_blocks_in_reading_order() -> None:
    page = read_report(PAGE)
    assert (page.title, page.language) == ("Evaluatierapport: Alfa", "nl")
    kinds = [type(b).__name__ for b in page.blocks]
    assert kinds == [
        "Heading", "Pairs", "Heading", "Bullets", "Heading", "Paragraph", "Heading", "Table",
        "Paragraph", "Picture", "Heading", "Pairs", "Paragraph",
    ]  # fmt: skip
    assert page.blocks[1] == Pairs([("Programma", "Proef"), ("Land", "België")])
    assert page.blocks[3] == Bullets(["Eerste bevinding", "Tweede"])  # the contents list is left out
    assert page.blocks[5] == Paragraph("Vijf activiteiten .")
    table = page.tables()[0]
    assert (table.chapter, table.section, table.ident) == ("Activiteiten", "Per soort", "per-type")
    assert [c.text for c in table.header[0]] == ["Soort", "Deelnames", "Aandeel"]
    assert [[c.text for c in r] for r in table.rows] == [
        ["werkbezoek", "1\u202f234", "36\u00a0%"],
        ['=HYPERLINK("x")', "–", "–"],
    ]
    assert page.blocks[8] == Paragraph("Geen gegevens voor dit onderdeel.", note=True)
    assert page.blocks[9] == Picture(PNG, "Staafdiagram van de hiaten", "Hiaten per dienst")
    assert page.blocks[10] == Heading(2, "Herkomst", "provenance")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("7\u2009580", "nl", (7580, "0")),
        ("7.580", "nl", (7580, "0")),
        ("82,5", "nl", (82.5, "0.0")),
        ("82.5", "en", (82.5, "0.0")),
        ("7,580", "en", (7580, "0")),
        ("36\u00a0%", "nl", (0.36, "0%")),
        ("+12 %", "nl", (0.12, "0%")),
        ("\u22121,5", "nl", (-1.5, "0.0")),
        ("–", "nl", ("–", None)),  # suppressed stays suppressed
        ("66,6–82,7", "nl", ("66,6–82,7", None)),
        ("L1 Reactie", "nl", ("L1 Reactie", None)),
        ("2025-05-16", "nl", ("2025-05-16", None)),
    ],
)
def test_a_shown_cell_as_a_spreadsheet_value(text: str, language: str, expected: tuple[object, object]) -> None:
    value, number_format = shown_value(text, language)
    assert (pytest.approx(value) if isinstance(value, float) else value, number_format) == expected


def test_formats_chosen_in_capevals_order_with_html_always() -> None:
    assert chosen_formats(None) == ("html",)
    assert chosen_formats(["xlsx", "docx"]) == ("html", "docx", "xlsx")
    assert chosen_formats(["docx"], pdf=True) == ("html", "docx", "pdf")
    with pytest.raises(ParameterError, match=r"unknown format\(s\): odt .*e\.g\. --formats html,docx,xlsx"):
        chosen_formats(["html", "odt"])


def test_word_document_has_real_headings_tables_alt_text_and_page_numbers() -> None:
    from docx import Document

    document = Document(io.BytesIO(report_docx(read_report(PAGE))))
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.style is not None and p.text]
    assert ("Title", "Evaluatierapport: Alfa") in styled
    assert ("Heading 1", "Bevindingen") in styled and ("Heading 2", "Per soort") in styled
    assert ("List Bullet", "Eerste bevinding") in styled
    assert not any(text == "Inhoud" for _, text in styled)
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Soort", "Deelnames", "Aandeel"]
    assert [c.text for c in table.rows[2].cells] == ['=HYPERLINK("x")', "–", "–"]
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # repeated on each page the table spans
    (picture,) = document.inline_shapes
    assert picture._inline.docPr.get("descr") == "Staafdiagram van de hiaten"
    footer = document.sections[0].footer.paragraphs[0]
    assert "Pagina" in footer.text and " PAGE " in footer._p.xml and " NUMPAGES " in footer._p.xml
    assert document.core_properties.language == "nl-NL"


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs LibreOffice: make office installs Debian's libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (make office)")
    return found


def test_word_document_opens_in_libreoffice_with_its_text(tmp_path: Path) -> None:
    soffice = _soffice()
    source = tmp_path / "alfa.docx"
    source.write_bytes(report_docx(read_report(PAGE)))
    profile = (tmp_path / "profile").as_uri()  # its own profile: tests running at once do not share one
    command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "txt:Text"]
    subprocess.run([*command, "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    text = (tmp_path / "alfa.txt").read_text(encoding="utf-8-sig")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[:3] == ["Evaluatierapport: Alfa", "Programma: Proef", "Land: België"]
    for shown in (
        "Eerste bevinding",
        "Per soort",
        "werkbezoek",
        "1\u202f234",
        "36\u00a0%",
        "Hiaten per dienst",
        "Herkomst",
    ):
        assert shown in text


def test_workbook_holds_each_table_as_shown_and_the_appendix() -> None:
    from openpyxl import load_workbook

    items = pd.DataFrame(
        {
            "item_id": ["q1", "q2"], "text_nl": ["Tevreden?", None], "text_en": ["Satisfied?", "Applied?"],
            "level": ["L1", "L3"], "dimension": ["grade", "application"], "criterion": ["relevance", None],
            "scale_min": [1, 1], "scale_max": [5, 5], "labels": ["1=Nee; 5=Ja", None],
        }
    )  # fmt: skip
    config = ProgrammeConfig.model_validate(
        {"id": "p", "title": "P", "waves": [{"id": 1, "label": "nulmeting"}], "activity_types": ["werkbezoek"]}
    )
    activities = pd.DataFrame(
        {
            "activity_id": ["A1", "A2"], "partner_id": ["P1", "P1"], "type": ["werkbezoek"] * 2,
            "date": pd.to_datetime(["2025-01-02", "2025-03-04"]), "participants": [10, 0], "hours": [2.0, None],
        }
    )  # fmt: skip
    responses = pd.DataFrame({"respondent_id": ["r1", "r2", "r1"], "partner_id": ["P1"] * 3, "activity_id": ["A1"] * 3})
    data = report_workbook(
        read_report(PAGE),
        items=item_wording(items, "nl"),
        codebook=programme_codebook(config, "nl"),
        activities=activity_reach(activities, responses, "nl"),
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Inhoud", "01 Per soort", "Vragen", "Codeboek", "Activiteiten"]
    table = [list(r) for r in book["01 Per soort"].iter_rows(values_only=True)]
    assert table[0][0] == "Activiteiten – Per soort"
    assert table[2:] == [["Soort", "Deelnames", "Aandeel"], ["werkbezoek", 1234, 0.36], ['=HYPERLINK("x")', "–", "–"]]
    assert book["01 Per soort"]["A5"].data_type == "s"  # a formula in the data stays text
    assert book["01 Per soort"]["C4"].number_format == "0%"
    questions = [list(r) for r in book["Vragen"].iter_rows(min_row=4, values_only=True)]
    assert questions == [
        ["q1", "Tevreden?", "L1", "grade", "relevance", 1, 5, "1=Nee; 5=Ja"],
        ["q2", "Applied?", "L3", "application", None, 1, 5, None],  # no Dutch wording: the English one
    ]
    codes = [list(r) for r in book["Codeboek"].iter_rows(min_row=4, values_only=True)]
    assert ["Metingen", "1", "nulmeting"] in codes and ["Soorten activiteiten", "werkbezoek", "werkbezoek"] in codes
    assert ["Evaluatiecriteria", "relevance", "Relevantie"] in codes
    reach = [list(r) for r in book["Activiteiten"].iter_rows(min_row=3, values_only=True)]
    assert reach[0][:3] == ["Activiteit", "Partner", "Soort"]
    assert reach[1:] == [
        ["A1", "P1", "werkbezoek", "2025-01-02", 2, 10, 2, 0.2],  # two distinct respondents of 10
        ["A2", "P1", "werkbezoek", "2025-03-04", None, 0, 0, None],  # no participants: no rate
    ]
    contents = [list(r) for r in book["Inhoud"].iter_rows(min_row=4, values_only=True)]
    assert contents[0] == ["01 Per soort", "Activiteiten – Per soort"]


def test_a_second_language_goes_beside_the_first_and_formats_share_the_stem() -> None:
    from capeval.export.paths import format_path, language_path, report_files

    assert language_path("partners/MUN01.html", "nl", "nl") == "partners/MUN01.html"  # the fixed layout
    assert language_path("partners/MUN01.html", "en", "nl") == "partners/MUN01.en.html"
    assert language_path("programme/p-1.2.html", "nl", "en") == "programme/p-1.2.nl.html"
    assert format_path("partners/MUN01.en.html", "docx") == "partners/MUN01.en.docx"
    assert report_files("tracks/T1.html", ["pdf", "docx"], "en") == [
        {"path": "tracks/T1.html", "format": "html", "language": "en"},
        {"path": "tracks/T1.docx", "format": "docx", "language": "en"},
        {"path": "tracks/T1.pdf", "format": "pdf", "language": "en"},
    ]


def test_an_id_ending_in_a_language_tag_never_takes_another_reports_second_language_file() -> None:
    from capeval.export.paths import language_path
    from capeval.units import unit_filename

    english_p1 = language_path(f"partners/{unit_filename('P1')}.html", "en", "nl")
    assert english_p1 == "partners/P1.en.html"
    assert f"partners/{unit_filename('P1.en')}.html" != english_p1
    assert unit_filename("P1.EN").startswith("P1.EN-") and unit_filename("P1.eng") == "P1.eng"


def test_formats_written_beside_the_html_once_and_again_only_when_it_changes(
    rendered_small: Path, tmp_path: Path
) -> None:
    from capeval.export.formats import Rendered, write_formats

    # a copy (times kept): the session's report folder is read by other tests as a run of html only left it
    shutil.copytree(rendered_small.parent, tmp_path / "copy")
    folder, store = tmp_path / "copy" / "reports" / "small", tmp_path / "copy" / "small"
    report = Rendered("partner", "P1", "partners/P1.html", "en")
    files = write_formats(folder, [report], ("html", "docx", "xlsx"), store=store)
    assert files == {
        ("partner", "P1", "en"): [
            {"path": "partners/P1.html", "format": "html", "language": "en"},
            {"path": "partners/P1.docx", "format": "docx", "language": "en"},
            {"path": "partners/P1.xlsx", "format": "xlsx", "language": "en"},
        ]
    }
    word, sheet = folder / "partners" / "P1.docx", folder / "partners" / "P1.xlsx"
    written = word.stat().st_mtime_ns
    files = write_formats(folder, [report], ("html", "docx"), store=store)
    assert word.stat().st_mtime_ns == written  # the HTML did not change: nothing written again
    # the XLSX not asked for this time is still the HTML's: kept and listed
    assert [f["format"] for f in files[("partner", "P1", "en")]] == ["html", "docx", "xlsx"]
    html, later = folder / "partners" / "P1.html", written + 10**9
    os.utime(html, ns=(later, later))  # newer than both exports, as a re-render leaves it
    files = write_formats(folder, [report], ("html", "docx"), store=store)
    assert word.stat().st_mtime_ns > written
    # the XLSX is now older than its HTML and not asked for: deleted, no longer listed
    assert [f["format"] for f in files[("partner", "P1", "en")]] == ["html", "docx"]
    assert not sheet.exists()
    assert sorted(p.name for p in (rendered_small / "small" / "partners").iterdir()) == [
        "P1.html",
        "P2.html",
        "P3.html",
    ]
