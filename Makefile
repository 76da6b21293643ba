# The two set-up commands: `make run` and `make test`. Both install what is missing (Debian 12
# packages), build, and then run.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Build and test dependencies, all from Debian 12.
PACKAGES := g++ cmake ninja-build pkg-config clang-14 libclang-rt-14-dev clang-format \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev \
  libsimdjson-dev libyaml-cpp-dev libsqlite3-dev libpq-dev libssl-dev libcurl4-openssl-dev \
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libsodium-dev libgtest-dev \
  libgmock-dev libbenchmark-dev awscli python3-boto3 python3-pytest python3-aiosmtpd \
  postgresql wrk nodejs faketime ccache zlib1g-dev python3-yaml python3-cryptography \
  python3-pytest-xdist chromium

.PHONY: deps build build-asan run test test-release test-asan fuzz bench lint format clean

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@# npm comes with some nodejs builds; Debian's nodejs needs Debian's npm beside it.
	@command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm
	@# The browser tests' driver (playwright-core), pinned by tests/browser/package-lock.json.
	@if [ ! -d tests/browser/node_modules/playwright-core ] || \
	    [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then \
	  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error); \
	fi

# ccache makes rebuilds (and CI on a machine that has built before) cheap; it is a Debian package.
LAUNCHER = -DCMAKE_CXX_COMPILER_LAUNCHER=$$(command -v ccache || true)

build: deps
	cmake --preset release $(LAUNCHER) >/dev/null
	cmake --build --preset release -j $(JOBS)

build-asan: deps
	cmake --preset asan $(LAUNCHER) >/dev/null
	cmake --build --preset asan -j $(JOBS)

# `make run`: the server on the embedded SQLite store in ./signoff-data, on the default port, with
# the example approval flow deployed (created on the first run, updated when the template changed,
# left alone otherwise), then the next steps printed. Signatures are checked; the administrator's
# key is in $(DATA)/credentials. Mail goes to $(DATA)/mail/ unless RUN_ARGS names a relay:
#   make run RUN_ARGS="--smtp-url smtp://relay.example.com:587"
DATA ?= ./signoff-data
PORT ?= 8765
RUN_ARGS ?=
EXAMPLE_FLOW := examples/approval-flow.cfn.yaml
run: build
	./build/release/signoff serve --data $(DATA) --port $(PORT) \
	  --deploy $(EXAMPLE_FLOW) --stack-name approval-flow $(RUN_ARGS)

test-release: build
	ctest --preset release -j $(JOBS)

test-asan: build-asan
	ctest --preset asan -j $(JOBS)

test: lint test-asan test-release

lint:
	@files=$$(git ls-files '*.cc' '*.h'); \
	if [ -n "$$files" ]; then clang-format --dry-run -Werror $$files; fi
	@echo "clang-format: ok"

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)
	@for t in build/fuzz/tests/fuzz/*_fuzz; do \
	  name=$$(basename $$t); \
	  echo "== $$name"; \
	  $$t -max_total_time=$${FUZZ_SECONDS:-30} tests/fuzz/corpus/$$name || exit 1; \
	done

bench: build
	@for b in build/release/bench/*_bench; do echo "== $$b"; $$b; done

clean:
	rm -rf build
