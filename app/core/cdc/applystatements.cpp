#include "applystatements.h"

#include "core/db/sqlquote.h"

namespace envsync::cdc {

namespace {

using Kind = TupleValue::Kind;

const std::string *valueOf(const TupleValue &value)
{
    return value.kind == Kind::Text ? &value.text : nullptr;
}

Result<void> checkWidth(const Relation &relation, const Tuple &row)
{
    if (row.size() == relation.columns.size())
        return {};
    return fail(ErrorCode::Internal,
                relation.display() + ": a row image has " + std::to_string(row.size())
                        + " values for " + std::to_string(relation.columns.size()) + " columns");
}

/// Key columns that name a unique index: with REPLICA IDENTITY FULL pgoutput flags every
/// column as key, and no index matches them all.
bool isKey(const Relation &relation, const RelationColumn &column)
{
    return column.key && relation.replicaIdentity != 'f';
}

bool hasKey(const Relation &relation)
{
    if (relation.replicaIdentity == 'f')
        return false;
    for (const auto &column : relation.columns) {
        if (column.key)
            return true;
    }
    return false;
}

/// Which row a change addresses, as a WHERE clause appended to `statement`, its values bound
/// from `firstParam` on.
Result<void> appendRowFilter(const Relation &relation, const RowChange &change,
                             ApplyStatement &statement)
{
    const std::string table = db::qualifiedName(relation.schema, relation.table);
    const bool full = change.oldTuple && !change.oldIsKey;
    if (full) {
        if (auto width = checkWidth(relation, *change.oldTuple); !width)
            return width;
        // No key: the first row equal in every old value is the one (duplicates are equal).
        std::string where;
        statement.shape += ":F";
        for (std::size_t i = 0; i < relation.columns.size(); ++i) {
            const TupleValue &value = (*change.oldTuple)[i];
            if (value.kind == Kind::Unchanged) {
                statement.shape += 'u';
                continue;
            }
            statement.shape += 'v';
            statement.params.push_back(valueOf(value));
            where += where.empty() ? "" : " AND ";
            where += db::quoteIdentifier(relation.columns[i].name) + " IS NOT DISTINCT FROM $"
                     + std::to_string(statement.params.size());
        }
        statement.sql += " WHERE ctid = (SELECT ctid FROM " + table
                         + (where.empty() ? "" : " WHERE " + where) + " LIMIT 1)";
        return {};
    }
    if (!hasKey(relation))
        return fail(ErrorCode::Internal, relation.display()
                                                 + ": a change without an old row image on a table"
                                                   " without a replica identity key");
    const Tuple &keyImage = change.oldTuple ? *change.oldTuple : change.newTuple;
    if (auto width = checkWidth(relation, keyImage); !width)
        return width;
    statement.shape += change.oldTuple ? ":K" : ":N";
    std::string where;
    for (std::size_t i = 0; i < relation.columns.size(); ++i) {
        if (!isKey(relation, relation.columns[i]))
            continue;
        statement.params.push_back(valueOf(keyImage[i]));
        where += where.empty() ? "" : " AND ";
        where += db::quoteIdentifier(relation.columns[i].name) + " = $"
                 + std::to_string(statement.params.size());
    }
    statement.sql += " WHERE " + where;
    return {};
}

} // namespace

bool isComplete(const Tuple &row)
{
    for (const auto &value : row) {
        if (value.kind == Kind::Unchanged)
            return false;
    }
    return true;
}

namespace {

/// Appends an INSERT of the row's values to `statement` (binding them after its parameters);
/// `columnTypes` (one per column) casts them, for an INSERT … SELECT whose values the server
/// cannot type from the target columns.
void appendInsert(const Relation &relation, const Tuple &row, ConflictPolicy policy,
                  const std::vector<std::string> *columnTypes, ApplyStatement &statement)
{
    std::string columns;
    std::string values;
    std::string keys;
    std::string updates;
    for (std::size_t i = 0; i < relation.columns.size(); ++i) {
        const auto &column = relation.columns[i];
        const std::string name = db::quoteIdentifier(column.name);
        if (isKey(relation, column))
            keys += (keys.empty() ? "" : ", ") + name;
        if (row[i].kind == Kind::Unchanged) {
            statement.shape += 'u';
            continue;
        }
        statement.shape += 'v';
        statement.params.push_back(valueOf(row[i]));
        columns += (columns.empty() ? "" : ", ") + name;
        values += (values.empty() ? "$" : ", $") + std::to_string(statement.params.size());
        if (columnTypes)
            values += "::" + (*columnTypes)[i];
        if (!isKey(relation, column))
            updates += (updates.empty() ? "" : ", ") + name + " = EXCLUDED." + name;
    }
    statement.sql += "INSERT INTO " + db::qualifiedName(relation.schema, relation.table) + " ("
                     + columns + ")";
    statement.sql += columnTypes ? " SELECT " + values + " WHERE NOT EXISTS (SELECT 1 FROM u)"
                                 : " VALUES (" + values + ")";
    if (!keys.empty()) {
        statement.sql += " ON CONFLICT (" + keys + ") DO "
                         + (policy == ConflictPolicy::SourceWins && !updates.empty()
                                    ? "UPDATE SET " + updates
                                    : std::string("NOTHING"));
    }
    // Inserted rows have xmax 0; a row DO UPDATE overwrote carries this transaction's xid.
    statement.sql += " RETURNING (xmax = 0)";
}

} // namespace

Result<ApplyStatement> insertStatement(const Relation &relation, const Tuple &row,
                                       ConflictPolicy policy)
{
    if (auto width = checkWidth(relation, row); !width)
        return std::unexpected(width.error());
    ApplyStatement statement;
    statement.shape = "I:" + std::to_string(relation.id) + ':';
    appendInsert(relation, row, policy, nullptr, statement);
    return statement;
}

Result<ApplyStatement> updateOrInsertStatement(const Relation &relation, const RowChange &change,
                                               const std::vector<std::string> &columnTypes)
{
    if (columnTypes.size() != relation.columns.size())
        return fail(ErrorCode::Internal,
                    relation.display() + ": the region's column types are not known");
    if (!isComplete(change.newTuple))
        return fail(ErrorCode::Internal,
                    relation.display() + ": a row with unchanged TOAST values cannot be inserted");
    auto statement = updateStatement(relation, change);
    if (!statement)
        return statement;
    statement->shape = 'W' + statement->shape.substr(1) + ':';
    statement->sql = "WITH u AS (" + statement->sql + " RETURNING 1) ";
    appendInsert(relation, change.newTuple, ConflictPolicy::SourceWins, &columnTypes, *statement);
    return statement;
}

Result<ApplyStatement> upsertStatement(const Relation &relation, const RowChange &change)
{
    if (change.oldTuple || !hasKey(relation) || !isComplete(change.newTuple))
        return fail(ErrorCode::Internal,
                    relation.display()
                            + ": only an update of a whole row by its unchanged key"
                              " can be an upsert");
    return insertStatement(relation, change.newTuple, ConflictPolicy::SourceWins);
}

Result<ApplyStatement> updateStatement(const Relation &relation, const RowChange &change)
{
    if (auto width = checkWidth(relation, change.newTuple); !width)
        return std::unexpected(width.error());
    ApplyStatement statement;
    statement.shape = "U:" + std::to_string(relation.id) + ':';
    std::string sets;
    for (std::size_t i = 0; i < relation.columns.size(); ++i) {
        if (change.newTuple[i].kind == Kind::Unchanged) {
            statement.shape += 'u';
            continue;
        }
        statement.shape += 'v';
        statement.params.push_back(valueOf(change.newTuple[i]));
        sets += (sets.empty() ? "" : ", ") + db::quoteIdentifier(relation.columns[i].name) + " = $"
                + std::to_string(statement.params.size());
    }
    if (sets.empty() && relation.columns.empty())
        return fail(ErrorCode::Internal, relation.display()
                                                 + ": an update of a table without"
                                                   " columns");
    if (sets.empty()) { // nothing sent but TOAST placeholders: still find the row
        const std::string first = db::quoteIdentifier(relation.columns.front().name);
        sets = first + " = " + first;
    }
    statement.sql = "UPDATE " + db::qualifiedName(relation.schema, relation.table) + " SET " + sets;
    if (auto filter = appendRowFilter(relation, change, statement); !filter)
        return std::unexpected(filter.error());
    return statement;
}

Result<ApplyStatement> deleteStatement(const Relation &relation, const RowChange &change)
{
    ApplyStatement statement;
    statement.shape = "D:" + std::to_string(relation.id);
    statement.sql = "DELETE FROM " + db::qualifiedName(relation.schema, relation.table);
    if (auto filter = appendRowFilter(relation, change, statement); !filter)
        return std::unexpected(filter.error());
    return statement;
}

std::string truncateSql(const std::vector<const Relation *> &relations, bool restartIdentity)
{
    std::string sql = "TRUNCATE ";
    for (std::size_t i = 0; i < relations.size(); ++i)
        sql += (i ? ", " : "") + db::qualifiedName(relations[i]->schema, relations[i]->table);
    if (restartIdentity)
        sql += " RESTART IDENTITY";
    return sql;
}

} // namespace envsync::cdc
