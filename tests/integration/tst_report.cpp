// envsyncctl report on the shared demo estate: every format carries the same facts, bad inputs
// are reported in the report itself.
#include "testsupport.h"

#include "core/config/configloader.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <fstream>

using envsync::test::CliRun;
using envsync::test::runCli;

namespace {

/// The facts every format must agree on.
struct RegionFacts
{
    QString name;
    QString status;
    QString age;
};

/// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.
std::vector<QStringList> parseCsv(const QString &text)
{
    std::vector<QStringList> records;
    QStringList record;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            record << field;
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
            record << field;
            field.clear();
            records.push_back(record);
            record.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !record.isEmpty())
        records.push_back(record << field);
    return records;
}

/// The text content of a well-formed XHTML document; sets `error` when it is not well-formed.
QString xhtmlText(const QByteArray &html, QString &error)
{
    QXmlStreamReader reader(html);
    QString text;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isCharacters())
            text += reader.text() + u' ';
    }
    if (reader.hasError())
        error = reader.errorString() + u" at line " + QString::number(reader.lineNumber());
    return text;
}

QJsonObject regionNamed(const QJsonArray &regions, const QString &name)
{
    for (const auto &value : regions) {
        if (value[QStringLiteral("name")].toString() == name)
            return value.toObject();
    }
    return {};
}

QString readText(const QString &path)
{
    return QString::fromStdString(envsync::test::readFile(path.toStdString()));
}

/// A copy of the demo config whose region `region` points at a port nobody listens on.
QString configWithDeadRegion(const QTemporaryDir &dir, const std::string &region)
{
    const std::string demoPath = envsync::test::demoConfigPath();
    auto config = envsync::config::loadConfigFile(demoPath);
    if (!config)
        qFatal("demo config does not load");
    std::string text = envsync::test::readFile(demoPath);
    const std::string oldDsn = config->findRegion(region)->dsn;
    text.replace(text.find(oldDsn), oldDsn.size(), "host=127.0.0.1 port=1 dbname=shop");
    const QString path = dir.filePath(QStringLiteral("envsync.yaml"));
    std::ofstream(path.toStdString()) << text;
    return path;
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    /// One "now" for every run, so ages are the same in every format.
    const QString m_now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);

    CliRun report(const QString &config, const QString &format, const QString &output,
                  const QStringList &extra = {})
    {
        return runCli(QStringList{QStringLiteral("report"), QStringLiteral("-c"), config,
                                  QStringLiteral("--format"), format, QStringLiteral("-o"), output,
                                  QStringLiteral("--now"), m_now}
                      + extra);
    }

    QString demoConfig() const { return QString::fromStdString(envsync::test::demoConfigPath()); }

    /// The JSON report of the demo (the reference facts for the other formats).
    QJsonObject demoJson()
    {
        const QString path = m_dir.filePath(QStringLiteral("report.json"));
        const CliRun run = report(demoConfig(), QStringLiteral("json"), path);
        const QJsonObject root = QJsonDocument::fromJson(readText(path).toUtf8()).object();
        const bool attention = root[QStringLiteral("needs_attention")].toBool();
        if (run.exitCode != (attention ? 1 : 0))
            qWarning("exit %d, needs_attention %d: %s", run.exitCode, attention,
                     qPrintable(run.err));
        return root;
    }

    std::vector<RegionFacts> demoFacts()
    {
        std::vector<RegionFacts> facts;
        for (const auto &value : demoJson()[QStringLiteral("regions")].toArray()) {
            facts.push_back({value[QStringLiteral("name")].toString(),
                             value[QStringLiteral("status")].toString(),
                             value[QStringLiteral("age")].toString()});
        }
        return facts;
    }

