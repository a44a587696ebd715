// The differ's orchestrator: diff() classifies what is recreated, runs the per-kind parts
// (diff_*.cpp, declared in diffparts.h) in a fixed order and assigns severities.
#include "core/drift/diff.h"

#include "core/drift/diffparts.h"

#include <tuple>

namespace envsync::drift {

namespace detail {

/// "a=1" → {"a", "1"}
std::pair<std::string, std::string> splitOption(const std::string &option)
{
    const auto eq = option.find('=');
    if (eq == std::string::npos)
        return {option, {}};
    return {option.substr(0, eq), option.substr(eq + 1)};
}

std::string optionList(const std::vector<std::string> &options)
{
    std::vector<std::string> items;
    for (const auto &option : options) {
        const auto [key, value] = splitOption(option);
        items.push_back(q(key) + " = " + db::quoteLiteral(value));
    }
    return joinList(items, ", ");
}

void Differ::classify()
{
    for (const auto &e : m_from.enums)
        m_fromEnums.insert(e.name);
    for (const auto &e : m_to.enums)
        m_toEnums.insert(e.name);
    auto functionsOnViews = [](const SchemaCatalog &s, std::set<std::string> &out) {
        for (const auto &d : s.dependencies) {
            if (d.dependent.starts_with("function\x1f") && d.referenced.starts_with("view\x1f"))
                out.insert(d.dependent);
        }
    };
    functionsOnViews(m_from, m_fromFunctionsOnViews);
    functionsOnViews(m_to, m_toFunctionsOnViews);
    for (const auto &t : m_from.tables) {
        const TableDef *to = m_toRelations.table(t.name);
        if (!to)
            continue;
        for (const auto &c : t.columns) {
            const auto toColumn = std::ranges::find(to->columns, c.name, &ColumnDef::name);
            if (c.identitySequence && toColumn != to->columns.end()
                && toColumn->identity == Identity::None
                && std::ranges::binary_search(m_to.sequences, c.identitySequence->name, {},
                                              &SequenceDef::name))
                m_sequencesAfterIdentity.insert(c.identitySequence->name);
        }
    }
    for (const auto &t : m_to.tables) {
        const TableDef *f = m_fromRelations.table(t.name);
        if (f && (f->kind != t.kind || f->partitionKey != t.partitionKey))
            m_recreatedTables.insert(t.name);
    }
    // Partitions go with a recreated partitioned table.
    bool grown = true;
    while (grown) {
        grown = false;
        for (const auto &t : m_from.tables) {
            if (t.partitionOf && m_recreatedTables.contains(*t.partitionOf)
                && m_toRelations.table(t.name) && m_recreatedTables.insert(t.name).second)
                grown = true;
        }
    }
    for (const auto &t : m_to.tables) {
        const TableDef *f = m_fromRelations.table(t.name);
        if (!f || m_recreatedTables.contains(t.name))
            continue;
        auto names = [](const TableDef &table) {
            std::set<std::string> out;
            for (const auto &c : table.columns)
                out.insert(c.name);
            return out;
        };
        const auto fromNames = names(*f);
        const auto toNames = names(t);
        for (const auto &c : toNames) {
            if (!fromNames.contains(c))
                m_addedColumns.insert({t.name, c});
        }
        for (const auto &c : fromNames) {
            if (!toNames.contains(c))
                m_removedColumns.insert({t.name, c});
        }
        for (const auto &c : t.columns) {
            const auto fc = std::ranges::find(f->columns, c.name, &ColumnDef::name);
            if (fc != f->columns.end() && fc->generatedExpr != c.generatedExpr
                && !c.generatedExpr.empty())
                m_recreatedColumns.insert({t.name, c.name});
        }
    }
    for (const auto &v : m_to.views) {
        const ViewDef *f = m_fromRelations.view(v.name);
        if (f
            && (f->kind != v.kind || !sameExpression(f->definition, v.definition)
                || f->options != v.options))
            m_changedViews.insert(v.name);
    }
}

std::vector<Difference> Differ::run()
{
    classify();
    diffSchemas();
    diffExtensions();
    diffCollations();
    diffEnums();
    diffDomains();
    diffCompositeTypes();
    diffSequences();
    diffFunctions();
    diffTables();
    diffConstraints();
    diffIndexes();
    diffViews();
    diffTriggers();
    diffPolicies();

    std::vector<Difference> out;
    out.reserve(m_pending.size());
    for (auto &p : m_pending) {
        if (p.aspects.empty())
            p.aspects.push_back(p.d.kind == ObjectKind::Comment ? Aspect::Comment
                                                                : Aspect::Presence);
        Severity severity = Severity::Info;
        for (const Aspect aspect : p.aspects)
            severity = std::max(severity, severityFor(p.d.kind, p.d.change, aspect));
        p.d.severity = severity;
        out.push_back(std::move(p.d));
    }
    std::ranges::stable_sort(out, [](const Difference &a, const Difference &b) {
        return std::tie(a.schema, a.name, a.kind) < std::tie(b.schema, b.name, b.kind);
    });
    return out;
}

} // namespace detail

std::vector<Difference> diff(const SchemaCatalog &from, const SchemaCatalog &to,
                             const IgnoreRules &ignore)
{
    return applyIgnoreRules(detail::Differ(from, to).run(), ignore);
}

} // namespace envsync::drift
