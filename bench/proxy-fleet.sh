#!/usr/bin/env bash
# A proxy index in front of a local PEP 503 mirror of real wheels (/opt/pypi, served by nginx),
# on 127.0.0.1 only, measured against that same nginx:
#   1. a CI fleet: N concurrent `pip download <project>` runs, directly from nginx, through a
#      fresh wheelhouse (cold: every file is a miss) and again through it (warm: all hits)
#   2. time to first byte of large files that wheelhouse does not hold yet (cold misses)
#   3. the wheelhouse JVM's RSS while N clients fetch the same large uncached file
# Timings never fail the run: the exit status is non-zero only when the setup itself fails.
# See bench/README.md for the knobs (environment variables) and how to read the output.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

MIRROR="${BENCH_MIRROR:-/opt/pypi}"              # PEP 503 tree: simple/<p>/index.html, files/
MIRROR_MORE="${BENCH_MIRROR_MORE:-/opt/pypi-more}" # optional second tree with 400-550 MB wheels
PROJECT="${BENCH_PROJECT:-librosa}"              # what the fleet downloads (with dependencies)
FLEET="${BENCH_FLEET:-16}"                       # concurrent pip runs in one fleet round
ROUNDS="${BENCH_ROUNDS:-2}"                      # rounds of direct, cold, warm (fresh data each)
PIP_SECONDS="${BENCH_PIP_SECONDS:-120}"          # bound of one pip run (and so of one round)
CURL_SECONDS="${BENCH_CURL_SECONDS:-120}"        # bound of one curl download
BUDGET_SECONDS="${BENCH_BUDGET_SECONDS:-600}"    # no new step starts after this (setup included)
TTFB_PROJECTS="${BENCH_TTFB_PROJECTS:-numpy scipy llvmlite tensorflow-cpu}"
RSS_CLIENTS="${BENCH_RSS_CLIENTS:-16}"           # concurrent curls of one uncached file
STARTUP_SECONDS="${BENCH_STARTUP_SECONDS:-240}"  # the launcher may build the project first
export JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"

HOST=127.0.0.1

# ---------------------------------------------------------------------------------------------
# Tools, temp dir and cleanup

ensure_tools() {
  install_missing nginx curl
  require_tools java python3 sha256sum timeout
  require_venv
  [[ -f "$MIRROR/simple/$PROJECT/index.html" && -d "$MIRROR/files" ]] ||
    die "no PEP 503 mirror with $PROJECT at $MIRROR (set BENCH_MIRROR)"
}

WH_PID=""
NGINX_PID=""
SAMPLER_PID=""

# Called by exit_cleanup (lib.sh) before it deletes the temp dir with the downloads, the data dirs and
# the logs: stops what this script started, and whatever else of its own jobs still runs (pip and
# curl runs of an interrupted fleet round).
on_exit() {
  stop_all "$SAMPLER_PID" "$WH_PID" "$NGINX_PID"
}

# Starts a wheelhouse named $1 over a fresh data dir, with a proxy `pypi` of nginx (and `more`
# of the second nginx server when $2 is "more") in the group `all`. Sets WH_PID, WH, WH_LOG.
start_wheelhouse() {
  local name="$1" port members="local, pypi" more=""
  port="$(free_port)"
  WH="http://$HOST:$port"
  WH_LOG="$TMP/wheelhouse-$name.log"
  if [[ "${2:-}" == more ]]; then
    members="local, pypi, more"
    more="  - name: more
    type: proxy
    url: $NG_MORE/simple/
    ttl: 10m"
  fi
  cat >"$TMP/wheelhouse-$name.yaml" <<EOF
listen: $HOST:$port
data: $TMP/data-$name
indexes:
  - name: local
    type: hosted
  - name: pypi
    type: proxy
    url: $NG/simple/
    ttl: 10m
$more
  - name: all
    type: group
    members: [$members]
default-index: all
upload:
  index: local
EOF
  serve_jar "$TMP/wheelhouse-$name.yaml" "$WH_LOG"
  WH_PID=$!
  await_healthz "$WH" "$WH_PID" "$WH_LOG" "wheelhouse ($name)"
  echo "  wheelhouse '$name' on $WH (pid $WH_PID, JAVA_OPTS=$JAVA_OPTS)"
}

# ---------------------------------------------------------------------------------------------
# Number helpers (awk does the floating point; the others are in lib.sh)

least() { tr ' ' '\n' | sed '/^$/d' | sort -g | sed -n 1p; }
ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }

# ---------------------------------------------------------------------------------------------
# Measurements

