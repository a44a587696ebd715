#include "core/drift/diff.h"

#include "core/drift/ddl.h"
#include "core/drift/severity.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <type_traits>

namespace envsync::drift {

// ---------------------------------------------------------------------------------------------
// Type compatibility
// ---------------------------------------------------------------------------------------------

namespace {

struct ParsedType
{
    std::string base;
    std::vector<int> mods;
    int arrayDims = 0;
};

ParsedType parseType(std::string text)
{
    ParsedType t;
    while (text.size() > 2 && text.ends_with("[]")) {
        text.resize(text.size() - 2);
        ++t.arrayDims;
    }
    const auto open = text.find('(');
    const auto close = text.find(')', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && close != std::string::npos && text.front() != '"') {
        std::string mods = text.substr(open + 1, close - open - 1);
        std::size_t at = 0;
        while (at <= mods.size()) {
            const auto comma = mods.find(',', at);
            const std::string part
                    = mods.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
            int value = 0;
            std::from_chars(part.data(), part.data() + part.size(), value);
            t.mods.push_back(value);
            if (comma == std::string::npos)
                break;
            at = comma + 1;
        }
        text = text.substr(0, open) + text.substr(close + 1);
        while (text.find("  ") != std::string::npos)
            text.erase(text.find("  "), 1);
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
    }
    t.base = text;
    return t;
}

int integerRank(const std::string &base)
{
    if (base == "smallint")
        return 1;
    if (base == "integer")
        return 2;
    if (base == "bigint")
        return 3;
    return 0;
}

int integerDigits(int rank)
{
    return rank == 1 ? 5 : rank == 2 ? 10 : 19;
}

bool isTemporal(const std::string &base)
{
    return base == "timestamp without time zone" || base == "timestamp with time zone"
           || base == "time without time zone" || base == "time with time zone"
           || base == "interval";
}

} // namespace

bool typeHoldsAll(const std::string &wide, const std::string &narrow)
{
    if (wide == narrow)
        return true;
    const ParsedType w = parseType(wide);
    const ParsedType n = parseType(narrow);
    if (w.arrayDims != n.arrayDims)
        return false;
    if (w.base == n.base && w.mods == n.mods)
        return true;
    const int wRank = integerRank(w.base);
    const int nRank = integerRank(n.base);
    if (wRank && nRank)
        return wRank >= nRank;
    if (nRank && w.base == "numeric")
        return w.mods.empty()
               || (w.mods.size() == 2 && w.mods[0] - w.mods[1] >= integerDigits(nRank));
    if (w.base == "numeric" && n.base == "numeric") {
        if (w.mods.empty())
            return true;
        if (n.mods.empty())
            return false;
        const int ws = w.mods.size() > 1 ? w.mods[1] : 0;
        const int ns = n.mods.size() > 1 ? n.mods[1] : 0;
        return ws >= ns && w.mods[0] - ws >= n.mods[0] - ns;
    }
    if (w.base == "double precision" && (n.base == "real" || nRank == 1 || nRank == 2))
        return true;
    const bool wText = w.base == "text" || (w.base == "character varying" && w.mods.empty());
    if (wText && (n.base == "text" || n.base == "character varying"))
        return true;
    if ((w.base == "character varying" && n.base == "character varying")
        || (w.base == "bit varying" && n.base == "bit varying"))
        return !n.mods.empty() && w.mods.front() >= n.mods.front();
    if (isTemporal(w.base) && w.base == n.base) {
        const int wp = w.mods.empty() ? 6 : w.mods.front();
        const int np = n.mods.empty() ? 6 : n.mods.front();
        return wp >= np;
    }
    return false;
}

namespace {

// ---------------------------------------------------------------------------------------------
// SQL builders
// ---------------------------------------------------------------------------------------------

std::string q(std::string_view identifier)
{
    return quoteIdent(identifier);
}

std::string q(const QualifiedName &name)
{
    return quoteQualified(name);
}

std::string orNone(const std::string &text)
{
    return text.empty() ? "(none)" : text;
}

std::string yesNo(bool value)
{
    return value ? "yes" : "no";
}

std::string join(const std::vector<std::string> &items, const std::string &separator)
{
    std::string out;
    for (const auto &item : items) {
        if (!out.empty())
            out += separator;
        out += item;
    }
    return out;
}

std::string identityText(Identity identity)
{
    switch (identity) {
    case Identity::Always:
        return "GENERATED ALWAYS AS IDENTITY";
    case Identity::ByDefault:
        return "GENERATED BY DEFAULT AS IDENTITY";
    case Identity::None:
        break;
    }
    return {};
}

std::string identitySequenceText(const std::optional<IdentitySequenceDef> &s)
{
    if (!s)
        return "(none)";
    return s->name.display() + " (start " + std::to_string(s->start) + ", increment "
           + std::to_string(s->increment) + ", min " + std::to_string(s->minValue) + ", max "
           + std::to_string(s->maxValue) + ", cache " + std::to_string(s->cache)
           + (s->cycle ? ", cycle)" : ")");
}

std::string columnDefinition(const ColumnDef &c)
{
    std::string sql = q(c.name) + ' ' + c.type;
    if (!c.collation.empty())
        sql += " COLLATE " + c.collation;
    if (!c.generatedExpr.empty())
        sql += " GENERATED ALWAYS AS (" + c.generatedExpr + ") STORED";
    if (c.identity != Identity::None)
        sql += ' ' + identityClause(c);
    if (!c.defaultExpr.empty())
        sql += " DEFAULT " + c.defaultExpr;
    if (c.notNull)
        sql += " NOT NULL";
    return sql;
}

std::string alterTable(const QualifiedName &table)
{
    return "ALTER TABLE " + q(table) + ' ';
}

std::string alterColumn(const QualifiedName &table, const std::string &column)
{
    return alterTable(table) + "ALTER COLUMN " + q(column) + ' ';
}

/// "a=1" → {"a", "1"}
std::pair<std::string, std::string> splitOption(const std::string &option)
{
    const auto eq = option.find('=');
    if (eq == std::string::npos)
        return {option, {}};
    return {option.substr(0, eq), option.substr(eq + 1)};
}

std::string optionList(const std::vector<std::string> &options)
{
    std::vector<std::string> items;
    for (const auto &option : options) {
        const auto [key, value] = splitOption(option);
        items.push_back(q(key) + " = " + quoteLiteral(value));
    }
    return join(items, ", ");
}

std::string sequenceParameters(const SequenceDef &s)
{
    return "AS " + s.dataType + " INCREMENT BY " + std::to_string(s.increment) + " MINVALUE "
           + std::to_string(s.minValue) + " MAXVALUE " + std::to_string(s.maxValue) + " START WITH "
           + std::to_string(s.start) + " CACHE " + std::to_string(s.cache)
           + (s.cycle ? " CYCLE" : " NO CYCLE");
}

std::string functionSignature(const FunctionDef &f)
{
    return q(f.name) + '(' + f.identityArguments + ')';
}

std::string functionKeyword(const FunctionDef &f)
{
    return f.kind == FunctionKind::Procedure ? "PROCEDURE" : "FUNCTION";
}

std::string commentSql(const std::string &target, const std::string &comment)
{
    return "COMMENT ON " + target + " IS " + (comment.empty() ? "NULL" : quoteLiteral(comment));
}

std::string policySql(const PolicyDef &p)
{
    std::string sql = "CREATE POLICY " + q(p.name) + " ON " + q(p.table) + " AS "
                      + (p.permissive ? "PERMISSIVE" : "RESTRICTIVE") + " FOR " + p.command + " TO "
                      + (p.roles.empty() ? std::string("PUBLIC") : join(p.roles, ", "));
    if (!p.usingExpr.empty())
        sql += " USING (" + p.usingExpr + ')';
    if (!p.withCheckExpr.empty())
        sql += " WITH CHECK (" + p.withCheckExpr + ')';
    return sql;
}

std::string enumLabels(const std::vector<std::string> &labels)
{
    std::vector<std::string> quoted;
    for (const auto &label : labels)
        quoted.push_back(quoteLiteral(label));
    return join(quoted, ", ");
}

std::string domainSql(const DomainDef &d)
{
    std::string sql = "CREATE DOMAIN " + q(d.name) + " AS " + d.baseType;
    if (!d.collation.empty())
        sql += " COLLATE " + d.collation;
    if (!d.defaultExpr.empty())
        sql += " DEFAULT " + d.defaultExpr;
    if (d.notNull)
        sql += " NOT NULL";
    for (const auto &c : d.constraints)
        sql += " CONSTRAINT " + q(c.name) + ' ' + c.definition;
    return sql;
}

std::string compositeSql(const CompositeTypeDef &c)
{
    std::vector<std::string> attributes;
    for (const auto &a : c.attributes)
        attributes.push_back(q(a.name) + ' ' + a.type);
    return "CREATE TYPE " + q(c.name) + " AS (" + join(attributes, ", ") + ')';
}

bool isKey(ConstraintType type)
{
    return type != ConstraintType::Check;
}

// ---------------------------------------------------------------------------------------------
// Matching helpers
// ---------------------------------------------------------------------------------------------

template<typename T, typename KeyFn>
using KeyOf = std::remove_cvref_t<std::invoke_result_t<KeyFn, const T &>>;

template<typename T, typename KeyFn>
std::map<KeyOf<T, KeyFn>, const T *> indexBy(const std::vector<T> &items, KeyFn key)
{
    std::map<KeyOf<T, KeyFn>, const T *> out;
    for (const auto &item : items)
        out.emplace(key(item), &item);
    return out;
}

/// Calls each(fromOrNull, toOrNull) for every key present on either side, in key order.
template<typename T, typename KeyFn, typename Each>
void matchUp(const std::vector<T> &from, const std::vector<T> &to, KeyFn key, Each each)
{
    const auto fromIndex = indexBy(from, key);
    const auto toIndex = indexBy(to, key);
    std::set<KeyOf<T, KeyFn>> keys;
    for (const auto &[k, v] : fromIndex)
        keys.insert(k);
    for (const auto &[k, v] : toIndex)
        keys.insert(k);
    for (const auto &k : keys) {
        const auto f = fromIndex.find(k);
        const auto t = toIndex.find(k);
        each(f == fromIndex.end() ? nullptr : f->second, t == toIndex.end() ? nullptr : t->second);
    }
}

struct Pending
{
    Difference d;
    std::vector<Aspect> aspects;
};

/// Tables and views of one snapshot by name. The differ asks "does it exist on both sides?"
/// for every object, so a linear SchemaSnapshot::findTable made large diffs quadratic.
class RelationIndex
{
public:
    explicit RelationIndex(const SchemaSnapshot &s)
    {
        for (const auto &t : s.tables)
            m_tables.emplace(t.name, &t);
        for (const auto &v : s.views)
            m_views.emplace(v.name, &v);
    }

