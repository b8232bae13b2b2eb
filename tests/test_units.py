"""Unit ids become file names that stay inside the output folder and never collide."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from capeval.units import same_on_disk, unit_filename, unit_filenames

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


def test_ids_differing_only_by_case_get_names_distinct_on_any_disk() -> None:
    names = unit_filenames(["P1", "p1", "P2"])
    assert names["P2"] == "P2"  # no clash: the id itself
    assert names["P1"] != names["p1"] and same_on_disk(names["P1"]) != same_on_disk(names["p1"])
    assert names["P1"].startswith("P1-") and names["p1"].startswith("p1-")
    assert unit_filenames(["P1", "P2"]) == {"P1": "P1", "P2": "P2"}


def test_ids_differing_only_by_normalisation_get_distinct_names() -> None:
    composed, decomposed = "Caf\u00e9", "Cafe\u0301"  # the same on screen; one file on macOS
    names = unit_filenames([composed, decomposed, "CAF\u00c9"])
    assert len({same_on_disk(n) for n in names.values()}) == 3


@given(st.lists(st.text(alphabet="pPqQ1é\u0301/.", max_size=4), max_size=12))
def test_a_programmes_names_stay_distinct_under_case_folding_and_nfc(ids: list[str]) -> None:
    names = unit_filenames(ids)
    folded = [same_on_disk(n) for n in names.values()]
    assert len(set(folded)) == len(folded) == len(set(ids))
    assert unit_filenames(reversed(ids)) == names  # the order of the table does not change a name