pip_download() { # $1 index URL, $2 dest dir; output to $2.log
  venv_pip_download -d "$2" --index-url "$1" "$PROJECT" >"$2.log" 2>&1
}

# FLEET pip downloads at once from index URL $1 (named $2): RESULT = wall seconds of the round.
# Each run has its own dest dir; failed runs and incomplete dirs are reported.
fleet_run() {
  local dir i pids=() start end failed=0 wrong=0 files bytes line
  dir="$(mktemp -d "$TMP/fleet.XXXX")"
  line="$(nginx_lines)"
  start="$(now)"
  for i in $(seq "$FLEET"); do
    pip_download "$1" "$dir/$i" &
    pids+=("$!")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || {
      failed=$((failed + 1))
      [[ $failed -gt 1 ]] || tail -n 5 "$dir/$((i + 1)).log" | sed 's/^/      | /'
    }
  done
  end="$(now)"
  RESULT="$(elapsed "$start" "$end")"
  files="$(find "$dir/1" -type f 2>/dev/null | wc -l)"
  bytes="$(du -sb "$dir/1" 2>/dev/null | cut -f1)"
  for i in $(seq 2 "$FLEET"); do
    [[ "$(find "$dir/$i" -type f 2>/dev/null | wc -l)" == "$files" ]] || wrong=$((wrong + 1))
  done
  # What the upstream (nginx) served during the round, whoever asked.
  UP_FILES="$(nginx_since "$line" | awk '$3 ~ /^\/files\// { n++ } END { print n + 0 }')"
  UP_DISTINCT="$(nginx_since "$line" | awk '$3 ~ /^\/files\// { print $3 }' | sort -u | wc -l)"
  UP_PAGES="$(nginx_since "$line" | awk '$3 ~ /^\/simple\// { n++ } END { print n + 0 }')"
  UP_BAD="$(nginx_since "$line" | awk '$1 != 200 { n++ } END { print n + 0 }')"
  printf '  %-22s %7ss  %d x %d files (%s MB each)   upstream: %d file GETs (%d distinct), %d page GETs, %d non-200%s\n' \
    "$2" "$RESULT" "$FLEET" "$files" "$(mb "${bytes:-0}")" "$UP_FILES" "$UP_DISTINCT" "$UP_PAGES" "$UP_BAD" \
    "$( ((failed == 0 && wrong == 0)) || echo "  -- $failed pip runs FAILED, $wrong with other file counts")"
  FLEET_PROBLEMS=$((FLEET_PROBLEMS + failed + wrong))
  ROUND_OK=$((failed == 0 && wrong == 0))
  # Through wheelhouse, each file should come from upstream at most once: name the others.
  if [[ "$2" == wheelhouse* ]]; then
    nginx_since "$line" | awk '$3 ~ /^\/files\// { n = split($3, p, "/"); print p[n] }' | sort | uniq -c |
      awk '$1 > 1 { printf "      fetched %d times from upstream: %s\n", $1, $2 }'
  fi
  rm -rf "$dir"
}

# curl of URL $1 to /dev/null: "CODE TTFB TOTAL BYTES" (seconds).
fetch() {
  curl -s --noproxy '*' -o /dev/null --max-time "$CURL_SECONDS" \
    -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download}\n' "$1" || echo "000 0 0 0"
}

# log_summary (lib.sh) of wheelhouse log $1, and its slowest requests by the access log's time.
wheelhouse_log_report() {
  log_summary "$1"
  awk '$3 == "access" { t = $10; sub(/ms$/, "", t); print t + 0, $8, substr($5, 2), $6 }' "$1" |
    sort -rn | sed -n 1,3p | awk '{ printf "    slow: %6d ms  HTTP %s  %s %s\n", $1, $2, $3, $4 }'
}

# ---------------------------------------------------------------------------------------------
# Setup

ensure_tools
make_tmp wheelhouse-proxy-fleet
mkdir -p "$TMP/nginx/logs"
LOAD="$(load)"
FLEET_PROBLEMS=0
SKIPPED=""
WH_PROBLEMS=0
WH_NON200=0

say "preparing wheelhouse (the launcher builds it if sources changed)"
prepare_wheelhouse # a copy of the jar: every wheelhouse of this run is the same build

