"""Raw survey exports shipped with the demo, imported by :func:`capeval.demo.build_demo`.

One folder per demo programme that is rebuilt from raw exports: the survey exports as an
analyst would have them (``municipal_tracks/enquete_*.csv``: Dutch spreadsheet CSV, ``;``,
cp1252, decimal comma, ``21-11-2024`` dates) and the ``mapping.yaml`` that maps them
(docs/mapping.md). The files were written once by ``tools/make_exports.py`` (a developer tool)
from the generator's answers and are data now: the demo imports them through
:func:`capeval.ingest.import_exports`, exactly as ``capeval import --from csv`` would.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["EXPORTED", "MAPPING_FILE", "export_files", "mapping_file"]

ROOT = Path(__file__).resolve().parent
MAPPING_FILE = "mapping.yaml"
# demo programme -> its export files, in import order (baseline first)
EXPORTED: dict[str, tuple[str, ...]] = {
    "municipal_tracks": ("enquete_nulmeting_2024.csv", "enquete_vervolgmeting_2025.csv"),
}


def export_files(programme: str) -> list[Path]:
    """The shipped exports of a demo programme, in import order."""
    return [ROOT / programme / name for name in EXPORTED[programme]]


def mapping_file(programme: str) -> Path:
    """The mapping file of a demo programme's shipped exports."""
    return ROOT / programme / MAPPING_FILE
