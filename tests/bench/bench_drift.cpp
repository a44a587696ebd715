// bench_drift: the schema-drift engine against pg_dump --schema-only (issue "Schema drift",
// Performance: snapshot ≤ 1.5× pg_dump --schema-only, diff of two snapshots < 1 s, on a
// generated database with 5,000 tables).
//
//   bench_drift [--tables N] [--runs R] [--drift D] [--seed S] [--warmup W] [--dir PATH]
//               [--keep-cluster]
//
// Starts a throw-away cluster under /tmp, generates database bench_ref (N tables across six
// schemas, with identity/serial keys, defaults, NOT NULL, checks, FKs to earlier tables,
// partial/expression/unique/GIN indexes, comments, ~N/10 views, a few materialized views,
// functions, procedures, triggers, enums and domains), copies it to bench_drifted
// (CREATE DATABASE … TEMPLATE) and applies D random drift changes there. Then R times,
// interleaved: pg_dump --schema-only of each database (wall clock of the process), EnvSync
// readCatalog of each on a fresh connection (connect included), diff(drifted → ref) and
// reconcileSql. Not a CTest test: run it by hand (see RESULTS.md).

#include "core/db/connection.h"
#include "core/demo/localcluster.h"
#include "core/drift/catalogreader.h"
#include "core/drift/ddl.h"
#include "core/drift/diff.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

namespace fs = std::filesystem;
namespace drift = envsync::drift;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// Thrown for fatal errors; main() stops the cluster before it exits.
[[noreturn]] void die(const std::string &message)
{
    throw std::runtime_error(message);
}

std::string readSmallFile(const fs::path &path)
{
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string trimmed(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

struct Options
{
    int tables = 5000;
    int runs = 5;
    int driftChanges = 200;
    int warmup = 1;
    unsigned seed = 42;
    bool keepCluster = false;
    std::string dir; ///< empty: /tmp/envsync-bench-<pid>, removed at the end
};

void usage(FILE *out)
{
    std::fprintf(
            out,
            "usage: bench_drift [--tables N] [--runs R] [--drift D] [--seed S] [--warmup W]\n"
            "                   [--dir PATH] [--keep-cluster]\n"
            "  --tables N      tables in the generated database (default 5000)\n"
            "  --runs R        timed runs, interleaved (default 5)\n"
            "  --drift D       random drift changes applied to the copy (default 200)\n"
            "  --seed S        generator seed (default 42)\n"
            "  --warmup W      untimed runs before the timed ones (default 1)\n"
            "  --dir PATH      cluster directory; reused (no regeneration) when it holds a\n"
            "                  cluster generated with the same N/seed/D; never deleted\n"
            "  --keep-cluster  leave the cluster running at the end (prints how to stop it)\n");
}

int intArgument(int argc, char **argv, int &i, int minimum)
{
    if (i + 1 >= argc)
        die(std::string("missing value for ") + argv[i]);
    char *end = nullptr;
    const long value = std::strtol(argv[++i], &end, 10);
    if (!end || *end || value < minimum || value > 10'000'000)
        die(std::string("bad value for ") + argv[i - 1] + ": " + argv[i]);
    return static_cast<int>(value);
}

Options parseOptions(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--tables")
            o.tables = intArgument(argc, argv, i, 10);
        else if (arg == "--runs")
            o.runs = intArgument(argc, argv, i, 1);
        else if (arg == "--drift")
            o.driftChanges = intArgument(argc, argv, i, 0);
        else if (arg == "--seed")
            o.seed = static_cast<unsigned>(intArgument(argc, argv, i, 0));
        else if (arg == "--warmup")
            o.warmup = intArgument(argc, argv, i, 0);
        else if (arg == "--dir") {
            if (i + 1 >= argc)
                die("missing value for --dir");
            o.dir = argv[++i];
        } else if (arg == "--keep-cluster")
            o.keepCluster = true;
        else if (arg == "--help" || arg == "-h") {
            usage(stdout);
            std::exit(0);
        } else {
            usage(stderr);
            die("unknown argument: " + std::string(arg));
        }
    }
    return o;
}

// ---------------------------------------------------------------------------------------------
// The generated schema (kept in memory so drift changes pick valid targets)
// ---------------------------------------------------------------------------------------------

constexpr std::array<std::string_view, 6> kSchemas
        = {"core", "sales", "inventory", "hr", "billing", "audit"};
constexpr std::array<std::string_view, 12> kWords
        = {"customer", "order",   "item",  "invoice",  "payment", "shipment",
           "account",  "product", "stock", "contract", "ticket",  "employee"};

struct PoolColumn
{
    std::string_view name;
    std::string_view type;
    std::string_view defaultExpr; ///< empty: none
    bool notNull;
    std::string_view check; ///< empty: none
    bool btree;             ///< a plain B-tree index makes sense on it
};

constexpr std::array<PoolColumn, 25> kPool = {{
        {"name", "text", "", true, "", true},
        {"code", "varchar(32)", "", true, "", true},
        {"description", "text", "", false, "", false},
        {"email", "varchar(255)", "", false, "email LIKE '%@%'", true},
        {"amount", "numeric(12,2)", "0", true, "amount >= 0", true},
        {"quantity", "integer", "0", true, "quantity >= 0", true},
        {"ref_no", "bigint", "", false, "", true},
        {"is_active", "boolean", "true", true, "", false},
        {"created_at", "timestamp with time zone", "now()", true, "", true},
        {"updated_at", "timestamp with time zone", "", false, "", true},
        {"valid_from", "date", "CURRENT_DATE", false, "", true},
        {"attrs", "jsonb", "'{}'::jsonb", true, "", false},
        {"tags", "text[]", "'{}'::text[]", false, "", false},
        {"external_id", "uuid", "", false, "", true},
        {"status", "core.status_t", "'new'::core.status_t", true, "", true},
        {"priority", "core.priority_t", "", false, "", true},
        {"channel", "core.channel_t", "", false, "", true},
        {"state", "sales.order_state_t", "'draft'::sales.order_state_t", true, "", true},
        {"currency", "billing.currency_t", "'EUR'::billing.currency_t", true, "", true},
        {"ratio", "double precision", "", false, "ratio BETWEEN 0 AND 1", true},
        {"payload", "bytea", "", false, "", false},
        {"score", "smallint", "0", false, "score BETWEEN -100 AND 100", true},
        {"country", "char(2)", "", false, "", true},
        {"fee", "core.positive_amount", "", false, "", true},
        {"contact", "core.email_address", "", false, "", true},
}};

struct Column
{
    std::string name;
    std::string type;
    std::string defaultExpr;
    bool notNull = false;
    bool pinned = false; ///< used by a view, a trigger, the key or a FK: never dropped or retyped
    bool btree = false;
    bool pool = false; ///< a plain data column (not id, not a FK column)
};

struct Table
{
    int id = 0;
    std::string schema;
    std::string name;
    std::vector<Column> columns;
    std::vector<int> parents;
    std::vector<std::string> fkColumns;
    std::vector<std::string> fkNames;
    std::vector<std::string> indexes; ///< secondary index names (in schema)
    std::vector<std::string> checks;
    std::string trigger;
    int children = 0;
    int views = 0;
    bool dropped = false;

    [[nodiscard]] std::string q() const { return schema + '.' + name; }
    Column *column(std::string_view wanted)
    {
        for (auto &c : columns) {
            if (c.name == wanted)
                return &c;
        }
        return nullptr;
    }
};

struct View
{
    std::string schema;
    std::string name;
    std::string select; ///< "SELECT … FROM …"
    std::string where;  ///< without WHERE; may be empty
    std::string tail;   ///< " GROUP BY …" or empty
    bool materialized = false;
    bool hasDependents = false;
    bool onView = false;
    bool dropped = false;

    [[nodiscard]] std::string q() const { return schema + '.' + name; }
    [[nodiscard]] std::string body(const std::string &extraCondition = {}) const
    {
        std::string condition = where;
        if (!extraCondition.empty())
            condition = condition.empty() ? extraCondition : condition + " AND " + extraCondition;
        return select + (condition.empty() ? std::string() : " WHERE " + condition) + tail;
    }
};

struct Function
{
    std::string header; ///< "CREATE OR REPLACE FUNCTION … AS $$"
    std::string body;
    std::string changedBody;
};

struct Model
{
    std::vector<Table> tables;
    std::vector<View> views;
    std::vector<Function> functions;
    int triggers = 0;
    int materializedViews = 0;
    int identityKeys = 0;
    int serialKeys = 0;
};

class Rng
{
public:
    explicit Rng(unsigned seed)
        : m_engine(seed)
    {
    }
    int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_engine); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(m_engine) < p; }
    template<typename T> void shuffle(std::vector<T> &items)
    {
        std::shuffle(items.begin(), items.end(), m_engine);
    }

