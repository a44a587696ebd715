// The drift heatmap without a database: the pure mapping (tree, cells, colours, texts), the
// model and its filter proxy under QAbstractItemModelTester, and the delegate's painting.

#include "ui/drift/driftfilterproxymodel.h"
#include "ui/drift/driftheatmapmodel.h"
#include "ui/drift/heatmapdelegate.h"
#include "ui/drift/heatmapmapping.h"

#include "heatmaprows.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QStyleOptionViewItem>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace envsync;
using namespace envsync::ui;
using drift::Change;
using drift::Difference;
using drift::ObjectKind;
using drift::Severity;
using Level = HeatmapNode::Level;

Q_DECLARE_METATYPE(std::optional<envsync::drift::Severity>)

using envsync::uitest::findRow;

namespace {

Difference diff(ObjectKind kind, std::string name, std::string table, Change change,
                Severity severity, std::string schema = "public")
{
    Difference d;
    d.kind = kind;
    d.schema = std::move(schema);
    d.name = std::move(name);
    d.table = std::move(table);
    d.change = change;
    d.severity = severity;
    d.details = {"detail of " + d.name};
    return d;
}

/// The demo's drift against the source, plus an unreadable region "latam" and a few kinds the
/// demo lacks (a function, a view, a comment, RLS, a schema).
std::shared_ptr<const drift::DriftReport> demoReport()
{
    auto report = std::make_shared<drift::DriftReport>();
    report->referenceName = "source prod";
    report->fellBackToSource = true;
    report->drifts = {
            {"eu",
             {diff(ObjectKind::Column, "customers.country", "customers", Change::Changed,
                   Severity::Warning),
              diff(ObjectKind::Index, "orders.orders_status_idx", "orders", Change::Removed,
                   Severity::Warning),
              diff(ObjectKind::Function, "touch(integer)", "", Change::Changed, Severity::Info,
                   "billing")}},
            {"us",
             {diff(ObjectKind::Column, "customers.birth_date", "customers", Change::Added,
                   Severity::Breaking),
              diff(ObjectKind::Column, "products.price", "products", Change::Changed,
                   Severity::Warning),
              diff(ObjectKind::Comment, "customers", "customers", Change::Changed, Severity::Info),
              diff(ObjectKind::Rls, "customers", "customers", Change::Changed, Severity::Warning)}},
            {"apac",
             {diff(ObjectKind::Table, "support_tickets", "", Change::Added, Severity::Breaking),
              diff(ObjectKind::Trigger, "orders.orders_audit", "orders", Change::Removed,
                   Severity::Warning),
              diff(ObjectKind::View, "open_orders", "", Change::Changed, Severity::Warning),
              diff(ObjectKind::Schema, "billing", "", Change::Removed, Severity::Warning,
                   "billing")}},
    };
    report->errors = {{ErrorCode::Unreachable, "connect: timeout expired", "region latam"}};
    report->errorRegions = {"latam"};
    return report;
}

const std::vector<std::string> regions{"eu", "us", "apac", "latam"};

QStringList labels(const HeatmapGrid &grid, const std::vector<int> &nodes)
{
    QStringList out;
    for (int node : nodes)
        out << grid.node(node).label;
    return out;
}

/// Region cells that carry differences of their own row's object.
QStringList ownCells(const QAbstractItemModel *model, const QModelIndex &parent = {})
{
    QStringList out;
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex index = model->index(row, 0, parent);
        for (int column = DriftHeatmapModel::FirstRegionColumn; column < model->columnCount(parent);
             ++column) {
            const QModelIndex cell = model->index(row, column, parent);
            if (cell.data(DriftHeatmapModel::OwnCountRole).toInt() > 0)
                out << cell.data(DriftHeatmapModel::RegionRole).toString() + QLatin1Char(':')
                                + index.data(DriftHeatmapModel::QualifiedNameRole).toString();
        }
        out << ownCells(model, index);
    }
    return out;
}

} // namespace

