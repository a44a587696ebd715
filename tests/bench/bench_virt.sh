#!/usr/bin/env bash
# Virtual services benchmark (issue 19, Performance): `envsyncctl virt serve` against real
# WireMock (the standalone jar, Debian JRE) serving the same mappings, in the same run.
#
# Usage: tests/bench/bench_virt.sh [--mappings N] [--big N] [--seconds S] [--connections C]
#                                  [--warmup S] [--help]
#
#   --mappings N     mappings served in the throughput part (default 200)
#   --big N          mappings for the memory and start-up part (default 10000)
#   --seconds S      measured wrk run per server (default 20)
#   --warmup S       unmeasured wrk run first, per server: the JVM needs it (default 10)
#   --connections C  wrk keep-alive connections (default 50; one wrk thread)
#
# 1  throughput and latency: N generated mappings (gen_virt_mappings.sh: GET by path, with a
#    query parameter, with a header match, POST with equalToJson), wrk cycling through all N
#    requests (every answer must be 200) on keep-alive connections; EnvSync with one worker per
#    core, WireMock with its speed settings (--no-request-journal --disable-request-logging;
#    EnvSync keeps its journal). Warm-up first, then the measured run; one server at a time.
# 2  memory: RSS (/proc/PID/status VmRSS) of each with --big mappings loaded, after one request
#    to every 100th of them.
# 3  start-up: from exec to the first answered stub request with --big mappings, best of 3.
# Prints the figures and ratio lines with PASS/FAIL against the goals (throughput >= 3x
# WireMock's, p99 <= 0.5x WireMock's, start-up <= 1 s); also in DIR/results.txt (kept).
#
# Environment: ENVSYNCCTL (default build/ci/app/cli/envsyncctl), WIREMOCK_JAR (default: fetched
# once with tests/support/wiremock.sh into build/ci/_deps/wiremock), WRK (default wrk), JAVA
# (default java). Exit 0 when it ran (a figure missing its goal is not an error), 1 on an error.
set -euo pipefail

MAPPINGS=200
BIG=10000
SECONDS_RUN=20
WARMUP=10
CONNECTIONS=50

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
number() { [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "bench_virt: $1 must be a number >= 1" >&2; exit 2; }; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --mappings) MAPPINGS=${2:?--mappings needs a value}; shift 2 ;;
        --big) BIG=${2:?--big needs a value}; shift 2 ;;
        --seconds) SECONDS_RUN=${2:?--seconds needs a value}; shift 2 ;;
        --warmup) WARMUP=${2:?--warmup needs a value}; shift 2 ;;
        --connections) CONNECTIONS=${2:?--connections needs a value}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench_virt: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
