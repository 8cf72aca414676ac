# The two commands of the README. Each makes the virtual environment first (Python 3.12,
# as .python-version says) and installs the project into it.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: sample test bench browser bytecode

$(BIN)/minutes: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12) and "Python 3.12 or newer is needed (hazm 0.12); set PYTHON=/path/to/python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# pip compiles an installed package's modules, but not those of an editable install; where
# PYTHONDONTWRITEBYTECODE is set, Python never writes them either, and every start (every
# batch's worker server) would compile the package again. Up-to-date files are skipped.
bytecode: $(BIN)/minutes
	$(BIN)/python -m compileall -q extract

# The main job on the sample corpus: one validated JSON result per report in out/,
# then the accuracy of those results against the corpus's gold annotations.
sample: $(BIN)/minutes bytecode
	$(BIN)/minutes extract corpus/*.txt --out-dir out/
	$(BIN)/minutes eval corpus/ --no-thresholds

# The tests, then the accuracy gate (thresholds in pyproject.toml [tool.minutes.eval]).
test: $(BIN)/minutes bytecode browser
	$(BIN)/python -m pytest -q
	$(BIN)/minutes eval corpus/

# Debian's Chromium for the review page's browser tests; they skip, saying so, without it.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "chromium is not installed: the browser tests will be skipped"

bench: $(BIN)/minutes bytecode
	$(BIN)/python bench/normalize.py
	$(BIN)/python bench/peyma.py
	$(BIN)/python bench/review.py
	$(BIN)/python bench/stages.py
	$(BIN)/python bench/batch.py
