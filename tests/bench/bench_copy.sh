#!/usr/bin/env bash
# Copy-and-mask benchmark (issue 5): EnvSync `snapshot create` against pgcopydb and pg_dump/pg_restore.
#
# Usage: tests/bench/bench_copy.sh [--gb SIZE] [--runs R] [--jobs J] [--tools LIST] [--dir DIR]
#                                  [--keep] [--help]
#
#   --gb SIZE   size of the generated source database in GB (default 2; decimals allowed)
#   --runs R    timed runs of each tool (default 3); the tool order rotates from run to run
#   --jobs J    parallel jobs of every tool (default 2)
#   --tools LIST  which of the tools below to time, e.g. "A C" while working on the engine
#               (default "A B C D"); ratios whose tools were not run print n/a
#   --dir DIR   work directory (default /tmp/envsync-bench-copy); the source cluster in it is
#               reused when it was generated with the same --gb (marker file), the target
#               cluster is created afresh on every invocation
#   --keep      leave both clusters running at the end (prints how to stop them); otherwise
#               both are stopped and the target cluster is deleted (the source is kept for reuse)
#
# It starts two throw-away PostgreSQL 15 clusters (source, target; Unix sockets in DIR/sock only,
# identical settings), generates the shop database `benchsrc` on the source server-side, writes an
# unmasked and a masked EnvSync config (18 of 60 columns masked) and validates them, then times per
# run, each from an empty target database:
#   A  pgcopydb clone --table-jobs J --index-jobs J
#   B  pg_dump -Fd -jJ  +  pg_restore -jJ
#   C  envsyncctl snapshot create -c unmasked.yaml --jobs J
#   D  envsyncctl snapshot create -c masked.yaml --jobs J
# checks each copy is complete (row counts, indexes, FKs), drops it, and prints median/min/max per
# tool and the ratios C/A (target <= 1.0), C/B (<= 0.85), D/C (<= 1.15). Finally it runs
# bench_mask (masked values/s per core). Logs and figures: DIR/logs, DIR/results.tsv.
#
# Environment: ENVSYNCCTL, BENCH_MASK (default: build/bench/...), PGBIN (default
# /usr/lib/postgresql/15/bin). Run as root (the clusters then run as `postgres`) or as a user that
# can run initdb. Exit code 0 unless an error happened (a tool failed or a copy was incomplete);
# a FAIL against a target is not an error.
set -euo pipefail

GB=2
RUNS=3
JOBS=2
DIR=/tmp/envsync-bench-copy
KEEP=0
TOOLS="A B C D"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --gb) GB=${2:?--gb needs a value}; shift 2 ;;
        --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
        --jobs) JOBS=${2:?--jobs needs a value}; shift 2 ;;
        --tools) TOOLS=${2:?--tools needs a value}; shift 2 ;;
        --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench_copy: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ $GB =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "bench_copy: --gb must be a number" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bench_copy: --runs must be >= 1" >&2; exit 2; }
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "bench_copy: --jobs must be >= 1" >&2; exit 2; }
[[ $TOOLS =~ ^[ABCD]( [ABCD])*$ ]] || { echo "bench_copy: --tools takes letters A B C D separated by spaces" >&2; exit 2; }

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
ENVSYNCCTL=${ENVSYNCCTL:-$REPO/build/bench/app/cli/envsyncctl}
BENCH_MASK=${BENCH_MASK:-$REPO/build/bench/tests/bench/bench_mask}
export PATH="$PGBIN:$PATH"   # pgcopydb runs pg_dump/pg_restore from PATH: PostgreSQL 15's
for tool in "$PGBIN/initdb" "$PGBIN/pg_ctl" "$PGBIN/pg_dump" "$PGBIN/pg_restore" "$ENVSYNCCTL"; do
    [[ -x $tool ]] || { echo "bench_copy: $tool not found (build it first, see RESULTS.md)" >&2; exit 2; }
done
command -v pgcopydb >/dev/null || { echo "bench_copy: pgcopydb not in PATH" >&2; exit 2; }

SOCK=$DIR/sock
SRC_DATA=$DIR/source
TGT_DATA=$DIR/target
SRC_PORT=55741
TGT_PORT=55742
WORK=$DIR/work
LOGS=$DIR/logs
RESULTS=$DIR/results.tsv
MARKER=$SRC_DATA/envsync-bench.generated
GEN_VERSION=1   # bump when the generated schema/data changes
export ENVSYNC_MASK_SALT=envsync-bench-copy-salt   # from the environment, never in a config
export PGUSER=postgres PGHOST=$SOCK

