"""The workbench in a real JupyterLab, driven by Debian's chromium: run all cells, pick another partner."""

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


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium at /usr/bin/chromium (make browser installs it)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    demo = tmp_path / "demo"
    for folder in build_demo(demo, only=[PROGRAMME]):
        build_store(folder)
    notebooks = tmp_path / "lab"
    notebooks.mkdir()
    shutil.copy(ROOT / "notebooks" / "explore.ipynb", notebooks / "explore.ipynb")
    server = start_lab(notebooks, demo, tmp_path / "reports", tmp_path / "jupyterlab.log")
    try:
        yield server
    finally:
        stop_lab(server)


def test_picking_another_partner_redraws_the_tables_and_figures(lab: Lab, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    partners = pd.read_csv(lab.demo / PROGRAMME / "partners.csv")
    (_, first_name), (second, second_name) = partners[["partner_id", "name"]].head(2).itertuples(index=False)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{lab.url}/lab/tree/explore.ipynb?reset&token={lab.token}", wait_until="domcontentloaded")
            run_all_cells(page)
            picker = page.locator(".wb-partner select")
            picker.wait_for(timeout=WAIT_MS)
            header = page.locator(".wb-header")
            expect(header).to_contain_text(first_name, timeout=WAIT_MS)  # the first partner is shown

            page.locator(".wb-tabs .lm-TabBar-tab", has_text="Scaling").click()
            scaling = page.locator(".wb-tabs .widget-html-content", has_text="Scaling potential")
            expect(scaling.locator("table")).to_be_visible(timeout=WAIT_MS)
            table, figure = scaling.locator("table").inner_text(), scaling.locator("img").get_attribute("src")

            picker.select_option(label=f"{second_name} ({second})")
            expect(header).to_contain_text(second_name, timeout=WAIT_MS)
            expect(header).not_to_contain_text(first_name)
            expect(scaling.locator("img")).not_to_have_attribute("src", figure, timeout=WAIT_MS)  # the spider diagram
            assert scaling.locator("table").inner_text() != table
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            raise
        finally:
            browser.close()