class TestDriftHeatmap : public QObject
{
    Q_OBJECT

private slots:
    // --- HeatmapMapping ---------------------------------------------------------------------

    void severityColours()
    {
        const QColor breaking = HeatmapMapping::severityColor(Severity::Breaking);
        const QColor warning = HeatmapMapping::severityColor(Severity::Warning);
        const QColor info = HeatmapMapping::severityColor(Severity::Info);
        const QColor none = HeatmapMapping::severityColor(std::nullopt);
        QCOMPARE(breaking, QColor(0xd3, 0x2f, 0x2f));
        QCOMPARE(warning, QColor(0xf0, 0xa2, 0x02));
        QCOMPARE(info, QColor(0x78, 0x90, 0x9c));
        // Red, amber, blue-grey, and a light empty cell.
        QVERIFY(breaking.red() > 2 * breaking.green());
        QVERIFY(warning.red() > warning.blue() && warning.green() > warning.blue());
        QVERIFY(info.blue() > info.red());
        QVERIFY(none.lightness() > 230);
        // Group rows: same hue, lighter.
        for (const Severity s : {Severity::Breaking, Severity::Warning, Severity::Info}) {
            const QColor full = HeatmapMapping::severityColor(s);
            const QColor group = HeatmapMapping::severityColor(s, true);
            QVERIFY(group.lightness() > full.lightness());
            QVERIFY(qAbs(group.hslHue() - full.hslHue()) <= 3);
        }
        QCOMPARE(HeatmapMapping::severityColor(std::nullopt, true), none);
    }

    void textIsReadable_data()
    {
        QTest::addColumn<std::optional<Severity>>("severity");
        QTest::addColumn<bool>("aggregate");
        for (const bool aggregate : {false, true}) {
            const char *suffix = aggregate ? " (group)" : "";
            QTest::addRow("breaking%s", suffix) << std::optional(Severity::Breaking) << aggregate;
            QTest::addRow("warning%s", suffix) << std::optional(Severity::Warning) << aggregate;
            QTest::addRow("info%s", suffix) << std::optional(Severity::Info) << aggregate;
        }
    }

    void textIsReadable()
    {
        QFETCH(std::optional<Severity>, severity);
        QFETCH(bool, aggregate);
        const QColor background = HeatmapMapping::severityColor(severity, aggregate);
        const QColor text = HeatmapMapping::textColor(severity, aggregate);
        // WCAG contrast ratio; 4.5 is the AA level for normal text.
        auto luminance = [](const QColor &c) {
            auto channel = [](double v) {
                return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
            };
            return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                   + 0.0722 * channel(c.blueF());
        };
        const double a = luminance(background);
        const double b = luminance(text);
        const double ratio = (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
        QVERIFY2(ratio >= 4.5, qPrintable(background.name() + QStringLiteral(" / ") + text.name()
                                          + QStringLiteral(": ") + QString::number(ratio)));
    }

    void countText_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none") << 0 << QString();
        QTest::newRow("negative") << -1 << QString();
        QTest::newRow("one") << 1 << QStringLiteral("1");
        QTest::newRow("many") << 42 << QStringLiteral("42");
        QTest::newRow("limit") << 999 << QStringLiteral("999");
        QTest::newRow("more") << 1000 << QStringLiteral("999+");
    }

    void countText()
    {
        QFETCH(int, count);
        QFETCH(QString, expected);
        QCOMPARE(HeatmapMapping::countText(count), expected);
    }

    void worstSeverity_data()
    {
        QTest::addColumn<QList<int>>("severities");
        QTest::addColumn<int>("expected"); // -1: none
        QTest::newRow("empty") << QList<int>{} << -1;
        QTest::newRow("info") << QList<int>{0} << 0;
        QTest::newRow("info+warning") << QList<int>{0, 1, 0} << 1;
        QTest::newRow("breaking first") << QList<int>{2, 1, 0} << 2;
        QTest::newRow("breaking last") << QList<int>{0, 1, 2} << 2;
    }

