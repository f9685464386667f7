# Two commands on a fresh machine:
#   make run    install, ingest ../shared/corpus (DOCS=folder to change) and serve on 127.0.0.1:8000
#   make test   install everything the tests need and run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DOCS ?= ../shared/corpus
PORT ?= 8000
STORE ?= sqlite:///data/tejido.db

.PHONY: run test install install-test install-system lint bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	npm ci --silent --no-audit --no-fund
	$(MAKE) --no-print-directory install-system

# Debian's Chromium for the browser tests (no browser download of its own is possible here).
install-system:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: chromium could not be installed; browser tests will be skipped"; \
	  else echo "warning: run as root or install Debian's chromium for the browser tests"; fi; \
	fi

run: install
	$(BIN)/tejido ingest $(DOCS) --store $(STORE)
	$(BIN)/tejido serve --store $(STORE) --port $(PORT)

# The suite runs under tests/neo4j/with-neo4j.sh, which starts a Neo4j 5 community server from
# Maven Central (cached in .cache/neo4j) for the Neo4j tests and stops it afterwards; without
# Java 17 or Maven those tests are skipped and say why (-rs lists every skip with its reason).
# --dist loadgroup keeps the Neo4j tests on one worker, since the server has one database.
test: install-test
	$(BIN)/ruff check app evaluation graph loaders queries tests bench
	TEJIDO_PYTHON=$(BIN)/python tests/neo4j/with-neo4j.sh \
	  $(BIN)/pytest -n 2 --dist loadgroup -q -rs -p no:cacheprovider

bench: install-test
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.duplication
	$(BIN)/python -m bench.first_request --instruments 100000
	$(BIN)/python -m bench.views
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.cli_start
	$(BIN)/python -m bench.hostile
	$(BIN)/python -m bench.neo4j

# Refresh the README's screenshots from the browser tests.
screenshots: install-test
	TEJIDO_UPDATE_DOCS_IMAGES=1 $(BIN)/pytest -q -p no:cacheprovider tests/browser/test_explorer_pages.py tests/browser/test_explorer_defects.py

clean:
	rm -rf $(VENV) node_modules data .pytest_cache .cache