log() { printf '%s bench_copy: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Run a PostgreSQL server program as the cluster owner.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# psql against a cluster: q PORT DB SQL...
q() {
    local port=$1 db=$2
    shift 2
    PGOPTIONS='-c client_min_messages=warning' \
        psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$port" -U postgres -d "$db" -At "$@"
}
src() { q "$SRC_PORT" benchsrc "$@"; }
tgt() { q "$TGT_PORT" postgres "$@"; }

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

started_clusters=()
stop_clusters() {
    local data
    for data in "${started_clusters[@]}"; do
        if [[ $KEEP -eq 1 ]]; then
            log "left running: $data (stop: ${PGBIN}/pg_ctl -D $data stop -m fast$([[ $(id -u) -eq 0 ]] && echo ' as postgres'))"
        else
            as_owner "$PGBIN/pg_ctl" -D "$data" stop -m fast -w >/dev/null 2>&1 || true
            # the target is created afresh by every invocation: do not leave its WAL on disk
            if [[ $data == "$TGT_DATA" ]]; then rm -rf "$TGT_DATA" "$TGT_DATA.log"; fi
        fi
    done
    started_clusters=()
    rm -rf "$WORK"
}
trap stop_clusters EXIT
trap 'log "interrupted"; exit 130' INT TERM

settings() {  # identical for both clusters
    cat <<EOF
port = $1
unix_socket_directories = '$SOCK'
listen_addresses = ''
max_connections = 100
shared_buffers = '1GB'
work_mem = '16MB'
maintenance_work_mem = '512MB'
max_wal_size = '8GB'
checkpoint_timeout = '30min'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
autovacuum = off
log_min_messages = warning
EOF
}

init_cluster() {  # DATA PORT
    rm -rf "$1"
    mkdir -p "$1"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$1"; fi
    as_owner "$PGBIN/initdb" -D "$1" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    settings "$2" | as_owner tee -a "$1/postgresql.conf" >/dev/null
}

start_cluster() {  # DATA
    # a cluster of an earlier interrupted invocation may still run
    as_owner "$PGBIN/pg_ctl" -D "$1" status >/dev/null 2>&1 \
        && as_owner "$PGBIN/pg_ctl" -D "$1" stop -m fast -w >/dev/null
    as_owner "$PGBIN/pg_ctl" -D "$1" -l "$1.log" -w -t 120 start >/dev/null
    started_clusters+=("$1")
}

# ---------------------------------------------------------------------------------------------
# Source data: a shop, server-side with generate_series. Scale S: rows per table below times S;
# ~3 GB per unit of S (heap + indexes), topped up with events rows until pg_database_size >= GB.

generate_source() {
    local scale customers orders events tickets
    scale=$(awk -v g="$GB" 'BEGIN { printf "%.4f", g / 3.0 }')
    customers=$(awk -v s="$scale" 'BEGIN { printf "%d", 1000000 * s }')
    orders=$(awk -v s="$scale" 'BEGIN { printf "%d", 3000000 * s }')
    events=$(awk -v s="$scale" 'BEGIN { printf "%d", 2000000 * s }')
    tickets=$(awk -v s="$scale" 'BEGIN { printf "%d", 200000 * s }')
    log "generating benchsrc (scale $scale: $customers customers, $orders orders, ~$((orders * 3)) order items, $events events)"
    q "$SRC_PORT" postgres -c "CREATE DATABASE benchsrc"
    src <<'SQL'
CREATE TABLE customers (
    id          bigint NOT NULL,
    first_name  text NOT NULL,
    last_name   text NOT NULL,
    email       text NOT NULL,
    phone       text,
    birth_date  date,
    street      text,
    city        text,
    postal_code text,
    country     char(2) NOT NULL,
    iban        text,
    card_number text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz
);
CREATE TABLE products (
    id          bigint NOT NULL,
    sku         text NOT NULL,
    name        text NOT NULL,
    category    text NOT NULL,
    price       numeric(10,2) NOT NULL CHECK (price >= 0),
    description text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
    id          bigint NOT NULL,
    customer_id bigint NOT NULL,
    status      text NOT NULL CHECK (status IN ('new','paid','shipped','delivered','cancelled')),
    subtotal    numeric(12,2) NOT NULL,
    tax         numeric(12,2) NOT NULL,
    total       numeric(12,2) NOT NULL,
    currency    char(3) NOT NULL DEFAULT 'EUR',
    ordered_at  timestamptz NOT NULL,
    shipped_at  timestamptz,
    ship_name   text,
    ship_to     text,
    note        text
);
CREATE TABLE order_items (
    order_id    bigint NOT NULL,
    line_no     integer NOT NULL,
    product_id  bigint NOT NULL,
    quantity    integer NOT NULL CHECK (quantity > 0),
    unit_price  numeric(10,2) NOT NULL,
    discount    numeric(4,2) NOT NULL DEFAULT 0
);
CREATE TABLE payments (
    id          bigint NOT NULL,
    order_id    bigint NOT NULL,
    method      text NOT NULL,
    amount      numeric(12,2) NOT NULL,
    card_last4  text,
    payer_iban  text,
    paid_at     timestamptz NOT NULL,
    reference   text NOT NULL
);
CREATE TABLE events (
    id          bigint GENERATED BY DEFAULT AS IDENTITY,
    customer_id bigint NOT NULL,
    kind        text NOT NULL,
    payload     jsonb NOT NULL,
    user_agent  text,
    ip          inet,
    created_at  timestamptz NOT NULL
);
CREATE TABLE support_tickets (
    id          bigserial,
    customer_id bigint NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    opened_at   timestamptz NOT NULL,
    agent_email text
);
INSERT INTO products
SELECT g, 'SKU-' || lpad(g::text, 7, '0'),
       (ARRAY['Basic','Premium','Eco','Pro','Mini','Max'])[1 + g % 6] || ' '
           || (ARRAY['kettle','lamp','chair','backpack','headphones','mug','desk','jacket','drill','tent'])[1 + g / 6 % 10]
           || ' ' || g,
       (ARRAY['home','kitchen','outdoor','electronics','fashion','tools','garden','sports'])[1 + g % 8],
       ((g * 7919) % 50000) / 100.0 + 0.99,
       'A ' || (ARRAY['sturdy','light','elegant','compact','durable'])[1 + g % 5]
           || ' product for everyday use. Ships within ' || (1 + g % 9) || ' days.',
       timestamptz '2018-01-01 00:00+00' + (g * 3607 % 200000000) * interval '1 second'
FROM generate_series(1::bigint, 50000) g;
SQL
    # Big tables on two connections at a time.
    src -v n="$customers" <<'SQL' &
INSERT INTO customers
SELECT g,
       (ARRAY['Anna','Ben','Clara','David','Emma','Felix','Greta','Hugo','Ida','Jonas','Karla','Lukas','Mia','Noah','Olga','Paul','Rosa','Simon','Tina','Uwe'])[1 + g % 20],
       (ARRAY['Schmidt','Müller','Meyer','Weber','Fischer','Wagner','Becker','Hoffmann','Schulz','Koch','Richter','Klein','Wolf','Neumann','Braun','Zimmermann','Krüger','Hartmann','Lange','Werner','Krause'])[1 + g / 20 % 21],
       'customer' || g || '@' || (ARRAY['gmail.com','web.de','gmx.net','outlook.com','posteo.de','example.org'])[1 + g % 6],
       '+49 ' || (30 + g % 70) || ' ' || lpad((g * 7919 % 10000000)::text, 7, '0'),
       date '1940-01-01' + (g * 37 % 25000)::int,
       (ARRAY['Hauptstraße','Bahnhofstraße','Gartenweg','Schulstraße','Lindenallee','Dorfstraße','Bergstraße','Waldweg'])[1 + g % 8] || ' ' || (1 + g % 180),
       (ARRAY['Berlin','Hamburg','München','Köln','Frankfurt','Stuttgart','Leipzig','Dresden','Bremen','Hannover'])[1 + g % 10],
       lpad((g * 13 % 99999)::text, 5, '0'),
       (ARRAY['DE','AT','CH','NL','FR'])[1 + g % 5],
       'DE' || lpad((10 + g % 89)::text, 2, '0') || ' 3704 0044 ' || lpad((g % 10000)::text, 4, '0') || ' '
           || lpad((g * 31 % 10000)::text, 4, '0') || ' ' || lpad((g % 100)::text, 2, '0'),
       '4' || lpad((g * 104729 % 1000000000000000)::text, 15, '0'),
       timestamptz '2015-01-01 00:00+00' + (g * 7 % 300000000) * interval '1 second',
       CASE WHEN g % 3 = 0 THEN timestamptz '2024-01-01 00:00+00' + (g % 30000000) * interval '1 second' END
FROM generate_series(1::bigint, :n) g;
SQL
    local p1=$!
    src -v n="$orders" -v c="$customers" <<'SQL' &
INSERT INTO orders
SELECT g, 1 + (g * 7919) % :c,
       (ARRAY['delivered','delivered','delivered','shipped','paid','new','cancelled'])[1 + g % 7],
       s, round(s * 0.19, 2), s + round(s * 0.19, 2), 'EUR',
       ts, CASE WHEN g % 7 < 4 THEN ts + (1 + g % 5) * interval '1 day' END,
       (ARRAY['Anna','Ben','Clara','David','Emma','Felix','Greta','Hugo'])[1 + g % 8] || ' '
           || (ARRAY['Schmidt','Müller','Meyer','Weber','Fischer','Wagner','Becker','Koch','Wolf'])[1 + g / 8 % 9],
       (ARRAY['Hauptstraße','Bahnhofstraße','Gartenweg','Schulstraße','Lindenallee'])[1 + g % 5] || ' '
           || (1 + g % 180) || ', ' || lpad((g * 17 % 99999)::text, 5, '0') || ' '
           || (ARRAY['Berlin','Hamburg','München','Köln','Frankfurt','Leipzig'])[1 + g % 6],
       CASE WHEN g % 5 = 0 THEN 'please ring twice, ' || (ARRAY['neighbour','garage','back door'])[1 + g % 3] END
FROM (SELECT g, ((g * 131) % 50000) / 100.0 + 5 AS s,
             timestamptz '2019-01-01 00:00+00' + (g * 11 % 250000000) * interval '1 second' AS ts
      FROM generate_series(1::bigint, :n) g) x;
SQL
    local p2=$!
    wait "$p1" || die "generating customers failed"
    wait "$p2" || die "generating orders failed"
    src -v n="$orders" <<'SQL' &
INSERT INTO order_items
SELECT o, l, 1 + (o * 31 + l * 17) % 50000, 1 + (o + l) % 4,
       ((o * 7 + l * 13) % 30000) / 100.0 + 0.5, CASE WHEN (o + l) % 10 = 0 THEN 10 ELSE 0 END
FROM generate_series(1::bigint, :n) o, generate_series(1::bigint, 1 + o % 5) l;
SQL
    p1=$!
    src -v n="$orders" -v e="$events" -v c="$customers" -v t="$tickets" >/dev/null <<'SQL' &
INSERT INTO payments
SELECT g, g, m, ((g * 131) % 50000) / 100.0 * 1.19 + 5,
       CASE WHEN m = 'card' THEN lpad((g * 7 % 10000)::text, 4, '0') END,
       CASE WHEN m = 'sepa' THEN 'DE' || lpad((10 + g % 89)::text, 2, '0') || ' 5001 0517 '
                                 || lpad((g % 10000)::text, 4, '0') || ' ' || lpad((g * 3 % 10000)::text, 4, '0') || ' 00' END,
       timestamptz '2019-01-01 00:00+00' + (g * 11 % 250000000) * interval '1 second' + interval '5 minutes',
       'PAY-' || to_hex(g * 2654435761 % 4294967296) || '-' || g
FROM (SELECT g, (ARRAY['card','card','sepa','paypal','invoice'])[1 + g % 5] AS m
      FROM generate_series(1::bigint, :n) g) x;
INSERT INTO events (id, customer_id, kind, payload, user_agent, ip, created_at)
SELECT g, 1 + (g * 104729) % :c, k,
       jsonb_build_object('session', to_hex(g * 2654435761 % 4294967296), 'page', '/p/' || (g % 50000),
                          'kind', k, 'items', jsonb_build_array(g % 50000, (g * 3) % 50000),
                          'referrer', (ARRAY['google','newsletter','direct','ads'])[1 + g % 4],
                          'amount', (g % 10000) / 100.0),
       (ARRAY['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0',
              'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Safari/604.1',
              'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0'])[1 + g % 3],
       ('10.' || (g % 256) || '.' || (g / 256 % 256) || '.' || (g / 65536 % 256))::inet,
       timestamptz '2023-01-01 00:00+00' + (g * 13 % 60000000) * interval '1 second'
FROM (SELECT g, (ARRAY['view','view','view','cart','search','checkout'])[1 + g % 6] AS k
      FROM generate_series(1::bigint, :e) g) x;
SELECT setval(pg_get_serial_sequence('events', 'id'), :e);
INSERT INTO support_tickets (customer_id, subject, body, opened_at, agent_email)
SELECT 1 + (g * 7919) % :c,
       (ARRAY['Where is my parcel?','Refund request','Wrong size','Invoice address','Damaged item'])[1 + g % 5],
       'Hello, my name is ' || (ARRAY['Anna Schmidt','Ben Meyer','Clara Weber','David Koch'])[1 + g % 4]
           || ' and I ordered on ' || (date '2024-01-01' + (g % 600)::int) || '. '
           || repeat('The parcel has not arrived yet and the tracking page shows no update. ', (1 + g % 4)::int)
           || 'Please call me on +49 30 ' || lpad((g * 7 % 10000000)::text, 7, '0') || '. Thanks.',
       timestamptz '2024-01-01 00:00+00' + (g * 17 % 40000000) * interval '1 second',
       CASE WHEN g % 4 > 0 THEN 'agent' || (g % 40) || '@support.shop.example' END
FROM generate_series(1::bigint, :t) g;
SQL
    p2=$!
    wait "$p1" || die "generating order_items failed"
    wait "$p2" || die "generating payments/events/support_tickets failed"
    log "building keys, indexes and foreign keys"
    src <<'SQL' &
ALTER TABLE order_items ADD PRIMARY KEY (order_id, line_no);
CREATE INDEX order_items_product_id_idx ON order_items (product_id);
ALTER TABLE payments ADD PRIMARY KEY (id);
CREATE INDEX payments_order_id_idx ON payments (order_id);
ALTER TABLE support_tickets ADD PRIMARY KEY (id);
CREATE INDEX support_tickets_customer_id_idx ON support_tickets (customer_id);
SQL
    p1=$!
    src <<'SQL' &
ALTER TABLE customers ADD PRIMARY KEY (id);
ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);
CREATE INDEX customers_name_idx ON customers (last_name, first_name);
ALTER TABLE products ADD PRIMARY KEY (id);
ALTER TABLE products ADD CONSTRAINT products_sku_key UNIQUE (sku);
CREATE INDEX products_category_idx ON products (category);
ALTER TABLE orders ADD PRIMARY KEY (id);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE INDEX orders_ordered_at_idx ON orders (ordered_at);
CREATE INDEX orders_open_idx ON orders (status) WHERE status IN ('new', 'paid');
ALTER TABLE events ADD PRIMARY KEY (id);
CREATE INDEX events_customer_id_idx ON events (customer_id);
CREATE INDEX events_kind_created_idx ON events (kind, created_at);
SQL
    p2=$!
    wait "$p1" || die "indexes failed"
    wait "$p2" || die "indexes failed"
    src <<'SQL'
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE order_items ADD CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE;
ALTER TABLE order_items ADD CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id) REFERENCES products (id);
ALTER TABLE payments ADD CONSTRAINT payments_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE events ADD CONSTRAINT events_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE support_tickets ADD CONSTRAINT support_tickets_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id);
CREATE VIEW order_totals AS
    SELECT o.customer_id, count(*) AS orders, sum(o.total) AS revenue FROM orders o GROUP BY o.customer_id;
