#!/usr/bin/env bash
# apt through wheelhouse's apt cache, measured against apt-cacher-ng and against the Debian mirror
# itself, all driven from 127.0.0.1 (the mirror is the only remote host, as every cache's upstream):
#   for each of: mirror direct, apt-cacher-ng (proxy), wheelhouse /apt/<mirror>/, wheelhouse as a
#   forward proxy: one cold round (fills that cache), then N warm rounds, each with a fresh apt
#   state, timing `apt-get update` + `apt-get install --download-only` of a fixed package list
#   (dependencies included, with an empty dpkg status). Then a replay: one curl fetching the same
#   .debs in turn through each, which shows the server's own cost without apt's CPU in the way.
# The mirror's URL is read at run time from the machine's deb822 sources file, never written down.
# apt runs with a throwaway configuration that never reads the machine's /etc/apt.
# Timings never fail the run: the exit status is non-zero only when the setup itself fails.
# See bench/README.md for the knobs (environment variables) and how to read the output.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

SOURCES_FILE="${BENCH_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}" # first URIs: = mirror
SUITE="${BENCH_APT_SUITE:-bookworm}"                                        # component: main
KEYRING="${BENCH_APT_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}"
PACKAGES="${BENCH_APT_PACKAGES:-jq curl git make patch xz-utils zstd file less rsync unzip zip bzip2 sqlite3 tree htop lsof strace gawk bc}"
MODES="${BENCH_MODES:-direct acng wh-apt wh-proxy}" # also: wh-host (apt-cacher-ng style URLs)
ROUNDS="${BENCH_ROUNDS:-3}"                         # warm rounds per mode, after one cold round
REPLAY_ROUNDS="${BENCH_REPLAY_ROUNDS:-3}"           # curl replays of the .debs per mode; 0: none
TTL="${BENCH_APT_TTL:-5m}"                          # wheelhouse's mirror ttl (Release files)
APT_SECONDS="${BENCH_APT_SECONDS:-300}"             # bound of one apt-get run
BUDGET_SECONDS="${BENCH_BUDGET_SECONDS:-600}"       # no new round starts after this
STARTUP_SECONDS="${BENCH_STARTUP_SECONDS:-240}"     # the launcher may build the project first
KEEP_LOGS="${BENCH_KEEP_LOGS:-}"                    # dir to copy the logs to (mirror host masked)
APT_DEBUG="${BENCH_APT_DEBUG:-0}"                   # 1: apt prints every HTTP header it sees
export JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"

HOST=127.0.0.1
MIRROR_NAME=debian # wheelhouse's name for the mirror: /apt/debian/

# ---------------------------------------------------------------------------------------------
# Tools, the mirror, temp dir and cleanup

ensure_tools() {
  if ! command -v apt-cacher-ng >/dev/null; then
    [[ $EUID -eq 0 ]] || die "missing apt-cacher-ng; install it (apt-get install -y apt-cacher-ng)"
    say "installing apt-cacher-ng (its own service, if the package starts one, is left alone)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q apt-cacher-ng >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q apt-cacher-ng >/dev/null; } ||
      die "could not install apt-cacher-ng"
  fi
  command -v apt-cacher-ng >/dev/null || die "apt-cacher-ng is not on PATH after installing it"
  require_tools java python3 curl timeout apt-get
  [[ -d /usr/lib/apt-cacher-ng ]] || die "missing /usr/lib/apt-cacher-ng (apt-cacher-ng's SupportDir)"
  [[ -r "$KEYRING" ]] || die "cannot read the keyring $KEYRING (set BENCH_APT_KEYRING)"
}

ACNG_PID=""
declare -A WH_PID=() WH_URL=() WH_LOG=()