private:
    std::mt19937 m_engine;
};

std::string padded(int value, int width)
{
    std::string s = std::to_string(value);
    return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(s.size()))),
                       '0')
           + s;
}

std::string preludeSql()
{
    std::string sql;
    for (const auto schema : kSchemas)
        sql += "CREATE SCHEMA " + std::string(schema) + ";\n";
    sql += "COMMENT ON SCHEMA sales IS 'Orders, quotes and the sales pipeline';\n"
           "COMMENT ON SCHEMA audit IS 'Row change audit trail';\n"
           "CREATE TYPE core.status_t AS ENUM ('new', 'active', 'suspended', 'closed');\n"
           "CREATE TYPE core.priority_t AS ENUM ('low', 'medium', 'high', 'urgent');\n"
           "CREATE TYPE core.channel_t AS ENUM ('web', 'store', 'phone', 'partner');\n"
           "CREATE TYPE sales.order_state_t AS ENUM ('draft', 'placed', 'paid', 'shipped', "
           "'cancelled');\n"
           "CREATE TYPE billing.currency_t AS ENUM ('EUR', 'USD', 'GBP', 'CHF', 'JPY');\n"
           "CREATE TYPE hr.employment_t AS ENUM ('full_time', 'part_time', 'contractor');\n"
           "COMMENT ON TYPE core.status_t IS 'Life cycle of most business objects';\n"
           "CREATE DOMAIN core.positive_amount AS numeric(12,2) CHECK (VALUE >= 0);\n"
           "CREATE DOMAIN core.email_address AS varchar(320) CHECK (VALUE LIKE '%@%');\n"
           "CREATE TABLE audit.event_log (id bigserial PRIMARY KEY, table_name text NOT NULL, "
           "op text NOT NULL, at timestamptz NOT NULL DEFAULT now());\n"
           "CREATE FUNCTION core.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n"
           "BEGIN\n  NEW.updated_at := now();\n  RETURN NEW;\nEND\n$$;\n"
           "CREATE FUNCTION core.audit_row() RETURNS trigger LANGUAGE plpgsql AS $$\n"
           "BEGIN\n  INSERT INTO audit.event_log (table_name, op) VALUES (TG_TABLE_NAME, TG_OP);\n"
           "  RETURN NULL;\nEND\n$$;\n"
           "CREATE FUNCTION core.label(p_id bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$ "
           "SELECT 'id-' || p_id::text $$;\n";
    return sql;
}

/// Builds table `id` in the model and returns its DDL.
std::string generateTable(Model &model, Rng &rng, int id)
{
    Table t;
    t.id = id;
    t.schema = std::string(kSchemas[static_cast<std::size_t>(id) % kSchemas.size()]);
    t.name = std::string(kWords[static_cast<std::size_t>(id * 7 + id / 12) % kWords.size()]) + '_'
             + padded(id, 5);
    const bool identity = rng.chance(0.7);
    (identity ? model.identityKeys : model.serialKeys)++;
    t.columns.push_back({"id", "bigint", "", true, true, true, false});

    const int parentCount = id == 0 ? 0 : rng.chance(0.3) ? 0 : rng.chance(0.75) ? 1 : 2;
    for (int k = 0; k < parentCount; ++k) {
        const int window = std::min(id, 300);
        const int parent = id - 1 - rng.between(0, window - 1);
        if (std::ranges::find(t.parents, parent) != t.parents.end())
            continue;
        t.parents.push_back(parent);
        Table &p = model.tables[static_cast<std::size_t>(parent)];
        p.children++;
        const std::string column = p.name + "_id";
        t.fkColumns.push_back(column);
        t.fkNames.push_back(t.name + '_' + column + "_fkey");
        t.columns.push_back({column, "bigint", "", rng.chance(0.6), true, true, false});
    }

    const int total = rng.between(5, 12);
    const int poolCount = std::max(2, total - static_cast<int>(t.columns.size()));
    std::vector<std::size_t> choice(kPool.size());
    for (std::size_t i = 0; i < choice.size(); ++i)
        choice[i] = i;
    rng.shuffle(choice);
    choice.resize(static_cast<std::size_t>(poolCount));
    std::ranges::sort(choice);
    std::vector<std::string> constraints;
    constraints.push_back("CONSTRAINT " + t.name + "_pkey PRIMARY KEY (id)");
    for (std::size_t k = 0; k < t.parents.size(); ++k) {
        static constexpr std::array<std::string_view, 4> actions
                = {"", " ON DELETE CASCADE", " ON DELETE RESTRICT", " ON DELETE SET NULL"};
        const Column *fk = t.column(t.fkColumns[k]);
        std::string_view action = actions[static_cast<std::size_t>(rng.between(0, 3))];
        if (fk->notNull && action == " ON DELETE SET NULL")
            action = " ON DELETE CASCADE";
        constraints.push_back("CONSTRAINT " + t.fkNames[k] + " FOREIGN KEY (" + t.fkColumns[k]
                              + ") REFERENCES "
                              + model.tables[static_cast<std::size_t>(t.parents[k])].q() + " (id)"
                              + std::string(action));
    }
    for (const std::size_t index : choice) {
        const PoolColumn &pc = kPool[index];
        t.columns.push_back({std::string(pc.name), std::string(pc.type),
                             std::string(pc.defaultExpr), pc.notNull, false, pc.btree, true});
        if (!pc.check.empty() && rng.chance(0.7)) {
            t.checks.push_back(t.name + '_' + std::string(pc.name) + "_check");
            constraints.push_back("CONSTRAINT " + t.checks.back() + " CHECK ("
                                  + std::string(pc.check) + ')');
        }
    }
    if (t.column("code") && rng.chance(0.3))
        constraints.push_back("CONSTRAINT " + t.name + "_code_key UNIQUE (code)");

    std::string sql = "CREATE TABLE " + t.q() + " (\n";
    for (const auto &c : t.columns) {
        if (c.name == "id")
            sql += identity ? "    id bigint GENERATED BY DEFAULT AS IDENTITY,\n"
                            : "    id bigserial,\n";
        else
            sql += "    " + c.name + ' ' + c.type
                   + (c.defaultExpr.empty() ? std::string() : " DEFAULT " + c.defaultExpr)
                   + (c.notNull ? " NOT NULL" : "") + ",\n";
    }
    for (std::size_t i = 0; i < constraints.size(); ++i)
        sql += "    " + constraints[i] + (i + 1 < constraints.size() ? ",\n" : "\n");
    sql += ");\n";

    // 1–2 secondary indexes: FK columns first, then partial, expression, unique and GIN ones.
    std::vector<std::pair<std::string, std::string>> candidates; // name, definition
    for (const auto &column : t.fkColumns)
        candidates.emplace_back(t.name + '_' + column + "_idx", "(" + column + ")");
    std::vector<std::pair<std::string, std::string>> others;
    if (t.column("created_at") && t.column("is_active"))
        others.emplace_back(t.name + "_active_created_idx", "(created_at) WHERE is_active");
    if (t.column("name"))
        others.emplace_back(t.name + "_lower_name_idx", "(lower(name))");
    if (t.column("status"))
        others.emplace_back(t.name + "_open_idx", "(id) WHERE status <> 'closed'::core.status_t");
    if (t.column("email"))
        others.emplace_back(t.name + "_email_uidx", "UNIQUE (lower((email)::text))");
    if (t.column("attrs"))
        others.emplace_back(t.name + "_attrs_gin", "USING gin (attrs)");
    for (const auto &c : t.columns) {
        if (c.pool && c.btree) {
            others.emplace_back(t.name + '_' + c.name + "_idx", "(" + c.name + ")");
            break;
        }
    }
    rng.shuffle(others);
    if (!candidates.empty() && !rng.chance(0.7))
        candidates.resize(candidates.size() - 1);
    candidates.insert(candidates.end(), others.begin(), others.end());
    const std::size_t indexCount = static_cast<std::size_t>(rng.between(1, 2));
    for (std::size_t i = 0; i < std::min(indexCount, candidates.size()); ++i) {
        const auto &[name, definition] = candidates[i];
        t.indexes.push_back(name);
        if (definition.starts_with("UNIQUE "))
            sql += "CREATE UNIQUE INDEX " + name + " ON " + t.q() + ' ' + definition.substr(7)
                   + ";\n";
        else
            sql += "CREATE INDEX " + name + " ON " + t.q() + ' ' + definition + ";\n";
    }
    if (rng.chance(0.1)) {
        sql += "COMMENT ON TABLE " + t.q() + " IS 'The " + t.name
               + " records; generated for the EnvSync drift benchmark';\n";
        const Column &c = t.columns.back();
        sql += "COMMENT ON COLUMN " + t.q() + '.' + c.name + " IS 'What " + c.name + " means for "
               + t.name + "';\n";
    }
    model.tables.push_back(std::move(t));
    return sql;
}