    [[nodiscard]] const TableDef *table(const QualifiedName &name) const
    {
        const auto it = m_tables.find(name);
        return it == m_tables.end() ? nullptr : it->second;
    }
    [[nodiscard]] const ViewDef *view(const QualifiedName &name) const
    {
        const auto it = m_views.find(name);
        return it == m_views.end() ? nullptr : it->second;
    }

private:
    std::map<QualifiedName, const TableDef *> m_tables;
    std::map<QualifiedName, const ViewDef *> m_views;
};

/// Tables and views with their inheritance / view-on-view depth, per snapshot.
class Depths
{
public:
    explicit Depths(const RelationIndex &s)
        : m_s(s)
    {
    }

    int table(const QualifiedName &name)
    {
        if (const auto it = m_tables.find(name); it != m_tables.end())
            return it->second;
        m_tables[name] = 0; // cycles cannot happen, but never recurse forever
        const TableDef *t = m_s.table(name);
        int depth = 0;
        if (t) {
            if (t->partitionOf)
                depth = std::max(depth, table(*t->partitionOf) + 1);
            for (const auto &parent : t->inherits)
                depth = std::max(depth, table(parent) + 1);
        }
        return m_tables[name] = depth;
    }

    int view(const QualifiedName &name)
    {
        if (const auto it = m_views.find(name); it != m_views.end())
            return it->second;
        m_views[name] = 0;
        const ViewDef *v = m_s.view(name);
        int depth = 0;
        if (v) {
            for (const auto &dependency : v->dependsOnRelations) {
                if (m_s.view(dependency))
                    depth = std::max(depth, view(dependency) + 1);
            }
        }
        return m_views[name] = depth;
    }

private:
    const RelationIndex &m_s;
    std::map<QualifiedName, int> m_tables;
    std::map<QualifiedName, int> m_views;
};

/// Every object's depth in one snapshot's dependency graph (pg_depend facts plus inheritance
/// and partitioning): 0 for an object that needs no other object of the snapshot, else one more
/// than the deepest object it needs. Creating by ascending depth (and dropping by descending
/// depth) runs every statement after (before) the objects it needs (that need it).
class Ranks
{
public:
    explicit Ranks(const SchemaSnapshot &s)
    {
        for (const auto &d : s.dependencies)
            m_needs[d.dependent].push_back(d.referenced);
        for (const auto &t : s.tables) {
            const std::string key = objectKey("table", t.name);
            if (t.partitionOf)
                m_needs[key].push_back(objectKey("table", *t.partitionOf));
            for (const auto &parent : t.inherits)
                m_needs[key].push_back(objectKey("table", parent));
        }
    }