NG_PORT="$(free_port)"
NG="http://$HOST:$NG_PORT"
NG_MORE=""
more_server=""
if [[ -f "$MIRROR_MORE/simple/index.html" || -d "$MIRROR_MORE/simple" ]] && [[ -d "$MIRROR_MORE/files" ]]; then
  NG_MORE_PORT="$(free_port)"
  NG_MORE="http://$HOST:$NG_MORE_PORT"
  more_server="server { listen $HOST:$NG_MORE_PORT; root $MIRROR_MORE; autoindex off; index index.html; }"
fi
write_mirror_nginx_conf "$NG_PORT" "$more_server"

say "starting nginx on $NG (root $MIRROR)${NG_MORE:+ and $NG_MORE (root $MIRROR_MORE)}"
start_nginx "$NG/simple/$PROJECT/"

say "creating the pip venv; one pip download of $PROJECT straight from nginx (checks the setup, warms the OS cache)"
make_venv
start="$(now)"
pip_download "$NG/simple/" "$TMP/probe" || { tail -n 20 "$TMP/probe.log" >&2; die "pip download from nginx failed"; }
PROBE_FILES="$(find "$TMP/probe" -type f | wc -l)"
PROBE_BYTES="$(du -sb "$TMP/probe" | cut -f1)"
echo "  $PROBE_FILES files, $(mb "$PROBE_BYTES") MB in $(elapsed "$start" "$(now)")s"
rm -rf "$TMP/probe" "$TMP/probe.log"

note_load

# ---------------------------------------------------------------------------------------------
# 1. The fleet: per round a fresh wheelhouse; direct, then cold through it, then warm

say "1. fleet: $FLEET concurrent 'pip download $PROJECT', $ROUNDS rounds of direct / cold / warm (fresh wheelhouse each round)"
DIRECT_ALL="" COLD_ALL="" WARM_ALL=""
COLD_UP_FILES="" COLD_UP_DISTINCT="" WARM_UP_FILES=0 WARM_UP_PAGES=0
# Only rounds in which every pip run succeeded count for the best times.
for round in $(seq "$ROUNDS"); do
  over_budget "fleet round $round" && break
  echo "  round $round:"
  start_wheelhouse "fleet$round"
  fleet_run "$NG/simple/" "direct (nginx)"
  ((ROUND_OK)) && DIRECT_ALL+=" $RESULT"
  fleet_run "$WH/simple/" "wheelhouse cold"
  ((ROUND_OK)) && COLD_ALL+=" $RESULT"
  COLD_UP_FILES+=" $UP_FILES" COLD_UP_DISTINCT+=" $UP_DISTINCT"
  if ! over_budget "warm fleet of round $round"; then
    fleet_run "$WH/simple/" "wheelhouse warm"
    ((ROUND_OK)) && WARM_ALL+=" $RESULT"
    WARM_UP_FILES=$((WARM_UP_FILES + UP_FILES)) WARM_UP_PAGES=$((WARM_UP_PAGES + UP_PAGES))
  fi
  echo "    data dir: $(du -sh "$TMP/data-fleet$round" | cut -f1)"
  stop_wheelhouse
  cp "$WH_LOG" "$TMP/kept-fleet$round.log"
  rm -rf "$TMP/data-fleet$round"
done
DIRECT="$(least <<<"$DIRECT_ALL")"
COLD="$(least <<<"$COLD_ALL")"
WARM="$(least <<<"$WARM_ALL")"
COLD_RATIO="$(ratio "$COLD" "$DIRECT")"
WARM_RATIO="$(ratio "$WARM" "$DIRECT")"
printf '  best: direct %ss, cold %ss (ratio %s), warm %ss (ratio %s)\n' \
  "$DIRECT" "$COLD" "$COLD_RATIO" "$WARM" "$WARM_RATIO"

# ---------------------------------------------------------------------------------------------
# 2. Cold-miss time to first byte: a fresh wheelhouse, page fetched first (as pip does)

