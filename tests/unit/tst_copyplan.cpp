// The copy planner without a cluster: which tables are copied and how, how a big table is split
// into heap-block ranges, and the order the work is handed out.
#include "core/copy/copyplan.h"

#include <QtTest>

#include <algorithm>
#include <map>

using namespace envsync::copy;

namespace {

CatalogTable table(const std::string &schema, const std::string &name, std::int64_t rows,
                   std::int64_t blocks)
{
    CatalogTable t;
    t.schema = schema;
    t.name = name;
    t.estimatedRows = rows;
    t.blocks = blocks;
    t.columns = {{"id", true}, {"note", true}};
    return t;
}

const PlannedTable *find(const CopyPlan &plan, const std::string &name)
{
    const auto it = std::ranges::find(plan.tables, name, &PlannedTable::name);
    return it == plan.tables.end() ? nullptr : &*it;
}

/// Every block [0, blocks) in exactly one range of the table (the last one open-ended).
QString coverageProblem(const CopyPlan &plan, std::size_t tableIndex)
{
    const PlannedTable &t = plan.tables[tableIndex];
    std::vector<BlockRange> ranges;
    for (const auto &item : plan.items) {
        if (item.table == tableIndex && item.range)
            ranges.push_back(*item.range);
    }
    if (static_cast<int>(ranges.size()) != t.ranges)
        return QStringLiteral("%1 ranges, plan says %2").arg(ranges.size()).arg(t.ranges);
    std::ranges::sort(ranges, {}, &BlockRange::first);
    std::int64_t next = 0;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        if (ranges[i].first != next)
            return QStringLiteral("range %1 starts at %2, expected %3")
                    .arg(i)
                    .arg(ranges[i].first)
                    .arg(next);
        if (ranges[i].first >= t.blocks)
            return QStringLiteral("range %1 starts beyond relpages").arg(i);
        const bool last = i + 1 == ranges.size();
        if (last != !ranges[i].end.has_value())
            return QStringLiteral("only the last range is open-ended (range %1)").arg(i);
        if (!last) {
            if (*ranges[i].end <= ranges[i].first || *ranges[i].end > t.blocks)
                return QStringLiteral("range %1 ends at %2").arg(i).arg(*ranges[i].end);
            next = *ranges[i].end;
        }
    }
    return {};
}

} // namespace

class TestCopyPlan : public QObject
{
    Q_OBJECT
private slots:
    void bigTableRangesCoverEveryBlockOnce_data()
    {
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("blocks");
        QTest::addColumn<qint64>("rangeRows");
        QTest::addColumn<int>("jobs");
        QTest::addColumn<int>("expectedRanges");
        QTest::newRow("even") << qint64(1000000) << qint64(10000) << qint64(200000) << 4 << 5;
        QTest::newRow("uneven blocks")
                << qint64(1000000) << qint64(10007) << qint64(300000) << 2 << 4;
        QTest::newRow("more ranges than blocks")
                << qint64(50000000) << qint64(7) << qint64(1000) << 2 << 7;
        QTest::newRow("never analyzed") << qint64(0) << qint64(5000) << qint64(200000) << 2 << 3;
    }
    void bigTableRangesCoverEveryBlockOnce()
    {
        QFETCH(qint64, rows);
        QFETCH(qint64, blocks);
        QFETCH(qint64, rangeRows);
        QFETCH(int, jobs);
        QFETCH(int, expectedRanges);
        PlanOptions options;
        options.jobs = jobs;
        options.rangeRows = rangeRows;
        const CopyPlan plan = planCopy(
                {table("public", "big", rows, blocks), table("public", "small", 100, 1)}, options);
        const PlannedTable *big = find(plan, "big");
        QVERIFY(big);
        QCOMPARE(big->ranges, expectedRanges);
        const QString problem = coverageProblem(plan, 0);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        for (const auto &item : plan.items) {
            if (item.table == 0)
                QVERIFY(item.where().starts_with("ctid >= '("));
        }
    }

    void smallTablesAreCopiedWhole()
    {
        PlanOptions options;
        options.jobs = 4;
        options.rangeRows = 10;
        // 4 tables of equal size: none holds more than its share, so none is split even though
        // each has far more than rangeRows rows
        std::vector<CatalogTable> catalog;
        for (const char *name : {"a", "b", "c", "d"})
            catalog.push_back(table("public", name, 1000, 100));
        const CopyPlan plan = planCopy(catalog, options);
        QCOMPARE(plan.items.size(), std::size_t(4));
        for (const auto &item : plan.items) {
            QVERIFY(!item.range);
            QVERIFY(item.where().empty());
        }
        for (const auto &t : plan.tables)
            QCOMPARE(t.ranges, 1);
    }