# Called by exit_cleanup (lib.sh) before it deletes the temp dir with the apt states, the caches and
# the logs: stops what this script started (the servers; an apt-get still running is its child
# too), then, with BENCH_KEEP_LOGS, keeps the servers' logs and the output of failed apt rounds.
on_exit() {
  stop_all "${WH_PID[@]}" "$ACNG_PID"
  [[ -z "$TMP" ]] ||
    keep_logs "$TMP"/wheelhouse-*.log "$TMP"/failed-*.out "$TMP"/acng/log/*.log "$TMP"/acng/log/*.err
}

# A free port below 32768, instead of lib.sh's: apt-cacher-ng 3.7 cannot bind higher ones ("Error
# resolving address for binding"), and the kernel's ephemeral range starts above that.
free_port() {
  python3 -c '
import random, socket
for _ in range(200):
    port = random.randint(10000, 32767)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free port")'
}

# Starts the wheelhouse of mode $1 over a fresh data dir, with the one apt mirror.
start_wheelhouse() {
  local mode="$1" port
  port="$(free_port)"
  WH_URL[$mode]="http://$HOST:$port"
  WH_LOG[$mode]="$TMP/wheelhouse-$mode.log"
  cat >"$TMP/wheelhouse-$mode.yaml" <<EOF
listen: $HOST:$port
data: $TMP/data-$mode
apt:
  mirrors:
    - name: $MIRROR_NAME
      url: $MIRROR_URL
      ttl: $TTL
EOF
  serve_jar "$TMP/wheelhouse-$mode.yaml" "${WH_LOG[$mode]}"
  WH_PID[$mode]=$!
  await_healthz "${WH_URL[$mode]}" "${WH_PID[$mode]}" "${WH_LOG[$mode]}" "wheelhouse ($mode)"
  echo "  wheelhouse for $(label "$mode") on ${WH_URL[$mode]} (pid ${WH_PID[$mode]}, ttl $TTL)"
}

# Starts apt-cacher-ng in the foreground (backgrounded here) with its own config dir, cache, logs
# and port, without the package's config, remaps or service.
start_acng() {
  local port
  port="$(free_port)"
  ACNG_URL="http://$HOST:$port"
  mkdir -p "$TMP/acng/conf" "$TMP/acng/cache" "$TMP/acng/log"
  cat >"$TMP/acng/conf/acng.conf" <<EOF
CacheDir: $TMP/acng/cache
LogDir: $TMP/acng/log
SupportDir: /usr/lib/apt-cacher-ng
Port: $port
BindAddress: $HOST
SocketPath: $TMP/acng/socket
ForeGround: 1
UseWrap: 0
ReportPage: acng-report.html
ExThreshold: 4
EOF
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin apt-cacher-ng -c "$TMP/acng/conf" >"$TMP/acng/stdout.log" 2>&1 &
  ACNG_PID=$!
  wait_for "$ACNG_URL/" "$ACNG_PID" 20 '[1-5][0-9][0-9]' ||
    { tail -n 20 "$TMP/acng/stdout.log" "$TMP/acng/log/apt-cacher.err" 2>/dev/null | mask >&2; die "apt-cacher-ng failed to start"; }
  echo "  apt-cacher-ng $(dpkg-query -W -f '${Version}' apt-cacher-ng 2>/dev/null || true) on $ACNG_URL (pid $ACNG_PID)"
}

# ---------------------------------------------------------------------------------------------
# Modes: how apt reaches the mirror

label() {
  case "$1" in
    direct) echo "mirror direct" ;;
    acng) echo "apt-cacher-ng (proxy)" ;;
    wh-apt) echo "wheelhouse /apt/" ;;
    wh-proxy) echo "wheelhouse fwd proxy" ;;
    wh-host) echo "wheelhouse /<host>/" ;;
  esac
}

# The repository URL apt is given in sources.list.
repo_url() {
  case "$1" in
    direct | acng | wh-proxy) echo "$MIRROR_URL" ;;
    wh-apt) echo "${WH_URL[$1]}/apt/$MIRROR_NAME" ;;
    wh-host) echo "${WH_URL[$1]}/${MIRROR_URL#http://}" ;;
  esac
}

# Acquire::http::Proxy, or nothing.
proxy_url() {
  case "$1" in
    acng) echo "$ACNG_URL/" ;;
    wh-proxy) echo "${WH_URL[$1]}/" ;;
  esac
}

# A throwaway apt (lib.sh) in dir $1 for mode $2, without Valid-Until checks.
make_apt() {
  local d="$1" proxy
  make_throwaway_apt "$d" "$(repo_url "$2")"
  echo 'Acquire::Check-Valid-Until "false";' >>"$d/etc/apt.conf"
  [[ "$APT_DEBUG" != 1 ]] || echo 'Debug::Acquire::http "true";' >>"$d/etc/apt.conf"
  proxy="$(proxy_url "$2")"
  [[ -z "$proxy" ]] || echo "Acquire::http::Proxy \"$proxy\";" >>"$d/etc/apt.conf"
}

# apt-get $2... with the apt of dir $1 (throwaway_apt_get), bounded by APT_SECONDS.
apt_run() { throwaway_apt_get "$1" "$APT_SECONDS" "${@:2}"; }

# What the cache of mode $1 fetched upstream so far: "REQUESTS BYTES MISS REVALIDATED ERRORS
# STALE ABSENT VERIFY HIT" from wheelhouse's /metrics; for apt-cacher-ng, its log's I lines
# (fetched from upstream) as "REQUESTS BYTES"; nothing for direct.
upstream_counters() {
  case "$1" in
    wh-*)
      curl -s --noproxy '*' --max-time 10 "${WH_URL[$1]}/metrics" | awk -v m="$MIRROR_NAME" '
        index($0, "mirror=\"" m "\"") == 0 { next }
        /^wheelhouse_apt_requests_total\{/ { split($0, a, "result=\""); split(a[2], b, "\""); r[b[1]] += $NF }
        /^wheelhouse_apt_upstream_bytes_total\{/ { up += $NF }
        /^wheelhouse_apt_upstream_errors_total\{/ { err += $NF }
        /^wheelhouse_apt_verification_failures_total\{/ { ver += $NF }
        END { printf "%d %d %d %d %d %d %d %d %d\n", r["miss"] + r["revalidated"], up, r["miss"],
          r["revalidated"], err, r["stale"], r["absent"], ver, r["hit"] }'
      ;;
    acng)
      if [[ -f "$TMP/acng/log/apt-cacher.log" ]]; then
        awk -F'|' '$2 == "I" { n++; b += $3 } END { printf "%d %d\n", n, b }' "$TMP/acng/log/apt-cacher.log"
      else
        echo "0 0"
      fi
      ;;
    *) echo "" ;;
  esac
}

# Non-200 responses in wheelhouse log $1 after line $2 (its access lines).
log_lines() { if [[ -f "$1" ]]; then wc -l <"$1"; else echo 0; fi; }
non200_since() { tail -n "+$(($2 + 1))" "$1" | awk '$3 == "access" && $8 != 200 { n++ } END { print n + 0 }'; }

# One round of mode $1 named $2 (cold, warm1, ...): a fresh apt, then `apt-get update` and
# `apt-get install -y --download-only --no-install-recommends PACKAGES`, each timed.
# Sets R_OK, R_TOTAL, R_UPDATE, R_DOWNLOAD, R_DEBS, R_BYTES, R_UP_REQ, R_UP_BYTES.
run_round() {
  local mode="$1" name="$2" d before after t0 t1 t2 rc_u=0 rc_i=0 warn line0=0 non200=0 note=""
  d="$TMP/apt-$mode-$name"
  make_apt "$d" "$mode"
  before="$(upstream_counters "$mode")"
  [[ "$mode" != wh-* ]] || line0="$(log_lines "${WH_LOG[$mode]}")"
  t0="$(now)"
  apt_run "$d" update || rc_u=$?
  t1="$(now)"
  if ((rc_u == 0)); then
    # PACKAGES is a list of names.
    # shellcheck disable=SC2086
    apt_run "$d" install -y --download-only --no-install-recommends $PACKAGES || rc_i=$?
  fi
  t2="$(now)"
  sleep 0.2 # apt-cacher-ng writes its log when the client has gone
  after="$(upstream_counters "$mode")"
  R_UPDATE="$(elapsed "$t0" "$t1")"
  R_DOWNLOAD="$(elapsed "$t1" "$t2")"
  R_TOTAL="$(elapsed "$t0" "$t2")"
  R_DEBS="$(find "$d/cache/archives" -maxdepth 1 -type f -name '*.deb' | wc -l)"
  R_BYTES="$(find "$d/cache/archives" -maxdepth 1 -type f -name '*.deb' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')"
  # Fetched lines: the first is update's (indexes), the second install's (packages).
  R_FETCHED="$(grep -E '^Fetched ' "$d/out" | sed 's/ in .*//' | paste -sd';' - || true)"
  warn="$(grep -cE '^(W|E): ' "$d/out" || true)"
  R_OK=1
  if ((rc_u != 0 || rc_i != 0)); then
    R_OK=0
    note+=" apt-get $( ((rc_u != 0)) && echo "update exited $rc_u" || echo "install exited $rc_i");"
  fi
  ((warn == 0)) || note+=" $warn W:/E: lines;"
  if [[ -n "${EXPECT_DEBS:-}" && ($R_DEBS != "$EXPECT_DEBS" || $R_BYTES != "$EXPECT_BYTES") ]]; then
    R_OK=0
    note+=" $R_DEBS .debs / $(mb "$R_BYTES") MB, expected $EXPECT_DEBS / $(mb "$EXPECT_BYTES");"
  fi
  if [[ "$mode" == wh-* ]]; then
    non200="$(non200_since "${WH_LOG[$mode]}" "$line0")"
    ((non200 == 0)) || note+=" $non200 non-200 from wheelhouse;"
  fi
  # Upstream traffic of the cache during the round.
  local up="" a=() b=()
  read -r -a b <<<"$before"
  read -r -a a <<<"$after"
  R_UP_REQ=0 R_UP_BYTES=0
  case "$mode" in
    wh-*)
      R_UP_REQ=$((a[0] - b[0])) R_UP_BYTES=$((a[1] - b[1]))
      up="upstream: $((a[2] - b[2])) miss, $((a[3] - b[3])) revalidated, $(mb "$R_UP_BYTES") MB"
      (((a[4] - b[4]) == 0)) || up+=", $((a[4] - b[4])) ERRORS"
      (((a[5] - b[5]) == 0)) || up+=", $((a[5] - b[5])) stale"
      (((a[6] - b[6]) == 0)) || up+=", $((a[6] - b[6])) absent"
      (((a[7] - b[7]) == 0)) || up+=", $((a[7] - b[7])) VERIFICATION FAILURES"
      up+="; $((a[8] - b[8])) hits"
      ;;
    acng)
      R_UP_REQ=$((a[0] - b[0])) R_UP_BYTES=$((a[1] - b[1]))
      up="upstream: $R_UP_REQ fetches, $(mb "$R_UP_BYTES") MB"
      ;;
    *) up="" ;;
  esac
  printf '  %-7s %-22s %6ss = update %5ss + download %5ss  %3d .debs %5s MB  %s%s\n' \
    "$name" "$(label "$mode")" "$R_TOTAL" "$R_UPDATE" "$R_DOWNLOAD" "$R_DEBS" "$(mb "$R_BYTES")" "$up" \
    "${note:+  --$note}"
  if ((R_OK == 0 || warn > 0)); then
    grep -E '^(W|E): |^Err:' "$d/out" | sed -n 1,8p | cut -c1-200 | mask | sed 's/^/      | /' || true
    ((R_OK)) || PROBLEMS=$((PROBLEMS + 1))
    cp "$d/out" "$TMP/failed-$mode-$name.out"
  fi
  WARNINGS=$((WARNINGS + warn))
  if [[ "$mode-$name" == "${KEEP_APT:-}" ]]; then KEPT_APT="$d"; else rm -rf "$d"; fi
}

