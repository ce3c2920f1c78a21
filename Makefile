# Two commands from a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := meetup

.PHONY: run test lint format clean screenshots bench bench-accounts audit translations

# Catalogs: the .po files are the source, committed; the .mo files are built
# from them here (never committed), so a compiled catalog can't go stale.
CATALOGS := $(wildcard meetup/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
BABEL_KEYWORDS := -k _l -k "pgettext_l:1c,2" -k N_

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Hearth needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Installed together with the dev set so that pins shared with it hold.
$(VENV)/.audit: requirements-audit.txt $(VENV)/.dev
	$(BIN)/pip install --quiet -r requirements-dev.txt -r requirements-audit.txt
	touch $@

%.mo: %.po | $(VENV)/.runtime
	$(BIN)/pybabel compile --statistics -i $< -o $@

# Find new strings, add them to every catalog (no guessing from similar ones:
# a fuzzy match would ship a wrong sentence), then compile.
translations: $(VENV)/.dev
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --no-location \
		--sort-output --project Hearth --copyright-holder Hearth \
		-o meetup/translations/messages.pot .
	$(BIN)/pybabel update -i meetup/translations/messages.pot -d meetup/translations \
		--no-fuzzy-matching --ignore-obsolete --width 88
	$(MAKE) $(COMPILED)

run: $(VENV)/.runtime $(COMPILED)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	@echo "Hearth is at http://$(HOST):$(PORT)/  (Ctrl+C stops it; mail is printed here)"
	@# The mail worker runs beside the web server and stops with it. Pages and the
	@# mail they send link to the host and port served; the worker's reminders
	@# are told them here, unless PUBLIC_URL says otherwise.
	@PUBLIC_URL="$${PUBLIC_URL:-http://$(subst 0.0.0.0,127.0.0.1,$(HOST)):$(PORT)}" \
		$(BIN)/flask worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint $(COMPILED)
	$(BIN)/pytest

bench: $(VENV)/.dev
	$(BIN)/python -m bench.run

# Does any way in take longer for an address with an account? (medians)
bench-accounts: $(VENV)/.dev $(COMPILED)
	$(BIN)/python -m bench.accounts

screenshots: $(VENV)/.dev $(COMPILED)
	$(BIN)/python -m tools.screenshots

# Security checks. bandit prints every finding in the app code but fails only on
# HIGH severity; pip-audit fails on any known vulnerability in our pins and says
# which pins it could not check (AUDIT_STRICT=1 makes that a failure too).
audit: $(VENV)/.audit
	$(BIN)/bandit -r meetup config.py wsgi.py --exit-zero --quiet
	$(BIN)/bandit -r meetup config.py wsgi.py --severity-level high --quiet
	@# Its exit code is read from the report below, which also lists what it skipped;
	@# the old report goes first, so a run that writes none cannot pass on it.
	rm -f $(VENV)/pip-audit.json
	-$(BIN)/pip-audit --no-deps --disable-pip --progress-spinner off --timeout 15 \
		-r requirements.txt -r requirements-dev.txt --format json --output $(VENV)/pip-audit.json
	$(BIN)/python -m tools.audit_report $(VENV)/pip-audit.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