say "2. time to first byte of large files: nginx, then wheelhouse cold miss, then wheelhouse hit"
start_wheelhouse ttfb
printf '  %-62s %8s %9s %9s %9s %7s\n' file MB nginx "wh miss" "wh hit" "miss/ng"
TTFB_NG_ALL="" TTFB_COLD_ALL="" TTFB_ROWS=0
for project in $TTFB_PROJECTS; do
  over_budget "TTFB of $project" && continue
  if ! read -r name size _ < <(python3 "$BENCH_DIR/mirror_file.py" largest "$MIRROR" "$project" 2>/dev/null); then
    echo "  $project: not in $MIRROR, skipped"
    continue
  fi
  page_code="$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 60 -H 'Accept: text/html' "$WH/simple/$project/")"
  url="$(python3 "$BENCH_DIR/mirror_file.py" link "$WH/simple/$project/" "$name" 2>&1)" ||
    { echo "  $project: wheelhouse page HTTP $page_code: $url"; WH_NON200=$((WH_NON200 + 1)); continue; }
  read -r c_ng t_ng _ b_ng < <(fetch "$NG/files/$name")
  read -r c_miss t_miss tt_miss b_miss < <(fetch "$url")
  c_hit=skipped t_hit=0 b_hit=0
  [[ "$c_miss" == 200 && "$b_miss" == "$size" ]] && read -r c_hit t_hit _ b_hit < <(fetch "$url")
  note=""
  for pair in "nginx:$c_ng:$b_ng" "miss:$c_miss:$b_miss" "hit:$c_hit:$b_hit"; do
    IFS=: read -r who code got <<<"$pair"
    [[ "$code" == 200 && "$got" == "$size" ]] || note+=" $who: HTTP $code, $got of $size bytes;"
  done
  printf '  %-62s %8s %7sms %7sms %7sms %7s  (miss total %ss)%s\n' "${name:0:62}" "$(mb "$size")" \
    "$(ms "$t_ng")" "$(ms "$t_miss")" "$(ms "$t_hit")" "$(ratio "$t_miss" "$t_ng")" "$tt_miss" \
    "${note:+  --$note}"
  if [[ -n "$note" ]]; then
    FLEET_PROBLEMS=$((FLEET_PROBLEMS + 1)) # a failed fetch's timing is not a TTFB
  else
    TTFB_NG_ALL+=" $t_ng" TTFB_COLD_ALL+=" $t_miss" TTFB_ROWS=$((TTFB_ROWS + 1))
  fi
done
stop_wheelhouse
cp "$WH_LOG" "$TMP/kept-ttfb.log"
rm -rf "$TMP/data-ttfb"
TTFB_NG_WORST="$(tr ' ' '\n' <<<"$TTFB_NG_ALL" | sed '/^$/d' | sort -g | tail -n 1)"
TTFB_COLD_WORST="$(tr ' ' '\n' <<<"$TTFB_COLD_ALL" | sed '/^$/d' | sort -g | tail -n 1)"

# ---------------------------------------------------------------------------------------------
# 3. RSS while RSS_CLIENTS fetch one large uncached file through a fresh wheelhouse

if [[ -n "$NG_MORE" ]]; then
  RSS_ROOT="$MIRROR_MORE"
else
  RSS_ROOT="$MIRROR"
fi
read -r rss_project rss_name rss_size rss_sha < <(python3 "$BENCH_DIR/mirror_file.py" largest "$RSS_ROOT") ||
  die "no files in $RSS_ROOT"
