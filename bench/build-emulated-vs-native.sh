#!/usr/bin/env bash
# Wheel builds for linux/arm64 under QEMU user emulation, measured against the same builds for
# linux/amd64 run natively, on this (amd64) machine, with wheelhouse's own tools:
#   1. one wheelhouse server on 127.0.0.1 (fresh data dir, an apt mirror `debian`, a hosted index
#      `local`); the arm64 and amd64 builder images made through its apt cache with
#      `wheelhouse builder-image` (timed: debootstrap's second stage runs emulated for arm64), or
#      reused with BENCH_REUSE_IMAGES=1
#   2. setuptools and wheel uploaded to `local` from Debian's python3-*-whl packages, fetched
#      through the same apt cache (pip's build isolation installs them from the server)
#   3. two generated setuptools projects, a tiny C extension and a heavy one (BENCH_FUNCTIONS C
#      functions over BENCH_C_FILES files), each built BENCH_ROUNDS times per platform with
#      `wheelhouse build --json`, platforms alternating, a new version each round; the container's
#      seconds (from --json) and the whole command's wall time are recorded, and every wheel's tag
#      and ELF machine are checked against its platform
#   4. a summary: medians per project and platform, and the emulated/native ratios
# The mirror's URL is read at run time from the machine's deb822 sources file, never written down.
# Needs root, podman, debootstrap and QEMU user emulation for aarch64 registered with binfmt_misc.
# Timings never fail the run: the exit status is non-zero only when the setup itself fails.
# See bench/README.md for the knobs (environment variables) and how to read the output.
set -euo pipefail
export LC_ALL=C

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

SOURCES_FILE="${BENCH_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}" # first URIs: = mirror
SUITE="${BENCH_SUITE:-bookworm}"                                            # the images' Debian
KEYRING="${BENCH_APT_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}"
PYTHON="${BENCH_PYTHON:-3.11}"                          # must be the suite's Python
DEFAULT_IMAGE='localhost/wheelhouse-bench-builder:py{python}-{arch}' # {python}, {arch} replaced
IMAGE_TEMPLATE="${BENCH_IMAGE:-$DEFAULT_IMAGE}"
REUSE_IMAGES="${BENCH_REUSE_IMAGES:-0}"                 # 1: keep images that exist, untimed
PREFETCH="${BENCH_PREFETCH:-1}"                         # 1: fill the apt cache before timing images
IMAGE_PACKAGES="${BENCH_IMAGE_PACKAGES:-python3,python3-dev,python3-pip,python3-venv,gcc,g++,make,libc6-dev,ca-certificates}"
ROUNDS="${BENCH_ROUNDS:-3}"                             # builds per project and platform
FUNCTIONS="${BENCH_FUNCTIONS:-2000}"                    # C functions of the heavy project
C_FILES="${BENCH_C_FILES:-4}"                           # .c files they are spread over
WARMUP="${BENCH_WARMUP:-1}"                             # 1: one untimed small build per platform
IMPORT_CHECK="${BENCH_IMPORT_CHECK:-1}"                 # 1: import the last wheels in their images
BUILD_SECONDS="${BENCH_BUILD_SECONDS:-1200}"            # bound of one build (its --timeout)
IMAGE_SECONDS="${BENCH_IMAGE_SECONDS:-3600}"            # bound of one builder-image or prefetch
BUDGET_SECONDS="${BENCH_BUDGET_SECONDS:-1500}"          # no new round starts after this
STARTUP_SECONDS="${BENCH_STARTUP_SECONDS:-240}"         # the launcher may build the project first
KEEP_LOGS="${BENCH_KEEP_LOGS:-}"                        # dir to copy the logs to (mirror host masked)
export JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"

HOST=127.0.0.1
MIRROR_NAME=debian # wheelhouse's name for the mirror: /apt/debian/
ARCHES=(arm64 amd64)
PROJECTS=(small heavy)
PYTAG="cp${PYTHON//./}"

# ---------------------------------------------------------------------------------------------
# Tools, the mirror, temp dir and cleanup

