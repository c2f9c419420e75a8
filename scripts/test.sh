#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds Sluice and runs the whole test suite.
#   scripts/test.sh              build in build/ and run every test (CTest)
#   scripts/test.sh --sanitize   also build in build-asan/ with ASan+UBSan and run every test there
# With CI=true (as .ci/run runs it): warnings are errors, formatting is checked, the
# sanitizer build runs too, and every libFuzzer target runs for a bounded time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

sanitize=0
[[ "${CI:-}" == true ]] && sanitize=1
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    *) echo "test.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh test

jobs=$(nproc)
extra_flags=""
if [[ "${CI:-}" == true ]]; then
  extra_flags="-Werror -DQT_FORCE_ASSERTS"
  echo "== clang-format check" >&2
  mapfile -t sources < <(git ls-files '*.cpp' '*.h')
  clang-format --dry-run --Werror "${sources[@]}"
fi

build_and_test() {
  local dir=$1; shift
  echo "== configure $dir" >&2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_CXX_FLAGS="$extra_flags" "$@" >/dev/null
  echo "== build $dir" >&2
  cmake --build "$dir" -j"$jobs"
  echo "== test $dir" >&2
  ctest --test-dir "$dir" --output-on-failure -j"$jobs"
}

if [[ "${CI:-}" == true ]]; then
  # Optimised as shipped, without debug information: linking sixty test executables against
  # Qt with it is a good part of CI's time, and a failure there is rerun locally.
  build_and_test build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG"
else
  build_and_test build -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
if [[ "${CI:-}" == true ]]; then
  # Benchmarks are not tests, but they must keep building and working: a small smoke run
  # (it fails when a simulated steward action did not take effect; its figures mean nothing).
  echo "== benchmark smoke run" >&2
  cmake --build build --target bench_itemtable -j"$jobs"
  QT_QPA_PLATFORM=offscreen build/tests/bench/bench_itemtable --items 20000 --chunk 1000 \
    --min-phase-ms 300 >/dev/null
fi
if [[ $sanitize == 1 ]]; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    build_and_test build-asan -DCMAKE_BUILD_TYPE=Debug -DSLUICE_SANITIZE=ON
fi
if [[ "${CI:-}" == true ]]; then
  # Every libFuzzer target for a bounded time (tests/scripts/fuzz.sh builds them with clang).
  echo "== fuzz" >&2
  tests/scripts/fuzz.sh "${SLUICE_FUZZ_SECONDS:-10}"
fi
