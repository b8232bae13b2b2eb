"""The five bundled demo programmes, generated deterministically as programme folders.

One generic generator (:func:`capeval.demo_generator.generate`) turns each specification of
:func:`capeval.demo_data.demo_specs` (YAML files checked by a typed model) into the files of
the programme folder contract.
The data are invented but tell stories a report should find: partners with high
satisfaction and little application (a broken Kirkpatrick chain), small partners below
the privacy threshold, portfolio gaps that narrow at follow-up, a clear scaling
bottleneck for most units (ties for a few), lessons about their own track's topics that
recur across partners, a few lesson texts with contact details to redact, and each source
document's own concepts (:mod:`capeval.demo_concepts`): milestones, commitments, the
centre's added value, the network's conference and the Erasmus+ priorities.

Some programmes are rebuilt from raw survey exports instead (:data:`IMPORTED`): the
generator writes their other tables, then the exports and the mapping shipped in
:mod:`capeval.demo_exports` are imported through :func:`capeval.ingest.import_exports`,
which writes responses.csv and items.csv as for any analyst's import. A fixed salt makes
the pseudonymised respondent ids, and so the whole folder, reproducible.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import yaml

from capeval.csvfile import frame_csv_text
from capeval.demo_data import DemoSpec, demo_specs
from capeval.demo_exports import EXPORTED, export_files, mapping_file
from capeval.demo_generator import generate
from capeval.table_specs import TABLES

if TYPE_CHECKING:
    from capeval.ingest import ImportReport

__all__ = ["DEMO_PROGRAMMES", "IMPORTED", "build_demo", "demo_salt", "generate", "import_demo_exports"]

DEMO_PROGRAMMES: tuple[str, ...] = tuple(spec.id for spec in demo_specs())
# Demo programmes whose responses (and items) are imported from shipped raw exports.
IMPORTED: tuple[str, ...] = tuple(name for name in DEMO_PROGRAMMES if name in EXPORTED)
IMPORTED_TABLES = ("items", "responses")

NARRATIVE = "narrative"


def build_demo(root: str | Path, *, only: Sequence[str] | None = None) -> list[Path]:
    """Write each demo programme folder to root/<id>/ (overwriting) and return the paths."""
    wanted = list(DEMO_PROGRAMMES if only is None else only)
    unknown = [name for name in wanted if name not in DEMO_PROGRAMMES]
    if unknown:
        raise ValueError(f"unknown demo programme(s): {', '.join(unknown)} (known: {', '.join(DEMO_PROGRAMMES)})")
    paths = []
    for spec in demo_specs():
        if spec.id not in wanted:
            continue
        config, tables = generate(spec)
        folder = Path(root) / spec.id
        if spec.id in IMPORTED:
            _write(folder, config, {k: v for k, v in tables.items() if k not in IMPORTED_TABLES})
            import_demo_exports(folder, spec.id, strict=True)
        else:
            _write(folder, config, tables)
        _write_narrative(folder, spec)
        paths.append(folder)
    return paths


def demo_salt(programme: str) -> str:
    """The fixed pseudonymisation salt of a demo folder (a real programme's salt is random and secret)."""
    return hashlib.sha256(f"capeval demo salt: {programme}".encode()).hexdigest()


def import_demo_exports(folder: str | Path, programme: str, *, strict: bool = True) -> ImportReport:
    """Import the shipped raw exports of ``programme`` into its folder (written by the generator).

    responses.csv and items.csv are removed first, so that the import writes them afresh
    rather than finding every row already present; the salt file is set to
    :func:`demo_salt`. With ``strict`` any import problem raises StrictImportError.
    """
    from capeval.ingest import import_exports
    from capeval.ingest.pseudonym import SALT_FILE

    folder = Path(folder)
    for name in IMPORTED_TABLES:
        (folder / TABLES[name].file).unlink(missing_ok=True)
    (folder / SALT_FILE).write_text(demo_salt(programme) + "\n", encoding="ascii", newline="\n")
    exports = export_files(programme)
    return import_exports("csv", exports, mapping=mapping_file(programme), into=folder, strict=strict)


def _write_narrative(folder: Path, spec: DemoSpec) -> None:
    """The evaluator's words of the spec (narrative/<path>.md), the folder emptied first."""
    target = folder / NARRATIVE
    if target.is_dir():
        for old in sorted(target.rglob("*.md")):
            old.unlink()
    for path, text in spec.narrative.items():
        file = target / f"{path}.md"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text.strip() + "\n", encoding="utf-8", newline="\n")


def _write(folder: Path, config: dict[str, Any], tables: dict[str, pd.DataFrame]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    (folder / "programme.yaml").write_text(text, encoding="utf-8", newline="\n")
    for name, frame in tables.items():
        columns = [c.name for c in TABLES[name].columns]
        out = frame.reindex(columns=columns)
        (folder / TABLES[name].file).write_text(frame_csv_text(out), encoding="utf-8", newline="")
    return folder
