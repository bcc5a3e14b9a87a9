#!/usr/bin/env bash
# `wheelhouse prewarm` of a lock file (pinned versions with hashes) of real wheels for
# linux/amd64 and linux/arm64, through a proxy index in front of a local PEP 503 mirror
# (/opt/pypi, served by nginx), on 127.0.0.1 only:
#   1. cold: a fresh wheelhouse, so every file is a miss fetched from the mirror
#   2. warm: the same command again, BENCH_ROUNDS times (median)
#   3. the reference, in the same rounds: `pip download` of the same lock for both platforms,
#      straight from nginx and through the warm wheelhouse
# Timings never fail the run: the exit status is non-zero only when the setup itself fails.
# See bench/README.md for the knobs (environment variables) and how to read the output.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

MIRROR="${BENCH_MIRROR:-/opt/pypi}"               # PEP 503 tree: simple/<p>/index.html, files/
# The lock: librosa's and pandas' wheels, heavy compiled ones first.
PROJECTS="${BENCH_PROJECTS:-numpy scipy scikit-learn numba llvmlite pandas soxr msgpack librosa soundfile
  joblib threadpoolctl audioread decorator lazy-loader pooch typing-extensions platformdirs packaging requests}"
PYTHON="${BENCH_PYTHON:-3.11}"                     # prewarm --python, pip --python-version
MANYLINUX="${BENCH_MANYLINUX:-2_36}"               # targets' glibc: prewarm --manylinux, pip's --platform list
JOBS="${BENCH_JOBS:-4}"                            # prewarm --jobs
ROUNDS="${BENCH_ROUNDS:-3}"                        # warm rounds (warm prewarm, pip direct, pip through wheelhouse)
PREWARM_SECONDS="${BENCH_PREWARM_SECONDS:-300}"    # bound of one prewarm run
PIP_SECONDS="${BENCH_PIP_SECONDS:-300}"            # bound of one pip download run (one platform)
BUDGET_SECONDS="${BENCH_BUDGET_SECONDS:-900}"      # no new step starts after this (setup included)
STARTUP_SECONDS="${BENCH_STARTUP_SECONDS:-240}"    # the launcher may build the project first
export JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"

HOST=127.0.0.1
# prewarm's --platform values, and the matching architecture of pip's platform tags.
PLATFORMS=(linux/amd64 linux/arm64)
ARCHES=(x86_64 aarch64)

# ---------------------------------------------------------------------------------------------
# Tools, temp dir and cleanup

ensure_tools() {
  install_missing nginx curl
  require_tools java python3 timeout
  require_venv
  [[ -d "$MIRROR/simple" && -d "$MIRROR/files" ]] || die "no PEP 503 mirror at $MIRROR (set BENCH_MIRROR)"
  [[ "$MANYLINUX" =~ ^2_[0-9]+$ ]] || die "BENCH_MANYLINUX must look like 2_36, not '$MANYLINUX'"
}

WH_PID=""
NGINX_PID=""

# Called by exit_cleanup (lib.sh) before it deletes the temp dir (downloads, data dir, logs): stops
# what this script started.
on_exit() {
  stop_all "$WH_PID" "$NGINX_PID"
}

# Starts a wheelhouse over a fresh data dir with a proxy `pypi` of nginx in the group `all`
# (the default index). Sets WH_PID, WH, WH_LOG.
start_wheelhouse() {
  local port
  port="$(free_port)"
  WH="http://$HOST:$port"
  WH_LOG="$TMP/wheelhouse.log"
  cat >"$TMP/wheelhouse.yaml" <<EOF
listen: $HOST:$port
data: $TMP/data
indexes:
  - name: local
    type: hosted
  - name: pypi
    type: proxy
    url: $NG/simple/
    ttl: 10m
  - name: all
    type: group
    members: [local, pypi]
default-index: all
upload:
  index: local
EOF
  serve_jar "$TMP/wheelhouse.yaml" "$WH_LOG"
  WH_PID=$!
  await_healthz "$WH" "$WH_PID" "$WH_LOG" wheelhouse
  echo "  wheelhouse on $WH (pid $WH_PID, JAVA_OPTS=$JAVA_OPTS, data dir $TMP/data)"
}

