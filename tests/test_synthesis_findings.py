"""What stands out in a track's or the programme's synthesis (issue 13 §3): the selections on hand-computed
small frames, the key-finding sentences and the programme-level action rules they give, and the rendered
demo programme and track reports showing them with their n."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from capeval.analysis.recommendations import recommended_actions
from capeval.analysis.synthesis import largest_gap_frequency, latest_verdicts, shared_bottlenecks
from capeval.report.context import ReportContext, open_report
from capeval.report.standing_out import (
    common_gap_sentence,
    outliers_sentence,
    shared_theme_sentence,
    synthesis_findings,
    track_chains_sentence,
    types_apart_sentence,
)
from capeval.store import build_store


def _verdict(
    track: str, wave: int, verdict: str, *, l1: float = 80.0, l3: float = 40.0, n: int = 30
) -> dict[str, object]:
    return {
        "track_id": track,
        "wave": wave,
        "l1": l1,
        "l3": l3,
        "n_l1": n,
        "n_l3": n,
        "l1_ci_low": l1 - 4,
        "l1_ci_high": l1 + 4,
        "l3_ci_low": l3 - 5,
        "l3_ci_high": l3 + 5,
        "verdict": verdict,
        "broken": verdict == "broken",
    }


def test_each_track_is_judged_in_its_latest_wave_that_has_a_verdict() -> None:
    verdicts = pd.DataFrame(
        [
            _verdict("T2", 1, "intact"),
            _verdict("T2", 2, "borderline"),
            _verdict("T1", 1, "broken"),
            _verdict("T1", 2, "insufficient"),  # wave 2 hid a level: wave 1's verdict still stands
            _verdict("T3", 1, "insufficient"),
        ]
    )
    latest = latest_verdicts(verdicts)
    assert latest[["track_id", "wave", "verdict"]].values.tolist() == [["T1", 1, "broken"], ["T2", 2, "borderline"]]


def test_a_shared_bottleneck_is_one_of_two_units_and_a_quarter() -> None:
    counts = pd.DataFrame(
        {
            "wave": [1, 2, 2, 2],
            "ingredient": ["finance", "finance", "leadership", "evidence"],
            "n_bottleneck": [5, 3, 2, 1],
            "n_units": [9, 9, 9, 9],
        }
    )
    # 9 units: a quarter is 2.25, so 3 units are needed; wave 1 is not the latest
    assert shared_bottlenecks(counts)[["ingredient", "n_bottleneck"]].values.tolist() == [["finance", 3]]
    # 4 units: a quarter is 1, but one unit is never "many"
    few = counts.assign(n_units=4)
    assert shared_bottlenecks(few)["ingredient"].tolist() == ["finance", "leadership"]


def test_the_largest_gap_frequency_takes_the_latest_wave_and_only_shown_gaps() -> None:
    gaps = pd.DataFrame(
        {
            "partner_id": ["P1", "P1", "P1", "P2", "P2", "P3", "P4", "P4"],
            "wave": [1, 2, 2, 2, 2, 2, 2, 2],
            "service": ["network", "training", "network", "training", "network", "training", "network", "training"],
            "gap": [9.0, 3.0, 1.0, 2.0, 2.0, float("nan"), 4.0, 1.0],
            "n_respondents": 1,
        }
    )
    freq = largest_gap_frequency(gaps)
    # P1 training 3; P2 a tie -> network (first by id); P3 hidden; P4 network 4 -> network 2 partners, mean 3.0
    assert freq[["service", "n_partners", "mean_gap", "n_with_gap", "wave"]].values.tolist() == [
        ["network", 2, 3.0, 3, 2],
        ["training", 1, 3.0, 3, 2],
    ]
    assert largest_gap_frequency(gaps.iloc[0:0]).empty


# -- the action rules -------------------------------------------------------------------------------

THEMES = pd.DataFrame(
    {
        "cluster": [1, 2, 3, 4],
        "theme": ["Protected time", "Checklists", "waste · list", "Legal basis"],
        "confirmed": [True, True, False, True],
        "n_partners": [4, 1, 3, 3],
        "n_tracks": [3, 2, 3, 1],
        "n_lessons": [4, 2, 3, 3],
        "artefacts": ["Step plan", "Checklist", "List", "Manual"],
    }
)


def test_programme_actions_follow_from_the_synthesis_with_their_figure_and_base() -> None:
    tracks = pd.DataFrame([_verdict("T1", 2, "broken", l3=44.0, n=58), _verdict("T2", 2, "borderline", l3=30.0)])
    shared = pd.DataFrame(
        {"wave": [2, 2], "ingredient": ["finance", "evidence"], "n_bottleneck": [5, 4], "n_units": 16}
    )
    apart = pd.DataFrame(
        {
            "wave": [1, 2],
            "top": ["seminar", "exchange"],
            "top_mean": [70.0, 60.0],
            "top_n": [20, 30],
            "bottom": ["workshop", "peer_review"],
            "bottom_mean": [40.0, 52.0],
            "bottom_n": [25, 4],
            "difference": [30.0, 8.0],
        }
    )
    out = recommended_actions(
        track_chains=tracks, shared_bottleneck=shared, types_apart=apart, themes=THEMES, min_group_size=5, min_change=5
    )
    assert out[["rank", "rule", "subject", "value", "n", "figure", "base"]].values.tolist() == [
        [1, "track_broken_chain", "T1", 44.0, 58, "tracks", "respondents"],  # the borderline T2 triggers nothing
        [2, "shared_bottleneck", "finance", 5.0, 16, "scaling", "units"],
        [3, "shared_bottleneck", "evidence", 4.0, 16, "scaling", "units"],
        [4, "type_lowest_behaviour", "peer_review", 52.0, 4, "interventions", "respondents"],  # latest wave
        # only confirmed themes of two or more tracks: not the suggested one, not the one-track theme
        [5, "theme_rollout", "Protected time", 3.0, 4, "lessons", "partners"],
        [6, "theme_rollout", "Checklists", 2.0, 1, "lessons", "partners"],
    ]
    # n under min_group_size: people say so, a count of partners is no sample
    assert out["small_base"].tolist() == [False, False, False, True, False, False]


def test_types_closer_than_the_minimum_change_as_shown_trigger_nothing() -> None:
    apart = pd.DataFrame(
        {"wave": [1], "top": ["a"], "top_mean": [50.0], "top_n": [9], "bottom": ["b"], "bottom_mean": [45.0]}
    ).assign(bottom_n=9)
    assert recommended_actions(types_apart=apart.assign(difference=4.9), min_group_size=2, min_change=5).empty
    hit = recommended_actions(types_apart=apart.assign(difference=5.0), min_group_size=2, min_change=5)
    assert hit["rule"].tolist() == ["type_lowest_behaviour"]


def test_a_shared_bottleneck_that_is_the_units_own_is_ranked_once() -> None:
    own = pd.DataFrame({"wave": [1], "ingredient": ["finance"], "mean": [2.0], "n_raters": [3]})
    shared = pd.DataFrame({"wave": [1, 1], "ingredient": ["finance", "evidence"], "n_bottleneck": [3, 2], "n_units": 5})
    out = recommended_actions(bottleneck=own, shared_bottleneck=shared, min_group_size=2)
    assert out[["rule", "subject"]].values.tolist() == [
        ["scaling_bottleneck", "finance"],
        ["shared_bottleneck", "evidence"],
    ]


def test_a_broken_chain_of_the_unit_itself_still_ranks_first() -> None:
    chain = pd.DataFrame([_verdict("", 1, "broken", l3=35.0, n=40)]).drop(columns="track_id")
    tracks = pd.DataFrame([_verdict("T1", 1, "broken", l3=30.0, n=20)])
    out = recommended_actions(chain=chain, track_chains=tracks, min_group_size=5)
    assert out["rule"].tolist() == ["broken_chain", "track_broken_chain"]


# -- the sentences, on the small programme's labels -------------------------------------------------


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    folder = tmp_path_factory.mktemp("synthesis") / "small"
    shutil.copytree(Path(__file__).parent / "data" / "small", folder, ignore=shutil.ignore_patterns("_*"))
    build_store(folder)
    return folder


def _ctx(folder: Path, language: str = "en") -> ReportContext:
    return open_report(str(folder), "programme", "", language=language)


def test_the_sentence_names_broken_and_borderline_tracks_with_both_n(programme: Path) -> None:
    verdicts = pd.DataFrame(
        [_verdict("T1", 2, "broken", l1=77.04, l3=40.0, n=39), _verdict("T2", 1, "borderline", l3=52.0, n=12)]
    )
    assert track_chains_sentence(_ctx(programme), verdicts) == (
        "The Kirkpatrick chain breaks in 1 of 2 learning tracks (high reaction, low behaviour; each track in its "
        "latest wave): Procurement in the follow-up: reaction 77.0\u00a0% of the scale (n = 39), behaviour on the "
        "job 40.0\u00a0% (95\u00a0% CI 35.0–45.0, n = 39). Borderline in 1 more, where a threshold lies within the "
        "uncertainty: Banking in the baseline: reaction 80.0\u00a0% of the scale (n = 12), behaviour on the job "
        "52.0\u00a0% (95\u00a0% CI 47.0–57.0, n = 12)."
    )
    calm = pd.concat([verdicts.iloc[[1]], pd.DataFrame([_verdict("T1", 2, "intact", l3=60.0)])])
    dutch = track_chains_sentence(_ctx(programme, "nl"), calm)
    assert dutch.startswith(
        "Bij geen enkel leertraject is de keten in de laatste meting duidelijk gebroken (2 leertrajecten "
        "beoordeeld); een grensgeval bij 1"
    )
    assert "Banking in de nulmeting: reactie 80,0\u00a0% van de schaal (n = 12)" in dutch
    assert track_chains_sentence(_ctx(programme), pd.DataFrame([_verdict("T1", 1, "intact")])) == ""


def test_types_apart_only_when_at_least_the_minimum_change(programme: Path) -> None:
    apart = pd.DataFrame(
        {
            "wave": [2],
            "top": ["workshop"],
            "top_mean": [61.04],
            "top_n": [40],
            "bottom": ["peer_review"],
            "bottom_mean": [47.0],
            "bottom_n": [42],
            "difference": [14.0],
        }
    )
    assert types_apart_sentence(_ctx(programme), apart) == (
        "Of the types of intervention, behaviour on the job in the follow-up scores highest after workshop "
        "(61.0\u00a0%, n = 40) and lowest after peer_review (47.0\u00a0%, n = 42): 14.0 points apart."
    )
    assert types_apart_sentence(_ctx(programme), apart.assign(difference=4.9)) == ""  # min_change 5 points


def test_the_common_gap_gives_its_mean_only_from_min_group_size_partners(programme: Path) -> None:
    gaps = pd.DataFrame(
        {
            "partner_id": ["P1", "P1", "P2", "P2", "P3", "P3"],
            "wave": 2,
            "service": ["training", "knowledge"] * 3,
            "gap": [3.0, 1.0, 5.0, 2.0, 1.0, 4.0],
            "quality_now": 5.0,
            "quality_desired": 8.0,
            "n_respondents": 1,
        }
    )
    ctx = _ctx(programme)  # min_group_size 2
    text = common_gap_sentence(ctx, largest_gap_frequency(gaps), gaps)
    # training is the largest gap of P1 and P2 (mean 4.0); medians: training 3.0, knowledge 2.0 (3 partners each)
    assert text == (
        "The service most often a partner's largest gap is Further training: for 2 of 3 partners in the follow-up "
        "(a mean gap of 4.0 points on a 0–10 scale). The largest median gap across partners is Further training: "
        "3.0 points on a 0–10 scale (n = 3 partners)."
    )
    one = gaps.assign(gap=[1.0, 3.0, 5.0, 2.0, 1.0, 4.0])  # training now the largest of P2 only
    assert "Input of new knowledge: for 2 of 3" in common_gap_sentence(ctx, largest_gap_frequency(one), one)
    alone = gaps.assign(gap=[3.0, 1.0, 2.0, 5.0, 1.0, 4.0])  # knowledge for P2 and P3, training for P1 alone
    freq = largest_gap_frequency(alone)
    assert freq["service"].tolist() == ["knowledge", "training"]
    assert "mean gap" not in common_gap_sentence(ctx, freq.iloc[[1]].reset_index(drop=True), alone)


def test_the_widest_shared_theme_with_partners_tracks_and_lessons(programme: Path) -> None:
    themes = THEMES.sort_values(["n_partners", "n_tracks"], ascending=False).reset_index(drop=True)
    assert shared_theme_sentence(_ctx(programme), themes) == (
        "The lesson theme shared most widely, of 4 shared themes: ‘Protected time’ (confirmed by the evaluator), "
        "by 4 partners in 3 learning tracks, 4 lessons."
    )
    one = shared_theme_sentence(_ctx(programme, "nl"), themes.iloc[[3]])
    assert one == (
        "Eén thema van geleerde lessen wordt door twee of meer partners of leertrajecten gedeeld: ‘Checklists’ "
        "(bevestigd door de evaluator), door 1 partner in 2 leertrajecten, 2 lessen."
    )


def test_only_the_internal_report_names_the_partners_furthest_from_the_programme(programme: Path) -> None:
    found = pd.DataFrame(
        {
            "indicator": ["L1", "L3", "L3"],
            "side": ["below", "below", "above"],
            "partner_id": ["P1", "P1", "P3"],
            "name": ["Alpha Agency", "Alpha Agency", "Gamma Group"],
            "value": [50.0, 12.14, 80.0],
            "n": [11, 11, 5],
            "programme": [70.0, 55.4, 55.4],
            "programme_n": 341,
            "difference": [-20.0, -43.3, 24.6],
            "wave": 2,
        }
    )
    assert outliers_sentence(_ctx(programme), found) == (
        "L3 Behaviour (self-reported) in the follow-up, against the programme's 55.4\u00a0% (n = 341): furthest "
        "below is Alpha Agency (12.1\u00a0%, n = 11; 43.3 points lower); furthest above is Gamma Group "
        "(80.0\u00a0%, n = 5; 24.6 points higher)."
    )
    assert outliers_sentence(_ctx(programme), found.iloc[[0]]) == ""  # L1 alone: not what stands out here
    shareable = synthesis_findings(_ctx(programme))
    assert not [s for s in shareable if "Alpha Agency" in s or "Gamma Group" in s]


# -- the rendered demo reports (the session's demo renders) ----------------------------------------


def _findings(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    block = re.search(r'<ul class="findings">(.*?)</ul>', text, re.S)
    assert block, f"no key findings in {page}"
    return [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in re.findall(r"<li>(.*?)</li>", block.group(1))]


@pytest.mark.parametrize(
    ("programme_id", "kind", "unit"),
    [("regional_networks", "programme", ""), ("regional_networks", "track", "noord_techniek")],
)
def test_rendered_reports_show_what_stands_out_with_its_n(
    demo_reports: tuple[Path, Path], programme_id: str, kind: str, unit: str
) -> None:
    data, reports = demo_reports
    folder = reports / programme_id
    page = folder / "programme" / f"{programme_id}.html" if kind == "programme" else folder / "tracks" / f"{unit}.html"
    shown = _findings(page)
    # the report's own language (this demo writes Dutch): each sentence is asked of the rule that makes it
    ctx = open_report(str(data / programme_id), "programme" if kind == "programme" else "track", unit)
    analyses = ctx.analyses
    wanted = {
        "types furthest apart": types_apart_sentence(ctx, analyses.types_apart),
        "common gap": common_gap_sentence(ctx, analyses.largest_gap_frequency, analyses.service_gaps),
        "shared theme": shared_theme_sentence(ctx, analyses.shared_themes),
    }
    if kind == "programme":  # the demo's tracks in the follow-up: Noord and West borderline, none clearly broken
        wanted["tracks' chains"] = track_chains_sentence(ctx, analyses.track_verdicts)
    assert not [rule for rule, sentence in wanted.items() if not sentence], wanted
    expected = synthesis_findings(ctx)
    assert set(wanted.values()) <= set(expected)
    for sentence in expected:
        assert sentence in shown
        assert re.search(r"n = \d|\d+ partners\b", sentence), sentence  # a theme's n: the partners sharing it
    if kind == "programme":
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert ctx.t("actions_intro_synthesis") in text
        trigger = ctx.t("triggered_by_shared_bottleneck", figure=ctx.t("section_scaling"), value="@", n="@")
        assert re.search(re.escape(trigger).replace("@", r"\d+"), text), trigger  # a bottleneck of k of n units
        partners = pd.read_csv(data / programme_id / "partners.csv")["name"]
        assert not [name for name in partners if name in "\n".join(shown)]  # the shareable report names none