COMMENT ON TABLE customers IS 'Shop customers (PII)';
SQL
    # Top up with events until the database reaches the requested size.
    local target size per_row extra
    target=$(awk -v g="$GB" 'BEGIN { printf "%d", g * 1024 * 1024 * 1024 }')
    size=$(src -c "SELECT pg_database_size('benchsrc')")
    if (( size < target )); then
        per_row=$(src -c "SELECT pg_total_relation_size('events') / greatest(count(*), 1) FROM events")
        extra=$(( (target - size) / per_row * 105 / 100 + 1000 ))
        log "topping up: $extra more events ($((size / 1048576)) MB so far)"
        src -v e="$extra" <<'SQL'
INSERT INTO events (customer_id, kind, payload, user_agent, ip, created_at)
SELECT 1 + (g * 104729) % 1000, 'view',
       jsonb_build_object('session', to_hex(g * 2654435761 % 4294967296), 'page', '/p/' || (g % 50000),
                          'kind', 'view', 'items', jsonb_build_array(g % 50000, (g * 3) % 50000),
                          'referrer', 'direct', 'amount', (g % 10000) / 100.0),
       'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
       ('10.' || (g % 256) || '.' || (g / 256 % 256) || '.' || (g / 65536 % 256))::inet,
       timestamptz '2025-01-01 00:00+00' + g * interval '1 second'