# Records the round just run in the per-mode lists.
record_round() {
  local mode="$1" kind="$2"
  ((R_OK)) || return 0
  if [[ "$kind" == cold ]]; then
    COLD[$mode]="$R_TOTAL"
  else
    WARM[$mode]+=" $R_TOTAL"
    WARM_UPD[$mode]+=" $R_UPDATE"
    WARM_DL[$mode]+=" $R_DOWNLOAD"
  fi
}

# The download set's pool paths (relative to the repository root), from the kept apt of the cold
# direct round: its lists, with the archives emptied, and `install --print-uris`.
replay_paths() {
  local d="$1"
  find "$d/cache/archives" -maxdepth 1 -type f -name '*.deb' -delete
  # PACKAGES is a list of names.
  # shellcheck disable=SC2086
  apt_run "$d" install -y -qq --print-uris --no-install-recommends $PACKAGES || return 1
  sed -n "s#^'$MIRROR_URL/\([^']*\.deb\)' .*#\1#p" "$d/out" >"$TMP/debs.paths"
  [[ -s "$TMP/debs.paths" ]]
}

# One curl fetching every .deb of the download set in turn, over one connection, the way mode $1
# reaches the mirror: what the server itself costs, without apt's own work. Sets R_OK, R_TOTAL.
replay_round() {
  local mode="$1" name="$2" cfg base proxy args=() t0 t1 out got bytes note=""
  cfg="$TMP/replay-$mode.curl"
  base="$(repo_url "$mode")"
  if [[ ! -f "$cfg" ]]; then
    while read -r path; do printf 'url = "%s/%s"\noutput = "/dev/null"\n' "$base" "$path"; done \
      <"$TMP/debs.paths" >"$cfg"
  fi
  proxy="$(proxy_url "$mode")"
  [[ -z "$proxy" ]] || args=(-x "$proxy")
  t0="$(now)"
  out="$(timeout -k 5 "$APT_SECONDS" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    curl -s "${args[@]}" -w '%{http_code} %{size_download}\n' -K "$cfg" || true)"
  t1="$(now)"
  R_TOTAL="$(elapsed "$t0" "$t1")"
  read -r got bytes < <(awk '$1 == 200 { n++; b += $2 } END { print n + 0, b + 0 }' <<<"$out")
  R_OK=1
  if [[ "$got" != "$(wc -l <"$TMP/debs.paths")" || "$bytes" != "$EXPECT_BYTES" ]]; then
    R_OK=0
    note="  -- $got of $(wc -l <"$TMP/debs.paths") files with HTTP 200, $(mb "$bytes") MB"
    PROBLEMS=$((PROBLEMS + 1))
  fi
  printf '  %-7s %-22s %6ss  %3d files %5s MB  %6s MB/s%s\n' "$name" "$(label "$mode")" "$R_TOTAL" \
    "$got" "$(mb "$bytes")" "$(awk -v b="$bytes" -v t="$R_TOTAL" 'BEGIN { printf "%.1f", (t > 0) ? b / t / 1e6 : 0 }')" "$note"
}

