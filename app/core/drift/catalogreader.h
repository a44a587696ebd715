#pragma once

#include "core/drift/schemacatalog.h"
#include "core/error.h"
#include "core/job/canceltoken.h"

#include <pqxx/connection_base>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace envsync::drift {

/// Called before each catalog query ("tables", 3, 16) and once at the end ("done", 16, 16).
/// Runs on the reading thread.
using CatalogProgressFn = std::function<void(const std::string &step, int done, int total)>;

struct CatalogOptions
{
    /// Names the database in errors: "region eu", "source".
    std::string who = "database";
    /// Skipped in addition to the system schemas and EnvSync's own (`envsync`, `_envsync`).
    std::vector<std::string> excludeSchemas;
    /// When not empty, only these schemas are read.
    std::vector<std::string> includeSchemas;
    CatalogProgressFn progress;
    /// Checked between the catalog queries; cancels the one in flight (Cancelled).
    std::shared_ptr<job::CancelToken> cancel;
};

/// Reads the schema of the connected database in one read-only REPEATABLE READ transaction
/// with one batched query per object category (≈15 round trips, whatever the schema size).
/// Skips system schemas, EnvSync's own schemas and objects that belong to extensions.
/// Blocking: call it from a worker thread that owns `connection` (refused with WrongThread on
/// the registered GUI thread). Never throws: libpqxx errors become an Error whose context is
/// "<who>: schema catalog (<step>)".
[[nodiscard]] Result<SchemaCatalog> readCatalog(pqxx::connection_base &connection,
                                                const CatalogOptions &options = {});

/// The schemas a catalog read always skips (besides pg_toast* and pg_temp*).
[[nodiscard]] const std::vector<std::string> &alwaysExcludedSchemas();

} // namespace envsync::drift
