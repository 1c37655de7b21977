# The two commands: `make run` and `make test`. Everything else is a step of them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe
LAMBDA_PLATFORM := manylinux2014_x86_64
BOTOCORE_SERVICES := dynamodb|s3|sqs|stepfunctions|sesv2|scheduler|cognito-idp|secretsmanager|kms|sts
COMPILES := services shared infra lecteur_zip boto3 botocore s3transfer jmespath dateutil urllib3 six.py \
  pydantic pydantic_core annotated_types typing_extensions.py typing_inspection \
  aws_lambda_powertools jinja2 markupsafe email_validator idna dns phonenumbers stdnum \
  orjson tzdata chalice aws_xray_sdk wrapt

.PHONY: run demo test check lint typecheck imports unit e2e package bench clean web web-test checkov

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The portal (web/): npm ci when the lock changes, vite build when a source changes.
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts \
  $(wildcard web/tsconfig*.json)
WEB_STAMP := web/node_modules/.installe

$(WEB_STAMP): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $(WEB_STAMP)

web/dist/index.html: $(WEB_STAMP) $(WEB_SOURCES)
	cd web && npm run --silent build

web: web/dist/index.html

## The portal's unit tests (Vitest, jsdom); its browser tests run in tests/e2e/test_portail.py.
web-test: $(WEB_STAMP)
	cd web && npx --no-install vitest run --project unit

## Start the local platform on 127.0.0.1 (Ctrl-C stops it).
run: $(STAMP) web
	exec $(BIN)/segurnum local --port $(or $(PORT),8000) --port-moto $(or $(PORT_MOTO),5001) --port-portail $(or $(PORT_PORTAIL),8080) $(if $(HORLOGE),--horloge $(HORLOGE),)

## The seed's story against the platform `make run` started (another terminal).
demo: $(STAMP)
	$(BIN)/segurnum demo

## The whole suite: static checks, unit + integration + template (two workers: 1.5 min
## instead of 2.5), then e2e over HTTP in one process (a platform shared by the session),
## then least privilege: the e2e suite's AWS calls against the packaged roles (package ~30 s).
test: $(STAMP) web
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory web-test
	$(BIN)/pytest tests/unit tests/integration tests/infra -p no:cacheprovider -x -n 2
	$(BIN)/pytest tests/e2e -p no:cacheprovider -x
	$(MAKE) --no-print-directory checkov
	$(BIN)/pytest tests/privileges -p no:cacheprovider -x

check: lint typecheck imports

## mypy strict also over the unit tests' fakes, each a subclass of the port it stands for,
## and the modules that wire them into the use cases: a port that changes fails here.
FAKES := $(wildcard tests/unit/*/fakes*.py tests/unit/*/faux*.py) tests/unit/depot/plateforme.py \
  tests/unit/depot/aide_format.py

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy services shared lecteur_zip
	$(BIN)/mypy $(FAKES)

imports: $(STAMP)
	$(BIN)/lint-imports --no-cache

## The deployable template: the project's wheel in the Lambda bundle, merged resources.
package: $(STAMP)
	rm -rf build/dist build/projet build/sam build/lib build/bdist.*
	$(BIN)/pip wheel -q --no-deps -w build/dist .
	mkdir -p build/projet/.chalice
	cp infra/app.py build/projet/app.py
	cp infra/.chalice/config.json infra/.chalice/policy-*.json build/projet/.chalice/
	$(BIN)/pip install -q --no-compile --target build/projet/vendor --platform $(LAMBDA_PLATFORM) \
	  --implementation cp --python-version 3.11 --only-binary=:all: build/dist/segurnum-*.whl 2>&1 | grep -v "^WARNING: Location" || true
	# The command line and its demo are not the Lambda's (typer and rich are not in the bundle).
	rm -rf build/projet/vendor/infra/cli.py build/projet/vendor/services/*/cli.py \
	  build/projet/vendor/infra/demo
	# botocore: the models of the services the platform calls only (benchmarks/bench_bundle.py
	# checks every client the code creates has its model).
	cd build/projet/vendor/botocore/data && ls | grep -vxE '$(BOTOCORE_SERVICES)|.*\.json' | xargs rm -rf
	# Bytecode for what a cold start imports (Lambda cannot write it in /var/task); the PDF
	# and signature libraries, imported only when a document is made, are left as source.
	cd build/projet/vendor && ../../../$(BIN)/python -m compileall -q -j 0 $$(ls -d $(COMPILES) 2>/dev/null) >/dev/null
	cd build/projet && AWS_DEFAULT_REGION=eu-west-3 ../../$(BIN)/chalice package --merge-template ../../infra/resources.yaml ../sam
	cp -r infra/statemachines build/sam/statemachines
	$(BIN)/cfn-lint build/sam/sam.yaml infra/waf-cloudfront.yaml

## checkov on the packaged template and on the portal's web ACL stack (us-east-1): zero
## failures; a check that does not apply is skipped in the template itself, with its reason.
## Its own venv, pinned: its dependencies never meet the project's.
CHECKOV_VERSION := 3.3.30
CHECKOV_VENV := build/outils-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.checkov-$(CHECKOV_VERSION)

$(CHECKOV_STAMP):
	rm -rf $(CHECKOV_VENV) && $(PY) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q checkov==$(CHECKOV_VERSION)
	touch $@

checkov: package $(CHECKOV_STAMP)
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation -f build/sam/sam.yaml -f infra/waf-cloudfront.yaml

## Every benchmark runs (and prints its figures) even after a missed target; fails at the end.
bench: $(STAMP)
	@echec=0; \
	for b in benchmarks/bench_*.py; do [ "$$b" = benchmarks/bench_bundle.py ] || $(BIN)/python $$b || echec=1; done; \
	$(MAKE) --no-print-directory package || exit 1; \
	$(BIN)/python benchmarks/bench_bundle.py || echec=1; \
	exit $$echec

clean:
	rm -rf build dist .mypy_cache .ruff_cache .hypothesis
