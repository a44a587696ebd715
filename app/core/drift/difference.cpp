#include "core/drift/difference.h"

#include "core/drift/ddl.h"

#include <algorithm>
#include <array>
#include <utility>

namespace envsync::drift {

namespace {

constexpr std::array kindNames = {
        std::pair{ObjectKind::Schema, std::string_view("schema")},
        std::pair{ObjectKind::Extension, std::string_view("extension")},
        std::pair{ObjectKind::Table, std::string_view("table")},
        std::pair{ObjectKind::Column, std::string_view("column")},
        std::pair{ObjectKind::Constraint, std::string_view("constraint")},
        std::pair{ObjectKind::Index, std::string_view("index")},
        std::pair{ObjectKind::Sequence, std::string_view("sequence")},
        std::pair{ObjectKind::View, std::string_view("view")},
        std::pair{ObjectKind::MaterializedView, std::string_view("materialized_view")},
        std::pair{ObjectKind::Function, std::string_view("function")},
        std::pair{ObjectKind::Procedure, std::string_view("procedure")},
        std::pair{ObjectKind::Trigger, std::string_view("trigger")},
        std::pair{ObjectKind::Enum, std::string_view("enum")},
        std::pair{ObjectKind::Domain, std::string_view("domain")},
        std::pair{ObjectKind::Type, std::string_view("type")},
        std::pair{ObjectKind::Collation, std::string_view("collation")},
        std::pair{ObjectKind::Policy, std::string_view("policy")},
        std::pair{ObjectKind::Rls, std::string_view("rls")},
        std::pair{ObjectKind::Comment, std::string_view("comment")},
        std::pair{ObjectKind::Privilege, std::string_view("privilege")},
};

} // namespace

bool Difference::unsafe() const
{
    return std::ranges::any_of(statements, &DdlStatement::unsafe);
}

std::string Difference::detailText() const
{
    std::string out;
    for (const auto &detail : details) {
        if (!out.empty())
            out += "; ";
        out += detail;
    }
    return out;
}

std::string Difference::ddl() const
{
    std::string out;
    for (const auto &statement : statements)
        out += renderStatement(statement, true);
    if (!out.empty() && out.back() == '\n')
        out.pop_back();
    return out;
}

std::string_view kindName(ObjectKind kind)
{
    for (const auto &[k, name] : kindNames) {
        if (k == kind)
            return name;
    }
    return "unknown";
}

std::optional<ObjectKind> kindFromName(std::string_view name)
{
    for (const auto &[k, n] : kindNames) {
        if (n == name)
            return k;
    }
    return std::nullopt;
}

const std::vector<ObjectKind> &allKinds()
{
    static const std::vector<ObjectKind> kinds = [] {
        std::vector<ObjectKind> out;
        for (const auto &entry : kindNames)
            out.push_back(entry.first);
        return out;
    }();
    return kinds;
}

std::string_view changeName(Change change)
{
    switch (change) {
    case Change::Added:
        return "added";
    case Change::Removed:
        return "removed";
    case Change::Changed:
        return "changed";
    }
    return "changed";
}

std::string_view regionChangeName(Change change)
{
    switch (change) {
    case Change::Added:
        return "missing";
    case Change::Removed:
        return "extra";
    case Change::Changed:
        return "changed";
    }
    return "changed";
}

std::string_view severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return "info";
    case Severity::Warning:
        return "warning";
    case Severity::Breaking:
        return "breaking";
    }
    return "warning";
}

} // namespace envsync::drift
