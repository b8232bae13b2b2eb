"""Index pages: every programme in ``reports/index.html``, every report of a programme in
``reports/<programme>/index.html``; relative links only, so a copied folder still works."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from capeval import __version__
from capeval.files import write_atomic
from capeval.i18n import noun_key, t
from capeval.manifest import read_manifest
from capeval.render import TEMPLATES, report_css
from capeval.store_meta import HEADLINE, read_cache, write_cache
from capeval.visible import escape_html as escape
from capeval.visible import visible

if TYPE_CHECKING:
    from capeval.store import Store

KIND_ORDER = {"programme": 0, "internal": 0, "track": 1, "partner": 2}
FILE_FORMATS = ("docx", "xlsx", "pdf")  # linked after the report's own (HTML) link


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES / "index"), autoescape=select_autoescape(["j2", "html"]))


def _page(title: str, body: str, lang: str, script: str = "") -> str:
    template = _environment().get_template("page.html.j2")
    # body is built from escape()d parts; css and script are capeval's own files
    trusted = {"body": Markup(body), "css": Markup(report_css()), "script": Markup(script)}  # noqa: S704
    return template.render(title=visible(title), lang=lang, version=__version__, **trusted)


def index_headline(store: Path, language: str) -> list[tuple[str, str, str]]:
    """The programme's headline figures for its index page, as (label, value, what it counts): kept beside
    the store (:data:`~capeval.store_meta.HEADLINE`) once worked out, so an unchanged run reads no data."""
    cache = read_cache(store, HEADLINE) or {}
    if cache.get("index") != _own_hash():  # this module is not in capeval's code hash: its own edits count too
        cache = {"figures": {}, "index": _own_hash()}
    if language not in cache["figures"]:
        from capeval.store import Store

        cache["figures"][language] = programme_headline(Store(store), language)
        write_cache(store, HEADLINE, {"figures": cache["figures"], "index": cache["index"]})
    return [(str(label), str(value), str(basis)) for label, value, basis in cache["figures"][language]]


@cache
def _own_hash() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def programme_headline(store: Store, language: str) -> list[tuple[str, str, str]]:
    """The programme's headline figures as (label, value, what it counts), from its store."""
    from capeval.analysis.compare import headline_figures
    from capeval.analysis.release import PROGRAMME
    from capeval.report.headline import headline_items, released_rating

    config = store.config
    data = store.unit("programme", config.id)
    size = config.min_group_size
    figures = headline_figures(
        data["activities"], data["responses"], data["items"], min_group_size=size, rating_item=config.rating_item
    )
    figures = released_rating(figures, store.release("programme", config.id), PROGRAMME)
    waves = {w.id: w.label for w in config.waves}
    return headline_items(figures, data["items"], language=language, min_group_size=size, wave_labels=waves)


def write_programme_index(
    folder: Path,
    *,
    title: str,
    language: str,
    tracks: dict[str, str],
    headline: list[tuple[str, str, str]] | None = None,
    track_noun: str = "learning_track",
) -> Path:
    """``<folder>/index.html``: the programme's headline figures, its reports with status, search and filters
    (its tracks called by the programme's ``track_noun``)."""
    reports: list[dict[str, Any]] = read_manifest(folder).get("reports", [])
    path = folder / "index.html"
    page = programme_index_html(
        reports, title=title, language=language, tracks=tracks, headline=headline, track_noun=track_noun
    )
    write_atomic(path, page)
    return path


