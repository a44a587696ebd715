#include "maskplan.h"

#include "copytext.h"
#include "core/config/formats.h"
#include "fkinheritance.h"
#include "hmackey.h"
#include "transform.h"

#include <QByteArray>
#include <QtGlobal>

#include <algorithm>
#include <set>

namespace envsync::masking {

namespace {

using drift::QualifiedName;

/// A rule as applied to one column (its own, or inherited from the key it references).
struct ResolvedRule
{
    const config::MaskRule *rule = nullptr;
    std::shared_ptr<const Transform> transform;
    std::string inheritedFrom; ///< "schema.table.column" of the key; empty for own rules
};

/// A keep entry's column, read as PostgreSQL reads identifiers (quotes, case).
std::optional<ColumnName> splitColumn(const std::string &text)
{
    const auto parts = config::parseQualifiedName(text, 3);
    if (!parts)
        return std::nullopt;
    return ColumnName{(*parts)[0], (*parts)[1], (*parts)[2]};
}

std::string locationOf(const config::MaskRule &rule)
{
    return std::to_string(rule.location.line) + ':' + std::to_string(rule.location.column);
}

std::string canonicalRule(const config::MaskRule &rule)
{
    std::string s = rule.transform + "\x1f" + (rule.unique ? "unique" : "-");
    for (const auto &[k, v] : rule.params)
        s += "\x1f" + k + '=' + v;
    return s;
}

std::string_view policyName(config::UnclassifiedPolicy policy)
{
    switch (policy) {
    case config::UnclassifiedPolicy::Fail: return "fail";
    case config::UnclassifiedPolicy::Keep: return "keep";
    case config::UnclassifiedPolicy::Null: return "null";
    }
    return "fail";
}

class TableMaskerImpl final : public TableMasker
{
public:
    TableMaskerImpl(std::vector<std::shared_ptr<const Transform>> transforms,
                    std::vector<std::string> masked)
        : m_transforms(std::move(transforms)), m_masked(std::move(masked))
    {}

    void maskRow(std::string &row) const override
    {
        thread_local std::string out;
        thread_local std::string plain;
        thread_local std::string masked;
        out.clear();
        out.reserve(row.size() + 32);
        const std::string_view in = row;
        std::size_t pos = 0;
        for (std::size_t index = 0;; ++index) {
            const std::size_t tab = in.find('\t', pos);
            const std::string_view field = in.substr(pos, tab == std::string_view::npos
                                                                  ? std::string_view::npos
                                                                  : tab - pos);
            const Transform *transform
                    = index < m_transforms.size() ? m_transforms[index].get() : nullptr;
            if (!transform) {
                out.append(field);
            } else {
                masked.clear();
                bool notNull;
                if (copytext::isNull(field)) {
                    notNull = transform->applyNull(masked);
                } else if (field.find('\\') == std::string_view::npos) {
                    notNull = transform->apply(field, masked);
                } else {
                    copytext::unescape(field, plain);
                    notNull = transform->apply(plain, masked);
                }
                if (notNull)
                    copytext::escape(masked, out);
                else
                    out.append("\\N");
            }
            if (tab == std::string_view::npos)
                break;
            out += '\t';
            pos = tab + 1;
        }
        row.swap(out);
    }

    [[nodiscard]] std::vector<std::string> maskedColumns() const override { return m_masked; }

private:
    std::vector<std::shared_ptr<const Transform>> m_transforms;
    std::vector<std::string> m_masked;
};

class MaskPlanImpl final : public MaskPlan
{
public:
    std::shared_ptr<const TableMasker> forTable(const std::string &schema, const std::string &table,
                                                const std::vector<std::string> &columns) const override
    {
        std::vector<std::shared_ptr<const Transform>> transforms;
        std::vector<std::string> masked;
        bool any = false;
        for (const auto &column : columns) {
            std::shared_ptr<const Transform> t = lookup(schema, table, column);
            if (t) {
                any = true;
                masked.push_back(column);
            }
            transforms.push_back(std::move(t));
        }
        if (!any)
            return nullptr;
        return std::make_shared<TableMaskerImpl>(std::move(transforms), std::move(masked));
    }

    const std::vector<UnclassifiedColumn> &unclassified() const override { return m_unclassified; }
    std::string rulesHash() const override { return m_rulesHash; }

    std::shared_ptr<const Transform> lookup(const std::string &schema, const std::string &table,
                                            const std::string &column) const
    {
        // Partitions (and partitions of partitions) use their root's rules.
        QualifiedName name{schema, table};
        for (int depth = 0; depth < 32; ++depth) {
            if (const auto it = m_rules.find({name.schema, name.name, column}); it != m_rules.end())
                return it->second.transform;
            if (m_known.contains({name.schema, name.name, column}))
                break;
            const auto parent = m_partitionParent.find(name);
            if (parent == m_partitionParent.end())
                break;
            name = parent->second;
        }
        if (m_known.contains({name.schema, name.name, column})) {
            if (m_keep.contains({name.schema, name.name, column}))
                return nullptr;
            return m_policy == config::UnclassifiedPolicy::Keep ? nullptr : m_null;
        }
        // A column the plan has never seen (the schema changed since it was built): never
        // copy it in the clear unless the config says unclassified data may be kept.
        return m_policy == config::UnclassifiedPolicy::Keep ? nullptr : m_null;
    }

