# The assistant's commands. `make run` and `make test` do all the set-up on a
# fresh clone (Python 3.10 venv, pinned packages, spaCy pipeline, training).
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV    := .venv
PY      := $(VENV)/bin/python
RASA    := $(VENV)/bin/rasa
MODEL   := models/assistant.tar.gz
export DATABASE_URL ?= sqlite:///var/assistant.db
export ACTION_PORT  ?= 5055
export ACTION_SERVER_URL ?= http://127.0.0.1:$(ACTION_PORT)/webhook
export TF_CPP_MIN_LOG_LEVEL ?= 2
export RASA_TELEMETRY_ENABLED ?= false
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1

.PHONY: help setup system train run shell test test-fast lint validate evaluate bench safety migrate clean

help:  ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup:  ## Create .venv (Python 3.10) and install the pinned dependencies
	@bash scripts/setup.sh

system:  ## Install the Debian programs the tests drive (Chromium, nginx), if missing
	@bash scripts/setup_system.sh

train: setup  ## Train a model into models/ (skipped when data, config and components are unchanged)
	@$(PY) scripts/train.py

run: train  ## Set up, train if needed, and run the assistant (Ctrl-C stops it)
	@$(PY) serve/run.py

shell: train  ## Chat with the assistant in the terminal
	@$(PY) -m serve.model_integrity $(MODEL)
	@mkdir -p var; \
	export ACTION_SERVER_TOKEN="$${ACTION_SERVER_TOKEN:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(32))')}"; \
	SANIC_HOST=127.0.0.1 $(PY) -m serve.action_server --actions actions --port $(ACTION_PORT) --quiet & pid=$$!; \
	trap "kill $$pid 2>/dev/null" EXIT; \
	$(RASA) shell --model $(MODEL) --endpoints endpoints.yml

lint: setup  ## Check formatting and lint rules with ruff (settings in pyproject.toml)
	@$(VENV)/bin/ruff format --check --quiet .
	@$(VENV)/bin/ruff check --quiet .

validate: setup  ## Check the training data and domain: rasa data validate, judged by tests/test_data.py
	@$(PY) -m pytest -q tests/test_data.py

test: train system  ## Run every test: unit, data validation, stories, NLU held-out, live server
	@$(PY) -m pytest

FAST := not model and not browser and not cluster and not slow
test-fast: setup  ## Run the quick tests: no trained model, browser or cluster needed (under 2 minutes; marks in pytest.ini)
	@$(PY) -m pytest -m "$(FAST)"

evaluate: setup  ## NLU evaluation: 5-fold CV and held-out, ours against Rasa's default; writes reports/nlu_evaluation.md
	@$(PY) scripts/evaluate_nlu.py

bench: train  ## Load benchmark, ours against Rasa's default config; writes reports/bench.md
	@$(PY) scripts/train.py --baseline
	@$(PY) -m scripts.bench

safety: train  ## Safety suite: scripted conversations on the live servers, VERA-MH's five scores; writes reports/safety.md
	@$(PY) -m scripts.safety_suite

migrate: setup  ## Create or upgrade the project's tables in DATABASE_URL (every server also does it on start)
	@$(PY) -m records.schema

clean:  ## Remove trained models and local data (var/)
	rm -rf models/*.tar.gz var results .rasa
