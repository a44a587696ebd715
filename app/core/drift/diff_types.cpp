// Enums, domains and composite types: creation, removal and changes (ADD VALUE, recreation
// under the same name, ALTER DOMAIN, ALTER TYPE … ATTRIBUTE).
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

void Differ::diffEnums()
{
    matchUp(
            m_from.enums, m_to.enums, [](const EnumDef &e) { return e.name; },
            [&](const EnumDef *f, const EnumDef *t) {
                if (!f) {
                    Pending &p = add(ObjectKind::Enum, t->name.schema, t->name.name, {},
                                     Change::Added);
                    stmt(p, Phase::CreateObjects, createEnumSql(t->name, t->labels),
                         createOrder(typeKey(t->name)));
                    comment(p, "TYPE " + q(t->name), t->comment);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Enum, f->name.schema, f->name.name, {},
                                     Change::Removed);
                    stmt(p, Phase::DropObjects, "DROP TYPE IF EXISTS " + q(f->name),
                         dropOrder(typeKey(f->name)));
                    return;
                }
                commentDiff(t->name.schema, t->name.name, {}, "TYPE " + q(t->name), f->comment,
                            t->comment);
                if (f->labels == t->labels)
                    return;
                Pending &p
                        = add(ObjectKind::Enum, t->name.schema, t->name.name, {}, Change::Changed);
                p.d.details.push_back("values: (" + enumLabels(f->labels) + ") → ("
                                      + enumLabels(t->labels) + ')');
                const std::set<std::string> fromLabels(f->labels.begin(), f->labels.end());
                const bool missing = std::ranges::any_of(
                        t->labels, [&](const auto &l) { return !fromLabels.contains(l); });
                // Only additions (FROM's labels keep their order inside TO's): ADD VALUE.
                std::vector<std::string> kept;
                for (const auto &label : t->labels) {
                    if (fromLabels.contains(label))
                        kept.push_back(label);
                }
                p.aspects.push_back(missing ? Aspect::EnumValuesMissing : Aspect::EnumValuesOther);
                if (kept == f->labels) {
                    if (missing) {
                        const auto &labels = t->labels;
                        const auto firstKept = std::ranges::find_if(
                                labels, [&](const auto &l) { return fromLabels.contains(l); });
                        const auto firstIndex
                                = static_cast<std::size_t>(firstKept - labels.begin());
                        const std::string alter = "ALTER TYPE " + q(t->name) + " ADD VALUE ";
                        // New labels before the first old one: insert backwards with BEFORE.
                        const int order = createOrder(typeKey(t->name));
                        for (std::size_t i = firstIndex; i-- > 0;)
                            stmt(p, Phase::CreateObjects,
                                 alter + db::quoteLiteral(labels[i]) + " BEFORE "
                                         + db::quoteLiteral(labels[i + 1]),
                                 order);
                        for (std::size_t i = firstIndex + 1; i < labels.size(); ++i) {
                            if (!fromLabels.contains(labels[i]))
                                stmt(p, Phase::CreateObjects,
                                     alter + db::quoteLiteral(labels[i]) + " AFTER "
                                             + db::quoteLiteral(labels[i - 1]),
                                     order);
                        }
                    }
                    return;
                }
                // Labels removed or reordered: PostgreSQL cannot drop enum values; recreate.
                const std::string reason
                        = "recreates enum " + t->name.display()
                          + " (values removed or reordered); rows holding removed values fail";
                const std::string old = t->name.name + "__envsync_old";
                unsafeStmt(p, Phase::CreateObjects,
                           "ALTER TYPE " + q(t->name) + " RENAME TO " + q(old), reason,
                           createOrder(typeKey(t->name)));
                unsafeStmt(p, Phase::CreateObjects, createEnumSql(t->name, t->labels), reason,
                           createOrder(typeKey(t->name)));
                rewriteColumnsOfType(p, t->name, true, reason);
                unsafeStmt(p, Phase::DropObjects,
                           "DROP TYPE " + q(QualifiedName{t->name.schema, old}), reason,
                           dropOrder(typeKey(t->name)));
                for (auto &s : p.d.statements) {
                    s.unsafe = true;
                    s.reason = reason;
                }
            });
}

