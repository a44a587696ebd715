#!/bin/sh
# Prints the path of WireMock's standalone jar (the interop and speed reference of virtual
# services), fetching it once into CACHE_DIR (e.g. build/_deps/wiremock): the npm registry's
# `wiremock` package (what `npm pack wiremock@VERSION` gets), downloaded with CMake and checked
# against its SHA-256, so no Node.js is needed. The version is pinned: the interop tests were
# checked against it.
# Fails loudly (exit 1, one line on stderr) when it cannot: tests must not silently skip.
# Usage: wiremock.sh CACHE_DIR
set -eu
version=3.13.2
sha256=7a1a83d4daea324511f9e5e51e94a55210c4045e46eb217c9a190f0ce40e94d5
url="https://registry.npmjs.org/wiremock/-/wiremock-$version.tgz"
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:?usage: wiremock.sh CACHE_DIR}
mkdir -p "$cache"
find_jar() { ls "$cache"/package/build/wiremock-standalone-"$version".jar 2>/dev/null | head -n 1; }
(
    # Tests may run in parallel: one fetch at a time.
    flock 9
    if [ -z "$(find_jar)" ]; then
        cd "$cache"
        rm -f wiremock-*.tgz
        cmake -DURL="$url" -DOUT="$cache/wiremock-$version.tgz" -DSHA256="$sha256" \
            -P "$here/download.cmake" >download.log 2>&1 \
            || { rm -f ./*.part; echo "wiremock.sh: cannot fetch $url: $(grep -m1 -E 'mismatch|download.cmake: ' download.log)" >&2; exit 1; }
        tar xzf wiremock-*.tgz
    fi
) 9>"$cache/.lock"
jar=$(find_jar)
[ -n "$jar" ] || { echo "wiremock.sh: no wiremock-standalone jar in $cache/package/build" >&2; exit 1; }
command -v java >/dev/null 2>&1 \
    || { echo "wiremock.sh: java not found (install default-jre-headless)" >&2; exit 1; }
echo "$jar"
