#include "core/drift/ddl.h"

#include "core/drift/diff.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace envsync::drift {

std::string quoteIdent(std::string_view identifier)
{
    std::string out;
    out.reserve(identifier.size() + 2);
    out += '"';
    for (const char c : identifier) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string quoteLiteral(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 2);
    out += '\'';
    for (const char c : text) {
        if (c == '\'')
            out += '\'';
        out += c;
    }
    out += '\'';
    return out;
}

std::string quoteQualified(const QualifiedName &name)
{
    return quoteIdent(name.schema) + '.' + quoteIdent(name.name);
}

namespace {

std::string commentedOut(const std::string &sql)
{
    std::string out = "-- ";
    for (const char c : sql) {
        out += c;
        if (c == '\n')
            out += "-- ";
    }
    return out;
}

} // namespace

std::string renderStatement(const DdlStatement &statement, bool allowUnsafe)
{
    const std::string sql = statement.sql + ';';
    if (!statement.unsafe)
        return sql + '\n';
    std::string out = "-- unsafe: " + statement.reason;
    out += allowUnsafe ? "\n" : " (not run: pass allowUnsafe / --allow-unsafe)\n";
    out += (allowUnsafe ? sql : commentedOut(sql)) + '\n';
    return out;
}

std::string renderScript(const std::vector<Difference> &differences, bool allowUnsafe)
{
    struct Item
    {
        const DdlStatement *statement;
        std::size_t sequence;
    };
    std::vector<Item> items;
    for (const auto &difference : differences) {
        for (const auto &statement : difference.statements)
            items.push_back({&statement, items.size()});
    }
    if (items.empty())
        return {};
    std::ranges::stable_sort(items, [](const Item &a, const Item &b) {
        return std::tuple(a.statement->phase, a.statement->order, a.sequence)
               < std::tuple(b.statement->phase, b.statement->order, b.sequence);
    });
    std::string out = "-- EnvSync reconcile script: turns FROM's schema into TO's.\n"
                      "-- Run it in one transaction; review every \"-- unsafe\" statement.\n"
                      "SET check_function_bodies = false;\n";
    // The same statement may come from several differences (a view rebuilt for two column
    // changes); it runs once, and it is safe when any of them needs it as a safe statement.
    std::set<std::string> safe;
    for (const auto &item : items) {
        if (!item.statement->unsafe)
            safe.insert(item.statement->sql);
    }
    std::set<std::string> seen;
    for (const auto &item : items) {
        if (!seen.insert(item.statement->sql).second)
            continue;
        DdlStatement statement = *item.statement;
        if (safe.contains(statement.sql))
            statement.unsafe = false;
        out += '\n';
        out += renderStatement(statement, allowUnsafe);
    }
    return out;
}

std::string reconcileSql(const SchemaSnapshot &from, const SchemaSnapshot &to,
                         const DdlOptions &options)
{
    return renderScript(diff(from, to, options.ignore), options.allowUnsafe);
}

} // namespace envsync::drift