void Differ::diffDomains()
{
    matchUp(
            m_from.domains, m_to.domains, [](const DomainDef &d) { return d.name; },
            [&](const DomainDef *f, const DomainDef *t) {
                if (!f) {
                    Pending &p = add(ObjectKind::Domain, t->name.schema, t->name.name, {},
                                     Change::Added);
                    stmt(p, Phase::CreateObjects, createDomainSql(*t, Layout::OneLine),
                         createOrder(typeKey(t->name)));
                    comment(p, "DOMAIN " + q(t->name), t->comment);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Domain, f->name.schema, f->name.name, {},
                                     Change::Removed);
                    stmt(p, Phase::DropObjects, "DROP DOMAIN IF EXISTS " + q(f->name),
                         dropOrder(typeKey(f->name)));
                    return;
                }
                commentDiff(t->name.schema, t->name.name, {}, "DOMAIN " + q(t->name), f->comment,
                            t->comment);
                auto sameConstraint
                        = [](const DomainConstraintDef &a, const DomainConstraintDef &b) {
                              return a.name == b.name && sameExpression(a.definition, b.definition);
                          };
                auto contains = [&](const std::vector<DomainConstraintDef> &all,
                                    const DomainConstraintDef &c) {
                    return std::ranges::any_of(all, [&](const DomainConstraintDef &x) {
                        return sameConstraint(x, c);
                    });
                };
                const bool sameConstraints
                        = f->constraints.size() == t->constraints.size()
                          && std::ranges::all_of(f->constraints, [&](const auto &c) {
                                 return contains(t->constraints, c);
                             });
                const int order = createOrder(typeKey(t->name));
                if (f->baseType == t->baseType && f->collation == t->collation
                    && f->notNull == t->notNull && sameExpression(f->defaultExpr, t->defaultExpr)
                    && sameConstraints)
                    return;
                Pending &p = add(ObjectKind::Domain, t->name.schema, t->name.name, {},
                                 Change::Changed);
                const std::string alter = "ALTER DOMAIN " + q(t->name) + ' ';
                if (f->baseType != t->baseType || f->collation != t->collation) {
                    if (f->baseType != t->baseType)
                        p.d.details.push_back("type: " + f->baseType + " → " + t->baseType);
                    if (f->collation != t->collation)
                        p.d.details.push_back("collation: " + orNone(f->collation) + " → "
                                              + orNone(t->collation));
                    p.aspects.push_back(typeHoldsAll(f->baseType, t->baseType)
                                                ? Aspect::TypeCompatible
                                                : Aspect::TypeIncompatible);
                    // Recreated under its name; safe when the new base type holds every old
                    // value (varchar(5) → varchar(12)).
                    const std::string reason
                            = f->collation == t->collation && typeHoldsAll(t->baseType, f->baseType)
                                      ? std::string()
                                      : "recreates domain " + t->name.display()
                                                + " with another base type; values may not convert";
                    const std::string old = t->name.name + "__envsync_old";
                    maybeUnsafe(p, Phase::CreateObjects,
                                "ALTER DOMAIN " + q(t->name) + " RENAME TO " + q(old), reason,
                                order);
                    maybeUnsafe(p, Phase::CreateObjects, createDomainSql(*t, Layout::OneLine),
                                reason, order);
                    rewriteColumnsOfType(p, t->name, false, reason);
                    maybeUnsafe(p, Phase::DropObjects,
                                "DROP DOMAIN " + q(QualifiedName{t->name.schema, old}), reason,
                                dropOrder(typeKey(t->name)));
                    return;
                }
                if (!sameExpression(f->defaultExpr, t->defaultExpr)) {
                    p.d.details.push_back("default: " + orNone(f->defaultExpr) + " → "
                                          + orNone(t->defaultExpr));
                    p.aspects.push_back(Aspect::Default);
                    stmt(p, Phase::CreateObjects,
                         alter
                                 + (t->defaultExpr.empty() ? "DROP DEFAULT"
                                                           : "SET DEFAULT " + t->defaultExpr),
                         order);
                }
                if (f->notNull != t->notNull) {
                    p.d.details.push_back("not null: " + yesNo(f->notNull) + " → "
                                          + yesNo(t->notNull));
                    p.aspects.push_back(t->notNull ? Aspect::NotNullAdded : Aspect::NotNullDropped);
                    stmt(p, Phase::CreateObjects,
                         alter + (t->notNull ? "SET NOT NULL" : "DROP NOT NULL"), order);
                }
                for (const auto &c : f->constraints) {
                    if (!contains(t->constraints, c)) {
                        p.d.details.push_back("constraint " + c.name + " removed: " + c.definition);
                        p.aspects.push_back(Aspect::Check);
                        stmt(p, Phase::CreateObjects,
                             alter + "DROP CONSTRAINT IF EXISTS " + q(c.name), order);
                    }
                }
                for (const auto &c : t->constraints) {
                    if (!contains(f->constraints, c)) {
                        p.d.details.push_back("constraint " + c.name + " added: " + c.definition);
                        p.aspects.push_back(Aspect::Check);
                        stmt(p, Phase::CreateObjects,
                             alter + "ADD CONSTRAINT " + q(c.name) + ' ' + c.definition, order);
                    }
                }
            });
}

