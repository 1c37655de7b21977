# The two commands: `make run` and `make test`. Everything else is a step of them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe
LAMBDA_PLATFORM := manylinux2014_x86_64

.PHONY: run test check lint typecheck imports unit e2e package bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Start the local platform on 127.0.0.1 (Ctrl-C stops it).
run: $(STAMP)
	exec $(BIN)/segurnum local --port $(or $(PORT),8000) --port-moto $(or $(PORT_MOTO),5001) $(if $(HORLOGE),--horloge $(HORLOGE),)

## The whole suite: static checks, unit + integration + template, then e2e over HTTP.
test: $(STAMP)
	$(MAKE) --no-print-directory check
	$(BIN)/pytest tests/unit tests/integration tests/infra -p no:cacheprovider -x -q
	$(BIN)/pytest tests/e2e -p no:cacheprovider -x -q

check: lint typecheck imports

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy services shared

imports: $(STAMP)
	$(BIN)/lint-imports --no-cache

## The deployable template: the project's wheel in the Lambda bundle, merged resources.
package: $(STAMP)
	rm -rf build/dist build/projet build/sam
	$(BIN)/pip wheel -q --no-deps -w build/dist .
	mkdir -p build/projet/.chalice
	cp infra/app.py build/projet/app.py
	cp infra/.chalice/config.json infra/.chalice/policy-dev.json build/projet/.chalice/
	$(BIN)/pip install -q --target build/projet/vendor --platform $(LAMBDA_PLATFORM) \
	  --implementation cp --python-version 3.11 --only-binary=:all: build/dist/segurnum-*.whl 2>&1 | grep -v "^WARNING: Location" || true
	cd build/projet && AWS_DEFAULT_REGION=eu-west-3 ../../$(BIN)/chalice package --merge-template ../../infra/resources.yaml ../sam
	cp -r infra/statemachines build/sam/statemachines
	$(BIN)/cfn-lint build/sam/sam.yaml

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_imports.py
	@for b in benchmarks/bench_*.py; do [ "$$b" = benchmarks/bench_imports.py ] || $(BIN)/python $$b || exit 1; done

clean:
	rm -rf build dist .mypy_cache .ruff_cache .hypothesis
