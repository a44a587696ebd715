#!/usr/bin/env bash
# CDC benchmark (issue 18, Performance): EnvSync's masked change stream against PostgreSQL's own
# logical replication (CREATE SUBSCRIPTION, unmasked) of the same workload, in the same run.
#
# Usage: tests/bench/bench_cdc.sh [--changes N] [--cpu-changes N] [--rate CHANGES_PER_S]
#                                 [--seconds S] [--rows R] [--help]
#
#   --changes N      backlog of part 1, row changes (default 300000; transactions of 10)
#   --cpu-changes N  backlog of each run of part 3 (default 100000)
#   --rate C         part 2 writer rate in row changes/s (default 5000; pgbench -R C/10)
#   --seconds S      part 2 duration per consumer (default 60)
#   --rows R         demo size (`demo up --rows`, default 20000)
#
# On a demo estate of its own (envsyncctl demo up --dir /tmp/envsync-bench-cdc-<pid>; demo down at
# exit) with a probe table public.bench_probe (kept unmasked: a keep: entry in the bench's config
# copy) it sets up
#   native   database bench_native on the apac cluster with the source's schema and rows (pg_dump:
#            the updates of part 1 find their rows there, as they do in eu; an empty copy would
#            let the apply worker skip 80% of the changes as "row not found"),
#            publication bench_native FOR ALL TABLES on the source, subscription bench_native
#            (copy_data = false, enabled = false);
#   EnvSync  cdc init, snapshot create, refresh eu (--force-outside-window), a bench config copy.
# Then
#   1  throughput: with both consumers stopped, a backlog of N row changes on the source (one
#      server-side DO block: per transaction 4 UPDATEs of customers (10 masked columns), 4 of
#      orders, 2 INSERTs into support_tickets (a masked column)); (a) native: enable the
#      subscription, time until the rows are in bench_native AND the slot's confirmed_flush_lsn
#      reached the source's LSN after the backlog; (b) `cdc run --until-caught-up --region eu`,
#      timed, then the rows are checked in eu. One after the other, never both at once.
#   3  source CPU: utime+stime (/proc/PID/stat) of the walsender serving EnvSync's slot over a
#      backlog of --cpu-changes, with eu+us+apac (all refreshed from the same new golden) and
#      with eu only, twice each (A B B A). Also the native walsender of part 1a for comparison.
#   2  lag: a steady writer (pgbench -R, 10 row updates a transaction) for S seconds while a probe
#      (bench_cdc_probe) inserts a row every 100 ms and polls the target every 5 ms; first with
#      `cdc run --region eu` streaming, then (its slot advanced past EnvSync's part: the lag probe
#      needs no old rows) with the subscription streaming. p50/p95/p99 of each.
# Part 3 runs before part 2 so that neither consumer has the other's part-2 writes to catch up.
# Prints changes/s, ratios and percentiles; figures also in DIR/results.txt (kept at exit).
#
# Environment: ENVSYNCCTL (default build/ci/app/cli/envsyncctl), BENCH_CDC_PROBE (default
# build/ci/tests/bench/bench_cdc_probe), PGBIN (default /usr/lib/postgresql/15/bin). Run as root
# (the clusters run as `postgres`) or as a user that can run initdb. Exit code 0 when it ran
# (a figure missing its goal is not an error), 1 on an error.
set -euo pipefail

CHANGES=300000
CPU_CHANGES=100000
RATE=5000
SECONDS_LAG=60
ROWS=20000

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
number() { [[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "bench_cdc: $1 must be a number >= 1" >&2; exit 2; }; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --changes) CHANGES=${2:?--changes needs a value}; shift 2 ;;
        --cpu-changes) CPU_CHANGES=${2:?--cpu-changes needs a value}; shift 2 ;;
        --rate) RATE=${2:?--rate needs a value}; shift 2 ;;
        --seconds) SECONDS_LAG=${2:?--seconds needs a value}; shift 2 ;;
        --rows) ROWS=${2:?--rows needs a value}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench_cdc: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
