#!/usr/bin/env bash
# Serves the same project page and the same large wheel from wheelhouse and from nginx, on
# 127.0.0.1 only, and compares them:
#   1. project page requests/s (wrk, after a warm-up)
#   2. single-client download throughput of the large wheel
#   3. N concurrent clients downloading it, while sampling the wheelhouse JVM's RSS
# Timings never fail the run: the exit status is non-zero only when the setup itself fails.
# See bench/README.md for the knobs (environment variables) and how to read the output.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

WHEEL_MIB="${BENCH_WHEEL_MIB:-512}"         # size of the large wheel's random blob
WRK_THREADS="${BENCH_WRK_THREADS:-2}"
WRK_CONNECTIONS="${BENCH_WRK_CONNECTIONS:-32}"
WRK_SECONDS="${BENCH_WRK_SECONDS:-10}"      # per wrk run, after one warm-up of a third of that
PAGE_ROUNDS="${BENCH_PAGE_ROUNDS:-2}"       # wrk runs per server, alternating servers
DOWNLOAD_REPS="${BENCH_DOWNLOAD_REPS:-5}"   # single-client downloads per server, alternating
CLIENTS="${BENCH_CLIENTS:-16}"              # concurrent downloads in one burst
BURST_ROUNDS="${BENCH_BURST_ROUNDS:-2}"     # bursts per server, alternating
STARTUP_SECONDS="${BENCH_STARTUP_SECONDS:-240}" # the launcher may build the project first
export JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"

HOST=127.0.0.1
PAGE_PATH=/simple/benchpkg/
FILE_PATH=/files/local/benchpkg/benchpkg-1.0-py3-none-any.whl

# ---------------------------------------------------------------------------------------------
# Tools, temp dir and cleanup

ensure_tools() {
  install_missing nginx wrk curl
  require_tools java python3 sha256sum timeout
}

WH_PID=""
NGINX_PID=""
SAMPLER_PID=""

