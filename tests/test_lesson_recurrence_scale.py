"""Recurring lessons in large programmes: the same answer as the exact clustering where it can be."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from capeval.analysis.benchmarks import lesson_recurrence
from capeval.analysis.themes import recurring_lessons

TEXTS = [
    "Peer review of inspection plans improved our risk-based planning.",
    "Peer reviews of the inspection plans improved risk based planning.",
    "A shared checklist made joint inspections faster.",
    "Peer review of inspection plans improved our risk-based planning.",  # identical to the first
    "Staff exchange built trust between the two agencies.",
]


def lessons() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lesson_id": [f"L{i}" for i in range(len(TEXTS))],
            "partner_id": ["P1", "P2", "P3", "P4", "P5"],
            "track_id": ["T1"] * 5,
            "what_changed": TEXTS,
        }
    )


def test_under_the_limit_it_is_the_exact_clustering() -> None:
    exact = recurring_lessons(lessons())
    pd.testing.assert_frame_equal(lesson_recurrence(lessons(), limit=10), exact)


def test_above_the_limit_distinct_texts_are_clustered_and_duplicates_follow() -> None:
    exact = recurring_lessons(lessons()).set_index("lesson_id")
    scaled = lesson_recurrence(lessons(), limit=4).set_index("lesson_id")
    assert scaled.loc["L3", "cluster"] == scaled.loc["L0", "cluster"]  # identical texts share a cluster
    assert scaled.loc["L0", "n_partners"] == exact.loc["L0", "n_partners"]
    assert bool(scaled.loc["L4", "recurring"]) == bool(exact.loc["L4", "recurring"])


def test_too_many_distinct_texts_groups_identical_ones_and_warns(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an earlier test in this worker may have left capeval's logger disabled (a library configuring logging
    # with dictConfig disables the loggers that exist then; seen once in CI): this test reads the warning
    monkeypatch.setattr(logging.getLogger("capeval"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="capeval"):
        scaled = lesson_recurrence(lessons(), limit=2).set_index("lesson_id")
    assert "4 distinct lesson texts: only identical lessons are grouped" in caplog.text
    assert scaled.loc["L0", "cluster"] == scaled.loc["L3", "cluster"]
    assert scaled.loc["L0", "n_partners"] == 2 and bool(scaled.loc["L0", "recurring"])
    assert scaled.loc["L1", "n_lessons"] == 1 and not bool(scaled.loc["L1", "recurring"])