    int of(const std::string &key)
    {
        if (const auto it = m_ranks.find(key); it != m_ranks.end())
            return it->second;
        m_ranks[key] = 0; // a cycle (rare: a function and a table default using each other)
        int rank = 0;
        if (const auto it = m_needs.find(key); it != m_needs.end()) {
            for (const auto &needed : it->second)
                rank = std::max(rank, of(needed) + 1);
        }
        return m_ranks[key] = rank;
    }

private:
    std::map<std::string, std::vector<std::string>> m_needs;
    std::map<std::string, int> m_ranks;
};

// ---------------------------------------------------------------------------------------------
// The differ
// ---------------------------------------------------------------------------------------------

class Differ
{
public:
    Differ(const SchemaSnapshot &from, const SchemaSnapshot &to)
        : m_from(from)
        , m_to(to)
        , m_fromRelations(from)
        , m_toRelations(to)
        , m_fromDepth(m_fromRelations)
        , m_toDepth(m_toRelations)
        , m_fromRanks(from)
        , m_toRanks(to)
    {
    }

    std::vector<Difference> run();

private:
    Pending &add(ObjectKind kind, std::string schema, std::string name, std::string table,
                 Change change)
    {
        Pending p;
        p.d.kind = kind;
        p.d.schema = std::move(schema);
        p.d.name = std::move(name);
        p.d.table = std::move(table);
        p.d.change = change;
        m_pending.push_back(std::move(p));
        return m_pending.back();
    }
    static void stmt(Pending &p, Phase phase, std::string sql, int order = 0)
    {
        p.d.statements.push_back({phase, order, std::move(sql), false, {}});
    }
    static void unsafeStmt(Pending &p, Phase phase, std::string sql, std::string reason,
                           int order = 0)
    {
        p.d.statements.push_back({phase, order, std::move(sql), true, std::move(reason)});
    }
    static void comment(Pending &p, const std::string &target, const std::string &text)
    {
        if (!text.empty())
            stmt(p, Phase::Comments, commentSql(target, text));
    }
    /// A comment difference on an object present on both sides.
    void commentDiff(const std::string &schema, const std::string &name, const std::string &table,
                     const std::string &target, const std::string &from, const std::string &to)
    {
        if (from == to)
            return;
        const Change change = from.empty() ? Change::Added
                              : to.empty() ? Change::Removed
                                           : Change::Changed;
        Pending &p = add(ObjectKind::Comment, schema, name, table, change);
        p.d.details.push_back("comment: " + orNone(from) + " → " + orNone(to));
        p.aspects.push_back(Aspect::Comment);
        stmt(p, Phase::Comments, commentSql(target, to));
    }

    bool tableStable(const QualifiedName &name) const
    {
        return m_fromRelations.table(name) && m_toRelations.table(name) && !m_recreatedTables.contains(name);
    }
    bool viewStable(const QualifiedName &name) const
    {
        return m_fromRelations.view(name) && m_toRelations.view(name) && !m_changedViews.contains(name);
    }
    bool relationStable(const QualifiedName &name) const
    {
        return tableStable(name) || viewStable(name);
    }
    bool columnStable(const ColumnRef &column) const
    {
        return tableStable(column.table) && !m_addedColumns.contains(column)
               && !m_removedColumns.contains(column) && !m_recreatedColumns.contains(column);
    }
    static bool isMatView(const RelationIndex &s, const QualifiedName &name)
    {
        const ViewDef *v = s.view(name);
        return v && v->kind == ViewKind::Materialized;
    }

    /// Order within Phase::CreateObjects: the object's depth in TO.
    int createOrder(const std::string &key) { return m_toRanks.of(key); }
    /// Order within Phase::DropObjects: dependants (deeper in FROM) first. A late alter of an
    /// object runs after its dependants are gone and before what it needs is dropped.
    int dropOrder(const std::string &key, bool lateAlter = false)
    {
        return -2 * m_fromRanks.of(key) + (lateAlter ? 1 : 0);
    }
    static std::string typeKey(const QualifiedName &name) { return objectKey("type", name); }
    static std::string functionKey(const FunctionDef &f)
    {
        return objectKey("function", f.name, f.identityArguments);
    }

    void classify();

    // Statement builders that read TO (create) or FROM (drop).
    void createTable(Pending &p, const TableDef &t);
    void createConstraint(Pending &p, const ConstraintDef &c);
    void dropConstraint(Pending &p, const ConstraintDef &c);
    void createIndex(Pending &p, const IndexDef &i);
    void createSequence(Pending &p, const SequenceDef &s, Phase phase = Phase::CreateSequences);
    void createView(Pending &p, const ViewDef &v);
    void dropView(Pending &p, const ViewDef &v);
    void createTrigger(Pending &p, const TriggerDef &t);
    void createFunction(Pending &p, const FunctionDef &f);
    /// Views (FROM) that read any of these, transitively: dropped, then recreated from TO.
    void rebuildDependentViews(Pending &p, std::set<ColumnRef> columns,
                               std::set<QualifiedName> relations, std::set<std::string> functions);
    /// Foreign keys (FROM) that use one of these unique indexes or reference one of these tables.
    void rebuildDependentForeignKeys(Pending &p, const std::set<QualifiedName> &indexes,
                                     const std::set<QualifiedName> &tables);
    void rebuildDependentTriggers(Pending &p, const std::string &functionKey);
    /// Retypes FROM columns of `type` after the type was recreated (enum labels removed, domain
    /// base type changed).
    /// `reason` empty: the statements are safe.
    void rewriteColumnsOfType(Pending &p, const QualifiedName &type, bool viaText,
                              const std::string &reason);
    static void maybeUnsafe(Pending &p, Phase phase, std::string sql, const std::string &reason,
                            int order = 0)
    {
        if (reason.empty())
            stmt(p, phase, std::move(sql), order);
        else
            unsafeStmt(p, phase, std::move(sql), reason, order);
    }

    void diffSchemas();
    void diffExtensions();
    void diffCollations();
    void diffEnums();
    void diffDomains();
    void diffCompositeTypes();
    void diffSequences();
    void diffFunctions();
    void diffTables();
    void diffColumns(const TableDef &from, const TableDef &to);
    void diffConstraints();
    void diffIndexes();
    void diffViews();
    void diffTriggers();
    void diffPolicies();

