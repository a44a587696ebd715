#pragma once

// Hand-built schema catalogs for tests of the masking rules (no database).

#include "core/drift/schemacatalog.h"

#include <string>
#include <vector>

namespace envsync::test {

/// A table whose columns are all text.
inline drift::TableDef textTable(const drift::QualifiedName &name,
                                 const std::vector<std::string> &columns)
{
    drift::TableDef table;
    table.name = name;
    for (const auto &column : columns) {
        drift::ColumnDef def;
        def.name = column;
        def.type = "text";
        table.columns.push_back(def);
    }
    return table;
}

/// A foreign key from `columns` of `from` to `keys` of `to` (pairwise).
inline drift::ConstraintDef foreignKey(const std::string &name, const drift::QualifiedName &from,
                                       const std::vector<std::string> &columns,
                                       const drift::QualifiedName &to,
                                       const std::vector<std::string> &keys)
{
    drift::ConstraintDef fk;
    fk.table = from;
    fk.name = name;
    fk.type = drift::ConstraintType::ForeignKey;
    fk.referencedTable = to;
    fk.columns = columns;
    fk.referencedColumns = keys;
    return fk;
}

} // namespace envsync::test
