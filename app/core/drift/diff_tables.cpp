// Tables: CREATE TABLE with everything it owns, drops, recreation when partitioning changes,
// and changes of persistence, partition bounds, inheritance, options and row-level security.
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

void Differ::createTable(Pending &p, const TableDef &t)
{
    for (const auto &s : m_to.sequences) {
        if (s.ownedBy && s.ownedBy->table == t.name)
            createSequence(p, s);
    }
    std::string sql = createTableHead(t);
    if (t.partitionOf) {
        sql += " PARTITION OF " + q(*t.partitionOf);
        if (!t.columns.empty()) {
            // Only constraints may be given for the columns of a partition.
            std::vector<std::string> items;
            for (const auto &c : t.columns)
                items.push_back(columnDefinition(c));
            sql += tableElements(items);
        }
        sql += ' ' + t.partitionBound;
    } else {
        std::vector<std::string> items;
        for (const auto &c : t.columns)
            items.push_back(columnDefinition(c));
        sql += tableElements(items) + inheritsClause(t.inherits);
    }
    if (t.kind == TableKind::Partitioned)
        sql += " PARTITION BY " + t.partitionKey;
    if (!t.options.empty())
        sql += " WITH (" + optionList(t.options) + ')';
    stmt(p, Phase::CreateObjects, sql, createOrder(objectKey("table", t.name)));
    comment(p, "TABLE " + q(t.name), t.comment);
    for (const auto &c : t.columns)
        comment(p, "COLUMN " + q(t.name) + '.' + q(c.name), c.comment);
    for (const auto &c : m_to.constraints) {
        if (c.table == t.name)
            createConstraint(p, c);
    }
    for (const auto &i : m_to.indexes) {
        if (i.table == t.name)
            createIndex(p, i);
    }
    for (const auto &tr : m_to.triggers) {
        if (tr.table == t.name)
            createTrigger(p, tr);
    }
    for (const auto &policy : m_to.policies) {
        if (policy.table == t.name) {
            stmt(p, Phase::CreatePolicies, createPolicySql(policy));
            comment(p, "POLICY " + q(policy.name) + " ON " + q(t.name), policy.comment);
        }
    }
    if (t.rowSecurity)
        stmt(p, Phase::RowSecurity, rowSecuritySql(t.name, true));
    if (t.forceRowSecurity)
        stmt(p, Phase::RowSecurity, forceRowSecuritySql(t.name, true));
}

