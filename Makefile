# The two set-up commands of the README: `make serve` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PYTHON ?= python3
MODEL_DIR ?= models
HOST ?= 127.0.0.1
PORT ?= 8000
SAMPLE := data/sample
PIP := $(BIN)/pip install -qq --disable-pip-version-check
QUIET := TF_CPP_MIN_LOG_LEVEL=3 TQDM_DISABLE=1

.PHONY: serve test sample-models

# Serving needs the API alone; the training extra comes only to build the sample models.
serve: $(VENV)/.api
	@test -f $(MODEL_DIR)/LIVE || $(MAKE) --no-print-directory sample-models
	@echo "careerpath: serving $(MODEL_DIR)/ on http://$(HOST):$(PORT) (docs at /docs)"
	@CAREERPATH_MODEL_DIR=$(MODEL_DIR) $(BIN)/careerpath serve --host $(HOST) --port $(PORT)

sample-models: $(VENV)/.train
	@echo "careerpath: training the sample models into $(MODEL_DIR)/ (log: $(VENV)/sample.log)"
	@$(QUIET) $(BIN)/careerpath train all --courses $(SAMPLE)/courses.jsonl \
		--corpus $(SAMPLE)/jobs.jsonl $(SAMPLE)/unlabeled.jsonl \
		--jobs $(SAMPLE)/jobs.jsonl --unlabeled $(SAMPLE)/unlabeled.jsonl \
		--postings $(SAMPLE)/postings.jsonl --taxonomy $(SAMPLE)/skills.jsonl \
		--skill-judgments $(SAMPLE)/skill_judgments \
		--judgments $(SAMPLE)/judgments --store $(MODEL_DIR) > $(VENV)/sample.log 2>&1 \
		|| (tail -30 $(VENV)/sample.log; exit 1)
	@tail -1 $(VENV)/sample.log

# The suite, then its timing-sensitive tests once more: a test that passes once by luck of
# the clock should not land.
test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest
	$(BIN)/pytest -m timing -q

$(VENV)/.api: pyproject.toml
	@echo "careerpath: installing the API into $(VENV)/"
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip
	@$(PIP) -e .
	@touch $@

$(VENV)/.train: $(VENV)/.api
	@echo "careerpath: installing the training extra (TensorFlow, scikit-learn) to build models"
	@$(PIP) -e '.[train]'
	@touch $@

$(VENV)/.installed: pyproject.toml
	@echo "careerpath: installing the API, training, Spark and development tools into $(VENV)/"
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip
	@$(PIP) -e '.[train,spark,dev]'
	@touch $@ $(VENV)/.api $(VENV)/.train