# ---------------------------------------------------------------------------------------------
# Number helpers (awk does the floating point; the others are in lib.sh)

sum() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a") print "n/a"; else printf "%.2f", a + b }'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s != "n/a" && s > 0) printf "%.1f", b / 1e6 / s; else print "n/a" }'; }

# What nginx (the upstream) served since access log line $1: "N file GETs, M page GETs[, K non-200]".
upstream_since() {
  nginx_since "$1" | awk '
    $3 ~ /^\/files\// { f++ } $3 ~ /^\/simple\// { p++ } $1 != 200 { bad++ }
    END { printf "%d file GETs, %d page GETs%s", f, p, bad ? sprintf(", %d non-200", bad) : "" }'
}
upstream_files_since() {
  nginx_since "$1" | awk '$3 ~ /^\/files\// { n++ } END { print n + 0 }'
}

# ---------------------------------------------------------------------------------------------
# The lock file, made from the mirror's index pages with pip's own tag logic (the venv's pip)

write_lockgen() {
  cat >"$TMP/lockgen.py" <<'PY'
"""lockgen.py MIRROR PYTHON GLIBC OUT PROJECT...: a hashed lock of PROJECTs from a PEP 503 mirror.

For each project: the newest version with a wheel for the most targets (x86_64 and aarch64 glibc
GLIBC, CPython PYTHON), pinned with the sha256 of every file of that version the page links.
Writes OUT/lock.txt, OUT/lock-<arch>.txt (the requirements with a wheel for arch),
OUT/platforms-<arch>.txt (pip --platform values, best first) and OUT/plan.tsv
(project, version, arch, the file pip would choose or -, its size).
"""
import html.parser
import os
import sys
import urllib.parse

from pip._vendor.packaging import tags
from pip._vendor.packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename

ARCHES = ("x86_64", "aarch64")
FIRST_GLIBC = {"x86_64": 5, "aarch64": 17}
LEGACY = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.hrefs.append(href)


def platforms(arch, glibc_minor):
    """manylinux_2_N_<arch> from the targets' glibc down, each legacy alias after its version."""
    out = []
    for minor in range(glibc_minor, FIRST_GLIBC[arch] - 1, -1):
        out.append(f"manylinux_2_{minor}_{arch}")
        if minor in LEGACY and (arch == "x86_64" or minor == 17):
            out.append(f"{LEGACY[minor]}_{arch}")
    out.append(f"linux_{arch}")
    return out


def main(mirror, python, glibc, out, projects):
    version = tuple(int(part) for part in python.split("."))
    interpreter = f"cp{version[0]}{version[1]}"
    glibc_minor = int(glibc.split("_")[1])
    rank = {}
    for arch in ARCHES:
        plats = platforms(arch, glibc_minor)
        with open(os.path.join(out, f"platforms-{arch}.txt"), "w") as f:
            f.write("\n".join(plats) + "\n")
        supported = list(tags.cpython_tags(version, platforms=plats))
        supported += list(tags.compatible_tags(version, interpreter, plats))
        rank[arch] = {}
        for i, tag in enumerate(supported):
            rank[arch].setdefault(tag, i)

    lock, per_arch, plan = [], {arch: [] for arch in ARCHES}, []
    for raw in projects:
        project = canonicalize_name(raw)
        page = os.path.join(mirror, "simple", project, "index.html")
        if not os.path.isfile(page):
            print(f"  {project}: not in {mirror}, left out")
            continue
        parser = Links()
        with open(page, encoding="utf-8") as f:
            parser.feed(f.read())
        versions = {}  # version -> [(filename, sha256, size, tags or None for an sdist)]
        for href in parser.hrefs:
            parts = urllib.parse.urlsplit(href)
            name = urllib.parse.unquote(parts.path.rsplit("/", 1)[-1])
            path = os.path.join(mirror, "files", name)
            if not parts.fragment.startswith("sha256=") or not os.path.isfile(path):
                continue
            try:
                if name.endswith(".whl"):
                    _, ver, _, file_tags = parse_wheel_filename(name)
                else:
                    _, ver = parse_sdist_filename(name)
                    file_tags = None
            except Exception:
                continue
            versions.setdefault(ver, []).append((name, parts.fragment[7:], os.path.getsize(path), file_tags))

        def best(files, arch):
            fits = [(min(rank[arch][t] for t in tg if t in rank[arch]), n, s)
                    for n, _, s, tg in files if tg and any(t in rank[arch] for t in tg)]
            return min(fits) if fits else None

        choices = sorted(((sum(best(files, a) is not None for a in ARCHES), ver) for ver, files in versions.items()),
                         reverse=True)
        if not choices or choices[0][0] == 0:
            print(f"  {project}: no wheel for cp{version[0]}{version[1]} linux in {mirror}, left out")
            continue
        ver = choices[0][1]
        files = versions[ver]
        hashes = sorted({digest for _, digest, _, _ in files})
        entry = f"{project}=={ver} \\\n" + " \\\n".join(f"    --hash=sha256:{h}" for h in hashes) + "\n"
        lock.append(entry)
        for arch in ARCHES:
            chosen = best(files, arch)
            if chosen:
                per_arch[arch].append(entry)
                plan.append((project, str(ver), arch, chosen[1], str(chosen[2])))
            else:
                plan.append((project, str(ver), arch, "-", "0"))

    with open(os.path.join(out, "lock.txt"), "w") as f:
        f.write("# pinned from the mirror's index pages, with the sha256 of every file of each version\n")
        f.writelines(lock)
    for arch in ARCHES:
        with open(os.path.join(out, f"lock-{arch}.txt"), "w") as f:
            f.writelines(per_arch[arch])
    with open(os.path.join(out, "plan.tsv"), "w") as f:
        f.writelines("\t".join(row) + "\n" for row in plan)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
PY
}

