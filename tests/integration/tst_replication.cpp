// The replication connection against a real server (its own cluster, wal_level=logical): a
// pgoutput slot streams inserts, updates (with and without a key change, REPLICA IDENTITY FULL),
// deletes, a truncate, a multi-table transaction and logical messages of tables with hostile
// names through a publication with a hostile name, and decodes them; the slot's
// confirmed_flush_lsn is exactly the `flushed` position sendStatus said, so a restarted stream
// repeats what was not confirmed and nothing that was. Cancel and a killed walsender end a
// read promptly with an error naming the source.

#include "testsupport.h"

#include "core/cdc/pgoutputdecoder.h"
#include "core/cdc/replicationconnection.h"
#include "core/db/sqlquote.h"

#include <QTest>

#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

using namespace envsync;
using namespace envsync::cdc;
using namespace std::chrono_literals;

namespace {

const std::string database = "src";
const std::string salesSchema = "Sales \xc3\xbc";
const std::string ordersTable = "Orders";
const std::string publication = "we\"ird, pub 'x'";
const std::string slotName = "envsync_test";

std::string orders()
{
    return db::qualifiedName(salesSchema, ordersTable);
}

/// One streamed transaction: its Begin, the messages between, its Commit.
struct StreamedTransaction
{
    pgoutput::Begin begin;
    std::vector<DecodedMessage> changes;
    pgoutput::Commit commit;
};

/// What a stream delivered: transactions in commit order, non-transactional messages, and
/// every relation by id.
struct Streamed
{
    std::vector<StreamedTransaction> transactions;
    std::vector<pgoutput::Message> messages;
    std::map<std::uint32_t, cdc::Relation> relations;
};

TupleValue text(const std::string &s)
{
    return {TupleValue::Kind::Text, s};
}

/// Reads and decodes until `transactions` commits have arrived (or 30 s have passed).
Result<Streamed> collect(ReplicationConnection &connection, std::size_t transactions,
                         std::size_t messages = 0)
{
    Streamed out;
    std::optional<StreamedTransaction> open;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (out.transactions.size() < transactions || out.messages.size() < messages) {
        if (std::chrono::steady_clock::now() > deadline)
            return fail(ErrorCode::Internal, "timed out: " + std::to_string(out.transactions.size())
                                                     + " transactions streamed");
        auto message = connection.read(200ms);
        if (!message)
            return std::unexpected(message.error());
        if (!*message || (*message)->kind != StreamMessage::Kind::XLogData)
            continue;
        auto decoded = decodePgOutput((*message)->payload);
        if (!decoded)
            return std::unexpected(decoded.error());
        if (auto *begin = std::get_if<pgoutput::Begin>(&*decoded)) {
            open = StreamedTransaction{*begin, {}, {}};
        } else if (auto *commit = std::get_if<pgoutput::Commit>(&*decoded)) {
            if (!open)
                return fail(ErrorCode::Internal, "Commit without Begin");
            open->commit = *commit;
            out.transactions.push_back(std::move(*open));
            open.reset();
        } else if (auto *relation = std::get_if<cdc::Relation>(&*decoded)) {
            out.relations[relation->id] = *relation;
            if (open)
                open->changes.push_back(*decoded);
        } else if (auto *logical = std::get_if<pgoutput::Message>(&*decoded); logical && !open) {
            out.messages.push_back(*logical);
        } else if (open) {
            open->changes.push_back(*decoded);
        } else {
            return fail(ErrorCode::Internal, "change outside a transaction");
        }
    }
    return out;
}

/// The changes of a transaction without its Relation messages.
std::vector<DecodedMessage> rowChanges(const StreamedTransaction &transaction)
{
    std::vector<DecodedMessage> out;
    for (const auto &change : transaction.changes) {
        if (!std::holds_alternative<cdc::Relation>(change))
            out.push_back(change);
    }
    return out;
}

} // namespace

