# Two commands set everything up: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install browser office lab app clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "capeval needs $(PYTHON) (or run: make PYTHON=python3 ...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,lab,dask]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/capeval demo

# Debian's chromium for the browser tests (Playwright's own download does not work offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install chromium"; fi; }

# Debian's LibreOffice Writer (no GUI) for the Word export tests: they open each .docx headless.
office:
	@command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null; \
	  else echo "Word export tests need LibreOffice: sudo apt-get install libreoffice-writer-nogui"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check capeval tests benchmarks
	$(BIN)/ruff format --check capeval tests benchmarks
	$(BIN)/mypy

test: $(STAMP) browser office lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup  # two workers; tests sharing a session render stay on one

# The workbench on the demo programmes: the printed URL opens a copy of notebooks/explore.ipynb (in build/lab,
# so use never changes the tracked file) with the venv's python3 kernel (preferred over a user-wide one);
# relative paths typed in the workbench start here; --allow-root because containers often run as root.
build/lab/explore.ipynb: notebooks/explore.ipynb
	mkdir -p build/lab && cp notebooks/explore.ipynb $@

lab: $(STAMP) build/lab/explore.ipynb
	@test -d build/demo || $(BIN)/python -c 'from capeval.demo import build_demo; build_demo("build/demo")'
	JUPYTER_PREFER_ENV_PATH=1 CAPEVAL_WORKBENCH_BASE=$(CURDIR) CAPEVAL_WORKBENCH_SERVER_ROOT=$(CURDIR) \
	  CAPEVAL_WORKBENCH_ROOT=build/demo CAPEVAL_WORKBENCH_OUT=reports \
	  $(BIN)/jupyter lab --ip=127.0.0.1 --no-browser --allow-root --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/build/lab/explore.ipynb

# The same workbench as a code-free Voilà app on 127.0.0.1 (capeval app --help for the options).
app: $(STAMP)
	@test -d build/demo || $(BIN)/python -c 'from capeval.demo import build_demo; build_demo("build/demo")'
	$(BIN)/capeval app --root build/demo --out reports

clean:
	rm -rf build reports/*/ reports/index.html .pytest_cache .mypy_cache .ruff_cache
