#include "core/drift/ddl.h"

#include "core/drift/diff.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <vector>

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

std::string createCollationSql(const CollationDef &collation)
{
    std::string sql = "CREATE COLLATION " + quoteQualified(collation.name)
                      + " (provider = " + collation.provider;
    if (collation.provider == "icu")
        sql += ", locale = " + quoteLiteral(collation.locale);
    else
        sql += ", lc_collate = " + quoteLiteral(collation.lcCollate)
               + ", lc_ctype = " + quoteLiteral(collation.lcCtype);
    if (!collation.deterministic)
        sql += ", deterministic = false";
    return sql + ')';
}

namespace {

/// Index just past the bracket that closes the one at `open` ('(' or '['), skipping quoted
/// literals and identifiers; npos when unbalanced.
std::size_t pastClosing(std::string_view sql, std::size_t open)
{
    int depth = 0;
    for (std::size_t i = open; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            const auto end = sql.find(c, i + 1);
            if (end == std::string_view::npos)
                return std::string_view::npos;
            i = end; // a doubled quote reads as two adjacent literals: same effect
            continue;
        }
        if (c == '(' || c == '[')
            ++depth;
        else if ((c == ')' || c == ']') && --depth == 0)
            return i + 1;
    }
    return std::string_view::npos;
}

/// The comma-separated items of `list` at nesting depth 0.
std::vector<std::string_view> topLevelItems(std::string_view list)
{
    std::vector<std::string_view> items;
    std::size_t start = 0;
    int depth = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const char c = list[i];
        if (c == '\'' || c == '"') {
            const auto end = list.find(c, i + 1);
            if (end == std::string_view::npos)
                break;
            i = end;
        } else if (c == '(' || c == '[') {
            ++depth;
        } else if (c == ')' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 0) {
            items.push_back(list.substr(start, i - start));
            start = i + 1;
        }
    }
    items.push_back(list.substr(start));
    for (auto &item : items) {
        while (!item.empty() && item.front() == ' ')
            item.remove_prefix(1);
    }
    return items;
}

} // namespace

std::string normalizeExpression(std::string_view sql)
{
    static constexpr std::string_view arrayOpen = "(ARRAY[";
    std::string out;
    out.reserve(sql.size() + 16);
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            const auto end = sql.find(c, i + 1);
            const auto stop = end == std::string_view::npos ? sql.size() : end + 1;
            out.append(sql.substr(i, stop - i));
            i = stop;
            continue;
        }
        if (sql.substr(i, arrayOpen.size()) == arrayOpen) {
            // (ARRAY[e1, e2])::type[]  →  ARRAY[(e1)::type, (e2)::type]
            const std::size_t bracket = i + arrayOpen.size() - 1;
            const std::size_t afterArray = pastClosing(sql, bracket);
            if (afterArray != std::string_view::npos && sql.substr(afterArray, 3) == ")::") {
                const std::size_t typeStart = afterArray + 3;
                std::size_t typeEnd = typeStart;
                int depth = 0;
                bool found = false;
                while (typeEnd < sql.size()) {
                    const char t = sql[typeEnd];
                    if (t == '"') {
                        const auto end = sql.find('"', typeEnd + 1);
                        if (end == std::string_view::npos)
                            break;
                        typeEnd = end + 1;
                        continue;
                    }
                    if (depth == 0 && sql.substr(typeEnd, 2) == "[]") {
                        found = true;
                        break;
                    }
                    if (t == '(')
                        ++depth;
                    else if (t == ')' && --depth < 0)
                        break;
                    else if (depth == 0 && (t == ',' || t == '['))
                        break;
                    ++typeEnd;
                }
                const std::string_view type = sql.substr(typeStart, typeEnd - typeStart);
                if (found && !type.empty()) {
                    const std::string_view elements
                            = sql.substr(bracket + 1, afterArray - 1 - (bracket + 1));
                    out += "ARRAY[";
                    bool first = true;
                    for (const auto element : topLevelItems(elements)) {
                        if (!first)
                            out += ", ";
                        first = false;
                        out += '(';
                        out += normalizeExpression(element);
                        out += ")::";
                        out += type;
                    }
                    out += ']';
                    i = typeEnd + 2;
                    continue;
                }
            }
        }
        out += c;
        ++i;
    }
    return out;
}

bool sameExpression(const std::string &a, const std::string &b)
{
    return a == b || normalizeExpression(a) == normalizeExpression(b);
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