    const SchemaSnapshot &m_from;
    const SchemaSnapshot &m_to;
    RelationIndex m_fromRelations; // declared before the Depths that refer to them
    RelationIndex m_toRelations;
    Depths m_fromDepth;
    Depths m_toDepth;
    Ranks m_fromRanks;
    Ranks m_toRanks;
    std::deque<Pending> m_pending; // add() hands out references: never invalidated
    std::set<QualifiedName> m_recreatedTables;
    std::set<QualifiedName> m_changedViews;
    std::set<ColumnRef> m_addedColumns;
    std::set<ColumnRef> m_removedColumns;
    std::set<ColumnRef> m_recreatedColumns;
    std::set<QualifiedName> m_fromEnums;
    std::set<QualifiedName> m_toEnums;
    /// Functions that need a view (its row type): created with the views, dropped before them.
    std::set<std::string> m_fromFunctionsOnViews;
    std::set<std::string> m_toFunctionsOnViews;
    /// TO sequences named like the identity sequence of a FROM column that loses its identity.
    std::set<QualifiedName> m_sequencesAfterIdentity;
};

void Differ::classify()
{
    for (const auto &e : m_from.enums)
        m_fromEnums.insert(e.name);
    for (const auto &e : m_to.enums)
        m_toEnums.insert(e.name);
    auto functionsOnViews = [](const SchemaSnapshot &s, std::set<std::string> &out) {
        for (const auto &d : s.dependencies) {
            if (d.dependent.starts_with("function\x1f") && d.referenced.starts_with("view\x1f"))
                out.insert(d.dependent);
        }
    };
    functionsOnViews(m_from, m_fromFunctionsOnViews);
    functionsOnViews(m_to, m_toFunctionsOnViews);
    for (const auto &t : m_from.tables) {
        const TableDef *to = m_toRelations.table(t.name);
        if (!to)
            continue;
        for (const auto &c : t.columns) {
            const auto toColumn = std::ranges::find(to->columns, c.name, &ColumnDef::name);
            if (c.identitySequence && toColumn != to->columns.end()
                && toColumn->identity == Identity::None
                && std::ranges::binary_search(m_to.sequences, c.identitySequence->name, {},
                                              &SequenceDef::name))
                m_sequencesAfterIdentity.insert(c.identitySequence->name);
        }
    }
    for (const auto &t : m_to.tables) {
        const TableDef *f = m_fromRelations.table(t.name);
        if (f && (f->kind != t.kind || f->partitionKey != t.partitionKey))
            m_recreatedTables.insert(t.name);
    }
    // Partitions go with a recreated partitioned table.
    bool grown = true;
    while (grown) {
        grown = false;
        for (const auto &t : m_from.tables) {
            if (t.partitionOf && m_recreatedTables.contains(*t.partitionOf)
                && m_toRelations.table(t.name) && m_recreatedTables.insert(t.name).second)
                grown = true;
        }
    }
    for (const auto &t : m_to.tables) {
        const TableDef *f = m_fromRelations.table(t.name);
        if (!f || m_recreatedTables.contains(t.name))
            continue;
        auto names = [](const TableDef &table) {
            std::set<std::string> out;
            for (const auto &c : table.columns)
                out.insert(c.name);
            return out;
        };
        const auto fromNames = names(*f);
        const auto toNames = names(t);
        for (const auto &c : toNames) {
            if (!fromNames.contains(c))
                m_addedColumns.insert({t.name, c});
        }
        for (const auto &c : fromNames) {
            if (!toNames.contains(c))
                m_removedColumns.insert({t.name, c});
        }
        for (const auto &c : t.columns) {
            const auto fc = std::ranges::find(f->columns, c.name, &ColumnDef::name);
            if (fc != f->columns.end() && fc->generatedExpr != c.generatedExpr
                && !c.generatedExpr.empty())
                m_recreatedColumns.insert({t.name, c.name});
        }
    }
    for (const auto &v : m_to.views) {
        const ViewDef *f = m_fromRelations.view(v.name);
        if (f
            && (f->kind != v.kind || !sameExpression(f->definition, v.definition)
                || f->options != v.options))
            m_changedViews.insert(v.name);
    }
}

// ---- builders --------------------------------------------------------------------------------

void Differ::createSequence(Pending &p, const SequenceDef &s, Phase phase)
{
    stmt(p, phase, "CREATE SEQUENCE " + q(s.name) + ' ' + sequenceParameters(s));
    if (s.ownedBy)
        stmt(p, Phase::OwnSequences,
             "ALTER SEQUENCE " + q(s.name) + " OWNED BY " + q(s.ownedBy->table) + '.'
                     + q(s.ownedBy->column));
    comment(p, "SEQUENCE " + q(s.name), s.comment);
}

void Differ::createTable(Pending &p, const TableDef &t)
{
    for (const auto &s : m_to.sequences) {
        if (s.ownedBy && s.ownedBy->table == t.name)
            createSequence(p, s);
    }
    std::string sql = "CREATE ";
    if (t.unlogged)
        sql += "UNLOGGED ";
    sql += "TABLE " + q(t.name);
    if (t.partitionOf) {
        sql += " PARTITION OF " + q(*t.partitionOf);
        if (!t.columns.empty()) {
            // Only constraints may be given for the columns of a partition.
            std::vector<std::string> items;
            for (const auto &c : t.columns)
                items.push_back(columnDefinition(c));
            sql += " (\n    " + join(items, ",\n    ") + "\n)";
        }
        sql += ' ' + t.partitionBound;
    } else {
        std::vector<std::string> items;
        for (const auto &c : t.columns)
            items.push_back(columnDefinition(c));
        sql += items.empty() ? std::string(" ()") : " (\n    " + join(items, ",\n    ") + "\n)";
        if (!t.inherits.empty()) {
            std::vector<std::string> parents;
            for (const auto &parent : t.inherits)
                parents.push_back(q(parent));
            sql += " INHERITS (" + join(parents, ", ") + ')';
        }
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
            stmt(p, Phase::CreatePolicies, policySql(policy));
            comment(p, "POLICY " + q(policy.name) + " ON " + q(t.name), policy.comment);
        }
    }
    if (t.rowSecurity)
        stmt(p, Phase::RowSecurity, alterTable(t.name) + "ENABLE ROW LEVEL SECURITY");
    if (t.forceRowSecurity)
        stmt(p, Phase::RowSecurity, alterTable(t.name) + "FORCE ROW LEVEL SECURITY");
}

void Differ::createConstraint(Pending &p, const ConstraintDef &c)
{
    stmt(p,
         c.type == ConstraintType::ForeignKey ? Phase::CreateForeignKeys : Phase::CreateConstraints,
         alterTable(c.table) + "ADD CONSTRAINT " + q(c.name) + ' ' + c.definition,
         c.type == ConstraintType::PrimaryKey ? 0 : 1);
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

void Differ::createIndex(Pending &p, const IndexDef &i)
{
    if (isMatView(m_toRelations, i.table))
        stmt(p, Phase::CreateViews, i.definition, createOrder(objectKey("view", i.table)) * 10 + 5);
    else
        stmt(p, Phase::CreateIndexes, i.definition);
    comment(p, "INDEX " + q(QualifiedName{i.table.schema, i.name}), i.comment);
}

void Differ::createTrigger(Pending &p, const TriggerDef &t)
{
    stmt(p, Phase::CreateTriggers, t.definition);
    comment(p, "TRIGGER " + q(t.name) + " ON " + q(t.table), t.comment);
}

void Differ::createFunction(Pending &p, const FunctionDef &f)
{
    // A function using a view's row type (RETURNS SETOF v) waits for the view.
    if (m_toFunctionsOnViews.contains(functionKey(f)))
        stmt(p, Phase::CreateViews, f.definition, createOrder(functionKey(f)) * 10);
    else
        stmt(p, Phase::CreateObjects, f.definition, createOrder(functionKey(f)));
    comment(p, functionKeyword(f) + ' ' + functionSignature(f), f.comment);
}

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

// ---- per kind --------------------------------------------------------------------------------

void Differ::diffSchemas()
{
    matchUp(
            m_from.schemas, m_to.schemas, [](const SchemaDef &s) { return s.name; },
            [&](const SchemaDef *f, const SchemaDef *t) {
                if (!f) {
                    Pending &p = add(ObjectKind::Schema, t->name, t->name, {}, Change::Added);
                    stmt(p, Phase::CreateSchemas, "CREATE SCHEMA " + q(t->name));
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
                    stmt(p, Phase::CreateExtensions,
                         "CREATE EXTENSION IF NOT EXISTS " + q(t->name) + " WITH SCHEMA "
                                 + q(t->schema) + " VERSION " + quoteLiteral(t->version));
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
                                         + quoteLiteral(t->version));
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

void Differ::diffEnums()
{
    matchUp(
            m_from.enums, m_to.enums, [](const EnumDef &e) { return e.name; },
            [&](const EnumDef *f, const EnumDef *t) {
                if (!f) {
                    Pending &p = add(ObjectKind::Enum, t->name.schema, t->name.name, {},
                                     Change::Added);
                    stmt(p, Phase::CreateObjects,
                         "CREATE TYPE " + q(t->name) + " AS ENUM (" + enumLabels(t->labels) + ')',
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
                                 alter + quoteLiteral(labels[i]) + " BEFORE "
                                         + quoteLiteral(labels[i + 1]),
                                 order);
                        for (std::size_t i = firstIndex + 1; i < labels.size(); ++i) {
                            if (!fromLabels.contains(labels[i]))
                                stmt(p, Phase::CreateObjects,
                                     alter + quoteLiteral(labels[i]) + " AFTER "
                                             + quoteLiteral(labels[i - 1]),
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
                unsafeStmt(p, Phase::CreateObjects,
                           "CREATE TYPE " + q(t->name) + " AS ENUM (" + enumLabels(t->labels) + ')',
                           reason, createOrder(typeKey(t->name)));
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
                    stmt(p, Phase::CreateObjects, domainSql(*t), createOrder(typeKey(t->name)));
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
                    maybeUnsafe(p, Phase::CreateObjects, domainSql(*t), reason, order);
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
                    stmt(p, Phase::CreateObjects, compositeSql(*t), createOrder(typeKey(t->name)));
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

void Differ::diffSequences()
{
    // Sequences owned by a column that is added or removed, or by a table that is, belong to
    // that column's or table's difference.
    auto folded = [&](const SequenceDef &s) {
        return s.ownedBy && !columnStable(*s.ownedBy);
    };
    matchUp(
            m_from.sequences, m_to.sequences, [](const SequenceDef &s) { return s.name; },
            [&](const SequenceDef *f, const SequenceDef *t) {
                if (!f) {
                    if (folded(*t) || m_sequencesAfterIdentity.contains(t->name))
                        return;
                    Pending &p = add(ObjectKind::Sequence, t->name.schema, t->name.name, {},
                                     Change::Added);
                    createSequence(p, *t);
                    return;
                }
                if (!t) {
                    if (folded(*f))
                        return;
                    Pending &p = add(ObjectKind::Sequence, f->name.schema, f->name.name, {},
                                     Change::Removed);
                    stmt(p, Phase::DropObjects, "DROP SEQUENCE IF EXISTS " + q(f->name),
                         dropOrder(objectKey("sequence", f->name)));
                    return;
                }
                if (folded(*f) || folded(*t))
                    return;
                commentDiff(t->name.schema, t->name.name, {}, "SEQUENCE " + q(t->name), f->comment,
                            t->comment);
                std::vector<std::string> details;
                auto compare = [&](const char *what, auto a, auto b) {
                    if (a != b) {
                        if constexpr (std::is_same_v<decltype(a), std::string>)
                            details.push_back(std::string(what) + ": " + a + " → " + b);
                        else if constexpr (std::is_same_v<decltype(a), bool>)
                            details.push_back(std::string(what) + ": " + yesNo(a) + " → "
                                              + yesNo(b));
                        else
                            details.push_back(std::string(what) + ": " + std::to_string(a) + " → "
                                              + std::to_string(b));
                    }
                };
                compare("type", f->dataType, t->dataType);
                compare("start", f->start, t->start);
                compare("increment", f->increment, t->increment);
                compare("minvalue", f->minValue, t->minValue);
                compare("maxvalue", f->maxValue, t->maxValue);
                compare("cache", f->cache, t->cache);
                compare("cycle", f->cycle, t->cycle);
                const bool parametersDiffer = !details.empty();
                auto owner = [](const std::optional<ColumnRef> &o) {
                    return o ? o->table.display() + '.' + o->column : std::string("(none)");
                };
                if (f->ownedBy != t->ownedBy)
                    details.push_back("owned by: " + owner(f->ownedBy) + " → " + owner(t->ownedBy));
                if (details.empty())
                    return;
                Pending &p = add(ObjectKind::Sequence, t->name.schema, t->name.name, {},
                                 Change::Changed);
                p.d.details = details;
                p.aspects.push_back(Aspect::Definition);
                if (parametersDiffer)
                    stmt(p, Phase::CreateSequences,
                         "ALTER SEQUENCE " + q(t->name) + ' ' + sequenceParameters(*t));
                if (f->ownedBy != t->ownedBy)
                    stmt(p, Phase::OwnSequences,
                         "ALTER SEQUENCE " + q(t->name) + " OWNED BY "
                                 + (t->ownedBy ? q(t->ownedBy->table) + '.' + q(t->ownedBy->column)
                                               : std::string("NONE")));
            });
}

void Differ::diffFunctions()
{
    // Pair a lone removed overload with a lone added one of the same name: a signature change.
    std::map<QualifiedName, std::vector<const FunctionDef *>> removedByName;
    std::map<QualifiedName, std::vector<const FunctionDef *>> addedByName;
    const auto fromIndex = indexBy(m_from.functions, [](const FunctionDef &f) { return f.key(); });
    const auto toIndex = indexBy(m_to.functions, [](const FunctionDef &f) { return f.key(); });
    for (const auto &f : m_from.functions) {
        if (!toIndex.contains(f.key()))
            removedByName[f.name].push_back(&f);
    }
    for (const auto &t : m_to.functions) {
        if (!fromIndex.contains(t.key()))
            addedByName[t.name].push_back(&t);
    }
    std::set<std::string> paired;
    auto kindOf = [](const FunctionDef &f) {
        return f.kind == FunctionKind::Procedure ? ObjectKind::Procedure : ObjectKind::Function;
    };
    auto displayName = [](const FunctionDef &f) {
        return f.name.name + '(' + f.identityArguments + ')';
    };
    auto dropSql = [](const FunctionDef &f) {
        return "DROP " + functionKeyword(f) + " IF EXISTS " + functionSignature(f);
    };
    auto replace = [&](Pending &p, const FunctionDef &f, const FunctionDef &t) {
        stmt(p, Phase::DropReplacedFunctions, dropSql(f));
        createFunction(p, t);
        rebuildDependentViews(p, {}, {}, {f.key()});
        rebuildDependentTriggers(p, f.key());
    };
    for (const auto &[name, removed] : removedByName) {
        const auto added = addedByName.find(name);
        if (removed.size() != 1 || added == addedByName.end() || added->second.size() != 1)
            continue;
        const FunctionDef &f = *removed.front();
        const FunctionDef &t = *added->second.front();
        paired.insert(f.key());
        paired.insert(t.key());
        Pending &p = add(kindOf(t), t.name.schema, displayName(t), {}, Change::Changed);
        p.d.details.push_back(
                "signature: " + displayName(f) + (f.result.empty() ? "" : " → returns " + f.result)
                + "  ⇒  " + displayName(t) + (t.result.empty() ? "" : " → returns " + t.result));
        p.aspects.push_back(Aspect::Signature);
        replace(p, f, t);
    }
    matchUp(
            m_from.functions, m_to.functions, [](const FunctionDef &f) { return f.key(); },
            [&](const FunctionDef *f, const FunctionDef *t) {
                if (!f) {
                    if (paired.contains(t->key()))
                        return;
                    Pending &p
                            = add(kindOf(*t), t->name.schema, displayName(*t), {}, Change::Added);
                    createFunction(p, *t);
                    return;
                }
                if (!t) {
                    if (paired.contains(f->key()))
                        return;
                    Pending &p
                            = add(kindOf(*f), f->name.schema, displayName(*f), {}, Change::Removed);
                    // A function using a view's row type goes before the view.
                    stmt(p,
                         m_fromFunctionsOnViews.contains(functionKey(*f)) ? Phase::DropViews
                                                                          : Phase::DropObjects,
                         dropSql(*f), dropOrder(functionKey(*f)));
                    return;
                }
                commentDiff(t->name.schema, displayName(*t), {},
                            functionKeyword(*t) + ' ' + functionSignature(*t), f->comment,
                            t->comment);
                if (f->definition == t->definition && f->kind == t->kind)
                    return;
                Pending &p = add(kindOf(*t), t->name.schema, displayName(*t), {}, Change::Changed);
                if (f->result != t->result || f->kind != t->kind) {
                    p.d.details.push_back("returns: " + orNone(f->result) + " → "
                                          + orNone(t->result));
                    p.aspects.push_back(Aspect::Signature);
                    replace(p, *f, *t);
                } else {
                    p.d.details.push_back("definition differs");
                    p.aspects.push_back(Aspect::Definition);
                    createFunction(p, *t);
                    // The comment is unchanged and CREATE OR REPLACE keeps it.
                    std::erase_if(p.d.statements,
                                  [](const DdlStatement &s) { return s.phase == Phase::Comments; });
                }
            });
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
                        return out.empty() ? std::string("(none)") : join(out, ", ");
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
                    p.d.details.push_back("options: (" + join(f->options, ", ") + ") → ("
                                          + join(t->options, ", ") + ')');
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
                             alterTable(t->name) + "RESET (" + join(reset, ", ") + ')');
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
                        stmt(r, Phase::RowSecurity,
                             alterTable(t->name) + (t->rowSecurity ? "ENABLE" : "DISABLE")
                                     + " ROW LEVEL SECURITY");
                    }
                    if (f->forceRowSecurity != t->forceRowSecurity) {
                        r.d.details.push_back("force row level security: "
                                              + yesNo(f->forceRowSecurity) + " → "
                                              + yesNo(t->forceRowSecurity));
                        stmt(r, Phase::RowSecurity,
                             alterTable(t->name) + (t->forceRowSecurity ? "FORCE" : "NO FORCE")
                                     + " ROW LEVEL SECURITY");
                    }
                }
                commentDiff(t->name.schema, t->name.name, t->name.name, "TABLE " + q(t->name),
                            f->comment, t->comment);
                diffColumns(*f, *t);
            });
}

void Differ::diffColumns(const TableDef &fromTable, const TableDef &toTable)
{
    const QualifiedName &table = toTable.name;
    matchUp(
            fromTable.columns, toTable.columns, [](const ColumnDef &c) { return c.name; },
            [&](const ColumnDef *f, const ColumnDef *t) {
                const std::string name = table.name + '.' + (t ? t->name : f->name);
                if (!f) {
                    Pending &p = add(ObjectKind::Column, table.schema, name, table.name,
                                     Change::Added);
                    p.d.details.push_back("type: " + t->type);
                    for (const auto &s : m_to.sequences) {
                        if (s.ownedBy && *s.ownedBy == ColumnRef{table, t->name}
                            && std::ranges::find(m_from.sequences, s.name, &SequenceDef::name)
                                       == m_from.sequences.end())
                            createSequence(p, s);
                    }
                    // Children first: a parent's ADD COLUMN reaches its inheritance children, and
                    // a child that already has the column merges it (keeping it local, as in
                    // TO) where adding it to the child afterwards fails ("already exists").
                    // An identity column brings its sequence, which other new objects may name
                    // (nextval('…') in a new table's default): add it among the objects, at
                    // the sequence's depth.
                    if (t->identity != Identity::None && t->identitySequence)
                        stmt(p, Phase::CreateObjects,
                             alterTable(table) + "ADD COLUMN " + columnDefinition(*t),
                             createOrder(objectKey("sequence", t->identitySequence->name)));
                    else
                        stmt(p, Phase::AlterTables,
                             alterTable(table) + "ADD COLUMN " + columnDefinition(*t),
                             -m_toDepth.table(table));
                    comment(p, "COLUMN " + q(table) + '.' + q(t->name), t->comment);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Column, table.schema, name, table.name,
                                     Change::Removed);
                    p.d.details.push_back("type: " + f->type);
                    // Parents first: an inherited column cannot be dropped from a child.
                    unsafeStmt(p, Phase::DropColumns,
                               alterTable(table) + "DROP COLUMN IF EXISTS " + q(f->name),
                               "drops column " + table.display() + '.' + f->name + " and its data",
                               m_fromDepth.table(table));
                    rebuildDependentViews(p, {{table, f->name}}, {}, {});
                    return;
                }
                commentDiff(table.schema, name, table.name, "COLUMN " + q(table) + '.' + q(t->name),
                            f->comment, t->comment);
                Pending p;
                p.d.kind = ObjectKind::Column;
                p.d.schema = table.schema;
                p.d.name = name;
                p.d.table = table.name;
                p.d.change = Change::Changed;
                const std::string column = alterColumn(table, t->name);
                const bool typeChanged = f->type != t->type;
                const bool collationChanged = f->collation != t->collation;
                if (typeChanged) {
                    p.d.details.push_back("type: " + f->type + " → " + t->type);
                    p.aspects.push_back(typeHoldsAll(f->type, t->type) ? Aspect::TypeCompatible
                                                                       : Aspect::TypeIncompatible);
                }
                if (collationChanged) {
                    p.d.details.push_back("collation: " + orNone(f->collation) + " → "
                                          + orNone(t->collation));
                    p.aspects.push_back(Aspect::Collation);
                }
                if (f->notNull != t->notNull) {
                    p.d.details.push_back(std::string("nullable: ")
                                          + (f->notNull ? "NOT NULL" : "NULL") + " → "
                                          + (t->notNull ? "NOT NULL" : "NULL"));
                    p.aspects.push_back(t->notNull ? Aspect::NotNullAdded : Aspect::NotNullDropped);
                }
                const bool defaultChanged = !sameExpression(f->defaultExpr, t->defaultExpr);
                if (defaultChanged) {
                    p.d.details.push_back("default: " + orNone(f->defaultExpr) + " → "
                                          + orNone(t->defaultExpr));
                    p.aspects.push_back(Aspect::Default);
                }
                const bool identitySequenceChanged = f->identity != Identity::None
                                                     && t->identity != Identity::None
                                                     && f->identitySequence != t->identitySequence;
                if (identitySequenceChanged) {
                    p.d.details.push_back("identity sequence: "
                                          + identitySequenceText(f->identitySequence) + " → "
                                          + identitySequenceText(t->identitySequence));
                    p.aspects.push_back(Aspect::Identity);
                }
                if (f->identity != t->identity) {
                    auto text = [](Identity i) {
                        return i == Identity::None ? std::string("(none)") : identityText(i);
                    };
                    p.d.details.push_back("identity: " + text(f->identity) + " → "
                                          + text(t->identity));
                    p.aspects.push_back(Aspect::Identity);
                }
                if (f->generatedExpr != t->generatedExpr) {
                    p.d.details.push_back("generated: " + orNone(f->generatedExpr) + " → "
                                          + orNone(t->generatedExpr));
                    p.aspects.push_back(Aspect::Generated);
                }
                if (p.d.details.empty())
                    return;
                if (m_recreatedColumns.contains({table, t->name})) {
                    // A new generation expression: PostgreSQL 15 can only drop and re-add.
                    const bool hadData = f->generatedExpr.empty();
                    const std::string reason = "drops and re-adds generated column "
                                               + table.display() + '.' + t->name
                                               + (hadData ? " (its stored values are lost)" : "");
                    const std::string drop = alterTable(table) + "DROP COLUMN " + q(f->name);
                    const std::string addSql
                            = alterTable(table) + "ADD COLUMN " + columnDefinition(*t);
                    if (hadData) {
                        unsafeStmt(p, Phase::AlterTables, drop, reason);
                        unsafeStmt(p, Phase::AlterTables, addSql, reason);
                    } else {
                        stmt(p, Phase::AlterTables, drop);
                        stmt(p, Phase::AlterTables, addSql);
                    }
                    comment(p, "COLUMN " + q(table) + '.' + q(t->name), t->comment);
                    rebuildDependentViews(p, {{table, f->name}}, {}, {});
                    m_pending.push_back(std::move(p));
                    return;
                }
                // Parents first: a parent's ALTER COLUMN reaches its children, and a child's
                // inherited column cannot be retyped on its own.
                const int order = m_toDepth.table(table);
                const std::size_t firstStatement = p.d.statements.size();
                if (!f->generatedExpr.empty() && t->generatedExpr.empty())
                    stmt(p, Phase::AlterTables, column + "DROP EXPRESSION");
                const bool retype = typeChanged || collationChanged;
                if (f->identity != Identity::None && t->identity == Identity::None) {
                    // An identity turned serial: TO's sequence takes the identity sequence's
                    // name, so it is created only once the identity (and its sequence) is gone.
                    const auto reused
                            = f->identitySequence
                                              && m_sequencesAfterIdentity.contains(
                                                      f->identitySequence->name)
                                      ? std::ranges::find(m_to.sequences, f->identitySequence->name,
                                                          &SequenceDef::name)
                                      : m_to.sequences.end();
                    // Dropping the identity drops its sequence, which objects dropped later may
                    // still name: drop it among the objects, at the sequence's depth, unless the
                    // column needs it gone for another change.
                    if (reused != m_to.sequences.end()) {
                        stmt(p, Phase::AlterTables, column + "DROP IDENTITY");
                        createSequence(p, *reused, Phase::AlterTables);
                    } else if (!retype && t->defaultExpr.empty() && (t->notNull || !f->notNull)
                               && f->identitySequence) {
                        stmt(p, Phase::DropObjects, column + "DROP IDENTITY",
                             dropOrder(objectKey("sequence", f->identitySequence->name)));
                    } else {
                        stmt(p, Phase::AlterTables, column + "DROP IDENTITY");
                    }
                }
                if (!f->defaultExpr.empty() && (t->defaultExpr.empty() || retype))
                    stmt(p, Phase::AlterTables, column + "DROP DEFAULT");
                if (retype) {
                    std::string sql = column + "TYPE " + t->type;
                    if (collationChanged)
                        sql += " COLLATE "
                               + (t->collation.empty() ? std::string("pg_catalog.\"default\"")
                                                       : t->collation);
                    // No cast exists between two enums (or an enum and most types): through
                    // text, which every enum converts to and from by label.
                    const bool viaText = f->typeRef != t->typeRef && f->isArray == t->isArray
                                         && (m_fromEnums.contains(f->typeRef)
                                             || m_toEnums.contains(t->typeRef));
                    if (typeChanged)
                        sql += " USING " + q(t->name) + "::"
                               + (viaText ? (t->isArray ? "text[]::" : "text::") : "") + t->type;
                    if (typeHoldsAll(t->type, f->type))
                        stmt(p, Phase::AlterTables, sql);
                    else
                        unsafeStmt(p, Phase::AlterTables, sql,
                                   "may lose data: " + table.display() + '.' + t->name + ' '
                                           + f->type + " → " + t->type);
                    rebuildDependentViews(p, {{table, f->name}}, {}, {});
                }
                if (f->notNull != t->notNull)
                    stmt(p, Phase::AlterTables,
                         column + (t->notNull ? "SET NOT NULL" : "DROP NOT NULL"));
                if (t->identity != Identity::None && f->identity == Identity::None) {
                    // A serial turned identity: its old sequence (dropped in TO) often has the
                    // name the identity's sequence must take. Drop it first.
                    const bool nameTaken = t->identitySequence
                                           && std::ranges::binary_search(m_from.sequences,
                                                                         t->identitySequence->name,
                                                                         {}, &SequenceDef::name)
                                           && !std::ranges::binary_search(m_to.sequences,
                                                                          t->identitySequence->name,
                                                                          {}, &SequenceDef::name);
                    if (nameTaken)
                        stmt(p, Phase::AlterTables,
                             "DROP SEQUENCE IF EXISTS " + q(t->identitySequence->name));
                    // As for an added identity column: the sequence may be needed by new
                    // objects. Only when nothing else about the column must change first.
                    if (!retype && !nameTaken && f->defaultExpr.empty() && t->identitySequence) {
                        const int early
                                = createOrder(objectKey("sequence", t->identitySequence->name));
                        if (t->notNull && !f->notNull)
                            stmt(p, Phase::CreateObjects, column + "SET NOT NULL", early);
                        stmt(p, Phase::CreateObjects, column + "ADD " + identityClause(*t), early);
                    } else {
                        stmt(p, Phase::AlterTables, column + "ADD " + identityClause(*t));
                    }
                } else if (t->identity != Identity::None && f->identity != t->identity)
                    stmt(p, Phase::AlterTables,
                         column
                                 + (t->identity == Identity::Always ? "SET GENERATED ALWAYS"
                                                                    : "SET GENERATED BY DEFAULT"));
                if (identitySequenceChanged && f->identitySequence && t->identitySequence) {
                    const IdentitySequenceDef &fs = *f->identitySequence;
                    const IdentitySequenceDef &ts = *t->identitySequence;
                    // An identity sequence lives in its table's schema: a rename is enough.
                    if (fs.name.name != ts.name.name)
                        stmt(p, Phase::AlterTables,
                             "ALTER SEQUENCE " + q(fs.name) + " RENAME TO " + q(ts.name.name));
                    if (std::tie(fs.start, fs.increment, fs.minValue, fs.maxValue, fs.cache,
                                 fs.cycle)
                        != std::tie(ts.start, ts.increment, ts.minValue, ts.maxValue, ts.cache,
                                    ts.cycle))
                        stmt(p, Phase::AlterTables,
                             column + "SET START WITH " + std::to_string(ts.start)
                                     + " SET INCREMENT BY " + std::to_string(ts.increment)
                                     + " SET MINVALUE " + std::to_string(ts.minValue)
                                     + " SET MAXVALUE " + std::to_string(ts.maxValue)
                                     + " SET CACHE " + std::to_string(ts.cache)
                                     + (ts.cycle ? " SET CYCLE" : " SET NO CYCLE"));
                }
                if (!t->defaultExpr.empty() && (defaultChanged || retype))
                    stmt(p, Phase::AlterTables, column + "SET DEFAULT " + t->defaultExpr);
                for (std::size_t i = firstStatement; i < p.d.statements.size(); ++i) {
                    if (p.d.statements[i].phase == Phase::AlterTables
                        && p.d.statements[i].order == 0)
                        p.d.statements[i].order = order;
                }
                m_pending.push_back(std::move(p));
            });
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
                    p.d.details.push_back("options: (" + join(f->options, ", ") + ") → ("
                                          + join(t->options, ", ") + ')');
                p.aspects.push_back(Aspect::Definition);
                dropView(p, *f);
                createView(p, *t);
                rebuildDependentViews(p, {}, {f->name}, {});
            });
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
                    p.d.details.push_back(policySql(*t));
                    stmt(p, Phase::CreatePolicies, policySql(*t));
                    comment(p, target, t->comment);
                    return;
                }
                if (!t) {
                    Pending &p = add(ObjectKind::Policy, f->table.schema, name, f->table.name,
                                     Change::Removed);
                    p.aspects.push_back(Aspect::Presence);
                    p.d.details.push_back(policySql(*f));
                    stmt(p, Phase::DropPolicies, drop);
                    return;
                }
                commentDiff(t->table.schema, name, t->table.name, target, f->comment, t->comment);
                if (sameExpression(policySql(*f), policySql(*t)))
                    return;
                Pending &p = add(ObjectKind::Policy, t->table.schema, name, t->table.name,
                                 Change::Changed);
                p.aspects.push_back(Aspect::Definition);
                p.d.details.push_back("definition: " + policySql(*f) + " → " + policySql(*t));
                stmt(p, Phase::DropPolicies, drop);
                stmt(p, Phase::CreatePolicies, policySql(*t));
                comment(p, target, t->comment);
            });
}

