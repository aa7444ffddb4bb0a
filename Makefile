# teltubby: the two commands a newcomer needs are `make test` and `make demo`.
# Everything else is a step of those. Build directories live under build/.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
ASAN_DIR := build/asan
PLAIN_DIR := build/plain
CMAKE_FLAGS := -G Ninja
# The sanitizer build is compiled -O0 with line tables only: on two cores it builds
# about 2.4 times faster than -O2 -g (measured on the fake world's largest file), and
# the tests it runs wait on I/O, not on CPU. The plain build is optimised: it runs
# the large-upload test, the real TDLib and the demo.
ASAN_FLAGS := -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1"
PLAIN_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
SETUP_STAMP := build/.setup-done

# Sanitizer behaviour for every test process: stop at the first finding, with a stack.
export ASAN_OPTIONS ?= detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

.PHONY: all setup build build-plain build-plain-tests test demo bench clean format

all: build

# Re-run setup whenever the list of what it installs changes.
$(SETUP_STAMP): scripts/setup package.json package-lock.json
	scripts/setup
	@mkdir -p build && touch $@
setup: $(SETUP_STAMP)

# The sanitizer build: everything, tests included (`make test` runs these).
build: $(SETUP_STAMP)
	cmake -S . -B $(ASAN_DIR) $(CMAKE_FLAGS) $(ASAN_FLAGS) -DTELTUBBY_SANITIZE=ON
	cmake --build $(ASAN_DIR) -j $(JOBS)

# The plain build: only what cannot run under the sanitizers (the real TDLib needs
# dlopen(RTLD_DEEPBIND), which ASan refuses) and the release binary for the demo.
build-plain: build-plain-tests
	cmake --build $(PLAIN_DIR) -j $(JOBS) --target teltubby

# Only what the plain tests need (TDLib loader, S3 client): the optimised binary is
# not run by any test, and building it would add minutes to `make test` on two cores.
build-plain-tests: $(SETUP_STAMP)
	cmake -S . -B $(PLAIN_DIR) $(CMAKE_FLAGS) $(PLAIN_FLAGS) -DTELTUBBY_SANITIZE=OFF
	cmake --build $(PLAIN_DIR) -j $(JOBS) --target plain_tests

# The demo runs here too, on the sanitizer build the tests already built (building the
# optimised binary as well would add minutes on two cores): the same script, and any
# sanitizer finding in the bot or the worker fails it.
test: build build-plain-tests
	scripts/run-tests $(ASAN_DIR) $(PLAIN_DIR)
	scripts/demo $(ASAN_DIR)

# The whole pipeline offline: bot, worker, fake Telegram, RabbitMQ, S3 test server.
demo: build-plain
	cmake --build $(PLAIN_DIR) -j $(JOBS) --target fake-telegram fake_tdjson
	scripts/demo $(PLAIN_DIR)

# Every benchmark in one run (bench/README.md): builds what they need in the plain
# build, starts and stops its own services, writes docs/BENCHMARKS.md. About 10-15
# minutes on two cores. BENCH_ARGS=--quick for a smoke run.
BENCH_ARGS ?=
bench: $(SETUP_STAMP)
	cmake -S . -B $(PLAIN_DIR) $(CMAKE_FLAGS) $(PLAIN_FLAGS) -DTELTUBBY_SANITIZE=OFF
	cmake --build $(PLAIN_DIR) -j $(JOBS) --target teltubby fake-telegram fake_tdjson pipeline_bench
	bench/run-bench $(PLAIN_DIR) $(BENCH_ARGS)

format:
	git ls-files '*.cpp' '*.hpp' '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build
