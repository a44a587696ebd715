// Functions and procedures: creation, removal, redefinition and signature changes (with
// the views and triggers that depend on them).
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

void Differ::createFunction(Pending &p, const FunctionDef &f)
{
    // A function using a view's row type (RETURNS SETOF v) waits for the view.
    if (m_toFunctionsOnViews.contains(functionKey(f)))
        stmt(p, Phase::CreateViews, f.definition, createOrder(functionKey(f)) * 10);
    else
        stmt(p, Phase::CreateObjects, f.definition, createOrder(functionKey(f)));
    comment(p, functionKeyword(f) + ' ' + functionSignature(f), f.comment);
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

} // namespace envsync::drift::detail