std::vector<Difference> Differ::run()
{
    classify();
    diffSchemas();
    diffExtensions();
    diffCollations();
    diffEnums();
    diffDomains();
    diffCompositeTypes();
    diffSequences();
    diffFunctions();
    diffTables();
    diffConstraints();
    diffIndexes();
    diffViews();
    diffTriggers();
    diffPolicies();

    std::vector<Difference> out;
    out.reserve(m_pending.size());
    for (auto &p : m_pending) {
        if (p.aspects.empty())
            p.aspects.push_back(p.d.kind == ObjectKind::Comment ? Aspect::Comment
                                                                : Aspect::Presence);
        Severity severity = Severity::Info;
        for (const Aspect aspect : p.aspects)
            severity = std::max(severity, severityFor(p.d.kind, p.d.change, aspect));
        p.d.severity = severity;
        out.push_back(std::move(p.d));
    }
    std::ranges::stable_sort(out, [](const Difference &a, const Difference &b) {
        return std::tie(a.schema, a.name, a.kind) < std::tie(b.schema, b.name, b.kind);
    });
    return out;
}

} // namespace

std::vector<Difference> diff(const SchemaSnapshot &from, const SchemaSnapshot &to,
                             const IgnoreRules &ignore)
{
    return applyIgnoreRules(Differ(from, to).run(), ignore);
}

} // namespace envsync::drift
