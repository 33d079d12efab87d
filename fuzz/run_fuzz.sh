#!/usr/bin/env bash
# run_fuzz.sh TARGET SEED_DIR WORK_DIR PER_INPUT_TIMEOUT
# A bounded libFuzzer run: BZ_FUZZ_SECONDS (default 60) of fuzzing in all, starting from the seed
# corpus in the repository (copied to WORK_DIR/corpus; the seeds are never modified).
# When libFuzzer stops at a failing input (crash-*, leak-*, timeout-*, oom-* in WORK_DIR/), that
# input is taken out of the working corpus and fuzzing resumes for the time left, so one run
# reports every distinct failure it meets. Once a bug is fixed, keep its input in the seed corpus
# and add a regression case to tests/ (tests/bad_input/MANIFEST).
# Exit status: 0 clean, 1 anything found (never 77, which meson would read as "skipped").
set -uo pipefail
target=$1 seeds=$2 work=$3 per_input=$4
seconds=${BZ_FUZZ_SECONDS:-60}
name=$(basename "$target")
rm -rf "$work"
mkdir -p "$work/corpus" || exit 1
for f in "$seeds"/*; do # libFuzzer names corpus files by SHA-1, and so do we
  [ -f "$f" ] && cp "$f" "$work/corpus/$(sha1sum "$f" | cut -c1-40)"
done
# ASan's leak checker runs at exit; UBSan findings abort so libFuzzer saves the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

count_found() {
  find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) | wc -l
}

end=$((SECONDS + seconds))
runs=0
while [ $((end - SECONDS)) -ge 3 ] && [ $runs -lt 50 ]; do
  runs=$((runs + 1))
  before=$(count_found)
  "$target" -max_total_time=$((end - SECONDS)) -timeout="$per_input" -rss_limit_mb=2560 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" \
    >"$work/run-$runs.log" 2>&1
  rc=$?
  grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec)' "$work/run-$runs.log" |
    tr '\n' ' '
  echo "(run $runs, exit $rc)"
  [ $rc -eq 0 ] && break
  after=$(count_found)
  if [ "$after" -eq "$before" ]; then
    echo "$name: libFuzzer failed without leaving an input:"; tail -n 30 "$work/run-$runs.log"
    exit 1
  fi
  grep -E -m1 -A14 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|stack smashing' \
    "$work/run-$runs.log"
  for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -f "$f" ] && rm -f "$work/corpus/${f##*-}" # so that the next run does not stop on it again
  done
done

found=$(find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
  -o -name 'oom-*' \) | sort)
if [ -n "$found" ]; then
  echo "$name found $(echo "$found" | wc -l) failing input(s) (kept in $work):"
  for f in $found; do
    echo "  $(basename "$f") ($(stat -c %s "$f") bytes): $(head -c 160 "$f" | tr -c '[:print:]' '.')"
  done
  exit 1
fi
echo "$name: nothing found in ${seconds} s"