/// The first plain column of a table (pinned: a view reads it).
std::string firstPoolColumn(Table &t)
{
    for (auto &c : t.columns) {
        if (c.pool) {
            c.pinned = true;
            return c.name;
        }
    }
    return "id";
}

std::string generateViews(Model &model, Rng &rng, int count, int materializedCount)
{
    std::vector<int> candidates;
    for (const auto &t : model.tables) {
        if (!t.parents.empty())
            candidates.push_back(t.id);
    }
    rng.shuffle(candidates);
    std::string sql;
    int made = 0;
    for (std::size_t i = 0; i < candidates.size() && made < count + materializedCount; ++i) {
        Table &c = model.tables[static_cast<std::size_t>(candidates[i])];
        Table &p = model.tables[static_cast<std::size_t>(c.parents.front())];
        const std::string from
                = " FROM " + c.q() + " c JOIN " + p.q() + " p ON p.id = c." + c.fkColumns.front();
        View v;
        v.schema = c.schema;
        const bool materialized = made >= count;
        v.materialized = materialized;
        if (materialized || made % 10 == 0) {
            v.name = (materialized ? "mv_" : "v_") + c.name + "_per_parent";
            v.select = "SELECT p.id AS parent_id, count(*) AS children, max(c.id) AS last_child_id"
                       + from;
            v.tail = " GROUP BY p.id";
        } else {
            const std::string cc = firstPoolColumn(c);
            const std::string pc = firstPoolColumn(p);
            v.name = "v_" + c.name;
            v.select = "SELECT c.id, c." + cc + ", p.id AS parent_id, p." + pc + " AS parent_" + pc
                       + from;
            if (Column *active = c.column("is_active")) {
                active->pinned = true;
                v.where = "c.is_active";
            }
        }
        c.views++;
        p.views++;
        if (materialized) {
            sql += "CREATE MATERIALIZED VIEW " + v.q() + " AS " + v.body() + " WITH NO DATA;\n";
            sql += "CREATE UNIQUE INDEX " + v.name + "_parent_idx ON " + v.q() + " (parent_id);\n";
            model.materializedViews++;
        } else {
            sql += "CREATE VIEW " + v.q() + " AS " + v.body() + ";\n";
        }
        if (rng.chance(0.1))
            sql += std::string("COMMENT ON ") + (materialized ? "MATERIALIZED VIEW " : "VIEW ")
                   + v.q() + " IS 'Report over " + c.name + "';\n";
        ++made;
        if (!materialized && made % 20 == 5 && made < count) {
            // A view on a view that calls a function.
            v.hasDependents = true;
            View w;
            w.schema = v.schema;
            w.name = v.name + "_labeled";
            w.select = "SELECT v.*, core.label(v.parent_id) AS parent_label FROM " + v.q() + " v";
            w.onView = true;
            sql += "CREATE VIEW " + w.q() + " AS " + w.body() + ";\n";
            model.views.push_back(std::move(v));
            model.views.push_back(std::move(w));
            ++made;
        } else {
            model.views.push_back(std::move(v));
        }
    }
    return sql;
}

std::string generateFunctions(Model &model, Rng &rng, int count)
{
    std::vector<int> candidates;
    for (const auto &t : model.tables) {
        if (!t.parents.empty())
            candidates.push_back(t.id);
    }
    rng.shuffle(candidates);
    std::string sql;
    for (int k = 0; k < count && k < static_cast<int>(candidates.size()); ++k) {
        const Table &t
                = model.tables[static_cast<std::size_t>(candidates[static_cast<std::size_t>(k)])];
        Function f;
        switch (k % 3) {
        case 0:
            f.header = "CREATE OR REPLACE FUNCTION " + t.schema + '.' + t.name
                       + "_count(p_parent bigint) RETURNS bigint LANGUAGE sql STABLE AS $$";
            f.body = " SELECT count(*) FROM " + t.q() + " WHERE " + t.fkColumns.front()
                     + " = p_parent ";
            f.changedBody = " SELECT count(*) FROM " + t.q() + " WHERE " + t.fkColumns.front()
                            + " = p_parent AND id > 0 ";
            break;
        case 1:
            f.header = "CREATE OR REPLACE FUNCTION " + t.schema + '.' + t.name
                       + "_exists(p_id bigint) RETURNS boolean LANGUAGE plpgsql STABLE AS $$";
            f.body = "\nBEGIN\n  RETURN EXISTS (SELECT 1 FROM " + t.q()
                     + " WHERE id = p_id);\nEND\n";
            f.changedBody = "\nBEGIN\n  IF p_id IS NULL THEN\n    RETURN false;\n  END IF;\n"
                            "  RETURN EXISTS (SELECT 1 FROM "
                            + t.q() + " WHERE id = p_id);\nEND\n";
            break;
        default:
            f.header = "CREATE OR REPLACE PROCEDURE " + t.schema + '.' + t.name
                       + "_purge(p_keep integer DEFAULT 1000) LANGUAGE plpgsql AS $$";
            f.body = "\nBEGIN\n  DELETE FROM " + t.q()
                     + " WHERE id < (SELECT max(id) - p_keep FROM " + t.q() + ");\nEND\n";
            f.changedBody = "\nBEGIN\n  DELETE FROM " + t.q()
                            + " WHERE id < (SELECT max(id) - p_keep FROM " + t.q()
                            + ");\n  COMMIT;\nEND\n";
            break;
        }
        sql += f.header + f.body + "$$;\n";
        model.functions.push_back(std::move(f));
    }
    return sql;
}