# ---------------------------------------------------------------------------------------------
# Server health: access log by route, kind of file and status; warnings; slowest requests

wheelhouse_log_report() {
  awk '$3 == "access" { u = $6
      if (u ~ /^https?:/) r = "proxy"; else if (u ~ /^\/apt\//) r = "/apt"; else { split(u, s, "/"); r = "/" s[2] }
      k = u ~ /\/pool\// ? "pool" : u ~ /\/by-hash\// ? "by-hash" : u ~ /\/dists\// ? "dists" : "-"
      print r, k, $8 }' "$1" |
    mask | sort | uniq -c | awk '{ printf "    %-22s %-8s HTTP %s: %d\n", $2, $3, $4, $1 }'
  local problems
  problems="$(grep -cE '^[^ ]+ (WARN|ERROR) ' "$1" || true)"
  echo "    WARN/ERROR lines: $problems"
  grep -E '^[^ ]+ (WARN|ERROR) |Exception|^\s+at ' "$1" | sed -n 1,10p | cut -c1-240 | mask | sed 's/^/      /' || true
  WH_PROBLEMS=$((WH_PROBLEMS + problems))
  WH_NON200=$((WH_NON200 + $(awk '$3 == "access" && $8 != 200 { n++ } END { print n + 0 }' "$1")))
  awk '$3 == "access" && $8 != 200' "$1" | sed -n 1,5p | cut -c1-240 | mask | sed 's/^/      non-200: /'
  # The slowest requests by the access log's time, of the cold round (lines up to $2) and of the
  # warm rounds (lines $2 + 1 to $3), and the warm rounds' apt requests in all.
  local part from to
  for part in cold warm; do
    if [[ $part == cold ]]; then from=1 to="$2"; else from=$(($2 + 1)) to="$3"; fi
    sed -n "${from},${to}p" "$1" |
      awk '$3 == "access" { t = $10; sub(/ms$/, "", t); print t + 0, $8, $9, substr($5, 2), $6 }' |
      sort -rn | sed -n 1,3p | mask |
      awk -v p="$part" '{ printf "    slowest %s: %5d ms  HTTP %s  %9d bytes  %s %s\n", p, $1, $2, $3, $4, $5 }'
  done
  sed -n "$(($2 + 1)),$3p" "$1" | awk -v r="$WARM_DONE" '$3 == "access" && $6 !~ /^\/(metrics|healthz)/ {
      t = $10; sub(/ms$/, "", t); n++; s += t; b += $9 }
    END { if (n && r) printf "    warm rounds: %d apt requests, %.1f MB, %d ms of request time in all (%.0f ms per round, %.1f ms per request)\n",
      n, b / 1e6, s, s / r, s / n }'
}

