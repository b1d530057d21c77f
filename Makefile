# Two commands: `make site` builds site/, `make test` runs every test.
# Both create .venv with the pinned dependencies on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.requirements-installed
TEST_READY := $(VENV)/.requirements-dev-installed

.PHONY: site test tools serve clean vega-runtime

site: $(READY)
	$(BIN)/python build.py

# Two workers, a test module each at a time (its browser and fixtures stay together); the
# suite's times are in benchmarks/README.md, "The test suite".
test: $(TEST_READY)
	$(BIN)/python -m pytest -n 2 --dist loadfile

# What the browser, HTML, workflow and print tests need beyond Python (Debian, as root):
# Chromium, Java, poppler, actionlint. Without them `make test` skips those tests.
tools:
	bash .ci/install-tools

# Live preview at http://127.0.0.1:8000/: rebuilds and reloads on every save (Ctrl-C stops).
# The site also opens straight from disk.
serve: $(READY)
	$(BIN)/python build.py serve

$(READY): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(READY)

$(TEST_READY): $(READY) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(TEST_READY)

clean:
	rm -rf $(VENV) .cache .pytest_cache tests/screenshots

# The chart runtime in templates/assets/: Vega's own browser build, and its expression
# interpreter and tooltip handler bundled by esbuild. Needs npm; the results are committed,
# so building and testing the site never does. Versions: Vega as carried by vl-convert.
VEGA_NPM := vega@6.4.0 vega-interpreter@2.3.2 vega-tooltip@1.0.0 esbuild@0.28.2
vega-runtime:
	rm -rf .cache/npm && mkdir -p .cache/npm
	cd .cache/npm && npm init -y > /dev/null && \
	    npm install --no-audit --no-fund --save-exact $(VEGA_NPM)
	cp .cache/npm/node_modules/vega/build/vega.min.js templates/assets/vega.min.js
	NODE_PATH=.cache/npm/node_modules .cache/npm/node_modules/.bin/esbuild \
	    templates/vega-extras.src.js --bundle --minify --format=iife --legal-comments=eof \
	    --target=es2020 --outfile=templates/assets/vega-extras.js
