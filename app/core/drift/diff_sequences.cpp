// Sequences: CREATE SEQUENCE (also for a new table or column that owns one) and changes of
// parameters and ownership.
#include "core/drift/diffparts.h"

namespace envsync::drift::detail {

void Differ::createSequence(Pending &p, const SequenceDef &s, Phase phase)
{
    stmt(p, phase, createSequenceSql(s));
    if (s.ownedBy)
        stmt(p, Phase::OwnSequences, sequenceOwnedBySql(s.name, s.ownedBy));
    comment(p, "SEQUENCE " + q(s.name), s.comment);
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
                    stmt(p, Phase::OwnSequences, sequenceOwnedBySql(t->name, t->ownedBy));
            });
}

} // namespace envsync::drift::detail