# ---------------------------------------------------------------------------------------------
# Setup

read_mirror http "is not a plain http:// URL; the proxies compared here need one"
ensure_tools
for mode in $MODES; do
  [[ -n "$(label "$mode")" ]] || die "unknown mode '$mode' in BENCH_MODES (direct acng wh-apt wh-proxy wh-host)"
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive number"
[[ "$REPLAY_ROUNDS" =~ ^[0-9]+$ ]] || die "BENCH_REPLAY_ROUNDS must be a number"
make_tmp wheelhouse-apt-vs-acng
LOAD="$(load)"
PROBLEMS=0 WARNINGS=0 WH_PROBLEMS=0 WH_NON200=0 SKIPPED=""
declare -A COLD=() WARM=() WARM_UPD=() WARM_DL=() WARM_UP_REQ=() WARM_UP_BYTES=()

say "setup: mirror <mirror> (first URIs: of $SOURCES_FILE; path ${MIRROR_URL#http://"$MIRROR_HOST"}), $SUITE main, $(apt-get --version | sed -n 1p)"
if [[ " $MODES " == *" wh-"* ]]; then
  echo "  preparing wheelhouse (the launcher builds it if sources changed)"
  prepare_wheelhouse
fi
for mode in $MODES; do
  case "$mode" in
    wh-*) start_wheelhouse "$mode" ;;
    acng) start_acng ;;
  esac