ensure_tools() {
  [[ $EUID -eq 0 ]] || die "run as root: debootstrap and the image import need it"
  require_tools java python3 curl timeout podman debootstrap dpkg-deb apt-get ps
  [[ -r "$KEYRING" ]] || die "cannot read the keyring $KEYRING (set BENCH_APT_KEYRING)"
  local binfmt=/proc/sys/fs/binfmt_misc/qemu-aarch64
  [[ -r "$binfmt" && "$(sed -n 1p "$binfmt")" == enabled ]] ||
    die "QEMU user emulation for aarch64 is not registered ($binfmt; install qemu-user-static)"
  [[ "$(uname -m)" == x86_64 ]] || die "this compares emulated arm64 with native amd64: run it on an amd64 host"
  podman version >/dev/null 2>&1 || die "podman does not work here"
}

WH_PID=""

# Every process below pid $1, children first listed after their parent.
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

# Called by exit_cleanup (lib.sh) before it deletes the temp dir with the data, the work dirs and the
# logs (the images stay): stops what this script started, a build or builder-image still running
# (the CLI's JVM, its podman run or debootstrap below it: podman passes the signal on to the
# container), then the server; then, with BENCH_KEEP_LOGS, keeps the server's log and the image,
# prefetch and build logs.
on_exit() {
  local pid pids
  pids="$(descendants $$ | grep -vx "${WH_PID:-none}" || true)"
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 100); do
    for pid in $pids; do
      if kill -0 "$pid" 2>/dev/null; then
        sleep 0.1
        continue 2
      fi
    done
    break
  done
  for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
  stop_pid "$WH_PID"
  wait 2>/dev/null || true
  [[ -z "$TMP" ]] || keep_logs "$TMP"/*.log "$TMP"/work/logs/*.log
}

# Dies unless the jar that prepare_wheelhouse (lib.sh) copied has the build and builder-image
# commands. An unknown command prints the general usage: look for an option of each instead.
check_jar() {
  if ! java -jar "$TMP/app/wheelhouse-cli.jar" build --help 2>&1 | grep -- '--platform' >/dev/null ||
    ! java -jar "$TMP/app/wheelhouse-cli.jar" builder-image --help 2>&1 | grep -- '--arch' >/dev/null; then
    die "the jar has no build or builder-image command (an older build?); rebuild with ./wheelhouse --version"
  fi
}

# Starts the server (WH, WH_PID, TOKEN) over a fresh data dir. Like the CLI and what the CLI runs
# (debootstrap, podman), it gets no *_proxy variable (NOPROXY, lib.sh): everything here talks to
# 127.0.0.1, and the server to the mirror directly.
start_wheelhouse() {
  local port hash
  port="$(free_port)"
  WH="http://$HOST:$port"
  TOKEN="wh_bench-$(head -c 24 /dev/urandom | sha256sum | cut -c1-40)"
  hash="sha256:$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)"
  cat >"$TMP/wheelhouse.yaml" <<EOF
listen: $HOST:$port
data: $TMP/data
auth:
  tokens:
    - name: bench
      hash: "$hash"
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
apt:
  mirrors:
    - name: $MIRROR_NAME
      url: $MIRROR_URL
EOF
  serve_jar "$TMP/wheelhouse.yaml" "$TMP/wheelhouse.log"
  WH_PID=$!
  await_healthz "$WH" "$WH_PID" "$TMP/wheelhouse.log" wheelhouse
  echo "  wheelhouse on $WH (pid $WH_PID, data $TMP/data, JAVA_OPTS=$JAVA_OPTS)"
}

# The CLI as the launcher runs it, against this run's server: cli COMMAND ARGS...
cli() { "${NOPROXY[@]}" "${JAVA[@]}" "$@" --url "$WH" --token "$TOKEN"; }

# ---------------------------------------------------------------------------------------------
# Number helpers (awk does the floating point; the others are in lib.sh)

minus() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "n/a" && b != "n/a") printf "%.2f", a - b; else print "n/a" }'; }
# The time now, as stamp writes it (instead of lib.sh's date +%s.%N).
now() { printf '%s' "$EPOCHREALTIME"; }

# What the server fetched from the mirror so far, in bytes (its /metrics).
upstream_bytes() {
  curl -s --noproxy '*' --max-time 10 "$WH/metrics" | awk -v m="$MIRROR_NAME" '
    index($0, "mirror=\"" m "\"") && /^wheelhouse_apt_upstream_bytes_total\{/ { b += $NF }
    END { printf "%d\n", b }'
}

# Prefixes each line of stdin with the time it arrived.
stamp() {
  local line
  while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done
}

# The image of architecture $1.
image_of() {
  local image="${IMAGE_TEMPLATE//\{python\}/$PYTHON}"
  printf '%s' "${image//\{arch\}/$1}"
}

# The machine of a wheel's ELF files, as uname -m names it.
uname_of() { case "$1" in arm64) echo aarch64 ;; amd64) echo x86_64 ;; esac; }

# ---------------------------------------------------------------------------------------------
# Builder images

# Fills the server's apt cache with what the image of arch $1 needs (debootstrap
# --download-only of the same package set), so that both timed image runs read a warm cache and
# the comparison is of the work, not of the mirror.
prefetch() {
  local arch="$1" t0 rc=0
  t0="$(now)"
  timeout -k 10 "$IMAGE_SECONDS" "${NOPROXY[@]}" debootstrap --download-only --arch="$arch" \
    --variant=minbase --include="$IMAGE_PACKAGES" "$SUITE" "$TMP/prefetch-$arch" \
    "$WH/apt/$MIRROR_NAME/" >"$TMP/prefetch-$arch.log" 2>&1 || rc=$?
  rm -rf "$TMP/prefetch-$arch"
  if ((rc != 0)); then
    tail -n 10 "$TMP/prefetch-$arch.log" | mask | sed 's/^/      | /'
    echo "  prefetch $arch: debootstrap --download-only exited $rc (the timed run fills the cache instead)"
    return 0
  fi
  echo "  prefetch $arch: $(grep -c '^I: Retrieving ' "$TMP/prefetch-$arch.log" || true) files in $(elapsed "$t0" "$(now)")s"
}

# Makes the image of arch $1 with wheelhouse builder-image, timed. Sets IMG_TOTAL, IMG_STAGE1,
# IMG_STAGE2, IMG_IMPORT, IMG_UP (bytes fetched upstream meanwhile), all n/a when unknown.
make_image() {
  local arch="$1" image old_id new_id t0 t1 rc=0 up0 up1 log
  log="$TMP/image-$arch.log"
  image="$(image_of "$arch")"
  old_id="$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
  up0="$(upstream_bytes)"
  t0="$(now)"
  # stderr (the progress lines) is time-stamped; stdout (the --json result) goes to a file.
  {
    timeout -k 10 "$IMAGE_SECONDS" "${NOPROXY[@]}" "${JAVA[@]}" builder-image --arch "$arch" \
      --suite "$SUITE" --mirror "$MIRROR_NAME" --tag "$image" --url "$WH" --token "$TOKEN" \
      --work-dir "$TMP/work" --json 2>&1 >"$TMP/image-$arch.json"
  } | stamp >"$log" || rc=$?
  t1="$(now)"
  up1="$(upstream_bytes)"
  IMG_UP=$((up1 - up0))
  if ((rc != 0)); then
    tail -n 15 "$log" | cut -d' ' -f2- | mask | sed 's/^/      | /'
    die "builder-image --arch $arch failed (exit $rc; log above)"
  fi
  IMG_TOTAL="$(elapsed "$t0" "$t1")"
  # debootstrap's phases, by the arrival time of its progress lines: stage 1 downloads and
  # unpacks (host tools), stage 2 installs and configures inside the root (emulated for arm64).
  read -r IMG_STAGE1 IMG_STAGE2 IMG_IMPORT < <(awk -v t0="$t0" -v t1="$t1" '
    !s1 && /I: Installing core packages/ { s1 = $1 }
    !s2 && /I: Base system installed successfully/ { s2 = $1 }
    !im && / import --arch / { im = $1 }
    END {
      printf "%s %s %s\n", s1 ? sprintf("%.2f", s1 - t0) : "n/a",
        (s1 && s2) ? sprintf("%.2f", s2 - s1) : "n/a", im ? sprintf("%.2f", t1 - im) : "n/a" }' "$log")
  new_id="$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)"
  [[ -n "$new_id" ]] || die "builder-image said it made $image, but podman does not know it"
  if [[ -n "$old_id" && "$old_id" != "$new_id" ]]; then
    # The image this one replaced under the same tag (made by an earlier run): dangling now.
    podman rmi "$old_id" >/dev/null 2>&1 || true
  fi
  printf '  %-6s %-9s %8ss  (stage 1 %ss, stage 2 %ss, import %ss; %s MB from the mirror)  %s\n' \
    "$arch" "$(emulation "$arch")" "$IMG_TOTAL" "$IMG_STAGE1" "$IMG_STAGE2" "$IMG_IMPORT" \
    "$(mb "$IMG_UP")" "$(sed -n 's/.*"python" *: *"\([^"]*\)".*/Python \1/p' "$TMP/image-$arch.json")"
}

