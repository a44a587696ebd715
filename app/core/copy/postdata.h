#pragma once

#include <string>
#include <vector>

namespace envsync::copy {

/// One archive entry of a pg_dump plain-text script ("-- Name: x; Type: INDEX; Schema: ...").
struct DumpEntry
{
    std::string type; ///< "INDEX", "CONSTRAINT", "FK CONSTRAINT", "TRIGGER", "COMMENT", ...
    std::string name;   ///< pg_dump's tag: "idx" for an index, "table constraint" for a constraint
    std::string schema; ///< "-" when the object has no schema
    std::string sql;
};

/// A plain pg_dump script cut into its preamble (SET statements every session needs) and its
/// entries. psql meta-commands (`\restrict`, `\unrestrict`, `\connect`) are dropped: the script
/// is sent through libpq, which does not understand them.
struct DumpScript
{
    std::string preamble;
    std::vector<DumpEntry> entries;
};

[[nodiscard]] DumpScript splitDumpScript(const std::string &script);

} // namespace envsync::copy