    void worstSeverity()
    {
        QFETCH(QList<int>, severities);
        QFETCH(int, expected);
        std::vector<Difference> storage;
        for (int s : severities)
            storage.push_back(diff(ObjectKind::Column, "t.c", "t", Change::Changed,
                                   static_cast<Severity>(s)));
        std::vector<const Difference *> pointers;
        for (const auto &d : storage)
            pointers.push_back(&d);
        const auto worst = HeatmapMapping::worst(pointers);
        QCOMPARE(worst ? static_cast<int>(*worst) : -1, expected);
        const CellSummary summary = HeatmapMapping::summarize(pointers);
        QCOMPARE(summary.count, static_cast<int>(severities.size()));
        QCOMPARE(summary.worst, worst);
    }

    void texts()
    {
        QCOMPARE(HeatmapMapping::severityText(Severity::Breaking), QStringLiteral("breaking"));
        QCOMPARE(HeatmapMapping::severityText(std::nullopt), QStringLiteral("none"));
        const Difference d = diff(ObjectKind::Column, "customers.birth_date", "customers",
                                  Change::Added, Severity::Breaking);
        QCOMPARE(HeatmapMapping::describe(d),
                 QStringLiteral("missing column public.customers.birth_date (breaking) — "
                                "detail of customers.birth_date"));
        drift::DriftReport report;
        report.referenceName = "golden_v3";
        QCOMPARE(HeatmapMapping::referenceText(report), QStringLiteral("Reference: golden_v3"));
        report.referenceName = "source prod";
        report.fellBackToSource = true;
        QCOMPARE(HeatmapMapping::referenceText(report),
                 QStringLiteral("Reference: source prod (no golden snapshot yet)"));
    }

    // --- HeatmapGrid ------------------------------------------------------------------------

    void gridTree()
    {
        const HeatmapGrid grid = HeatmapGrid::build(demoReport(), regions);
        QCOMPARE(grid.regions(), regions);
        QCOMPARE(labels(grid, grid.topLevel()), (QStringList{u"billing"_qs, u"public"_qs}));
        const int billing = grid.find(QStringLiteral("billing"), ObjectKind::Schema);
        QCOMPARE(labels(grid, grid.childrenOf(billing)), QStringList{u"touch(integer)"_qs});
        const int pub = grid.find(QStringLiteral("public"), ObjectKind::Schema);
        QCOMPARE(labels(grid, grid.childrenOf(pub)),
                 (QStringList{u"customers"_qs, u"open_orders"_qs, u"orders"_qs, u"products"_qs,
                              u"support_tickets"_qs}));
        const int customers = grid.find(QStringLiteral("public.customers"), ObjectKind::Table);
        QCOMPARE(grid.node(customers).level, Level::Table);
        QCOMPARE(labels(grid, grid.childrenOf(customers)),
                 (QStringList{u"birth_date"_qs, u"country"_qs, u"row level security"_qs,
                              u"table comment"_qs}));
        const int orders = grid.find(QStringLiteral("public.orders"), ObjectKind::Table);
        QCOMPARE(labels(grid, grid.childrenOf(orders)),
                 (QStringList{u"orders_audit"_qs, u"orders_status_idx"_qs}));
        // Table-level objects sit at the table level, with the kind of their difference.
        const int tickets = grid.find(QStringLiteral("public.support_tickets"), ObjectKind::Table);
        QCOMPARE(grid.node(tickets).level, Level::Table);
        QCOMPARE(grid.node(tickets).kind, ObjectKind::Table);
        QVERIFY(grid.node(tickets).children.empty());
        const int view = grid.find(QStringLiteral("public.open_orders"), ObjectKind::View);
        QCOMPARE(grid.node(view).level, Level::Table);
        QCOMPARE(grid.find(QStringLiteral("public.open_orders"), ObjectKind::Table), view);
        const int birth
                = grid.find(QStringLiteral("public.customers.birth_date"), ObjectKind::Column);
        QCOMPARE(grid.node(birth).level, Level::Object);
        QCOMPARE(grid.node(birth).parent, customers);
        QCOMPARE(grid.find(QStringLiteral("public.customers.nope"), ObjectKind::Column), -1);
        // The schema difference is the schema row's own.
        QCOMPARE(grid.ownDifferencesAt(billing, grid.columnOf("apac")).size(), 1u);
        QCOMPARE(grid.schemas(), (std::vector<std::string>{"billing", "public"}));
        QCOMPARE(grid.kinds(), (std::vector<ObjectKind>{
                                       ObjectKind::Schema, ObjectKind::Table, ObjectKind::Column,
                                       ObjectKind::Index, ObjectKind::View, ObjectKind::Function,
                                       ObjectKind::Trigger, ObjectKind::Rls, ObjectKind::Comment}));
    }

