"""The sections' figures: hand-made small frames into the figure functions (same bytes for the same data,
"not offered" never drawn as quality 0, a hidden value never drawn), and what a reader of the small
programme's rendered reports gets: alt text stating the finding and a caption with n."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from capeval.figures import (
    NOT_OFFERED_X,
    answer_shares,
    chain_intervals,
    png_bytes,
    portfolio_dumbbell,
    score_heatmap,
)
from capeval.report.figures_units import waves_lines

NAN = float("nan")
MATH = r"Budget $\undefinedcommand$ (US$ 5k)"


def _chain() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "level_label": ["L1 Reaction", "L3 Behaviour", "L1 Reaction", "L3 Behaviour"],
            "wave_label": ["baseline", "baseline", "follow-up", "follow-up"],
            "mean": [NAN, 40.0, 80.0, 50.0],  # the baseline's L1 hidden by the release
            "ci_low": [NAN, 30.0, 70.0, NAN],
            "ci_high": [NAN, 50.0, 90.0, NAN],
            "programme": [60.0, 45.0, 70.0, NAN],
        }
    )


def _drawn_points(fig: Figure) -> list[tuple[float, float]]:
    """The dots the plot shows (the legend's keys are not in the axes' collections)."""
    collections = [c for c in fig.axes[0].collections if isinstance(c, PathCollection)]
    points = [tuple(p) for c in collections for p in np.asarray(c.get_offsets()) if np.isfinite(p).all()]
    return [(round(float(x), 2), round(float(y), 2)) for x, y in points]


def test_the_same_frame_gives_the_same_png_bytes() -> None:
    first = png_bytes(chain_intervals(_chain(), axis_title="Score", programme_label="Programme"))
    second = png_bytes(chain_intervals(_chain(), axis_title="Score", programme_label="Programme"))
    assert first.startswith(b"\x89PNG") and first == second
    other = _chain().assign(mean=[NAN, 41.0, 80.0, 50.0])
    assert png_bytes(chain_intervals(other, axis_title="Score", programme_label="Programme")) != first


def test_chain_draws_only_the_shown_means_and_known_intervals() -> None:
    fig = chain_intervals(_chain(), axis_title="Score", programme_label="Programme")
    xs = sorted(x for x, _ in _drawn_points(fig))
    # unit means 40, 80, 50 and programme means 60, 45, 70: the hidden L1 baseline mean is not among them
    assert xs == [40.0, 45.0, 50.0, 60.0, 70.0, 80.0]
    ax = fig.axes[0]
    intervals = [seg for coll in ax.collections if not isinstance(coll, PathCollection) for seg in coll.get_segments()]
    assert sorted((seg[0][0], seg[1][0]) for seg in intervals) == [(30.0, 50.0), (70.0, 90.0)]  # no CI: no bar
    png_bytes(fig)


def test_a_service_nobody_offers_is_drawn_as_not_offered_not_as_zero() -> None:
    frame = pd.DataFrame(
        {
            "label": ["Further training", "New knowledge", "Retraining"],
            "quality_now": [0.0, 5.0, NAN],  # service_gaps counts "not offered" as 0; the figure must not
            "quality_desired": [9.0, 7.0, NAN],  # Retraining hidden (personal portfolio, too few)
            "offered_now": [0.0, 1.0, NAN],
            "offered_desired": [1.0, 1.0, NAN],
        }
    )
    fig = portfolio_dumbbell(
        frame,
        label_column="label",
        now_label="Now",
        desired_label="Desired",
        not_offered_label="not offered",
        partly_label="some",
        hidden_label="hidden",
        axis_title="Quality",
    )
    points = _drawn_points(fig)
    assert sorted(points) == sorted([(NOT_OFFERED_X, 0.0), (5.0, 1.0), (9.0, 0.0), (7.0, 1.0)])
    assert all(x != 0.0 for x, _ in points)
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert "not\noffered" in [t.get_text() for t in fig.axes[0].get_xticklabels()]  # the column, wrapped
    assert "hidden" in texts  # the hidden service has a label, no dots
    png_bytes(fig)


def _likert(rows: dict[str, list[float]]) -> pd.DataFrame:
    labels = ["Disagree", "Neutral", "Agree"]
    return pd.DataFrame(
        [
            {"row": row, "option": float(k + 1), "label": labels[k], "share": share}
            for row, shares in rows.items()
            for k, share in enumerate(shares)
        ]
    )


def test_diverging_bars_centre_the_middle_answer_and_skip_a_hidden_question() -> None:
    frame = _likert({"Useful": [0.2, 0.4, 0.4], "Hidden": [NAN, NAN, NAN]})
    fig = answer_shares(frame, hidden_label="hidden (small group)", axis_title="Share")
    bars = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_width() > 0]
    # one question drawn: disagree from -0.4 to -0.2, neutral -0.2 to 0.2 (split across 0), agree 0.2 to 0.6
    assert sorted((round(b.get_x(), 6), round(b.get_width(), 6)) for b in bars) == [
        (-0.4, 0.2),
        (-0.2, 0.4),
        (0.2, 0.4),
    ]
    assert {round(b.get_y() + b.get_height() / 2, 6) for b in bars} == {0.0}  # all on the first row
    assert "hidden (small group)" in [t.get_text() for t in fig.findobj(Text)]
    png_bytes(fig)


def test_two_questions_with_the_same_wording_are_two_bars() -> None:
    # a Kobo label export asks "Fishing" under the river and again under the forest: two items, one wording
    river, forest = _likert({"Fishing": [0.5, 0.0, 0.5]}), _likert({"Fishing": [0.0, 0.0, 1.0]})
    frame = pd.concat([river.assign(bar="fishing"), forest.assign(bar="fishing_2")], ignore_index=True)
    fig = answer_shares(frame, hidden_label="hidden", axis_title="Share")
    bars = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_width() > 0]
    # river on row 0: disagree -0.5 to 0, agree 0 to 0.5; forest on row 1: agree 0 to 1
    assert sorted(
        (round(b.get_y() + b.get_height() / 2), round(b.get_x(), 6), round(b.get_width(), 6)) for b in bars
    ) == [
        (0, -0.5, 0.5),
        (0, 0.0, 0.5),
        (1, 0.0, 1.0),
    ]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Fishing", "Fishing"]
    png_bytes(fig)


def test_heat_map_greys_a_missing_score_and_writes_each_note() -> None:
    values = pd.DataFrame({"Alpha": [62.5, NAN]}, index=["Effectiveness", "Impact"])
    notes = pd.DataFrame({"Alpha": ["62.5\nn = 2", "no evidence"]}, index=values.index)
    fig = score_heatmap(values, notes)
    shown = fig.axes[0].images[0].get_array()
    assert shown[0, 0] == 62.5 and bool(np.ma.getmaskarray(shown)[1, 0])
    assert {"62.5\nn = 2", "no evidence"} <= {t.get_text() for t in fig.findobj(Text)}
    png_bytes(fig)


def test_waves_lines_take_any_number_of_waves_and_break_at_a_hidden_one() -> None:
    frame = pd.DataFrame({"wave": ["w1", "w2", "w3", "w4"], "l1": [60.0, NAN, 70.0, 75.0]})
    fig = waves_lines(frame, x_column="wave", series={"l1": "Reaction"}, axis_title="%")
    line = fig.axes[0].get_lines()[0]
    assert len(fig.axes[0].get_xticks()) == 4
    assert np.isnan(np.asarray(line.get_ydata(), dtype=float)[1])
    png_bytes(fig)


def test_text_from_data_in_the_new_figures_is_never_mathtext() -> None:
    figures = [
        chain_intervals(_chain().assign(level_label=MATH), axis_title=MATH, programme_label=MATH),
        answer_shares(_likert({MATH: [0.1, 0.2, 0.7]}), hidden_label=MATH, axis_title=MATH),
        score_heatmap(pd.DataFrame({MATH: [50.0]}, index=[MATH]), pd.DataFrame({MATH: [MATH]}, index=[MATH])),
    ]
    for fig in figures:
        fig.canvas.draw()
        assert not [t for t in fig.findobj(Text) if "$" in t.get_text() and t.get_parse_math()]
        assert png_bytes(fig).startswith(b"\x89PNG")  # mathtext would raise on \undefinedcommand


def _figures(page: Path) -> list[tuple[str, str]]:
    """(alt, caption) of each figure of a rendered report."""
    out = []
    for block in re.findall(r"<figure>(.*?)</figure>", page.read_text(encoding="utf-8"), re.S):
        alt = re.search(r'alt="([^"]*)"', block)
        caption = re.search(r"<figcaption>(.*?)</figcaption>", block, re.S)
        out.append((alt.group(1) if alt else "", caption.group(1) if caption else ""))
    return out


def test_partner_report_figures_state_their_finding_and_n(rendered_small: Path) -> None:
    page = rendered_small / "small" / "partners" / "P1.html"
    alts = {alt.split(" ", 2)[0]: (alt, cap) for alt, cap in _figures(page)}
    # P1's learning (L2): answers 3 and 4 on 1-5 -> (50 % + 75 %) / 2 = 62.5 %, n = 2; L1 hidden by the release
    alt, cap = alts["Dot"]
    assert "In the baseline: L2 Learning 62.5\u00a0%" in alt and "L1" not in alt
    assert "n = 2 respondents in the baseline" in cap
    # P1 does not offer new knowledge now (portfolio row "no", desired 7): drawn "not offered", gap 7 - 0
    alt, cap = alts["Dumbbell"]
    assert (
        "Largest gap: Input of new knowledge (from not offered to 7.0). Not offered now: Input of new knowledge." in alt
    )
    assert "n = 1 respondent of this partner" in cap
    alt, cap = alts["Heat"]
    assert "only Effectiveness has a score that may be shown (62.5\u00a0%)" in alt
    table = page.read_text(encoding="utf-8")
    assert "<td>Input of new knowledge</td><td>no</td><td>not offered</td>" in table  # not "0.0"


def test_programme_report_chain_has_no_programme_beside_itself(rendered_small: Path) -> None:
    figures = _figures(rendered_small / "small" / "programme" / "small.html")
    chain = [(alt, cap) for alt, cap in figures if alt.startswith("Dot plot")]
    assert len(chain) == 1
    alt, cap = chain[0]
    assert "against the programme" not in alt and "open diamonds" not in cap
    # reaction (Q1) in the baseline: 4, 5 and 2 on 1-5 -> (75 + 100 + 25) / 3 = 66.7 %; learning P1's 62.5 %
    assert "In the baseline: L1 Reaction 66.7\u00a0%; L2 Learning 62.5\u00a0%." in alt
    assert "n = 3 respondents in the baseline, 1 respondent in the follow-up." in cap
