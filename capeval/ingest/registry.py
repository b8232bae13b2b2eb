"""The registry of export formats: the ``FORMAT`` each format module declares, by name.

The format modules import :mod:`capeval.ingest.formats` (what a format is); this module
imports them (which formats there are), so neither imports the other back.
"""

from __future__ import annotations

from capeval.ingest.errors import ExportFormatError
from capeval.ingest.formats import ExportFormat

_REGISTRY: dict[str, ExportFormat] = {}


def get_format(name: str) -> ExportFormat:
    """The registered format called ``name``; ExportFormatError lists the known ones."""
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise ExportFormatError(f"unknown export format '{name}' (known: {known})") from None


def registered() -> tuple[str, ...]:
    _load_builtin()
    return tuple(_REGISTRY)


def _load_builtin() -> None:
    # Importing the modules registers their formats; kept lazy so that openpyxl loads only when used.
    from capeval.ingest import dutch_csv, googleforms, kobo, limesurvey, msforms, tmd

    for module in (dutch_csv, googleforms, kobo, limesurvey, msforms, tmd):
        _REGISTRY[module.FORMAT.name] = module.FORMAT