FROM generate_series(1::bigint, :e) g;
SQL
    fi
    log "VACUUM FREEZE ANALYZE (hint bits set once, so no tool pays for them)"
    src -c "VACUUM (FREEZE, ANALYZE)"
    q "$SRC_PORT" postgres -c "CHECKPOINT"
    size=$(src -c "SELECT pg_database_size('benchsrc')")
    (( size >= target )) || die "benchsrc is only $size bytes (< $target)"
    echo "gb=$GB version=$GEN_VERSION" >"$MARKER"
}

# ---------------------------------------------------------------------------------------------
# EnvSync configs

write_configs() {
    local common
    common=$(cat <<EOF
version: 1
source: { name: benchsrc, dsn: "dbname='benchsrc' host='$SOCK' port='$SRC_PORT' user='postgres'", production: true, max_parallel_reads: $JOBS }
golden: { dsn: "dbname='postgres' host='$SOCK' port='$TGT_PORT' user='postgres'", keep: 5, max_parallel_refreshes: 1 }
regions:
  - name: bench
    dsn: "dbname='region_bench' host='$SOCK' port='$TGT_PORT' user='postgres'"
    timezone: UTC
timeouts: { connect: 10s, statement: 1h }
EOF
)
    cat >"$DIR/unmasked.yaml" <<EOF
# bench_copy.sh: no masking rules; every column is copied as is.
$common
masking: { salt: { env: ENVSYNC_MASK_SALT }, unclassified: keep }
EOF
    # 18 of the 60 columns (30.0 %) masked; the other 42 kept (unclassified: keep).
    cat >"$DIR/masked.yaml" <<EOF
# bench_copy.sh: 18 of 60 columns masked (30.0 %), the rest kept.
$common
masking:
  salt: { env: ENVSYNC_MASK_SALT }
  unclassified: keep
  rules:
    - { column: public.customers.first_name, transform: first_name }
    - { column: public.customers.last_name, transform: last_name }
    - { column: public.customers.email, transform: email, unique: true }
    - { column: public.customers.phone, transform: phone }
    - { column: public.customers.birth_date, transform: date_shift, days: 180 }
    - { column: public.customers.street, transform: address }
    - { column: public.customers.postal_code, transform: hash, length: 5 }
    - { column: public.customers.iban, transform: iban }
    - { column: public.customers.card_number, transform: credit_card }
    - { column: public.orders.ship_name, transform: person_name }
    - { column: public.orders.ship_to, transform: address }
    - { column: public.orders.note, transform: hash, length: 16 }
    - { column: public.payments.card_last4, transform: partial, keep_last: 0 }
    - { column: public.payments.payer_iban, transform: iban }
    - { column: public.payments.reference, transform: hash, length: 24 }
    - { column: public.events.user_agent, transform: hash, length: 16 }
    - { column: public.support_tickets.body, transform: hash }
    - { column: public.support_tickets.agent_email, transform: email }
EOF
    "$ENVSYNCCTL" validate -c "$DIR/unmasked.yaml" >/dev/null || die "unmasked.yaml does not validate"
    "$ENVSYNCCTL" validate -c "$DIR/masked.yaml" >/dev/null || die "masked.yaml does not validate"
}