# Reads prewarm's --json output $1 against plan.tsv: prints
# "STATUS=N ... files=N seconds=S" and then a line per cell that differs from the plan (a missing
# cell where the mirror has a wheel, another file than pip's choice, a cell missing where expected).
write_report() {
  cat >"$TMP/report.py" <<'PY'
import json
import sys

doc = json.load(open(sys.argv[1]))
plan = {}
for line in open(sys.argv[2]):
    project, version, arch, name, _ = line.rstrip("\n").split("\t")
    plan[(project, arch)] = name
arch_of = {"amd64": "x86_64", "arm64": "aarch64"}
totals = doc.get("totals", {})
print(" ".join(f"{k}={v}" for k, v in totals.items()))
for req in doc.get("requirements", []):
    for label, cell in req.get("cells", {}).items():
        arch = arch_of.get(label.split()[0].split("/")[1], "?")
        want = plan.get((req["name"], arch))
        got = cell.get("file") if cell.get("status") in ("cached", "fetched") else "-"
        if want != got:
            print(f"  {req['name']} on {label}: {cell.get('status')} {cell.get('file') or ''}"
                  f" {cell.get('reason') or ''} (expected {want})")
PY
}

# ---------------------------------------------------------------------------------------------
# Measurements

# pip download of lock-<arch> from index URL $1 for arch $2 into the fresh dir $3 (log $3.log):
# RESULT = wall seconds, or n/a when pip failed or the dir does not hold exactly the planned files.
pip_run() {
  local start end platform_flags=() expect got
  while read -r tag; do platform_flags+=(--platform "$tag"); done <"$TMP/platforms-$2.txt"
  start="$(now)"
  if venv_pip_download --only-binary=:all: --no-deps --python-version "$PYTHON" "${platform_flags[@]}" \
    -d "$3" --index-url "$1" -r "$TMP/lock-$2.txt" >"$3.log" 2>&1; then
    end="$(now)"
    RESULT="$(elapsed "$start" "$end")"
    expect="$(awk -F'\t' -v a="$2" '$3 == a && $4 != "-" { print $4 }' "$TMP/plan.tsv" | sort)"
    got="$(find "$3" -type f -printf '%f\n' | sort)"
    if [[ "$expect" != "$got" ]]; then
      echo "      pip ($2) downloaded other files than planned:"
      diff <(echo "$expect") <(echo "$got") | sed -n '/^[<>]/p' | sed -n 1,6p | sed 's/^/        /'
      RESULT=n/a
      PROBLEMS=$((PROBLEMS + 1))
    fi
  else
    echo "      pip ($2) FAILED or timed out after $(elapsed "$start" "$(now)")s:"
    tail -n 5 "$3.log" | sed 's/^/        | /'
    RESULT=n/a
    PROBLEMS=$((PROBLEMS + 1))
  fi
  rm -rf "$3" "$3.log"
}

