#pragma once

#include "core/error.h"

#include <pqxx/connection>

#include <string>

namespace envsync::refresh {

/// Database-level operations on a region's cluster, through a connection to its maintenance
/// database. All names are quoted; `who` names the region in errors.
class DatabaseSwap
{
public:
    DatabaseSwap(pqxx::connection &admin, std::string who);

    [[nodiscard]] Result<bool> exists(const std::string &database);
    /// DROP DATABASE IF EXISTS … WITH (FORCE), after clearing IS_TEMPLATE.
    [[nodiscard]] Result<void> drop(const std::string &database);
    /// Re-allows connections to a database a killed swap left closed.
    [[nodiscard]] Result<void> reopen(const std::string &database);
    /// Sessions connected to `database` ("pid user application"), for the dry-run plan.
    [[nodiscard]] Result<std::vector<std::string>> sessions(const std::string &database);

    /// live → prev and next → live in one transaction, after closing live to new sessions and
    /// terminating the current ones. Without a live database, next is simply renamed.
    /// Returns the milliseconds during which the region was unavailable.
    [[nodiscard]] Result<double> promote(const std::string &live, const std::string &next,
                                         const std::string &prev);
    /// live ↔ prev (three renames through `scratch`) in one transaction: rollback, repeatable.
    [[nodiscard]] Result<double> exchange(const std::string &live, const std::string &prev,
                                          const std::string &scratch);

private:
    [[nodiscard]] Result<void> closeAndTerminate(const std::string &database);
    /// Runs the renames in one transaction, retrying while a terminated backend is still
    /// exiting (55006 object_in_use).
    [[nodiscard]] Result<void> renameAtomically(
            const std::vector<std::pair<std::string, std::string>> &renames);

    pqxx::connection &m_admin;
    std::string m_who;
};

} // namespace envsync::refresh
