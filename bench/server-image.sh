#!/usr/bin/env bash
# The server's container image against the obvious alternative, built in the same run from the
# same bases (made from the machine's Debian mirror through a wheelhouse's apt cache, as where no
# registry is reachable), on 127.0.0.1 only:
#   1. sizes: the Dockerfile's image (jlink runtime, one RocksDB library) against a reference
#      image of the same slim base with Debian's openjdk-17-jre-headless and the app as Maven
#      packages it (every platform's RocksDB library)
#   2. build time of the Dockerfile's image (Maven cache mount as an earlier build left it)
#   3. start: container start to /healthz answering 200, both images, BENCH_ROUNDS times (median)
# BENCH_ARCH=arm64 builds and runs everything for arm64 under QEMU (slow: the Maven stage runs
# emulated when podman does not set BUILDPLATFORM). Needs root, podman and debootstrap.
# Timings never fail the run: the exit status is non-zero only when the setup itself fails.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
# shellcheck source=lib.sh
. "$BENCH_DIR/lib.sh"

ARCH="${BENCH_ARCH:-amd64}"                                          # amd64 or arm64
SUITE="${BENCH_SUITE:-bookworm}"
ROUNDS="${BENCH_ROUNDS:-3}"                                          # start rounds per image
REUSE_BASES="${BENCH_REUSE_BASES:-}"                                 # 1: keep bases of an earlier run
SOURCES_FILE="${BENCH_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}" # first URIs: = mirror
STARTUP_SECONDS="${BENCH_STARTUP_SECONDS:-240}"                      # the launcher may build first
KEEP_LOGS="${BENCH_KEEP_LOGS:-}"
export JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"

HOST=127.0.0.1
JDK_BASE="localhost/wheelhouse-bench-base:jdk17-$ARCH"
SLIM_BASE="localhost/wheelhouse-bench-base:slim-$ARCH"
IMAGE="localhost/wheelhouse-bench-server:$ARCH"
REFERENCE="localhost/wheelhouse-bench-reference:$ARCH"
JAVA_CERTIFICATES=/etc/ssl/certs/java/cacerts

WH_PID=""
CONTAINER=""

on_exit() {
  if [[ -n "$CONTAINER" ]]; then
    podman rm --force "$CONTAINER" >/dev/null 2>&1 || true
    podman volume rm --force "$CONTAINER" >/dev/null 2>&1 || true
  fi
  stop_all "$WH_PID"
  keep_logs "$TMP/wheelhouse.log" "$TMP/build.log" "$TMP/reference.log"
}

# A wheelhouse with the machine's Debian mirror as apt mirror `debian`. Sets WH_PID, WH.
start_wheelhouse() {
  local port
  port="$(free_port)"
  WH="http://$HOST:$port"
  printf 'listen: %s:%s\ndata: %s\napt:\n  mirrors:\n    - name: debian\n      url: %s\n' \
    "$HOST" "$port" "$TMP/data" "$MIRROR_URL" >"$TMP/wheelhouse.yaml"
  serve_jar "$TMP/wheelhouse.yaml" "$TMP/wheelhouse.log"
  WH_PID=$!
  await_healthz "$WH" "$WH_PID" "$TMP/wheelhouse.log" wheelhouse
  echo "  wheelhouse on $WH"
}

# `wheelhouse builder-image --minimal` of tag $1 with packages $2...; skipped when reused.
make_base() {
  local tag="$1" args=() p
  shift
  if [[ -n "$REUSE_BASES" ]] && podman image exists "$tag"; then
    echo "  $tag: reused"
    return
  fi
  for p in "$@"; do args+=(--package "$p"); done
  "${NOPROXY[@]}" java -jar "$TMP/app/wheelhouse-cli.jar" builder-image --minimal --arch "$ARCH" \
    --suite "$SUITE" --url "$WH" --work-dir "$TMP/work" --tag "$tag" "${args[@]}" \
    >"$TMP/base.log" 2>&1 || { tail -n 20 "$TMP/base.log" | mask >&2; die "builder-image $tag failed"; }
  tail -n 1 "$TMP/base.log" | mask | sed 's/^/  /'
}

size_of() { podman image inspect --format '{{.Size}}' "$1"; }