# Both platforms from index URL $1 (named $2): RESULT = the sum of both wall times.
pip_both() {
  local line times=() arch
  line="$(nginx_lines)"
  for arch in "${ARCHES[@]}"; do
    pip_run "$1" "$arch" "$TMP/pip-$arch"
    times+=("$RESULT")
  done
  RESULT="$(sum "${times[0]}" "${times[1]}")"
  printf '    %-30s %7ss  (x86_64 %ss + aarch64 %ss)  upstream: %s\n' "$2" "$RESULT" "${times[0]}" \
    "${times[1]}" "$(upstream_since "$line")"
}

# One `wheelhouse prewarm` of the lock (named $1; $2 "cold" or "warm"): RESULT = wall seconds of
# the command (JVM start included), or n/a when it failed; prints its JSON totals and the cells
# that differ from the plan.
prewarm_run() {
  local start end line status=0 report
  TOTALS="" UP_FILES=0
  local target_flags=()
  for platform in "${PLATFORMS[@]}"; do target_flags+=(--platform "$platform"); done
  line="$(nginx_lines)"
  start="$(now)"
  # JAVA_OPTS holds several options.
  # shellcheck disable=SC2086
  timeout "$PREWARM_SECONDS" env -u WHEELHOUSE_URL -u WHEELHOUSE_TOKEN \
    java $JAVA_OPTS -jar "$TMP/app/wheelhouse-cli.jar" prewarm -r "$TMP/lock.txt" "${target_flags[@]}" \
    --python "$PYTHON" --manylinux "$MANYLINUX" --jobs "$JOBS" --allow-missing --json --url "$WH" \
    >"$TMP/prewarm.json" 2>"$TMP/prewarm.err" || status=$?
  end="$(now)"
  RESULT="$(elapsed "$start" "$end")"
  UP_FILES="$(upstream_files_since "$line")"
  if ((status != 0)); then
    printf '    %-30s FAILED (exit %d after %ss)\n' "$1" "$status" "$RESULT"
    sed -n 1,5p "$TMP/prewarm.err" | sed 's/^/        | /'
    RESULT=n/a
    PROBLEMS=$((PROBLEMS + 1))
    return
  fi
  report="$(python3 "$TMP/report.py" "$TMP/prewarm.json" "$TMP/plan.tsv" 2>&1)" ||
    report="unreadable JSON: $(head -c 200 "$TMP/prewarm.json")"
  TOTALS="$(sed -n 1p <<<"$report")"
  printf '    %-30s %7ss  %s  upstream: %s\n' "$1" "$RESULT" "$TOTALS" "$(upstream_since "$line")"
  if [[ "$(sed -n '2,$p' <<<"$report")" != "" ]]; then
    echo "      cells that differ from the plan (pip's choice on the mirror):"
    sed -n '2,$p' <<<"$report" | sed -n 1,10p | sed 's/^  /        /'
    PROBLEMS=$((PROBLEMS + 1))
  fi
  # A warm run should find everything cached: no upstream file GET, no `fetched` cell.
  if [[ "$2" == warm ]] && { ((UP_FILES > 0)) || [[ "$TOTALS" =~ fetched=[1-9] ]]; }; then
    echo "      a warm run fetched from upstream"
    PROBLEMS=$((PROBLEMS + 1))
  fi
}

# ---------------------------------------------------------------------------------------------
# Setup

ensure_tools
make_tmp wheelhouse-prewarm-lock
mkdir -p "$TMP/nginx/logs"
LOAD="$(load)"
PROBLEMS=0
SKIPPED=""
WH_PROBLEMS=0
WH_NON200=0

