#!/usr/bin/env bash
# Installs every Debian 12 package EnvSync needs to build, test and run. Idempotent, non-interactive.
#   usage: packaging/install-deps.sh [--bench]    (--bench adds pgcopydb, hyperfine, wrk, curl)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(
    build-essential cmake ninja-build ccache pkg-config git
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools
    qt6-l10n-tools qt6-httpserver-dev qt6-websockets-dev libqt6opengl6-dev libgl1-mesa-dev
    qt6-qpa-plugins
    libpqxx-dev libpq-dev libyaml-cpp-dev libspdlog-dev libfmt-dev qtkeychain-qt6-dev libical-dev
    libssl-dev
    postgresql-15 postgresql-contrib postgresql-client-15
    xvfb xauth fonts-dejavu-core poppler-utils tzdata ca-certificates
    # virtual services: the interop tests run real WireMock (a Java jar, fetched by the tests)
    default-jre-headless
)
if [[ "${1:-}" == "--bench" ]]; then
    packages+=(pgcopydb hyperfine wrk curl)
fi

# Present when its command is: a machine with a JDK from elsewhere needs no second Java.
declare -A command_of=([default-jre-headless]=java)
missing=()
for p in "${packages[@]}"; do
    if [[ -n ${command_of[$p]:-} ]] && command -v "${command_of[$p]}" >/dev/null 2>&1; then
        continue
    fi
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    echo "install-deps: all ${#packages[@]} packages present" >&2
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    SUDO=sudo
else
    SUDO=
fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}" >&2
# The postgresql package would start a system cluster; EnvSync starts its own, so skip that.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    remove_policy=1
fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
if [[ -n "${remove_policy:-}" ]]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
