"""A section whose every value the release hides says so in one sentence instead of a table of dashes (issue 14 §3);
report tables write dates as the reader does; the index calls a track by the programme's noun (issue 14 §4).

tests/data/small, with a partner (P2, Beta Board) whose every group is smaller than the programme's minimum of 2:
one respondent per level, dimension, activity type and question, a personal portfolio and a personal Scaling Scan
of one rater each. The sections its report notebook calls are drawn once per language, in this process.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from capeval import report
from capeval.i18n import day
from capeval.index import programme_index_html
from capeval.report.common import all_hidden
from capeval.store import build_store

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CODEBOOK = '"1=Poor; 2=Fair; 3=OK; 4=Good; 5=Excellent"'


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The small programme with P2 of small groups only, its store built; returns the folder."""
    folder = tmp_path_factory.mktemp("hidden") / "small"
    shutil.copytree(DATA / "small", folder, ignore=shutil.ignore_patterns("_store", "_rejected"))
    with (folder / "programme.yaml").open("a", encoding="utf-8") as handle:
        handle.write("privacy: {portfolio: personal, scaling: personal}\n")
        handle.write("commitments:\n  - {id: keep_agreements, label: Keep agreements}\n")
    items = (folder / "items.csv").read_text(encoding="utf-8").splitlines()
    items.append("Q4,Afspraken nakomen,Keep agreements,L3,keep_agreements,coherence,1,5")
    coded = [items[0] + ",labels", *(f"{line},{CODEBOOK}" for line in items[1:])]
    (folder / "items.csv").write_text("\n".join(coded) + "\n", encoding="utf-8")
    with (folder / "activities.csv").open("a", encoding="utf-8") as handle:
        handle.write("A5,P2,T1,peer_review,2024-04-22,3,8,500\n")
    with (folder / "responses.csv").open("a", encoding="utf-8") as handle:
        handle.write("R3,P2,A3,1,Q4,4\nR3,P2,A3,2,Q1,3\nR5,P2,A5,1,Q2,4\n")
    scaling = "".join(
        f"P2,1,r1,{name},{score}\n" for name, score in (("technology", 3), ("awareness", 2), ("evidence", 4))
    )
    (folder / "scaling.csv").write_text("unit_id,wave,rater,ingredient,score\n" + scaling, encoding="utf-8")
    build_store(folder)
    return str(folder)