std::string generateTriggers(Model &model, Rng &rng, int count)
{
    std::vector<int> candidates;
    for (const auto &t : model.tables)
        candidates.push_back(t.id);
    rng.shuffle(candidates);
    std::string sql;
    for (int k = 0; k < count && k < static_cast<int>(candidates.size()); ++k) {
        Table &t = model.tables[static_cast<std::size_t>(candidates[static_cast<std::size_t>(k)])];
        if (Column *updated = t.column("updated_at")) {
            updated->pinned = true;
            t.trigger = t.name + "_touch_trg";
            sql += "CREATE TRIGGER " + t.trigger + " BEFORE UPDATE ON " + t.q()
                   + " FOR EACH ROW EXECUTE FUNCTION core.touch_updated_at();\n";
        } else {
            t.trigger = t.name + "_audit_trg";
            sql += "CREATE TRIGGER " + t.trigger + " AFTER INSERT OR UPDATE OR DELETE ON " + t.q()
                   + " FOR EACH ROW EXECUTE FUNCTION core.audit_row();\n";
        }
        model.triggers++;
    }
    return sql;
}

// ---------------------------------------------------------------------------------------------
// Drift changes
// ---------------------------------------------------------------------------------------------

enum class Change {
    AddColumn,
    DropColumn,
    RetypeColumn,
    NotNull,
    Default,
    DropIndex,
    AddIndex,
    ChangeIndex,
    DropCheck,
    AddCheck,
    ForeignKey,
    Comment,
    DropTable,
    AddTable,
    ChangeView,
    DropView,
    ChangeFunction,
    EnumValue,
    DropTrigger,
    Reloptions,
};

/// Share per 200 changes.
constexpr std::array<std::pair<Change, int>, 20> kChangeMix = {{
        {Change::AddColumn, 20},  {Change::DropColumn, 15},    {Change::RetypeColumn, 20},
        {Change::NotNull, 20},    {Change::Default, 20},       {Change::DropIndex, 10},
        {Change::AddIndex, 12},   {Change::ChangeIndex, 5},    {Change::DropCheck, 8},
        {Change::AddCheck, 8},    {Change::ForeignKey, 10},    {Change::Comment, 15},
        {Change::DropTable, 5},   {Change::AddTable, 5},       {Change::ChangeView, 8},
        {Change::DropView, 4},    {Change::ChangeFunction, 5}, {Change::EnumValue, 2},
        {Change::DropTrigger, 3}, {Change::Reloptions, 5},
}};

class Drifter
{
public:
    Drifter(Model &model, Rng &rng)
        : m_model(model)
        , m_rng(rng)
    {
    }

    /// One change as SQL (one or more statements); empty when no target fits.
    std::string make(Change change, int serial);

private:
    template<typename Pred> Table *pickTable(Pred pred)
    {
        const int n = static_cast<int>(m_model.tables.size());
        for (int attempt = 0; attempt < 4 * n; ++attempt) {
            Table &t = m_model.tables[static_cast<std::size_t>(m_rng.between(0, n - 1))];
            if (t.dropped || m_touched.contains(t.id) || !pred(t))
                continue;
            m_touched.insert(t.id);
            return &t;
        }
        return nullptr;
    }
    template<typename Pred> Column *pickColumn(Table &t, Pred pred)
    {
        std::vector<Column *> fits;
        for (auto &c : t.columns) {
            if (pred(c))
                fits.push_back(&c);
        }
        return fits.empty() ? nullptr
                            : fits[static_cast<std::size_t>(
                                    m_rng.between(0, static_cast<int>(fits.size()) - 1))];
    }
    static std::string retypeTarget(const std::string &type)
    {
        static const std::map<std::string, std::string> rules
                = {{"varchar(32)", "varchar(64)"},     {"integer", "bigint"},
                   {"numeric(12,2)", "numeric(14,2)"}, {"smallint", "integer"},
                   {"varchar(255)", "text"},           {"char(2)", "varchar(3)"},
                   {"double precision", "numeric"},    {"text", "varchar(200)"},
                   {"bigint", "numeric(20,0)"}};
        const auto it = rules.find(type);
        return it == rules.end() ? std::string() : it->second;
    }
    static std::string otherDefault(const Column &c)
    {
        static const std::map<std::string, std::string> defaults
                = {{"amount", "1"},
                   {"quantity", "1"},
                   {"is_active", "false"},
                   {"created_at", "clock_timestamp()"},
                   {"attrs", "'{\"v\": 1}'::jsonb"},
                   {"tags", "'{drift}'::text[]"},
                   {"valid_from", "'2000-01-01'::date"},
                   {"status", "'active'::core.status_t"},
                   {"state", "'placed'::sales.order_state_t"},
                   {"currency", "'USD'::billing.currency_t"},
                   {"score", "1"}};
        const auto it = defaults.find(c.name);
        return it == defaults.end() ? std::string() : it->second;
    }

    Model &m_model;
    Rng &m_rng;
    std::set<int> m_touched;
};

