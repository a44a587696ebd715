#include "core/copy/copyplan.h"

#include "core/db/sqlquote.h"

#include <algorithm>

namespace envsync::copy {

namespace {

PlannedTable planTable(const CatalogTable &source, std::size_t index, const PlanOptions &options)
{
    PlannedTable table;
    table.catalogIndex = index;
    table.schema = source.schema;
    table.name = source.name;
    table.estimatedRows = source.estimatedRows;
    table.blocks = source.blocks;
    table.masked = source.masked;
    bool binarySafe = true;
    bool anyNull = false;
    for (const auto &column : source.columns) {
        table.columns.push_back(column.name);
        binarySafe = binarySafe && column.binarySafe;
        if (options.nullColumns.contains(table.display() + '.' + column.name)) {
            table.selectExpressions.push_back("NULL");
            anyNull = true;
        } else {
            table.selectExpressions.push_back(db::quoteIdentifier(column.name));
        }
    }
    table.binary = options.binaryCompatible && binarySafe && !table.masked && !anyNull;
    return table;
}

/// True when one table holds more than its share of the copy (`blocks * jobs > totalBlocks`):
/// copied whole it would still be running when the other workers are done, so it is split.
bool outlastsTheRest(const PlannedTable &table, std::int64_t totalBlocks, int jobs)
{
    return jobs > 1 && table.blocks * jobs > totalBlocks;
}

/// How many ranges a table that is split gets: about `rangeRows` rows each or, for a table
/// never analyzed (no row estimate), 2048 heap blocks (16 MB of 8 kB pages) each.
std::int64_t rangeCount(const PlannedTable &table, std::int64_t rangeRows)
{
    constexpr std::int64_t unanalyzedRangeBlocks = 2048;
    if (table.estimatedRows > 0)
        return std::max<std::int64_t>(1, (table.estimatedRows + rangeRows - 1) / rangeRows);
    return std::max<std::int64_t>(1, (table.blocks + unanalyzedRangeBlocks - 1)
                                             / unanalyzedRangeBlocks);
}

/// `parts` ranges of whole heap blocks: each is read by a TID Range Scan (PostgreSQL >= 14), a
/// sequential read of its blocks with no index involved. The last range is open-ended, so rows
/// in blocks past the (estimated) end are still read.
int splitByBlocks(const PlannedTable &table, std::size_t tableIndex, std::int64_t parts,
                  std::vector<PlannedItem> &items)
{
    const std::int64_t step = (table.blocks + parts - 1) / parts;
    int count = 0;
    for (std::int64_t block = 0; block < table.blocks; block += step) {
        BlockRange range{block, std::nullopt};
        if (block + step < table.blocks)
            range.end = block + step;
        items.push_back({tableIndex, range, step});
        ++count;
    }
    return count;
}

} // namespace

std::string PlannedItem::where() const
{
    if (!range)
        return {};
    std::string where = "ctid >= '(" + std::to_string(range->first) + ",0)'::tid";
    if (range->end)
        where += " AND ctid < '(" + std::to_string(*range->end) + ",0)'::tid";
    return where;
}

/// One item per table, biggest first (in heap blocks, which the copy time follows more closely
/// than rows), so the biggest tables' index builds start early; only a table that would outlast
/// the rest is split into ranges of heap blocks. Whole tables are preferred: on PostgreSQL 15
/// workers writing into one table contend for its extension lock, and only a whole-table COPY
/// can load frozen rows. (Ranges of an integer key, used before, cost the source an index scan
/// per range.)
CopyPlan planCopy(const std::vector<CatalogTable> &catalog, const PlanOptions &options)
{
    CopyPlan plan;
    for (std::size_t i = 0; i < catalog.size(); ++i) {
        if (std::ranges::find(options.excludeSchemas, catalog[i].schema)
            != options.excludeSchemas.end())
            continue;
        plan.tables.push_back(planTable(catalog[i], i, options));
    }
    const std::int64_t rangeRows = std::max<std::int64_t>(options.rangeRows, 1);
    std::int64_t totalBlocks = 0;
    for (const auto &table : plan.tables)
        totalBlocks += table.blocks;
    for (std::size_t t = 0; t < plan.tables.size(); ++t) {
        PlannedTable &table = plan.tables[t];
        const std::int64_t parts = rangeCount(table, rangeRows);
        if (parts > 1 && table.blocks > 1 && outlastsTheRest(table, totalBlocks, options.jobs)) {
            table.ranges = splitByBlocks(table, t, std::min(table.blocks, parts), plan.items);
            continue;
        }
        plan.items.push_back({t, std::nullopt, table.blocks});
    }
    std::stable_sort(
            plan.items.begin(), plan.items.end(),
            [](const PlannedItem &a, const PlannedItem &b) { return a.weight > b.weight; });
    return plan;
}

} // namespace envsync::copy
