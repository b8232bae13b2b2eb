"""Time each analysis of issue 3 on the largest demo programme (municipal_tracks).

Run: .venv/bin/python benchmarks/analyses.py [PROGRAMME]. Builds the demo in a temporary
folder, validates it once, then times every analysis over the whole programme (all
partners at once) and one partner report's sections, and prints seconds and shares.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from capeval.analysis.criteria import criteria_matrix, evidence_sources
from capeval.analysis.gaps import gap_change, least_consensus, service_gaps
from capeval.analysis.kirkpatrick import (
    broken_chain,
    change_verdict,
    kirkpatrick_benchmark,
    kirkpatrick_chain,
    pre_post_change,
)
from capeval.analysis.lessons import lesson_ingredients, lessons_by
from capeval.analysis.privacy import quotable
from capeval.analysis.recommendations import recommended_actions
from capeval.analysis.scaling import scaling_bottleneck, scaling_scores, transportability
from capeval.analysis.themes import recurring_lessons, rollout_candidates
from capeval.demo import build_demo
from capeval.store import build_store
from capeval.validate import validate_programme


def timed(label: str, call: Callable[[], Any], results: list[tuple[str, float]]) -> Any:
    start = time.perf_counter()
    value = call()
    results.append((label, time.perf_counter() - start))
    return value


def main(name: str = "municipal_tracks") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (folder,) = build_demo(tmp, only=[name])
        tables = validate_programme(folder).tables
        responses, items, lessons, size = tables["responses"], tables["items"], tables["lessons"], 5
        print(f"{name}: {len(tables['partners'])} partners, {len(responses)} answers, {len(tables['lessons'])} lessons")
        results: list[tuple[str, float]] = []
        import sklearn.feature_extraction.text  # type: ignore[import-untyped]  # noqa: F401  # import cost: not timed

        chain = timed("1 kirkpatrick_chain", lambda: kirkpatrick_chain(responses, items, min_group_size=size), results)
        timed("1 broken_chain", lambda: broken_chain(chain), results)
        change = timed(
            "1 pre_post_change",
            lambda: pre_post_change(responses, items, baseline=1, follow_up=2, min_group_size=size),
            results,
        )
        timed("1 kirkpatrick_benchmark", lambda: kirkpatrick_benchmark(responses, items, min_group_size=size), results)
        timed(
            "2 criteria_matrix",
            lambda: criteria_matrix(responses, items, sources=evidence_sources(tables), min_group_size=size),
            results,
        )
        gaps = timed("3 service_gaps", lambda: service_gaps(tables["portfolio"]), results)
        flagged = timed("3 least_consensus", lambda: least_consensus(gaps), results)
        changes = timed("3 gap_change", lambda: gap_change(tables["portfolio"], baseline=1, follow_up=2), results)
        scores = timed("4 scaling_scores", lambda: scaling_scores(tables["scaling"]), results)
        neck = timed("4 scaling_bottleneck", lambda: scaling_bottleneck(scores), results)
        recurrence = timed("5 recurring_lessons", lambda: recurring_lessons(tables["lessons"]), results)
        timed("5 rollout_candidates", lambda: rollout_candidates(recurrence), results)
        timed(
            "5 lessons_by + ingredients",
            lambda: lessons_by(lesson_ingredients(lessons).merge(lessons, on="lesson_id"), "ingredient"),
            results,
        )
        timed("4 transportability", lambda: transportability(tables["lessons"], recurrence=recurrence), results)
        partners = list(tables["partners"]["partner_id"])

        def every_partner() -> None:
            for pid in partners:
                recommended_actions(
                    chain=broken_chain(chain[chain["partner_id"] == pid].drop(columns="partner_id"), by=()),
                    gaps=flagged[flagged["partner_id"] == pid],
                    gap_changes=changes[changes["partner_id"] == pid],
                    bottleneck=neck[neck["unit_id"] == pid],
                    change=change_verdict(change[change["partner_id"] == pid], min_change=5.0),
                    min_group_size=size,
                )

        timed(f"6 recommended_actions x {len(partners)} partners", every_partner, results)
        timed("7 quotable (redaction)", lambda: quotable(tables["lessons"], min_comments=10), results)
        timed("store build incl. all benchmarks", lambda: build_store(folder, force=True), results)
        total = sum(seconds for label, seconds in results if not label.startswith("store"))
        for label, seconds in results:
            print(f"{label:<45} {seconds:8.3f} s  {seconds / total:6.1%}")
        print(f"{'all analyses':<45} {total:8.3f} s")


if __name__ == "__main__":
    main(*sys.argv[1:2])
