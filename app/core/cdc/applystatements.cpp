#include "applystatements.h"

#include "core/db/sqlquote.h"

#include <string_view>

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

std::optional<SetShape> setShape(const Relation &relation, const RowChange &change,
                                 ConflictPolicy policy)
{
    if (!hasKey(relation))
        return std::nullopt;
    const Tuple *keyImage = nullptr;
    SetShape shape;
    switch (change.kind) {
    case ChangeKind::Insert:
        shape.kind = SetKind::Insert;
        keyImage = &change.newTuple;
        break;
    case ChangeKind::Update:
        if (change.oldTuple) // a key change: found by the old key, the per-row way
            return std::nullopt;
        shape.kind = policy == ConflictPolicy::SourceWins && isComplete(change.newTuple)
                             ? SetKind::Upsert
                             : SetKind::Update;
        keyImage = &change.newTuple;
        break;
    case ChangeKind::Delete:
        if (!change.oldTuple || !change.oldIsKey)
            return std::nullopt;
        shape.kind = SetKind::Delete;
        keyImage = &*change.oldTuple;
        break;
    case ChangeKind::Truncate:
        return std::nullopt;
    }
    if (keyImage->size() != relation.columns.size())
        return std::nullopt;
    for (std::size_t i = 0; i < relation.columns.size(); ++i) {
        if (isKey(relation, relation.columns[i]) && (*keyImage)[i].kind == Kind::Unchanged)
            return std::nullopt;
    }
    if (shape.kind != SetKind::Delete) {
        for (const TupleValue &value : change.newTuple)
            shape.sent += value.kind == Kind::Unchanged ? 'u' : 'v';
    }
    return shape;
}

std::string setKey(const Relation &relation, const RowChange &change)
{
    const Tuple &image = change.kind == ChangeKind::Delete ? *change.oldTuple : change.newTuple;
    std::string key;
    for (std::size_t i = 0; i < relation.columns.size() && i < image.size(); ++i) {
        if (!isKey(relation, relation.columns[i]))
            continue;
        if (image[i].kind != Kind::Text) {
            key += 'n';
            continue;
        }
        key += std::to_string(image[i].text.size()) + ':' + image[i].text;
    }
    return key;
}

std::string textArrayLiteral(const std::vector<const TupleValue *> &values)
{
    std::size_t size = 2;
    for (const TupleValue *value : values)
        size += value->text.size() + 4; // quotes, comma; a few escapes grow it once more
    std::string out;
    out.reserve(size);
    out += '{';
    for (const TupleValue *value : values) {
        if (out.size() > 1)
            out += ',';
        if (value->kind != Kind::Text) {
            out += "NULL";
            continue;
        }
        out += '"';
        // Runs without a character to escape are copied whole (this builds every set's arrays).
        std::string_view rest = value->text;
        for (auto special = rest.find_first_of("\"\\"); special != std::string_view::npos;
             special = rest.find_first_of("\"\\")) {
            out.append(rest.substr(0, special));
            out += '\\';
            out += rest[special];
            rest.remove_prefix(special + 1);
        }
        out.append(rest);
        out += '"';
    }
    out += '}';
    return out;
}

namespace {

/// The column of the set's row `v` that carries column `index`, cast to its region type.
std::string setValue(std::size_t index, const std::vector<std::string> &baseTypes)
{
    return "v.c" + std::to_string(index) + "::" + baseTypes[index];
}

} // namespace

Result<SetStatement> setStatement(const Relation &relation, const SetShape &shape,
                                  const std::vector<const RowChange *> &changes,
                                  const std::vector<std::string> &baseTypes, ConflictPolicy policy)
{
    if (baseTypes.size() != relation.columns.size())
        return fail(ErrorCode::Internal,
                    relation.display() + ": the region's column types are not known");
    const bool isDelete = shape.kind == SetKind::Delete;
    if (!isDelete && shape.sent.size() != relation.columns.size())
        return fail(ErrorCode::Internal, relation.display() + ": a set of another width");
    SetStatement out;
    ApplyStatement &statement = out.statement;
    statement.shape = "S" + std::to_string(static_cast<int>(shape.kind)) + ':'
                      + std::to_string(relation.id) + ':' + shape.sent;
    // The columns the set binds, one text[] each, unnested as v(c<index>, …).
    std::vector<std::size_t> bound;
    for (std::size_t i = 0; i < relation.columns.size(); ++i) {
        if (isDelete ? isKey(relation, relation.columns[i]) : shape.sent[i] == 'v')
            bound.push_back(i);
    }
    std::string arrays;
    std::string aliases;
    for (const std::size_t i : bound) {
        std::vector<const TupleValue *> values;
        values.reserve(changes.size());
        for (const RowChange *change : changes) {
            const Tuple &image = isDelete ? *change->oldTuple : change->newTuple;
            if (image.size() != relation.columns.size())
                return fail(ErrorCode::Internal, relation.display() + ": a set of another width");
            values.push_back(&image[i]);
        }
        out.arrays.push_back(textArrayLiteral(values));
        arrays += (arrays.empty() ? "$" : ", $") + std::to_string(out.arrays.size()) + "::text[]";
        aliases += (aliases.empty() ? "c" : ", c") + std::to_string(i);
    }
    for (const std::string &array : out.arrays)
        statement.params.push_back(&array);
    const std::string table = db::qualifiedName(relation.schema, relation.table);
    const std::string rows = "unnest(" + arrays + ") AS v(" + aliases + ")";
    std::string keyMatch;
    for (std::size_t i = 0; i < relation.columns.size(); ++i) {
        if (!isKey(relation, relation.columns[i]))
            continue;
        keyMatch += (keyMatch.empty() ? "" : " AND ") + std::string("t.")
                    + db::quoteIdentifier(relation.columns[i].name) + " = "
                    + setValue(i, baseTypes);
    }
    switch (shape.kind) {
    case SetKind::Insert:
    case SetKind::Upsert: {
        std::string columns;
        std::string values;
        std::string keys;
        std::string updates;
        for (const std::size_t i : bound) {
            const std::string name = db::quoteIdentifier(relation.columns[i].name);
            columns += (columns.empty() ? "" : ", ") + name;
            values += (values.empty() ? "" : ", ") + setValue(i, baseTypes);
            if (!isKey(relation, relation.columns[i]))
                updates += (updates.empty() ? "" : ", ") + name + " = EXCLUDED." + name;
        }
        for (const auto &column : relation.columns) {
            if (isKey(relation, column))
                keys += (keys.empty() ? "" : ", ") + db::quoteIdentifier(column.name);
        }
        const bool overwrite
                = shape.kind == SetKind::Upsert || policy == ConflictPolicy::SourceWins;
        statement.sql = "INSERT INTO " + table + " (" + columns + ") SELECT " + values + " FROM "
                        + rows + " ON CONFLICT (" + keys + ") DO "
                        + (overwrite && !updates.empty() ? "UPDATE SET " + updates
                                                         : std::string("NOTHING"))
                        + " RETURNING (xmax = 0)";
        break;
    }
    case SetKind::Update: {
        std::string sets;
        for (const std::size_t i : bound) {
            sets += (sets.empty() ? "" : ", ") + db::quoteIdentifier(relation.columns[i].name)
                    + " = " + setValue(i, baseTypes);
        }
        statement.sql
                = "UPDATE " + table + " AS t SET " + sets + " FROM " + rows + " WHERE " + keyMatch;
        break;
    }
    case SetKind::Delete:
        statement.sql = "DELETE FROM " + table + " AS t USING " + rows + " WHERE " + keyMatch;
        break;
    }
    return out;
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
