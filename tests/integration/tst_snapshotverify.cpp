// `snapshot verify` checks golden against the facts its copy recorded, never the live source:
// it passes while writers change the source, opens no connection there (it passes with the
// source cluster stopped), and still catches a tampered golden table and a source value in a
// masked column, while the control database holds no plain source value.
#include "owndemoestate.h"
#include "testsupport.h"

#include "core/db/controldb.h"
#include "core/snapshot/snapshot.h"

#include <QTest>

#include <pqxx/pqxx>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace snap = envsync::snapshot;
using envsync::test::OwnDemoEstate;

namespace {

const std::string writerName = "tst-snapshotverify writer";

std::string withName(const std::string &dsn, const std::string &applicationName)
{
    return dsn + " application_name='" + applicationName + "'";
}

/// Runs SQL on golden_v1 as the superuser, past its default_transaction_read_only.
void tamper(const std::string &dsn, const std::string &sql)
{
    pqxx::connection conn(dsn);
    pqxx::nontransaction tx(conn);
    tx.exec0("SET default_transaction_read_only = off");
    tx.exec0(sql);
}

const snap::VerifyCheck *failed(const snap::VerifyReport &report, const std::string &check,
                                const std::string &object)
{
    const auto it = std::ranges::find_if(report.checks, [&](const snap::VerifyCheck &c) {
        return !c.ok && c.check == check && c.object == object;
    });
    return it == report.checks.end() ? nullptr : &*it;
}

void printFailures(const snap::VerifyReport &report)
{
    for (const auto &check : report.checks) {
        if (!check.ok)
            qWarning("%s %s: %s", check.check.c_str(), check.object.c_str(), check.detail.c_str());
    }
}

} // namespace

