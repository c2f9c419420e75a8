#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets of tests/fuzz with clang in a build folder of their own and runs
# each for a bounded time, starting from its seeds in tests/fuzz/corpus/<target>/.
#   tests/scripts/fuzz.sh [SECONDS]          every target, SECONDS each (default 20)
#   tests/scripts/fuzz.sh SECONDS TARGET...  only these (fuzz_json, fuzz_template, ...)
# Environment: SLUICE_FUZZ_BUILD (build folder, default <repo>/build-fuzz), SLUICE_FUZZ_JOBS
# (build jobs, default 2). Needs clang and libclang-rt-14-dev (scripts/install-deps.sh test).
# A build folder already configured with SLUICE_FUZZ=ON is used as it is (CI's clang ASan build,
# scripts/test.sh, holds the targets beside the tests); any other is configured for fuzzing only.
# A crash leaves its input in <build>/fuzz-artifacts/ and makes the script exit 1; turn it
# into a unit test (tests/core/) along with the fix. Inputs the fuzzer found interesting stay
# in <build>/fuzz-corpus/<target>/ for the next run; the seeds are never written to.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${SLUICE_FUZZ_BUILD:-$root/build-fuzz}
seconds=${1:-20}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_transferspec fuzz_template fuzz_esbulk fuzz_couchbulk
                                       fuzz_retryafter fuzz_json)

for tool in clang++ cmake ninja; do
  command -v "$tool" >/dev/null || { echo "fuzz: $tool is missing" >&2; exit 2; }
done
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

if ! grep -qs '^SLUICE_FUZZ:BOOL=ON$' "$build/CMakeCache.txt"; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_FLAGS=-Werror "${launcher[@]}" \
    -DSLUICE_FUZZ=ON -DSLUICE_GUI=OFF -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" --target "${targets[@]}" -j "${SLUICE_FUZZ_JOBS:-2}"

mkdir -p "$build/fuzz-artifacts"
failed=()
for target in "${targets[@]}"; do
  seeds=$root/tests/fuzz/corpus/$target
  work=$build/fuzz-corpus/$target
  mkdir -p "$work"
  echo "fuzz: $target for ${seconds} s" >&2
  # Seeds come second: libFuzzer adds what it finds to the first folder only.
  if ! (cd "$build/fuzz-artifacts" &&
        ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
          -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$target-" \
          "$work" "$seeds" 2>"$build/fuzz-artifacts/$target.log"); then
    failed+=("$target")
    tail -n 60 "$build/fuzz-artifacts/$target.log" >&2
  else
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$build/fuzz-artifacts/$target.log" \
      | tr '\n' ' ' >&2 || true
    echo >&2
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: crashes in ${failed[*]} (inputs in $build/fuzz-artifacts/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, no crash" >&2