# Called by exit_cleanup (lib.sh) before it deletes the temp dir with the wheels and the data: stops
# what this script started, all at once (wheelhouse gets SIGTERM and up to 15s for its clean shutdown).
on_exit() {
  local pid
  for pid in "$SAMPLER_PID" "$NGINX_PID" "$WH_PID"; do
    if [[ -n "$pid" ]]; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in "$SAMPLER_PID" "$NGINX_PID" "$WH_PID"; do
    [[ -n "$pid" ]] || continue
    for _ in $(seq 150); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# Starts wheelhouse in the background with the launcher, which first builds the project when
# sources changed. If that fails (say, a module is mid-edit), falls back to the last built jar.
# Either way java is exec'd, so WH_PID is the JVM's pid. The log also holds the access log.
start_wheelhouse() {
  local log="$TMP/wheelhouse.log" jar="$ROOT/client-cli/target/wheelhouse-cli.jar"
  "$ROOT/wheelhouse" serve --config "$TMP/wheelhouse.yaml" >"$log" 2>&1 &
  WH_PID=$!
  wait_for "$WH/healthz" "$WH_PID" "$STARTUP_SECONDS" && return
  kill -0 "$WH_PID" 2>/dev/null && die "wheelhouse did not answer within ${STARTUP_SECONDS}s"
  tail -n 20 "$log" | sed 's/^/  | /'
  [[ -f "$jar" ]] || die "wheelhouse failed to start (log above)"
  echo "  the launcher failed (log above); starting $jar directly"
  # JAVA_OPTS holds several options.
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$jar" serve --config "$TMP/wheelhouse.yaml" >"$log" 2>&1 &
  WH_PID=$!
  await_healthz "$WH" "$WH_PID" "$log" wheelhouse
}

# ---------------------------------------------------------------------------------------------
# Number helpers (awk does the floating point; the others are in lib.sh)

best() { tr ' ' '\n' | sed '/^$/d' | sort -g | tail -n 1; }

# ---------------------------------------------------------------------------------------------
# Measurements; each sets RESULT and prints one line per run

# Runs wrk against the page at base URL $1 for $2 seconds; prints wrk's report.
wrk_page() {
  timeout $(($2 + 30)) wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${2}s" --latency --timeout 5s \
    -H 'Accept: text/html' "$1$PAGE_PATH"
}

# One wrk run against base URL $1 (named $2): RESULT = requests/s.
page_run() {
  local out
  out="$(wrk_page "$1" "$WRK_SECONDS")"
  RESULT="$(awk '$1 == "Requests/sec:" { print $2 }' <<<"$out")"
  # wrk mentions non-2xx responses and socket errors only when there are some.
  printf '  %-10s %10s req/s   latency avg %-8s p99 %-8s max %-8s %s\n' "$2" "$RESULT" \
    "$(awk '$1 == "Latency" && $2 ~ /^[0-9]/ { print $2 }' <<<"$out")" \
    "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
    "$(awk '$1 == "Latency" && $2 ~ /^[0-9]/ { print $4 }' <<<"$out")" \
    "$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | paste -sd ';')" | sed 's/ *$//'
}

# One download of the large file from base URL $1 (named $2) to /dev/null: RESULT = bytes/s.
# Dies unless it was a complete 200: a broken download is a broken setup, not a timing.
download_run() {
  local code="" size="" speed="" took=""
  read -r code size speed took < <(curl -s -o /dev/null --max-time 120 \
    -w '%{http_code} %{size_download} %{speed_download} %{time_total}\n' "$1$FILE_PATH") || true
  [[ "$code" == 200 && "$size" == "$WHEEL_BYTES" ]] ||
    die "download from $2: HTTP ${code:-none}, ${size:-0} of $WHEEL_BYTES bytes"
  RESULT="$speed"
  printf '  %-10s %8s MB/s  (%ss)\n' "$2" "$(mb "$speed")" "$took"
}

# CLIENTS downloads at once from base URL $1 (named $2): RESULT = aggregate bytes/s, all
# bytes received over the wall time of the whole burst. Incomplete downloads are reported.
burst_run() {
  local dir i pids=() start end bytes failed
  dir="$(mktemp -d "$TMP/burst.XXXX")"
  start="$(date +%s.%N)"
  for i in $(seq "$CLIENTS"); do
    curl -s -o /dev/null --max-time 180 -w '%{http_code} %{size_download}\n' "$1$FILE_PATH" >"$dir/$i" &
    pids+=("$!")
  done
  for i in "${pids[@]}"; do
    wait "$i" || true # a failed download shows in its report below
  done
  end="$(date +%s.%N)"
  bytes="$(awk '{ s += $2 } END { print s + 0 }' "$dir"/*)"
  failed="$(awk -v n="$WHEEL_BYTES" '$1 != 200 || $2 != n' "$dir"/* | wc -l)"
  RESULT="$(awk -v b="$bytes" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", b / (e - s) }')"
  printf '  %-10s %8s MB/s aggregate  (%s MB in %.1fs)%s\n' "$2" "$(mb "$RESULT")" "$(mb "$bytes")" \
    "$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')" \
    "$( ((failed == 0)) || echo "  $failed of $CLIENTS downloads FAILED or incomplete")"
}

# ---------------------------------------------------------------------------------------------
# Setup

ensure_tools
make_tmp wheelhouse-bench
mkdir -p "$TMP/wheels" "$TMP/data" "$TMP/nginx/logs" "$TMP/www/simple/benchpkg" \
  "$TMP/www/files/local/benchpkg"

say "generating wheels (large one: ${WHEEL_MIB} MiB of random bytes) in $TMP"
WHEEL="$(python3 "$BENCH_DIR/make_wheel.py" "$TMP/wheels" 1.0 "$WHEEL_MIB")"
SMALL_WHEEL="$(python3 "$BENCH_DIR/make_wheel.py" "$TMP/wheels" 0.9 1)"
WHEEL_BYTES="$(stat -c %s "$WHEEL")"
WHEEL_SHA="$(sha256sum "$WHEEL" | cut -d' ' -f1)"
echo "  $(basename "$WHEEL"): $WHEEL_BYTES bytes"

WH_PORT="$(free_port)"
NGINX_PORT="$(free_port)"
WH="http://$HOST:$WH_PORT"
NG="http://$HOST:$NGINX_PORT"
TOKEN="bench-$(head -c 24 /dev/urandom | sha256sum | cut -c1-32)"
cat >"$TMP/wheelhouse.yaml" <<EOF
listen: $HOST:$WH_PORT
data: $TMP/data
auth:
  tokens:
    - name: bench
      hash: "sha256:$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)"
      roles: [upload, admin]
