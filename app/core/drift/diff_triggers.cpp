// Triggers of tables and views.
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

void Differ::createTrigger(Pending &p, const TriggerDef &t)
{
    stmt(p, Phase::CreateTriggers, t.definition);
    comment(p, "TRIGGER " + q(t.name) + " ON " + q(t.table), t.comment);
}

void Differ::diffTriggers()
{
    matchUp(
            m_from.triggers, m_to.triggers,
            [](const TriggerDef &t) { return std::pair(t.table, t.name); },
            [&](const TriggerDef *f, const TriggerDef *t) {
                const TriggerDef &any = t ? *t : *f;
                if (!relationStable(any.table))
                    return;
                const std::string name = any.table.name + '.' + any.name;
                const std::string drop
                        = "DROP TRIGGER IF EXISTS " + q(any.name) + " ON " + q(any.table);
                if (!f) {
                    Pending &p = add(ObjectKind::Trigger, t->table.schema, name, t->table.name,
                                     Change::Added);
                    p.aspects.push_back(Aspect::Presence);
                    p.d.details.push_back(t->definition);
                    createTrigger(p, *t);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Trigger, f->table.schema, name, f->table.name,
                                     Change::Removed);
                    p.aspects.push_back(Aspect::Presence);
                    p.d.details.push_back(f->definition);
                    stmt(p, Phase::DropTriggers, drop);
                    return;
                }
                commentDiff(t->table.schema, name, t->table.name,
                            "TRIGGER " + q(t->name) + " ON " + q(t->table), f->comment, t->comment);
                if (f->definition == t->definition)
                    return;
                Pending &p = add(ObjectKind::Trigger, t->table.schema, name, t->table.name,
                                 Change::Changed);
                p.aspects.push_back(Aspect::Definition);
                p.d.details.push_back("definition: " + f->definition + " → " + t->definition);
                stmt(p, Phase::DropTriggers, drop);
                createTrigger(p, *t);
            });
}

} // namespace envsync::drift::detail
