# syntax=docker/dockerfile:1
# The wheelhouse server's image.
#
#   docker build -t wheelhouse .            (or: podman build --format docker -t wheelhouse .)
#   docker run -p 8080:8080 -v wheelhouse-data:/var/lib/wheelhouse wheelhouse
#
# Stages: `build` compiles with Maven on the build machine's own platform (Java bytecode is the
# same for every target); `jre` makes a small Java runtime with jlink for the target platform and
# keeps the target's RocksDB library only; the last stage is Debian slim with that runtime, tini
# and the server, run as a non-root user.
# Without a registry, pass bases made from a Debian mirror (README, "The server's image"):
#   --build-arg BUILD_IMAGE=localhost/wheelhouse-base:jdk17 --build-arg RUNTIME_IMAGE=localhost/wheelhouse-base:slim

# eclipse-temurin:17-jdk (a JDK 17 with jlink and jmods; Maven comes from ./mvnw)
ARG BUILD_IMAGE=docker.io/library/eclipse-temurin@sha256:b624cb9175b71aaeb654dd9def666035332d5abf70318537c1a46e61564dbecd
# debian:bookworm-slim
ARG RUNTIME_IMAGE=docker.io/library/debian@sha256:3783cc01769c7b2b1b83a5c5ad96c815348e28ed7da68e2e3687004faa906251

FROM --platform=$BUILDPLATFORM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
# The Maven repository (and the Maven that ./mvnw fetches) stay in a cache mount between builds.
# Tests and formatting checks are the CI's job, not the image build's. The app is the CLI jar and
# its lib/; jdeps lists the Java modules they use for the jre stage.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -DskipTests -Dspotless.check.skip=true package \
 && mkdir -p /out/app \
 && cp -r client-cli/target/wheelhouse-cli.jar client-cli/target/lib /out/app/ \
 && jdeps --ignore-missing-deps -q --multi-release 17 --print-module-deps \
      --class-path '/out/app/lib/*' /out/app/wheelhouse-cli.jar >/out/modules \
 && cat /out/modules

# On the target platform: its jlink, and its RocksDB native library.
FROM ${BUILD_IMAGE} AS jre
COPY --from=build /out /out
# jdeps cannot see what is loaded by name: TLS key exchange (jdk.crypto.ec), the JVM and process
# metrics (jdk.management), DNS (jdk.naming.dns) and zip file systems (jdk.zipfs). The runtime
# trusts the certificates the build JDK trusts (a Debian JDK keeps them outside its jmods).
# RocksDB's jar carries native libraries for every platform (74 MB): only the target's stays.
RUN set -eu; \
    java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; \
    jlink --add-modules "$(cat /out/modules),jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.zipfs" \
      --strip-debug --no-man-pages --no-header-files --compress=2 --output /opt/jre; \
    cp -L "$java_home/lib/security/cacerts" /opt/jre/lib/security/cacerts; \
    case "$(uname -m)" in \
      x86_64) rocksdb=linux64 ;; \
      aarch64) rocksdb=linux-aarch64 ;; \
      ppc64le) rocksdb=linux-ppc64le ;; \
      s390x) rocksdb=linux-s390x ;; \
      *) echo "no RocksDB library for $(uname -m)" >&2; exit 1 ;; \
    esac; \
    jar="$(echo /out/app/lib/rocksdbjni-*.jar)"; \
    mkdir /tmp/rocksdb; cd /tmp/rocksdb; \
    jar xf "$jar"; \
    find . -name 'librocksdbjni-*' ! -name "librocksdbjni-${rocksdb}.so" -delete; \
    test -f "librocksdbjni-${rocksdb}.so"; \
    jar --create --no-manifest --file "$jar" -C . .; \
    rm -rf /tmp/rocksdb

FROM ${RUNTIME_IMAGE}
# tini as PID 1: it passes SIGTERM on to the JVM (whose shutdown hook closes the server and the
# store cleanly) and reaps zombies.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/wheelhouse --shell /usr/sbin/nologin wheelhouse \
 && install -d -o wheelhouse -g wheelhouse -m 0750 /var/lib/wheelhouse \
 && install -d -m 0755 /etc/wheelhouse
COPY --from=jre /opt/jre /opt/java
COPY --from=jre /out/app /opt/wheelhouse
COPY container/healthcheck /usr/local/bin/wheelhouse-healthcheck

# Config: mount a file and point WHEELHOUSE_CONFIG at it (-v ./config.yaml:/etc/wheelhouse/config.yaml:ro
# -e WHEELHOUSE_CONFIG=/etc/wheelhouse/config.yaml), and/or set WHEELHOUSE_* variables (README).
ENV PATH=/opt/java/bin:$PATH \
    WHEELHOUSE_LISTEN=0.0.0.0:8080 \
    WHEELHOUSE_DATA=/var/lib/wheelhouse \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER wheelhouse
WORKDIR /var/lib/wheelhouse
VOLUME ["/var/lib/wheelhouse"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/usr/local/bin/wheelhouse-healthcheck"]
ENTRYPOINT ["/usr/bin/tini", "--", "java", "-jar", "/opt/wheelhouse/wheelhouse-cli.jar"]
CMD ["serve"]
