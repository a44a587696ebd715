// Internal to the drift differ (diff.cpp and the diff_*.cpp files, one per object kind): the
// Differ class each of those files implements a part of, plus the matching and dependency-
// ordering helpers they share. Not a public API: outside the differ include diff.h.
#pragma once

#include "core/drift/ddl.h"
#include "core/drift/diff.h"
#include "core/drift/difference.h"
#include "core/drift/schemacatalog.h"
#include "core/drift/severity.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace envsync::drift::detail {

inline std::string q(std::string_view identifier)
{
    return db::quoteIdentifier(identifier);
}

inline std::string q(const QualifiedName &name)
{
    return quoteQualified(name);
}

inline std::string orNone(const std::string &text)
{
    return text.empty() ? "(none)" : text;
}

inline std::string yesNo(bool value)
{
    return value ? "yes" : "no";
}

inline std::string alterTable(const QualifiedName &table)
{
    return "ALTER TABLE " + q(table) + ' ';
}

inline std::string alterColumn(const QualifiedName &table, const std::string &column)
{
    return alterTable(table) + "ALTER COLUMN " + q(column) + ' ';
}

/// "a=1" → {"a", "1"}
std::pair<std::string, std::string> splitOption(const std::string &option);
/// Storage parameters as `"key" = 'value', …` (tables, materialized views, views).
std::string optionList(const std::vector<std::string> &options);

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
/// for every object, so a linear SchemaCatalog::findTable made large diffs quadratic.
class RelationIndex
{
public:
    explicit RelationIndex(const SchemaCatalog &s)
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
    explicit Ranks(const SchemaCatalog &s)
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
    Differ(const SchemaCatalog &from, const SchemaCatalog &to)
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
        return m_fromRelations.table(name) && m_toRelations.table(name)
               && !m_recreatedTables.contains(name);
    }
    bool viewStable(const QualifiedName &name) const
    {
        return m_fromRelations.view(name) && m_toRelations.view(name)
               && !m_changedViews.contains(name);
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

    const SchemaCatalog &m_from;
    const SchemaCatalog &m_to;
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

} // namespace envsync::drift::detail