say "3. $RSS_CLIENTS clients fetching uncached $rss_name ($(mb "$rss_size") MB, from $RSS_ROOT) at once; RSS every 200 ms"
RSS_BEFORE=0 RSS_PEAK=0 RSS_AFTER=0 RSS_BAD=0 RSS_UP=n/a
rss_burst() {
  start_wheelhouse rss ${NG_MORE:+more}
  curl -s --noproxy '*' -o /dev/null --max-time 60 -H 'Accept: text/html' "$WH/simple/$rss_project/" || true
  if ! rss_url="$(python3 "$BENCH_DIR/mirror_file.py" link "$WH/simple/$rss_project/" "$rss_name" 2>&1)"; then
    echo "  $rss_url"
    RSS_BAD=1
    stop_wheelhouse
    cp "$WH_LOG" "$TMP/kept-rss.log"
    return
  fi
  sleep 1
  RSS_FILE="$TMP/rss.txt"
  RSS_BEFORE="$(rss_now)"
  sample_rss "$RSS_FILE" &
  SAMPLER_PID=$!
  line="$(nginx_lines)"
  dir="$(mktemp -d "$TMP/burst.XXXX")"
  start="$(now)"
  pids=()
  for i in $(seq "$RSS_CLIENTS"); do
    fetch "$rss_url" >"$dir/$i" &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  end="$(now)"
  sleep 2 # what stays allocated once the burst is over
  RSS_AFTER="$(rss_now)"
  stop_pid "$SAMPLER_PID"
  SAMPLER_PID=""
  RSS_PEAK="$( (cat "$RSS_FILE"; echo "$RSS_BEFORE"; echo "$RSS_AFTER") | sort -n | tail -n 1)"
  RSS_BAD="$(awk -v n="$rss_size" '$1 != 200 || $4 != n' "$dir"/* | wc -l)"
  RSS_UP="$(nginx_since "$line" | awk '$3 ~ /^\/files\// { n++ } END { print n + 0 }')"
  printf '  %d downloads in %ss (%s MB/s aggregate); first byte after %s..%s ms; %d incomplete or non-200\n' \
    "$RSS_CLIENTS" "$(elapsed "$start" "$end")" \
    "$(awk -v b="$(awk '{ s += $4 } END { print s + 0 }' "$dir"/*)" -v t="$(elapsed "$start" "$end")" 'BEGIN { printf "%.1f", b / t / 1e6 }')" \
    "$(ms "$(awk '{ print $2 }' "$dir"/* | sort -g | sed -n 1p)")" \
    "$(ms "$(awk '{ print $2 }' "$dir"/* | sort -g | tail -n 1)")" "$RSS_BAD"
  echo "  upstream file GETs during the burst: $RSS_UP"
  sha="$(curl -s --noproxy '*' --max-time "$CURL_SECONDS" "$rss_url" | sha256sum | cut -d' ' -f1)"
  if [[ "$sha" == "$rss_sha" ]]; then echo "  sha256 of the file as served afterwards: matches upstream"; else
    echo "  sha256 of the file as served afterwards: $sha, EXPECTED $rss_sha"
    RSS_BAD=$((RSS_BAD + 1))
  fi
  printf '  wheelhouse RSS: before %s MiB, peak %s MiB, after %s MiB (%s samples)\n' \
    "$(mib "$RSS_BEFORE")" "$(mib "$RSS_PEAK")" "$(mib "$RSS_AFTER")" "$(wc -l <"$RSS_FILE")"
  stop_wheelhouse
  cp "$WH_LOG" "$TMP/kept-rss.log"
  rm -rf "$TMP/data-rss" "$dir"
}
over_budget "the RSS burst" || rss_burst

# ---------------------------------------------------------------------------------------------
# Server health: each wheelhouse's access log by route and status, warnings and errors

say "wheelhouse logs"
for log in "$TMP"/kept-*.log; do
  name="$(basename "$log" .log)"
  echo "  ${name#kept-}:"
  wheelhouse_log_report "$log"
done
nginx_error_report

# ---------------------------------------------------------------------------------------------
# Summary

row() { printf '  %-38s %12s %12s %7s %9s  %s\n' "$@" | sed 's/ *$//'; }
say "summary ($(nproc) cores, load average $LOAD at start, JAVA_OPTS=$JAVA_OPTS)"
row metric wheelhouse direct ratio target ""
row "fleet of $FLEET, cold: wall s (best)" "$COLD" "$DIRECT" "$COLD_RATIO" "<= 1.50" "$(at_most "$COLD_RATIO" 1.50)"
row "fleet of $FLEET, warm: wall s (best)" "$WARM" "$DIRECT" "$WARM_RATIO" "<= 1.10" "$(at_most "$WARM_RATIO" 1.10)"
row "cold-miss TTFB ms (worst of $TTFB_ROWS files)" "$(ms "${TTFB_COLD_WORST:-0}")" "$(ms "${TTFB_NG_WORST:-0}")" \
  "$(ratio "${TTFB_COLD_WORST:-0}" "${TTFB_NG_WORST:-0}")" "-" ""
if ((RSS_BEFORE > 0)); then
  printf '  %-38s %s / %s / %s MiB, peak %+d MiB while %d clients fetched %s MB uncached\n' \
    "wheelhouse RSS before/peak/after" "$(mib "$RSS_BEFORE")" "$(mib "$RSS_PEAK")" "$(mib "$RSS_AFTER")" \
    $(($(mib "$RSS_PEAK") - $(mib "$RSS_BEFORE"))) "$RSS_CLIENTS" "$(mb "$rss_size")"
else
  printf '  %-38s not measured\n' "wheelhouse RSS before/peak/after"
fi
echo "  upstream file GETs per cold round:$COLD_UP_FILES (distinct files:$COLD_UP_DISTINCT); during warm rounds: $WARM_UP_FILES files, $WARM_UP_PAGES pages"
echo "  upstream file GETs while $RSS_CLIENTS clients fetched one uncached file: $RSS_UP"
echo "  problems: $FLEET_PROBLEMS failed pip runs or downloads, $RSS_BAD bad burst downloads," \
  "$WH_NON200 wheelhouse non-200 responses, $WH_PROBLEMS WARN/ERROR lines"
[[ -z "$SKIPPED" ]] || echo "  skipped (time budget of ${BUDGET_SECONDS}s spent):$SKIPPED"