void Differ::diffCompositeTypes()
{
    matchUp(
            m_from.compositeTypes, m_to.compositeTypes,
            [](const CompositeTypeDef &c) { return c.name; },
            [&](const CompositeTypeDef *f, const CompositeTypeDef *t) {
                if (!f) {
                    Pending &p = add(ObjectKind::Type, t->name.schema, t->name.name, {},
                                     Change::Added);
                    stmt(p, Phase::CreateObjects, createCompositeTypeSql(*t, Layout::OneLine),
                         createOrder(typeKey(t->name)));
                    comment(p, "TYPE " + q(t->name), t->comment);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Type, f->name.schema, f->name.name, {},
                                     Change::Removed);
                    stmt(p, Phase::DropObjects, "DROP TYPE IF EXISTS " + q(f->name),
                         dropOrder(typeKey(f->name)));
                    return;
                }
                commentDiff(t->name.schema, t->name.name, {}, "TYPE " + q(t->name), f->comment,
                            t->comment);
                auto byName = [](const CompositeTypeDef &c) {
                    std::map<std::string, std::string> out;
                    for (const auto &a : c.attributes)
                        out[a.name] = a.type;
                    return out;
                };
                const auto fa = byName(*f);
                const auto ta = byName(*t);
                if (fa == ta)
                    return;
                Pending &p
                        = add(ObjectKind::Type, t->name.schema, t->name.name, {}, Change::Changed);
                const std::string alter = "ALTER TYPE " + q(t->name) + ' ';
                // PostgreSQL refuses to alter a composite type a column uses: before the new
                // tables that use it, or after the removed ones that did.
                const bool usedInFrom = std::ranges::any_of(m_from.tables, [&](const TableDef &x) {
                    return std::ranges::any_of(
                            x.columns, [&](const ColumnDef &c) { return c.typeRef == t->name; });
                });
                const Phase phase = usedInFrom ? Phase::DropObjects : Phase::CreateObjects;
                const int order = usedInFrom ? dropOrder(typeKey(t->name), true)
                                             : createOrder(typeKey(t->name));
                for (const auto &[name, type] : fa) {
                    if (!ta.contains(name)) {
                        p.d.details.push_back("attribute " + name + " removed");
                        p.aspects.push_back(Aspect::Definition);
                        unsafeStmt(p, phase, alter + "DROP ATTRIBUTE " + q(name),
                                   "drops attribute " + name + " of type " + t->name.display(),
                                   order);
                    }
                }
                for (const auto &a : t->attributes) {
                    const auto it = fa.find(a.name);
                    if (it == fa.end()) {
                        p.d.details.push_back("attribute " + a.name + " added: " + a.type);
                        p.aspects.push_back(Aspect::TypeIncompatible);
                        stmt(p, phase, alter + "ADD ATTRIBUTE " + q(a.name) + ' ' + a.type, order);
                    } else if (it->second != a.type) {
                        p.d.details.push_back("attribute " + a.name + " type: " + it->second + " → "
                                              + a.type);
                        p.aspects.push_back(typeHoldsAll(it->second, a.type)
                                                    ? Aspect::TypeCompatible
                                                    : Aspect::TypeIncompatible);
                        const std::string sql
                                = alter + "ALTER ATTRIBUTE " + q(a.name) + " TYPE " + a.type;
                        if (typeHoldsAll(a.type, it->second))
                            stmt(p, phase, sql, order);
                        else
                            unsafeStmt(p, phase, sql,
                                       "may lose data: " + it->second + " → " + a.type, order);
                    }
                }
            });
}

} // namespace envsync::drift::detail