# ---------------------------------------------------------------------------------------------
# Timed runs

BIG_TABLE=order_items
declare -A SRC_FACTS
copy_facts() {  # PORT DB -> "rows indexes fks sequences"
    q "$1" "$2" -F ' ' -c "SELECT (SELECT count(*) FROM public.$BIG_TABLE),
        (SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'),
        (SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
          WHERE n.nspname = 'public' AND contype = 'f' AND convalidated),
        (SELECT last_value FROM public.events_id_seq)"
}

quiesce() {  # before every timed run: flush what the previous one left behind
    tgt -c "CHECKPOINT" >/dev/null
    q "$SRC_PORT" postgres -c "CHECKPOINT" >/dev/null
    sync
    sleep 2
}

FAILED=0
record() {  # RUN TOOL SECONDS DB-PORT DB-NAME LOG
    local facts
    facts=$(copy_facts "$4" "$5" 2>>"$6") || facts="unreadable"
    if [[ "$facts" != "${SRC_FACTS[all]}" ]]; then
        log "run $1 $2: INCOMPLETE copy in $5: rows/indexes/FKs/sequence '$facts', source '${SRC_FACTS[all]}'"
        printf '%s\t%s\t%s\tINCOMPLETE\n' "$1" "$2" "$3" >>"$RESULTS"
        FAILED=1
        return
    fi
    printf '%s\t%s\t%s\tok\n' "$1" "$2" "$3" >>"$RESULTS"
    log "run $1 $2: $3 s (complete: $facts)"
}

SRC_URI="postgres:///benchsrc?host=$SOCK&port=$SRC_PORT&user=postgres"
TGT_URI="postgres:///bench_tgt?host=$SOCK&port=$TGT_PORT&user=postgres"

fresh_target() {
    tgt -c "DROP DATABASE IF EXISTS bench_tgt WITH (FORCE)"
    tgt -c "CREATE DATABASE bench_tgt TEMPLATE template0"
}

run_A() {  # pgcopydb clone
    local run=$1 logf="$LOGS/run$1-A-pgcopydb.log" t0 t1
    fresh_target
    rm -rf "$WORK/pgcopydb"
    quiesce
    t0=$(now)
    if ! pgcopydb clone --source "$SRC_URI" --target "$TGT_URI" --table-jobs "$JOBS" \
            --index-jobs "$JOBS" --dir "$WORK/pgcopydb" >"$logf" 2>&1; then
        log "run $run A: pgcopydb failed (see $logf)"; FAILED=1
        printf '%s\tA\t-\tERROR\n' "$run" >>"$RESULTS"
    else
        t1=$(now)
        record "$run" A "$(elapsed "$t0" "$t1")" "$TGT_PORT" bench_tgt "$logf"
    fi
    rm -rf "$WORK/pgcopydb"
    tgt -c "DROP DATABASE IF EXISTS bench_tgt WITH (FORCE)"
}

run_B() {  # pg_dump -Fd -jJ + pg_restore -jJ
    local run=$1 logf="$LOGS/run$1-B-pg_dump_restore.log" t0 t1 t2
    fresh_target
    rm -rf "$WORK/dump"
    quiesce
    t0=$(now)
    if pg_dump -Fd -j "$JOBS" -f "$WORK/dump" -d "$SRC_URI" >"$logf" 2>&1 \
            && t1=$(now) \
            && pg_restore -j "$JOBS" -d "$TGT_URI" "$WORK/dump" >>"$logf" 2>&1; then
        t2=$(now)
        echo "pg_dump $(elapsed "$t0" "$t1") s, pg_restore $(elapsed "$t1" "$t2") s, dump $(du -sm "$WORK/dump" | cut -f1) MB" >>"$logf"
        log "run $run B: pg_dump $(elapsed "$t0" "$t1") s + pg_restore $(elapsed "$t1" "$t2") s"
        record "$run" B "$(elapsed "$t0" "$t2")" "$TGT_PORT" bench_tgt "$logf"
    else
        log "run $run B: pg_dump/pg_restore failed (see $logf)"; FAILED=1
        printf '%s\tB\t-\tERROR\n' "$run" >>"$RESULTS"
    fi
    rm -rf "$WORK/dump"
    tgt -c "DROP DATABASE IF EXISTS bench_tgt WITH (FORCE)"
}

run_envsync() {  # RUN TOOL CONFIG
    local run=$1 tool=$2 config=$3 logf t0 t1 out name
    logf="$LOGS/run$1-$2-envsync-${3##*/}"
    logf="${logf%.yaml}.log"
    quiesce
    t0=$(now)
    echo "$t0 START" >"$logf.phases"
    # stderr (progress) with timestamps, for the per-phase breakdown
    if out=$("$ENVSYNCCTL" snapshot create -c "$config" --jobs "$JOBS" \
                2> >(while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done >"$logf")); then
        t1=$(now)
        echo "$t1 END" >>"$logf.phases"
        echo "$out" >>"$logf.out"
        name=$(sed -n 's/^\(golden_v[0-9]*\) ready.*/\1/p' <<<"$out")
        [[ -n $name ]] || die "run $run $tool: cannot find the snapshot name in: $out"
        record "$run" "$tool" "$(elapsed "$t0" "$t1")" "$TGT_PORT" "$name" "$logf"
        if [[ $tool == D ]]; then  # masked: the first customer's email must differ from the source's
            local a b
            a=$(src -c "SELECT email FROM customers WHERE id = 1")
            b=$(q "$TGT_PORT" "$name" -c "SELECT email FROM customers WHERE id = 1")
            [[ $a != "$b" ]] || { log "run $run D: email of customer 1 is not masked"; FAILED=1; }
        fi
        drop_snapshot "$name"
    else
        log "run $run $tool: envsyncctl failed (see $logf)"; FAILED=1
        printf '%s\t%s\t-\tERROR\n' "$run" "$tool" >>"$RESULTS"
    fi
}

drop_snapshot() {  # keeps one golden copy at most on disk; the catalogue row becomes 'pruned'
    tgt -c "ALTER DATABASE \"$1\" WITH IS_TEMPLATE false"
    tgt -c "DROP DATABASE \"$1\" WITH (FORCE)"
    q "$TGT_PORT" envsync_control -c "UPDATE envsync.snapshots SET state = 'pruned' WHERE name = '$1'"
}

# ---------------------------------------------------------------------------------------------
# Report

median_of() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
times_of() { awk -F '\t' -v t="$1" '$2 == t && $4 == "ok" { print $3 }' "$RESULTS"; }

report() {
    local tool label n med lo hi
    declare -A MED
    echo
    echo "Copy benchmark: benchsrc $(src -c "SELECT pg_size_pretty(pg_database_size('benchsrc'))"), jobs $JOBS, $RUNS runs (wall clock, s)"
    printf '%-4s %-46s %4s %9s %9s %9s\n' tool command runs median min max
    for tool in A B C D; do
        case $tool in
            A) label="pgcopydb clone --table-jobs $JOBS --index-jobs $JOBS" ;;
            B) label="pg_dump -Fd -j$JOBS + pg_restore -j$JOBS" ;;
            C) label="envsyncctl snapshot create (unmasked)" ;;
            D) label="envsyncctl snapshot create (masked, 30 %)" ;;
        esac
        n=$(times_of $tool | wc -l)
        med=$(times_of $tool | median_of)
        lo=$(times_of $tool | sort -g | head -1)
        hi=$(times_of $tool | sort -g | tail -1)
        MED[$tool]=$med
        printf '%-4s %-46s %4s %9s %9s %9s\n' "$tool" "$label" "$n" "$med" "${lo:--}" "${hi:--}"
    done
    echo
    echo "Per run (tool order rotates):"
    awk -F '\t' '{ t[$1, $2] = ($4 == "ok" ? $3 : $4); if ($1 > n) n = $1 }
        END { printf "%-4s %9s %9s %9s %9s %7s %7s %7s\n", "run", "A", "B", "C", "D", "C/A", "C/B", "D/C";
              for (r = 1; r <= n; r++) {
                  a = t[r, "A"]; b = t[r, "B"]; c = t[r, "C"]; d = t[r, "D"];
                  printf "%-4s %9s %9s %9s %9s %7s %7s %7s\n", r, a, b, c, d,
                      (a + 0 > 0 && c + 0 > 0) ? sprintf("%.2f", c / a) : "-",
                      (b + 0 > 0 && c + 0 > 0) ? sprintf("%.2f", c / b) : "-",
                      (c + 0 > 0 && d + 0 > 0) ? sprintf("%.2f", d / c) : "-" } }' "$RESULTS"
    echo
    echo "Ratios of medians:"
    ratio() {  # NAME NUM DEN LIMIT
        awk -v name="$1" -v n="$2" -v d="$3" -v lim="$4" 'BEGIN {
            if (n == "nan" || d == "nan" || d == 0) { printf "  %-32s    n/a\n", name; exit }
            r = n / d; printf "  %-32s %6.2fx  (target <= %.2fx)  %s\n", name, r, lim, (r <= lim ? "PASS" : "FAIL") }'
    }
    ratio "C/A  EnvSync / pgcopydb" "${MED[C]}" "${MED[A]}" 1.0
    ratio "C/B  EnvSync / pg_dump+restore" "${MED[C]}" "${MED[B]}" 0.85
    ratio "D/C  masked / unmasked" "${MED[D]}" "${MED[C]}" 1.15
    echo
    echo "EnvSync phases (median s over the runs; from the timestamped progress lines):"
    local t
    for t in C D; do
        for f in "$LOGS"/run*-$t-envsync-*.log; do
            [[ -f $f.phases ]] || continue
            # phase starts: process start, "copy <phase>" first seen, "snapshot: publishing", exit
            cat "$f.phases" "$f" "$f.phases" | sort -g -s -k1,1 | awk -v tool="$t" '
                $2 == "START" { start = $1 }
                $2 == "END" { end = $1 }
                $2 == "copy" && !seen[$3]++ { at[$3] = $1 }
                $2 == "snapshot:" && $3 == "publishing" { at["publish"] = $1 }
                END {
                    n = split("schema data indexes constraints sequences analyze done publish", p, " ")
                    prev = start; name = "setup"
                    for (i = 1; i <= n; i++) if (p[i] in at) {
                        printf "%s %s %.2f\n", tool, name, at[p[i]] - prev; prev = at[p[i]]; name = p[i] }
                    printf "%s %s %.2f\n", tool, name, end - prev }'
        done
    done | awk '{ k = $1 " " $2; if (!(k in n)) order[++m] = k; v[k, ++n[k]] = $3 }
        END { printf "  %-4s %-12s %s\n", "tool", "phase", "median s (runs)";
              for (i = 1; i <= m; i++) { k = order[i]; c = n[k];
                  # insertion sort of the values of k
                  for (a = 1; a <= c; a++) s[a] = v[k, a];
                  for (a = 2; a <= c; a++) { x = s[a]; b = a - 1; while (b >= 1 && s[b] > x) { s[b + 1] = s[b]; b-- } s[b + 1] = x }
                  med = (c % 2) ? s[(c + 1) / 2] : (s[c / 2] + s[c / 2 + 1]) / 2
                  split(k, kk, " "); printf "  %-4s %-12s %8.2f (%d)\n", kk[1], kk[2], med, c } }'
}