number --mappings "$MAPPINGS"; number --big "$BIG"; number --seconds "$SECONDS_RUN"
number --warmup "$WARMUP"; number --connections "$CONNECTIONS"

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
ENVSYNCCTL=${ENVSYNCCTL:-$REPO/build/ci/app/cli/envsyncctl}
WRK=${WRK:-wrk}
JAVA=${JAVA:-java}
[[ -x $ENVSYNCCTL ]] || { echo "bench_virt: no envsyncctl at $ENVSYNCCTL (set ENVSYNCCTL)" >&2; exit 1; }
command -v "$WRK" >/dev/null || { echo "bench_virt: wrk not found (apt-get install wrk)" >&2; exit 1; }
command -v "$JAVA" >/dev/null || { echo "bench_virt: java not found (default-jre-headless)" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench_virt: curl not found" >&2; exit 1; }
WIREMOCK_JAR=${WIREMOCK_JAR:-$("$REPO/tests/support/wiremock.sh" "$REPO/build/ci/_deps/wiremock")}

DIR=$(mktemp -d /tmp/envsync-bench-virt-XXXXXX)
RESULTS=$DIR/results.txt
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$DIR/small" "$DIR/big"
}
trap cleanup EXIT
result() { echo "$*" | tee -a "$RESULTS"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { awk -v v="$1" -v op="$2" -v goal="$3" 'BEGIN {
    if (v == "n/a") { print "FAIL"; exit }
    ok = (op == ">=") ? (v + 0 >= goal + 0) : (v + 0 <= goal + 0); print ok ? "PASS" : "FAIL" }'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000)); }
rss_mib() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# Waits until GET url answers 200 (timeout 120 s).
wait_ok() {
    for _ in $(seq 1200); do
        curl -sf -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "bench_virt: $1 never answered" >&2; return 1
}

start_envsync() { # root port → pid
    "$ENVSYNCCTL" virt serve --root "$1" --listen "127.0.0.1:$2" >"$DIR/envsync-$2.log" 2>&1 &
    echo $!
}
start_wiremock() { # root port → pid
    "$JAVA" -jar "$WIREMOCK_JAR" --port "$2" --bind-address 127.0.0.1 --root-dir "$1" \
        --disable-banner --no-request-journal --disable-request-logging \
        >"$DIR/wiremock-$2.log" 2>&1 &
    echo $!
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

cat >"$DIR/cycle.lua" <<'LUA'
-- Cycles through the generated mappings' requests (wrk itself counts non-2xx answers).
local n = tonumber(os.getenv("BENCH_MAPPINGS"))
local i = 0
request = function()
    i = i % n + 1
    local k = i % 10
    local path = "/api/items/" .. i
    if k == 7 then
        return wrk.format("POST", path, {["Content-Type"] = "application/json"},
                          '{"qty": ' .. i .. ', "note": "x"}')
    elseif k == 8 then
        return wrk.format("GET", path .. "?view=full")
    elseif k == 9 then
        return wrk.format("GET", path, {["Accept"] = "application/json"})
    end
    return wrk.format("GET", path)
end
LUA

# wrk latency figure ("1.23ms", "456.00us", "1.02s") in ms.
to_ms() { awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /[0-9]s$/ && t !~ /ms$/) v *= 1000; printf "%.3f", v }'; }

run_wrk() { # name port → sets RPS P99 P50 NON200
    local out="$DIR/wrk-$1.txt"
    BENCH_MAPPINGS=$MAPPINGS "$WRK" -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$DIR/cycle.lua" \
        "http://127.0.0.1:$2" >/dev/null
    BENCH_MAPPINGS=$MAPPINGS "$WRK" -t1 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency \
        -s "$DIR/cycle.lua" "http://127.0.0.1:$2" >"$out"
    RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
    P99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
    NON200=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$out")
    NON200=${NON200:-0}
}

result "bench_virt: $(date -u +%FT%TZ), $(nproc) cores, $("$ENVSYNCCTL" --version | head -n 1),"
result "  WireMock $(basename "$WIREMOCK_JAR"), $("$JAVA" -version 2>&1 | head -n 1), $("$WRK" --version 2>&1 | head -n 1 | cut -c1-40)"

# --- 1 throughput and latency -----------------------------------------------------------------
"$HERE/gen_virt_mappings.sh" "$DIR/small" "$MAPPINGS"
result ""
result "1  throughput, $MAPPINGS mappings, $CONNECTIONS keep-alive connections, ${SECONDS_RUN}s after ${WARMUP}s warm-up"
port=$(free_port); pid=$(start_envsync "$DIR/small" "$port"); PIDS+=("$pid")
wait_ok "http://127.0.0.1:$port/api/items/1"
run_wrk envsync "$port"; E_RPS=$RPS; E_P50=$P50; E_P99=$P99; E_BAD=$NON200
stop "$pid"
port=$(free_port); pid=$(start_wiremock "$DIR/small" "$port"); PIDS+=("$pid")
wait_ok "http://127.0.0.1:$port/api/items/1"
run_wrk wiremock "$port"; W_RPS=$RPS; W_P50=$P50; W_P99=$P99; W_BAD=$NON200
stop "$pid"
result "  EnvSync   $E_RPS req/s  p50 $E_P50 ms  p99 $E_P99 ms  (non-200 answers: $E_BAD)"
result "  WireMock  $W_RPS req/s  p50 $W_P50 ms  p99 $W_P99 ms  (non-200 answers: $W_BAD)"
T_RATIO=$(ratio "$E_RPS" "$W_RPS")
L_RATIO=$(ratio "$E_P99" "$W_P99")
result "  ratio throughput EnvSync/WireMock: $T_RATIO  (goal >= 3)  $(verdict "$T_RATIO" ">=" 3)"
result "  ratio p99 latency EnvSync/WireMock: $L_RATIO  (goal <= 0.5)  $(verdict "$L_RATIO" "<=" 0.5)"
if [[ $E_BAD != 0 ]]; then result "  EnvSync answered $E_BAD requests with a non-200: FAIL"; fi

# --- 2 memory and 3 start-up with --big mappings -------------------------------------------------
"$HERE/gen_virt_mappings.sh" "$DIR/big" "$BIG"
result ""
result "2  memory (RSS) with $BIG mappings loaded"
touch_some() { for i in $(seq 1 100 "$BIG"); do curl -sf -o /dev/null "http://127.0.0.1:$1/api/items/$i" || true; done; }
port=$(free_port); pid=$(start_envsync "$DIR/big" "$port"); PIDS+=("$pid")
wait_ok "http://127.0.0.1:$port/api/items/1"; touch_some "$port"
E_RSS=$(rss_mib "$pid"); stop "$pid"
port=$(free_port); pid=$(start_wiremock "$DIR/big" "$port"); PIDS+=("$pid")
wait_ok "http://127.0.0.1:$port/api/items/1"; touch_some "$port"
W_RSS=$(rss_mib "$pid"); stop "$pid"
result "  EnvSync   $E_RSS MiB"
result "  WireMock  $W_RSS MiB (JVM defaults)"

result ""
result "3  start-up with $BIG mappings: exec → first stub answered (best of 3)"
startup() { # start_fn → seconds (best of 3)
    local best=""
    for _ in 1 2 3; do
        local port pid t0 t1
        port=$(free_port)
        t0=$(date +%s.%N)
        pid=$("$1" "$DIR/big" "$port"); PIDS+=("$pid")
        until curl -sf -o /dev/null "http://127.0.0.1:$port/api/items/$BIG"; do
            kill -0 "$pid" 2>/dev/null || { echo "bench_virt: server exited" >&2; return 1; }
            sleep 0.01
        done
        t1=$(date +%s.%N)
        stop "$pid"
        best=$(awk -v b="$best" -v t="$(awk -v a="$t0" -v c="$t1" 'BEGIN { print c - a }')" \
            'BEGIN { if (b == "" || t < b) printf "%.3f", t; else print b }')
    done
    echo "$best"
}
E_START=$(startup start_envsync)
W_START=$(startup start_wiremock)
result "  EnvSync   $E_START s  (goal <= 1 s)  $(verdict "$E_START" "<=" 1)"
result "  WireMock  $W_START s"
result ""
result "figures kept in $RESULTS"
