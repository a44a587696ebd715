#include "core/drift/definition.h"

#include "core/drift/ddl.h"

#include <algorithm>

namespace envsync::drift {

namespace {

std::string q(std::string_view identifier)
{
    return db::quoteIdentifier(identifier);
}

std::string q(const QualifiedName &name)
{
    return quoteQualified(name);
}

/// Appends a statement (or block) with a blank line between blocks.
void append(std::string &out, const std::string &block)
{
    if (block.empty())
        return;
    if (!out.empty())
        out += "\n\n";
    out += block;
}

/// The pane shows no COMMENT ON for an object without a comment (the script sets it to NULL).
std::string commentLine(const std::string &target, const std::string &comment)
{
    return comment.empty() ? std::string() : commentSql(target, comment) + ';';
}

std::string withOptions(const std::vector<std::string> &options)
{
    return options.empty() ? std::string() : " WITH (" + joinList(options, ", ") + ')';
}

/// "customers.email" with table "customers" → "email".
std::string memberName(const Difference &d)
{
    if (!d.table.empty() && d.name.size() > d.table.size() && d.name.starts_with(d.table)
        && d.name[d.table.size()] == '.')
        return d.name.substr(d.table.size() + 1);
    return d.name;
}

std::string functionDisplay(const FunctionDef &f)
{
    return f.name.name + '(' + f.identityArguments + ')';
}

std::string policyLine(const PolicyDef &p)
{
    return createPolicySql(p) + ';';
}

std::string rlsSql(const TableDef &t)
{
    return rowSecuritySql(t.name, t.rowSecurity) + ";\n"
           + forceRowSecuritySql(t.name, t.forceRowSecurity) + ';';
}

std::string indexSql(const IndexDef &i)
{
    std::string sql = i.definition + ';';
    if (!i.valid)
        sql += " -- INVALID";
    return sql;
}

std::string sequenceSql(const SequenceDef &s)
{
    std::string sql = createSequenceSql(s) + ';';
    if (s.ownedBy)
        sql += '\n' + sequenceOwnedBySql(s.name, s.ownedBy) + ';';
    append(sql, commentLine("SEQUENCE " + q(s.name), s.comment));
    return sql;
}

std::string enumSql(const EnumDef &e)
{
    std::string sql = createEnumSql(e.name, e.labels) + ';';
    append(sql, commentLine("TYPE " + q(e.name), e.comment));
    return sql;
}

std::string domainSql(const DomainDef &d)
{
    std::string sql = createDomainSql(d, Layout::Indented) + ';';
    append(sql, commentLine("DOMAIN " + q(d.name), d.comment));
    return sql;
}

std::string compositeSql(const CompositeTypeDef &c)
{
    std::string sql = createCompositeTypeSql(c, Layout::Indented) + ';';
    append(sql, commentLine("TYPE " + q(c.name), c.comment));
    return sql;
}

std::string viewSql(const SchemaCatalog &s, const ViewDef &v)
{
    const bool materialized = v.kind == ViewKind::Materialized;
    std::string sql = std::string(materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ")
                      + q(v.name) + withOptions(v.options) + " AS\n" + v.definition + ';';
    for (const auto &i : s.indexes) {
        if (i.table == v.name)
            append(sql, indexSql(i));
    }
    for (const auto &t : s.triggers) {
        if (t.table == v.name)
            append(sql, t.definition + ';');
    }
    append(sql,
           commentLine((materialized ? "MATERIALIZED VIEW " : "VIEW ") + q(v.name), v.comment));
    return sql;
}

/// CREATE TABLE with its columns and constraints, then its indexes, triggers, policies,
/// row-level security and comments: everything a DBA compares side by side.
std::string tableSql(const SchemaCatalog &s, const TableDef &t)
{
    std::vector<std::string> items;
    for (const auto &c : t.columns)
        items.push_back(columnDefinition(c));
    for (const auto &c : s.constraints) {
        if (c.table == t.name)
            items.push_back("CONSTRAINT " + q(c.name) + ' ' + c.definition);
    }
    std::string sql = createTableHead(t);
    if (t.partitionOf)
        sql += " PARTITION OF " + q(*t.partitionOf);
    sql += tableElements(items);
    if (t.partitionOf)
        sql += ' ' + t.partitionBound;
    sql += inheritsClause(t.inherits);
    if (t.kind == TableKind::Partitioned)
        sql += " PARTITION BY " + t.partitionKey;
    sql += withOptions(t.options) + ';';

    for (const auto &i : s.indexes) {
        if (i.table == t.name)
            append(sql, indexSql(i));
    }
    for (const auto &tr : s.triggers) {
        if (tr.table == t.name)
            append(sql, tr.definition + ';');
    }
    for (const auto &p : s.policies) {
        if (p.table == t.name)
            append(sql, policyLine(p));
    }
    if (t.rowSecurity || t.forceRowSecurity)
        append(sql, rlsSql(t));
    std::string comments = commentLine("TABLE " + q(t.name), t.comment);
    for (const auto &c : t.columns) {
        const std::string line = commentLine("COLUMN " + q(t.name) + '.' + q(c.name), c.comment);
        if (!line.empty())
            comments += (comments.empty() ? "" : "\n") + line;
    }
    append(sql, comments);
    return sql;
}

template<typename T, typename Pred> const T *findIf(const std::vector<T> &items, Pred pred)
{
    const auto it = std::ranges::find_if(items, pred);
    return it == items.end() ? nullptr : &*it;
}

const ColumnDef *findColumn(const TableDef &t, const std::string &name)
{
    return findIf(t.columns, [&](const ColumnDef &c) { return c.name == name; });
}

/// All overloads of the function a difference names: the exact signature when present, else
/// every overload with the same name (a changed signature shows the other side's).
std::string functionsSql(const SchemaCatalog &s, const Difference &d)
{
    const FunctionDef *exact = findIf(s.functions, [&](const FunctionDef &f) {
        return f.name.schema == d.schema && functionDisplay(f) == d.name;
    });
    std::vector<const FunctionDef *> chosen;
    if (exact) {
        chosen.push_back(exact);
    } else {
        const std::string base = d.name.substr(0, d.name.find('('));
        for (const auto &f : s.functions) {
            if (f.name.schema == d.schema && f.name.name == base)
                chosen.push_back(&f);
        }
    }
    std::string out;
    for (const FunctionDef *f : chosen) {
        std::string sql = f->definition + ';';
        append(sql, commentLine(functionKeyword(*f) + ' ' + functionSignature(*f), f->comment));
        append(out, sql);
    }
    return out;
}

/// The COMMENT ON statement of whatever object a comment difference is about.
std::string commentOf(const SchemaCatalog &s, const Difference &d)
{
    if (!d.table.empty()) {
        const QualifiedName relation{d.schema, d.table};
        const std::string member = memberName(d);
        if (d.name == d.table) {
            if (const TableDef *t = s.findTable(relation))
                return commentLine("TABLE " + q(relation), t->comment);
            if (const ViewDef *v = s.findView(relation))
                return commentLine(
                        (v->kind == ViewKind::Materialized ? "MATERIALIZED VIEW " : "VIEW ")
                                + q(relation),
                        v->comment);
            return {};
        }
        if (const TableDef *t = s.findTable(relation)) {
            if (const ColumnDef *c = findColumn(*t, member))
                return commentLine("COLUMN " + q(relation) + '.' + q(c->name), c->comment);
        }
        if (const auto *c = findIf(s.constraints, [&](const ConstraintDef &x) {
                return x.table == relation && x.name == member;
            }))
            return commentLine("CONSTRAINT " + q(c->name) + " ON " + q(relation), c->comment);
        if (const auto *i = findIf(s.indexes, [&](const IndexDef &x) {
                return x.table == relation && x.name == member;
            }))
            return commentLine("INDEX " + q(QualifiedName{d.schema, i->name}), i->comment);
        if (const auto *t = findIf(s.triggers, [&](const TriggerDef &x) {
                return x.table == relation && x.name == member;
            }))
            return commentLine("TRIGGER " + q(t->name) + " ON " + q(relation), t->comment);
        if (const auto *p = findIf(s.policies, [&](const PolicyDef &x) {
                return x.table == relation && x.name == member;
            }))
            return commentLine("POLICY " + q(p->name) + " ON " + q(relation), p->comment);
        return {};
    }
    const QualifiedName name{d.schema, d.name};
    if (d.name == d.schema) {
        if (const auto *schema
            = findIf(s.schemas, [&](const SchemaDef &x) { return x.name == d.name; }))
            return commentLine("SCHEMA " + q(d.name), schema->comment);
    }
    if (const auto *e = findIf(s.extensions, [&](const ExtensionDef &x) {
            return x.name == d.name && x.schema == d.schema;
        }))
        return commentLine("EXTENSION " + q(e->name), e->comment);
    if (const TableDef *t = s.findTable(name))
        return commentLine("TABLE " + q(name), t->comment);
    if (const ViewDef *v = s.findView(name))
        return commentLine((v->kind == ViewKind::Materialized ? "MATERIALIZED VIEW " : "VIEW ")
                                   + q(name),
                           v->comment);
    if (const auto *seq = findIf(s.sequences, [&](const SequenceDef &x) { return x.name == name; }))
        return commentLine("SEQUENCE " + q(name), seq->comment);
    if (const auto *f = findIf(s.functions, [&](const FunctionDef &x) {
            return x.name.schema == d.schema && functionDisplay(x) == d.name;
        }))
        return commentLine(functionKeyword(*f) + ' ' + functionSignature(*f), f->comment);
    if (const auto *e = findIf(s.enums, [&](const EnumDef &x) { return x.name == name; }))
        return commentLine("TYPE " + q(name), e->comment);
    if (const auto *dom = findIf(s.domains, [&](const DomainDef &x) { return x.name == name; }))
        return commentLine("DOMAIN " + q(name), dom->comment);
    if (const auto *c
        = findIf(s.compositeTypes, [&](const CompositeTypeDef &x) { return x.name == name; }))
        return commentLine("TYPE " + q(name), c->comment);
    if (const auto *c = findIf(s.collations, [&](const CollationDef &x) { return x.name == name; }))
        return commentLine("COLLATION " + q(name), c->comment);
    return {};
}

} // namespace

std::string definitionOf(const SchemaCatalog &s, const Difference &d)
{
    const QualifiedName name{d.schema, d.name};
    const QualifiedName relation{d.schema, d.table};
    const std::string member = memberName(d);
    switch (d.kind) {
    case ObjectKind::Schema: {
        const auto *schema
                = findIf(s.schemas, [&](const SchemaDef &x) { return x.name == d.name; });
        if (!schema)
            return {};
        std::string sql = createSchemaSql(schema->name) + ';';
        append(sql, commentLine("SCHEMA " + q(schema->name), schema->comment));
        return sql;
    }
    case ObjectKind::Extension: {
        const auto *e
                = findIf(s.extensions, [&](const ExtensionDef &x) { return x.name == d.name; });
        if (!e)
            return {};
        std::string sql = createExtensionSql(*e) + ';';
        append(sql, commentLine("EXTENSION " + q(e->name), e->comment));
        return sql;
    }
    case ObjectKind::Table: {
        const TableDef *t = s.findTable(name);
        return t ? tableSql(s, *t) : std::string();
    }
    case ObjectKind::Column: {
        const TableDef *t = s.findTable(relation);
        const ColumnDef *c = t ? findColumn(*t, member) : nullptr;
        if (!c)
            return {};
        std::string sql = columnDefinition(*c);
        append(sql, commentLine("COLUMN " + q(relation) + '.' + q(c->name), c->comment));
        return sql;
    }
    case ObjectKind::Constraint: {
        const auto *c = findIf(s.constraints, [&](const ConstraintDef &x) {
            return x.table == relation && x.name == member;
        });
        if (!c)
            return {};
        std::string sql = addConstraintSql(*c) + ';';
        append(sql, commentLine("CONSTRAINT " + q(c->name) + " ON " + q(relation), c->comment));
        return sql;
    }
    case ObjectKind::Index: {
        const auto *i = findIf(s.indexes, [&](const IndexDef &x) {
            return x.table == relation && x.name == member;
        });
        if (!i)
            return {};
        std::string sql = indexSql(*i);
        append(sql, commentLine("INDEX " + q(QualifiedName{d.schema, i->name}), i->comment));
        return sql;
    }
    case ObjectKind::Sequence: {
        const auto *seq = findIf(s.sequences, [&](const SequenceDef &x) { return x.name == name; });
        return seq ? sequenceSql(*seq) : std::string();
    }
    case ObjectKind::View:
    case ObjectKind::MaterializedView: {
        const ViewDef *v = s.findView(name);
        return v ? viewSql(s, *v) : std::string();
    }
    case ObjectKind::Function:
    case ObjectKind::Procedure:
        return functionsSql(s, d);
    case ObjectKind::Trigger: {
        const auto *t = findIf(s.triggers, [&](const TriggerDef &x) {
            return x.table == relation && x.name == member;
        });
        if (!t)
            return {};
        std::string sql = t->definition + ';';
        append(sql, commentLine("TRIGGER " + q(t->name) + " ON " + q(relation), t->comment));
        return sql;
    }
    case ObjectKind::Enum: {
        const auto *e = findIf(s.enums, [&](const EnumDef &x) { return x.name == name; });
        return e ? enumSql(*e) : std::string();
    }
    case ObjectKind::Domain: {
        const auto *dom = findIf(s.domains, [&](const DomainDef &x) { return x.name == name; });
        return dom ? domainSql(*dom) : std::string();
    }
    case ObjectKind::Type: {
        const auto *c = findIf(s.compositeTypes,
                               [&](const CompositeTypeDef &x) { return x.name == name; });
        return c ? compositeSql(*c) : std::string();
    }
    case ObjectKind::Collation: {
        const auto *c = findIf(s.collations, [&](const CollationDef &x) { return x.name == name; });
        if (!c)
            return {};
        std::string sql = createCollationSql(*c) + ';';
        append(sql, commentLine("COLLATION " + q(c->name), c->comment));
        return sql;
    }
    case ObjectKind::Policy: {
        const auto *p = findIf(s.policies, [&](const PolicyDef &x) {
            return x.table == relation && x.name == member;
        });
        if (!p)
            return {};
        std::string sql = policyLine(*p);
        append(sql, commentLine("POLICY " + q(p->name) + " ON " + q(relation), p->comment));
        return sql;
    }
    case ObjectKind::Rls: {
        const TableDef *t = s.findTable(d.table.empty() ? name : relation);
        return t ? rlsSql(*t) : std::string();
    }
    case ObjectKind::Comment:
        return commentOf(s, d);
    case ObjectKind::Privilege:
        break;
    }
    return {};
}

} // namespace envsync::drift