# Seconds from `podman run` of image $1 (command $2...) to /healthz answering 200 on a fresh port,
# its data on a named volume made beforehand (a volume's creation is not the server's start).
start_seconds() {
  local image="$1" port start seconds
  shift
  port="$(free_port)"
  CONTAINER="wheelhouse-bench-$$"
  podman volume create "$CONTAINER" >/dev/null
  start="$(now)"
  podman run -d --name "$CONTAINER" --platform "linux/$ARCH" --network host \
    -v "$CONTAINER:/var/lib/wheelhouse" -e WHEELHOUSE_LISTEN="$HOST:$port" "$image" "$@" >/dev/null 2>&1
  local deadline=$((SECONDS + 180))
  # podman's complaint that it cannot schedule health checks without systemd is not the image's.
  until [[ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 "http://$HOST:$port/healthz")" == 200 ]]; do
    ((SECONDS < deadline)) || { podman logs "$CONTAINER" 2>&1 | tail -n 20 >&2; die "$image did not start"; }
    sleep 0.1
  done
  seconds="$(elapsed "$start" "$(now)")"
  podman rm --force "$CONTAINER" >/dev/null 2>&1
  podman volume rm --force "$CONTAINER" >/dev/null 2>&1
  CONTAINER=""
  echo "$seconds"
}

# ---------------------------------------------------------------------------------------------

[[ $EUID -eq 0 ]] || die "run as root: debootstrap and the image import need it"
require_tools java python3 curl podman debootstrap
[[ "$ARCH" == amd64 || "$ARCH" == arm64 ]] || die "BENCH_ARCH must be amd64 or arm64"
read_mirror 'http' "is not an http:// URL (debootstrap goes through the wheelhouse over http)"
make_tmp wheelhouse-server-image
LOAD="$(load)"

say "preparing wheelhouse and the bases (linux/$ARCH, Debian $SUITE, from the mirror through the apt cache)"
prepare_wheelhouse
start_wheelhouse
make_base "$JDK_BASE" openjdk-17-jdk-headless binutils
make_base "$SLIM_BASE"
# Both images' apt-get goes through this run's wheelhouse, whatever address made the base.
mkdir -p "$TMP/slim"
echo "deb $WH/apt/debian $SUITE main" >"$TMP/slim/sources.list"
printf 'FROM %s\nCOPY sources.list /etc/apt/sources.list\n' "$SLIM_BASE" >"$TMP/slim/Containerfile"
podman build --platform "linux/$ARCH" -q -t "$SLIM_BASE-current" "$TMP/slim" >/dev/null
note_load

say "1-2. building the Dockerfile's image and the reference"
VOLUMES=()
# This machine's egress may re-sign TLS: Maven trusts what the host's Java trusts.
[[ -r "$JAVA_CERTIFICATES" ]] && VOLUMES=(--volume "$JAVA_CERTIFICATES:$JAVA_CERTIFICATES:ro")
start="$(now)"
podman build --platform "linux/$ARCH" --format docker --network host "${VOLUMES[@]}" \
  --build-arg BUILD_IMAGE="$JDK_BASE" --build-arg RUNTIME_IMAGE="$SLIM_BASE-current" \
  -t "$IMAGE" -f "$ROOT/Dockerfile" "$ROOT" >"$TMP/build.log" 2>&1 ||
  { tail -n 30 "$TMP/build.log" | mask >&2; die "podman build of the Dockerfile failed"; }
BUILD_SECONDS="$(elapsed "$start" "$(now)")"

mkdir -p "$TMP/reference"
cp -r "$TMP/app" "$TMP/reference/app"
cat >"$TMP/reference/Containerfile" <<EOF
FROM $SLIM_BASE-current
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
    openjdk-17-jre-headless tini && rm -rf /var/lib/apt/lists/* /var/cache/apt/*
COPY app /opt/wheelhouse
ENV WHEELHOUSE_DATA=/var/lib/wheelhouse
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-jar", "/opt/wheelhouse/wheelhouse-cli.jar"]
CMD ["serve"]
EOF
podman build --platform "linux/$ARCH" --format docker --network host -t "$REFERENCE" "$TMP/reference" \
  >"$TMP/reference.log" 2>&1 || { tail -n 30 "$TMP/reference.log" | mask >&2; die "the reference build failed"; }

OURS="$(size_of "$IMAGE")" REF="$(size_of "$REFERENCE")" BASE="$(size_of "$SLIM_BASE-current")"
echo "  build of the Dockerfile's image: ${BUILD_SECONDS}s"
echo "  layers of $IMAGE:"
podman history --format '{{.Size}}\t{{.CreatedBy}}' "$IMAGE" | awk -F'\t' '$1 != "0 B"' |
  cut -c1-110 | sed 's/^/    /'

say "3. start to /healthz 200, $ROUNDS rounds each"
OURS_START="" REF_START=""
for round in $(seq "$ROUNDS"); do
  a="$(start_seconds "$IMAGE")"
  b="$(start_seconds "$REFERENCE")"
  echo "  round $round: image ${a}s, reference ${b}s"
  OURS_START+=" $a" REF_START+=" $b"
done
OURS_MEDIAN="$(median <<<"$OURS_START")" REF_MEDIAN="$(median <<<"$REF_START")"

say "summary (linux/$ARCH, $(nproc) cores, load average $LOAD at start)"
printf '  %-34s %12s %12s %7s\n' metric image reference ratio
printf '  %-34s %12s %12s %7s\n' "size MB" "$(mb "$OURS")" "$(mb "$REF")" "$(ratio "$OURS" "$REF")"
printf '  %-34s %12s %12s %7s\n' "size above the base MB" "$(mb $((OURS - BASE)))" "$(mb $((REF - BASE)))" \
  "$(ratio $((OURS - BASE)) $((REF - BASE)))"
printf '  %-34s %12s %12s %7s\n' "start to /healthz s (median)" "$OURS_MEDIAN" "$REF_MEDIAN" "$(ratio "$OURS_MEDIAN" "$REF_MEDIAN")"
echo "  base (Debian $SUITE minbase from the mirror): $(mb "$BASE") MB; debian:bookworm-slim from a registry is smaller"
# The bench images go; the bases stay for BENCH_REUSE_BASES=1, and podman's build cache stays.
podman rmi --force "$IMAGE" "$REFERENCE" "$SLIM_BASE-current" >/dev/null 2>&1 || true