std::string Drifter::make(Change change, int serial)
{
    const std::string k = std::to_string(serial);
    switch (change) {
    case Change::AddColumn: {
        Table *t = pickTable([](const Table &) { return true; });
        if (!t)
            return {};
        static constexpr std::array<std::string_view, 4> types
                = {"text", "integer NOT NULL DEFAULT 0", "timestamp with time zone",
                   "boolean DEFAULT false"};
        return "ALTER TABLE " + t->q() + " ADD COLUMN drift_" + k + ' '
               + std::string(types[static_cast<std::size_t>(serial) % types.size()]);
    }
    case Change::DropColumn: {
        Table *t = pickTable([](const Table &x) {
            return std::ranges::any_of(x.columns,
                                       [](const Column &c) { return c.pool && !c.pinned; });
        });
        if (!t)
            return {};
        Column *c = pickColumn(*t, [](const Column &x) { return x.pool && !x.pinned; });
        const std::string sql = "ALTER TABLE " + t->q() + " DROP COLUMN " + c->name;
        std::erase_if(t->columns, [&](const Column &x) { return &x == c; });
        return sql;
    }
    case Change::RetypeColumn: {
        auto fits = [](const Column &c) {
            return c.pool && !c.pinned && !retypeTarget(c.type).empty();
        };
        Table *t = pickTable([&](const Table &x) { return std::ranges::any_of(x.columns, fits); });
        if (!t)
            return {};
        Column *c = pickColumn(*t, fits);
        c->type = retypeTarget(c->type);
        return "ALTER TABLE " + t->q() + " ALTER COLUMN " + c->name + " TYPE " + c->type;
    }
    case Change::NotNull: {
        Table *t = pickTable([](const Table &x) { return x.columns.size() > 1; });
        if (!t)
            return {};
        Column *c = pickColumn(*t, [](const Column &x) { return x.name != "id"; });
        c->notNull = !c->notNull;
        return "ALTER TABLE " + t->q() + " ALTER COLUMN " + c->name
               + (c->notNull ? " SET NOT NULL" : " DROP NOT NULL");
    }
    case Change::Default: {
        auto fits = [](const Column &c) {
            return c.pool && !otherDefault(c).empty();
        };
        Table *t = pickTable([&](const Table &x) { return std::ranges::any_of(x.columns, fits); });
        if (!t)
            return {};
        Column *c = pickColumn(*t, fits);
        if (!c->defaultExpr.empty() && m_rng.chance(0.4)) {
            c->defaultExpr.clear();
            return "ALTER TABLE " + t->q() + " ALTER COLUMN " + c->name + " DROP DEFAULT";
        }
        c->defaultExpr = otherDefault(*c);
        return "ALTER TABLE " + t->q() + " ALTER COLUMN " + c->name + " SET DEFAULT "
               + c->defaultExpr;
    }
    case Change::DropIndex:
    case Change::ChangeIndex: {
        Table *t = pickTable([](const Table &x) { return !x.indexes.empty(); });
        if (!t)
            return {};
        const std::string index = t->indexes.back();
        t->indexes.pop_back();
        std::string sql = "DROP INDEX " + t->schema + '.' + index;
        if (change == Change::ChangeIndex)
            sql += ";\nCREATE INDEX " + index + " ON " + t->q() + " (id) WHERE id > 0";
        return sql;
    }
    case Change::AddIndex: {
        auto fits = [](const Column &c) {
            return c.btree && c.name != "id";
        };
        Table *t = pickTable([&](const Table &x) { return std::ranges::any_of(x.columns, fits); });
        if (!t)
            return {};
        Column *c = pickColumn(*t, fits);
        t->indexes.push_back(t->name + "_drift_" + k + "_idx");
        return "CREATE INDEX " + t->indexes.back() + " ON " + t->q() + " (" + c->name + ", id)";
    }
    case Change::DropCheck: {
        Table *t = pickTable([](const Table &x) { return !x.checks.empty(); });
        if (!t)
            return {};
        const std::string check = t->checks.back();
        t->checks.pop_back();
        return "ALTER TABLE " + t->q() + " DROP CONSTRAINT " + check;
    }
    case Change::AddCheck: {
        Table *t = pickTable([](const Table &) { return true; });
        if (!t)
            return {};
        t->checks.push_back(t->name + "_drift_" + k + "_check");
        return "ALTER TABLE " + t->q() + " ADD CONSTRAINT " + t->checks.back() + " CHECK (id > 0)";
    }
    case Change::ForeignKey: {
        Table *t = pickTable([](const Table &x) { return !x.fkNames.empty(); });
        if (!t)
            return {};
        const std::string fk = t->fkNames.back();
        std::string sql = "ALTER TABLE " + t->q() + " DROP CONSTRAINT " + fk;
        if (m_rng.chance(0.5)) {
            const Table &p = m_model.tables[static_cast<std::size_t>(t->parents.back())];
            if (!p.dropped)
                sql += ";\nALTER TABLE " + t->q() + " ADD CONSTRAINT " + fk + " FOREIGN KEY ("
                       + t->fkColumns.back() + ") REFERENCES " + p.q()
                       + " (id) ON DELETE NO ACTION DEFERRABLE INITIALLY DEFERRED";
        }
        return sql;
    }
    case Change::Comment: {
        Table *t = pickTable([](const Table &) { return true; });
        if (!t)
            return {};
        if (m_rng.chance(0.5))
            return "COMMENT ON TABLE " + t->q() + " IS 'Changed by drift " + k + "'";
        return "COMMENT ON COLUMN " + t->q() + '.' + t->columns.back().name
               + " IS 'Column note from drift " + k + "'";
    }
    case Change::DropTable: {
        Table *t = pickTable([](const Table &x) {
            return x.children == 0 && x.views == 0 && x.trigger.empty();
        });
        if (!t)
            return {};
        t->dropped = true;
        for (const int parent : t->parents)
            m_model.tables[static_cast<std::size_t>(parent)].children--;
        return "DROP TABLE " + t->q();
    }
    case Change::AddTable: {
        Table *p = pickTable([](const Table &) { return true; });
        if (!p)
            return {};
        const std::string name = p->schema + ".drift_table_" + k;
        return "CREATE TABLE " + name + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
               + p->name + "_id bigint NOT NULL REFERENCES " + p->q()
               + " (id) ON DELETE CASCADE, note text, amount numeric(10,2) NOT NULL DEFAULT 0 "
                 "CHECK (amount >= 0), created_at timestamptz NOT NULL DEFAULT now());\n"
                 "CREATE INDEX drift_table_"
               + k + "_parent_idx ON " + name + " (" + p->name + "_id)";
    }
    case Change::ChangeView:
    case Change::DropView: {
        std::vector<View *> fits;
        for (auto &v : m_model.views) {
            if (!v.dropped && !v.onView && !v.materialized
                && (change == Change::ChangeView || !v.hasDependents))
                fits.push_back(&v);
        }
        if (fits.empty())
            return {};
        View &v = *fits[static_cast<std::size_t>(
                m_rng.between(0, static_cast<int>(fits.size()) - 1))];
        v.dropped = true; // never picked twice
        if (change == Change::DropView)
            return "DROP VIEW " + v.q();
        return "CREATE OR REPLACE VIEW " + v.q() + " AS " + v.body("c.id > 0");
    }
    case Change::ChangeFunction: {
        std::vector<Function *> fits;
        for (auto &f : m_model.functions) {
            if (!f.changedBody.empty())
                fits.push_back(&f);
        }
        if (fits.empty())
            return {};
        Function &f = *fits[static_cast<std::size_t>(
                m_rng.between(0, static_cast<int>(fits.size()) - 1))];
        std::string sql = f.header + f.changedBody + "$$";
        f.changedBody.clear();
        return sql;
    }
    case Change::EnumValue: {
        static constexpr std::array<std::string_view, 3> types
                = {"core.priority_t", "core.channel_t", "billing.currency_t"};
        return "ALTER TYPE " + std::string(types[static_cast<std::size_t>(serial) % types.size()])
               + " ADD VALUE 'drift_" + k + "'";
    }
    case Change::DropTrigger: {
        Table *t = pickTable([](const Table &x) { return !x.trigger.empty(); });
        if (!t)
            return {};
        std::string sql = "DROP TRIGGER " + t->trigger + " ON " + t->q();
        t->trigger.clear();
        return sql;
    }
    case Change::Reloptions: {
        Table *t = pickTable([](const Table &) { return true; });
        if (!t)
            return {};
        return "ALTER TABLE " + t->q()
               + (m_rng.chance(0.5) ? " SET (fillfactor = 80)"
                                    : " SET (autovacuum_vacuum_scale_factor = 0.05)");
    }
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Database set-up
// ---------------------------------------------------------------------------------------------

constexpr const char *kRefDb = "bench_ref";
constexpr const char *kDriftDb = "bench_drifted";

std::string marker(const Options &o)
{
    return "envsync-bench tables=" + std::to_string(o.tables) + " seed=" + std::to_string(o.seed)
           + " drift=" + std::to_string(o.driftChanges) + " v1";
}

struct SetupInfo
{
    bool reused = false;
    double generateSeconds = 0;
    double copySeconds = 0;
    double driftSeconds = 0;
    double vacuumSeconds = 0;
    int driftApplied = 0;
    int driftFailed = 0;
    int views = 0;
    int functions = 0;
    int triggers = 0;
    std::map<Change, int> driftByKind;
};

void runAutocommit(const std::string &dsn, const std::string &sql)
{
    pqxx::connection connection(dsn);
    pqxx::nontransaction tx(connection);
    tx.exec(sql);
}

SetupInfo setUpDatabases(const envsync::demo::LocalCluster &cluster, const Options &o)
{
    SetupInfo info;
    const std::string admin = cluster.dsn("postgres");
    {
        pqxx::connection connection(admin);
        pqxx::nontransaction tx(connection);
        const auto rows = tx.exec("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                                  "WHERE datname = "
                                  + tx.quote(kDriftDb));
        if (!rows.empty() && !rows[0][0].is_null() && rows[0][0].c_str() == marker(o)) {
            info.reused = true;
            return info;
        }
        tx.exec(std::string("DROP DATABASE IF EXISTS ") + kDriftDb);
        tx.exec(std::string("DROP DATABASE IF EXISTS ") + kRefDb);
        tx.exec(std::string("CREATE DATABASE ") + kRefDb);
    }

    Model model;
    Rng rng(o.seed);
    const auto generateStart = Clock::now();
    {
        pqxx::connection connection(cluster.dsn(kRefDb));
        {
            pqxx::work tx(connection);
            tx.exec(preludeSql());
            tx.commit();
        }
        constexpr int batch = 250;
        for (int first = 0; first < o.tables; first += batch) {
            std::string sql;
            for (int id = first; id < std::min(o.tables, first + batch); ++id)
                sql += generateTable(model, rng, id);
            pqxx::work tx(connection);
            tx.exec(sql);
            tx.commit();
            const int done = std::min(o.tables, first + batch);
            if (::isatty(1)) {
                std::printf("\r  generating: %d/%d tables (%.0f s)", done, o.tables,
                            msSince(generateStart) / 1000);
                std::fflush(stdout);
            } else if (done % 1000 == 0 || done == o.tables) {
                std::printf("  generating: %d/%d tables (%.0f s)\n", done, o.tables,
                            msSince(generateStart) / 1000);
            }
        }
        const int viewCount = std::max(5, o.tables / 10);
        const int materialized = std::max(1, o.tables / 500);
        const int functionCount = std::max(6, o.tables / 50);
        const int triggerCount = std::max(3, o.tables / 100);
        std::string sql = generateFunctions(model, rng, functionCount);
        sql += generateViews(model, rng, viewCount, materialized);
        sql += generateTriggers(model, rng, triggerCount);
        pqxx::work tx(connection);
        tx.exec(sql);
        tx.commit();
    }
    info.generateSeconds = msSince(generateStart) / 1000;
    info.views = static_cast<int>(model.views.size());
    info.functions = static_cast<int>(model.functions.size());
    info.triggers = model.triggers;
    std::printf("%s  generated %d tables, %zu views (%d materialized), %zu functions, %d triggers "
                "in %.1f s\n",
                ::isatty(1) ? "\r" : "", o.tables, model.views.size(), model.materializedViews,
                model.functions.size(), model.triggers, info.generateSeconds);

    const auto copyStart = Clock::now();
    runAutocommit(admin, std::string("CREATE DATABASE ") + kDriftDb + " TEMPLATE " + kRefDb
                                 + " STRATEGY FILE_COPY");
    info.copySeconds = msSince(copyStart) / 1000;

    const auto driftStart = Clock::now();
    {
        std::vector<Change> plan;
        for (const auto &[change, share] : kChangeMix) {
            const int n = (share * o.driftChanges + 100) / 200;
            for (int i = 0; i < n; ++i)
                plan.push_back(change);
        }
        while (static_cast<int>(plan.size()) > o.driftChanges)
            plan.pop_back();
        while (static_cast<int>(plan.size()) < o.driftChanges)
            plan.push_back(Change::AddColumn);
        rng.shuffle(plan);
        Drifter drifter(model, rng);
        pqxx::connection connection(cluster.dsn(kDriftDb));
        pqxx::work tx(connection);
        int serial = 0;
        for (const Change change : plan) {
            const std::string sql = drifter.make(change, ++serial);
            if (sql.empty()) {
                ++info.driftFailed;
                continue;
            }
            try {
                pqxx::subtransaction sub(tx, "drift");
                sub.exec(sql);
                sub.commit();
                ++info.driftApplied;
                ++info.driftByKind[change];
            } catch (const std::exception &e) {
                ++info.driftFailed;
                std::fprintf(stderr, "  drift change failed: %s\n    %s\n", sql.c_str(),
                             trimmed(e.what()).c_str());
            }
        }
        tx.commit();
    }
    info.driftSeconds = msSince(driftStart) / 1000;
    std::printf(
            "  copied to %s in %.1f s; applied %d drift changes (%d skipped/failed) in %.1f s\n",
            kDriftDb, info.copySeconds, info.driftApplied, info.driftFailed, info.driftSeconds);

    // Catalog statistics as on a database that has lived for a while.
    const auto vacuumStart = Clock::now();
    runAutocommit(cluster.dsn(kRefDb), "VACUUM ANALYZE");
    runAutocommit(cluster.dsn(kDriftDb), "VACUUM ANALYZE");
    info.vacuumSeconds = msSince(vacuumStart) / 1000;
    runAutocommit(admin,
                  std::string("COMMENT ON DATABASE ") + kDriftDb + " IS '" + marker(o) + "'");
    std::printf("  VACUUM ANALYZE of both databases: %.1f s\n", info.vacuumSeconds);
    return info;
}

// ---------------------------------------------------------------------------------------------
// Measurements
// ---------------------------------------------------------------------------------------------

/// Wall clock of `pg_dump --schema-only -d <dsn> -f /dev/null` (fork/exec, as the current user).
double timePgDump(const std::string &dsn, const fs::path &errorFile)
{
    const std::string program = (envsync::demo::LocalCluster::binDir() / "pg_dump").string();
    std::vector<std::string> args = {program, "--schema-only", "-d", dsn, "-f", "/dev/null"};
    std::vector<char *> argv;
    for (auto &arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, errorFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    const auto start = Clock::now();
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        die("cannot start " + program + ": " + std::strerror(spawned));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            die("waitpid failed");
    }
    const double elapsed = msSince(start);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        die("pg_dump failed: " + readSmallFile(errorFile));
    return elapsed;
}

struct SnapshotTiming
{
    double totalMs = 0;
    double connectMs = 0;
    std::vector<std::pair<std::string, double>> steps; ///< in order; "begin" and "commit" added
    drift::SchemaCatalog snapshot;
};

SnapshotTiming timeSnapshot(const std::string &dsn)
{
    SnapshotTiming timing;
    const auto start = Clock::now();
    auto connection = envsync::db::connect(dsn, {}, "bench");
    if (!connection)
        die("connect failed: " + connection.error().describe());
    timing.connectMs = msSince(start);
    std::string current = "begin";
    auto last = Clock::now();
    drift::CatalogOptions options;
    options.who = "bench";
    options.progress = [&](const std::string &step, int, int) {
        const auto now = Clock::now();
        timing.steps.emplace_back(current,
                                  std::chrono::duration<double, std::milli>(now - last).count());
        current = step == "done" ? "commit" : step;
        last = now;
    };
    auto snapshot = drift::readCatalog(**connection, options);
    timing.totalMs = msSince(start);
    timing.steps.emplace_back(current, msSince(last));
    if (!snapshot)
        die("snapshot failed: " + snapshot.error().describe());
    timing.snapshot = std::move(*snapshot);
    return timing;
}

struct Series
{
    std::vector<double> values;

    void add(double value) { values.push_back(value); }
    [[nodiscard]] double median() const
    {
        if (values.empty())
            return 0;
        std::vector<double> v = values;
        std::ranges::sort(v);
        const std::size_t n = v.size();
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
    [[nodiscard]] double min() const
    {
        return values.empty() ? 0 : *std::ranges::min_element(values);
    }
    [[nodiscard]] double max() const
    {
        return values.empty() ? 0 : *std::ranges::max_element(values);
    }
};

std::string loadAverage()
{
    return trimmed(readSmallFile("/proc/loadavg"));
}

std::string cpuModel()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("model name")) {
            const auto colon = line.find(':');
            return colon == std::string::npos ? line : trimmed(line.substr(colon + 2));
        }
    }
    return "unknown";
}