say "preparing wheelhouse (the launcher builds it if sources changed)"
prepare_wheelhouse # a copy of the jar: the server and every prewarm run are the same build

say "creating the pip venv"
make_venv

# ---------------------------------------------------------------------------------------------
# 1. The lock

say "1. the lock: $(wc -w <<<"$PROJECTS") projects from $MIRROR, CPython $PYTHON, glibc ${MANYLINUX/_/.}, ${ARCHES[*]}"
write_lockgen
write_report
# shellcheck disable=SC2086
"$TMP/venv/bin/python" "$TMP/lockgen.py" "$MIRROR" "$PYTHON" "$MANYLINUX" "$TMP" $PROJECTS ||
  die "could not make the lock from $MIRROR"
REQS="$(awk -F'\t' '{ print $1 }' "$TMP/plan.tsv" | sort -u | wc -l)"
((REQS > 0)) || die "no project of BENCH_PROJECTS has a wheel in $MIRROR"
printf '  %-20s %-12s %-68s %9s  %s\n' project version "file pip chooses for x86_64" MB aarch64
awk -F'\t' '$3 == "x86_64" { f[$1] = $4; s[$1] = $5; v[$1] = $2; order[++n] = $1 }
  $3 == "aarch64" { a[$1] = ($4 == "-") ? "no wheel in the mirror" : ($4 == f[$1] ? "same file" : $4 " (" sprintf("%.1f", $5 / 1e6) " MB)") }
  END { for (i = 1; i <= n; i++) { p = order[i]
    printf "  %-20s %-12s %-68s %9.1f  %s\n", p, v[p], substr(f[p], 1, 68), s[p] / 1e6, a[p] } }' "$TMP/plan.tsv"