indexes:
  - name: local
    type: hosted
  - name: all
    type: group
    members: [local]
default-index: all
upload:
  index: local
  max-size: 4GiB
EOF

say "starting wheelhouse on $WH (JAVA_OPTS=$JAVA_OPTS)"
start_wheelhouse

say "uploading the wheels"
for whl in "$SMALL_WHEEL" "$WHEEL"; do
  version="$(basename "$whl" | cut -d- -f2)"
  digest="$(sha256sum "$whl" | cut -d' ' -f1)"
  code="" took=""
  read -r code took < <(curl -sS -o "$TMP/upload.out" -w '%{http_code} %{time_total}\n' \
    --max-time 300 -u "__token__:$TOKEN" -F ":action=file_upload" -F protocol_version=1 \
    -F name=benchpkg -F "version=$version" -F filetype=bdist_wheel -F pyversion=py3 \
    -F metadata_version=2.1 -F "sha256_digest=$digest" -F "content=@$whl" "$WH/legacy/") || true
  [[ "$code" == 2?? ]] || { cat "$TMP/upload.out" >&2; die "upload of $whl: HTTP ${code:-none}"; }
  echo "  $(basename "$whl"): HTTP $code in ${took}s"
done

# nginx serves the exact page bytes wheelhouse renders, and the same wheel (hard link).
curl -sSf --max-time 10 -H 'Accept: text/html' "$WH$PAGE_PATH" -o "$TMP/www/simple/benchpkg/index.html" ||
  die "cannot fetch $WH$PAGE_PATH"
ln "$WHEEL" "$TMP/www/files/local/benchpkg/" 2>/dev/null || cp "$WHEEL" "$TMP/www/files/local/benchpkg/"

write_nginx_conf 1024 "access_log off;" "server { listen $HOST:$NGINX_PORT; root $TMP/www; }"

say "starting nginx on $NG"
start_nginx "$NG$PAGE_PATH"

# Both must serve identical bytes; the full downloads also warm the page cache.
cmp -s <(curl -sS --max-time 10 -H 'Accept: text/html' "$NG$PAGE_PATH") "$TMP/www/simple/benchpkg/index.html" ||
  die "nginx does not serve wheelhouse's page bytes"
for base in "$WH" "$NG"; do
  sha="$(curl -sSf --max-time 120 "$base$FILE_PATH" | sha256sum | cut -d' ' -f1)"
  [[ "$sha" == "$WHEEL_SHA" ]] || die "$base$FILE_PATH: sha256 $sha, expected $WHEEL_SHA"
done
echo "  page ($(stat -c %s "$TMP/www/simple/benchpkg/index.html") bytes) and wheel identical on both servers"

# Other processes competing for the CPU make every figure noisy; say so up front.
LOAD="$(load)"
note_load

# ---------------------------------------------------------------------------------------------
# 1. Project page requests/s: one warm-up each (JIT, caches), then rounds alternating servers

say "1. project page $PAGE_PATH: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${WRK_SECONDS}s, best of $PAGE_ROUNDS"
for base in "$WH" "$NG"; do
  wrk_page "$base" $((WRK_SECONDS / 3 + 1)) >/dev/null
done
WH_ALL="" NG_ALL=""
for _ in $(seq "$PAGE_ROUNDS"); do
  page_run "$WH" wheelhouse
  WH_ALL+=" $RESULT"
  page_run "$NG" nginx
  NG_ALL+=" $RESULT"
done
WH_RPS="$(best <<<"$WH_ALL")"
NG_RPS="$(best <<<"$NG_ALL")"
PAGE_RATIO="$(ratio "$WH_RPS" "$NG_RPS")"
printf '  best: wheelhouse %s req/s, nginx %s req/s, ratio %s\n' "$WH_RPS" "$NG_RPS" "$PAGE_RATIO"

# ---------------------------------------------------------------------------------------------
# 2. Single-client download throughput, alternating servers

say "2. one client downloading the $(mb "$WHEEL_BYTES") MB wheel to /dev/null, best of $DOWNLOAD_REPS"
WH_ALL="" NG_ALL=""
for _ in $(seq "$DOWNLOAD_REPS"); do
  download_run "$WH" wheelhouse
  WH_ALL+=" $RESULT"
  download_run "$NG" nginx
  NG_ALL+=" $RESULT"