void printRow(const std::string &label, const Series &s, const char *unit = "ms")
{
    std::printf("| %-44s | %4zu | %10.1f | %10.1f | %10.1f | %-2s |\n", label.c_str(),
                s.values.size(), s.median(), s.min(), s.max(), unit);
}

std::size_t columnCount(const drift::SchemaCatalog &s)
{
    std::size_t n = 0;
    for (const auto &t : s.tables)
        n += t.columns.size();
    return n;
}

const char *changeName(Change change)
{
    switch (change) {
    case Change::AddColumn:
        return "add column";
    case Change::DropColumn:
        return "drop column";
    case Change::RetypeColumn:
        return "column type";
    case Change::NotNull:
        return "NOT NULL";
    case Change::Default:
        return "default";
    case Change::DropIndex:
        return "drop index";
    case Change::AddIndex:
        return "add index";
    case Change::ChangeIndex:
        return "change index";
    case Change::DropCheck:
        return "drop check";
    case Change::AddCheck:
        return "add check";
    case Change::ForeignKey:
        return "foreign key";
    case Change::Comment:
        return "comment";
    case Change::DropTable:
        return "drop table";
    case Change::AddTable:
        return "add table";
    case Change::ChangeView:
        return "change view";
    case Change::DropView:
        return "drop view";
    case Change::ChangeFunction:
        return "change function";
    case Change::EnumValue:
        return "enum value";
    case Change::DropTrigger:
        return "drop trigger";
    case Change::Reloptions:
        return "reloptions";
    }
    return "?";
}

} // namespace

