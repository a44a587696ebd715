// CDC end to end on an estate of its own: `envsyncctl cdc` streams a random write workload on
// the source into eu, us and apac; afterwards every table of every region equals the next golden
// snapshot (the same masking, byte for byte), and no source value of a masked column reached a
// region. Also: a refresh in mid-stream, kill -9 at fault points and at random moments, a region
// outage with a source restart, a column without a masking rule (fail closed), a new table with
// a sequence, status, pause/resume and drop.

#include "core/cdc/lsn.h"
#include "core/cdc/spool.h"
#include "core/demo/demowriter.h"
#include "owndemoestate.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

#include <pqxx/pqxx>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace envsync;

namespace {

const std::vector<std::string> streamedRegions = {"eu", "us", "apac"};

std::vector<std::string> column(const std::string &dsn, const std::string &sql)
{
    pqxx::connection connection(dsn);
    pqxx::nontransaction tx(connection);
    std::vector<std::string> out;
    for (const auto &row : tx.exec(sql))
        out.push_back(row[0].is_null() ? std::string("<null>") : row[0].as<std::string>());
    return out;
}

/// Row count and an order-independent hash of every row's text, per table of schema public.
std::map<std::string, std::string> contentHashes(const std::string &dsn)
{
    std::map<std::string, std::string> out;
    pqxx::connection connection(dsn);
    pqxx::nontransaction tx(connection);
    for (const auto &table : tx.exec("SELECT quote_ident(tablename) FROM pg_tables"
                                     " WHERE schemaname = 'public' ORDER BY 1")) {
        const std::string name = table[0].as<std::string>();
        const auto row = tx.exec1("SELECT count(*)::text || ' ' || coalesce(md5(string_agg("
                                  "md5(t::text), '' ORDER BY md5(t::text))), '-') FROM public."
                                  + name + " t");
        out[name] = row[0].as<std::string>();
    }
    return out;
}

} // namespace