class TestReplication : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_cluster.ok());
        QVERIFY(m_cluster.execute("CREATE DATABASE " + database));
        const std::vector<std::string> setup = {
                "CREATE SCHEMA " + db::quoteIdentifier(salesSchema),
                "CREATE TABLE " + orders()
                        + " (id integer PRIMARY KEY, \"E-Mail\" text, note text)",
                "CREATE TABLE public.items (id integer PRIMARY KEY, name text)",
                "CREATE TABLE public.nokey (a integer, b text)",
                "ALTER TABLE public.nokey REPLICA IDENTITY FULL",
                "CREATE SCHEMA private",
                "CREATE TABLE private.hidden (id integer PRIMARY KEY)",
                "CREATE PUBLICATION " + db::quoteIdentifier(publication)
                        + " FOR TABLES IN SCHEMA public, " + db::quoteIdentifier(salesSchema),
        };
        for (const auto &sql : setup)
            QVERIFY2(m_cluster.execute(sql, database), sql.c_str());
    }

    void identifiesTheSystem()
    {
        auto connection = ReplicationConnection::open(m_cluster.dsn(database), {}, "source");
        QVERIFY2(connection.has_value(), connection ? "" : connection.error().describe().c_str());
        auto identity = connection->identifySystem();
        QVERIFY2(identity.has_value(), identity ? "" : identity.error().describe().c_str());
        QCOMPARE(identity->dbname, database);
        QCOMPARE(identity->systemId,
                 m_cluster.queryValue("SELECT system_identifier FROM pg_control_system()"));
        QCOMPARE(identity->timeline, 1u);
        QVERIFY(identity->xlogPos > 0);
        QCOMPARE(m_cluster.queryValue("SELECT count(*) FROM pg_stat_activity WHERE"
                                      " application_name = 'envsync cdc'"
                                      " AND backend_type = 'walsender'"),
                 std::string("1"));
    }

    void refusesAnInvalidSlotNameWithoutSendingIt()
    {
        auto connection = ReplicationConnection::open(m_cluster.dsn(database), {}, "source");
        QVERIFY(connection.has_value());
        const std::vector<std::string> names = {"", "Upper", "x\"; DROP", std::string(64, 'a')};
        for (const auto &name : names) {
            auto created = connection->createLogicalSlot(name, true);
            QVERIFY(!created.has_value());
            QCOMPARE(created.error().code, ErrorCode::Usage);
        }
        QVERIFY(connection->identifySystem().has_value()); // still usable: nothing was sent
        QCOMPARE(m_cluster.queryValue("SELECT count(*) FROM pg_replication_slots"),
                 std::string("0"));
    }

    void exportsASnapshotWhenAsked()
    {
        auto connection = ReplicationConnection::open(m_cluster.dsn(database), {}, "source");
        QVERIFY(connection.has_value());
        auto slot = connection->createLogicalSlot("envsync_export", true, SlotSnapshot::Export);
        QVERIFY2(slot.has_value(), slot ? "" : slot.error().describe().c_str());
        QVERIFY(!slot->snapshotName.empty());
        QVERIFY(slot->consistentPoint > 0);
        QCOMPARE(m_cluster.queryValue("SELECT temporary FROM pg_replication_slots"
                                      " WHERE slot_name = 'envsync_export'"),
                 std::string("t"));
    }

    void streamsAndConfirmsExactlyWhatWasFlushed()
    {
        auto connection = ReplicationConnection::open(m_cluster.dsn(database), {}, "source");
        QVERIFY(connection.has_value());
        auto slot = connection->createLogicalSlot(slotName, false);
        QVERIFY2(slot.has_value(), slot ? "" : slot.error().describe().c_str());
        QCOMPARE(slot->slotName, slotName);
        QVERIFY(slot->consistentPoint > 0);
        QVERIFY(slot->snapshotName.empty());
        QCOMPARE(m_cluster.queryValue("SELECT plugin FROM pg_replication_slots WHERE slot_name = '"
                                      + slotName + "'"),
                 std::string("pgoutput"));

        // Six transactions, a transactional and a non-transactional message.
        const std::vector<std::string> writes = {
                "INSERT INTO " + orders() + " VALUES (1, 'a@x', E'tab\\there'), (2, 'b@x', NULL)",
                "UPDATE " + orders() + " SET \"E-Mail\" = 'c@x' WHERE id = 1",
                "UPDATE " + orders() + " SET id = 3 WHERE id = 2",
                "DELETE FROM " + orders() + " WHERE id = 1",
                "BEGIN; INSERT INTO public.items VALUES (1, 'x');"
                " INSERT INTO private.hidden VALUES (1);"
                " INSERT INTO public.nokey VALUES (1, 'y'); UPDATE public.nokey SET b = 'z';"
                " DELETE FROM public.nokey; COMMIT",
                "TRUNCATE public.items, " + orders() + " RESTART IDENTITY",
        };
        for (const auto &sql : writes)
            QVERIFY2(m_cluster.execute(sql, database), sql.c_str());
        QCOMPARE(m_cluster.queryValue("SELECT pg_logical_emit_message(true, 'envsync', 'hb 1')"
                                      " IS NOT NULL",
                                      database),
                 std::string("t"));
        QCOMPARE(m_cluster.queryValue("SELECT pg_logical_emit_message(false, 'envsync', 'hb 2')"
                                      " IS NOT NULL",
                                      database),
                 std::string("t"));

        auto started = connection->startStreaming(slotName, 0, publication, true);
        QVERIFY2(started.has_value(), started ? "" : started.error().describe().c_str());
        auto streamed = collect(*connection, writes.size() + 1, 1);
        QVERIFY2(streamed.has_value(), streamed ? "" : streamed.error().describe().c_str());
        const auto &txs = streamed->transactions;
        QCOMPARE(txs.size(), writes.size() + 1);

        const auto nowMicros = std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
        Lsn previousEnd = slot->consistentPoint;
        for (const auto &tx : txs) {
            QCOMPARE(tx.begin.finalLsn, tx.commit.commitLsn);
            QVERIFY(tx.commit.commitLsn >= previousEnd);
            QVERIFY(tx.commit.endLsn > tx.commit.commitLsn);
            QCOMPARE(tx.begin.commitTimeMicros, tx.commit.commitTimeMicros);
            QVERIFY(std::abs(nowMicros - tx.commit.commitTimeMicros) < 600'000'000);
            previousEnd = tx.commit.endLsn;
        }

        // The relations: hostile names, key flags, replica identity; never the private table.
        std::map<std::string, cdc::Relation> byName;
        for (const auto &[id, relation] : streamed->relations)
            byName[relation.display()] = relation;
        QCOMPARE(byName.size(), std::size_t(3));
        const cdc::Relation &ordersRelation = byName.at(salesSchema + '.' + ordersTable);
        QCOMPARE(ordersRelation.replicaIdentity, 'd');
        QCOMPARE(ordersRelation.columns.size(), std::size_t(3));
        QCOMPARE(ordersRelation.columns[0].name, std::string("id"));
        QVERIFY(ordersRelation.columns[0].key);
        QCOMPARE(ordersRelation.columns[0].typeOid, 23u);
        QCOMPARE(ordersRelation.columns[1].name, std::string("E-Mail"));
        QVERIFY(!ordersRelation.columns[1].key);
        QCOMPARE(ordersRelation.columns[1].typeOid, 25u);
        // REPLICA IDENTITY FULL: pgoutput flags every column as part of the identity.
        const cdc::Relation &nokey = byName.at("public.nokey");
        QCOMPARE(nokey.replicaIdentity, 'f');
        QCOMPARE(nokey.columns.size(), std::size_t(2));
        QVERIFY(nokey.columns[0].key && nokey.columns[1].key);
        QVERIFY(byName.contains("public.items"));
        const std::uint32_t ordersId = ordersRelation.id;

        // 1: two inserts, values as text, NULL as Null.
        auto changes = rowChanges(txs[0]);
        QCOMPARE(changes.size(), std::size_t(2));
        QVERIFY(std::get<pgoutput::Insert>(changes[0])
                == (pgoutput::Insert{ordersId, {text("1"), text("a@x"), text("tab\there")}}));
        QVERIFY(std::get<pgoutput::Insert>(changes[1])
                == (pgoutput::Insert{ordersId, {text("2"), text("b@x"), {}}}));
        // 2: update without a key change: no old image.
        changes = rowChanges(txs[1]);
        QCOMPARE(changes.size(), std::size_t(1));
        QVERIFY(std::get<pgoutput::Update>(changes[0])
                == (pgoutput::Update{ordersId,
                                     std::nullopt,
                                     true,
                                     {text("1"), text("c@x"), text("tab\there")}}));
        // 3: key change: the old key ('K', other columns null).
        changes = rowChanges(txs[2]);
        QCOMPARE(changes.size(), std::size_t(1));
        const auto &keyChange = std::get<pgoutput::Update>(changes[0]);
        QVERIFY(keyChange.oldTuple.has_value());
        QVERIFY(keyChange.oldIsKey);
        QCOMPARE(keyChange.oldTuple->at(0), text("2"));
        QCOMPARE(keyChange.newTuple.at(0), text("3"));
        // 4: delete by key.
        changes = rowChanges(txs[3]);
        QCOMPARE(changes.size(), std::size_t(1));
        const auto &deletion = std::get<pgoutput::Delete>(changes[0]);
        QVERIFY(deletion.oldIsKey);
        QCOMPARE(deletion.oldTuple.at(0), text("1"));
        // 5: multi-table, REPLICA IDENTITY FULL: old images are whole rows ('O').
        changes = rowChanges(txs[4]);
        QCOMPARE(changes.size(), std::size_t(4));
        QCOMPARE(std::get<pgoutput::Insert>(changes[0]).newTuple, (Tuple{text("1"), text("x")}));
        QCOMPARE(std::get<pgoutput::Insert>(changes[1]).newTuple, (Tuple{text("1"), text("y")}));
        const auto &fullUpdate = std::get<pgoutput::Update>(changes[2]);
        QVERIFY(!fullUpdate.oldIsKey);
        QCOMPARE(*fullUpdate.oldTuple, (Tuple{text("1"), text("y")}));
        QCOMPARE(fullUpdate.newTuple, (Tuple{text("1"), text("z")}));
        const auto &fullDelete = std::get<pgoutput::Delete>(changes[3]);
        QVERIFY(!fullDelete.oldIsKey);
        QCOMPARE(fullDelete.oldTuple, (Tuple{text("1"), text("z")}));
        // 6: one truncate of both tables.
        changes = rowChanges(txs[5]);
        QCOMPARE(changes.size(), std::size_t(1));
        const auto &truncate = std::get<pgoutput::Truncate>(changes[0]);
        QCOMPARE(truncate.relationIds.size(), std::size_t(2));
        QVERIFY(truncate.restartIdentity);
        QVERIFY(!truncate.cascade);
        // 7: the transactional message inside its own transaction; the other outside.
        changes = rowChanges(txs[6]);
        QCOMPARE(changes.size(), std::size_t(1));
        const auto &inside = std::get<pgoutput::Message>(changes[0]);
        QVERIFY(inside.transactional);
        QCOMPARE(inside.prefix, std::string("envsync"));
        QCOMPARE(inside.content, std::string("hb 1"));
        QCOMPARE(streamed->messages.size(), std::size_t(1));
        QVERIFY(!streamed->messages[0].transactional);
        QCOMPARE(streamed->messages[0].content, std::string("hb 2"));
        QVERIFY(streamed->messages[0].lsn > 0);

        // Confirm through transaction 3 only, although everything was "written".
        const Lsn flushed = txs[2].commit.endLsn;
        const Lsn written = txs.back().commit.endLsn;
        QVERIFY(waitForConfirmed(*connection, written, flushed));

        // A new stream from the slot repeats exactly what was not confirmed.
        connection = std::unexpected(Error{});
        auto again = openStreaming();
        QVERIFY(again.has_value());
        auto repeated = collect(*again, txs.size() - 3);
        QVERIFY2(repeated.has_value(), repeated ? "" : repeated.error().describe().c_str());
        QCOMPARE(repeated->transactions.front().commit.commitLsn, txs[3].commit.commitLsn);
        QCOMPARE(repeated->transactions.back().commit.endLsn, written);
        QVERIFY(waitForConfirmed(*again, written, written));
    }

    /// Cancel ends a read that waits on an idle stream within a moment.
    void cancelEndsAReadPromptly()
    {
        auto token = std::make_shared<job::CancelToken>();
        auto connection = ReplicationConnection::open(m_cluster.dsn(database), {}, "source", token);
        QVERIFY(connection.has_value());
        QVERIFY(connection->createLogicalSlot("envsync_cancel", true).has_value());
        QVERIFY(connection->startStreaming("envsync_cancel", 0, publication, true).has_value());
        std::thread canceller([token] {
            std::this_thread::sleep_for(300ms);
            token->cancel();
        });
        const auto started = std::chrono::steady_clock::now();
        Result<std::optional<StreamMessage>> message = std::optional<StreamMessage>();
        while (message && std::chrono::steady_clock::now() - started < 20s)
            message = connection->read(20s);
        canceller.join();
        QVERIFY(!message.has_value());
        QCOMPARE(message.error().code, ErrorCode::Cancelled);
        QVERIFY(std::chrono::steady_clock::now() - started < 2s);
    }

    /// A walsender killed on the server ends the stream with an error naming the source.
    void aKilledWalsenderIsAnErrorNamingTheSource()
    {
        auto connection = ReplicationConnection::open(m_cluster.dsn(database), {}, "source prod");
        QVERIFY(connection.has_value());
        QVERIFY(connection->createLogicalSlot("envsync_killed", true).has_value());
        QVERIFY(connection->startStreaming("envsync_killed", 0, publication, true).has_value());
        QCOMPARE(m_cluster.queryValue("SELECT pg_terminate_backend(active_pid)"
                                      " FROM pg_replication_slots"
                                      " WHERE slot_name = 'envsync_killed'"),
                 std::string("t"));
        Result<std::optional<StreamMessage>> message = std::optional<StreamMessage>();
        const auto started = std::chrono::steady_clock::now();
        while (message && std::chrono::steady_clock::now() - started < 20s)
            message = connection->read(1s);
        QVERIFY(!message.has_value());
        QVERIFY2(message.error().describe().starts_with("source prod: read"),
                 message.error().describe().c_str());
        QVERIFY(message.error().code == ErrorCode::Unreachable
                || message.error().code == ErrorCode::Database);
    }

    void cleanupTestCase()
    {
        (void)m_cluster.queryValue("SELECT count(pg_drop_replication_slot(slot_name))"
                                   " FROM pg_replication_slots WHERE NOT active");
    }

