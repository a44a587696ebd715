#include "core/masking/maskpreview.h"

#include "core/db/cancelguard.h"
#include "core/db/connection.h"
#include "core/db/sqlquote.h"
#include "core/masking/maskplan.h"
#include "core/masking/piidetector.h"
#include "core/masking/transform.h"

#include <pqxx/pqxx>

#include <map>
#include <memory>
#include <set>

namespace envsync::masking {

namespace {

/// Sampled text values of every column of one table, by column name (NULLs left out).
using TableSample = std::map<std::string, std::vector<std::string>>;

TableSample sampleTable(pqxx::transaction_base &tx, const std::string &schema,
                        const std::string &table, const std::vector<std::string> &columns,
                        int rows)
{
    TableSample sample;
    if (columns.empty() || rows <= 0)
        return sample;
    std::string select;
    for (const auto &column : columns)
        select += (select.empty() ? "" : ", ") + db::quoteIdentifier(column) + "::text";
    const pqxx::result result = tx.exec_params(
            "SELECT " + select + " FROM " + db::qualifiedName(schema, table) + " LIMIT $1", rows);
    for (const auto &row : result) {
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const auto field = row[static_cast<int>(i)];
            if (!field.is_null())
                sample[columns[i]].push_back(field.as<std::string>());
        }
    }
    return sample;
}

/// Why a column without a transform shows no values.
std::string noteWithoutTransform(const ColumnCoverage &column, config::UnclassifiedPolicy policy)
{
    if (column.kind == CoverageKind::Keep)
        return "kept as is (masking.keep): values not shown";
    switch (policy) {
    case config::UnclassifiedPolicy::Fail: return "UNCLASSIFIED: snapshots are refused";
    case config::UnclassifiedPolicy::Null: return "UNCLASSIFIED: copied as NULL";
    case config::UnclassifiedPolicy::Keep: return "UNCLASSIFIED: copied unmasked (not shown)";
    }
    return "UNCLASSIFIED";
}

/// Masks up to `count` distinct sampled values; the sample itself is dropped afterwards.
void maskSample(ColumnPreview &preview, const std::vector<std::string> &values, int count,
                const HmacKey &key)
{
    const ColumnCoverage &column = preview.coverage;
    auto transform = makeTransform(column.transform, column.params, column.unique, key);
    if (!transform) {
        preview.note = "invalid rule: " + transform.error().message;
        return;
    }
    std::set<std::string> seen;
    for (const auto &value : values) {
        if (static_cast<int>(preview.masked.size()) >= count)
            break;
        if (!seen.insert(value).second)
            continue;
        std::string out;
        if ((*transform)->apply(value, out))
            preview.masked.emplace_back(std::move(out));
        else
            preview.masked.emplace_back(std::nullopt);
    }
    if (preview.masked.empty())
        preview.note = "no non-NULL values sampled";
}

void fillPreview(ColumnPreview &preview, const std::vector<std::string> &values,
                 const config::MaskingConfig &masking, const HmacKey *key,
                 const std::string &saltProblem, int count)
{
    const ColumnCoverage &column = preview.coverage;
    if (auto detected = classifyColumn(column.column, column.type, values)) {
        preview.detected = detected->transform;
        preview.confidence = detected->confidence;
        preview.reason = detected->reason;
    }
    if (column.generated) {
        preview.note = "generated column: recomputed from the masked columns";
        return;
    }
    if (column.kind == CoverageKind::Keep || column.kind == CoverageKind::Unclassified) {
        preview.note = noteWithoutTransform(column, masking.unclassified);
        return;
    }
    if (!key) {
        preview.note = "no preview: " + saltProblem;
        return;
    }
    maskSample(preview, values, count, *key);
}

} // namespace

Result<MaskPreview> previewMasking(pqxx::connection &connection,
                                   const config::MaskingConfig &masking,
                                   const drift::SchemaCatalog &source,
                                   const PreviewOptions &options,
                                   const std::shared_ptr<job::CancelToken> &cancel)
{
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "masking preview");
    const CoverageReport coverage = resolveCoverage(masking, source);
    MaskPreview preview;
    preview.problems = coverage.problems;
    preview.classified = coverage.classified();
    preview.total = coverage.total();

    std::unique_ptr<HmacKey> key;
    if (auto salt = resolveSalt(masking.salt); salt && !salt->empty()) {
        key = std::make_unique<HmacKey>(*salt);
        salt->assign(salt->size(), '\0'); // do not keep the salt around longer than needed
        preview.saltAvailable = true;
    } else {
        preview.saltProblem = salt ? std::string("the masking salt is empty")
                                   : salt.error().message;
    }

    const db::CancelGuard cancelGuard(connection, cancel);
    auto sampled = db::guarded("source", "sample values for the masking preview", [&] {
        pqxx::read_transaction tx(connection);
        std::map<std::string, TableSample> samples; // "schema.table" → sample
        for (const auto &table : source.tables) {
            if (job::cancelled(cancel))
                break;
            std::vector<std::string> columns;
            for (const auto &column : table.columns)
                columns.push_back(column.name);
            samples.emplace(table.name.display(),
                            sampleTable(tx, table.name.schema, table.name.name, columns,
                                        options.sampleRows));
        }
        return samples;
    });
    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", "masking preview");
    if (!sampled)
        return std::unexpected(sampled.error());

    static const std::vector<std::string> none;
    for (const auto &column : coverage.columns) {
        ColumnPreview entry;
        entry.coverage = column;
        const auto &table = (*sampled)[column.schema + '.' + column.table];
        const auto values = table.find(column.column);
        fillPreview(entry, values == table.end() ? none : values->second, masking, key.get(),
                    preview.saltProblem, options.previewValues);
        preview.columns.push_back(std::move(entry));
    }
    return preview;
}

} // namespace envsync::masking
