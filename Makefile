# Stride: `make run` serves the API on an embedded local AWS; `make test` runs the whole suite.
# Python 3.13, what the Lambda runs: python3.13 on PATH, or pyenv's.
PYTHON ?= $(firstword $(foreach candidate,python3.13 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13),\
	$(shell $(candidate) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null && echo $(candidate))))
VENV := .venv
BIN := $(VENV)/bin
STAGE ?= prod
# Named by the interpreter, so a venv made with another Python is made again.
STAMP := $(VENV)/.installed-3.13
# pytest-xdist workers: one per core (the end-to-end tests share one worker and one stack).
WORKERS ?= auto

.PHONY: check typecheck lint-imports served-tables run web web-test test test-fast test-shifted test-e2e openapi clients package lint-templates rehearse publish-web smoke bench bench-activities scale load fuzz clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Stride needs Python 3.13 (python3.13 on PATH)"; exit 1; }
	$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# What the app reads as it runs, written by `make openapi`: the routes it registers and the shapes it
# answers with. make run and make package refuse a stale one (a new route would be silently missing).
served-tables: $(STAMP)
	@$(BIN)/python -m devtools.route_table --check >/dev/null || { echo "make $(MAKECMDGOALS): refused" >&2; exit 1; }
	@$(BIN)/python -m devtools.response_shapes --check >/dev/null || { echo "make $(MAKECMDGOALS): refused" >&2; exit 1; }

run: $(STAMP) served-tables
	$(BIN)/python -m devtools.run

# The web client alone: npm ci and npm run build in web/, each only when stale (make run does it too).
web: $(STAMP)
	$(BIN)/python -m devtools.web --build

# The web client's unit tests (Vitest, in node): validation, units, pages and upload helpers.
web-test: web
	cd web && npm test

# DAYS (fractions too) and TEST_TZ run the unit and API suites with the app's clock moved and in
# another zone; the end-to-end tests keep the machine's (their stack and browser are other processes).
SHIFT = $(if $(DAYS),--clock-shift-days $(DAYS)) $(if $(TEST_TZ),--time-zone $(TEST_TZ))

test: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup $(SHIFT)

# The inner loop: unit and API, without the tests that build the deployment package (make test
# and make rehearse check the templates).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup $(SHIFT) -m "not package" tests/unit tests/api

# The inner loop at another date and zone: nothing may depend on today.
test-shifted: DAYS ?= 3.4
test-shifted: TEST_TZ ?= Pacific/Kiritimati
test-shifted: $(STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup --no-cov $(SHIFT) tests/unit tests/api

test-e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e --no-cov

# make test, RUNS times in a row (3 unless told), beside a CPU hog that keeps every core busy
# (devtools/loaded.py): the suite must hold on a busy machine. Each run's time is printed, to set
# beside the quiet figure in README; the first failure ends it, and the hog always stops.
.PHONY: test-loaded
RUNS ?= 3
test-loaded: $(STAMP)
	$(BIN)/python -m devtools.loaded --runs $(RUNS) -- $(MAKE) test

# mypy over chalicelib (strictness in pyproject.toml) and the import contracts (.importlinter).
typecheck: $(STAMP)
	$(BIN)/mypy

lint-imports: $(STAMP)
	$(BIN)/lint-imports

# Exactly CI's static checks, in CI's order (.ci/run runs this target): a draft that passes here passes them.
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/bandit -q -r chalicelib app.py -ll
	$(BIN)/actionlint
	$(BIN)/python -m devtools.openapi --check
	$(BIN)/python -m devtools.response_shapes --check
	$(BIN)/python -m devtools.route_table --check

openapi: $(STAMP)
	$(BIN)/python -m devtools.openapi --output chalicelib/openapi.json
	$(BIN)/python -m devtools.response_shapes --output chalicelib/response_shapes.json
	$(BIN)/python -m devtools.route_table --output chalicelib/route_table.json

# Generates a TypeScript and a Python client from the document and fails if either breaks.
clients: $(STAMP)
	$(BIN)/python -m devtools.clients

# BUILD_DIR: where the stage's sam.json, deployment.zip and parameters.json go; LINT=1 runs cfn-lint on them.
BUILD_DIR ?= build
package: $(STAMP) served-tables
	$(BIN)/python -m devtools.package --stage $(STAGE) --build-dir $(BUILD_DIR) $(if $(PARAMETERS),--parameters $(PARAMETERS)) $(if $(LINT),--lint)

# Uploads web/dist to the deployed stage's web bucket (needs that stage's AWS credentials).
publish-web: web
	$(BIN)/python -m devtools.publish_web --stack stride-$(STAGE)

# A short black-box journey against a stage: make smoke URL=https://api.fitco.io, with an operator's test
# account in SMOKE_EMAIL/SMOKE_PASSWORD, or SIGNUP=you+smoke@fitco.io [CODE=...] to sign a new one up.
smoke: $(STAMP)
	$(BIN)/python -m devtools.smoke --url $(URL) $(if $(SIGNUP),--signup $(SIGNUP)) $(if $(CODE),--code $(CODE))

rehearse: $(STAMP)
	$(BIN)/python -m devtools.rehearse

# Lints every stage packaged with the example values, in a folder of its own: never where a deploy reads.
lint-templates: $(STAMP)
	for stage in dev staging prod; do $(BIN)/python -m devtools.package --stage $$stage --example --lint --build-dir build/lint || exit 1; done
	$(BIN)/cfn-lint infra/bootstrap.json

clean:
	rm -rf build .pytest_cache .coverage htmlcov web/dist

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/activities.py

# What an activity file costs in CPU (1-hour run, 6-hour ride; parse, measure, simplify, GPX out): into bench/results.md.
bench-activities: $(STAMP)
	$(BIN)/python bench/activities.py

# What a request costs one person with N = 10..10,000 of each tracked item (DynamoDB calls, items,
# RCU, bytes), and the e-mail run at 10,000 people due with AWS's latency injected: into bench/results.md.
scale: $(STAMP)
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/email_run.py

load: $(STAMP)
	$(BIN)/python load/run.py

fuzz: $(STAMP)
	$(BIN)/python fuzz/run.py
