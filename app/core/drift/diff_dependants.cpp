// Cascades of a change: views, foreign keys and triggers (FROM) that must be dropped and
// recreated because something they read is recreated, and columns retyped with their type.
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

void Differ::rebuildDependentViews(Pending &p, std::set<ColumnRef> columns,
                                   std::set<QualifiedName> relations,
                                   std::set<std::string> functions)
{
    std::set<QualifiedName> affected;
    bool grown = true;
    while (grown) {
        grown = false;
        for (const auto &v : m_from.views) {
            if (affected.contains(v.name))
                continue;
            const bool hit
                    = std::ranges::any_of(v.dependsOnColumns,
                                          [&](const auto &c) { return columns.contains(c); })
                      || std::ranges::any_of(v.dependsOnRelations,
                                             [&](const auto &r) { return relations.contains(r); })
                      || std::ranges::any_of(v.dependsOnFunctions,
                                             [&](const auto &f) { return functions.contains(f); });
            if (hit) {
                affected.insert(v.name);
                relations.insert(v.name);
                grown = true;
            }
        }
    }
    for (const auto &name : affected) {
        dropView(p, *m_fromRelations.view(name));
        if (const ViewDef *v = m_toRelations.view(name))
            createView(p, *v);
    }
}

void Differ::rebuildDependentForeignKeys(Pending &p, const std::set<QualifiedName> &indexes,
                                         const std::set<QualifiedName> &tables)
{
    for (const auto &fk : m_from.constraints) {
        if (fk.type != ConstraintType::ForeignKey)
            continue;
        const bool usesIndex = fk.referencedIndex && indexes.contains(*fk.referencedIndex);
        const bool referencesTable = fk.referencedTable && tables.contains(*fk.referencedTable);
        if ((!usesIndex && !referencesTable) || !tableStable(fk.table))
            continue;
        stmt(p, Phase::DropForeignKeys,
             alterTable(fk.table) + "DROP CONSTRAINT IF EXISTS " + q(fk.name));
        const auto it = std::ranges::find_if(m_to.constraints, [&](const ConstraintDef &c) {
            return c.table == fk.table && c.name == fk.name;
        });
        if (it != m_to.constraints.end())
            createConstraint(p, *it);
    }
}

void Differ::rebuildDependentTriggers(Pending &p, const std::string &functionKey)
{
    for (const auto &t : m_from.triggers) {
        if (t.functionKey != functionKey || !relationStable(t.table))
            continue;
        stmt(p, Phase::DropTriggers, "DROP TRIGGER IF EXISTS " + q(t.name) + " ON " + q(t.table));
        const auto it = std::ranges::find_if(m_to.triggers, [&](const TriggerDef &x) {
            return x.table == t.table && x.name == t.name;
        });
        if (it != m_to.triggers.end())
            createTrigger(p, *it);
    }
}

void Differ::rewriteColumnsOfType(Pending &p, const QualifiedName &type, bool viaText,
                                  const std::string &reason)
{
    std::set<ColumnRef> touched;
    for (const auto &t : m_from.tables) {
        for (const auto &c : t.columns) {
            const ColumnRef ref{t.name, c.name};
            if (c.typeRef != type || !columnStable(ref))
                continue;
            const TableDef *toTable = m_toRelations.table(t.name);
            const auto toColumn = std::ranges::find(toTable->columns, c.name, &ColumnDef::name);
            if (toColumn == toTable->columns.end())
                continue;
            touched.insert(ref);
            const std::string column = alterColumn(t.name, c.name);
            if (!c.defaultExpr.empty())
                maybeUnsafe(p, Phase::AlterTables, column + "DROP DEFAULT", reason, -1);
            std::string cast = q(c.name) + "::";
            if (viaText)
                cast += c.isArray ? "text[]::" : "text::";
            maybeUnsafe(p, Phase::AlterTables,
                        column + "TYPE " + toColumn->type + " USING " + cast + toColumn->type,
                        reason, -1);
            if (!toColumn->defaultExpr.empty())
                maybeUnsafe(p, Phase::AlterTables, column + "SET DEFAULT " + toColumn->defaultExpr,
                            reason, -1);
        }
    }
    if (!touched.empty())
        rebuildDependentViews(p, touched, {}, {});
}

} // namespace envsync::drift::detail
