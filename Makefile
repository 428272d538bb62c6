# Two commands set everything up on a fresh machine: `make run` and `make test`.
# The Python the virtualenv is made with: the newest 3.11 or later on PATH and, of that version, a
# build made for speed if there is one (rank 0: profile-guided with `--enable-optimizations`, or
# libpython linked into the executable, as Debian and Ubuntu build theirs) before a plain one
# (rank 1: a shared libpython without profile-guided optimisation, pyenv's usual build, on which
# cminbox scores and stores about 12 % slower; bench/README.md, "Ingest"). A build without `venv`'s
# ensurepip (Debian's, until python3-venv is installed) is passed over.
PYTHON_RANK = import os, sys, sysconfig, ensurepip; sys.version_info >= (3, 11) or sys.exit(1); \
	maps = open("/proc/self/maps").read() if os.path.exists("/proc/self/maps") else ""; \
	print(0 if "--enable-optimizations" in (sysconfig.get_config_var("CONFIG_ARGS") or "") \
	or (maps and "libpython" not in maps) else 1)
PYTHON ?= $(shell for name in python3.13 python3.12 python3.11 python3; do \
	plain=; IFS=:; for dir in $$PATH; do \
		rank=$$("$$dir/$$name" -c '$(PYTHON_RANK)' 2>/dev/null) || continue; \
		test "$$rank" = 0 && { echo "$$dir/$$name"; exit; }; \
		plain=$${plain:-$$dir/$$name}; \
	done; \
	test -n "$$plain" && { echo "$$plain"; exit; }; \
done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ARGS ?=
# Compile the package as `pip install` would: an editable install leaves that to the first start,
# and an environment with PYTHONDONTWRITEBYTECODE would compile it again on every start.
BYTECODE = $(BIN)/python -m compileall -q cminbox >/dev/null

.PHONY: run test bench bench-scoring bench-sync clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "cminbox needs Python 3.11 or newer" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BYTECODE)
	touch $(STAMP)

run: $(STAMP)  ## open the live demo inbox (pass more options with ARGS="--speed 5")
	@$(BYTECODE)
	$(BIN)/cminbox --demo $(ARGS)

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest $(ARGS)

bench: $(STAMP)  ## print the inbox benchmark figures (ARGS="--sizes 100000")
	$(BIN)/python bench/bench_inbox.py $(ARGS)

bench-scoring: $(STAMP)  ## messages scored per second on one core (target 5,000)
	$(BIN)/python bench/bench_scoring.py

bench-sync: $(STAMP)  ## sync benchmark against local fake servers (ARGS="--items 5000")
	$(BIN)/python bench/bench_sync.py $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
