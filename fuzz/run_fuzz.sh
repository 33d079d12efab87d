#!/usr/bin/env bash
# run_fuzz.sh TARGET SEED_DIR WORK_DIR PER_INPUT_TIMEOUT
# A bounded libFuzzer run: BZ_FUZZ_SECONDS (default 60) of fuzzing, starting from the seed
# corpus in the repository. New inputs go to WORK_DIR/corpus (the seeds are never modified);
# a crash, leak or timeout leaves its input in WORK_DIR/ and fails the run. Add such an input to
# the seed corpus (and a regression case in tests/) once the bug is fixed.
set -uo pipefail
target=$1 seeds=$2 work=$3 per_input=$4
seconds=${BZ_FUZZ_SECONDS:-60}
mkdir -p "$work/corpus" || exit 1
# ASan's leak checker runs at exit; UBSan findings abort so libFuzzer saves the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
"$target" -max_total_time="$seconds" -timeout="$per_input" -rss_limit_mb=2560 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/" \
  "$work/corpus" "$seeds"
rc=$?
if [ $rc -ne 0 ]; then
  echo "fuzz target $(basename "$target") failed (exit $rc); inputs:" >&2
  ls -l "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null >&2
fi
exit $rc
