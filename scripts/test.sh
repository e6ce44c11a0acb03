#!/usr/bin/env bash
# Builds the solution, runs every test project, and ends with one line "N passed, N failed, N skipped".
# Exit status: 0 only when the build succeeded, every test project ran, and no test failed.
set -uo pipefail
cd "$(dirname "$0")/.."

configuration="${CONFIGURATION:-Release}"
results="$(pwd)/TestResults"
rm -rf "$results"

if ! dotnet build MmUpt.Pipeline.sln -c "$configuration" -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# The test projects of the solution, two at a time (2 cores); each writes its own result file.
mapfile -t projects < <(dotnet sln MmUpt.Pipeline.sln list | grep -E '^tests/.*\.Tests\.csproj$')
printf '%s\n' "${projects[@]}" | xargs -P "${TEST_PARALLEL:-2}" -I{} sh -c \
  'dotnet test "$1" -c "$2" --no-build -nologo --logger "trx;LogFileName=$(basename "$1" .csproj).trx" \
     --logger "console;verbosity=normal" --results-directory "$3"' _ {} "$configuration" "$results"
status=$?

passed=0
failed=0
skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  # Skipped and not-run tests: the total minus those that executed.
  skipped=$((skipped + ${t:-0} - ${x:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done

# A test project whose host crashed or never ran leaves no result file: count it as a failure.
for project in "${projects[@]}"; do
  if [ ! -e "$results/$(basename "$project" .csproj).trx" ]; then
    echo "no results from $project (test host crashed or did not start)"
    failed=$((failed + 1))
  fi
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $status"
  failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
