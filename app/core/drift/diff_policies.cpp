// Row-level security policies.
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

void Differ::diffPolicies()
{
    matchUp(
            m_from.policies, m_to.policies,
            [](const PolicyDef &p) { return std::pair(p.table, p.name); },
            [&](const PolicyDef *f, const PolicyDef *t) {
                const PolicyDef &any = t ? *t : *f;
                if (!tableStable(any.table))
                    return;
                const std::string name = any.table.name + '.' + any.name;
                const std::string drop
                        = "DROP POLICY IF EXISTS " + q(any.name) + " ON " + q(any.table);
                const std::string target = "POLICY " + q(any.name) + " ON " + q(any.table);
                if (!f) {
                    Pending &p = add(ObjectKind::Policy, t->table.schema, name, t->table.name,
                                     Change::Added);
                    p.aspects.push_back(Aspect::Presence);
                    p.d.details.push_back(createPolicySql(*t));
                    stmt(p, Phase::CreatePolicies, createPolicySql(*t));
                    comment(p, target, t->comment);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Policy, f->table.schema, name, f->table.name,
                                     Change::Removed);
                    p.aspects.push_back(Aspect::Presence);
                    p.d.details.push_back(createPolicySql(*f));
                    stmt(p, Phase::DropPolicies, drop);
                    return;
                }
                commentDiff(t->table.schema, name, t->table.name, target, f->comment, t->comment);
                if (sameExpression(createPolicySql(*f), createPolicySql(*t)))
                    return;
                Pending &p = add(ObjectKind::Policy, t->table.schema, name, t->table.name,
                                 Change::Changed);
                p.aspects.push_back(Aspect::Definition);
                p.d.details.push_back("definition: " + createPolicySql(*f) + " → "
                                      + createPolicySql(*t));
                stmt(p, Phase::DropPolicies, drop);
                stmt(p, Phase::CreatePolicies, createPolicySql(*t));
                comment(p, target, t->comment);
            });
}

} // namespace envsync::drift::detail
