"""Import survey exports into a programme folder.

Readers for KoboToolbox, LimeSurvey, Google Forms, Microsoft Forms, Dutch/Belgian CSV and
the ELIXIR Training Metrics Database are registered in :mod:`capeval.ingest.formats`; a
mapping file (docs/mapping.md) says which column is which item; rows that cannot be
imported are quarantined with their reason, never dropped silently.
"""

from __future__ import annotations

from capeval.ingest.errors import ExportFormatError, MappingError, StrictImportError
from capeval.ingest.importer import ImportReport, import_exports
from capeval.ingest.suggest import suggest_mapping

FORMATS: tuple[str, ...] = ("kobo", "limesurvey", "googleforms", "msforms", "csv", "tmd")

__all__ = [
    "FORMATS",
    "ExportFormatError",
    "ImportReport",
    "MappingError",
    "StrictImportError",
    "import_exports",
    "suggest_mapping",
]