private:
    /// A new connection streaming from the estate slot; retries while the previous session's
    /// walsender still holds the slot.
    Result<ReplicationConnection> openStreaming()
    {
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        for (;;) {
            auto connection = ReplicationConnection::open(m_cluster.dsn(database), {}, "source");
            if (!connection)
                return connection;
            auto started = connection->startStreaming(slotName, 0, publication, true);
            if (started)
                return connection;
            if (std::chrono::steady_clock::now() > deadline)
                return std::unexpected(started.error());
            std::this_thread::sleep_for(200ms);
        }
    }

    /// Sends the status and waits until the slot shows `flushed` as confirmed (reading the
    /// stream meanwhile, as a client does).
    bool waitForConfirmed(ReplicationConnection &connection, Lsn written, Lsn flushed)
    {
        if (auto sent = connection.sendStatus(written, flushed, flushed, true); !sent) {
            qWarning("%s", sent.error().describe().c_str());
            return false;
        }
        const std::string query = "SELECT confirmed_flush_lsn::text FROM pg_replication_slots"
                                  " WHERE slot_name = '"
                                  + slotName + "'";
        const auto deadline = std::chrono::steady_clock::now() + 15s;
        std::string confirmed;
        while (std::chrono::steady_clock::now() < deadline) {
            confirmed = m_cluster.queryValue(query);
            if (confirmed == formatLsn(flushed))
                return true;
            if (!connection.read(100ms))
                return false;
        }
        qWarning("confirmed_flush_lsn %s, expected %s", confirmed.c_str(),
                 formatLsn(flushed).c_str());
        return false;
    }

    test::TestCluster m_cluster;
};

QTEST_GUILESS_MAIN(TestReplication)
#include "tst_replication.moc"
