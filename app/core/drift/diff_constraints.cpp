// Table constraints: primary keys, unique, exclusion, foreign keys and checks.
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

namespace {

bool isKey(ConstraintType type)
{
    return type != ConstraintType::Check;
}

} // namespace

void Differ::createConstraint(Pending &p, const ConstraintDef &c)
{
    stmt(p,
         c.type == ConstraintType::ForeignKey ? Phase::CreateForeignKeys : Phase::CreateConstraints,
         addConstraintSql(c), c.type == ConstraintType::PrimaryKey ? 0 : 1);
    comment(p, "CONSTRAINT " + q(c.name) + " ON " + q(c.table), c.comment);
}

void Differ::dropConstraint(Pending &p, const ConstraintDef &c)
{
    stmt(p, c.type == ConstraintType::ForeignKey ? Phase::DropForeignKeys : Phase::DropConstraints,
         alterTable(c.table) + "DROP CONSTRAINT IF EXISTS " + q(c.name),
         c.type == ConstraintType::PrimaryKey ? 1 : 0);
    if (c.type != ConstraintType::ForeignKey && c.type != ConstraintType::Check)
        rebuildDependentForeignKeys(p, {{c.table.schema, c.name}}, {});
}

void Differ::diffConstraints()
{
    matchUp(
            m_from.constraints, m_to.constraints,
            [](const ConstraintDef &c) { return std::pair(c.table, c.name); },
            [&](const ConstraintDef *f, const ConstraintDef *t) {
                const ConstraintDef &any = t ? *t : *f;
                if (!tableStable(any.table))
                    return;
                const std::string name = any.table.name + '.' + any.name;
                const Aspect aspect = isKey(any.type) ? Aspect::Key : Aspect::Check;
                if (!f) {
                    Pending &p = add(ObjectKind::Constraint, t->table.schema, name, t->table.name,
                                     Change::Added);
                    p.d.details.push_back(t->definition);
                    p.aspects.push_back(aspect);
                    createConstraint(p, *t);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Constraint, f->table.schema, name, f->table.name,
                                     Change::Removed);
                    p.d.details.push_back(f->definition);
                    p.aspects.push_back(aspect);
                    dropConstraint(p, *f);
                    return;
                }
                commentDiff(t->table.schema, name, t->table.name,
                            "CONSTRAINT " + q(t->name) + " ON " + q(t->table), f->comment,
                            t->comment);
                if (sameExpression(f->definition, t->definition) && f->type == t->type)
                    return;
                Pending &p = add(ObjectKind::Constraint, t->table.schema, name, t->table.name,
                                 Change::Changed);
                p.d.details.push_back("definition: " + f->definition + " → " + t->definition);
                p.aspects.push_back(isKey(f->type) || isKey(t->type) ? Aspect::Key : Aspect::Check);
                dropConstraint(p, *f);
                createConstraint(p, *t);
            });
}

} // namespace envsync::drift::detail