# ---------------------------------------------------------------------------------------------
# Main

mkdir -p "$DIR"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$DIR"; fi
rm -rf "$WORK" "$LOGS"
mkdir -p "$SOCK" "$WORK" "$LOGS"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$SOCK"; fi
log "start; uptime:$(uptime)"
echo "start $(date -u +%FT%TZ) $(uptime)" >"$DIR/uptime.txt"

if [[ -f $MARKER && "$(cat "$MARKER")" == "gb=$GB version=$GEN_VERSION" ]]; then
    log "reusing the source cluster in $SRC_DATA (generated with --gb $GB)"
    start_cluster "$SRC_DATA"
else
    init_cluster "$SRC_DATA" "$SRC_PORT"
    start_cluster "$SRC_DATA"
    t0=$(now)
    generate_source
    log "generated in $(elapsed "$t0" "$(now)") s"
fi
init_cluster "$TGT_DATA" "$TGT_PORT"
start_cluster "$TGT_DATA"
tgt -c "CREATE DATABASE region_bench"

SRC_FACTS[all]=$(copy_facts "$SRC_PORT" benchsrc)
SRC_SIZE=$(src -c "SELECT pg_size_pretty(pg_database_size('benchsrc')) || ' (' || pg_database_size('benchsrc') || ' bytes)'")
log "source: $SRC_SIZE, $BIG_TABLE rows / indexes / FKs / events_id_seq: ${SRC_FACTS[all]}"
src -F $'\t' -c "SELECT c.relname, c.reltuples::bigint, pg_size_pretty(pg_relation_size(c.oid)),
                        pg_size_pretty(pg_indexes_size(c.oid))
                 FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
                 ORDER BY pg_total_relation_size(c.oid) DESC" >"$DIR/tables.tsv"
