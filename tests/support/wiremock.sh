#!/bin/sh
# Prints the path of WireMock's standalone jar (the interop and speed reference of virtual
# services), fetching it once with `npm pack wiremock@VERSION` into CACHE_DIR (e.g.
# build/_deps/wiremock). The version is pinned: the interop tests were checked against it.
# Fails loudly (exit 1, one line on stderr) when it cannot: tests must not silently skip.
# Usage: wiremock.sh CACHE_DIR
set -eu
version=3.13.2
cache=${1:?usage: wiremock.sh CACHE_DIR}
mkdir -p "$cache"
find_jar() { ls "$cache"/package/build/wiremock-standalone-"$version".jar 2>/dev/null | head -n 1; }
(
    # Tests may run in parallel: one fetch at a time.
    flock 9
    if [ -z "$(find_jar)" ]; then
        command -v npm >/dev/null 2>&1 \
            || { echo "wiremock.sh: npm not found (packaging/install-deps.sh installs it)" >&2; exit 1; }
        cd "$cache"
        rm -f wiremock-*.tgz
        npm pack "wiremock@$version" --silent >/dev/null 2>npm-pack.log \
            || { echo "wiremock.sh: 'npm pack wiremock@$version' failed: $(tail -n 1 npm-pack.log)" >&2; exit 1; }
        tar xzf wiremock-*.tgz
    fi
) 9>"$cache/.lock"
jar=$(find_jar)
[ -n "$jar" ] || { echo "wiremock.sh: no wiremock-standalone jar in $cache/package/build" >&2; exit 1; }
command -v java >/dev/null 2>&1 \
    || { echo "wiremock.sh: java not found (install default-jre-headless)" >&2; exit 1; }
echo "$jar"