done
note_load

# ---------------------------------------------------------------------------------------------
# Cold rounds: each cache fills from the mirror (the first round, direct, also checks the setup)

say "cold rounds (each cache empty; ${PACKAGES// /, })"
EXPECT_DEBS="" EXPECT_BYTES="" KEEP_APT="direct-cold" KEPT_APT=""
for mode in $MODES; do
  over_budget "cold $(label "$mode")" && continue
  run_round "$mode" cold
  record_round "$mode" cold
  if [[ -z "$EXPECT_DEBS" ]]; then
    if ((R_OK == 0)); then
      [[ "$mode" != direct ]] || die "the direct round failed (above): check the package names (BENCH_APT_PACKAGES) and the mirror"
      continue
    fi
    EXPECT_DEBS="$R_DEBS" EXPECT_BYTES="$R_BYTES"
    echo "          download set: $R_DEBS .debs, $(mb "$R_BYTES") MB (apt: ${R_FETCHED:-?})"
  fi
done

# ---------------------------------------------------------------------------------------------
# Warm rounds: a fresh apt each time, so everything is downloaded again, from the cache; the
# order of the modes rotates from round to round, so that background load hits all alike

say "warm rounds ($ROUNDS per mode, a fresh apt state each, modes in rotating order)"
read -r -a MODE_LIST <<<"$MODES"
n=${#MODE_LIST[@]}
declare -A WARM_LINE0=()
WARM_DONE=0
for mode in $MODES; do
  [[ "$mode" != wh-* ]] || WARM_LINE0[$mode]="$(log_lines "${WH_LOG[$mode]}")"
done
for round in $(seq "$ROUNDS"); do
  for i in $(seq 0 $((n - 1))); do
    mode="${MODE_LIST[$(((i + round - 1) % n))]}"
    over_budget "warm$round $(label "$mode")" && continue
    run_round "$mode" "warm$round"
    record_round "$mode" warm
    WARM_UP_REQ[$mode]=$((${WARM_UP_REQ[$mode]:-0} + R_UP_REQ))
    WARM_UP_BYTES[$mode]=$((${WARM_UP_BYTES[$mode]:-0} + R_UP_BYTES))
  done
  WARM_DONE=$round
done
declare -A WARM_LINE1=()
for mode in $MODES; do
  [[ "$mode" != wh-* ]] || WARM_LINE1[$mode]="$(log_lines "${WH_LOG[$mode]}")"
done

# ---------------------------------------------------------------------------------------------
# Replay: the same .debs fetched by one curl, through each mode, rounds in rotating order

declare -A REPLAY=()
if ((REPLAY_ROUNDS > 0)) && [[ -n "$KEPT_APT" && -n "$EXPECT_BYTES" ]] && ! over_budget "the replay"; then
  say "replay: one curl fetches the $EXPECT_DEBS .debs in turn over one connection ($REPLAY_ROUNDS rounds per mode; no apt CPU in the way)"
  if replay_paths "$KEPT_APT"; then
    for round in $(seq "$REPLAY_ROUNDS"); do
      for i in $(seq 0 $((n - 1))); do
        mode="${MODE_LIST[$(((i + round - 1) % n))]}"
        over_budget "replay$round $(label "$mode")" && continue
        replay_round "$mode" "replay$round"
        ((R_OK == 0)) || REPLAY[$mode]+=" $R_TOTAL"
      done
    done
  else
    echo "  could not list the download set's URLs (apt-get --print-uris):"
    tail -n 5 "$KEPT_APT/out" | mask | sed 's/^/      | /'
  fi
fi
[[ -z "$KEPT_APT" ]] || rm -rf "$KEPT_APT"

# ---------------------------------------------------------------------------------------------
# Logs

say "server logs"
for mode in $MODES; do
  [[ "$mode" == wh-* ]] || continue
  echo "  wheelhouse for $(label "$mode"): data dir $(du -sh "$TMP/data-$mode" 2>/dev/null | cut -f1)"
  wheelhouse_log_report "${WH_LOG[$mode]}" "${WARM_LINE0[$mode]:-0}" "${WARM_LINE1[$mode]:-0}"
done
if [[ -n "$ACNG_PID" ]]; then
  echo "  apt-cacher-ng: cache dir $(du -sh "$TMP/acng/cache" | cut -f1); log by type:" \
    "$(cut -d'|' -f2 "$TMP/acng/log/apt-cacher.log" 2>/dev/null | sort | uniq -c | awk '{ printf "%s %d  ", $2, $1 }')(I: fetched upstream, O: served, E: error)"
  echo "    apt-cacher.err: $(grep -c . "$TMP/acng/log/apt-cacher.err" 2>/dev/null || true) lines"
  sed -n 1,5p "$TMP/acng/log/apt-cacher.err" 2>/dev/null | cut -c1-220 | mask | sed 's/^/      /'
fi

# ---------------------------------------------------------------------------------------------
# Summary

say "summary ($(nproc) cores, load average $LOAD at start, JAVA_OPTS=$JAVA_OPTS, $ROUNDS warm rounds)"
echo "  download set: ${EXPECT_DEBS:-?} .debs, $(mb "${EXPECT_BYTES:-0}") MB, plus the $SUITE main indexes; times are apt-get update + install --download-only, wall s"
printf '  %-22s %7s %8s %8s %9s %8s   %-24s %s\n' mode cold warm update download replay "upstream during" "warm rounds"
printf '  %-22s %7s %8s %8s %9s %8s   %-24s %s\n' "" "" median median median median "warm rounds" "(total s each)"
declare -A MED=() RMED=()
for mode in $MODES; do
  MED[$mode]="$(median <<<"${WARM[$mode]:-}")"
  case "$mode" in
    direct) up="-" ;;
    *) up="${WARM_UP_REQ[$mode]:-0} requests, $(mb "${WARM_UP_BYTES[$mode]:-0}") MB" ;;
  esac
  RMED[$mode]="$(median <<<"${REPLAY[$mode]:-}")"
  printf '  %-22s %7s %8s %8s %9s %8s   %-24s %s\n' "$(label "$mode")" "${COLD[$mode]:-n/a}" "${MED[$mode]}" \
    "$(median <<<"${WARM_UPD[$mode]:-}")" "$(median <<<"${WARM_DL[$mode]:-}")" "${RMED[$mode]}" \
    "$up" "$(xargs <<<"${WARM[$mode]:-}")"
