# nac top-level driver. `make demo` and `make test` work on a fresh Debian machine:
# they install missing Debian packages (deps/debian-packages.txt), build, and run.
JOBS      ?= $(shell nproc)
BUILD     ?= build
ASAN      ?= build-asan
CMAKE_ARGS ?=
DEMO_OUT  ?= demo-out

.PHONY: all deps deps-bench build build-tests build-asan test test-release test-asan demo bench format format-check golden clean

all: build

deps:
	@scripts/install-deps.sh build

deps-bench:
	@scripts/install-deps.sh build bench

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN)/CMakeCache.txt:
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DNAC_SANITIZE=ON $(CMAKE_ARGS)

build-asan: deps $(ASAN)/CMakeCache.txt
	cmake --build $(ASAN) -j $(JOBS)

# The test builds compile only the CLI and the test binary (benchmarks are `make bench`'s).
build-tests: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target nac nac_tests

test-release: build-tests
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: build-asan
	cd $(ASAN) && NAC_TEST_SCALE=small ctest --output-on-failure -j $(JOBS) -LE slow

test: format-check test-release test-asan

demo: build
	@scripts/demo.sh $(BUILD)/nac $(DEMO_OUT)

bench: deps-bench build
	@scripts/bench.sh $(BUILD)

# Regenerates the committed golden HLS projects (tests/golden/hls) after an intended change.
golden: build
	@scripts/update_hls_golden.sh $(BUILD)/nac

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

format-check:
	@clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) $(ASAN)
