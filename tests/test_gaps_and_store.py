"""Gap and activity numbers against hand computation; the store's per-unit slices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from capeval.analysis.activities import activity_benchmark, activity_summary
from capeval.analysis.gaps import gap_benchmark, partner_gaps_vs_benchmark, service_gaps
from capeval.errors import StoreError
from capeval.store import Store, build_store
from capeval.validate import validate_programme
from tests.conftest import append_lines

# tests/data/small/portfolio.csv, wave 1 (not offered counts as quality 0):
#   P1 training 4 -> 8 (gap 4), knowledge  - -> 7 (gap 7)
#   P2 training 6 -> 7 (gap 1), knowledge  5 -> 9 (gap 4)
#   P3 training - -> - (gap 0), knowledge  3 -> 6 (gap 3)
HAND_GAPS = {
    ("P1", "training"): 4.0,
    ("P1", "knowledge"): 7.0,
    ("P2", "training"): 1.0,
    ("P2", "knowledge"): 4.0,
    ("P3", "training"): 0.0,
    ("P3", "knowledge"): 3.0,
}


def test_service_gaps_by_hand(small: Path) -> None:
    gaps = service_gaps(validate_programme(small).tables["portfolio"])
    got = {(r.partner_id, r.service): r.gap for r in gaps.itertuples()}
    assert got == HAND_GAPS
    p1 = gaps.set_index(["partner_id", "service"]).loc[("P1", "knowledge")]
    assert (p1["quality_now"], p1["quality_desired"], p1["offered_now"], p1["n_respondents"]) == (0.0, 7.0, 0.0, 1)


def test_gap_benchmark_median_and_quartiles(small: Path) -> None:
    gaps = service_gaps(validate_programme(small).tables["portfolio"])
    bench = gap_benchmark(gaps, min_partners=2).set_index("service")
    # knowledge gaps 7, 4, 3: median 4, q1 3.5, q3 5.5; training 4, 1, 0: median 1
    assert bench.loc["knowledge", ["median_gap", "q1_gap", "q3_gap"]].tolist() == [4.0, 3.5, 5.5]
    assert bench.loc["training", "median_gap"] == 1.0
    assert bench["n_partners"].tolist() == [3, 3]
    assert not bench["suppressed"].any()


def test_gap_benchmark_suppressed_below_min_partners(small: Path) -> None:
    gaps = service_gaps(validate_programme(small).tables["portfolio"])
    bench = gap_benchmark(gaps, min_partners=5)
    assert bench["suppressed"].all()
    assert bench["median_gap"].isna().all()
    assert bench["n_partners"].tolist() == [3, 3]  # the n stays visible


def test_partner_against_benchmark_ranks_largest_gap_first(small: Path) -> None:
    gaps = service_gaps(validate_programme(small).tables["portfolio"])
    mine = partner_gaps_vs_benchmark(gaps, gap_benchmark(gaps, min_partners=2), "P1")
    assert mine["service"].tolist() == ["knowledge", "training"]
    assert mine["rank"].tolist() == [1, 2]
    assert mine["vs_median"].tolist() == [3.0, 3.0]


def test_gap_spread_between_respondents(small: Path) -> None:
    text = (small / "portfolio.csv").read_text(encoding="utf-8").splitlines()
    rows = ["partner_id,respondent_id,wave,service,offered_now,quality_now,offered_desired,quality_desired"]
    rows += [
        "P1,a,1,training,yes,4,yes,8",
        "P1,b,1,training,yes,6,yes,8",
        *[",".join([line.split(",")[0], "a", *line.split(",")[1:]]) for line in text[2:]],
    ]
    (small / "portfolio.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    gaps = service_gaps(validate_programme(small).tables["portfolio"]).set_index(["partner_id", "service"])
    row = gaps.loc[("P1", "training")]
    assert (row["n_respondents"], row["quality_now"], row["gap"]) == (2, 5.0, 3.0)
    assert row["spread"] == pytest.approx(1.4142, abs=1e-4)  # gaps 4 and 2: sample sd sqrt(2)


def test_activity_summary_by_hand(small: Path) -> None:
    tables = validate_programme(small).tables
    summary = activity_summary(tables["activities"], tables["partners"]).set_index("partner_id")
    # P1: A1 10 people x 6 h + A2 4 people x 16 h = 124 participant-hours, cost 1200 + 3000
    assert summary.loc["P1"].tolist() == [2, 14, 22.0, 124.0, 4200.0, 2, 2]  # 2 activities with hours, 2 with a cost
    bench = activity_benchmark(tables["activities"], tables["partners"]).set_index("metric")
    assert bench.loc["participants", ["median", "total"]].tolist() == [12.0, 34.0]
    assert bench.loc["cost_eur", "n_partners"] == 2  # P3 has no cost recorded


def test_store_slices_one_partner(small: Path) -> None:
    store = Store(build_store(small))
    unit = store.unit("partner", "P2")
    assert set(unit["responses"]["partner_id"]) == {"P2"}
    assert unit["activities"]["activity_id"].tolist() == ["A3"]
    assert len(unit.benchmarks["gaps"]) == 2
    track = store.unit("track", "T1")
    assert sorted(track["portfolio"]["partner_id"].unique()) == ["P1", "P2"]
    with pytest.raises(StoreError, match="unknown partner_id 'P9'"):
        store.unit("partner", "P9")


def test_store_is_reused_until_inputs_change(small: Path) -> None:
    path = build_store(small)
    meta = json.loads((path / "meta.json").read_text())
    stamp = (path / "meta.json").stat().st_mtime_ns
    assert build_store(small) == path
    assert (path / "meta.json").stat().st_mtime_ns == stamp
    assert "unit_hashes" not in meta  # every report reads meta.json: the per-unit hashes are a file of their own
    before = json.loads((path / "unit_hashes.json").read_text())
    append_lines(small / "responses.csv", "R9,P3,A4,2,Q1,5")
    build_store(small)
    after = json.loads((path / "unit_hashes.json").read_text())
    assert after["P3"] != before["P3"]
    assert after["P1"] == before["P1"] and after["P2"] == before["P2"]


def test_store_counts_rejected_rows(small: Path) -> None:
    append_lines(small / "responses.csv", "R9,P9,A4,2,Q1,5")
    meta = json.loads((build_store(small) / "meta.json").read_text())
    assert meta["counts"]["responses"] == {"kept": 6, "rejected": 1}
    assert (small / "_rejected" / "responses.csv").is_file()
