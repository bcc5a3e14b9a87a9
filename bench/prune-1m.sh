#!/usr/bin/env bash
# The storage lifecycle at scale: fills a store with 1,000,000 file entries over 100,000 small
# blobs (generated through the stores' public API), then times, in one JVM with a bounded heap:
#   1. dry-run prunes over all of it (everything evictable; an LRU cut at half the bytes)
#   2. a full ConsistencyCheck.run
#   3. a dry-run garbage collection
# and reports the heap each phase used. Nothing leaves this machine; no server is started.
# Timings never fail the run: the exit status is non-zero only when the setup itself fails.
# See bench/README.md for the knobs (environment variables) and how to read the output.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

ENTRIES="${BENCH_ENTRIES:-1000000}"        # file entries (metadata rows)
BLOBS="${BENCH_BLOBS:-100000}"             # distinct blobs they hold (256 B - 2 KiB each)
HEAP="${BENCH_HEAP:-256m}"                 # -Xmx of the measuring JVM
FILL_HEAP="${BENCH_FILL_HEAP:-1g}"         # -Xmx of the filler
BUDGET_SECONDS="${BENCH_BUDGET_SECONDS:-600}" # bound of each of the two JVM runs
MVN_FLAGS="${BENCH_MVN_FLAGS:-}"           # e.g. -o to build offline
# putFile syncs RocksDB's log once per entry: tmpfs makes that a syscall instead of a disk flush.
if [[ -z "${BENCH_DATA_PARENT:-}" ]]; then
  if [[ -d /dev/shm && -w /dev/shm ]]; then
    BENCH_DATA_PARENT=/dev/shm
  else
    BENCH_DATA_PARENT="${TMPDIR:-/tmp}"
  fi
fi

require_tools java timeout du awk

TMP="$(mktemp -d "${TMPDIR:-/tmp}/prune-1m.XXXXXX")"
DATA_DIR="$(mktemp -d "$BENCH_DATA_PARENT/prune-1m-data.XXXXXX")"
cleanup() {
  rm -rf "$TMP" "$DATA_DIR"
}
trap cleanup EXIT INT TERM

# ---------------------------------------------------------------------------------------------
# Build: the server's test classes hold the filler and the bench; sibling modules' fresh classes
# go before the jars Maven resolves, which may be older.

say "building (mvn -pl server -am test-compile)"
# shellcheck disable=SC2086 # MVN_FLAGS is a list of flags
if ! (cd "$ROOT" && ./mvnw -B -q $MVN_FLAGS -pl server -am test-compile >"$TMP/build.log" 2>&1); then
  if [[ -f "$ROOT/server/target/test-classes/dev/wheelhouse/server/bench/PruneBench.class" ]]; then
    printf 'build failed (a module mid-edit?); using the classes built last:\n' >&2
    tail -5 "$TMP/build.log" >&2
  else
    tail -30 "$TMP/build.log" >&2
    die "build failed"
  fi
fi
# shellcheck disable=SC2086
(cd "$ROOT" && ./mvnw -B -q $MVN_FLAGS -pl server dependency:build-classpath \
  -Dmdep.outputFile="$TMP/cp.txt" >"$TMP/cp.log" 2>&1) ||
  { tail -20 "$TMP/cp.log" >&2; die "could not resolve the server's classpath"; }
CP="$ROOT/server/target/test-classes:$ROOT/server/target/classes"
for module in storage config packaging; do
  CP="$CP:$ROOT/$module/target/classes"
done
CP="$CP:$(cat "$TMP/cp.txt")"

# ---------------------------------------------------------------------------------------------
# Fill

say "filling $DATA_DIR: $ENTRIES entries over $BLOBS blobs (-Xmx$FILL_HEAP)"
FILL_START=$(date +%s.%N)
timeout "$BUDGET_SECONDS" java -Xmx"$FILL_HEAP" -cp "$CP" \
  dev.wheelhouse.server.bench.StoreFiller "$DATA_DIR" "$ENTRIES" "$BLOBS" 2>"$TMP/fill.err" ||
  { tail -20 "$TMP/fill.err" >&2; die "filling failed (or took over $BUDGET_SECONDS s)"; }
FILL_SECONDS=$(awk -v a="$FILL_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
printf 'fill took %s s; on disk: metadata %s, blobs %s\n' "$FILL_SECONDS" \
  "$(du -sh "$DATA_DIR/meta" | cut -f1)" "$(du -sh "$DATA_DIR/blobs" | cut -f1)"

# ---------------------------------------------------------------------------------------------
# Measure

say "measuring (-Xmx$HEAP, G1 log in gc.log)"
timeout "$BUDGET_SECONDS" java -Xmx"$HEAP" -Xlog:gc:file="$TMP/gc.log" -cp "$CP" \
  dev.wheelhouse.server.bench.PruneBench "$DATA_DIR" 2>"$TMP/bench.err" | tee "$TMP/bench.out" ||
  { tail -20 "$TMP/bench.err" >&2; die "the bench failed (or took over $BUDGET_SECONDS s)"; }

# The GC log's own view: the largest heap left after any collection, and the largest before one.
awk '
  /Pause/ && match($0, /[0-9]+M->[0-9]+M\([0-9]+M\)/) {
    split(substr($0, RSTART, RLENGTH), parts, /M->|M\(|M\)/)
    if (parts[1] + 0 > before) before = parts[1] + 0
    if (parts[2] + 0 > after) after = parts[2] + 0
    pauses++
  }
  END { printf "gc.log: %d pauses; heap before a collection at most %d MiB, after one at most %d MiB\n", pauses, before, after }
' "$TMP/gc.log"
printf '\ntargets: prune dry run over %d entries < 10 s, heap bounded by -Xmx%s\n' "$ENTRIES" "$HEAP"