void Differ::diffTables()
{
    matchUp(
            m_from.tables, m_to.tables, [](const TableDef &t) { return t.name; },
            [&](const TableDef *f, const TableDef *t) {
                if (!f) {
                    Pending &p = add(ObjectKind::Table, t->name.schema, t->name.name, {},
                                     Change::Added);
                    createTable(p, *t);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Table, f->name.schema, f->name.name, {},
                                     Change::Removed);
                    // Detach first (safe) so its bounds are free for other partitions.
                    if (f->partitionOf && tableStable(*f->partitionOf))
                        stmt(p, Phase::DetachPartitions,
                             alterTable(*f->partitionOf) + "DETACH PARTITION " + q(f->name));
                    unsafeStmt(p, Phase::DropObjects, "DROP TABLE IF EXISTS " + q(f->name),
                               "drops table " + f->name.display() + " and its rows",
                               dropOrder(objectKey("table", f->name)));
                    return;
                }
                if (m_recreatedTables.contains(t->name)) {
                    Pending &p = add(ObjectKind::Table, t->name.schema, t->name.name, {},
                                     Change::Changed);
                    p.aspects.push_back(Aspect::Definition);
                    if (f->kind != t->kind)
                        p.d.details.push_back(std::string("partitioned: ")
                                              + yesNo(f->kind == TableKind::Partitioned) + " → "
                                              + yesNo(t->kind == TableKind::Partitioned));
                    if (f->partitionKey != t->partitionKey)
                        p.d.details.push_back("partition key: " + orNone(f->partitionKey) + " → "
                                              + orNone(t->partitionKey));
                    if (p.d.details.empty())
                        p.d.details.push_back("partition of a recreated table");
                    const std::string reason = "recreates table " + t->name.display()
                                               + " (partitioning changed): its rows are lost";
                    stmt(p, Phase::DropRecreatedTables, "DROP TABLE IF EXISTS " + q(f->name),
                         -m_fromDepth.table(f->name));
                    createTable(p, *t);
                    rebuildDependentViews(p, {}, {t->name}, {});
                    rebuildDependentForeignKeys(p, {}, {t->name});
                    for (auto &s : p.d.statements) {
                        s.unsafe = true;
                        s.reason = reason;
                    }
                    return;
                }
                Pending p;
                p.d.kind = ObjectKind::Table;
                p.d.schema = t->name.schema;
                p.d.name = t->name.name;
                p.d.change = Change::Changed;
                if (f->unlogged != t->unlogged) {
                    p.d.details.push_back("unlogged: " + yesNo(f->unlogged) + " → "
                                          + yesNo(t->unlogged));
                    p.aspects.push_back(Aspect::Definition);
                    stmt(p, Phase::AlterTables,
                         alterTable(t->name) + (t->unlogged ? "SET UNLOGGED" : "SET LOGGED"));
                }
                if (f->partitionOf != t->partitionOf || f->partitionBound != t->partitionBound) {
                    auto text = [](const TableDef &x) {
                        return x.partitionOf ? x.partitionOf->display() + ' ' + x.partitionBound
                                             : std::string("(none)");
                    };
                    p.d.details.push_back("partition of: " + text(*f) + " → " + text(*t));
                    p.aspects.push_back(Aspect::Definition);
                    if (f->partitionOf)
                        stmt(p, Phase::DetachPartitions,
                             alterTable(*f->partitionOf) + "DETACH PARTITION " + q(f->name));
                    if (t->partitionOf)
                        stmt(p, Phase::AttachPartitions,
                             alterTable(*t->partitionOf) + "ATTACH PARTITION " + q(t->name) + ' '
                                     + t->partitionBound);
                }
                if (f->inherits != t->inherits) {
                    auto names = [](const std::vector<QualifiedName> &parents) {
                        std::vector<std::string> out;
                        for (const auto &parent : parents)
                            out.push_back(parent.display());
                        return out.empty() ? std::string("(none)") : joinList(out, ", ");
                    };
                    p.d.details.push_back("inherits: " + names(f->inherits) + " → "
                                          + names(t->inherits));
                    p.aspects.push_back(Aspect::Definition);
                    for (const auto &parent : f->inherits) {
                        if (std::ranges::find(t->inherits, parent) == t->inherits.end())
                            stmt(p, Phase::AlterTables,
                                 alterTable(t->name) + "NO INHERIT " + q(parent), -100);
                    }
                    for (const auto &parent : t->inherits) {
                        if (std::ranges::find(f->inherits, parent) == f->inherits.end())
                            stmt(p, Phase::AttachPartitions,
                                 alterTable(t->name) + "INHERIT " + q(parent));
                    }
                }
                if (f->options != t->options) {
                    p.d.details.push_back("options: (" + joinList(f->options, ", ") + ") → ("
                                          + joinList(t->options, ", ") + ')');
                    p.aspects.push_back(Aspect::Definition);
                    std::vector<std::string> reset;
                    for (const auto &option : f->options) {
                        const auto key = splitOption(option).first;
                        if (std::ranges::none_of(t->options, [&](const std::string &o) {
                                return splitOption(o).first == key;
                            }))
                            reset.push_back(q(key));
                    }
                    if (!reset.empty())
                        stmt(p, Phase::AlterTables,
                             alterTable(t->name) + "RESET (" + joinList(reset, ", ") + ')');
                    if (!t->options.empty())
                        stmt(p, Phase::AlterTables,
                             alterTable(t->name) + "SET (" + optionList(t->options) + ')');
                }
                if (!p.d.details.empty())
                    m_pending.push_back(std::move(p));
                if (f->rowSecurity != t->rowSecurity
                    || f->forceRowSecurity != t->forceRowSecurity) {
                    Pending &r = add(ObjectKind::Rls, t->name.schema, t->name.name, t->name.name,
                                     Change::Changed);
                    r.aspects.push_back(Aspect::Definition);
                    if (f->rowSecurity != t->rowSecurity) {
                        r.d.details.push_back("row level security: " + yesNo(f->rowSecurity) + " → "
                                              + yesNo(t->rowSecurity));
                        stmt(r, Phase::RowSecurity, rowSecuritySql(t->name, t->rowSecurity));
                    }
                    if (f->forceRowSecurity != t->forceRowSecurity) {
                        r.d.details.push_back("force row level security: "
                                              + yesNo(f->forceRowSecurity) + " → "
                                              + yesNo(t->forceRowSecurity));
                        stmt(r, Phase::RowSecurity,
                             forceRowSecuritySql(t->name, t->forceRowSecurity));
                    }
                }
                commentDiff(t->name.schema, t->name.name, t->name.name, "TABLE " + q(t->name),
                            f->comment, t->comment);
                diffColumns(*f, *t);
            });
}

} // namespace envsync::drift::detail
