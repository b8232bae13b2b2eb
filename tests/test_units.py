"""Unit ids become file names that stay inside the output folder and never collide."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from capeval.units import unit_filename

TRICKS = [
    "../../etc/passwd",
    "a/b",
    "a\\b",
    "..",
    ".",
    "CON",
    "nul.txt",
    "x" * 300,
    "P\x00Q",
    "",
    "-rf",
    "ümlaut",
    "a b",
]


def test_safe_ids_are_kept() -> None:
    assert unit_filename("P03") == "P03"
    assert unit_filename("ELIXIR-NL") == "ELIXIR-NL"
    assert unit_filename("track.1_a") == "track.1_a"


def test_tricky_ids_become_plain_names() -> None:
    for unit in TRICKS:
        name = unit_filename(unit)
        assert "/" not in name and "\\" not in name and "\x00" not in name
        assert name not in ("", ".", "..") and not name.startswith((".", "-"))
        assert len(name) <= 100
        assert name.split(".")[0].lower() not in {"con", "nul"}


def test_no_collisions_between_tricky_ids() -> None:
    names = [unit_filename(u) for u in [*TRICKS, "a-b", "a_b", "CON-x"]]
    assert len(set(names)) == len(names)


@given(st.text(max_size=120))
def test_any_id_stays_inside_the_folder(unit: str) -> None:
    root = Path("/reports/prog/partners")
    target = (root / f"{unit_filename(unit)}.html").resolve()
    assert target.parent == root


@given(st.text(max_size=40), st.text(max_size=40))
def test_different_ids_different_names(a: str, b: str) -> None:
    if a != b:
        assert unit_filename(a) != unit_filename(b)