    void oneWorkerNeverSplits()
    {
        PlanOptions options;
        options.jobs = 1;
        options.rangeRows = 10;
        const CopyPlan plan = planCopy({table("public", "big", 1000000, 10000)}, options);
        QCOMPARE(plan.items.size(), std::size_t(1));
        QVERIFY(!plan.items[0].range);
    }

    void excludedSchemasAreSkipped()
    {
        PlanOptions options;
        options.excludeSchemas = {"envsync", "_envsync"};
        const CopyPlan plan
                = planCopy({table("envsync", "snapshots", 10, 1), table("public", "orders", 10, 1),
                            table("_envsync", "x", 10, 1), table("envsync_data", "kept", 10, 1)},
                           options);
        QCOMPARE(plan.tables.size(), std::size_t(2));
        QCOMPARE(plan.tables[0].display(), std::string("public.orders"));
        QCOMPARE(plan.tables[0].catalogIndex, std::size_t(1));
        QCOMPARE(plan.tables[1].display(), std::string("envsync_data.kept"));
        QCOMPARE(plan.tables[1].catalogIndex, std::size_t(3));
        QCOMPARE(plan.items.size(), std::size_t(2));
    }

    void formatChoice_data()
    {
        QTest::addColumn<bool>("masked");
        QTest::addColumn<bool>("nullColumn");
        QTest::addColumn<bool>("unsafeType");
        QTest::addColumn<bool>("compatible");
        QTest::addColumn<bool>("binary");
        QTest::newRow("plain") << false << false << false << true << true;
        QTest::newRow("masked is text") << true << false << false << true << false;
        QTest::newRow("NULLed column is text") << false << true << false << true << false;
        QTest::newRow("user type is text") << false << false << true << true << false;
        QTest::newRow("other major version is text") << false << false << false << false << false;
    }
    void formatChoice()
    {
        QFETCH(bool, masked);
        QFETCH(bool, nullColumn);
        QFETCH(bool, unsafeType);
        QFETCH(bool, compatible);
        QFETCH(bool, binary);
        CatalogTable t = table("public", "customers", 10, 1);
        t.masked = masked;
        t.columns[1].binarySafe = !unsafeType;
        PlanOptions options;
        options.binaryCompatible = compatible;
        if (nullColumn)
            options.nullColumns = {"public.customers.note"};
        const CopyPlan plan = planCopy({t}, options);
        QCOMPARE(plan.tables[0].binary, binary);
        QCOMPARE(plan.tables[0].masked, masked);
        const std::vector<std::string> expected
                = {"\"id\"", nullColumn ? std::string("NULL") : std::string("\"note\"")};
        QCOMPARE(plan.tables[0].selectExpressions, expected);
    }

    void quotedColumnNames()
    {
        CatalogTable t = table("public", "odd", 1, 1);
        t.columns = {{"a\"b", true}};
        const CopyPlan plan = planCopy({t}, {});
        QCOMPARE(plan.tables[0].selectExpressions[0], std::string("\"a\"\"b\""));
    }

    void biggestWorkFirst()
    {
        PlanOptions options;
        options.jobs = 2;
        options.rangeRows = 100000;
        const CopyPlan plan
                = planCopy({table("public", "a", 10, 3), table("public", "b", 10, 50),
                            table("public", "huge", 1000000, 1000), table("public", "c", 10, 20)},
                           options);
        for (std::size_t i = 1; i < plan.items.size(); ++i)
            QVERIFY(plan.items[i - 1].weight >= plan.items[i].weight);
        // the split table's ranges come first, then b, c, a
        const auto huge = static_cast<std::size_t>(find(plan, "huge") - plan.tables.data());
        QCOMPARE(plan.tables[huge].ranges, 10);
        for (int i = 0; i < 10; ++i)
            QCOMPARE(plan.items[static_cast<std::size_t>(i)].table, huge);
        std::vector<std::string> rest;
        for (std::size_t i = 10; i < plan.items.size(); ++i)
            rest.push_back(plan.tables[plan.items[i].table].name);
        QCOMPARE(rest, (std::vector<std::string>{"b", "c", "a"}));
    }
};

QTEST_GUILESS_MAIN(TestCopyPlan)
#include "tst_copyplan.moc"