done
echo
row() { printf '  %-44s %7s  %-9s %s\n' "$@" | sed 's/ *$//'; }
row "ratio (medians)" ratio target ""
for wh in wh-apt wh-proxy wh-host; do
  [[ -n "${MED[$wh]:-}" ]] || continue
  if [[ -n "${MED[acng]:-}" ]]; then
    r="$(ratio "${MED[$wh]}" "${MED[acng]}")"
    row "$(label "$wh") / apt-cacher-ng" "$r" "<= 1.00" "$(at_most "$r" 1.00)"
  fi
  if [[ -n "${MED[direct]:-}" ]]; then
    row "$(label "$wh") / mirror direct" "$(ratio "${MED[$wh]}" "${MED[direct]}")" "-" ""
  fi
done
if [[ -n "${MED[acng]:-}" && -n "${MED[direct]:-}" ]]; then
  row "apt-cacher-ng / mirror direct" "$(ratio "${MED[acng]}" "${MED[direct]}")" "-" ""
fi
for wh in wh-apt wh-proxy wh-host; do
  [[ -n "${RMED[$wh]:-}" && "${RMED[$wh]}" != n/a ]] || continue
  [[ -z "${RMED[direct]:-}" ]] || row "replay: $(label "$wh") / mirror direct" "$(ratio "${RMED[$wh]}" "${RMED[direct]}")" "-" ""
done
for wh in wh-apt wh-proxy wh-host; do
  [[ -n "${COLD[$wh]:-}" && -n "${COLD[acng]:-}" ]] || continue
  row "cold: $(label "$wh") / apt-cacher-ng" "$(ratio "${COLD[$wh]}" "${COLD[acng]}")" "-" ""
done
echo "  problems: $PROBLEMS failed or incomplete rounds, $WARNINGS apt W:/E: lines," \
  "$WH_NON200 wheelhouse non-200 responses, $WH_PROBLEMS wheelhouse WARN/ERROR lines"
[[ -z "$SKIPPED" ]] || echo "  skipped (time budget of ${BUDGET_SECONDS}s spent):$SKIPPED"
