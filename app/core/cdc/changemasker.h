#pragma once

#include "core/cdc/change.h"
#include "core/config/config.h"
#include "core/drift/schemacatalog.h"
#include "core/error.h"
#include "core/masking/maskplan.h"

#include <map>
#include <memory>
#include <set>
#include <string>

namespace envsync::cdc {

/// Masks every row image of the change stream (new rows, old rows and old keys alike) with the
/// plan, transforms and salt `snapshot create` uses: a row streamed by CDC and the same row in
/// the next golden snapshot are byte for byte the same. Values travel as COPY text rows through
/// the very TableMasker the snapshot's copy uses. Fails closed: a relation with a column that
/// has neither a rule nor a keep entry is refused, naming it, before any of its rows is masked.
class ChangeMasker
{
public:
    explicit ChangeMasker(config::MaskingConfig masking);

    /// (Re)builds the plan against the source's schema (salt from the environment or keychain,
    /// as for snapshots). Relations learnt before are forgotten: add them again.
    [[nodiscard]] Result<void> rebuild(const drift::SchemaCatalog &source);
    /// Whether the schema the plan was built on has this table with every one of its columns
    /// (when not, the caller reads the source's schema again and rebuilds).
    [[nodiscard]] bool knows(const Relation &relation) const;
    /// Prepares the relation's masker and fills in its columns' type names. Refused
    /// (Refusal::UnclassifiedColumns) naming schema.table.column under `unclassified: fail`.
    [[nodiscard]] Result<void> addRelation(Relation &relation);
    /// Masks the change's row images in place; Internal error for a relation never added.
    [[nodiscard]] Result<void> mask(RowChange &change) const;

private:
    struct RelationMasking
    {
        std::string name; ///< schema.table, for errors
        std::size_t columnCount = 0;
        std::shared_ptr<const masking::TableMasker> masker; ///< nullptr: nothing masked
        std::vector<bool> nulled; ///< columns written as NULL (unclassified: null)
    };

    void maskTuple(const RelationMasking &relation, Tuple &tuple) const;

    config::MaskingConfig m_masking;
    std::unique_ptr<masking::MaskPlan> m_plan;
    std::map<std::string, std::map<std::string, std::string>>
            m_columnTypes;               ///< table → column → type
    std::set<std::string> m_nullColumns; ///< schema.table.column
    std::map<std::uint32_t, RelationMasking> m_relations;
};

} // namespace envsync::cdc
