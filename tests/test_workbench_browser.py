"""The workbench in a real JupyterLab and as the Voilà app, driven by Debian's chromium (one server of each)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from capeval.demo import build_demo
from capeval.store import build_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PROGRAMME = "erasmus_partnership"
WAIT_MS = 60_000


@dataclass
class Lab:
    url: str
    token: str
    process: subprocess.Popen[bytes]
    demo: Path

    def api(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(f"{self.url}{path}?token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_lab(folder: Path, demo: Path, out: Path, log: Path) -> Lab:
    """JupyterLab serving ``folder`` on 127.0.0.1 with a token; config, data and workspaces kept in ``folder``."""
    port, token = free_port(), secrets.token_hex(16)
    private = folder / ".jupyter"
    env = os.environ | {
        "JUPYTER_CONFIG_DIR": str(private / "config"),
        "JUPYTER_DATA_DIR": str(private / "data"),
        "JUPYTER_RUNTIME_DIR": str(private / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(private / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(private / "workspaces"),
        "IPYTHONDIR": str(private / "ipython"),
        "JUPYTER_PREFER_ENV_PATH": "1",  # the venv's python3 kernel, not a user-wide one
        "CAPEVAL_WORKBENCH_ROOT": str(demo),
        "CAPEVAL_WORKBENCH_OUT": str(out),
        "CAPEVAL_WORKBENCH_BASE": str(folder),
        "CAPEVAL_WORKBENCH_SERVER_ROOT": str(folder),
    }
    labconfig = private / "config" / "labconfig"
    labconfig.mkdir(parents=True)
    no_news = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
    (labconfig / "page_config.json").write_text(json.dumps(no_news))
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={folder}",
        "--LabApp.extension_manager=readonly",
        "--allow-root",
    ]
    with log.open("wb") as handle:
        process = subprocess.Popen(
            command, cwd=folder, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    lab = Lab(f"http://127.0.0.1:{port}", token, process, demo)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            lab.api("/api/status")
            return lab
        except OSError:
            time.sleep(0.3)
    stop_lab(lab)
    raise RuntimeError(f"JupyterLab did not answer within 60 s:\n{log.read_text()[-3000:]}")


def stop_lab(lab: Lab) -> None:
    """Shut the kernels down, then end the server's process group (killed if it lingers)."""
    try:
        for kernel in lab.api("/api/kernels"):
            lab.api(f"/api/kernels/{kernel['id']}", method="DELETE")
    except OSError:
        pass
    group = os.getpgid(lab.process.pid) if lab.process.poll() is None else None
    if group is not None:
        os.killpg(group, signal.SIGTERM)
        try:
            lab.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            lab.process.wait(timeout=10)


def run_all_cells(page: Any) -> None:
    """Run → Run All Cells, again if no cell started (the kernel may not have been attached yet)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=WAIT_MS)
    started = page.locator(".jp-CodeCell .jp-InputPrompt", has_text=re.compile(r"\[[0-9*]+\]"))
    for _ in range(5):
        page.locator(".jp-Notebook .jp-Cell").first.click()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            started.first.wait_for(timeout=10_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError("Run → Run All Cells started no cell")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium at /usr/bin/chromium (make browser installs it)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    demo = tmp_path_factory.mktemp("browser") / "demo"
    for folder in build_demo(demo, only=[PROGRAMME]):
        build_store(folder)
    return demo


@pytest.fixture(scope="module")
def lab(demo: Path) -> Iterator[Lab]:
    """One JupyterLab for the module, serving a copy of explore.ipynb."""
    notebooks = demo.parent / "lab"
    notebooks.mkdir()
    shutil.copy(ROOT / "notebooks" / "explore.ipynb", notebooks / "explore.ipynb")
    server = start_lab(notebooks, demo, demo.parent / "reports", demo.parent / "jupyterlab.log")
    try:
        yield server
    finally:
        stop_lab(server)


def cells_on_disk(path: Path) -> list[tuple[str, str]]:
    """Each cell's type and source as saved."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [(cell["cell_type"], "".join(cell["source"])) for cell in cells]


def save_notebook(page: Any) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="File").first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Save Notebook$")).first.click()


