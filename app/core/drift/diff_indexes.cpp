// Indexes of tables and materialized views.
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

void Differ::createIndex(Pending &p, const IndexDef &i)
{
    if (isMatView(m_toRelations, i.table))
        stmt(p, Phase::CreateViews, i.definition, createOrder(objectKey("view", i.table)) * 10 + 5);
    else
        stmt(p, Phase::CreateIndexes, i.definition);
    comment(p, "INDEX " + q(QualifiedName{i.table.schema, i.name}), i.comment);
}

void Differ::diffIndexes()
{
    matchUp(
            m_from.indexes, m_to.indexes,
            [](const IndexDef &i) {
                return QualifiedName{i.table.schema, i.name};
            },
            [&](const IndexDef *f, const IndexDef *t) {
                const IndexDef &any = t ? *t : *f;
                if (f && t ? !relationStable(f->table) || !relationStable(t->table)
                           : !relationStable(any.table))
                    return;
                const std::string name = any.table.name + '.' + any.name;
                const QualifiedName indexName{any.table.schema, any.name};
                auto drop = [&](Pending &p) {
                    stmt(p, Phase::DropIndexes, "DROP INDEX IF EXISTS " + q(indexName));
                    rebuildDependentForeignKeys(p, {indexName}, {});
                };
                if (!f) {
                    Pending &p = add(ObjectKind::Index, t->table.schema, name, t->table.name,
                                     Change::Added);
                    p.d.details.push_back(t->definition);
                    p.aspects.push_back(Aspect::Presence);
                    createIndex(p, *t);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Index, f->table.schema, name, f->table.name,
                                     Change::Removed);
                    p.d.details.push_back(f->definition);
                    p.aspects.push_back(Aspect::Presence);
                    drop(p);
                    return;
                }
                commentDiff(t->table.schema, name, t->table.name, "INDEX " + q(indexName),
                            f->comment, t->comment);
                if (sameExpression(f->definition, t->definition) && f->valid == t->valid)
                    return;
                Pending &p = add(ObjectKind::Index, t->table.schema, name, t->table.name,
                                 Change::Changed);
                if (!sameExpression(f->definition, t->definition))
                    p.d.details.push_back("definition: " + f->definition + " → " + t->definition);
                if (f->valid != t->valid)
                    p.d.details.push_back("valid: " + yesNo(f->valid) + " → " + yesNo(t->valid));
                p.aspects.push_back(Aspect::Definition);
                drop(p);
                createIndex(p, *t);
                std::erase_if(p.d.statements,
                              [](const DdlStatement &s) { return s.phase == Phase::Comments; });
                if (!t->comment.empty())
                    stmt(p, Phase::Comments, commentSql("INDEX " + q(indexName), t->comment));
            });
}

} // namespace envsync::drift::detail
