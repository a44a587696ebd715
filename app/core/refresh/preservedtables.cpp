#include "core/refresh/preservedtables.h"

#include "core/config/formats.h"
#include "core/db/connection.h"
#include "core/db/sqlquote.h"

#include <pqxx/pqxx>

#include <algorithm>

namespace envsync::refresh {

namespace {

using db::quoteIdentifier;

struct TableName
{
    std::string schema;
    std::string table;
    [[nodiscard]] std::string qualified() const { return db::qualifiedName(schema, table); }
};

/// The config holds `schema.table` references as PostgreSQL reads identifiers (validated and
/// canonical): `public."My Table"` names the table My Table, `"a.b".t` the schema a.b.
Result<TableName> split(const std::string &name)
{
    auto parts = config::parseQualifiedName(name, 2);
    if (!parts)
        return fail(ErrorCode::Config, parts.error().message, "preserve " + name);
    return TableName{std::move((*parts)[0]), std::move((*parts)[1])};
}

/// Writable columns of the table in attnum order; empty when the table does not exist.
std::vector<std::string> writableColumns(pqxx::connection &conn, const TableName &name)
{
    pqxx::nontransaction tx(conn);
    std::vector<std::string> columns;
    for (const auto &row : tx.exec_params(
                 "SELECT a.attname FROM pg_attribute a"
                 " JOIN pg_class c ON c.oid = a.attrelid"
                 " JOIN pg_namespace n ON n.oid = c.relnamespace"
                 " WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')"
                 "   AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''"
                 " ORDER BY a.attnum",
                 name.schema, name.table))
        columns.push_back(row[0].as<std::string>());
    return columns;
}

std::string columnList(const std::vector<std::string> &columns)
{
    std::string list;
    for (const auto &column : columns) {
        if (!list.empty())
            list += ", ";
        list += quoteIdentifier(column);
    }
    return list;
}

std::int64_t copyRows(pqxx::connection &live, pqxx::connection &next, const TableName &name,
                      const std::vector<std::string> &columns)
{
    const std::string list = columnList(columns);
    std::string json;
    {
        pqxx::work read(live);
        json = read.exec1("SELECT coalesce(json_agg(t), '[]')::text FROM (SELECT " + list
                          + " FROM " + name.qualified() + ") t")[0]
                       .as<std::string>();
    }
    pqxx::work write(next);
    // Foreign keys from and to the kept rows are not checked: they are the region's own.
    write.exec0("SET LOCAL session_replication_role = replica");
    write.exec0("DELETE FROM " + name.qualified());
    const auto inserted = write.exec_params("INSERT INTO " + name.qualified() + " (" + list
                                                    + ") OVERRIDING SYSTEM VALUE SELECT " + list
                                                    + " FROM json_populate_recordset(NULL::"
                                                    + name.qualified() + ", $1::json)",
                                            json);
    for (const auto &column : columns) {
        const auto sequence = write.exec_params1("SELECT pg_get_serial_sequence($1, $2)",
                                                 name.qualified(), column)[0];
        if (sequence.is_null())
            continue;
        // The sequence goes in bound (as regclass), not spliced; a never-used sequence has no
        // last value yet, and its next value may already be taken by a kept row.
        write.exec_params("SELECT setval($1::regclass, m) FROM (SELECT max("
                                  + quoteIdentifier(column) + ")::bigint AS m FROM "
                                  + name.qualified()
                                  + ") s WHERE m IS NOT NULL"
                                    " AND m > coalesce(pg_sequence_last_value($1::regclass), 0)",
                          sequence.as<std::string>());
    }
    write.commit();
    return static_cast<std::int64_t>(inserted.affected_rows());
}

} // namespace

Result<std::vector<PreservedTable>> preserveTables(pqxx::connection &live, pqxx::connection &next,
                                                   const std::vector<std::string> &tables,
                                                   const std::string &who)
{
    std::vector<PreservedTable> out;
    for (const std::string &table : tables) {
        const auto parsed = split(table);
        if (!parsed)
            return std::unexpected(parsed.error());
        const TableName &name = *parsed;
        auto kept = db::guarded(who, "preserve " + table, [&] {
            PreservedTable result{table, 0, {}};
            const auto liveColumns = writableColumns(live, name);
            const auto nextColumns = writableColumns(next, name);
            std::vector<std::string> common;
            for (const auto &column : liveColumns) {
                if (std::ranges::find(nextColumns, column) != nextColumns.end())
                    common.push_back(column);
            }
            if (liveColumns.empty())
                result.note = "not in the current database; golden's rows kept";
            else if (nextColumns.empty())
                result.note = "not in the snapshot; nothing to keep it in";
            else
                result.rows = copyRows(live, next, name, common);
            return result;
        });
        if (!kept)
            return std::unexpected(kept.error());
        out.push_back(*kept);
    }
    return out;
}

} // namespace envsync::refresh
