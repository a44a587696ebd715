// Schemas, extensions and collations: creation, removal and changes.
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

void Differ::diffSchemas()
{
    matchUp(
            m_from.schemas, m_to.schemas, [](const SchemaDef &s) { return s.name; },
            [&](const SchemaDef *f, const SchemaDef *t) {
                if (!f) {
                    Pending &p = add(ObjectKind::Schema, t->name, t->name, {}, Change::Added);
                    stmt(p, Phase::CreateSchemas, createSchemaSql(t->name));
                    comment(p, "SCHEMA " + q(t->name), t->comment);
                } else if (!t) {
                    Pending &p = add(ObjectKind::Schema, f->name, f->name, {}, Change::Removed);
                    stmt(p, Phase::DropSchemas, "DROP SCHEMA IF EXISTS " + q(f->name));
                } else {
                    commentDiff(t->name, t->name, {}, "SCHEMA " + q(t->name), f->comment,
                                t->comment);
                }
            });
}

void Differ::diffExtensions()
{
    matchUp(
            m_from.extensions, m_to.extensions, [](const ExtensionDef &e) { return e.name; },
            [&](const ExtensionDef *f, const ExtensionDef *t) {
                if (!f) {
                    Pending &p = add(ObjectKind::Extension, t->schema, t->name, {}, Change::Added);
                    stmt(p, Phase::CreateExtensions, createExtensionSql(*t));
                    comment(p, "EXTENSION " + q(t->name), t->comment);
                } else if (!t) {
                    Pending &p
                            = add(ObjectKind::Extension, f->schema, f->name, {}, Change::Removed);
                    stmt(p, Phase::DropExtensions, "DROP EXTENSION IF EXISTS " + q(f->name));
                } else {
                    if (f->version != t->version || f->schema != t->schema) {
                        Pending &p = add(ObjectKind::Extension, t->schema, t->name, {},
                                         Change::Changed);
                        p.aspects.push_back(Aspect::Definition);
                        if (f->version != t->version) {
                            p.d.details.push_back("version: " + f->version + " → " + t->version);
                            stmt(p, Phase::CreateExtensions,
                                 "ALTER EXTENSION " + q(t->name) + " UPDATE TO "
                                         + db::quoteLiteral(t->version));
                        }
                        if (f->schema != t->schema) {
                            p.d.details.push_back("schema: " + f->schema + " → " + t->schema);
                            stmt(p, Phase::CreateExtensions,
                                 "ALTER EXTENSION " + q(t->name) + " SET SCHEMA " + q(t->schema));
                        }
                    }
                    commentDiff(t->schema, t->name, {}, "EXTENSION " + q(t->name), f->comment,
                                t->comment);
                }
            });
}

void Differ::diffCollations()
{
    auto definition = [](const CollationDef &c) {
        return std::tie(c.provider, c.locale, c.lcCollate, c.lcCtype, c.deterministic);
    };
    matchUp(
            m_from.collations, m_to.collations, [](const CollationDef &c) { return c.name; },
            [&](const CollationDef *f, const CollationDef *t) {
                if (!f) {
                    Pending &p = add(ObjectKind::Collation, t->name.schema, t->name.name, {},
                                     Change::Added);
                    p.d.details.push_back(createCollationSql(*t));
                    stmt(p, Phase::CreateCollations, createCollationSql(*t));
                    comment(p, "COLLATION " + q(t->name), t->comment);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Collation, f->name.schema, f->name.name, {},
                                     Change::Removed);
                    p.d.details.push_back(createCollationSql(*f));
                    stmt(p, Phase::DropCollations, "DROP COLLATION IF EXISTS " + q(f->name));
                    return;
                }
                commentDiff(t->name.schema, t->name.name, {}, "COLLATION " + q(t->name), f->comment,
                            t->comment);
                if (definition(*f) == definition(*t))
                    return;
                // A collation cannot be altered: create the new one beside the old, move the
                // columns that keep it over, drop the old one.
                Pending &p = add(ObjectKind::Collation, t->name.schema, t->name.name, {},
                                 Change::Changed);
                p.aspects.push_back(Aspect::Definition);
                p.d.details.push_back("definition: " + createCollationSql(*f) + " → "
                                      + createCollationSql(*t));
                const QualifiedName old{t->name.schema, t->name.name + "__envsync_old"};
                stmt(p, Phase::CreateCollations,
                     "ALTER COLLATION " + q(t->name) + " RENAME TO " + q(old.name));
                stmt(p, Phase::CreateCollations, createCollationSql(*t));
                for (const auto &table : m_to.tables) {
                    const TableDef *fromTable = m_fromRelations.table(table.name);
                    if (!fromTable || !tableStable(table.name))
                        continue;
                    for (const auto &c : table.columns) {
                        const auto fc
                                = std::ranges::find(fromTable->columns, c.name, &ColumnDef::name);
                        if (fc == fromTable->columns.end() || fc->collationRef != t->name
                            || c.collationRef != t->name || fc->type != c.type)
                            continue;
                        stmt(p, Phase::AlterTables,
                             alterColumn(table.name, c.name) + "TYPE " + c.type + " COLLATE "
                                     + c.collation,
                             -1);
                    }
                }
                stmt(p, Phase::DropCollations, "DROP COLLATION IF EXISTS " + q(old));
            });
}

} // namespace envsync::drift::detail
