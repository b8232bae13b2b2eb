"""Rendered HTML reports printed to PDF (A4, the report's own print CSS) with headless Chromium.

Chromium is Debian's (``/usr/bin/chromium``, or ``CAPEVAL_CHROMIUM``), driven by Playwright;
pages are opened from ``file://`` and nothing is fetched from the network.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from capeval.errors import CapevalError
from capeval.files import write_atomic

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class PdfError(CapevalError):
    """Chromium (or Playwright) is missing, or a page could not be printed."""


def chromium_path() -> Path:
    """The Chromium to print with: ``$CAPEVAL_CHROMIUM``, /usr/bin/chromium, or chromium on the PATH."""
    given = os.environ.get("CAPEVAL_CHROMIUM")
    candidates = [given] if given else ["/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise PdfError(
        "--pdf needs Chromium: install Debian's chromium (apt-get install chromium, or make browser) "
        "or set CAPEVAL_CHROMIUM to a chromium executable",
        file=given or "/usr/bin/chromium",
    )


def print_reports(pages: Sequence[Path]) -> list[Path]:
    """Print every HTML page of ``pages`` to a PDF beside it (``x.html`` -> ``x.pdf``); return the PDFs."""
    if not pages:
        return []
    executable = chromium_path()
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise PdfError("--pdf needs the playwright package: pip install playwright") from None
    written = []
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_FLAGS)
        except Error as exc:
            raise PdfError(f"cannot start Chromium: {exc.message.splitlines()[0]}", file=str(executable)) from None
        try:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort(),
            )
            for html in pages:
                page.goto(html.resolve().as_uri(), wait_until="load")
                data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
                target = html.with_suffix(".pdf")
                write_atomic(target, data)
                written.append(target)
        finally:
            browser.close()
    return written