def programme_index_html(
    reports: list[dict[str, Any]],
    *,
    title: str,
    language: str,
    tracks: dict[str, str],
    up_link: bool = True,
    headline: list[tuple[str, str, str]] | None = None,
    track_noun: str = "learning_track",
) -> str:
    """The page listing ``reports`` (manifest entries; paths relative to the page) of every kind,
    the programme report first, then tracks, then partners; ``headline`` figures (label, value, what it
    counts) above them. A track is called by the programme's ``track_noun`` (programme.yaml: a pilot)."""
    lang = language

    def label(key: str) -> str:
        return t(noun_key(key, track_noun), lang)

    counts = {s: sum(1 for r in reports if r["status"] == s) for s in ("ok", "skipped", "failed")}
    status_boxes = "".join(f"<div><b>{n}</b>{escape(t('status_' + s, lang))}</div>" for s, n in counts.items())
    figures = ""
    if headline:
        boxes = "".join(
            f"<div><b>{escape(value)}</b>{escape(label)}<small>{escape(basis)}</small></div>"
            for label, value, basis in headline
        )
        figures = (
            f'<h2 id="headline">{escape(t("u_index_headline", lang))}</h2><div class="headline figures">{boxes}</div>'
        )

    track_options = "".join(
        f'<option value="{escape(k)}">{escape(v)}</option>' for k, v in sorted(tracks.items(), key=lambda kv: kv[1])
    )
    statuses = "".join(
        f'<option value="{s}">{escape(t("status_" + s, lang))}</option>' for s in ("ok", "skipped", "failed")
    )
    every = f'<option value="">{escape(t("all", lang))}</option>'
    filters = (
        '<div class="filters">'
        f'<label>{escape(t("search", lang))}<input id="search" type="search"></label>'
        f'<label>{escape(label("track"))}<select id="track">{every}{track_options}</select></label>'
        f'<label>{escape(t("status", lang))}<select id="status">{every}{statuses}</select></label>'
        f'<span><span id="shown">{len(reports)}</span> / {len(reports)}</span></div>'
    )
    rows = []
    for report in sorted(reports, key=lambda r: (KIND_ORDER.get(r["kind"], 3), str(r.get("name") or r["unit"]))):
        status = report["status"]
        name = escape(report.get("name") or report["unit"])
        link = f'<a href="{escape(report["path"])}">{name}</a>' if status != "failed" and report.get("path") else name
        link += _language_and_files(report, lang) if status != "failed" else ""
        track = report.get("track_id") or ""
        error = escape(report.get("error") or "")
        kind = escape(label(f"u_kind_{report['kind']}")) if report["kind"] in KIND_ORDER else escape(report["kind"])
        rows.append(
            f'<tr data-track="{escape(track)}" data-status="{escape(status)}" data-kind="{escape(report["kind"])}">'
            f"<td>{link}</td><td>{kind}</td>"
            f"<td>{escape(report['unit'])}</td><td>{escape(tracks.get(track, track))}</td>"
            f'<td class="status-{escape(status)}">{escape(t("status_" + status, lang))}</td><td>{error}</td></tr>'
        )
    head = "".join(
        f'<th scope="col">{escape(label(k))}</th>'
        for k in ("report", "u_kind", "u_unit_id", "track", "status", "error")
    )
    table = f'<table class="data" id="reports"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    back = f'<p><a href="../index.html">{escape(t("index_programmes", lang))}</a></p>' if up_link else ""
    body = back + figures + f'<div class="headline">{status_boxes}</div>' + filters + table
    script = (TEMPLATES / "index" / "filter.js").read_text(encoding="utf-8")
    return _page(title, body, lang, script)


def _language_and_files(report: dict[str, Any], page_language: str) -> str:
    """After a report's link: its language when not the page's, and links to its Word, XLSX and PDF files."""
    own = str(report.get("language") or page_language)
    tag = f' <span class="lang">({escape(own.upper())})</span>' if own != page_language else ""
    files = report.get("files") or []
    links = [
        f'<a href="{escape(f["path"])}">{escape(t("index_file_" + f["format"], page_language))}</a>'
        for f in files
        if isinstance(f, dict) and f.get("format") in FILE_FORMATS and f.get("path")
    ]
    return tag + (f' <span class="files">{" · ".join(links)}</span>' if links else "")


def write_root_index(out: Path, language: str = "en") -> Path:
    """``<out>/index.html``: every programme folder that has a manifest, with counts."""
    rows = []
    for manifest_path in sorted(out.glob("*/manifest.json")):
        folder = manifest_path.parent
        manifest = read_manifest(folder)
        reports = manifest.get("reports", [])
        ok = sum(1 for r in reports if r["status"] in ("ok", "skipped"))
        failed = sum(1 for r in reports if r["status"] == "failed")
        title = escape(manifest.get("title") or folder.name)
        rows.append(
            f'<tr><td><a href="{escape(folder.name)}/index.html">{title}</a></td>'
            f'<td>{escape(folder.name)}</td><td class="num">{ok}</td><td class="num">{failed}</td></tr>'
        )
    head = "".join(
        f'<th scope="col">{escape(label)}</th>'
        for label in (t("programme", language), "id", t("reports_ok", language), t("reports_failed", language))
    )
    body = f'<table class="data" id="programmes"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    path = out / "index.html"
    write_atomic(path, _page(t("index_title", language), body, language))
    return path
