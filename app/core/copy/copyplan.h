#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace envsync::copy {

/// One column of a source table as its catalog describes it.
struct CatalogColumn
{
    std::string name;
    bool binarySafe = true; ///< a built-in type (or enum) whose binary form travels as is
};

/// What the source's catalog says about one table, read in the exported snapshot.
struct CatalogTable
{
    std::string schema;
    std::string name;
    std::vector<CatalogColumn> columns; ///< in attnum order, no dropped or generated ones
    std::int64_t estimatedRows = 0;     ///< reltuples; 0 when never analyzed
    std::int64_t blocks = 0;            ///< heap blocks (pg_relation_size / block_size)
    bool masked = false;                ///< the mask plan transforms some of its columns
    std::string primaryKey;             ///< its single-column primary key; empty when none
};

struct PlanOptions
{
    int jobs = 1;                            ///< data workers
    std::int64_t rangeRows = 200000;         ///< rows per range of a table that is split
    std::vector<std::string> excludeSchemas; ///< their tables are not copied
    std::set<std::string> nullColumns;       ///< "schema.table.column" written as NULL
    bool binaryCompatible = true;            ///< source and target share a major version
};

/// A table the copy moves.
struct PlannedTable
{
    std::size_t catalogIndex = 0; ///< position in the catalog list given to planCopy
    std::string schema;
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::string> selectExpressions; ///< quoted column, or NULL for a null column
    std::int64_t estimatedRows = 0;
    std::int64_t blocks = 0;
    bool masked = false;
    /// Binary COPY; text when masked, when a column is NULLed or a type is not built in.
    bool binary = false;
    int ranges = 1;

    [[nodiscard]] std::string display() const { return schema + '.' + name; }
};

/// Heap blocks [first, end) read by a TID range scan; end nullopt: to the end of the table.
struct BlockRange
{
    std::int64_t first = 0;
    std::optional<std::int64_t> end;
};

/// One unit of work handed to a data worker.
struct PlannedItem
{
    std::size_t table = 0;           ///< index into CopyPlan::tables
    std::optional<BlockRange> range; ///< nullopt: the whole table
    std::int64_t weight = 0;         ///< heap blocks: the work list is ordered by it

    /// The WHERE condition of a range ("ctid >= '(0,0)'::tid AND …"); empty for a whole table.
    [[nodiscard]] std::string where() const;
};

struct CopyPlan
{
    std::vector<PlannedTable> tables; ///< in catalog order
    std::vector<PlannedItem> items;   ///< in the order workers take them
};

/// Which tables are copied and how (text or binary), which are split into heap-block ranges,
/// and the order the work is handed out: a pure function of the catalog facts.
[[nodiscard]] CopyPlan planCopy(const std::vector<CatalogTable> &catalog,
                                const PlanOptions &options);

} // namespace envsync::copy