class TestCdc : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qputenv("ENVSYNC_MASK_SALT", "tst_cdc-salt-0123456789");
        const std::string failed = m_estate.start(1500, false);
        QVERIFY2(failed.empty(), failed.c_str());
        m_sourceDsn = m_estate.config()->source.dsn;
        m_spoolDir = std::filesystem::path(m_estate.config()->cdcSpoolPath());
        auto init = cli({QStringLiteral("cdc"), QStringLiteral("init")});
        QVERIFY2(init.exitCode == 0, qPrintable(init.err));
        QVERIFY(newGolden().startsWith(u"golden_v"));
        for (const auto &region : streamedRegions)
            QVERIFY(refresh(region));
    }

    void initIsIdempotentAndRefusesKeylessTables()
    {
        auto again = cli({QStringLiteral("cdc"), QStringLiteral("init")});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY(exec(m_sourceDsn, "CREATE TABLE \"Key less\" (a int)"));
        auto refused = cli({QStringLiteral("cdc"), QStringLiteral("init")});
        QCOMPARE(refused.exitCode, 4);
        QVERIFY2(refused.err.contains(u"Key less"), qPrintable(refused.err));
        QVERIFY(exec(m_sourceDsn, "DROP TABLE \"Key less\""));
        QCOMPARE(cli({QStringLiteral("cdc"), QStringLiteral("init")}).exitCode, 0);
        // The refreshed regions start where their golden version was read.
        for (const auto &region : streamedRegions)
            QVERIFY(scalar(regionDsn(region), "SELECT applied_lsn FROM _envsync.cdc_applied")
                            .find('/')
                    != std::string::npos);
    }

    /// The property: a random workload streamed while it runs, then the next golden snapshot
    /// equals every region table by table.
    void regionsEqualTheNextGoldenAfterAWorkload()
    {
        demo::DemoWriter workload({m_sourceDsn, 11});
        workload.start();
        QProcess stream;
        startStream(stream);
        QTest::qWait(6000);
        QCOMPARE(workload.stop(), std::string());
        QVERIFY(workload.transactions() > 100);
        stopStream(stream);
        expectRegionsEqualNewGolden();
    }

    void statusShowsEveryRegion()
    {
        auto status = cli({QStringLiteral("cdc"), QStringLiteral("status"),
                           QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        const QJsonObject object = QJsonDocument::fromJson(status.out).object();
        QVERIFY(object.value(u"initialised").toBool());
        QVERIFY(object.value(u"source").toObject().value(u"slot_exists").toBool());
        const QJsonArray regions = object.value(u"regions").toArray();
        QCOMPARE(regions.size(), 3);
        for (const auto &value : regions) {
            const QJsonObject region = value.toObject();
            QVERIFY2(region.value(u"applied_lsn").toString().contains(u'/'),
                     status.out.constData());
            QVERIFY(region.value(u"lag_bytes").toInteger(-1) >= 0);
        }
        auto paused = cli({QStringLiteral("cdc"), QStringLiteral("pause"),
                           QStringLiteral("--region"), QStringLiteral("us")});
        QVERIFY2(paused.exitCode == 0, qPrintable(paused.err));
        // Paused: us gets nothing while the others stream.
        const std::string before
                = scalar(regionDsn("us"), "SELECT applied_lsn FROM _envsync.cdc_applied");
        QVERIFY(exec(
                m_sourceDsn,
                "UPDATE products SET price = price + 1 WHERE id = (SELECT min(id) FROM products)"));
        const std::string euBefore
                = scalar(regionDsn("eu"), "SELECT applied_lsn FROM _envsync.cdc_applied");
        QProcess stream;
        startStream(stream);
        QTRY_VERIFY_WITH_TIMEOUT(
                scalar(regionDsn("eu"), "SELECT applied_lsn FROM _envsync.cdc_applied") != euBefore,
                20000);
        QTest::qWait(2000);
        QCOMPARE(scalar(regionDsn("us"), "SELECT applied_lsn FROM _envsync.cdc_applied"), before);
        auto live = cli({QStringLiteral("cdc"), QStringLiteral("status"),
                         QStringLiteral("--format"), QStringLiteral("json")});
        bool usPaused = false;
        for (const auto &value :
             QJsonDocument::fromJson(live.out).object().value(u"regions").toArray()) {
            const QJsonObject region = value.toObject();
            if (region.value(u"region").toString() == u"us")
                usPaused = region.value(u"paused").toBool()
                           && region.value(u"state").toString() == u"paused";
        }
        QVERIFY2(usPaused, live.out.constData());
        QCOMPARE(cli({QStringLiteral("cdc"), QStringLiteral("resume"), QStringLiteral("--region"),
                      QStringLiteral("us")})
                         .exitCode,
                 0);
        stopStream(stream);
        expectRegionsEqualNewGolden();
    }

    void refreshInMidStreamResumesWithoutLossOrDuplicates()
    {
        demo::DemoWriter workload({m_sourceDsn, 12});
        workload.start();
        QProcess stream;
        startStream(stream);
        QTest::qWait(2000);
        QVERIFY(refresh("eu"));
        QTest::qWait(2000);
        QCOMPARE(workload.stop(), std::string());
        stopStream(stream);
        expectRegionsEqualNewGolden();
    }

    /// kill -9 at ≥ 20 points: the reader after appending, before and after its fsync; the
    /// appliers before and after their commit; and at random moments.
    void killNineAnywhereLosesAndRepeatsNothing()
    {
        demo::DemoWriter workload({m_sourceDsn, 13});
        workload.start();
        const QStringList faults = {
                QStringLiteral("cdc.reader.appended@1"),
                QStringLiteral("cdc.reader.appended@7"),
                QStringLiteral("cdc.reader.appended@30"),
                QStringLiteral("cdc.reader.before-flush@1"),
                QStringLiteral("cdc.reader.before-flush@4"),
                QStringLiteral("cdc.reader.flushed@1"),
                QStringLiteral("cdc.reader.flushed@3"),
                QStringLiteral("cdc.reader.flushed@9"),
                QStringLiteral("cdc.apply.before-commit@1"),
                QStringLiteral("cdc.apply.before-commit@2"),
                QStringLiteral("cdc.apply.before-commit@6"),
                QStringLiteral("cdc.apply.committed@1"),
                QStringLiteral("cdc.apply.committed@3"),
                QStringLiteral("cdc.apply.committed@10"),
        };
        int kills = 0;
        for (const QString &fault : faults) {
            QProcess stream;
            startStream(stream, fault);
            if (!stream.waitForFinished(20000)) {
                ::kill(static_cast<pid_t>(stream.processId()), SIGKILL);
                stream.waitForFinished(5000);
            }
            QVERIFY2(stream.exitStatus() == QProcess::CrashExit,
                     qPrintable(fault + u": " + QString::fromUtf8(stream.readAllStandardError())));
            ++kills;
        }
        for (int i = 0; i < 8; ++i) {
            QProcess stream;
            startStream(stream);
            QTest::qWait(300 + static_cast<int>(QRandomGenerator::global()->bounded(1500)));
            ::kill(static_cast<pid_t>(stream.processId()), SIGKILL);
            QVERIFY(stream.waitForFinished(5000));
            ++kills;
        }
        QVERIFY(kills >= 20);
        QCOMPARE(workload.stop(), std::string());
        expectRegionsEqualNewGolden();
    }

    /// us goes away for a while and the source restarts: the stream catches up, and the slot
    /// is never confirmed past what the spool holds durably.
    void regionOutageAndSourceRestartCatchUp()
    {
        demo::DemoWriter workload({m_sourceDsn, 14});
        workload.start();
        QProcess stream;
        startStream(stream);
        QTest::qWait(1500);
        QCOMPARE(m_estate.stopCluster("us"), std::string());
        for (int i = 0; i < 8; ++i) {
            QTest::qWait(1000);
            expectSlotNotPastSpool();
        }
        QCOMPARE(workload.stop(), std::string());
        QCOMPARE(m_estate.stopCluster("source"), std::string());
        QCOMPARE(m_estate.startCluster("source"), std::string());
        QCOMPARE(m_estate.startCluster("us"), std::string());
        demo::DemoWriter after({m_sourceDsn, 15});
        after.start();
        QTest::qWait(3000);
        QCOMPARE(after.stop(), std::string());
        expectSlotNotPastSpool();
        QCOMPARE(stream.state(), QProcess::Running); // it waited for the source, not gave up
        stopStream(stream);
        expectRegionsEqualNewGolden();
    }

    /// A new column nobody classified stops the stream, naming it; none of its values is in
    /// the spool or a region. With a rule added, the column reaches the regions masked.
    void unclassifiedColumnFailsClosed()
    {
        QVERIFY(exec(m_sourceDsn, "ALTER TABLE customers ADD COLUMN ssn text"));
        QVERIFY(exec(m_sourceDsn, "UPDATE customers SET ssn = 'SSN-' || id WHERE id IN"
                                  " (SELECT id FROM customers ORDER BY id LIMIT 40)"));
        auto stopped = cli({QStringLiteral("cdc"), QStringLiteral("run"),
                            QStringLiteral("--until-caught-up")});
        QCOMPARE(stopped.exitCode, 4);
        QVERIFY2(stopped.err.contains(u"public.customers.ssn"), qPrintable(stopped.err));
        QVERIFY2(!spoolContains("SSN-"), "an unmasked value reached the spool");
        for (const auto &region : streamedRegions) {
            const std::string leaked = scalar(
                    regionDsn(region), "SELECT count(*) FROM customers WHERE ssn LIKE 'SSN-%'");
            QVERIFY2(leaked == "0" || leaked.starts_with("<error"), leaked.c_str());
        }
        addToConfig("  rules:\n", "    - { column: public.customers.ssn, transform: hash }\n");
        demo::DemoWriter workload({m_sourceDsn, 16, 3000, false, true});
        workload.start();
        QTest::qWait(2000);
        QCOMPARE(workload.stop(), std::string());
        auto resumed = cli({QStringLiteral("cdc"), QStringLiteral("run"),
                            QStringLiteral("--until-caught-up")});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY(!spoolContains("SSN-"));
        for (const auto &region : streamedRegions) {
            QCOMPARE(scalar(regionDsn(region),
                            "SELECT count(*) FROM customers WHERE ssn LIKE 'SSN-%'"),
                     std::string("0"));
            QVERIFY(scalar(regionDsn(region),
                           "SELECT count(*) FROM customers WHERE ssn IS NOT NULL")
                    != "0");
        }
        expectRegionsEqualNewGolden();
    }

    /// A table created at the source (bigserial key) appears in every region, and the
    /// region's sequence is never behind the source's.
    void newTableAndItsSequenceFollow()
    {
        addToConfig("  keep:\n", "    - public.loyalty.id\n    - public.loyalty.customer_id\n"
                                 "    - public.loyalty.points\n    - public.loyalty.note\n");
        QVERIFY(exec(m_sourceDsn, "CREATE TABLE loyalty (id bigserial PRIMARY KEY,"
                                  " customer_id bigint, points int, note text)"));
        demo::DemoWriter workload({m_sourceDsn, 17, 3000, true, true});
        workload.start();
        QProcess stream;
        startStream(stream);
        QTest::qWait(5000);
        QCOMPARE(workload.stop(), std::string());
        stopStream(stream); // may stop a region before its last batch: catch up first
        auto caughtUp = cli({QStringLiteral("cdc"), QStringLiteral("run"),
                             QStringLiteral("--until-caught-up")});
        QVERIFY2(caughtUp.exitCode == 0, qPrintable(caughtUp.err));
        const std::string sourceValue
                = scalar(m_sourceDsn, "SELECT last_value FROM loyalty_id_seq");
        QVERIFY(std::stoll(sourceValue) > 0);
        for (const auto &region : streamedRegions) {
            const std::string regionValue
                    = scalar(regionDsn(region), "SELECT last_value FROM loyalty_id_seq");
            QVERIFY2(regionValue.find('<') == std::string::npos, regionValue.c_str());
            QVERIFY2(std::stoll(regionValue) >= std::stoll(sourceValue), region.c_str());
        }
        expectRegionsEqualNewGolden();
    }

    void dropRemovesSlotAndPublication()
    {
        auto dropped = cli({QStringLiteral("cdc"), QStringLiteral("drop")});
        QVERIFY2(dropped.exitCode == 0, qPrintable(dropped.err));
        QCOMPARE(scalar(m_sourceDsn, "SELECT count(*) FROM pg_replication_slots"),
                 std::string("0"));
        QCOMPARE(scalar(m_sourceDsn, "SELECT count(*) FROM pg_publication"), std::string("0"));
    }

private:
    test::CliRun cli(QStringList args, const QString &fault = {})
    {
        args << QStringLiteral("-c") << m_estate.configPath();
        if (fault.isEmpty())
            qunsetenv("ENVSYNC_FAULT");
        else
            qputenv("ENVSYNC_FAULT", fault.toUtf8());
        auto run = test::runCli(args);
        qunsetenv("ENVSYNC_FAULT");
        return run;
    }

    void startStream(QProcess &process, const QString &fault = {})
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        if (!fault.isEmpty())
            environment.insert(QStringLiteral("ENVSYNC_FAULT"), fault);
        process.setProcessEnvironment(environment);
        process.start(QString::fromStdString(test::cliPath()),
                      {QStringLiteral("cdc"), QStringLiteral("run"), QStringLiteral("-c"),
                       m_estate.configPath()});
        QVERIFY(process.waitForStarted(5000));
    }

    /// SIGTERM: the transaction in flight is finished, exit 0.
    void stopStream(QProcess &process)
    {
        process.terminate();
        QVERIFY2(process.waitForFinished(30000), "cdc run did not stop on SIGTERM");
        QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0,
                 qPrintable(QString::fromUtf8(process.readAllStandardError())));
    }

    QString newGolden()
    {
        auto created = cli({QStringLiteral("snapshot"), QStringLiteral("create"),
                            QStringLiteral("--jobs"), QStringLiteral("2")});
        if (created.exitCode != 0) {
            qWarning("snapshot create: %s", qPrintable(created.err));
            return {};
        }
        const auto match = QRegularExpression(QStringLiteral("(golden_v\\d+) ready"))
                                   .match(QString::fromUtf8(created.out));
        return match.captured(1);
    }

    bool refresh(const std::string &region)
    {
        auto run = cli({QStringLiteral("refresh"), QStringLiteral("--region"),
                        QString::fromStdString(region), QStringLiteral("--force-outside-window"),
                        QStringLiteral("--reason"), QStringLiteral("tst_cdc")});
        if (run.exitCode != 0)
            qWarning("refresh %s: %s", region.c_str(), qPrintable(run.err));
        return run.exitCode == 0;
    }

    void expectRegionsEqualNewGolden()
    {
        auto caughtUp = cli({QStringLiteral("cdc"), QStringLiteral("run"),
                             QStringLiteral("--until-caught-up")});
        QVERIFY2(caughtUp.exitCode == 0, qPrintable(caughtUp.err));
        const QString golden = newGolden();
        QVERIFY(!golden.isEmpty());
        const auto expected = contentHashes(m_estate.goldenDsn(golden.toStdString()));
        for (const auto &region : streamedRegions) {
            const auto actual = contentHashes(regionDsn(region));
            for (const auto &[table, hash] : expected) {
                const auto found = actual.find(table);
                QVERIFY2(found != actual.end(), (region + ": no table " + table).c_str());
                QVERIFY2(found->second == hash,
                         (region + ": " + table + " differs from " + golden.toStdString() + ": "
                          + found->second + " vs " + hash)
                                 .c_str());
            }
        }
        expectNoSourceValueOfAMaskedColumn();
    }

    void expectNoSourceValueOfAMaskedColumn()
    {
        for (const std::string masked : {"email", "phone", "iban", "card_number"}) {
            const auto values = column(m_sourceDsn,
                                       "SELECT " + masked + " FROM customers WHERE id > 1000000");
            if (values.empty())
                continue;
            std::string list;
            for (const auto &value : values)
                list += (list.empty() ? "'" : ",'") + value + "'";
            for (const auto &region : streamedRegions)
                QCOMPARE(scalar(regionDsn(region), "SELECT count(*) FROM customers WHERE " + masked
                                                           + " IN (" + list + ")"),
                         std::string("0"));
        }
        for (const auto &region : streamedRegions)
            QCOMPARE(scalar(regionDsn(region), "SELECT count(*) FROM support_tickets WHERE body"
                                               " LIKE '%leak.example%' OR body LIKE '%+1-555-%'"),
                     std::string("0"));
    }

    /// The slot's confirmed position is read first: the spool only grows, so a durable end
    /// read after it that is lower would mean the slot was confirmed past the spool.
    void expectSlotNotPastSpool()
    {
        const std::string confirmed
                = scalar(m_sourceDsn, "SELECT confirmed_flush_lsn FROM pg_replication_slots");
        const auto usage = cdc::spoolUsage(m_spoolDir.string());
        QVERIFY2(usage.has_value(), usage ? "" : usage.error().describe().c_str());
        if (confirmed.find('/') == std::string::npos)
            return; // the source is restarting
        const auto slot = cdc::parseLsn(confirmed);
        QVERIFY(slot.has_value());
        QVERIFY2(*slot <= usage->lastLsn,
                 (confirmed + " > " + cdc::formatLsn(usage->lastLsn)).c_str());
    }

    bool spoolContains(const std::string &needle) const
    {
        for (const auto &entry : std::filesystem::directory_iterator(m_spoolDir)) {
            const std::string content = test::readFile(entry.path());
            if (content.find(needle) != std::string::npos)
                return true;
        }
        return false;
    }

    void addToConfig(const std::string &after, const std::string &lines)
    {
        std::string text = test::readFile(m_estate.configPath().toStdString());
        const auto at = text.find(after);
        QVERIFY(at != std::string::npos);
        text.insert(at + after.size(), lines);
        std::ofstream(m_estate.configPath().toStdString(), std::ios::trunc) << text;
    }

    std::string regionDsn(const std::string &region) const
    {
        return m_estate.config()->findRegion(region)->dsn;
    }
    static std::string scalar(const std::string &dsn, const std::string &sql)
    {
        return test::OwnDemoEstate::scalar(dsn, sql);
    }
    static bool exec(const std::string &dsn, const std::string &sql)
    {
        try {
            pqxx::connection connection(dsn);
            pqxx::nontransaction tx(connection);
            tx.exec0(sql);
            return true;
        } catch (const std::exception &e) {
            qWarning("%s: %s", sql.c_str(), e.what());
            return false;
        }
    }

    test::OwnDemoEstate m_estate{"cdc"};
    std::string m_sourceDsn;
    std::filesystem::path m_spoolDir;
};

QTEST_GUILESS_MAIN(TestCdc)
#include "tst_cdc.moc"
