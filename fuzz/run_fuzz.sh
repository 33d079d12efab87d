#!/usr/bin/env bash
# run_fuzz.sh TARGET SEED_DIR WORK_DIR PER_INPUT_TIMEOUT
# A bounded libFuzzer run: BZ_FUZZ_SECONDS (default 60) of fuzzing, starting from the seed
# corpus in the repository. New inputs go to WORK_DIR/corpus (the seeds are never modified).
# Fork mode keeps fuzzing after a crash, so one run reports every distinct failure it meets;
# each failing input is left in WORK_DIR/ (crash-*, leak-*, timeout-*, oom-*) and printed.
# Once a bug is fixed, add its input to the seed corpus and a regression case to tests/.
# Exit status: 0 clean, 1 anything found (never 77, which meson would read as "skipped").
set -uo pipefail
target=$1 seeds=$2 work=$3 per_input=$4
seconds=${BZ_FUZZ_SECONDS:-60}
# fork mode needs a few seconds to start and wrap up: keep the whole run within the budget
fuzz_seconds=$(( seconds > 20 ? seconds - 10 : seconds ))
rm -rf "$work"
mkdir -p "$work/corpus" || exit 1
# ASan's leak checker runs at exit; UBSan findings abort so libFuzzer saves the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
"$target" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -max_total_time="$fuzz_seconds" -timeout="$per_input" -rss_limit_mb=2560 -max_len=65536 \
  -artifact_prefix="$work/" "$work/corpus" "$seeds" >"$work/fuzz.log" 2>&1
rc=$?
tail -n 5 "$work/fuzz.log"
found=$(find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
  -o -name 'oom-*' \) | sort)
if [ -n "$found" ]; then
  echo "fuzz target $(basename "$target") found $(echo "$found" | wc -l) failing input(s):"
  for f in $found; do
    echo "== $f ($(stat -c %s "$f") bytes): $(head -c 200 "$f" | tr -c '[:print:]' '.')"
  done
  # the first report of each distinct failure, for the log
  grep -E -A12 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' "$work/fuzz.log" |
    head -n 120
  exit 1
fi
[ $rc -eq 0 ] || { echo "libFuzzer exited with $rc"; exit 1; }
echo "fuzz target $(basename "$target"): nothing found in ${seconds} s"
