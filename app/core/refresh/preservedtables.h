#pragma once

#include "core/error.h"

#include <pqxx/connection>

#include <string>
#include <vector>

namespace envsync::refresh {

/// What keeping one table from the current database did.
struct PreservedTable
{
    std::string table; ///< schema.table
    std::int64_t rows = 0;
    std::string note;  ///< why it was skipped, if it was
};

/// Replaces the rows of each `schema.table` in `next` with those of `live` (the columns both
/// have, generated ones excepted), with foreign-key triggers off for the session so unrelated
/// golden rows stay. Meant for small tables (test users, feature flags): the rows travel as
/// one bound JSON value. Owned sequences are moved past the kept keys. A table missing on
/// either side is skipped with a note, not an error.
[[nodiscard]] Result<std::vector<PreservedTable>>
preserveTables(pqxx::connection &live, pqxx::connection &next,
               const std::vector<std::string> &tables, const std::string &who);

} // namespace envsync::refresh