done
WH_SPEED="$(best <<<"$WH_ALL")"
NG_SPEED="$(best <<<"$NG_ALL")"
DL_RATIO="$(ratio "$WH_SPEED" "$NG_SPEED")"
printf '  best: wheelhouse %s MB/s, nginx %s MB/s, ratio %s\n' "$(mb "$WH_SPEED")" "$(mb "$NG_SPEED")" "$DL_RATIO"

# ---------------------------------------------------------------------------------------------
# 3. Bursts of concurrent downloads, alternating servers, sampling the wheelhouse JVM's RSS

say "3. $CLIENTS clients downloading the wheel at once, best of $BURST_ROUNDS; wheelhouse RSS every 200 ms"
RSS_FILE="$TMP/rss.txt"
RSS_BEFORE="$(rss_now)"
sample_rss "$RSS_FILE" &
SAMPLER_PID=$!
WH_ALL="" NG_ALL=""
for _ in $(seq "$BURST_ROUNDS"); do
  burst_run "$WH" wheelhouse
  WH_ALL+=" $RESULT"
  burst_run "$NG" nginx
  NG_ALL+=" $RESULT"
done
RSS_AFTER="$(rss_now)"
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
RSS_PEAK="$( (cat "$RSS_FILE"; echo "$RSS_BEFORE"; echo "$RSS_AFTER") | sort -n | tail -n 1)"
WH_AGG="$(best <<<"$WH_ALL")"
NG_AGG="$(best <<<"$NG_ALL")"
AGG_RATIO="$(ratio "$WH_AGG" "$NG_AGG")"
printf '  best: wheelhouse %s MB/s, nginx %s MB/s, ratio %s\n' "$(mb "$WH_AGG")" "$(mb "$NG_AGG")" "$AGG_RATIO"
printf '  wheelhouse RSS: before %s MiB, peak %s MiB, after %s MiB (%s samples)\n' \
  "$(mib "$RSS_BEFORE")" "$(mib "$RSS_PEAK")" "$(mib "$RSS_AFTER")" "$(wc -l <"$RSS_FILE")"

# ---------------------------------------------------------------------------------------------
# Server health during the run: access log statuses, warnings and errors

say "wheelhouse log"
# Access log lines: ... access CLIENT "METHOD URI VERSION" STATUS BYTES TIMEms "AGENT"
awk '$3 == "access" { split($6, seg, "/"); print $5, "/" seg[2], $8 }' "$TMP/wheelhouse.log" |
  sort | uniq -c | awk '{ printf "  %-6s %-10s HTTP %s: %d\n", substr($2, 2), $3, $4, $1 }'
problems="$(grep -cE '^[^ ]+ (WARN|ERROR) ' "$TMP/wheelhouse.log" || true)"
echo "  WARN/ERROR lines: $problems"
grep -E '^[^ ]+ (WARN|ERROR) ' "$TMP/wheelhouse.log" | head -n 5 | cut -c1-200 | sed 's/^/    /' || true

# ---------------------------------------------------------------------------------------------
# Summary

SENT=$((WHEEL_BYTES * CLIENTS * BURST_ROUNDS))
row() { printf '  %-32s %12s %12s %7s %9s  %s\n' "$@" | sed 's/ *$//'; }
say "summary ($(nproc) cores, load average $LOAD at start, JAVA_OPTS=$JAVA_OPTS)"
row metric wheelhouse nginx ratio target ""
row "page requests/s" "$WH_RPS" "$NG_RPS" "$PAGE_RATIO" ">= 0.50" "$(at_least "$PAGE_RATIO" 0.50)"
row "single download MB/s" "$(mb "$WH_SPEED")" "$(mb "$NG_SPEED")" "$DL_RATIO" ">= 0.90" \
  "$(at_least "$DL_RATIO" 0.90)"
row "$CLIENTS-client aggregate MB/s" "$(mb "$WH_AGG")" "$(mb "$NG_AGG")" "$AGG_RATIO" "-" ""
printf '  %-32s %s / %s / %s MiB, peak %+d MiB while sending %s MB\n' \
  "wheelhouse RSS before/peak/after" "$(mib "$RSS_BEFORE")" "$(mib "$RSS_PEAK")" "$(mib "$RSS_AFTER")" \
  $(($(mib "$RSS_PEAK") - $(mib "$RSS_BEFORE"))) "$(mb "$SENT")"
