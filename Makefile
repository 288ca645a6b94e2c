# Two commands on a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
EXTRAS ?= test

.PHONY: demo test test-sqlite test-postgres lint bench messages bytecode clean

$(VENV)/.installed-%: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$*]"
	@touch $@

$(VENV)/.installed-base: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

## Every `aigaq` command starts faster from compiled modules; where PYTHONDONTWRITEBYTECODE is
## set, Python would otherwise compile the project's modules again at every start (~0.15 s).
bytecode:
	@$(PY) -m compileall -q src/aigaq >/dev/null

## Runs the demo: init + 2,000 synthetic persons (first time) + serve on 127.0.0.1:$(PORT).
demo: $(VENV)/.installed-base bytecode
	$(VENV)/bin/aigaq demo --port $(PORT)

## Runs the whole suite on SQLite, then on PostgreSQL when AIGAQ_TEST_POSTGRES_URL is set.
test: $(VENV)/.installed-$(EXTRAS) bytecode
	$(VENV)/bin/ruff check src tests bench
	$(MAKE) test-sqlite
	@if [ -n "$$AIGAQ_TEST_POSTGRES_URL" ]; then $(MAKE) test-postgres; \
	 else echo "make test: AIGAQ_TEST_POSTGRES_URL not set, PostgreSQL run skipped (.ci/run sets it)"; fi

test-sqlite:
	env -u DATABASE_URL $(PY) -m pytest -n 2 $(PYTEST_ARGS)

test-postgres:
	DATABASE_URL="$$AIGAQ_TEST_POSTGRES_URL" $(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS)

lint: $(VENV)/.installed-$(EXTRAS)
	$(VENV)/bin/ruff check src tests bench

## Rebuild the compiled translations after editing a .po file.
messages:
	cd src/aigaq && ../../$(VENV)/bin/django-admin compilemessages

bench: $(VENV)/.installed-$(EXTRAS) bytecode
	$(PY) bench/registry_bench.py

clean:
	rm -rf $(VENV) build *.egg-info
