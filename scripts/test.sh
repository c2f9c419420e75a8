#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds Sluice and runs the whole test suite.
#   scripts/test.sh              build in build/ and run every test (CTest)
#   scripts/test.sh --sanitize   also build in build-asan/ with clang, ASan+UBSan, and run every
#                                test there
#   scripts/test.sh --tsan       also build in build-tsan/ with ThreadSanitizer and run the tests
#                                labelled "threads" there
# With CI=true (as .ci/run runs it): warnings are errors, formatting is checked, the Debian
# package is made and checked (scripts/check-package.sh), both sanitizer builds run too, and
# every libFuzzer target (built in build-asan) runs for a bounded time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sanitize=0
tsan=0
[[ "${CI:-}" == true ]] && sanitize=1 && tsan=1
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    --tsan) tsan=1 ;;
    *) echo "test.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh test

jobs=$(nproc)
# Most tests spend their time waiting (for servers, timeouts, backoffs): three at a time per
# core keep the cores busy (measured: 114 s at -j2, 60 s at -j6 for the main build's tests).
test_jobs=$((jobs * 3))
extra_flags=""
if [[ "${CI:-}" == true ]]; then
  extra_flags="-Werror -DQT_FORCE_ASSERTS"
  echo "== clang-format check" >&2
  mapfile -t sources < <(git ls-files '*.cpp' '*.h')
  clang-format --dry-run --Werror "${sources[@]}"
fi

# build_and_test DIR [cmake options...]: configure, build and run the tests. With TARGET
# and LABEL set: only that target and the tests with that label.
build_and_test() {
  local dir=$1; shift
  # A folder configured for another compiler (build-asan used g++ before) starts afresh.
  local cxx="" arg
  for arg in "$@"; do [[ $arg == -DCMAKE_CXX_COMPILER=* ]] && cxx=${arg#*=}; done
  if [[ -n $cxx && -f $dir/CMakeCache.txt ]] \
     && ! grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=$(command -v "$cxx")\$" "$dir/CMakeCache.txt"; then
    rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
  fi
  echo "== configure $dir (at ${SECONDS} s)" >&2
  # lld: sixty test executables per build link in a quarter of ld.bfd's time.
  cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_FLAGS="$extra_flags" -DSLUICE_LINKER=lld "$@" >/dev/null
  echo "== build $dir (at ${SECONDS} s)" >&2
  cmake --build "$dir" -j"$jobs" ${TARGET:+--target "$TARGET"}
  echo "== test $dir (at ${SECONDS} s)" >&2
  ctest --test-dir "$dir" --output-on-failure -j"$test_jobs" ${LABEL:+-L "$LABEL"}
}

if [[ "${CI:-}" == true ]]; then
  # The code under test (src/) optimised as shipped, without debug information: linking
  # sixty test executables against Qt with it is a good part of CI's time, and a failure
  # there is rerun locally. The test code itself at -O0: compiled once and run once, it
  # costs half the compile time at -O2 and gains nothing from it.
  # The libraries of src/ compiled 8 files at a time (SLUICE_UNITY) here and in the TSan build,
  # file by file in the ASan build: every file still compiles on its own and the tests run on
  # code compiled both ways.
  build_and_test build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" \
    -DSLUICE_TEST_CXX_FLAGS=-O0 -DSLUICE_UNITY=ON
else
  build_and_test build -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
if [[ "${CI:-}" == true ]]; then
  # Benchmarks are not tests, but they must keep building and working: a small smoke run
  # (it fails when a simulated steward action did not take effect; its figures mean nothing).
  echo "== benchmark smoke run (at ${SECONDS} s)" >&2
  cmake --build build --target bench_itemtable -j"$jobs"
  QT_QPA_PLATFORM=offscreen build/tests/bench/bench_itemtable --items 20000 --chunk 1000 \
    --min-phase-ms 300 >/dev/null
  # The Debian package, made from the main build: lintian, desktop-file-validate and
  # appstreamcli check it, and its `sluice` runs the example from a scratch root.
  scripts/check-package.sh build
fi
# The ASan build uses clang: it compiles this code at -O0 a third faster than g++ (4.8 s instead
# of 7.1 s for tst_transferspec.cpp), and the main build already checks g++'s warnings.
asan_cxx=(-DCMAKE_CXX_COMPILER=clang++)
fuzz_in_asan=()
# In CI the ASan build also holds the libFuzzer targets (-DSLUICE_FUZZ=ON adds the fuzzer's
# coverage to everything), so that src/ is not compiled a fourth time for them.
[[ "${CI:-}" == true ]] && fuzz_in_asan=(-DSLUICE_FUZZ=ON)
if [[ $sanitize == 1 ]]; then
  # Debug (-O0, assertions on) with line tables only (-g1): stack traces keep file and line,
  # and linking with full debug information took a quarter of this build's time. (-O1 would
  # cost half as much compile time again: 16.1 s instead of 10.7 s for tst_dispatcher.cpp.)
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    build_and_test build-asan "${asan_cxx[@]}" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DSLUICE_SANITIZE=ON "${fuzz_in_asan[@]}"
fi
if [[ $tsan == 1 ]]; then
  # ThreadSanitizer over the tests whose code runs in several threads (label "threads", and
  # the `sluice` they run): no GUI, -O1 with line tables, the test code at -O0. Any report
  # fails the test (TSAN_OPTIONS: tests/CMakeLists.txt; suppressions: tests/tsan.supp); how
  # it is taught Qt's event queue: src/core/util/tsanqt.cpp.
  # g++, not clang: its ThreadSanitizer runtime is the one tsanqt.cpp's hand-over was worked out
  # and shown clean with (clang 14's reports queued calls that g++'s sees ordered).
  TARGET=threaded_tests LABEL=threads build_and_test build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DSLUICE_TSAN=ON -DSLUICE_GUI=OFF \
    -DSLUICE_TEST_CXX_FLAGS=-O0 -DSLUICE_UNITY=ON
fi
if [[ "${CI:-}" == true ]]; then
  # Every libFuzzer target for a bounded time, as built in build-asan (tests/scripts/fuzz.sh).
  echo "== fuzz (at ${SECONDS} s)" >&2
  SLUICE_FUZZ_BUILD=$PWD/build-asan tests/scripts/fuzz.sh "${SLUICE_FUZZ_SECONDS:-5}"
fi
