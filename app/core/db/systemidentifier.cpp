#include "core/db/systemidentifier.h"

#include "core/db/connection.h"

#include <pqxx/nontransaction>

namespace envsync::db {

Result<std::string> systemIdentifier(pqxx::connection &conn, const std::string &who)
{
    return guarded(who, "system identifier", [&] {
        pqxx::nontransaction tx(conn);
        return tx.exec1("SELECT system_identifier::text FROM pg_control_system()")[0].as<std::string>();
    });
}

} // namespace envsync::db