for option in CHANGES CPU_CHANGES RATE SECONDS_LAG ROWS; do number "$option" "${!option}"; done
(( CHANGES >= 10 && CPU_CHANGES >= 10 && RATE >= 10 )) || { echo "bench_cdc: sizes are in transactions of 10 changes" >&2; exit 2; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ENVSYNCCTL=${ENVSYNCCTL:-$REPO/build/ci/app/cli/envsyncctl}
PROBE=${BENCH_CDC_PROBE:-$REPO/build/ci/tests/bench/bench_cdc_probe}
for tool in "$PGBIN/pg_dump" "$PGBIN/pgbench" "$PGBIN/psql" "$ENVSYNCCTL" "$PROBE"; do
    [[ -x $tool ]] || { echo "bench_cdc: $tool not found (build it first, see RESULTS.md)" >&2; exit 2; }
done

DIR=/tmp/envsync-bench-cdc-$$
SOCK=$DIR/sock
CONFIG=$DIR/bench.yaml
WORK=$DIR.work   # logs; kept at exit (demo down removes DIR)
RESULTS_FILE=$WORK/results.txt
export ENVSYNC_MASK_SALT=envsync-bench-cdc-salt   # from the environment, never in a config
export PGUSER=postgres PGHOST=$SOCK
TICK=$(getconf CLK_TCK)

log() { printf '%s bench_cdc: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
result() { printf '%s\n' "$*" | tee -a "$RESULTS_FILE"; }
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# psql against a demo cluster: q PORT DB SQL...
q() {
    local port=$1 db=$2
    shift 2
    PGOPTIONS='-c client_min_messages=warning' \
        "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$port" -U postgres -d "$db" -At "$@"
}
src() { q "$SRC_PORT" shop "$@"; }
native() { q "$NATIVE_PORT" bench_native "$@"; }
region() { local port=$1; shift; q "$port" shop "$@"; }
envsync() { "$ENVSYNCCTL" "$@"; }

cdc_pid=""
cleanup() {
    local status=$?
    set +e
    if [[ -n $cdc_pid ]]; then kill -TERM "$cdc_pid" 2>/dev/null; wait "$cdc_pid" 2>/dev/null; fi
    if [[ -n ${NATIVE_PORT:-} ]]; then
        native -c "ALTER SUBSCRIPTION bench_native DISABLE" >/dev/null 2>&1
        native -c "DROP SUBSCRIPTION IF EXISTS bench_native" >/dev/null 2>&1
        src -c "DROP PUBLICATION IF EXISTS bench_native" >/dev/null 2>&1
    fi
    rm -f "$CONFIG"
    if envsync demo down --dir "$DIR" >/dev/null 2>&1; then
        # demo down leaves what it did not create: the spool of this bench's own estate
        if [[ -d $DIR ]]; then rm -rf "$DIR/cdc-spool"; rmdir "$DIR" 2>/dev/null; fi
    else
        log "demo down failed: stop it with envsyncctl demo down --dir $DIR"
    fi
    [[ -f $RESULTS_FILE ]] && log "figures and logs: $WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# Workload

# backlog TXS BASE: TXS transactions of 10 row changes in one server-side loop (COMMIT per
# iteration); support_tickets ids BASE.. are new rows.
backlog() {
    local txs=$1 base=$2
    src -c "DO \$\$
DECLARE c bigint; o bigint;
BEGIN
    FOR i IN 0 .. $txs - 1 LOOP
        c := (i * 4) % ($CUSTOMERS - 3) + 1;
        o := (i * 4) % ($ORDERS - 3) + 1;
        UPDATE customers SET city = 'Bench ' || i, updated_at = clock_timestamp()
         WHERE id BETWEEN c AND c + 3;
        UPDATE orders SET total = total + 1 WHERE id BETWEEN o AND o + 3;
        INSERT INTO support_tickets (id, customer_id, opened_at, subject, body)
        VALUES ($base + 2 * i, c, clock_timestamp(), 'bench', 'bench ticket ' || i),
               ($base + 2 * i + 1, c + 1, clock_timestamp(), 'bench', 'bench ticket ' || i);
        COMMIT;
    END LOOP;
END \$\$"
}

# tickets_there PORT DB BASE TXS: 1 when all 2*TXS tickets of a backlog are in that database
tickets_there() {
    q "$1" "$2" -c "SELECT (count(*) = 2 * $4)::int FROM support_tickets WHERE id >= $3 AND id < $3 + 2 * $4"
}

# walsender_cpu APPNAME OUT: waits for the source's walsender of that application, then keeps
# writing its utime+stime (ticks) to OUT until it exits.
walsender_cpu() {
    local app=$1 out=$2 pid="" stat rest
    while [[ -z $pid ]]; do
        pid=$(src -c "SELECT pid FROM pg_stat_replication WHERE application_name = '$app' LIMIT 1")
        [[ -n $pid ]] || sleep 0.02
    done
    echo 0 >"$out"
    while read -r stat 2>/dev/null <"/proc/$pid/stat"; do
        rest=${stat##*) }   # the fields after "(comm) "; comm may hold spaces
        read -r -a fields <<<"$rest"
        echo $(( fields[11] + fields[12] )) >"$out"
        sleep 0.02
    done
}

wait_no_walsender() {
    local app=$1
    for _ in $(seq 200); do
        [[ $(src -c "SELECT count(*) FROM pg_stat_replication WHERE application_name = '$app'") == 0 ]] && return 0
        sleep 0.05
    done
    die "the walsender of $app did not go away"
}

# proc_cpu PID OUT: keeps writing the process's utime+stime (ticks) to OUT until it exits
proc_cpu() {
    local pid=$1 out=$2 stat rest
    while read -r stat 2>/dev/null <"/proc/$pid/stat"; do
        rest=${stat##*) }
        read -r -a fields <<<"$rest"
        echo $(( fields[11] + fields[12] )) >"$out"
        sleep 0.05
    done
}

# threads_cpu PID OUT: the same per thread ("tid ticks" lines, by thread id = creation order);
# a thread that ended keeps its last figure
threads_cpu() {
    local pid=$1 out=$2 stat rest task tid
    local -A ticks=()
    while [[ -d /proc/$pid/task ]]; do
        for task in /proc/"$pid"/task/*; do
            read -r stat 2>/dev/null <"$task/stat" || continue
            rest=${stat##*) }
            read -r -a fields <<<"$rest"
            ticks[${task##*/}]=$(( fields[11] + fields[12] ))
        done
        for tid in "${!ticks[@]}"; do echo "$tid ${ticks[$tid]}"; done | sort -n >"$out.tmp"
        mv "$out.tmp" "$out"
        sleep 0.05
    done
}

# lsn_watch OUT T0 COMMAND...: polls every 0.1 s until COMMAND prints 1; writes the seconds since
# T0 to OUT
lsn_watch() {
    local out=$1 t0=$2
    shift 2
    until [[ $("$@" 2>/dev/null) == 1 ]]; do sleep 0.1; done
    elapsed "$t0" "$(now)" >"$out"
}

ticks_to_seconds() { awk -v t="$1" -v hz="$TICK" 'BEGIN { printf "%.2f", t / hz }'; }

# ---------------------------------------------------------------------------------------------
# Setup

log "demo estate in $DIR ($ROWS orders)"
mkdir -p "$WORK"
: >"$RESULTS_FILE"
envsync demo up --dir "$DIR" --rows "$ROWS" >/dev/null 2>"$WORK/up.log" || { cat "$WORK/up.log" >&2; die "demo up failed"; }
port_of() { envsync demo status --dir "$DIR" | awk -v n="$1" '$1 == n { print $3 }'; }
SRC_PORT=$(port_of source)
EU_PORT=$(port_of eu)
US_PORT=$(port_of us)
APAC_PORT=$(port_of apac)
NATIVE_PORT=$APAC_PORT
CUSTOMERS=$(src -c "SELECT max(id) FROM customers")
ORDERS=$(src -c "SELECT max(id) FROM orders")

# the probe table exists before everything else so the native schema and golden both have it
src -c "CREATE TABLE public.bench_probe (id bigint PRIMARY KEY, sent_at timestamptz NOT NULL)"
# bench config: the demo's, plus keep: entries for the probe table (same dir: same spool)
sed 's/^  keep:$/  keep:\n    - public.bench_probe.id\n    - public.bench_probe.sent_at/' \
    "$DIR/envsync.yaml" >"$CONFIG"
chmod 0644 "$CONFIG"
grep -q 'public.bench_probe.sent_at' "$CONFIG" || die "could not add the probe table to the config"

log "native: bench_native on the apac cluster (schema and rows), publication + subscription (disabled)"
q "$NATIVE_PORT" postgres -c "CREATE DATABASE bench_native"
"$PGBIN/pg_dump" -h "$SOCK" -p "$SRC_PORT" -U postgres -d shop --no-publications \
    --no-subscriptions | native >/dev/null
[[ $(native -c "SELECT count(*) FROM customers") == $(src -c "SELECT count(*) FROM customers") ]] \
    || die "native: the rows of customers were not copied"
src -c "CREATE PUBLICATION bench_native FOR ALL TABLES"
native -c "CREATE SUBSCRIPTION bench_native CONNECTION 'host=$SOCK port=$SRC_PORT dbname=shop user=postgres application_name=bench_native' PUBLICATION bench_native WITH (copy_data = false, enabled = false)"

log "EnvSync: cdc init, snapshot create, refresh eu"
envsync cdc init -c "$CONFIG" >/dev/null
envsync snapshot create -c "$CONFIG" --jobs 2 >/dev/null 2>"$WORK/snapshot.log" || { cat "$WORK/snapshot.log" >&2; die "snapshot create failed"; }
envsync refresh -c "$CONFIG" --region eu --force-outside-window --reason bench >/dev/null 2>"$WORK/refresh.log" || { cat "$WORK/refresh.log" >&2; die "refresh eu failed"; }
envsync cdc run -c "$CONFIG" --region eu --until-caught-up >/dev/null 2>"$WORK/cdc-warmup.log" || { cat "$WORK/cdc-warmup.log" >&2; die "cdc run failed"; }

{
    echo "bench_cdc $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "args: --changes $CHANGES --cpu-changes $CPU_CHANGES --rate $RATE --seconds $SECONDS_LAG --rows $ROWS"
} | tee -a "$RESULTS_FILE" >&2

# ---------------------------------------------------------------------------------------------
# 1  Throughput over the same backlog

TXS=$(( CHANGES / 10 ))
BASE=10000000
log "1: backlog of $(( TXS * 10 )) changes in $TXS transactions (both consumers stopped)"
t0=$(now); backlog "$TXS" "$BASE"; t1=$(now)
TARGET_LSN=$(src -c "SELECT pg_current_wal_lsn()")
log "   written in $(elapsed "$t0" "$t1") s, source at $TARGET_LSN, WAL behind the slots: $(src -c "SELECT pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)) FROM pg_replication_slots WHERE slot_name = 'bench_native'")"

log "1a: native subscription"
walsender_cpu bench_native "$WORK/native.cpu" &
sampler=$!
t0=$(now)
native -c "ALTER SUBSCRIPTION bench_native ENABLE"
# the apply worker's CPU (the counterpart of EnvSync's applier and region backend)
( pid=""; while [[ -z $pid ]]; do
      pid=$(native -c "SELECT pid FROM pg_stat_subscription WHERE subname = 'bench_native' AND relid IS NULL AND pid IS NOT NULL" || true)
      [[ -n $pid ]] || sleep 0.02
  done
  proc_cpu "$pid" "$WORK/native.worker" ) &
worker_sampler=$!
# server-side wait: no client process per poll competing for the two cores
native -c "DO \$\$ BEGIN
    WHILE (SELECT count(*) FROM support_tickets WHERE id >= $BASE) < 2 * $TXS LOOP
        PERFORM pg_sleep(0.02);
    END LOOP; END \$\$"
t_rows=$(now)
until [[ $(src -c "SELECT (confirmed_flush_lsn >= '$TARGET_LSN')::int FROM pg_replication_slots WHERE slot_name = 'bench_native'") == 1 ]]; do sleep 0.02; done
t1=$(now)
kill "$worker_sampler" 2>/dev/null || true
wait "$worker_sampler" 2>/dev/null || true
native -c "ALTER SUBSCRIPTION bench_native DISABLE"
wait "$sampler"
NATIVE_WORKER_CPU=$( [[ -s $WORK/native.worker ]] && ticks_to_seconds "$(cat "$WORK/native.worker")" || echo '?')
NATIVE_S=$(elapsed "$t0" "$t1")
NATIVE_ROWS_S=$(elapsed "$t0" "$t_rows")
NATIVE_CPU=$(ticks_to_seconds "$(cat "$WORK/native.cpu")")
[[ $(tickets_there "$NATIVE_PORT" bench_native "$BASE" "$TXS") == 1 ]] || die "native: rows missing"

log "1b: envsyncctl cdc run --until-caught-up --region eu"
rm -f "$WORK"/1b.*
t0=$(now)
"$ENVSYNCCTL" cdc run -c "$CONFIG" --region eu --until-caught-up >"$WORK/cdc-1b.out" 2>"$WORK/cdc-1b.log" &
cdc_pid=$!
# where the time goes: when the slot (= the spool's durable end) and eu's position reach the
# target, and the CPU of the process's threads, the walsender and the eu backend
threads_cpu "$cdc_pid" "$WORK/1b.threads" &
watchers=($!)
walsender_cpu "envsync cdc" "$WORK/1b.walsender" &
watchers+=($!)
lsn_watch "$WORK/1b.spooled" "$t0" src -c "SELECT (confirmed_flush_lsn >= '$TARGET_LSN')::int FROM pg_replication_slots WHERE slot_name = 'envsync'" &
watchers+=($!)
lsn_watch "$WORK/1b.applied" "$t0" region "$EU_PORT" -c "SELECT (applied_lsn >= '$TARGET_LSN')::int FROM _envsync.cdc_applied" &
watchers+=($!)
( pid=""; while [[ -z $pid ]] && kill -0 "$cdc_pid" 2>/dev/null; do
      pid=$(region "$EU_PORT" -c "SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'envsync cdc apply%' LIMIT 1")
      [[ -n $pid ]] || sleep 0.05
  done
  [[ -n $pid ]] && proc_cpu "$pid" "$WORK/1b.backend" ) &
watchers+=($!)
wait "$cdc_pid" || { cat "$WORK/cdc-1b.log" >&2; die "cdc run failed"; }
t1=$(now)
cdc_pid=""
# the eu backend lives on until the process's connection closes; the rest stop by themselves
sleep 0.2
kill "${watchers[@]}" 2>/dev/null || true
wait "${watchers[@]}" 2>/dev/null || true
ENVSYNC_S=$(elapsed "$t0" "$t1")
[[ $(tickets_there "$EU_PORT" shop "$BASE" "$TXS") == 1 ]] || die "EnvSync: rows missing in eu"
# masked: the ticket body is a template in eu, the source's text in the native copy
[[ $(region "$EU_PORT" -c "SELECT count(*) FROM support_tickets WHERE id >= $BASE AND body LIKE 'bench ticket%'") == 0 ]] || die "EnvSync: unmasked ticket text in eu"

NATIVE_RATE=$(awk -v n="$(( TXS * 10 ))" -v s="$NATIVE_S" 'BEGIN { printf "%.0f", n / s }')
ENVSYNC_RATE=$(awk -v n="$(( TXS * 10 ))" -v s="$ENVSYNC_S" 'BEGIN { printf "%.0f", n / s }')
result "1 throughput, $(( TXS * 10 )) row changes in $TXS transactions"
result "  native subscription (unmasked)   ${NATIVE_S} s  ${NATIVE_RATE} changes/s  (rows there after ${NATIVE_ROWS_S} s; CPU s: walsender ${NATIVE_CPU}, apply worker ${NATIVE_WORKER_CPU})"
result "  EnvSync cdc run --region eu       ${ENVSYNC_S} s  ${ENVSYNC_RATE} changes/s  (masked, process start to exit)"
result "  ratio EnvSync/native: $(ratio "$ENVSYNC_RATE" "$NATIVE_RATE")  (goal >= 0.8)"
sed -n 's/^/  cdc: /p' "$WORK/cdc-1b.out" | tee -a "$RESULTS_FILE" >&2
threads=$(awk -v hz="$TICK" '{ printf "%s%.2f", (NR > 1 ? " " : ""), $2 / hz }' "$WORK/1b.threads" 2>/dev/null)
result "  EnvSync breakdown: spool durable (slot confirmed) at $(cat "$WORK/1b.spooled" 2>/dev/null || echo '?') s, eu applied at $(cat "$WORK/1b.applied" 2>/dev/null || echo '?') s;"
result "    CPU s: envsyncctl threads (by creation: main, signals, reader, eu, ...) [$threads],"
result "    source walsender $(ticks_to_seconds "$(cat "$WORK/1b.walsender" 2>/dev/null || echo 0)"), eu backend $(ticks_to_seconds "$(cat "$WORK/1b.backend" 2>/dev/null || echo 0)")"

# ---------------------------------------------------------------------------------------------
# 3  Source CPU: one slot whatever the number of regions

log "3: new golden, refresh eu, us, apac from it"
envsync snapshot create -c "$CONFIG" --jobs 2 >/dev/null 2>"$WORK/snapshot2.log" || { cat "$WORK/snapshot2.log" >&2; die "snapshot create failed"; }
for r in eu us apac; do
    envsync refresh -c "$CONFIG" --region "$r" --force-outside-window --reason bench >/dev/null 2>"$WORK/refresh-$r.log" || { cat "$WORK/refresh-$r.log" >&2; die "refresh $r failed"; }
done
CPU_TXS=$(( CPU_CHANGES / 10 ))
declare -A TICKS=([eu us apac]=0 [eu]=0) WALL_S=([eu us apac]=0 [eu]=0)
base=20000000
# A B B A: twice each, so that a drift of the machine's load hits both alike
for regions in "eu us apac" "eu" "eu" "eu us apac"; do
    args=()
    for r in $regions; do args+=(--region "$r"); done
    backlog "$CPU_TXS" "$base"
    wait_no_walsender "envsync cdc"
    walsender_cpu "envsync cdc" "$WORK/cpu.ticks" &
    sampler=$!
    t0=$(now)
    envsync cdc run -c "$CONFIG" "${args[@]}" --until-caught-up >/dev/null 2>"$WORK/cdc-3.log" || { cat "$WORK/cdc-3.log" >&2; die "cdc run failed"; }
    t1=$(now)
    wait "$sampler"
    for r in $regions; do
        port_var=${r^^}_PORT
        [[ $(tickets_there "${!port_var}" shop "$base" "$CPU_TXS") == 1 ]] || die "part 3: rows missing in $r"
    done
    ticks=$(cat "$WORK/cpu.ticks")
    sum=${TICKS[$regions]}
    TICKS[$regions]=$(( sum + ticks ))
    WALL_S[$regions]=$(awk -v a="${WALL_S[$regions]}" -v b="$(elapsed "$t0" "$t1")" 'BEGIN { printf "%.2f", a + b }')
    log "   regions $regions: walsender CPU $(ticks_to_seconds "$ticks") s, run $(elapsed "$t0" "$t1") s"
    base=$(( base + 10000000 ))
done
CPU_3=$(ticks_to_seconds "${TICKS[eu us apac]}")
CPU_1=$(ticks_to_seconds "${TICKS[eu]}")
result "3 source walsender CPU (utime+stime), 2 runs each (order A B B A) over $(( CPU_TXS * 10 )) changes each"
result "  A eu+us+apac  ${CPU_3} s  (runs ${WALL_S[eu us apac]} s)"
result "  B eu          ${CPU_1} s  (runs ${WALL_S[eu]} s)"
result "  ratio 3 regions / 1 region: $(ratio "$CPU_3" "$CPU_1")  (goal ~1; native: one walsender per subscriber, ${NATIVE_CPU} s each for part 1's backlog)"

# ---------------------------------------------------------------------------------------------
# 2  Lag at a sustained rate

TPS=$(( RATE / 10 ))
cat >"$WORK/writer.sql" <<EOF
\\set c random(1, $(( CUSTOMERS - 4 )))
\\set o random(1, $(( ORDERS - 4 )))
BEGIN;
UPDATE customers SET city = 'Rate', updated_at = clock_timestamp() WHERE id BETWEEN :c AND :c + 4;
UPDATE orders SET total = total + 1 WHERE id BETWEEN :o AND :o + 4;
END;
EOF

# lag_run LABEL TARGET_PORT TARGET_DB FIRST_ID: writer + probe for SECONDS_LAG
lag_run() {
    local label=$1 port=$2 db=$3 first=$4 probe_out
    "$PGBIN/pgbench" -n -h "$SOCK" -p "$SRC_PORT" -U postgres -f "$WORK/writer.sql" -R "$TPS" \
        -T "$SECONDS_LAG" -c 4 -j 2 shop >"$WORK/pgbench-$label.out" 2>&1 &
    local writer=$!
    probe_out=$("$PROBE" --source "host=$SOCK port=$SRC_PORT dbname=shop user=postgres" \
        --target "host=$SOCK port=$port dbname=$db user=postgres" --seconds "$SECONDS_LAG" \
        --first-id "$first") || die "probe failed"
    wait "$writer" || { cat "$WORK/pgbench-$label.out" >&2; die "pgbench failed"; }
    local tx
    tx=$(awk '/number of transactions actually processed/ { print $NF }' "$WORK/pgbench-$label.out")
    local sustained
    sustained=$(awk -v t="$tx" -v s="$SECONDS_LAG" 'BEGIN { printf "%.0f", t * 10 / s }')
    result "  $label: $probe_out  (writer sustained $sustained changes/s)"
}

result "2 lag at $RATE changes/s target (pgbench -R $TPS, 10 row updates a transaction), probe every 100 ms, polls every 5 ms, ${SECONDS_LAG} s each"
log "2a: cdc run --region eu streaming"
# the binary itself in the background (not the shell function): SIGTERM must reach it
"$ENVSYNCCTL" cdc run -c "$CONFIG" --region eu >/dev/null 2>"$WORK/cdc-2.log" &
cdc_pid=$!
sleep 2
kill -0 "$cdc_pid" 2>/dev/null || { cat "$WORK/cdc-2.log" >&2; die "cdc run stopped"; }
lag_run "EnvSync (eu, masked)" "$EU_PORT" shop 1
kill -TERM "$cdc_pid"
wait "$cdc_pid" || { cat "$WORK/cdc-2.log" >&2; die "cdc run failed"; }
cdc_pid=""

log "2b: native subscription streaming (slot advanced past EnvSync's part)"
src -c "SELECT pg_replication_slot_advance('bench_native', pg_current_wal_lsn())" >/dev/null
native -c "ALTER SUBSCRIPTION bench_native ENABLE"
sleep 2
lag_run "native subscription" "$NATIVE_PORT" bench_native 1000000
native -c "ALTER SUBSCRIPTION bench_native DISABLE"

log "done"
