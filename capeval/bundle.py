"""Zip reports to send: a partner's bundle holds only that partner's report (and, when
asked, the programme report), with an index that lists only what the bundle holds."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from capeval.errors import CapevalError, UsageError
from capeval.files import write_atomic
from capeval.index import programme_index_html
from capeval.manifest import manifest_path
from capeval.visible import quoted

# a fixed timestamp keeps the same reports giving the same zip bytes
ZIP_TIME = (2020, 1, 1, 0, 0, 0)


class BundleError(CapevalError):
    """The reports to bundle are missing or were not rendered."""


def bundle_reports(
    reports: str | Path,
    programme_id: str,
    *,
    partner: str | None = None,
    with_programme: bool = False,
    out: str | Path | None = None,
) -> Path:
    """Write the zip for ``programme_id`` (one partner's, or every report) and return its path."""
    if Path(programme_id).name != programme_id or programme_id in ("", ".", ".."):
        raise UsageError(
            f"not a programme id: '{programme_id}' (a folder name under the reports)", column="--programme"
        )
    folder = Path(reports) / programme_id
    manifest = checked_manifest(folder, programme_id)
    entries: list[dict[str, Any]] = [e for e in manifest["reports"] if e["status"] in ("ok", "skipped")]
    if partner is not None:
        known = {e["unit"] for e in manifest["reports"] if e["kind"] == "partner"}
        if partner not in known:
            raise UsageError(f"unknown partner id {quoted(partner)} in {programme_id}", column="--partner")
        chosen = [e for e in entries if e["kind"] == "partner" and e["unit"] == partner]
        if not chosen:
            raise BundleError(f"the report of partner '{partner}' failed; fix it and re-run first", unit=partner)
        if with_programme:
            chosen += [e for e in entries if e["kind"] == "programme"]
    else:
        chosen = entries
    title = str(manifest.get("title") or programme_id)
    language = str(manifest.get("language") or "en")
    names = {str(e["unit"]): str(e.get("name") or e["unit"]) for e in manifest["reports"] if e["kind"] == "track"}
    ids = {str(e["track_id"]) for e in chosen if e.get("track_id")}
    tracks = {track: names.get(track, track) for track in sorted(ids)}  # the names the track reports carry
    noun = str(manifest.get("track_noun") or "learning_track")
    index = programme_index_html(chosen, title=title, language=language, tracks=tracks, up_link=False, track_noun=noun)
    # a partner's zip is named as its report is (an id may hold '../'): always inside the report folder
    own = Path(str(chosen[0]["path"])).stem if partner is not None else ""
    target = Path(out) if out else Path(reports) / f"{programme_id}{'-' + own if own else ''}.zip"
    _refuse_overwrite(target, folder, manifest["reports"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "index.html", index.encode("utf-8"))
        for entry in sorted(chosen, key=lambda e: str(e["path"])):
            for path in report_paths(entry):  # the HTML and the Word, XLSX and PDF files the run wrote
                source = folder / path
                if not source.resolve().is_relative_to(folder.resolve()):  # a manifest edited by hand
                    raise BundleError("a report path outside the report folder; re-run 'capeval run'", file=str(source))
                if not source.is_file():
                    raise BundleError("report file missing; re-run 'capeval run'", file=str(source), unit=entry["unit"])
                _add(archive, path, source.read_bytes())
    write_atomic(target, buffer.getvalue())
    return target


def checked_manifest(folder: Path, programme_id: str) -> dict[str, Any]:
    """``folder/manifest.json`` read strictly: every report entry has its text fields and its files lie
    inside ``folder``; raises :class:`BundleError` naming the manifest (and the entry) otherwise."""
    path = manifest_path(folder)
    if not path.exists():
        raise BundleError(f"no rendered programme '{programme_id}' here; run 'capeval run' first", file=str(folder))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise _not_a_manifest(path, "not JSON text") from None
    reports = data.get("reports") if isinstance(data, dict) else None
    if not isinstance(reports, list):
        raise _not_a_manifest(path, "no list of 'reports'")
    for number, entry in enumerate(reports, start=1):
        if not isinstance(entry, dict):
            raise _not_a_manifest(path, f"report {number} is not an object")
        for key in ("unit", "kind", "status", "path"):
            if not isinstance(entry.get(key), str):
                raise _not_a_manifest(path, f"report {number} has no text '{key}'")
        files = entry.get("files")
        if files is not None and not (
            isinstance(files, list) and all(isinstance(f, dict) and isinstance(f.get("path"), str) for f in files)
        ):
            raise _not_a_manifest(path, f"report {number}: 'files' is not a list of {{\"path\": …}}")
        for name in report_paths(entry):
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if not parts or PurePosixPath(name).is_absolute() or Path(name).is_absolute() or ".." in parts:
                raise BundleError(
                    f"report {number} ({quoted(entry['unit'])}) has the path {quoted(name)}, outside the report "
                    "folder; render the reports again with capeval run",
                    file=str(path),
                )
    return dict(data)


def _not_a_manifest(path: Path, why: str) -> BundleError:
    return BundleError(f"not a capeval manifest ({why}); render the reports again with capeval run", file=str(path))


def _refuse_overwrite(target: Path, folder: Path, reports: list[dict[str, Any]]) -> None:
    """Refuse a zip path that would overwrite a report, the manifest, a folder or any file that is not a zip."""
    where = target.resolve()
    own = {(folder / name).resolve() for entry in reports for name in report_paths(entry)}
    if where in own or where == manifest_path(folder).resolve():
        raise UsageError(f"{target} is a rendered report; give a .zip path of its own", column="--out")
    if target.is_dir() or (target.exists() and (target.suffix.lower() != ".zip" or not target.is_file())):
        raise UsageError(f"{target} exists and is not a zip; give a .zip path of its own", column="--out")


def report_paths(entry: dict[str, Any]) -> list[str]:
    """Every file of a manifest entry: its ``files`` (schema 1 with formats) or else its HTML ``path``."""
    files = entry.get("files")
    if isinstance(files, list) and files:
        return list(dict.fromkeys(str(f["path"]) for f in files if isinstance(f, dict) and f.get("path")))
    return [str(entry["path"])]


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