def test_keys_in_the_workbench_leave_the_notebook_alone(lab: Lab, demo: Path) -> None:
    """m, a, b, x, d d, arrows and Enter pressed in the pickers and tabs change nothing in the notebook."""
    from playwright.sync_api import expect, sync_playwright

    notebook = lab.demo.parent / "lab" / "explore.ipynb"
    before = cells_on_disk(notebook)
    partners = pd.read_csv(demo / PROGRAMME / "partners.csv")
    (_, first_name), (second, second_name) = partners[["partner_id", "name"]].head(2).itertuples(index=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1024, "height": 800})
        try:
            page.goto(f"{lab.url}/lab/tree/explore.ipynb?reset&token={lab.token}", wait_until="domcontentloaded")
            run_all_cells(page)
            picker = page.locator(".wb-partner select")
            picker.wait_for(timeout=WAIT_MS)
            header = page.locator(".wb-header")
            expect(header).to_contain_text(first_name, timeout=WAIT_MS)
            expect(page.locator(".capeval-workbench[data-lm-suppress-shortcuts]")).to_have_count(1, timeout=WAIT_MS)
            cells = page.locator(".jp-Notebook .jp-Cell")
            count = cells.count()

            picker.click()
            for key in ["m", "a", "b", "x", "d", "d", "ArrowUp", "Enter", "Shift+Enter", "y", "z"]:
                page.keyboard.press(key)
            page.locator(".wb-tabs .widget-html-content").first.click()  # text in a tab, not a control
            for key in ["m", "d", "d", "ArrowDown", "Enter"]:
                page.keyboard.press(key)
            page.locator(".wb-narrative .jupyter-widget-Collapse-header").click()
            page.locator(".wb-narrative-text textarea").click()  # typing the evaluator's text
            for key in ["m", "a", "d", "d", "Escape", "m", "x"]:
                page.keyboard.press(key)
            page.locator(".wb-programme select").focus()
            page.keyboard.press("x")
            assert cells.count() == count
            assert page.locator(".jp-Notebook .jp-MarkdownCell").count() == 1  # the workbench cell is still code

            picker.select_option(label=f"{second_name} ({second})")  # and the pickers still work
            expect(header).to_contain_text(second_name, timeout=WAIT_MS)
            page.locator(".wb-track select").select_option(index=1)
            picker.select_option(index=0)  # the whole track
            page.locator(".wb-tabs .lm-TabBar-tab", has_text="Gaps compared").click()
            gaps = page.locator(".wb-tabs .widget-html-content", has_text="Service-portfolio gaps")
            expect(gaps).to_be_visible(timeout=WAIT_MS)
            save_notebook(page)
            page.wait_for_timeout(1500)
        except Exception:
            page.screenshot(path=str(lab.demo.parent / "failure.png"))
            raise
        finally:
            browser.close()
    assert cells_on_disk(notebook) == before


@pytest.fixture(scope="module")
def app(demo: Path) -> Iterator[str]:
    """The Voilà app (as capeval app starts it) on a free port; its URL."""
    from capeval.workbench.serve import app_environment, served_root, voila_command

    port, base = free_port(), demo.parent
    command = [part for part in voila_command(port, root_dir=base) if part]
    env = os.environ | app_environment(demo, base / "reports", base) | {"JUPYTER_PREFER_ENV_PATH": "1"}
    log = (base / "voila.log").open("wb")
    process = subprocess.Popen(
        command, cwd=served_root(base), env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Voilà did not start:\n{(base / 'voila.log').read_text()[-3000:]}")
            try:  # listening is enough: a page request would start a kernel
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                break
            except OSError:
                time.sleep(0.3)
        yield url
    finally:
        os.killpg(os.getpgid(process.pid), signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(os.getpgid(process.pid), signal.SIGKILL)
        log.close()


def test_the_app_restores_a_selection_from_its_url_exports_and_saves_a_narrative(app: str, demo: Path) -> None:
    """A shared URL opens the track's gaps comparison in Dutch; its narrative is edited, saved, shown in the
    tab and in the track report rendered from the app; the partners' comparison downloads as CSV."""
    from playwright.sync_api import expect, sync_playwright

    tracks = pd.read_csv(demo / PROGRAMME / "tracks.csv")
    track, name = tracks[["track_id", "name"]].iloc[1]
    query = f"programme={PROGRAMME}&track={track}&tab=gaps_compared&language=nl"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1024, "height": 800}, accept_downloads=True)
        try:
            page.goto(f"{app}/?{query}", wait_until="commit", timeout=WAIT_MS)  # Voilà runs the notebook first
            header = page.locator(".wb-header")
            expect(header).to_contain_text(str(name), timeout=WAIT_MS)
            expect(header).to_contain_text("Rapport leertraject")
            selected = page.locator(".wb-tabs .lm-TabBar-tab.lm-mod-current")
            expect(selected).to_have_text("Hiaten vergeleken")
            assert "workbench_from_environment" not in page.content()  # no code shown
            assert page.url.endswith(f"?{query}")

            words = "De hiaten zijn met de partners besproken."
            page.locator(".wb-narrative .jupyter-widget-Collapse-header").click()
            page.locator(".wb-narrative-text textarea").fill(f"## Hiaten vergeleken\n{words}\n")
            page.locator(".wb-narrative-save").click()
            expect(page.locator(".wb-narrative-status")).to_contain_text(f"Opgeslagen in narrative/tracks/{track}")
            expect(page.locator(".wb-tabs .widget-html-content", has_text=words)).to_be_visible(timeout=WAIT_MS)
            page.locator(".wb-render-scope select").select_option(index=1)  # the track's own report
            page.locator(".wb-render").click()
            expect(page.get_by_text("Klaar: 1 gemaakt")).to_be_visible(timeout=240_000)
            rendered = list((demo.parent / "reports" / PROGRAMME / "tracks").glob(f"{track}*.html"))
            assert any(words in path.read_text(encoding="utf-8") for path in rendered), rendered

            page.locator(".wb-tabs .lm-TabBar-tab", has_text="Partners vergeleken").click()
            expect(page).to_have_url(re.compile(r"tab=partners_compared"), timeout=WAIT_MS)
            with page.expect_download() as download:
                page.locator(".wb-export-csv").click()
                page.locator(".wb-export-link").first.click()
            assert download.value.suggested_filename.endswith(".csv")
            assert Path(download.value.path()).read_text(encoding="utf-8").count("\n") > 1
        except Exception:
            page.screenshot(path=str(demo.parent / "app-failure.png"))
            raise
        finally:
            browser.close()
