# The two set-up commands of the README: `make serve` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
MODEL_DIR ?= models
SAMPLE := data/sample

.PHONY: serve test lint

serve: $(VENV)/.installed
	@test -f $(MODEL_DIR)/LIVE || $(BIN)/careerpath train all --courses $(SAMPLE)/courses.jsonl \
		--corpus $(SAMPLE)/jobs.jsonl $(SAMPLE)/unlabeled.jsonl \
		--jobs $(SAMPLE)/jobs.jsonl --unlabeled $(SAMPLE)/unlabeled.jsonl \
		--postings $(SAMPLE)/postings.jsonl --taxonomy $(SAMPLE)/skills.jsonl \
		--skill-judgments $(SAMPLE)/skill_judgments \
		--judgments $(SAMPLE)/judgments --store $(MODEL_DIR)
	CAREERPATH_MODEL_DIR=$(MODEL_DIR) $(BIN)/careerpath serve --host 0.0.0.0 --port 8000

test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[train,spark,dev]'
	touch $@
