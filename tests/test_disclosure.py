"""Disclosure control over the whole release: the decision rule on hand-made cells, and an attacker who
reads every rendered report of a programme made to provoke differencing (partners of 1-4 respondents
beside partners of 5-20, in tracks of 2-6 partners) and finds nothing to subtract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from disclosure_attack import Conventions, Published, leaks, read_release

from capeval.analysis import privacy
from capeval.analysis.privacy import decide_release
from capeval.analysis.release import ReleaseInputs, plan_release
from capeval.cli import main
from capeval.i18n import t
from capeval.report.common import wave_label
from capeval.report.context import open_report

MIN = 5


def cells(*rows: tuple[str, str, str, int], basis: int = 0, published: bool = True) -> pd.DataFrame:
    """(scope, key, parent, n) rows of one basis."""
    frame = pd.DataFrame(rows, columns=["scope", "key", "parent", "n"])
    return frame.assign(basis=basis, published=published)


NO_LINKS = pd.DataFrame(columns=["basis", "parent_basis"])


def decided(frame: pd.DataFrame, links: pd.DataFrame = NO_LINKS) -> dict[str, str]:
    out = decide_release(frame, links, min_size=MIN)
    return {f"{b}/{k}": ("shown" if not h else r) for b, k, h, r in out[["basis", "key", "hidden", "reason"]].values}


def test_a_track_minus_its_shown_partners_never_leaves_a_small_group() -> None:
    # track T = A (10) + B (2): B is small; T - A would be B's 2 respondents, so A (the only part) is hidden
    # too. The programme = T (12) + C (7, no track): 19 - 12 - 7 = 0, nothing isolated.
    frame = cells(
        ("programme", "*", "", 19),
        ("track", "t:T", "*", 12),
        ("partner", "p:A", "t:T", 10),
        ("partner", "p:B", "t:T", 2),
        ("partner", "p:C", "*", 7),
    )
    assert decided(frame) == {
        "0/*": "shown",
        "0/t:T": "shown",
        "0/p:A": "complementary",
        "0/p:B": "small",
        "0/p:C": "shown",
    }


def test_the_smallest_part_that_closes_the_gap_is_hidden() -> None:
    # T = A (20) + B (6) + C (3): 29 - 26 = 3 -> hide the smallest shown part, B (6): 29 - 20 = 9
    frame = cells(
        ("programme", "*", "", 29),
        ("track", "t:T", "*", 29),
        ("partner", "p:A", "t:T", 20),
        ("partner", "p:B", "t:T", 6),
        ("partner", "p:C", "t:T", 3),
    )
    assert decided(frame) == {
        "0/*": "shown",
        "0/t:T": "shown",
        "0/p:A": "shown",
        "0/p:B": "complementary",
        "0/p:C": "small",
    }


def test_a_programme_minus_tracks_and_loose_partners() -> None:
    # tracks T1 (30, fully covered by its shown partners) and T2 (8, shown: its partners 4 + 4 are small),
    # a loose partner L (3, small). Programme 41 - 30 - 8 = 3: L's 3 respondents. Hiding T1 would add
    # nothing (its partners stay shown); hiding T2 adds 8: T2 is the smallest part that closes the gap.
    frame = cells(
        ("programme", "*", "", 41),
        ("track", "t:T1", "*", 30),
        ("partner", "p:A", "t:T1", 15),
        ("partner", "p:B", "t:T1", 15),
        ("track", "t:T2", "*", 8),
        ("partner", "p:C", "t:T2", 4),
        ("partner", "p:D", "t:T2", 4),
        ("partner", "p:L", "*", 3),
    )
    result = decided(frame)
    assert result["0/t:T2"] == "complementary"
    assert result["0/*"] == "shown" and result["0/t:T1"] == "shown" and result["0/p:L"] == "small"


def test_a_level_does_not_give_away_its_one_small_dimension() -> None:
    # level (basis 0) at p:A has dimensions 1 (n 9) and 2 (n 2): level - dimension 1 mixes the two
    # respondents of dimension 2, so dimension 1 is hidden as well.
    level = cells(("programme", "*", "", 9), ("partner", "p:A", "*", 9), basis=0)
    one = cells(("programme", "*", "", 9), ("partner", "p:A", "*", 9), basis=1)
    two = cells(("programme", "*", "", 2), ("partner", "p:A", "*", 2), basis=2)
    links = pd.DataFrame({"basis": [1, 2], "parent_basis": [0, 0]})
    result = decided(pd.concat([level, one, two]), links)
    assert result == {
        "0/*": "shown",
        "0/p:A": "shown",
        "1/*": "complementary",
        "1/p:A": "complementary",
        "2/*": "small",
        "2/p:A": "small",
    }


def test_a_cell_where_its_family_is_not_published_is_not_released_and_covers_nothing() -> None:
    # the rating share is not published per partner: the track's 12 are its own region
    frame = pd.concat(
        [
            cells(("track", "t:T", "*", 12), ("programme", "*", "", 12)),
            cells(("partner", "p:A", "t:T", 10), ("partner", "p:B", "t:T", 2), published=False),
        ]
    )
    assert decided(frame) == {"0/*": "shown", "0/t:T": "shown", "0/p:A": "not_released", "0/p:B": "not_released"}


def test_the_decision_does_not_depend_on_the_order_of_the_rows() -> None:
    frame = cells(
        ("programme", "*", "", 41),
        ("track", "t:T1", "*", 30),
        ("partner", "p:A", "t:T1", 15),
        ("partner", "p:B", "t:T1", 15),
        ("track", "t:T2", "*", 8),
        ("partner", "p:C", "t:T2", 4),
        ("partner", "p:D", "t:T2", 4),
        ("partner", "p:L", "*", 3),
    )
    assert decided(frame) == decided(frame.iloc[::-1])


def test_release_cells_count_people_per_partner_with_partner_local_ids() -> None:
    # two partners both number their respondents R1, R2: four people, not two
    responses = pd.DataFrame(
        {
            "respondent_id": ["R1", "R2", "R1", "R2"],
            "partner_id": ["A", "A", "B", "B"],
            "activity_id": [None] * 4,
            "wave": [1, 1, 1, 1],
            "item_id": ["Q1"] * 4,
            "value": [4.0, 5.0, 3.0, 2.0],
        }
    )
    items = pd.DataFrame(
        {
            "item_id": ["Q1"],
            "level": ["L1"],
            "dimension": ["satisfaction"],
            "criterion": [None],
            "scale_min": [1],
            "scale_max": [5],
        }
    )
    partners = pd.DataFrame({"partner_id": ["A", "B"], "track_id": ["T", "T"]})
    inputs = ReleaseInputs(responses, items, partners, waves=[1], baseline=1, follow_up=1)
    decided_cells, families = plan_release(inputs, min_group_size=3)
    basis = int(families.loc[families["family"] == "level:L1", "basis"].iloc[0])
    n = decided_cells[decided_cells["basis"] == basis].set_index("key")["n"].to_dict()
    assert n == {"*": 4, "t:T": 4, "p:A": 2, "p:B": 2}


def test_the_attacker_finds_a_planted_difference() -> None:
    # the attacker itself can fail: a track shown beside all but one small partner
    found = Published()
    found.parent = {"p:A": "t:T", "p:B": "t:T", "t:T": "*"}
    for scope, n in (("t:T", 12), ("p:A", 10), ("p:B", 2)):
        found.n[("level|w|L1", scope)] = n
    found.shown = {("level|w|L1", "t:T"), ("level|w|L1", "p:A")}
    assert leaks(found, MIN) == ["level|w|L1 at t:T: minus 1 shown parts leaves 2 respondent(s)"]


# ---- a programme made to provoke differencing ------------------------------------------------------


def provoking_programme(root: Path, *, seed: int = 7) -> Path:
    """Partners of 1-4 respondents beside partners of 5-20, in tracks of 2, 3 and 6 partners, two loose partners;
    two waves with some respondents in both; L1 of two dimensions, L2, L3, L4 and criteria; answers about a
    workshop or a peer review, per respondent one type."""
    rng = np.random.default_rng(seed)
    folder = root / "provoke"
    folder.mkdir()
    config = {
        "id": "provoke",
        "title": "Provoking programme",
        "language": "en",
        "min_group_size": MIN,
        "min_comments": 10,
        "waves": [{"id": 1, "label": "baseline", "year": 2024}, {"id": 2, "label": "follow-up", "year": 2025}],
        "activity_types": ["workshop", "peer_review"],
    }
    (folder / "programme.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    sizes = [2, 3, 6]  # partners per track
    tracks, partners, activities, responses = [], [], [], []
    number = 0
    for t_index, size in enumerate(sizes):
        tracks.append({"track_id": f"T{t_index + 1}", "name": f"Track {t_index + 1}"})
        for _ in range(size):
            number += 1
            partners.append(
                {"partner_id": f"P{number:02d}", "name": f"Partner {number:02d}", "track_id": f"T{t_index + 1}"}
            )
    for _loose in range(2):
        number += 1
        partners.append({"partner_id": f"P{number:02d}", "name": f"Partner {number:02d}", "track_id": ""})
    codebook = "1=Poor; 2=Fair; 3=Good; 4=Very good; 5=Excellent"
    items = pd.DataFrame(
        {
            "item_id": ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7"],
            "text_nl": ["Tevreden", "Relevant", "Geleerd", "Toegepast", "Resultaat", "Zeker vooraf", "Zeker achteraf"],
            "text_en": ["Satisfied", "Relevant", "Learned", "Applied", "Result", "Confident before", "Confident after"],
            "level": ["L1", "L1", "L2", "L3", "L4", "L2", "L2"],
            "dimension": [
                *("satisfaction", "relevance", "knowledge", "application", "indicator"),
                *("confidence_before", "confidence_after"),
            ],
            "criterion": ["relevance", "relevance", "effectiveness", "impact", "impact", None, None],
            "scale_min": [1] * 7,
            "scale_max": [5] * 7,
            "labels": [codebook, codebook, None, None, None, None, None],
        }
    )
    for p_index, partner in enumerate(partners):
        pid = partner["partner_id"]
        for prefix, kind in (("A", "workshop"), ("B", "peer_review")):
            activities.append(
                {
                    "activity_id": f"{prefix}{pid}",
                    "partner_id": pid,
                    "type": kind,
                    "date": "2024-05-01",
                    "participants": 25,
                    "hours": 6,
                }
            )
        small = p_index % 3 == 1 or (not partner["track_id"] and p_index % 2 == 0)  # a third, and one loose partner
        for wave in (1, 2):
            n = int(rng.integers(1, 5)) if small else int(rng.integers(5, 21))
            for r in range(n):
                respondent = f"R{r + 1:02d}" if wave == 1 or r % 2 == 0 else f"R{wave}{r + 1:02d}"  # some in both waves
                for item in items["item_id"]:
                    if item == "Q2" and r % 4 == 3:
                        continue  # a few skip a dimension: small dimension groups
                    if item in ("Q6", "Q7") and (wave == 1) != (item == "Q6"):
                        continue  # confidence before at baseline, after at follow-up
                    value = int(rng.integers(1, 6))
                    # one in five about a peer review (small types); half at every third partner, whose own
                    # report can then show both types: its parts of a track's per-type cells
                    peer = r % 2 == 1 if p_index % 3 == 0 else r % 5 == 4
                    about = f"B{pid}" if peer else f"A{pid}"
                    responses.append((respondent, pid, about, wave, item, value))
    pd.DataFrame(tracks).to_csv(folder / "tracks.csv", index=False)
    pd.DataFrame(partners).to_csv(folder / "partners.csv", index=False)
    pd.DataFrame(activities).to_csv(folder / "activities.csv", index=False)
    items.to_csv(folder / "items.csv", index=False)
    columns = ["respondent_id", "partner_id", "activity_id", "wave", "item_id", "value"]
    pd.DataFrame(responses, columns=columns).to_csv(folder / "responses.csv", index=False)
    return folder


def conventions(language: str, latest_wave: str) -> Conventions:
    return Conventions(
        latest_wave=latest_wave,
        level_of_column={t("u_l1", language): t("level_L1", language), t("u_l3", language): t("level_L3", language)},
    )


def render(folder: Path, out: Path) -> Path:
    assert main(["run", "--programme", str(folder), "--out", str(out), "--quiet"]) == 0
    return out / folder.name


@pytest.mark.slow
def test_the_attacker_finds_nothing_in_a_provoking_programme(tmp_path: Path) -> None:
    reports = render(provoking_programme(tmp_path), tmp_path / "reports")
    found = read_release(reports, conventions("en", "follow-up"))
    read = {measure.split("|", 1)[0] for measure, _ in found.shown}
    assert read >= {"level", "dim", "change", "criterion", "question", "pair", "rating", "type"}  # every kind
    # the per-type criteria and answer shares, read at every scope that shows them
    typed = {(measure.split("|", 1)[0], scope[0]) for measure, scope in found.shown}
    assert typed >= {(kind, s) for kind in ("typecriterion", "typequestion") for s in "pt"} | {("typecriterion", "*")}
    assert leaks(found, MIN) == []


@pytest.mark.slow
def test_without_complementary_suppression_the_attacker_finds_the_small_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the same programme with only the primary rule: the attack must work, or the test above proves nothing
    for rule in ("close_tracks", "close_programmes", "close_links"):
        monkeypatch.setattr(privacy._Cells, rule, lambda self: False)
    reports = render(provoking_programme(tmp_path), tmp_path / "reports")
    found = leaks(read_release(reports, conventions("en", "follow-up")), MIN)
    kinds = {leak.split("|", 1)[0] for leak in found}
    assert kinds >= {"level", "dim", "change", "criterion", "question", "pair", "type", "typecriterion", "typequestion"}
    by_type = {leak.split("|", 1)[0] for leak in found if "minus its shown activity types" in leak}
    assert by_type == {"level", "criterion", "question"}  # each total minus its shown types in its own table
    assert any(" at t:" in leak and leak.startswith("level|") for leak in found)
    assert any(" at *" in leak for leak in found)


@pytest.mark.parametrize("programme_id", ["regional_networks", "inspectorates"])  # one Dutch, one English
def test_the_attacker_finds_nothing_in_the_demo_reports(demo_reports: tuple[Path, Path], programme_id: str) -> None:
    # the session's demo renders, in each programme's own language, with their per-type tables
    data, reports = demo_reports
    ctx = open_report(str(data / programme_id), "programme", "")
    latest = wave_label(ctx, max(w.id for w in ctx.data.config.waves))
    found = read_release(reports / programme_id, conventions(ctx.language, latest))
    assert {measure.split("|", 1)[0] for measure, _ in found.shown} >= {"level", "type", "typecriterion"}
    # a respondent may answer about two types and count in both: the attacker differences types only where
    # their published n show that nobody did (disjoint), as in the provoking programme above
    assert leaks(found, ctx.min_group_size) == []
