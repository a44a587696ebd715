#pragma once

#include "core/copy/postdata.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace envsync::copy {

/// The table a post-data object is built on, as the source catalogue says (read in the
/// exported snapshot). Keyed by (schema, pg_dump tag) — see PostDataOwners.
struct PostDataOwner
{
    std::string schema;
    std::string table;
    /// Foreign keys only: the referenced table and the constraint's own name (for VALIDATE).
    std::string referencedSchema;
    std::string referencedTable;
    std::string constraintName;
};

/// (schema, tag) → owner; the tag is "index" for indexes, "table constraint" for constraints,
/// exactly as pg_dump writes it in "-- Name:".
using PostDataOwners = std::map<std::pair<std::string, std::string>, PostDataOwner>;

/// A foreign key that can be added once both of its tables are indexed.
struct ForeignKeyStep
{
    int table = -1;      ///< index into the copied tables (the referencing side)
    int referenced = -1; ///< the referenced side (may equal `table`)
    std::string addNotValid; ///< the dump's ADD CONSTRAINT with NOT VALID: takes its locks briefly
    std::string validate;    ///< VALIDATE CONSTRAINT: only SHARE UPDATE EXCLUSIVE, so in parallel
};

/// Post-data split so each table's indexes can be built as soon as its data is in, instead of
/// after the whole copy (the serial tail was a third of the copy time on the 2 GB benchmark).
struct PostDataPlan
{
    /// Per copied table (same order as the table list): its index and key-constraint DDL.
    std::vector<std::vector<std::string>> tableBuilds;
    /// Per copied table: VACUUM (ANALYZE) of it, run once its builds are done: statistics (of
    /// masked values only) and the visibility map, so FK validation can use index-only scans.
    std::vector<std::string> analyze;
    std::vector<ForeignKeyStep> foreignKeys;
    /// Everything else (triggers, rules, indexes of partitioned parents, comments, matview data),
    /// in dump order, run on one connection after all of the above.
    std::vector<std::string> tail;
    std::string preamble; ///< the SET statements every post-data session runs first
};

struct CopiedTable
{
    std::string schema;
    std::string name;
};

[[nodiscard]] PostDataPlan planPostData(const DumpScript &post, const PostDataOwners &owners,
                                        const std::vector<CopiedTable> &tables);

/// `sql` with " NOT VALID" before its final semicolon ("" when it has none).
[[nodiscard]] std::string withNotValid(const std::string &sql);

} // namespace envsync::copy