    void gridCells_data()
    {
        QTest::addColumn<QString>("object");
        QTest::addColumn<ObjectKind>("kind");
        QTest::addColumn<QString>("region");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("worst"); // -1: none
        auto row = [](const char *object, ObjectKind kind, const char *region, int count,
                      int worst) {
            QTest::addRow("%s @ %s", object, region) << QString::fromUtf8(object) << kind
                                                     << QString::fromUtf8(region) << count << worst;
        };
        const int w = static_cast<int>(Severity::Warning);
        const int b = static_cast<int>(Severity::Breaking);
        const int i = static_cast<int>(Severity::Info);
        row("public.customers.country", ObjectKind::Column, "eu", 1, w);
        row("public.orders.orders_status_idx", ObjectKind::Index, "eu", 1, w);
        row("public.customers.birth_date", ObjectKind::Column, "us", 1, b);
        row("public.products.price", ObjectKind::Column, "us", 1, w);
        row("public.support_tickets", ObjectKind::Table, "apac", 1, b);
        row("public.orders.orders_audit", ObjectKind::Trigger, "apac", 1, w);
        // Clean cells.
        row("public.customers.birth_date", ObjectKind::Column, "eu", 0, -1);
        row("public.support_tickets", ObjectKind::Table, "us", 0, -1);
        row("public.customers.country", ObjectKind::Column, "latam", 0, -1);
        // Aggregates: table and schema rows sum their children.
        row("public.customers", ObjectKind::Table, "us", 3, b);
        row("public.customers", ObjectKind::Table, "eu", 1, w);
        row("public.orders", ObjectKind::Table, "apac", 1, w);
        row("public", ObjectKind::Schema, "us", 4, b);
        row("public", ObjectKind::Schema, "eu", 2, w);
        row("public", ObjectKind::Schema, "apac", 3, b);
        row("billing", ObjectKind::Schema, "eu", 1, i);
        row("billing", ObjectKind::Schema, "apac", 1, w);
    }

    void gridCells()
    {
        QFETCH(QString, object);
        QFETCH(ObjectKind, kind);
        QFETCH(QString, region);
        QFETCH(int, count);
        QFETCH(int, worst);
        const HeatmapGrid grid = HeatmapGrid::build(demoReport(), regions);
        const int node = grid.find(object, kind);
        QVERIFY(node >= 0);
        const int column = grid.columnOf(region.toStdString());
        QVERIFY(column >= 0);
        const CellSummary summary = grid.summaryAt(node, column);
        QCOMPARE(summary.count, count);
        QCOMPARE(summary.worst ? static_cast<int>(*summary.worst) : -1, worst);
        const auto differences = grid.differencesAt(node, column);
        QCOMPARE(static_cast<int>(differences.size()), count);
        for (const Difference *d : differences) {
            const QString name = QString::fromStdString(d->qualifiedName());
            QVERIFY2(name == object || name.startsWith(object + QLatin1Char('.')),
                     qPrintable(name));
        }
    }