CELLS=$((REQS * ${#ARCHES[@]}))
WHEEL_CELLS="$(awk -F'\t' '$4 != "-"' "$TMP/plan.tsv" | wc -l)"
GAPS=$((CELLS - WHEEL_CELLS))
CELL_BYTES="$(awk -F'\t' '$4 != "-" { s += $5 } END { printf "%.0f", s }' "$TMP/plan.tsv")"
DISTINCT="$(awk -F'\t' '$4 != "-" { print $4 }' "$TMP/plan.tsv" | sort -u | wc -l)"
DISTINCT_BYTES="$(awk -F'\t' '$4 != "-" && !seen[$4]++ { s += $5 } END { printf "%.0f", s }' "$TMP/plan.tsv")"
echo "  $REQS requirements x ${#ARCHES[@]} targets = $CELLS files: $WHEEL_CELLS with a wheel in the mirror," \
  "$(mb "$CELL_BYTES") MB ($CELL_BYTES bytes); $DISTINCT distinct files, $(mb "$DISTINCT_BYTES") MB"
if ((GAPS > 0)); then
  echo "  note: $GAPS of the $CELLS files have no wheel in the mirror; prewarm reports them as missing"
  echo "        (run with --allow-missing), and pip downloads, per platform, only the requirements that have one"
fi
sed -n 1,7p "$TMP/lock.txt" | sed 's/^/  | /'
echo "  | ... ($(grep -c '==' "$TMP/lock.txt") pins, $(grep -c -- '--hash=' "$TMP/lock.txt") hashes)"

NG_PORT="$(free_port)"
NG="http://$HOST:$NG_PORT"
write_mirror_nginx_conf "$NG_PORT"
say "starting nginx on $NG (root $MIRROR)"
FIRST="$(awk -F'\t' '{ print $1; exit }' "$TMP/plan.tsv")"
start_nginx "$NG/simple/$FIRST/"

# Puts the planned files in the OS page cache, so that neither side of the comparison reads disk.
awk -F'\t' '$4 != "-" { print $4 }' "$TMP/plan.tsv" | sort -u | while read -r name; do
  cat "$MIRROR/files/$name" >/dev/null
done

note_load

# ---------------------------------------------------------------------------------------------
# 2. Cold prewarm, then rounds of warm prewarm / pip direct / pip through wheelhouse

say "2. prewarm ${PLATFORMS[*]}, python $PYTHON, --jobs $JOBS: cold (fresh wheelhouse), then BENCH_ROUNDS=$ROUNDS warm rounds"
start_wheelhouse
COLD=n/a COLD_TOTALS="" COLD_UP=n/a
echo "  cold:"
if ! over_budget "the cold prewarm"; then
  prewarm_run "prewarm cold" cold
  COLD="$RESULT" COLD_TOTALS="$TOTALS" COLD_UP="$UP_FILES"
  echo "    data dir after the cold run: $(du -sh "$TMP/data" | cut -f1)"
fi
WARM_ALL="" DIRECT_ALL="" THROUGH_ALL="" WARM_TOTALS=""
for round in $(seq "$ROUNDS"); do
  over_budget "warm round $round" && break
  echo "  round $round:"
  prewarm_run "prewarm warm" warm
  [[ "$RESULT" == n/a ]] || WARM_ALL+=" $RESULT"
  WARM_TOTALS="$TOTALS"
  over_budget "pip of warm round $round" && break
  pip_both "$NG/simple/" "pip direct from the mirror"
  [[ "$RESULT" == n/a ]] || DIRECT_ALL+=" $RESULT"
  pip_both "$WH/simple/" "pip through wheelhouse"
  [[ "$RESULT" == n/a ]] || THROUGH_ALL+=" $RESULT"
done
stop_wheelhouse
WARM="$(median <<<"$WARM_ALL")"
DIRECT="$(median <<<"$DIRECT_ALL")"
THROUGH="$(median <<<"$THROUGH_ALL")"

say "wheelhouse log"
log_summary "$WH_LOG"
nginx_error_report

# ---------------------------------------------------------------------------------------------
# Summary

count() { awk '{ print NF }' <<<"$1"; }
row() { printf '  %-50s %9s %8s  %s\n' "$@" | sed 's/ *$//'; }
say "summary ($(nproc) cores, load average $LOAD at start, JAVA_OPTS=$JAVA_OPTS, --jobs $JOBS)"
echo "  lock: $REQS requirements x ${#ARCHES[@]} targets = $CELLS files, $WHEEL_CELLS with a wheel in the mirror:" \
  "$(mb "$CELL_BYTES") MB; $DISTINCT distinct files, $(mb "$DISTINCT_BYTES") MB"
row step "wall s" "MB/s" ""
row "prewarm cold (fresh wheelhouse)" "$COLD" "$(mbps "$DISTINCT_BYTES" "$COLD")" \
  "$COLD_TOTALS; $COLD_UP upstream file GETs"
row "prewarm warm (median of $(count "$WARM_ALL"))" "$WARM" "$(mbps "$DISTINCT_BYTES" "$WARM")" "$WARM_TOTALS"
row "pip download direct from the mirror (median of $(count "$DIRECT_ALL"))" "$DIRECT" \
  "$(mbps "$CELL_BYTES" "$DIRECT")" "x86_64 + aarch64, fresh dirs"
row "pip download through warm wheelhouse (median of $(count "$THROUGH_ALL"))" "$THROUGH" \
  "$(mbps "$CELL_BYTES" "$THROUGH")" "x86_64 + aarch64, fresh dirs"
row "ratio warm / cold prewarm" "$(ratio "$WARM" "$COLD")" "" ""
row "ratio warm prewarm / pip direct" "$(ratio "$WARM" "$DIRECT")" "" ""
row "ratio pip through wheelhouse / pip direct" "$(ratio "$THROUGH" "$DIRECT")" "" ""
echo "  rounds (wall s): warm prewarm$WARM_ALL; pip direct$DIRECT_ALL; pip through wheelhouse$THROUGH_ALL"
echo "  problems: $PROBLEMS failed or unexpected runs, $WH_NON200 wheelhouse non-200 responses," \
  "$WH_PROBLEMS WARN/ERROR lines"
[[ -z "$SKIPPED" ]] || echo "  skipped (time budget of ${BUDGET_SECONDS}s spent):$SKIPPED"
