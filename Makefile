# Entry points of the project; each sets itself up on a fresh clone.
# See README.md ("Commands") for what each target does.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
KERNEL := surveybrief
WAVE   ?=
DATA   ?= data
OUT    ?= outputs

.PHONY: setup briefing coding messages demo test test-fast init-wave lab bench lint format lock reconstruct clean-outputs

setup: $(STAMP)

# The virtual environment, the pinned packages, the project package (an editable install, so
# `surveybrief` is a command and src/ changes take effect at once) and the Jupyter kernel the
# notebooks name. Rebuilt when the lock file or pyproject.toml change. The editable install
# builds offline with the pinned setuptools of the lock (no build isolation).
$(STAMP): requirements.lock pyproject.toml
	@bash .ci/system-deps
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $$($(PY) -c "import site; print(site.getsitepackages()[0])")/surveybrief.pth
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (surveybrief)" >/dev/null
	@touch $(STAMP)
	@echo "set-up done: $(VENV) with kernel '$(KERNEL)'"

briefing: $(STAMP)
	$(PY) -m surveybrief briefing --data "$(DATA)" --out "$(OUT)" $(if $(WAVE),--wave "$(WAVE)",) \
		$(if $(NOTEBOOKS),--notebooks "$(NOTEBOOKS)",) $(if $(LANGS),--langs "$(LANGS)",) $(ARGS)

# The coding workbooks of a wave's open answers, in outputs/<wave>/coding/ (README "Open answers").
coding: $(STAMP)
	$(PY) -m surveybrief coding --data "$(DATA)" --out "$(OUT)" $(if $(WAVE),--wave "$(WAVE)",)

# Extract the briefing's messages (src/surveybrief/brief/locale/surveybrief.pot) and update the
# Russian and Kazakh catalogs (.po, for any PO editor); translations already made are kept.
messages: $(STAMP)
	$(PY) -m surveybrief messages

# Three SYNTHETIC waves (three export shapes, two codebook versions) in a temporary data root,
# rendered to outputs/demo/<wave>/; data/ is not touched.
demo: $(STAMP)
	$(PY) -m surveybrief demo --out "$(OUT)/demo"

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The unit tests only: no notebook is executed (about a minute).
test-fast: $(STAMP)
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

# Draft a wave.yaml for the export in FOLDER (written as FOLDER/wave.draft.yaml).
init-wave: $(STAMP)
	$(PY) -m surveybrief init-wave "$(FOLDER)" $(ARGS)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 \
		$(if $(CI),--no-browser,) $(if $(filter 0,$(shell id -u)),--allow-root,)

# Performance benchmark: the project's run against the plain papermill route, side by side;
# prints ratios and writes outputs/bench/results.json (BENCH_REPEATS=3 runs per scenario).
bench: $(STAMP)
	$(PY) -m surveybrief bench

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests notebooks
	$(VENV)/bin/ruff format --check src tests notebooks

format: $(STAMP)
	$(VENV)/bin/ruff format src tests notebooks
	$(VENV)/bin/ruff check --fix src tests notebooks

# Rebuild the 2025-06 respondent-level reconstruction from the published figures.
# Only for maintainers: it rewrites data/raw/2025-06/responses.csv, which is otherwise immutable.
reconstruct: $(STAMP)
	$(PY) -m surveybrief reconstruct --wave 2025-06 --data "$(DATA)" --force

# Re-resolve requirements.in into requirements.lock and mirror the pins into environment.yml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	.lock-venv/bin/python -m pip freeze --all --exclude-editable | sort -f > .lock-venv/freeze.txt
	$(PYTHON) -c "import sys; sys.path.insert(0, 'src'); from surveybrief.tools.lockfile import write_lock_files; write_lock_files('.lock-venv/freeze.txt')"
	rm -rf .lock-venv

clean-outputs:
	rm -rf outputs/*/ data/processed