int main(int argc, char **argv)
{
    Options parsed;
    try {
        parsed = parseOptions(argc, argv);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_drift: %s\n", e.what());
        return 1;
    }
    const Options &o = parsed;
    std::setvbuf(stdout, nullptr, _IOLBF, 0);

    const bool ownDir = o.dir.empty();
    const fs::path root = ownDir ? fs::path("/tmp/envsync-bench-" + std::to_string(::getpid()))
                                 : fs::path(o.dir);
    const fs::path socketDir = root / "s";
    std::error_code ec;
    fs::create_directories(socketDir, ec);
    // A cluster left running by --keep-cluster keeps its port (postmaster.pid line 4).
    int port = 0;
    {
        std::ifstream pidFile(root / "data" / "postmaster.pid");
        std::string line;
        for (int i = 0; i < 4 && std::getline(pidFile, line); ++i) {
        }
        if (pidFile)
            port = std::atoi(line.c_str());
    }
    if (port <= 0)
        port = envsync::demo::LocalCluster::findFreePort(socketDir, 57000 + (::getpid() % 2000));
    if (port == 0) {
        std::fprintf(stderr, "bench_drift: no free port\n");
        return 1;
    }
    envsync::demo::LocalCluster cluster(root / "data", socketDir, port);

    std::printf("bench_drift: tables=%d runs=%d warmup=%d drift=%d seed=%u\n", o.tables, o.runs,
                o.warmup, o.driftChanges, o.seed);
    std::printf("  machine: %ld CPUs, %s; load average at start: %s\n",
                ::sysconf(_SC_NPROCESSORS_ONLN), cpuModel().c_str(), loadAverage().c_str());
    std::printf("  cluster: %s (port %d)\n", (root / "data").c_str(), port);

    auto stopCluster = [&] {
        if (o.keepCluster) {
            std::printf("\ncluster left running (--keep-cluster): %s\n"
                        "  psql \"%s\"\n"
                        "  stop: runuser -u postgres -- %s stop -D %s -m fast%s\n"
                        "  reuse: bench_drift --dir %s ...\n",
                        (root / "data").c_str(), cluster.dsn(kRefDb).c_str(),
                        (envsync::demo::LocalCluster::binDir() / "pg_ctl").c_str(),
                        (root / "data").c_str(),
                        ownDir ? ("; rm -rf " + root.string()).c_str() : "", root.c_str());
            return;
        }
        if (auto stopped = cluster.stop(); !stopped)
            std::fprintf(stderr, "bench_drift: stopping the cluster failed: %s\n",
                         stopped.error().describe().c_str());
        if (ownDir)
            fs::remove_all(root, ec);
    };

    const auto clusterStart = Clock::now();
    if (auto ready = cluster.initialize(); !ready) {
        std::fprintf(stderr, "bench_drift: initdb: %s\n", ready.error().describe().c_str());
        stopCluster();
        return 1;
    }
    if (auto started = cluster.start(); !started) {
        std::fprintf(stderr, "bench_drift: start: %s\n", started.error().describe().c_str());
        stopCluster();
        return 1;
    }
    std::printf("  cluster ready in %.1f s\n", msSince(clusterStart) / 1000);

    int exitCode = 0;
    try {
        const std::string serverVersion = [&] {
            pqxx::connection connection(cluster.dsn("postgres"));
            pqxx::nontransaction tx(connection);
            return std::string(tx.exec("SELECT version()")[0][0].c_str());
        }();
        std::printf("  server: %s\n", serverVersion.c_str());

        const SetupInfo setup = setUpDatabases(cluster, o);
        if (setup.reused)
            std::printf("  reusing the databases generated earlier in %s\n", root.c_str());

        const std::string refDsn = cluster.dsn(kRefDb);
        const std::string driftDsn = cluster.dsn(kDriftDb);
        const fs::path errorFile = root / "pg_dump.stderr";

        Series dumpRef, dumpDrift, snapRef, snapDrift, connectRef, diffSeries, identicalSeries,
                reconcileSeries, ratioSeries;
        std::map<std::string, Series> stepSeries;
        std::vector<std::string> stepOrder;
        std::size_t differenceCount = 0, statementCount = 0, scriptBytes = 0, identicalCount = 0;
        drift::SchemaCatalog lastRef, lastDrift;
        std::string biggest;

        for (int run = -o.warmup; run < o.runs; ++run) {
            const bool timed = run >= 0;
            double dRef = 0, dDrift = 0;
            SnapshotTiming sRef, sDrift;
            // Alternate which goes first so neither always finds the warmer cache.
            if ((run + o.warmup) % 2 == 0) {
                dRef = timePgDump(refDsn, errorFile);
                sRef = timeSnapshot(refDsn);
                sDrift = timeSnapshot(driftDsn);
                dDrift = timePgDump(driftDsn, errorFile);
            } else {
                sRef = timeSnapshot(refDsn);
                dRef = timePgDump(refDsn, errorFile);
                dDrift = timePgDump(driftDsn, errorFile);
                sDrift = timeSnapshot(driftDsn);
            }
            auto start = Clock::now();
            const auto differences = drift::diff(sDrift.snapshot, sRef.snapshot);
            const double diffMs = msSince(start);
            start = Clock::now();
            const auto identical = drift::diff(sRef.snapshot, sRef.snapshot);
            const double identicalMs = msSince(start);
            start = Clock::now();
            const std::string script = drift::reconcileSql(sDrift.snapshot, sRef.snapshot);
            const double reconcileMs = msSince(start);

            std::printf("  %s %d: pg_dump %.0f / %.0f ms, snapshot %.0f / %.0f ms, diff %.0f ms, "
                        "reconcileSql %.0f ms\n",
                        timed ? "run" : "warm-up", timed ? run + 1 : run + o.warmup + 1, dRef,
                        dDrift, sRef.totalMs, sDrift.totalMs, diffMs, reconcileMs);
            if (!timed)
                continue;
            dumpRef.add(dRef);
            dumpDrift.add(dDrift);
            snapRef.add(sRef.totalMs);
            snapDrift.add(sDrift.totalMs);
            connectRef.add(sRef.connectMs);
            ratioSeries.add(sRef.totalMs / dRef);
            ratioSeries.add(sDrift.totalMs / dDrift);
            diffSeries.add(diffMs);
            identicalSeries.add(identicalMs);
            reconcileSeries.add(reconcileMs);
            for (const auto &[step, ms] : sRef.steps) {
                if (!stepSeries.contains(step))
                    stepOrder.push_back(step);
                stepSeries[step].add(ms);
            }
            differenceCount = differences.size();
            identicalCount = identical.size();
            statementCount = 0;
            for (const auto &d : differences)
                statementCount += d.statements.size();
            scriptBytes = script.size();
            if (run == o.runs - 1) {
                // The differences that carry the most statements (dependent rebuilds).
                std::vector<const drift::Difference *> largest;
                for (const auto &d : differences)
                    largest.push_back(&d);
                std::ranges::sort(largest, [](const auto *a, const auto *b) {
                    return a->statements.size() > b->statements.size();
                });
                largest.resize(std::min<std::size_t>(largest.size(), 3));
                for (const auto *d : largest)
                    biggest += "    " + std::string(drift::kindName(d->kind)) + ' '
                               + std::string(drift::changeName(d->change)) + ' ' + d->schema + '.'
                               + d->name + ": " + std::to_string(d->statements.size())
                               + " statements\n";
            }
            lastRef = std::move(sRef.snapshot);
            lastDrift = std::move(sDrift.snapshot);
        }

        std::printf("\nDatabase %s: %zu schemas, %zu tables, %zu columns, %zu constraints, %zu "
                    "indexes, %zu sequences, %zu views, %zu functions, %zu triggers, %zu enums, "
                    "%zu domains\n",
                    kRefDb, lastRef.schemas.size(), lastRef.tables.size(), columnCount(lastRef),
                    lastRef.constraints.size(), lastRef.indexes.size(), lastRef.sequences.size(),
                    lastRef.views.size(), lastRef.functions.size(), lastRef.triggers.size(),
                    lastRef.enums.size(), lastRef.domains.size());
        if (!setup.reused) {
            std::string kinds;
            for (const auto &[change, n] : setup.driftByKind)
                kinds += (kinds.empty() ? "" : ", ") + std::string(changeName(change)) + ' '
                         + std::to_string(n);
            std::printf("Database %s: copy of %s + %d drift changes (%s)\n", kDriftDb, kRefDb,
                        setup.driftApplied, kinds.c_str());
        }
        std::printf("diff(%s → %s): %zu differences, %zu statements, reconcile script %zu bytes; "
                    "diff of identical snapshots: %zu differences\n",
                    kDriftDb, kRefDb, differenceCount, statementCount, scriptBytes, identicalCount);
        std::printf("largest differences:\n%s\n", biggest.c_str());

        std::printf("| %-44s | %4s | %10s | %10s | %10s | %-2s |\n", "measure", "runs", "median",
                    "min", "max", "");
        std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(46, '-').c_str(),
                    std::string(6, '-').c_str(), std::string(12, '-').c_str(),
                    std::string(12, '-').c_str(), std::string(12, '-').c_str(),
                    std::string(4, '-').c_str());
        printRow("(a) pg_dump --schema-only, bench_ref", dumpRef);
        printRow("(b) EnvSync readCatalog, bench_ref", snapRef);
        printRow("    of which connect", connectRef);
        printRow("(a) pg_dump --schema-only, bench_drifted", dumpDrift);
        printRow("(b) EnvSync readCatalog, bench_drifted", snapDrift);
        printRow("(c) diff(drifted -> ref), " + std::to_string(o.driftChanges) + " changes",
                 diffSeries);
        printRow("    diff(ref -> ref), no differences", identicalSeries);
        printRow("(d) reconcileSql(drifted -> ref)", reconcileSeries);

        std::printf("\nSnapshot of bench_ref by step (median of %d runs; a step's time runs from "
                    "its progress callback to the next one: query, transfer and C++ parsing):\n\n",
                    o.runs);
        std::printf("| %-20s | %10s | %6s |\n", "step", "median ms", "share");
        std::printf("|%s|%s|%s|\n", std::string(22, '-').c_str(), std::string(12, '-').c_str(),
                    std::string(8, '-').c_str());
        double stepTotal = 0;
        for (const auto &step : stepOrder)
            stepTotal += stepSeries[step].median();
        for (const auto &step : stepOrder)
            std::printf("| %-20s | %10.1f | %5.1f%% |\n", step.c_str(), stepSeries[step].median(),
                        100 * stepSeries[step].median() / std::max(stepTotal, 1e-9));

        const double ratio = snapRef.median() / dumpRef.median();
        const double ratioDrift = snapDrift.median() / dumpDrift.median();
        const double diffMs = diffSeries.median();
        const bool snapshotOk = ratio <= 1.5 && ratioDrift <= 1.5;
        const bool diffOk = diffMs < 1000;
        std::printf(
                "\nsnapshot / pg_dump (ratio of medians): bench_ref %.2f×, bench_drifted %.2f×; "
                "per-run ratios %.2f–%.2f×\n",
                ratio, ratioDrift, ratioSeries.min(), ratioSeries.max());
        std::printf("load average at end: %s\n", loadAverage().c_str());
        std::printf("VERDICT: snapshot %.2f× pg_dump (target ≤ 1.5×) %s; diff %.0f ms (target < "
                    "1000 ms) %s; reconcileSql %.0f ms\n",
                    std::max(ratio, ratioDrift), snapshotOk ? "PASS" : "FAIL", diffMs,
                    diffOk ? "PASS" : "FAIL", reconcileSeries.median());
        exitCode = snapshotOk && diffOk ? 0 : 2;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_drift: %s\n", e.what());
        exitCode = 1;
    }
    stopCluster();
    return exitCode;
}