column -t -s $'\t' -N table,rows,heap,indexes "$DIR/tables.tsv" >&2 || cat "$DIR/tables.tsv" >&2

write_configs
# The catalogue (envsync_control) is created by the first command that opens it: do that
# untimed, and read the source once so every timed run starts from a warm cache.
"$ENVSYNCCTL" snapshot list -c "$DIR/unmasked.yaml" >/dev/null
src -c "SELECT sum(n) FROM (SELECT count(*) AS n FROM customers UNION ALL SELECT count(*) FROM orders
        UNION ALL SELECT count(*) FROM order_items UNION ALL SELECT count(*) FROM payments
        UNION ALL SELECT count(*) FROM events UNION ALL SELECT count(*) FROM support_tickets
        UNION ALL SELECT count(*) FROM products) x" >/dev/null

: >"$RESULTS"
read -r -a tools <<<"$TOOLS"
for ((run = 1; run <= RUNS; run++)); do
    order=()
    for ((i = 0; i < ${#tools[@]}; i++)); do order+=("${tools[$(((i + run - 1) % ${#tools[@]}))]}"); done
    log "run $run/$RUNS: order ${order[*]}; load:$(uptime | sed 's/.*load average://')"
    for tool in "${order[@]}"; do
        case $tool in
            A) run_A "$run" ;;
            B) run_B "$run" ;;
            C) run_envsync "$run" C "$DIR/unmasked.yaml" ;;
            D) run_envsync "$run" D "$DIR/masked.yaml" ;;
        esac
    done
done

report | tee "$DIR/report.txt"

if [[ -x $BENCH_MASK ]]; then
    echo
    echo "bench_mask (one core):"
    "$BENCH_MASK" | tee "$DIR/bench_mask.txt"
else
    log "bench_mask not built ($BENCH_MASK): skipped"
fi
echo "end   $(date -u +%FT%TZ) $(uptime)" >>"$DIR/uptime.txt"
log "end; uptime:$(uptime)"
cat "$DIR/uptime.txt"
if [[ $FAILED -ne 0 ]]; then
    log "some runs failed or were incomplete (see $LOGS); they are left out of the figures"
    exit 1
fi
exit 0