    std::map<ColumnName, ResolvedRule> m_rules;
    std::set<ColumnName> m_known; ///< every column of the source
    std::set<ColumnName> m_keep;
    std::map<QualifiedName, QualifiedName> m_partitionParent;
    config::UnclassifiedPolicy m_policy = config::UnclassifiedPolicy::Fail;
    std::shared_ptr<const Transform> m_null;
    std::vector<UnclassifiedColumn> m_unclassified;
    std::string m_rulesHash;
};

} // namespace

Result<std::unique_ptr<MaskPlan>> buildMaskPlan(const config::MaskingConfig &masking,
                                                const drift::SchemaCatalog &source,
                                                std::string salt)
{
    if (salt.empty())
        return fail(ErrorCode::Refused, "the masking salt is empty or missing", "masking");
    const HmacKey key(salt);
    salt.assign(salt.size(), '\0'); // do not keep the salt around longer than needed

    auto plan = std::make_unique<MaskPlanImpl>();
    plan->m_policy = masking.unclassified;
    auto null = makeTransform("null", {}, false, key);
    if (!null)
        return std::unexpected(null.error());
    plan->m_null = *null;

    std::map<ColumnName, std::string> types;
    for (const auto &table : source.tables) {
        if (table.partitionOf)
            plan->m_partitionParent.emplace(table.name, *table.partitionOf);
        for (const auto &column : table.columns) {
            ColumnName k{table.name.schema, table.name.name, column.name};
            plan->m_known.insert(k);
            types.emplace(k, column.type);
        }
    }

    // Own rules and what foreign keys inherit: the resolution resolveCoverage shows too.
    const RuleResolution resolution = resolveRules(masking, source);
    if (!resolution.problems.empty())
        return fail(ErrorCode::Config, resolution.problems.front().message,
                    resolution.problems.front().location);
    std::map<const config::MaskRule *, std::shared_ptr<const Transform>> transforms;
    for (const auto &rule : masking.rules) {
        auto transform = makeTransform(rule.transform, rule.params, rule.unique, key);
        if (!transform)
            return fail(ErrorCode::Config,
                        "masking rule " + rule.column + ": " + transform.error().message,
                        locationOf(rule));
        transforms.emplace(&rule, *transform);
    }
    for (const auto &[column, effective] : resolution.rules)
        plan->m_rules.emplace(column, ResolvedRule{effective.rule, transforms.at(effective.rule),
                                                   effective.inheritedFrom()});

    for (const auto &entry : masking.keep) {
        if (const auto k = splitColumn(entry))
            plan->m_keep.insert(*k);
    }

    for (const auto &column : plan->m_known) {
        if (plan->m_rules.contains(column) || plan->m_keep.contains(column))
            continue;
        plan->m_unclassified.push_back(
                {column.schema, column.table, column.column, types[column]});
    }

    // rulesHash: the effective rules (own and inherited), the keep list, the policy and the
    // salt's fingerprint, one canonical line each.
    std::string canonical = "envsync mask rules v1\n";
    for (const auto &[column, resolved] : plan->m_rules)
        canonical += column.display() + '\x1f' + canonicalRule(*resolved.rule) + '\x1f'
                + resolved.inheritedFrom + '\n';
    for (const auto &column : plan->m_keep)
        canonical += "keep\x1f" + column.display() + '\n';
    canonical += "unclassified\x1f" + std::string(policyName(masking.unclassified)) + '\n';
    canonical += "salt\x1f" + key.fingerprint() + '\n';
    plan->m_rulesHash = sha256Hex(canonical);
    return std::unique_ptr<MaskPlan>(std::move(plan));
}

Result<std::string> resolveSalt(const config::SaltSource &source)
{
    switch (source.kind) {
    case config::SaltSource::Kind::None:
        return fail(ErrorCode::Refused,
                    "no masking salt configured (masking.salt: { env: VARIABLE })", "masking");
    case config::SaltSource::Kind::Keychain:
        return fail(ErrorCode::Refused,
                    "the masking salt is in the keychain entry \"" + source.name
                            + "\", which only the desktop application can read",
                    "masking");
    case config::SaltSource::Kind::Environment: {
        const QByteArray value = qgetenv(source.name.c_str());
        if (value.isEmpty())
            return fail(ErrorCode::Refused,
                        "environment variable " + source.name
                                + " (the masking salt) is not set or empty",
                        "masking");
        return value.toStdString();
    }
    }
    return fail(ErrorCode::Internal, "unknown salt source", "masking");
}

} // namespace envsync::masking