class TestSnapshotVerify : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("ENVSYNC_MASK_SALT", "tst_snapshotverify-salt-0123456789");
        const std::string started = m_estate.start(1000);
        QVERIFY2(started.empty(), started.c_str());
        m_source = m_estate.config()->source.dsn;
        m_golden = m_estate.goldenDsn("golden_v1");
    }

    /// The source keeps changing (new orders and payments, updated customers, deleted
    /// payments) the whole time verify runs: the snapshot is still what it was.
    void passesWhileTheSourceIsWritten()
    {
        std::atomic<bool> stop{false};
        std::atomic<int> writes{0};
        std::string writerError;
        std::thread writer([&] {
            try {
                pqxx::connection conn(withName(m_source, writerName));
                for (std::int64_t n = 1; !stop; ++n) {
                    pqxx::work tx(conn);
                    const std::int64_t order = 50'000'000 + n;
                    tx.exec_params0("INSERT INTO orders (id, customer_id, ordered_at, total)"
                                    " VALUES ($1::bigint, 1 + $1::bigint % 200, now(), 10)",
                                    order);
                    tx.exec_params0("INSERT INTO payments (id, order_id, amount, method, paid_at)"
                                    " VALUES ($1::bigint, $1::bigint, 10, 'card', now())",
                                    order);
                    tx.exec_params0(
                            "UPDATE customers SET email = 'writer' || $1::bigint || '@example.org',"
                            " city = 'Writer City' WHERE id = 1 + $1::bigint % 200",
                            n);
                    tx.exec0("DELETE FROM payments WHERE id = (SELECT min(id) FROM payments)");
                    tx.commit();
                    ++writes;
                }
            } catch (const std::exception &e) {
                writerError = e.what();
            }
        });
        while (writes < 20 && writerError.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        const int before = writes;
        auto report = snap::verifySnapshot(*m_estate.config(), "golden_v1");
        const int during = writes - before;
        stop = true;
        writer.join();
        QVERIFY2(writerError.empty(), writerError.c_str());
        QVERIFY2(report.has_value(), report ? "" : report.error().describe().c_str());
        printFailures(*report);
        QVERIFY(during > 0);
        QVERIFY(report->ok());
        const auto kinds = [&](const char *kind) {
            return std::ranges::count(report->checks, std::string(kind), &snap::VerifyCheck::check);
        };
        QVERIFY(kinds("row_count") >= 7);
        QVERIFY(kinds("row_hash") >= 7);
        QVERIFY(kinds("fk_join") >= 6);
        QVERIFY(kinds("masked_leak") >= 10);
        for (const auto &check : report->checks)
            QVERIFY2(!check.detail.starts_with("skipped"), check.object.c_str());
    }

    /// No EnvSync session appears on the source while verify runs, and verify passes with the
    /// source cluster stopped (library and CLI).
    void opensNoConnectionToTheSource()
    {
        std::atomic<bool> stop{false};
        std::atomic<int> polls{0};
        std::atomic<int> seen{0};
        std::string pollerError;
        std::thread poller([&] {
            try {
                pqxx::connection conn(withName(m_source, "tst-snapshotverify poller"));
                pqxx::nontransaction tx(conn);
                while (!stop) {
                    seen += tx.exec1("SELECT count(*) FROM pg_stat_activity"
                                     " WHERE application_name LIKE 'envsync%'")[0]
                                    .as<int>();
                    ++polls;
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                }
            } catch (const std::exception &e) {
                pollerError = e.what();
            }
        });
        while (polls < 2 && pollerError.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        auto report = snap::verifySnapshot(*m_estate.config(), "golden_v1");
        const int pollsBefore = polls;
        while (polls < pollsBefore + 2 && pollerError.empty())
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        stop = true;
        poller.join();
        QVERIFY2(pollerError.empty(), pollerError.c_str());
        QVERIFY2(report.has_value(), report ? "" : report.error().describe().c_str());
        QVERIFY(report->ok());
        QVERIFY(polls > 3);
        QCOMPARE(seen.load(), 0);

        const std::string stopped = m_estate.stopCluster("source");
        QVERIFY2(stopped.empty(), stopped.c_str());
        auto offline = snap::verifySnapshot(*m_estate.config(), "golden_v1");
        const auto run
                = envsync::test::runCli({QStringLiteral("snapshot"), QStringLiteral("verify"),
                                         QStringLiteral("-c"), m_estate.configPath()});
        const std::string restarted = m_estate.startCluster("source");
        QVERIFY2(restarted.empty(), restarted.c_str());
        QVERIFY2(offline.has_value(), offline ? "" : offline.error().describe().c_str());
        printFailures(*offline);
        QVERIFY(offline->ok());
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains("golden_v1: verified"));
    }

    /// A row changed or removed in golden behind EnvSync's back fails the table's hash (and
    /// its count for a removed row), named; undone, verify passes again.
    void tamperedGoldenFails_data()
    {
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("undo");
        QTest::addColumn<bool>("countChanges");
        QTest::newRow("row updated")
                << QStringLiteral("products")
                << QStringLiteral("UPDATE products SET price = price + 1 WHERE id = 3")
                << QStringLiteral("UPDATE products SET price = price - 1 WHERE id = 3") << false;
        QTest::newRow("row deleted")
                << QStringLiteral("shipments")
                << QStringLiteral("CREATE TABLE public.tst_saved AS SELECT * FROM shipments"
                                  " WHERE id = (SELECT min(id) FROM shipments);"
                                  " DELETE FROM shipments WHERE id = (SELECT id FROM tst_saved)")
                << QStringLiteral("INSERT INTO shipments SELECT * FROM tst_saved;"
                                  " DROP TABLE tst_saved")
                << true;
    }
    void tamperedGoldenFails()
    {
        QFETCH(QString, table);
        QFETCH(QString, change);
        QFETCH(QString, undo);
        QFETCH(bool, countChanges);
        const std::string object = "public." + table.toStdString();
        try {
            tamper(m_golden, change.toStdString());
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        auto report = snap::verifySnapshot(*m_estate.config(), "golden_v1");
        const auto run = envsync::test::runCli(
                {QStringLiteral("snapshot"), QStringLiteral("verify"), QStringLiteral("-c"),
                 m_estate.configPath(), QStringLiteral("--format"), QStringLiteral("json")});
        try {
            tamper(m_golden, undo.toStdString());
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        QVERIFY2(report.has_value(), report ? "" : report.error().describe().c_str());
        QVERIFY(!report->ok());
        QVERIFY2(failed(*report, "row_hash", object), object.c_str());
        QCOMPARE(failed(*report, "row_count", object) != nullptr, countChanges);
        // nothing else is blamed
        for (const auto &check : report->checks) {
            if (!check.ok)
                QCOMPARE(check.object, object);
        }
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.out.contains(QByteArray::fromStdString(object)));

        auto again = snap::verifySnapshot(*m_estate.config(), "golden_v1");
        QVERIFY(again.has_value());
        printFailures(*again);
        QVERIFY(again->ok());
    }

    /// A real source value in a masked golden column fails the leak check naming the column;
    /// the control database holds no plain source value of a masked column.
    void sourceValueInMaskedColumnFails_data()
    {
        QTest::addColumn<QString>("column");
        QTest::newRow("email") << QStringLiteral("email");
        QTest::newRow("iban") << QStringLiteral("iban");
        QTest::newRow("phone") << QStringLiteral("phone");
    }
    void sourceValueInMaskedColumnFails()
    {
        QFETCH(QString, column);
        const std::string col = column.toStdString();
        const std::string value = OwnDemoEstate::scalar(
                m_source, "SELECT " + col + " FROM customers WHERE id = 240");
        const std::string masked = OwnDemoEstate::scalar(
                m_golden, "SELECT " + col + " FROM customers WHERE id = 241");
        QVERIFY(!value.starts_with("<"));
        QVERIFY(!masked.starts_with("<"));
        try {
            pqxx::connection conn(m_golden);
            pqxx::nontransaction tx(conn);
            tx.exec0("SET default_transaction_read_only = off");
            // no customers_touch trigger: updated_at must come back unchanged too
            tx.exec0("SET session_replication_role = replica");
            tx.exec_params0("UPDATE customers SET " + col + " = $1 WHERE id = 241", value);
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        auto report = snap::verifySnapshot(*m_estate.config(), "golden_v1");
        try {
            pqxx::connection conn(m_golden);
            pqxx::nontransaction tx(conn);
            tx.exec0("SET default_transaction_read_only = off");
            // no customers_touch trigger: updated_at must come back unchanged too
            tx.exec0("SET session_replication_role = replica");
            tx.exec_params0("UPDATE customers SET " + col + " = $1 WHERE id = 241", masked);
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        QVERIFY2(report.has_value(), report ? "" : report.error().describe().c_str());
        const snap::VerifyCheck *leak = failed(*report, "masked_leak", "public.customers." + col);
        QVERIFY2(leak, col.c_str());
        QVERIFY(leak->detail.starts_with("1 golden value"));
        QVERIFY(failed(*report, "row_hash", "public.customers"));
        for (const auto &check : report->checks) // the value itself is never printed
            QVERIFY(check.detail.find(value) == std::string::npos);
    }

    void controlDatabaseHoldsNoSourceValue()
    {
        const std::string facts = OwnDemoEstate::scalar(
                m_estate.goldenDsn("envsync_control"),
                "SELECT copy_facts::text FROM envsync.snapshots WHERE name = 'golden_v1'");
        QVERIFY(facts.size() > 1000);
        QVERIFY(facts.find("value_hashes") != std::string::npos);
        try {
            pqxx::connection conn(m_source);
            pqxx::nontransaction tx(conn);
            int checked = 0;
            for (const auto &row : tx.exec("SELECT email, phone, iban, card_number, full_name,"
                                           " street FROM customers ORDER BY id LIMIT 100")) {
                for (const auto &field : row) {
                    if (field.is_null())
                        continue;
                    QVERIFY2(facts.find(field.as<std::string>()) == std::string::npos,
                             field.c_str());
                    ++checked;
                }
            }
            QVERIFY(checked > 300);
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        QVERIFY(facts.find("tst_snapshotverify-salt") == std::string::npos);
    }

    /// A snapshot made before facts were recorded verifies on golden alone and says what it
    /// skipped.
    void snapshotWithoutFactsSkipsNamedChecks()
    {
        const std::string control = m_estate.goldenDsn("envsync_control");
        try {
            tamper(control, "CREATE TABLE tst_saved_facts AS SELECT copy_facts FROM"
                            " envsync.snapshots WHERE name = 'golden_v1';"
                            " UPDATE envsync.snapshots SET copy_facts = NULL"
                            " WHERE name = 'golden_v1'");
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        auto report = snap::verifySnapshot(*m_estate.config(), "golden_v1");
        try {
            tamper(control,
                   "UPDATE envsync.snapshots SET copy_facts = (SELECT copy_facts FROM"
                   " tst_saved_facts) WHERE name = 'golden_v1'; DROP TABLE tst_saved_facts");
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        QVERIFY2(report.has_value(), report ? "" : report.error().describe().c_str());
        printFailures(*report);
        QVERIFY(report->ok());
        auto skipped = [&](const char *kind) {
            return std::ranges::count_if(report->checks, [&](const snap::VerifyCheck &c) {
                return c.check == kind && c.detail.starts_with("skipped");
            });
        };
        QCOMPARE(skipped("row_hash"), 1);
        QVERIFY(skipped("masked_leak") >= 10);
        QVERIFY(std::ranges::count(report->checks, std::string("row_count"),
                                   &snap::VerifyCheck::check)
                >= 7);
        QVERIFY(std::ranges::count(report->checks, std::string("fk_join"),
                                   &snap::VerifyCheck::check)
                >= 6);
    }

    /// A catalogue last migrated by an older EnvSync (schema version 2, no copy_facts column,
    /// none of migration 4's CDC tables or snapshots.cdc_lsn):
    /// verify, which opens it without migrating, skips what needs facts instead of failing;
    /// the next ControlDb::open migrates it.
    void catalogueBeforeMigration3()
    {
        const std::string control = m_estate.goldenDsn("envsync_control");
        try {
            tamper(control, "ALTER TABLE envsync.snapshots RENAME COLUMN copy_facts TO tst_facts;"
                            " ALTER TABLE envsync.snapshots DROP COLUMN cdc_lsn;"
                            " DROP TABLE envsync.cdc_estate, envsync.cdc_regions,"
                            " envsync.cdc_reader;"
                            " DELETE FROM envsync.schema_migrations WHERE version >= 3");
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        auto report = snap::verifySnapshot(*m_estate.config(), "golden_v1");
        auto migrated = envsync::db::ControlDb::openUnguarded(m_estate.config()->golden.dsn, {});
        const std::string version = OwnDemoEstate::scalar(
                control, "SELECT max(version) FROM envsync.schema_migrations");
        try {
            tamper(control, "UPDATE envsync.snapshots SET copy_facts = tst_facts;"
                            " ALTER TABLE envsync.snapshots DROP COLUMN tst_facts");
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        QVERIFY2(report.has_value(), report ? "" : report.error().describe().c_str());
        printFailures(*report);
        QVERIFY(report->ok());
        QVERIFY(std::ranges::any_of(report->checks, [](const snap::VerifyCheck &c) {
            return c.check == "row_hash" && c.detail.starts_with("skipped");
        }));
        QVERIFY2(migrated.has_value(), migrated ? "" : migrated.error().describe().c_str());
        QCOMPARE(version, std::to_string(envsync::db::ControlDb::schemaVersion));
        auto again = snap::verifySnapshot(*m_estate.config(), "golden_v1");
        QVERIFY(again.has_value());
        printFailures(*again);
        QVERIFY(again->ok());
        QVERIFY(std::ranges::none_of(again->checks, [](const snap::VerifyCheck &c) {
            return c.detail.starts_with("skipped");
        }));
    }

private:
    OwnDemoEstate m_estate{"snapverify"};
    std::string m_source;
    std::string m_golden;
};

QTEST_GUILESS_MAIN(TestSnapshotVerify)
#include "tst_snapshotverify.moc"