private slots:
    /// --now keeps its clock: a full ISO time is not read as the start of its day (ages and
    /// freshness were a day's fraction off, depending on the time of day the test ran).
    void nowKeepsItsTimeOfDay()
    {
        const QString path = m_dir.filePath(QStringLiteral("report-now.json"));
        (void)report(demoConfig(), QStringLiteral("json"), path,
                     {QStringLiteral("--now"), QStringLiteral("2026-12-03T14:40:05Z")});
        const QJsonObject root = QJsonDocument::fromJson(readText(path).toUtf8()).object();
        QCOMPARE(root[QStringLiteral("generated_at")].toString(),
                 QStringLiteral("2026-12-03T14:40:05Z"));
    }

    void jsonHasVersionRegionsAndDemoHistory()
    {
        const QJsonObject root = demoJson();
        QCOMPARE(root[QStringLiteral("version")].toInt(), 1);
        const QJsonArray regions = root[QStringLiteral("regions")].toArray();
        QCOMPARE(regions.size(), 3);
        // The demo history: eu fresh, us due, apac overdue with one failed attempt.
        QCOMPARE(regionNamed(regions, QStringLiteral("eu"))[QStringLiteral("status")].toString(),
                 QStringLiteral("ok"));
        QCOMPARE(regionNamed(regions, QStringLiteral("us"))[QStringLiteral("status")].toString(),
                 QStringLiteral("due"));
        const QJsonObject apac = regionNamed(regions, QStringLiteral("apac"));
        QCOMPARE(apac[QStringLiteral("status")].toString(), QStringLiteral("overdue"));
        QCOMPARE(apac[QStringLiteral("failures_in_period")].toInt(), 1);
        QCOMPARE(apac[QStringLiteral("last_refresh")][QStringLiteral("result")].toString(),
                 QStringLiteral("failed"));
        QCOMPARE(apac[QStringLiteral("snapshot")].toString(), QStringLiteral("demo_seed"));
        QVERIFY(root[QStringLiteral("needs_attention")].toBool());
        int refreshes = 0;
        for (const auto &region : regions) {
            refreshes += region[QStringLiteral("refreshes_in_period")].toInt();
            QVERIFY(region[QStringLiteral("drift")].isObject());
            QVERIFY(region[QStringLiteral("next_window")].isObject());
            QVERIFY(region[QStringLiteral("age_seconds")].toDouble() > 0);
        }
        QCOMPARE(root[QStringLiteral("summary")][QStringLiteral("refreshes")].toInt(), refreshes);
        QVERIFY(refreshes >= 6);
        QVERIFY(root[QStringLiteral("summary")][QStringLiteral("environments_alive")].isDouble());
    }

    void csvParsesBackOneRowPerRegion()
    {
        const auto facts = demoFacts();
        const QString path = m_dir.filePath(QStringLiteral("report.csv"));
        const CliRun run = report(demoConfig(), QStringLiteral("csv"), path);
        QCOMPARE(run.exitCode, 1); // apac is overdue
        const auto records = parseCsv(readText(path));
        QCOMPARE(records.size(), facts.size() + 1);
        const QStringList header = records.front();
        const qsizetype name = header.indexOf(u"region"), status = header.indexOf(u"status"),
                        age = header.indexOf(u"age");
        QVERIFY(name >= 0 && status >= 0 && age >= 0);
        for (std::size_t i = 0; i < facts.size(); ++i) {
            const QStringList &row = records[i + 1];
            QCOMPARE(row.size(), header.size());
            QCOMPARE(row[name], facts[i].name);
            QCOMPARE(row[status], facts[i].status);
            QCOMPARE(row[age], facts[i].age);
        }
    }

    void htmlIsSelfContainedXhtmlWithTheFacts()
    {
        const auto facts = demoFacts();
        const QString path = m_dir.filePath(QStringLiteral("report.html"));
        QCOMPARE(report(demoConfig(), QStringLiteral("html"), path).exitCode, 1);
        const QString html = readText(path);
        QVERIFY(!html.contains(u"http://") && !html.contains(u"https://"));
        QVERIFY(html.contains(u"<svg"));
        QString error;
        const QString text = xhtmlText(html.toUtf8(), error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const RegionFacts &region : facts) {
            const QString row = region.name + u' ' + region.status + u' ' + region.age;
            QVERIFY2(text.contains(row), qPrintable(row));
        }
    }

    void pdfTextHasEveryRegionAgeAndStatus()
    {
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        const auto facts = demoFacts();
        const QString path = m_dir.filePath(QStringLiteral("report.pdf"));
        const CliRun run = report(demoConfig(), QStringLiteral("pdf"), path);
        QVERIFY2(run.exitCode == 1, qPrintable(run.err));
        QProcess process;
        process.start(pdftotext, {QStringLiteral("-layout"), path, QStringLiteral("-")});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        const QString text = QString::fromUtf8(process.readAllStandardOutput()).simplified();
        QVERIFY(text.contains(u"EnvSync freshness report"));
        for (const RegionFacts &region : facts) {
            const QString row = region.name + u' ' + region.status + u' ' + region.age;
            QVERIFY2(text.contains(row), qPrintable(row + u" not in: " + text));
        }
    }

    void unreachableRegionIsReportedAndOthersStillRender()
    {
        QTemporaryDir dir;
        const QString config = configWithDeadRegion(dir, "us");
        const QString path = dir.filePath(QStringLiteral("report.json"));
        const CliRun run = report(config, QStringLiteral("json"), path);
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains(u"region us"));
        const QJsonArray regions = QJsonDocument::fromJson(readText(path).toUtf8())
                                           .object()[QStringLiteral("regions")]
                                           .toArray();
        const QJsonObject us = regionNamed(regions, QStringLiteral("us"));
        QCOMPARE(us[QStringLiteral("status")].toString(), QStringLiteral("unreachable"));
        QVERIFY(!us[QStringLiteral("error")].toString().isEmpty());
        QCOMPARE(regionNamed(regions, QStringLiteral("eu"))[QStringLiteral("status")].toString(),
                 QStringLiteral("ok"));

        // libpq's message quotes the address: the CSV field must round-trip with its quotes.
        const QString csv = dir.filePath(QStringLiteral("report.csv"));
        QCOMPARE(report(config, QStringLiteral("csv"), csv).exitCode, 1);
        const auto records = parseCsv(readText(csv));
        QCOMPARE(records.size(), std::size_t{4});
        const QStringList header = records.front();
        const QStringList usRow = records[2];
        QCOMPARE(usRow.size(), header.size());
        QCOMPARE(usRow[header.indexOf(u"status")], QStringLiteral("unreachable"));
        QVERIFY2(usRow[header.indexOf(u"notes")].startsWith(u"unreachable: region us: connect:"),
                 qPrintable(usRow.join(u'|')));
        QVERIFY(usRow[header.indexOf(u"notes")].contains(u"\"127.0.0.1\""));

        const QString html = dir.filePath(QStringLiteral("report.html"));
        QCOMPARE(report(config, QStringLiteral("html"), html).exitCode, 1);
        QString error;
        QVERIFY(xhtmlText(readText(html).toUtf8(), error).contains(u"us unreachable"));
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void emptyPeriodSaysNoRefreshes()
    {
        const QString path = m_dir.filePath(QStringLiteral("empty.csv"));
        const CliRun run = report(demoConfig(), QStringLiteral("csv"), path,
                                  {QStringLiteral("--from"), QStringLiteral("2020-01-01"),
                                   QStringLiteral("--to"), QStringLiteral("2020-01-31")});
        QVERIFY2(run.exitCode == 0 || run.exitCode == 1, qPrintable(run.err));
        const auto records = parseCsv(readText(path));
        QCOMPARE(records.size(), std::size_t{4});
        const QStringList header = records.front();
        for (std::size_t i = 1; i < records.size(); ++i) {
            QCOMPARE(records[i][header.indexOf(u"refreshes_in_period")], QStringLiteral("0"));
            QVERIFY(records[i][header.indexOf(u"notes")].contains(u"no refreshes in the period"));
        }
    }

    void badFormatAndPdfWithoutOutputAreUsageErrors()
    {
        QCOMPARE(runCli({QStringLiteral("report"), QStringLiteral("-c"), demoConfig(),
                         QStringLiteral("--format"), QStringLiteral("xls")})
                         .exitCode,
                 2);
        QCOMPARE(runCli({QStringLiteral("report"), QStringLiteral("-c"), demoConfig(),
                         QStringLiteral("--format"), QStringLiteral("pdf")})
                         .exitCode,
                 2);
    }

    void writesIntoDevicesAndPipesInPlace()
    {
        // `-o /dev/null` as root once replaced the device with a regular file (a temporary file
        // renamed over it). A private device node with the same numbers shows the same thing
        // without risking the real one.
        const QString device = m_dir.filePath(QStringLiteral("null"));
        if (::mknod(device.toLocal8Bit().constData(), S_IFCHR | 0666, makedev(1, 3)) != 0)
            QSKIP("mknod needs root (CAP_MKNOD)");
        for (const char *format : {"csv", "pdf"}) {
            const CliRun run = report(demoConfig(), QString::fromLatin1(format), device);
            QVERIFY2(run.exitCode == 0 || run.exitCode == 1, qPrintable(run.err));
            struct stat info
            {
            };
            QVERIFY(::lstat(device.toLocal8Bit().constData(), &info) == 0);
            QVERIFY2(S_ISCHR(info.st_mode), format);
        }
        // `-o -` is stdout, for every format.
        const CliRun pdf = report(demoConfig(), QStringLiteral("pdf"), QStringLiteral("-"));
        QVERIFY2(pdf.exitCode == 0 || pdf.exitCode == 1, qPrintable(pdf.err));
        QVERIFY(pdf.out.startsWith("%PDF-"));
        QVERIFY(!QFileInfo::exists(QStringLiteral("-")));
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