def page(programme: str, kind: str, unit: str, language: str, **options: int) -> str:
    """Every section the report notebook of ``kind`` calls, drawn for ``unit``, as one HTML text."""
    cells = json.loads((ROOT / "notebooks" / f"{kind}_report.ipynb").read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    ctx = report.open_report(programme, kind, unit, language=language, **options)  # type: ignore[arg-type]
    return "\n".join(getattr(report, name)(ctx).html for name in re.findall(r"\breport\.(\w+)\(ctx\)", source))


@pytest.fixture(scope="module")
def beta(programme: str) -> dict[str, str]:
    return {language: page(programme, "partner", "P2", language) for language in ("en", "nl")}


def sentences(page: str) -> list[str]:
    return [unescape(text) for text in re.findall(r'<p class="note hidden-all">([^<]*)</p>', page)]


def test_a_partner_of_small_groups_reads_one_sentence_per_hidden_table_in_english(beta: dict[str, str]) -> None:
    why = "every group has fewer than 2 respondents, or showing it would give such a group away."
    assert sentences(beta["en"]) == [
        f"No scores per level shown: {why}",
        f"No scores per dimension shown: {why}",
        f"No scores per type of intervention shown: {why}",
        f"No scores per question shown: {why}",  # partner commitments
        f"No answer shares shown: {why}",
        "No service-portfolio gaps shown: the service portfolio holds personal opinions, and each service was "
        "assessed by fewer than 2 respondents.",
        "No ingredient scores shown: the Scaling Scan holds personal ratings, and each ingredient was scored by "
        "fewer than 2 raters.",
    ]


def test_and_in_dutch(beta: dict[str, str]) -> None:
    shown = sentences(beta["nl"])
    assert (
        shown[0]
        == "Geen scores per niveau getoond: elke groep telt minder dan 2 respondenten, of zou zo'n groep prijsgeven."
    )
    assert shown[-2:] == [
        "Geen hiaten in het dienstenportfolio getoond: het dienstenportfolio bevat persoonlijke meningen en elke "
        "dienst is door minder dan 2 respondenten beoordeeld.",
        "Geen scores per ingrediënt getoond: de opschalingsscan bevat persoonlijke beoordelingen en elk ingrediënt is "
        "door minder dan 2 beoordelaars gescoord.",
    ]


def test_no_table_of_dashes_and_no_claim_about_hidden_values(beta: dict[str, str]) -> None:
    html = beta["en"]
    classes = {name for names in re.findall(r'class="([^"]*)"', html) for name in names.split()}
    assert not {"kp-chain", "kp-dims", "iv-types", "block", "freq"} & classes
    assert "Quality now" not in html and "Spread between raters" not in html  # the gaps and scaling tables
    assert "No ingredient scores under" not in html  # no points of attention claimed from hidden scores
    assert "The largest service-portfolio gap" not in html  # nor a key finding about a hidden gap
    # the criteria keep their table: the cost per participation is not a survey score, and shows
    assert 'class="data criteria"' in html and "EUR 127 per participation" in html


@pytest.fixture(scope="module")
def procurement(programme: str) -> str:
    """The report of track T1 (P1 and P2): three respondents gave reaction (L1) and learning (L2) in the baseline."""
    return page(programme, "track", "T1", "en")


def test_a_table_with_some_values_shown_keeps_its_table_and_note(procurement: str) -> None:
    assert 'class="data kp-chain"' in procurement
    assert "Values for groups of fewer than 2 respondents are not shown" in procurement
    assert "No scores per level shown" not in procurement


def test_a_comparison_keeps_its_counts_and_drops_only_the_hidden_score_columns(procurement: str) -> None:
    compared = re.search(r'<table class="data partners-compared">.*?</table>', procurement)
    assert compared is not None
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", compared.group(0))
    assert headers == ["Partner", "Activities", "Participants", "Respondents", "Largest gap"]
    why = "No reaction (L1) or behaviour (L3) scores shown: every group has fewer than 2 respondents"
    assert why in procurement


def test_all_hidden_needs_rows_that_were_hidden_not_absent() -> None:
    nan = float("nan")
    assert all_hidden(pd.DataFrame({"mean": [nan, nan], "suppressed": [True, False]}), ["mean"])
    assert not all_hidden(pd.DataFrame({"mean": [nan, 40.0], "suppressed": [True, False]}), ["mean"])
    assert not all_hidden(pd.DataFrame({"mean": [nan], "suppressed": [False]}), ["mean"])  # no answers, not hidden
    assert not all_hidden(pd.DataFrame({"mean": [], "suppressed": []}), ["mean"])


@pytest.mark.parametrize(
    ("when", "language", "shown"),
    [
        (date(2024, 4, 22), "nl", "22 april 2024"),
        (date(2024, 4, 22), "en", "22 April 2024"),
        (pd.Timestamp("2025-03-01 13:45"), "nl", "1 maart 2025"),  # a moment's day
    ],
)
def test_a_date_reads_as_the_reader_writes_it(when: date, language: str, shown: str) -> None:
    assert day(when, language) == shown


def test_the_response_rates_write_their_dates_so(beta: dict[str, str]) -> None:
    assert "<td>22 April 2024</td>" in beta["en"] and "<td>22 april 2024</td>" in beta["nl"]
    assert "2024-04-22" not in beta["en"]


@pytest.mark.parametrize(("noun", "kind"), [("pilot", "pilot"), ("learning_track", "leertraject")])
def test_the_index_calls_a_track_by_the_programmes_noun(noun: str, kind: str) -> None:
    entry = {"kind": "track", "unit": "T1", "name": "Rundvee", "status": "ok", "path": "tracks/T1.html"}
    page = programme_index_html([entry], title="P", language="nl", tracks={"T1": "Rundvee"}, track_noun=noun)
    assert f"<td>{kind}</td>" in page
    assert f'<th scope="col">{"Pilot" if noun == "pilot" else "Leertraject"}</th>' in page
