# OrderHub: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both do all set-up from a fresh clone (virtualenv, dependencies, front-end files, translations).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app webapp
PORT ?= 5000
HTMX := static/vendor/htmx-2.0.11.min.js
JSQR := static/vendor/jsQR-1.4.0.min.js
PO := $(wildcard webapp/*/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: setup run test test-fast bench clean
setup: $(VENV)/.installed $(HTMX) $(JSQR) $(MO)

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check --upgrade pip
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

$(HTMX): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

# The QR decoder for phones without BarcodeDetector; loaded only when the scanner opens. Our labels
# are ASCII URLs, so jsQR's Shift-JIS (kanji mode) table, 35 kB of its 46 kB gzip, is left out.
$(JSQR): $(HTMX)
	sed '/^exports.shiftJISTable = {$$/,/^};$$/c exports.shiftJISTable = {};' node_modules/jsqr/dist/jsQR.js \
	  | node_modules/.bin/terser --compress --mangle -o $@

%.mo: %.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo seed
	@echo "OrderHub on http://127.0.0.1:$(PORT)"
	@$(PY) scripts/demo_logins.py
	@rm -rf instance/metrics && mkdir -p instance/metrics
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  export PROMETHEUS_MULTIPROC_DIR=$(CURDIR)/instance/metrics; \
	  $(FLASK) worker & worker=$$!; \
	  $(VENV)/bin/gunicorn --workers 2 --threads 4 --bind 127.0.0.1:$(PORT) --access-logfile - 'webapp:create_app()'

test: setup
	$(PY) -m pytest -n 4 -q --durations=25

test-fast: setup
	$(PY) -m pytest -q -x -m "not browser"

bench: setup
	$(VENV)/bin/pip install -q --disable-pip-version-check -e '.[dev,bench]'
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules static/vendor $(MO)
