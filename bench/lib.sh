# shellcheck shell=bash
# What the benchmark scripts share; each sources it right after setting BENCH_DIR and ROOT:
#   . "$BENCH_DIR/lib.sh"
# Only definitions: nothing here runs, prints or starts anything when sourced. The functions read
# the sourcing script's globals where they say so (TMP, HOST, JAVA_OPTS, STARTUP_SECONDS, ...).

# The sourcing script's name without .sh: the prefix of die's messages.
BENCH_SCRIPT="$(basename "$(readlink -f "${BASH_SOURCE[1]}")" .sh)"
TMP=""

# ---------------------------------------------------------------------------------------------
# Messages, tools, temp dir and cleanup

# Prints a section heading.
say() { printf '\n== %s\n' "$*"; }

# Prints "<script>: $*" to stderr and exits 1.
die() {
  printf '%s: %s\n' "$BENCH_SCRIPT" "$*" >&2
  exit 1
}

# Installs those of the commands $@ that are missing (each its own Debian package), as root; dies otherwise.
install_missing() {
  local missing=() cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null || missing+=("$cmd")
  done
  if ((${#missing[@]} > 0)); then
    [[ $EUID -eq 0 ]] || die "missing ${missing[*]}; install them (apt-get install -y ${missing[*]})"
    say "installing ${missing[*]}"
    apt-get install -y -q "${missing[@]}" >/dev/null ||
      { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; } ||
      die "could not install ${missing[*]}"
  fi
}

# Dies unless every command $@ is on PATH.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "missing $tool"
  done
}

# Dies unless python3 can make a venv with pip in it.
require_venv() {
  python3 -c 'import venv, ensurepip' 2>/dev/null || die "python3 lacks venv/ensurepip (apt-get install -y python3-venv)"
}

# Creates the temp dir TMP ($1.XXXXXX in TMPDIR); traps: exit_cleanup on exit, exit 130 on INT and TERM.
make_tmp() {
  TMP="$(mktemp -d -t "$1.XXXXXX")"
  trap exit_cleanup EXIT
  trap 'exit 130' INT TERM
}

# The EXIT trap: the script's on_exit (stops what it started), then deletes TMP and exits with the script's status.
exit_cleanup() {
  local status=$?
  trap - EXIT INT TERM
  on_exit
  [[ -n "$TMP" ]] && rm -rf "$TMP"
  exit "$status"
}

# Stops one process this script started: SIGTERM, up to 15 s for a clean shutdown, then SIGKILL.
stop_pid() {
  [[ -n "$1" ]] || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 150); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Stops the processes $@ in turn (stop_pid), then sends SIGTERM to this shell's other jobs and waits for them.
stop_all() {
  local children pid
  children="$(jobs -p)"
  for pid in "$@"; do stop_pid "$pid"; done
  for pid in $children; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}

# A free TCP port on 127.0.0.1 (the kernel's choice).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until URL $1 answers status $4 (a regex; default 200), no proxy; fails when pid $2 exits first or $3 s pass.
wait_for() {
  local deadline=$((SECONDS + $3)) want="${4:-200}"
  until [[ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 "$1")" =~ ^($want)$ ]]; do
    kill -0 "$2" 2>/dev/null || return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------------
# The wheelhouse server

# Runs the launcher (it builds when sources changed; the last built jar if that fails), copies jar and lib/ to $TMP/app.
prepare_wheelhouse() {
  local jar="$ROOT/client-cli/target/wheelhouse-cli.jar" out
  if ! out="$(cd "$ROOT" && timeout "$STARTUP_SECONDS" ./wheelhouse --version 2>&1)"; then
    printf '%s\n' "$out" | tail -n 20 | sed 's/^/  | /'
    [[ -f "$jar" && -d "$ROOT/client-cli/target/lib" ]] || die "the launcher failed and there is no built jar"
    echo "  the launcher failed (above); using the last built $jar"
  fi
  mkdir -p "$TMP/app"
  cp "$jar" "$TMP/app/wheelhouse-cli.jar"
  cp -r "$ROOT/client-cli/target/lib" "$TMP/app/lib"
  echo "  $(java -jar "$TMP/app/wheelhouse-cli.jar" --version 2>/dev/null | sed -n 1p), copied to $TMP/app"
}

# `env` without the *_proxy variables, for what talks to 127.0.0.1 or to the mirror directly.
NOPROXY=(env -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY -u no_proxy -u NO_PROXY)

# Starts `wheelhouse serve --config $1` from $TMP/app in the background, output to $2; the JVM's pid is then $!.
serve_jar() {
  # JAVA_OPTS holds several options.
  # shellcheck disable=SC2086
  "${NOPROXY[@]}" java $JAVA_OPTS -jar "$TMP/app/wheelhouse-cli.jar" serve --config "$1" >"$2" 2>&1 &
}

# Waits 60 s for $1/healthz of pid $2; else shows the tail of its log $3 (masked) and dies: "$4 failed to start".
await_healthz() {
  wait_for "$1/healthz" "$2" 60 || { tail -n 20 "$3" | mask >&2; die "$4 failed to start"; }
}

# Stops the wheelhouse WH_PID and clears it.
stop_wheelhouse() {
  stop_pid "$WH_PID"
  WH_PID=""
}

# Appends the JVM WH_PID's VmRSS (kB) to $1 every 200 ms until killed.
sample_rss() {
  while sleep 0.2; do
    awk '/^VmRSS:/ { print $2 }' "/proc/$WH_PID/status" 2>/dev/null || break
  done >>"$1"
}

# The JVM WH_PID's VmRSS now (kB).
rss_now() { awk '/^VmRSS:/ { print $2 }' "/proc/$WH_PID/status"; }

# Wheelhouse log $1 by method, route and status, and its WARN/ERROR lines (added to WH_PROBLEMS; non-200s to WH_NON200).
log_summary() {
  awk '$3 == "access" { split($6, seg, "/"); r = "/" seg[2]; if ($6 ~ /\.metadata$/) r = r "/*.metadata"
    print $5, r, $8 }' "$1" |
    sort | uniq -c | awk '{ printf "    %-6s %-20s HTTP %s: %d\n", substr($2, 2), $3, $4, $1 }'
  local problems
  problems="$(grep -cE '^[^ ]+ (WARN|ERROR) ' "$1" || true)"
  echo "    WARN/ERROR lines: $problems"
  grep -E '^[^ ]+ (WARN|ERROR) ' "$1" | sed -n 1,5p | cut -c1-220 | sed 's/^/      /' || true
  WH_PROBLEMS=$((WH_PROBLEMS + problems))
  WH_NON200=$((WH_NON200 + $(awk '$3 == "access" && $8 != 200 { n++ } END { print n + 0 }' "$1")))
}

# ---------------------------------------------------------------------------------------------
# nginx, as the reference server or as a PEP 503 mirror

# Writes $TMP/nginx/nginx.conf: 2 workers of $1 connections, files under $TMP/nginx; $2... end the http block.
write_nginx_conf() {
  local connections="$1" user_line=""
  shift
  # The workers must read the private temp dir and write its logs.
  if [[ $EUID -eq 0 ]]; then user_line="user root;"; fi
  {
    cat <<EOF
$user_line
daemon off;
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections $connections; }
http {
  types { text/html html; application/octet-stream whl; }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;  # like wheelhouse: never close a busy keep-alive connection
  client_body_temp_path $TMP/nginx/client_body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
EOF
    printf '  %s\n' "$@"
    echo "}"
  } >"$TMP/nginx/nginx.conf"
}

# nginx.conf serving the PEP 503 tree MIRROR on port $1 (and lines $2...), access log "STATUS BYTES URI".
write_mirror_nginx_conf() {
  local port="$1"
  shift
  write_nginx_conf 4096 "log_format bench '\$status \$body_bytes_sent \$request_uri';" \
    "access_log $TMP/nginx/logs/access.log bench;" \
    "# /simple/<project>/ is simple/<project>/index.html; /files/<file> is the file." \
    "server { listen $HOST:$port; root $MIRROR; autoindex off; index index.html; }" "$@"
}

# Starts nginx in the background (NGINX_PID) and waits 20 s for URL $1 to answer 200; else shows its error log and dies.
start_nginx() {
  nginx -e "$TMP/nginx/logs/error.log" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
  NGINX_PID=$!
  wait_for "$1" "$NGINX_PID" 20 || { cat "$TMP/nginx/logs/error.log" >&2; die "nginx failed to start"; }
}

# The number of lines in nginx's access log.
nginx_lines() { wc -l <"$TMP/nginx/logs/access.log"; }

# Lines appended to nginx's access log since line $1: "STATUS BYTES URI" each.
nginx_since() { tail -n "+$(($1 + 1))" "$TMP/nginx/logs/access.log"; }

# Prints the size of nginx's error log and its first five lines.
nginx_error_report() {
  echo "  nginx error log: $(grep -c . "$TMP/nginx/logs/error.log" || true) lines"
  sed -n 1,5p "$TMP/nginx/logs/error.log" | cut -c1-220 | sed 's/^/    /'
}

# ---------------------------------------------------------------------------------------------
# pip in a venv of its own

# Creates the venv $TMP/venv, says which pip and Python it holds; sets PIP_UNSET for venv_pip_download.
make_venv() {
  python3 -m venv "$TMP/venv" >/dev/null || die "python3 -m venv failed"
  echo "  $("$TMP/venv/bin/python" -m pip --version | cut -d' ' -f1-2), $("$TMP/venv/bin/python" --version)"
  # PIP_* variables and a pip.conf on this machine add indexes and find-links: never use them.
  local var
  PIP_UNSET=()
  for var in $(env | grep -o '^PIP_[^=]*' || true); do PIP_UNSET+=(-u "$var"); done
}

# `pip download $@` with the venv's pip within PIP_SECONDS, without this machine's pip.conf, PIP_*, cache, PYTHONPATH.
venv_pip_download() {
  timeout "$PIP_SECONDS" env "${PIP_UNSET[@]}" PIP_CONFIG_FILE=/dev/null PYTHONPATH= \
    "$TMP/venv/bin/python" -m pip download --isolated --no-cache-dir --disable-pip-version-check \
    --progress-bar off "$@"
}

# ---------------------------------------------------------------------------------------------
# The Debian mirror and a throwaway apt

# Sets MIRROR_URL, MIRROR_HOST, MIRROR_RE from SOURCES_FILE's first URIs:; dies "... $2" unless its scheme matches $1.
read_mirror() {
  [[ -r "$SOURCES_FILE" ]] || die "cannot read $SOURCES_FILE (set BENCH_APT_SOURCES)"
  MIRROR_URL="$(awk 'tolower($1) == "uris:" { print $2; exit }' "$SOURCES_FILE")"
  MIRROR_URL="${MIRROR_URL%/}"
  [[ "$MIRROR_URL" =~ ^($1)://([^/]+)(/.*)?$ ]] || die "the first URIs: of $SOURCES_FILE $2"
  MIRROR_HOST="${BASH_REMATCH[2]}"
  MIRROR_RE="$(printf '%s' "$MIRROR_HOST" | sed 's/[].[*^$\\#]/\\&/g')"
}

# Replaces the mirror's host by <mirror> in what is printed (the output can go anywhere); cat before read_mirror.
mask() {
  if [[ -n "${MIRROR_RE:-}" ]]; then sed "s#$MIRROR_RE#<mirror>#g"; else cat; fi
}

# With BENCH_KEEP_LOGS (KEEP_LOGS): copies the non-empty files $@ there, the mirror's host masked.
keep_logs() {
  [[ -n "$KEEP_LOGS" ]] || return 0
  mkdir -p "$KEEP_LOGS" || return 0
  local f
  for f in "$@"; do
    [[ -s "$f" ]] || continue
    # shellcheck disable=SC2094 # KEEP_LOGS is outside TMP: never the file read
    mask <"$f" >"$KEEP_LOGS/$(basename "$f")" || true
  done
  echo "logs copied to $KEEP_LOGS (mirror host masked)" >&2
}

# A throwaway amd64 apt in dir $1 that never reads /etc/apt, its one source "deb [signed-by=KEYRING] $2 SUITE main".
make_throwaway_apt() {
  local d="$1"
  mkdir -p "$d/etc/apt.conf.d" "$d/etc/sources.list.d" "$d/etc/preferences.d" \
    "$d/etc/trusted.gpg.d" "$d/etc/auth.conf.d" "$d/state/lists/partial" \
    "$d/cache/archives/partial" "$d/log"
  : >"$d/state/status"
  echo "deb [signed-by=$KEYRING] $2 $SUITE main" >"$d/etc/sources.list"
  cat >"$d/etc/apt.conf" <<EOF
Dir::Etc "$d/etc";
Dir::Etc::Main "/dev/null";
Dir::Etc::Parts "$d/etc/apt.conf.d";
Dir::Etc::SourceList "$d/etc/sources.list";
Dir::Etc::SourceParts "$d/etc/sources.list.d";
Dir::Etc::Preferences "$d/etc/preferences";
Dir::Etc::PreferencesParts "$d/etc/preferences.d";
Dir::Etc::Trusted "$d/etc/trusted.gpg";
Dir::Etc::TrustedParts "$d/etc/trusted.gpg.d";
Dir::Etc::netrc "$d/etc/auth.conf";
Dir::Etc::netrcparts "$d/etc/auth.conf.d";
Dir::State "$d/state";
Dir::State::Lists "$d/state/lists";
Dir::State::status "$d/state/status";
Dir::Cache "$d/cache";
Dir::Cache::Archives "$d/cache/archives";
Dir::Log "$d/log";
Debug::NoLocking "true";
APT::Sandbox::User "root";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
Acquire::Languages { "none"; };
Acquire::Retries "0";
EOF
}

# apt-get $3... with the throwaway apt of dir $1 within $2 s, in a clean environment; output appended to $1/out.
throwaway_apt_get() {
  local d="$1" seconds="$2"
  shift 2
  timeout -k 5 "$seconds" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$d" LC_ALL=C \
    DEBIAN_FRONTEND=noninteractive APT_CONFIG="$d/etc/apt.conf" apt-get "$@" >>"$d/out" 2>&1 </dev/null
}

# ---------------------------------------------------------------------------------------------
# Numbers (awk does the floating point) and time

# $1 / $2 to two decimals, or n/a when either is n/a or $2 is not positive.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "n/a" && b != "n/a" && b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# The median of the numbers on stdin (separated by spaces or lines), or n/a when there are none.
median() {
  tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 }
    END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Bytes $1 in MB (10^6), one decimal.
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# kB $1 in MiB, no decimals.
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# "ok" when ratio $1 is at most target $2 (lower is better), "ABOVE" when not, n/a for n/a.
at_most() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else print (r + 0 <= t + 0) ? "ok" : "ABOVE" }'; }

# "ok" when ratio $1 is at least target $2 (higher is better), "BELOW" when not, n/a for n/a.
at_least() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else print (r + 0 >= t + 0) ? "ok" : "BELOW" }'; }

# The time now, in seconds since the epoch with a fraction.
now() { date +%s.%N; }

# Seconds from time $1 to time $2, two decimals.
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }

# The 1-minute load average.
load() { cut -d' ' -f1 /proc/loadavg; }

# Says so when the load average LOAD (taken at the start) is over half the cores.
note_load() {
  if awk -v l="$LOAD" -v c="$(nproc)" 'BEGIN { exit !(l > c / 2) }'; then
    echo "  note: load average $LOAD on $(nproc) cores before measuring: the figures will be noisy"
  fi
}

# True (and says so, adding $1 to SKIPPED) once BUDGET_SECONDS are spent, so that what hangs costs one step at most.
over_budget() {
  ((SECONDS > BUDGET_SECONDS)) || return 1
  echo "  time budget of ${BUDGET_SECONDS}s spent: skipping $1"
  SKIPPED+=" $1;"
}
