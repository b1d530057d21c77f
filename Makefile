# Two commands: `make site` builds site/, `make test` runs every test.
# Both create .venv with the pinned dependencies on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.requirements-installed

.PHONY: site test serve clean

site: $(READY)
	$(BIN)/python build.py

test: $(READY)
	$(BIN)/python -m pytest

# Preview over HTTP at http://localhost:8000/ (the site also opens straight from disk).
serve: site
	$(BIN)/python -m http.server --directory site 8000

$(READY): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(READY)

clean:
	rm -rf $(VENV) .pytest_cache tests/screenshots
