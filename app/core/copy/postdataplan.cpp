#include "core/copy/postdataplan.h"

#include "core/db/sqlquote.h"

namespace envsync::copy {

namespace {

bool isBlank(const std::string &sql)
{
    return sql.find_first_not_of(" \n\t") == std::string::npos;
}

std::string qualified(const std::string &schema, const std::string &name)
{
    return db::qualifiedName(schema, name);
}

} // namespace

std::string withNotValid(const std::string &sql)
{
    const auto end = sql.find_last_not_of(" \n\t");
    if (end == std::string::npos || sql[end] != ';')
        return {};
    return sql.substr(0, end) + " NOT VALID;\n";
}

PostDataPlan planPostData(const DumpScript &post, const PostDataOwners &owners,
                          const std::vector<CopiedTable> &tables)
{
    std::map<std::pair<std::string, std::string>, int> tableIndex;
    for (int i = 0; i < static_cast<int>(tables.size()); ++i)
        tableIndex[{tables[i].schema, tables[i].name}] = i;
    auto indexOf = [&](const std::string &schema, const std::string &name) {
        const auto it = tableIndex.find({schema, name});
        return it == tableIndex.end() ? -1 : it->second;
    };

    PostDataPlan plan;
    plan.preamble = post.preamble;
    plan.tableBuilds.resize(tables.size());
    for (const auto &table : tables)
        plan.analyze.push_back("VACUUM (ANALYZE) " + qualified(table.schema, table.name));

    for (const auto &entry : post.entries) {
        if (isBlank(entry.sql))
            continue;
        const auto owner = owners.find({entry.schema, entry.name});
        const int table = owner == owners.end() ? -1 : indexOf(owner->second.schema, owner->second.table);
        if (table >= 0 && (entry.type == "INDEX" || entry.type == "CONSTRAINT")) {
            plan.tableBuilds[static_cast<std::size_t>(table)].push_back(entry.sql);
            continue;
        }
        if (table >= 0 && entry.type == "FK CONSTRAINT") {
            const PostDataOwner &fk = owner->second;
            const int referenced = indexOf(fk.referencedSchema, fk.referencedTable);
            std::string addNotValid = withNotValid(entry.sql);
            if (referenced >= 0 && !addNotValid.empty()) {
                plan.foreignKeys.push_back({table, referenced, std::move(addNotValid),
                                            "ALTER TABLE ONLY " + qualified(fk.schema, fk.table)
                                                    + " VALIDATE CONSTRAINT "
                                                    + db::quoteIdentifier(fk.constraintName)});
                continue;
            }
        }
        plan.tail.push_back(entry.sql);
    }
    return plan;
}

} // namespace envsync::copy