    void gridFilter()
    {
        const HeatmapGrid grid = HeatmapGrid::build(demoReport(), regions);
        const int pub = grid.find(QStringLiteral("public"), ObjectKind::Schema);
        const int us = grid.columnOf("us");
        HeatmapFilter breaking;
        breaking.minimum = Severity::Breaking;
        QCOMPARE(grid.summaryAt(pub, us, breaking), (CellSummary{1, Severity::Breaking}));
        QCOMPARE(grid.summaryAt(pub, grid.columnOf("eu"), breaking), CellSummary{});
        HeatmapFilter columns;
        columns.kind = ObjectKind::Column;
        QCOMPARE(grid.summaryAt(pub, us, columns).count, 2);
        QVERIFY(!grid.hasDifferences(grid.find(QStringLiteral("public.orders"), ObjectKind::Table),
                                     columns));
        HeatmapFilter billingOnly;
        billingOnly.schema = "billing";
        QVERIFY(!grid.hasDifferences(pub, billingOnly));
        QVERIFY(grid.hasDifferences(grid.find(QStringLiteral("billing"), ObjectKind::Schema),
                                    billingOnly));
        QVERIFY(breaking.accepts(
                diff(ObjectKind::Table, "t", "", Change::Added, Severity::Breaking)));
        QVERIFY(!breaking.accepts(
                diff(ObjectKind::Table, "t", "", Change::Removed, Severity::Warning)));
        QVERIFY(HeatmapFilter{}.isEmpty());
        QVERIFY(!breaking.isEmpty());
    }

    void unreadableRegions()
    {
        const HeatmapGrid grid = HeatmapGrid::build(demoReport(), regions);
        QVERIFY(grid.regionError(grid.columnOf("eu")).isEmpty());
        QCOMPARE(grid.regionError(grid.columnOf("latam")),
                 QStringLiteral("region latam: connect: timeout expired"));
        // A region of the config the report knows nothing about.
        const HeatmapGrid more = HeatmapGrid::build(demoReport(), {"eu", "mars"});
        QCOMPARE(more.regions(), (std::vector<std::string>{"eu", "mars", "us", "apac"}));
        QVERIFY(more.regionError(1).contains(u"not compared"));
        // The error belongs to its region by the report's structure, whatever its text says.
        auto other = std::make_shared<drift::DriftReport>(*demoReport());
        other->errors = {{ErrorCode::Database, "permission denied", "shop@10.0.0.7:5432"}};
        const HeatmapGrid structured = HeatmapGrid::build(other, regions);
        QCOMPARE(structured.regionError(structured.columnOf("latam")),
                 QStringLiteral("shop@10.0.0.7:5432: permission denied"));
        // No report: columns, no rows.
        const HeatmapGrid empty = HeatmapGrid::build(nullptr, regions);
        QCOMPARE(empty.columnCount(), 4);
        QVERIFY(empty.nodes().empty());
    }

    void detailObjects()
    {
        const HeatmapGrid grid = HeatmapGrid::build(demoReport(), regions);
        const int us = grid.columnOf("us");
        // A table row with children compares the whole table.
        const int customers = grid.find(QStringLiteral("public.customers"), ObjectKind::Table);
        auto objects = HeatmapMapping::detailObjects(grid.node(customers),
                                                     grid.differencesAt(customers, us));
        QCOMPARE(objects.size(), 1u);
        QCOMPARE(objects[0].kind, ObjectKind::Table);
        QCOMPARE(objects[0].name, std::string("customers"));
        // An object row: its own object, even in a clean cell.
        const int birth
                = grid.find(QStringLiteral("public.customers.birth_date"), ObjectKind::Column);
        objects = HeatmapMapping::detailObjects(grid.node(birth),
                                                grid.differencesAt(birth, grid.columnOf("eu")));
        QCOMPARE(objects.size(), 1u);
        QCOMPARE(objects[0].kind, ObjectKind::Column);
        QCOMPARE(objects[0].table, std::string("customers"));
        QCOMPARE(objects[0].name, std::string("customers.birth_date"));
        // A schema row: every object of the cell.
        const int pub = grid.find(QStringLiteral("public"), ObjectKind::Schema);
        objects = HeatmapMapping::detailObjects(grid.node(pub), grid.differencesAt(pub, us));
        QCOMPARE(objects.size(), 4u);
    }

