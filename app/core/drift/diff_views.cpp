// Views and materialized views: creation (with check options and indexes), drops and
// redefinition.
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

void Differ::createView(Pending &p, const ViewDef &v)
{
    const int depth = createOrder(objectKey("view", v.name));
    if (v.kind == ViewKind::Materialized) {
        std::string sql = "CREATE MATERIALIZED VIEW " + q(v.name);
        if (!v.options.empty())
            sql += " WITH (" + optionList(v.options) + ')';
        stmt(p, Phase::CreateViews, sql + " AS\n" + v.definition, depth * 10);
        for (const auto &i : m_to.indexes) {
            if (i.table == v.name)
                createIndex(p, i);
        }
        comment(p, "MATERIALIZED VIEW " + q(v.name), v.comment);
    } else {
        std::vector<std::string> options;
        std::string checkOption;
        for (const auto &option : v.options) {
            const auto [key, value] = splitOption(option);
            if (key == "check_option")
                checkOption = value;
            else
                options.push_back(option);
        }
        std::string sql = "CREATE VIEW " + q(v.name);
        if (!options.empty())
            sql += " WITH (" + optionList(options) + ')';
        sql += " AS\n" + v.definition;
        if (checkOption == "local")
            sql += "\n  WITH LOCAL CHECK OPTION";
        else if (checkOption == "cascaded")
            sql += "\n  WITH CASCADED CHECK OPTION";
        stmt(p, Phase::CreateViews, sql, depth * 10);
        comment(p, "VIEW " + q(v.name), v.comment);
    }
    for (const auto &t : m_to.triggers) {
        if (t.table == v.name)
            createTrigger(p, t);
    }
}

void Differ::dropView(Pending &p, const ViewDef &v)
{
    stmt(p, Phase::DropViews,
         std::string(v.kind == ViewKind::Materialized ? "DROP MATERIALIZED VIEW IF EXISTS "
                                                      : "DROP VIEW IF EXISTS ")
                 + q(v.name),
         dropOrder(objectKey("view", v.name)));
}

void Differ::diffViews()
{
    matchUp(
            m_from.views, m_to.views, [](const ViewDef &v) { return v.name; },
            [&](const ViewDef *f, const ViewDef *t) {
                const ViewDef &any = t ? *t : *f;
                const ObjectKind kind = any.kind == ViewKind::Materialized
                                                ? ObjectKind::MaterializedView
                                                : ObjectKind::View;
                if (!f) {
                    Pending &p = add(kind, t->name.schema, t->name.name, {}, Change::Added);
                    createView(p, *t);
                    return;
                }
                if (!t) {
                    Pending &p = add(kind, f->name.schema, f->name.name, {}, Change::Removed);
                    dropView(p, *f);
                    rebuildDependentViews(p, {}, {f->name}, {});
                    return;
                }
                const std::string keyword
                        = t->kind == ViewKind::Materialized ? "MATERIALIZED VIEW " : "VIEW ";
                if (!m_changedViews.contains(t->name)) {
                    commentDiff(t->name.schema, t->name.name, {}, keyword + q(t->name), f->comment,
                                t->comment);
                    return;
                }
                Pending &p = add(kind, t->name.schema, t->name.name, {}, Change::Changed);
                if (f->kind != t->kind)
                    p.d.details.push_back(std::string("materialized: ")
                                          + yesNo(f->kind == ViewKind::Materialized) + " → "
                                          + yesNo(t->kind == ViewKind::Materialized));
                if (!sameExpression(f->definition, t->definition))
                    p.d.details.push_back("definition differs");
                if (f->options != t->options)
                    p.d.details.push_back("options: (" + joinList(f->options, ", ") + ") → ("
                                          + joinList(t->options, ", ") + ')');
                p.aspects.push_back(Aspect::Definition);
                dropView(p, *f);
                createView(p, *t);
                rebuildDependentViews(p, {}, {f->name}, {});
            });
}

} // namespace envsync::drift::detail