emulation() { if [[ "$1" == amd64 ]]; then echo native; else echo emulated; fi; }

# ---------------------------------------------------------------------------------------------
# Build dependencies: setuptools and wheel from Debian, through the server's apt cache

# A throwaway apt (lib.sh, as in apt-vs-acng.sh) in dir $1 with the server's /apt/debian/ as its
# only source, and $1/debs for apt-get download.
make_apt() {
  make_throwaway_apt "$1" "$WH/apt/$MIRROR_NAME"
  mkdir -p "$1/debs"
}

# apt-get $2... with the apt of dir $1 (throwaway_apt_get), in $1/debs, bounded by 600 s.
apt_run() { (cd "$1/debs" && throwaway_apt_get "$1" 600 "${@:2}"); }

upload_build_backend() {
  local d="$TMP/apt" deb wheels=()
  make_apt "$d"
  apt_run "$d" update || { tail -n 10 "$d/out" | mask >&2; die "apt-get update through $WH/apt/$MIRROR_NAME failed"; }
  apt_run "$d" download python3-setuptools-whl python3-wheel-whl ||
    { tail -n 10 "$d/out" | mask >&2; die "apt-get download of python3-setuptools-whl python3-wheel-whl failed"; }
  for deb in "$d"/debs/*.deb; do
    dpkg-deb -x "$deb" "$d/root"
  done
  shopt -s nullglob
  wheels=("$d"/root/usr/share/python-wheels/*.whl)
  shopt -u nullglob
  ((${#wheels[@]} == 2)) || die "expected 2 wheels in python3-setuptools-whl and python3-wheel-whl, found ${#wheels[@]}"
  cli upload --index local "${wheels[@]}" >"$d/upload.out" 2>&1 ||
    { cat "$d/upload.out" >&2; die "upload of setuptools and wheel failed"; }
  echo "  uploaded to local: $(for w in "${wheels[@]}"; do basename "$w"; done | paste -sd' ' -)"
}

# ---------------------------------------------------------------------------------------------
# The projects

# setup.py of project $1 in dir $2 at version $3; its sources follow.
write_setup() {
  local name="$1" dir="$2" version="$3" sources
  shift 3
  sources="$(printf '"%s", ' "$@")"
  printf 'from setuptools import setup, Extension\nsetup(name="%s", version="%s", ext_modules=[Extension("%s", [%s])])\n' \
    "$name" "$version" "$name" "${sources%, }" >"$dir/setup.py"
}

write_pyproject() {
  cat >"$1/pyproject.toml" <<'EOF'
[build-system]
requires = ["setuptools>=40.8", "wheel"]
build-backend = "setuptools.build_meta"
EOF
}

# The e2e test's C extension: module $1 in dir $2 whose answer() is 42.
make_small() {
  local name="$1" dir="$2"
  mkdir -p "$dir"
  write_pyproject "$dir"
  cat >"$dir/$name.c" <<EOF
#define PY_SSIZE_T_CLEAN
#include <Python.h>
static PyObject *answer(PyObject *self, PyObject *args) { return PyLong_FromLong(42); }
static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, ""}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "$name", NULL, -1, methods};
PyMODINIT_FUNC PyInit_$name(void) { return PyModule_Create(&module); }
EOF
  SOURCES[small]="$name.c"
}

# A C extension $1 in dir $2 whose compile time dominates: FUNCTIONS small hashing functions
# (a loop each, with constants of their own so that none is a copy of another) spread over
# C_FILES files, all reached through a table from answer() (the sum of f_i(i)), so that none is
# dropped as unused. Unsigned arithmetic: the sum is the same on every machine.
make_heavy() {
  local name="$1" dir="$2" k sources=()
  sources=("$name.c")
  mkdir -p "$dir"
  write_pyproject "$dir"
  awk -v n="$FUNCTIONS" 'BEGIN {
    print "#ifndef BENCH_PARTS_H\n#define BENCH_PARTS_H"
    for (i = 0; i < n; i++) printf "unsigned long long bench_f%d(unsigned long long x);\n", i
    print "#endif" }' >"$dir/parts.h"
  for ((k = 0; k < C_FILES; k++)); do
    awk -v n="$FUNCTIONS" -v k="$k" -v files="$C_FILES" 'BEGIN {
      print "#include \"parts.h\"\n"
      for (i = k; i < n; i += files) {
        printf "unsigned long long bench_f%d(unsigned long long x) {\n", i
        printf "  unsigned long long acc = x + %dULL;\n", i
        printf "  for (int j = 0; j < %d; j++) {\n", 8 + i % 13
        printf "    acc = acc * 6364136223846793005ULL + %dULL;\n", 2 * i + 1
        printf "    acc ^= acc >> %d;\n", 17 + i % 11
        printf "  }\n  return acc;\n}\n\n"
      } }' >"$dir/part$k.c"
    sources+=("part$k.c")
  done
  {
    printf '#define PY_SSIZE_T_CLEAN\n#include <Python.h>\n#include "parts.h"\n\n'
    printf 'static unsigned long long (*const table[])(unsigned long long) = {\n'
    awk -v n="$FUNCTIONS" 'BEGIN { for (i = 0; i < n; i++) printf "  bench_f%d,\n", i }'
    printf '};\n\n'
    printf 'static PyObject *answer(PyObject *self, PyObject *args) {\n'
    printf '  unsigned long long sum = 0;\n'
    printf '  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) sum += table[i](i);\n'
    printf '  return PyLong_FromUnsignedLongLong(sum);\n}\n'
    printf 'static PyMethodDef methods[] = {{"answer", answer, METH_NOARGS, ""}, {NULL, NULL, 0, NULL}};\n'
    printf 'static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "%s", NULL, -1, methods};\n' "$name"
    printf 'PyMODINIT_FUNC PyInit_%s(void) { return PyModule_Create(&module); }\n' "$name"
  } >"$dir/$name.c"
  SOURCES[heavy]="${sources[*]}"
}

# ---------------------------------------------------------------------------------------------
# One build

# The ELF machines of the files in wheel $1, as uname -m names them, sorted, space-separated.
elf_machines() {
  python3 - "$1" <<'EOF'
import sys, zipfile
names = {62: "x86_64", 183: "aarch64", 40: "arm", 3: "i686"}
found = set()
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        with z.open(info) as f:
            head = f.read(20)
        if len(head) == 20 and head[:4] == b"\x7fELF":
            machine = int.from_bytes(head[18:20], "little")
            found.add(names.get(machine, "e_machine=%d" % machine))
print(" ".join(sorted(found)) or "none")
EOF
}

# succeeded, wheel, seconds and detail of the first build in a `build --json` document $1.
parse_build() {
  python3 - "$1" <<'EOF'
import json, sys
try:
    with open(sys.argv[1]) as f:
        b = json.load(f)["builds"][0]
    seconds = b.get("seconds")
    print("true" if b.get("succeeded") else "false", b.get("wheel") or "-",
          "n/a" if seconds is None else "%.2f" % seconds,
          (b.get("detail") or "").splitlines()[0] if b.get("detail") else "")
except Exception as e:
    print("false - n/a", "no JSON result: %s" % e)
EOF
}

# Builds project $1 for arch $2 at version $3 (round name $4) with wheelhouse build --json;
# checks the wheel's tag and ELF machine. Records the times unless $4 is "warm-up".
build_one() {
  local project="$1" arch="$2" version="$3" name="$4" module dir t0 t1 rc=0 ok wheel seconds detail
  local wall machines note="" tag_ok=1 ld file
  module="bench$project"
  dir="$TMP/src/$module"
  # SOURCES holds file names without spaces.
  # shellcheck disable=SC2086
  write_setup "$module" "$dir" "$version" ${SOURCES[$project]}
  [[ "$name" == warm-up ]] || ATTEMPTS[$project:$arch]=$((${ATTEMPTS[$project:$arch]:-0} + 1))
  ld="$(load)"
  t0="$(now)"
  timeout -k 10 $((BUILD_SECONDS + 120)) "${NOPROXY[@]}" "${JAVA[@]}" build --path "$dir" \
    --platform "linux/$arch" --python "$PYTHON" --image "$(image_of "$arch")" --json \
    --timeout "${BUILD_SECONDS}s" --work-dir "$TMP/work" --url "$WH" --token "$TOKEN" \
    >"$TMP/build.json" 2>"$TMP/build.err" || rc=$?
  t1="$(now)"
  wall="$(elapsed "$t0" "$t1")"
  read -r ok wheel seconds detail < <(parse_build "$TMP/build.json")
  machines="-"
  if [[ "$ok" == true && $rc -eq 0 ]]; then
    # The wheel as the server serves it: its tag must name the platform, its ELF files too.
    if [[ "$wheel" != "$module-$version-$PYTAG-$PYTAG-linux_$(uname_of "$arch").whl" ]]; then
      tag_ok=0
      note+=" WRONG TAG (expected linux_$(uname_of "$arch"));"
    fi
    file="$TMP/wheels/$arch/$wheel"
    mkdir -p "$TMP/wheels/$arch"
    if curl -sf --noproxy '*' --max-time 60 -o "$file" "$WH/files/local/$module/$wheel"; then
      machines="$(elf_machines "$file")"
      if [[ "$machines" != "$(uname_of "$arch")" ]]; then
        tag_ok=0
        note+=" WRONG ELF machine;"
      fi
      [[ "$name" == warm-up ]] || LAST_WHEEL[$project:$arch]="$file"
    else
      tag_ok=0
      note+=" not served at /files/local/$module/$wheel;"
    fi
  else
    ok=false
    note+=" FAILED (exit $rc): ${detail:-see the log}"
  fi
  printf '  %-8s %-6s %-6s %-9s container %8ss  wall %8ss  load %5s  %s  ELF %s%s\n' "$name" \
    "$project" "$arch" "$(emulation "$arch")" "$seconds" "$wall" "$ld" "$wheel" "$machines" \
    "${note:+  --$note}"
  if [[ "$ok" != true ]]; then
    grep -v '^\[' "$TMP/build.err" | tail -n 8 | cut -c1-220 | mask | sed 's/^/      | /' || true
    grep '^\[' "$TMP/build.err" | tail -n 12 | cut -c1-220 | mask | sed 's/^/      | /' || true
    FAILED=$((FAILED + 1))
    cp "$TMP/build.err" "$TMP/failed-$name-$project-$arch.log"
    return 0
  fi
  ((tag_ok)) || WRONG=$((WRONG + 1))
  [[ "$name" != warm-up && $tag_ok -eq 1 ]] || return 0
  CONTAINER[$project:$arch]+=" $seconds"
  WALL[$project:$arch]+=" $wall"
}

# Installs wheel $2 in the image of arch $1 (no network) and prints what answer() returns.
import_answer() {
  local arch="$1" wheel="$2" module
  module="$(basename "$wheel" | cut -d- -f1)"
  timeout -k 10 300 podman run --rm --platform "linux/$arch" --network none \
    --volume "$(dirname "$wheel"):/wheels:ro" "$(image_of "$arch")" sh -c \
    "python3 -m pip install --quiet --no-index --break-system-packages /wheels/$(basename "$wheel") && cd / && python3 -c 'import $module; print($module.answer())'" \
    2>&1 | tail -n 1
}

# ---------------------------------------------------------------------------------------------
# Setup

read_mirror 'https?' "is not an http(s):// URL"
ensure_tools
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive number"
[[ "$FUNCTIONS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_FUNCTIONS must be a positive number"
[[ "$C_FILES" =~ ^[1-9][0-9]*$ ]] || die "BENCH_C_FILES must be a positive number"
[[ "$BUILD_SECONDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_BUILD_SECONDS must be a positive number"
make_tmp wheelhouse-build-bench
LOAD="$(load)"
read -r -a JAVA_ARGS <<<"$JAVA_OPTS"
JAVA=(java "${JAVA_ARGS[@]}" -jar "$TMP/app/wheelhouse-cli.jar")
FAILED=0 WRONG=0 SKIPPED=""
declare -A CONTAINER=() WALL=() ATTEMPTS=() SOURCES=() LAST_WHEEL=() IMAGE_ROW=() IMAGE_TOTAL=() IMAGE_STAGE2=()

say "setup: mirror <mirror> (first URIs: of $SOURCES_FILE), Debian $SUITE, Python $PYTHON, $(podman --version), $(nproc) cores"
echo "  preparing wheelhouse (the launcher builds it if sources changed)"
prepare_wheelhouse # a copy of the jar: the server and every CLI command are the same build
check_jar
start_wheelhouse
note_load

# ---------------------------------------------------------------------------------------------
# 1. Builder images

say "1. builder images ($(image_of '{arch}'))"
TO_MAKE=()
for arch in "${ARCHES[@]}"; do
  if [[ "$REUSE_IMAGES" == 1 ]] && podman image exists "$(image_of "$arch")"; then
    echo "  $arch: reusing $(image_of "$arch") ($(podman image inspect --format '{{.Created}}' "$(image_of "$arch")" | cut -c1-19)), not timed"
  else
    TO_MAKE+=("$arch")
  fi
done
if ((${#TO_MAKE[@]} > 0)); then
  if [[ "$PREFETCH" == 1 ]]; then
    echo "  filling the apt cache first (debootstrap --download-only of $IMAGE_PACKAGES)"
    for arch in "${TO_MAKE[@]}"; do prefetch "$arch"; done
  fi
  echo "  wheelhouse builder-image, timed (wall s of the command; stage 1: debootstrap's download and unpack, stage 2: its install in the root)"
  for arch in "${TO_MAKE[@]}"; do
    make_image "$arch"
    IMAGE_TOTAL[$arch]="$IMG_TOTAL"
    IMAGE_STAGE2[$arch]="$IMG_STAGE2"
    IMAGE_ROW[$arch]="$(printf '%8s %9s %9s %8s %10s' "$IMG_TOTAL" "$IMG_STAGE1" "$IMG_STAGE2" "$IMG_IMPORT" "$(mb "$IMG_UP")")"
  done
fi
for arch in "${ARCHES[@]}"; do
  [[ "$(podman image inspect --format '{{.Architecture}}' "$(image_of "$arch")" 2>/dev/null)" == "$arch" ]] ||
    die "$(image_of "$arch") is not an $arch image"
done

# ---------------------------------------------------------------------------------------------
# 2. setuptools and wheel for pip's build isolation

say "2. setuptools and wheel from Debian (python3-setuptools-whl, python3-wheel-whl) through $WH/apt/$MIRROR_NAME/"
upload_build_backend

# ---------------------------------------------------------------------------------------------
# 3. Builds

make_small benchsmall "$TMP/src/benchsmall"
make_heavy benchheavy "$TMP/src/benchheavy"
say "3. builds: small (1 C file, 1 function) and heavy ($FUNCTIONS functions over $C_FILES files + the module's)," \
  "$ROUNDS rounds, platforms alternating"
if [[ "$WARMUP" == 1 ]]; then
  for arch in "${ARCHES[@]}"; do build_one small "$arch" 0.0.1 warm-up; done
fi
for round in $(seq "$ROUNDS"); do
  if ((round % 2)); then order=(arm64 amd64); else order=(amd64 arm64); fi
  for project in "${PROJECTS[@]}"; do
    over_budget "round $round $project" && continue
    for arch in "${order[@]}"; do build_one "$project" "$arch" "0.1.$round" "round$round"; done
  done
done

# The last wheels of each project, imported in their own images (emulated for arm64): the small
# one answers 42, the heavy one the same sum on both machines.
declare -A ANSWER=()
if [[ "$IMPORT_CHECK" == 1 ]]; then
  say "import check: the last wheel of each project installed and imported in its image"
  for project in "${PROJECTS[@]}"; do
    for arch in "${ARCHES[@]}"; do
      wheel="${LAST_WHEEL[$project:$arch]:-}"
      [[ -n "$wheel" ]] || continue
      ANSWER[$project:$arch]="$(import_answer "$arch" "$wheel" || true)"
      printf '  %-6s %-6s answer() = %s\n' "$project" "$arch" "${ANSWER[$project:$arch]}"
    done
  done
fi

# ---------------------------------------------------------------------------------------------
# Server log

say "server log"
awk '$3 == "access" { u = $6; split(u, s, "/"); print "/" s[2], $8 }' "$TMP/wheelhouse.log" |
  sort | uniq -c | awk '{ printf "    %-12s HTTP %s: %d\n", $2, $3, $1 }'
WH_PROBLEMS="$(grep -cE '^[^ ]+ (WARN|ERROR) ' "$TMP/wheelhouse.log" || true)"
echo "    WARN/ERROR lines: $WH_PROBLEMS"
grep -E '^[^ ]+ (WARN|ERROR) |Exception' "$TMP/wheelhouse.log" | sed -n 1,8p | cut -c1-240 | mask | sed 's/^/      /' || true

# ---------------------------------------------------------------------------------------------
# Summary

say "summary ($(nproc) cores, load average $LOAD at start, JAVA_OPTS=$JAVA_OPTS, Python $PYTHON, $ROUNDS rounds)"
if ((${#IMAGE_ROW[@]} > 0)); then
  printf '  %-22s %8s %9s %9s %8s %10s\n' "builder-image" "total s" "stage 1 s" "stage 2 s" "import s" "mirror MB"
  for arch in "${ARCHES[@]}"; do
    [[ -n "${IMAGE_ROW[$arch]:-}" ]] || continue
    printf '  %-22s %s\n' "$arch ($(emulation "$arch"))" "${IMAGE_ROW[$arch]}"
  done
  if [[ -n "${IMAGE_ROW[arm64]:-}" && -n "${IMAGE_ROW[amd64]:-}" ]]; then
    printf '  %-22s %8s %9s %9s\n' "ratio arm64 / amd64" "$(ratio "${IMAGE_TOTAL[arm64]}" "${IMAGE_TOTAL[amd64]}")" "" \
      "$(ratio "${IMAGE_STAGE2[arm64]}" "${IMAGE_STAGE2[amd64]}")"
  fi
  echo
fi
printf '  %-7s %-22s %11s %8s  %-22s %s\n' project platform "container s" "wall s" "container s each" "wheels"
printf '  %-7s %-22s %11s %8s\n' "" "" median median
declare -A MC=() MW=()
for project in "${PROJECTS[@]}"; do
  for arch in "${ARCHES[@]}"; do
    MC[$project:$arch]="$(median <<<"${CONTAINER[$project:$arch]:-}")"
    MW[$project:$arch]="$(median <<<"${WALL[$project:$arch]:-}")"
    n="$(wc -w <<<"${CONTAINER[$project:$arch]:-}")"
    printf '  %-7s %-22s %11s %8s  %-22s %s\n' "$project" "linux/$arch ($(emulation "$arch"))" \
      "${MC[$project:$arch]}" "${MW[$project:$arch]}" "$(xargs <<<"${CONTAINER[$project:$arch]:-}")" \
      "$n of ${ATTEMPTS[$project:$arch]:-0} with tag linux_$(uname_of "$arch") and ELF $(uname_of "$arch")"
  done
done
echo
printf '  %-30s %11s %8s\n' "ratio emulated/native" container wall
for project in "${PROJECTS[@]}"; do
  printf '  %-30s %11s %8s\n' "$project" "$(ratio "${MC[$project:arm64]}" "${MC[$project:amd64]}")" \
    "$(ratio "${MW[$project:arm64]}" "${MW[$project:amd64]}")"
done
# What the heavy project adds over the small one: its compile work, with pip's and the
# container's fixed costs taken out.
HC_ARM="$(minus "${MC[heavy:arm64]}" "${MC[small:arm64]}")"
HC_AMD="$(minus "${MC[heavy:amd64]}" "${MC[small:amd64]}")"
HW_ARM="$(minus "${MW[heavy:arm64]}" "${MW[small:arm64]}")"
HW_AMD="$(minus "${MW[heavy:amd64]}" "${MW[small:amd64]}")"
printf '  %-30s %11s %8s   (container / wall s: arm64 %s / %s, amd64 %s / %s)\n' "heavy - small (compile work)" \
  "$(ratio "$HC_ARM" "$HC_AMD")" "$(ratio "$HW_ARM" "$HW_AMD")" "$HC_ARM" "$HW_ARM" "$HC_AMD" "$HW_AMD"
CHECKS=""
if [[ "$IMPORT_CHECK" == 1 ]]; then
  if [[ "${ANSWER[small:arm64]:-}" == 42 && "${ANSWER[small:amd64]:-}" == 42 ]]; then
    CHECKS+=" import check: small answers 42 on both,"
  else
    CHECKS+=" import check: small WRONG or missing,"
  fi
  if [[ "${ANSWER[heavy:arm64]:-}" =~ ^[0-9]+$ && "${ANSWER[heavy:arm64]}" == "${ANSWER[heavy:amd64]:-}" ]]; then
    CHECKS+=" heavy the same sum on both"
  else
    CHECKS+=" heavy answers DIFFER or missing"
  fi
fi
echo "  problems: $FAILED failed builds, $WRONG wrong wheel tags or ELF machines, $WH_PROBLEMS wheelhouse WARN/ERROR lines;${CHECKS:- import check off}"
[[ -z "$SKIPPED" ]] || echo "  skipped (time budget of ${BUDGET_SECONDS}s spent):$SKIPPED"
echo "  run time: ${SECONDS}s (budget ${BUDGET_SECONDS}s)"
echo "  images kept: $(for a in "${ARCHES[@]}"; do image_of "$a"; echo; done | paste -sd' ' -) (BENCH_REUSE_IMAGES=1 reuses them)"
