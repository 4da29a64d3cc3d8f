# Entry points of the project; each sets itself up on a fresh clone.
# See README.md ("Commands") for what each target does.

PYTHON ?=
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
KERNEL := surveybrief
WAVE   ?=
DATA   ?= data
OUT    ?= outputs
PRIVATE ?= private

.PHONY: setup preview briefing feedback coding messages demo test test-fast init-wave lab bench lint format lock reconstruct clean-outputs

setup: $(STAMP)

# The virtual environment, the pinned packages (with uv, pip as the fallback), the project
# package (an editable install, so `surveybrief` is a command and src/ changes take effect at
# once) and the Jupyter kernel the notebooks name: .ci/setup picks a Python 3.11.2 to 3.13
# (PYTHON=... to choose) and says which it needs when there is none. Rebuilt when the lock
# file or pyproject.toml change. The editable install builds offline with the pinned
# setuptools of the lock (no build isolation).
$(STAMP): requirements.lock pyproject.toml .ci/setup
	@bash .ci/system-deps
	@bash .ci/setup $(VENV) "$(PYTHON)"
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (surveybrief)" >/dev/null
	@$(PY) -m compileall -q src/surveybrief >/dev/null  # as pip compiles an installed package
	@touch $(STAMP)
	@echo "set-up done: $(VENV) with kernel '$(KERNEL)'"

briefing: $(STAMP)
	$(PY) -m surveybrief briefing --data "$(DATA)" --out "$(OUT)" $(if $(WAVE),--wave "$(WAVE)",) \
		$(if $(NOTEBOOKS),--notebooks "$(NOTEBOOKS)",) $(if $(LANGS),--langs "$(LANGS)",) \
		$(if $(LEAVE_OUT),--leave-out "$(LEAVE_OUT)",) $(if $(WAIT),--wait,) \
		$(if $(filter-out 0 no No NO false False FALSE off,$(FINAL)),--final,) \
		$(if $(PRIVATE),--private "$(PRIVATE)",) $(ARGS)

# A Delphi round's feedback sheets (one per expert, and mail_merge.csv) into $(PRIVATE)/feedback/
# <wave>/, never under outputs/ (README "Expert panels and Delphi rounds"). make briefing writes
# them too, once a Delphi round is published.
feedback: $(STAMP)
	$(PY) -m surveybrief feedback --data "$(DATA)" --out "$(OUT)" --private "$(PRIVATE)" \
		$(if $(WAVE),--wave "$(WAVE)",) $(if $(LANG_SHEETS),--lang "$(LANG_SHEETS)",)

# The coding workbooks of a wave's open answers, in outputs/coding/<wave>/ (README "Open answers").
coding: $(STAMP)
	$(PY) -m surveybrief coding --data "$(DATA)" --out "$(OUT)" $(if $(WAVE),--wave "$(WAVE)",)

# Extract the briefing's messages (src/surveybrief/brief/locale/surveybrief.pot) and update the
# Russian and Kazakh catalogs (.po, for any PO editor); translations already made are kept.
messages: $(STAMP)
	$(PY) -m surveybrief messages

# Three SYNTHETIC waves (three export shapes, two codebook versions) in a temporary data root,
# rendered to outputs/demo/<wave>/; then a SYNTHETIC two-round Delphi panel to outputs/demo-delphi/
# (consensus first, stability across rounds) with its feedback sheets in private/demo-delphi/;
# data/ and the user's panel key are not touched.
demo: $(STAMP)
	$(PY) -m surveybrief demo --out "$(OUT)/demo"

# axe-core for the accessibility test in Chromium (pinned, checked by sha256: .ci/axe-core).
AXE := $(VENV)/share/axe-core/axe.min.js
$(AXE): .ci/axe-core
	@bash .ci/axe-core $(AXE)

test: $(STAMP) $(AXE)
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
# The HTML report served on http://127.0.0.1:$(PORT)/, run again on every change of a notebook,
# the codebook or the wave's folder (only what changed re-runs); into outputs/preview/, never
# the published outputs. PDF=1 renders the PDFs too.
PORT ?= 8000
preview: $(STAMP)
	$(PY) -m surveybrief preview --data "$(DATA)" --out "$(OUT)/preview" --port $(PORT) \
		$(if $(WAVE),--wave "$(WAVE)",) $(if $(LANGS),--langs "$(LANGS)",) $(if $(PDF),--pdf,)

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

# Re-resolve requirements.in into requirements.lock (one resolution for Python 3.11.2 to 3.13,
# markers where a package needs them; the current pins are kept unless UPGRADE=1) and mirror the
# pins into environment.yml.
lock: $(STAMP)
	cp requirements.lock .lock-compiled.txt
	$(VENV)/bin/uv pip compile --universal --python-version 3.11.2 --no-annotate --no-header \
		$(if $(UPGRADE),--upgrade,) requirements.in -o .lock-compiled.txt
	$(PY) -c "from surveybrief.tools.lockfile import write_lock_files; write_lock_files('.lock-compiled.txt')"
	rm -f .lock-compiled.txt
	{ sed -n '1,2p' requirements-peers.lock; $(VENV)/bin/uv pip compile --universal \
		--python-version 3.11.2 --no-annotate --no-header -c requirements.lock \
		requirements-peers.in; } > .lock-peers.txt && mv .lock-peers.txt requirements-peers.lock

clean-outputs:
	rm -rf outputs/*/ data/processed