    // --- models -----------------------------------------------------------------------------

    void modelsUnderTester()
    {
        DriftHeatmapModel model;
        DriftFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester modelTester(
                &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
                &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), DriftHeatmapModel::FirstRegionColumn + 0);

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.resetData(demoReport(), regions);
        QCOMPARE(resets.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), DriftHeatmapModel::FirstRegionColumn + 4);
        QCOMPARE(model.headerData(DriftHeatmapModel::FirstRegionColumn + 1, Qt::Horizontal)
                         .toString(),
                 QStringLiteral("us"));
        QVERIFY(model.headerData(DriftHeatmapModel::FirstRegionColumn + 3, Qt::Horizontal)
                        .toString()
                        .startsWith(u"latam"));
        QCOMPARE(proxy.rowCount(), 2);

        // Every filter combination keeps both models consistent.
        for (const Severity minimum : {Severity::Breaking, Severity::Warning, Severity::Info}) {
            for (const QString &schema :
                 {QString(), QStringLiteral("public"), QStringLiteral("billing")}) {
                for (const std::optional<ObjectKind> kind :
                     {std::optional<ObjectKind>(), std::optional(ObjectKind::Column),
                      std::optional(ObjectKind::Schema)}) {
                    proxy.setMinimumSeverity(minimum);
                    proxy.setSchema(schema);
                    proxy.setKind(kind);
                }
            }
        }
        proxy.setFilter({});
        model.resetData(demoReport(), {"apac"});
        QCOMPARE(model.headerData(DriftHeatmapModel::FirstRegionColumn, Qt::Horizontal).toString(),
                 QStringLiteral("apac"));
        model.clear();
        QCOMPARE(proxy.rowCount(), 0);
        model.resetData(demoReport(), regions);
        QCOMPARE(proxy.rowCount(), 2);
    }

    void modelCells()
    {
        DriftHeatmapModel model;
        model.resetData(demoReport(), regions);
        const QModelIndex birth = findRow(&model, QStringLiteral("public.customers.birth_date"));
        QVERIFY(birth.isValid());
        QCOMPARE(birth.data().toString(), QStringLiteral("birth_date"));
        QCOMPARE(birth.siblingAtColumn(DriftHeatmapModel::KindColumn).data().toString(),
                 QStringLiteral("column"));
        const QModelIndex us = birth.siblingAtColumn(DriftHeatmapModel::FirstRegionColumn + 1);
        QCOMPARE(us.data(DriftHeatmapModel::RegionRole).toString(), QStringLiteral("us"));
        QCOMPARE(us.data().toString(), QStringLiteral("1"));
        QCOMPARE(us.data(DriftHeatmapModel::SeverityRole).toInt(),
                 static_cast<int>(Severity::Breaking));
        QCOMPARE(us.data(Qt::BackgroundRole).value<QColor>(),
                 HeatmapMapping::severityColor(Severity::Breaking));
        QVERIFY(us.data(Qt::ToolTipRole).toString().contains(u"missing column"));
        const QModelIndex eu = birth.siblingAtColumn(DriftHeatmapModel::FirstRegionColumn);
        QCOMPARE(eu.data().toString(), QString());
        QCOMPARE(eu.data(DriftHeatmapModel::SeverityRole).toInt(), -1);
        QCOMPARE(eu.data(Qt::BackgroundRole).value<QColor>(),
                 HeatmapMapping::severityColor(std::nullopt));
        const QModelIndex latam = birth.siblingAtColumn(DriftHeatmapModel::FirstRegionColumn + 3);
        QCOMPARE(latam.data(Qt::BackgroundRole).value<QColor>(), HeatmapMapping::errorColor());
        QVERIFY(!latam.data(DriftHeatmapModel::RegionErrorRole).toString().isEmpty());

        const QModelIndex customers = findRow(&model, QStringLiteral("public.customers"));
        const QModelIndex customersUs
                = customers.siblingAtColumn(DriftHeatmapModel::FirstRegionColumn + 1);
        QCOMPARE(customersUs.data(DriftHeatmapModel::CountRole).toInt(), 3);
        QCOMPARE(customersUs.data(DriftHeatmapModel::OwnCountRole).toInt(), 0);
        QVERIFY(customersUs.data(DriftHeatmapModel::AggregateRole).toBool());
        QCOMPARE(customersUs.data(Qt::BackgroundRole).value<QColor>(),
                 HeatmapMapping::severityColor(Severity::Breaking, true));
    }

    void proxyFilters()
    {
        DriftHeatmapModel model;
        DriftFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        model.resetData(demoReport(), regions);
        QCOMPARE(ownCells(&proxy).size(), 11);

        proxy.setMinimumSeverity(Severity::Breaking);
        QCOMPARE(ownCells(&proxy), (QStringList{u"us:public.customers.birth_date"_qs,
                                                u"apac:public.support_tickets"_qs}));
        QCOMPARE(proxy.rowCount(), 1); // billing has nothing breaking
        // Group rows count only what passes: customers × eu (a warning) is now empty.
        const QModelIndex customers = findRow(&proxy, QStringLiteral("public.customers"));
        QCOMPARE(customers.siblingAtColumn(DriftHeatmapModel::FirstRegionColumn).data().toString(),
                 QString());
        QCOMPARE(customers.siblingAtColumn(DriftHeatmapModel::FirstRegionColumn + 1)
                         .data(DriftHeatmapModel::CountRole)
                         .toInt(),
                 1);
        QCOMPARE(proxy.differencesAt(
                              customers.siblingAtColumn(DriftHeatmapModel::FirstRegionColumn + 1))
                         .size(),
                 1u);

        proxy.setMinimumSeverity(Severity::Info);
        proxy.setKind(ObjectKind::Column);
        QCOMPARE(ownCells(&proxy),
                 (QStringList{u"us:public.customers.birth_date"_qs,
                              u"eu:public.customers.country"_qs, u"us:public.products.price"_qs}));
        proxy.setKind(std::nullopt);
        proxy.setSchema(QStringLiteral("billing"));
        QCOMPARE(ownCells(&proxy),
                 (QStringList{u"apac:billing"_qs, u"eu:billing.touch(integer)"_qs}));
        proxy.setSchema({});
        QCOMPARE(ownCells(&proxy).size(), 11);
    }

    // --- delegate ---------------------------------------------------------------------------

    void delegatePaintsTheCellColour()
    {
        DriftHeatmapModel model;
        model.resetData(demoReport(), regions);
        const QModelIndex birth = findRow(&model, QStringLiteral("public.customers.birth_date"));
        HeatmapDelegate delegate(DriftHeatmapModel::FirstRegionColumn);
        QImage image(80, 24, QImage::Format_ARGB32);
        image.fill(Qt::white);
        for (int column : {0, 1}) {
            const QModelIndex cell
                    = birth.siblingAtColumn(DriftHeatmapModel::FirstRegionColumn + column);
            QStyleOptionViewItem option;
            option.rect = QRect(0, 0, 80, 24);
            QVERIFY(delegate.sizeHint(option, cell).width() > 20);
            {
                QPainter painter(&image);
                delegate.paint(&painter, option, cell);
            }
            // Sample inside the tile, away from the centred count.
            QCOMPARE(QColor(image.pixel(8, 12)), cell.data(Qt::BackgroundRole).value<QColor>());
        }
    }
};

QTEST_MAIN(TestDriftHeatmap)
#include "tst_driftheatmap.moc"
