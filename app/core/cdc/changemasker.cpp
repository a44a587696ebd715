#include "core/cdc/changemasker.h"

#include "core/masking/copytext.h"
#include "core/snapshot/maskingsupport.h"

#include <map>
#include <string_view>
#include <vector>

namespace envsync::cdc {

namespace {

std::string columnKey(const std::string &schema, const std::string &table,
                      const std::string &column)
{
    return schema + '.' + table + '.' + column;
}

/// Splits a COPY text row at its tabs (escaped tabs are "\t", never a raw tab).
void splitFields(const std::string &row, std::vector<std::string_view> &fields)
{
    fields.clear();
    std::size_t start = 0;
    while (true) {
        const std::size_t tab = row.find('\t', start);
        if (tab == std::string::npos) {
            fields.emplace_back(row.data() + start, row.size() - start);
            return;
        }
        fields.emplace_back(row.data() + start, tab - start);
        start = tab + 1;
    }
}

using TablesByName = std::map<drift::QualifiedName, const drift::TableDef *>;

/// A table's columns with their types: its own, and those it has from its partition parent or
/// INHERITS parents (the catalog lists local columns only).
void collectColumnTypes(const TablesByName &tables, const drift::TableDef &table,
                        std::map<std::string, std::string> &out, int depth)
{
    if (depth > 32) // a cycle cannot happen in PostgreSQL; do not loop if the catalog lies
        return;
    for (const auto &column : table.columns)
        out.emplace(column.name, column.type);
    std::vector<drift::QualifiedName> parents = table.inherits;
    if (table.partitionOf)
        parents.push_back(*table.partitionOf);
    for (const auto &parent : parents) {
        if (const auto found = tables.find(parent); found != tables.end())
            collectColumnTypes(tables, *found->second, out, depth + 1);
    }
}

} // namespace

ChangeMasker::ChangeMasker(config::MaskingConfig masking)
    : m_masking(std::move(masking))
{
}

Result<void> ChangeMasker::rebuild(const drift::SchemaCatalog &source)
{
    auto plan = snapshot::buildPlan(m_masking, source);
    if (!plan)
        return std::unexpected(plan.error());
    m_plan = std::move(*plan);
    m_columnTypes.clear();
    std::map<drift::QualifiedName, const drift::TableDef *> byName;
    for (const auto &table : source.tables)
        byName[table.name] = &table;
    for (const auto &table : source.tables)
        collectColumnTypes(byName, table, m_columnTypes[table.name.display()], 0);
    m_nullColumns.clear();
    if (m_plan && m_masking.unclassified == config::UnclassifiedPolicy::Null) {
        for (const auto &column : m_plan->unclassified())
            m_nullColumns.insert(columnKey(column.schema, column.table, column.column));
    }
    m_relations.clear();
    return {};
}

bool ChangeMasker::knows(const Relation &relation) const
{
    const auto table = m_columnTypes.find(relation.display());
    if (table == m_columnTypes.end())
        return false;
    for (const auto &column : relation.columns) {
        if (!table->second.contains(column.name))
            return false;
    }
    return true;
}

Result<void> ChangeMasker::addRelation(Relation &relation)
{
    const std::string name = relation.display();
    if (!knows(relation))
        return fail(ErrorCode::Internal, "the source schema read has no such table or column",
                    "table " + name);
    const auto &types = m_columnTypes.at(name);
    std::vector<std::string> columns;
    for (auto &column : relation.columns) {
        column.typeName = types.at(column.name);
        columns.push_back(column.name);
    }
    RelationMasking masking;
    masking.name = name;
    masking.columnCount = columns.size();
    masking.nulled.assign(columns.size(), false);
    if (m_plan) {
        if (m_masking.unclassified == config::UnclassifiedPolicy::Fail) {
            for (const auto &column : m_plan->unclassified()) {
                if (column.schema == relation.schema && column.table == relation.table)
                    return std::unexpected(
                            Error{ErrorCode::Refused,
                                  "column " + columnKey(column.schema, column.table, column.column)
                                          + " has no masking rule and is not in masking.keep; the "
                                            "stream stopped before writing any of its rows",
                                  "cdc", Refusal::UnclassifiedColumns});
            }
        }
        masking.masker = m_plan->forTable(relation.schema, relation.table, columns);
        for (std::size_t i = 0; i < columns.size(); ++i)
            masking.nulled[i] = m_nullColumns.contains(
                    columnKey(relation.schema, relation.table, columns[i]));
    }
    m_relations[relation.id] = std::move(masking);
    return {};
}

void ChangeMasker::maskTuple(const RelationMasking &relation, Tuple &tuple) const
{
    if (relation.masker) {
        std::string row;
        for (std::size_t i = 0; i < tuple.size(); ++i) {
            if (i > 0)
                row += '\t';
            if (tuple[i].kind == TupleValue::Kind::Text)
                masking::copytext::escape(tuple[i].text, row);
            else
                row += "\\N";
        }
        relation.masker->maskRow(row);
        std::vector<std::string_view> fields;
        splitFields(row, fields);
        for (std::size_t i = 0; i < tuple.size() && i < fields.size(); ++i) {
            if (tuple[i].kind == TupleValue::Kind::Unchanged)
                continue; // not sent, so not masked: the target keeps its (masked) value
            if (masking::copytext::isNull(fields[i])) {
                tuple[i] = {TupleValue::Kind::Null, {}};
                continue;
            }
            std::string text;
            masking::copytext::unescape(fields[i], text);
            tuple[i] = {TupleValue::Kind::Text, std::move(text)};
        }
    }
    for (std::size_t i = 0; i < tuple.size() && i < relation.nulled.size(); ++i) {
        if (relation.nulled[i] && tuple[i].kind != TupleValue::Kind::Unchanged)
            tuple[i] = {TupleValue::Kind::Null, {}};
    }
}

Result<void> ChangeMasker::mask(RowChange &change) const
{
    if (change.kind == ChangeKind::Truncate)
        return {};
    const auto relation = m_relations.find(change.relationId);
    if (relation == m_relations.end())
        return fail(ErrorCode::Internal,
                    "a change of relation " + std::to_string(change.relationId)
                            + " arrived before its description",
                    "cdc");
    const auto checkWidth = [&](const Tuple &tuple) -> Result<void> {
        if (tuple.size() != relation->second.columnCount)
            return fail(ErrorCode::Internal, "a row image does not match its relation's columns",
                        "table " + relation->second.name);
        return {};
    };
    if (change.oldTuple) {
        if (auto ok = checkWidth(*change.oldTuple); !ok)
            return ok;
        maskTuple(relation->second, *change.oldTuple);
    }
    if (change.kind != ChangeKind::Delete) {
        if (auto ok = checkWidth(change.newTuple); !ok)
            return ok;
        maskTuple(relation->second, change.newTuple);
    }
    return {};
}

} // namespace envsync::cdc
