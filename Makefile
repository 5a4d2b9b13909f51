# Stride: `make run` serves the API on an embedded local AWS; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAGE ?= prod
STAMP := $(VENV)/.installed

.PHONY: run web test test-fast test-e2e openapi package lint-templates rehearse publish-web smoke bench load fuzz clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Stride needs Python 3.11 (python3.11 or python3 on PATH)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m devtools.run

# The web client alone: npm ci and npm run build in web/, each only when stale (make run does it too).
web: $(STAMP)
	$(BIN)/python -m devtools.web --build

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests/unit tests/api

test-e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e --no-cov

openapi: $(STAMP)
	$(BIN)/python -m devtools.openapi --output chalicelib/openapi.json

package: $(STAMP)
	$(BIN)/python -m devtools.package --stage $(STAGE) $(if $(PARAMETERS),--parameters $(PARAMETERS))

# Uploads web/dist to the deployed stage's web bucket (needs that stage's AWS credentials).
publish-web: web
	$(BIN)/python -m devtools.publish_web --stack stride-$(STAGE)

# A short black-box journey against a stage: make smoke URL=https://api.fitco.io, with an operator's test
# account in SMOKE_EMAIL/SMOKE_PASSWORD, or SIGNUP=you+smoke@fitco.io [CODE=...] to sign a new one up.
smoke: $(STAMP)
	$(BIN)/python -m devtools.smoke --url $(URL) $(if $(SIGNUP),--signup $(SIGNUP)) $(if $(CODE),--code $(CODE))

rehearse: $(STAMP)
	$(BIN)/python -m devtools.rehearse

lint-templates: $(STAMP)
	for stage in dev staging prod; do $(BIN)/python -m devtools.package --stage $$stage --example --lint || exit 1; done
	$(BIN)/cfn-lint infra/bootstrap.json

clean:
	rm -rf build .pytest_cache .coverage htmlcov web/dist

bench: $(STAMP)
	$(BIN)/python bench/run.py

load: $(STAMP)
	$(BIN)/python load/run.py

fuzz: $(STAMP)
	$(BIN)/python fuzz/run.py
