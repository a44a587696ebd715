// The SQL text of the CDC region applier (core/cdc/applystatements.h) and the conflict policy's
// spelling: identifiers always quoted, values always bound in $n order, Unchanged TOAST values
// never written, REPLICA IDENTITY FULL rows found by every old value, one row by ctid.

#include "core/cdc/applystatements.h"
#include "core/cdc/conflictpolicy.h"

#include <QTest>

#include <string>
#include <vector>

using namespace envsync;
using namespace envsync::cdc;

namespace {

TupleValue text(const std::string &value)
{
    return TupleValue{TupleValue::Kind::Text, value};
}
TupleValue null()
{
    return TupleValue{TupleValue::Kind::Null, {}};
}
TupleValue unchanged()
{
    return TupleValue{TupleValue::Kind::Unchanged, {}};
}

Relation keyed()
{
    Relation relation;
    relation.id = 7;
    relation.schema = "s\"x";
    relation.table = "T; DROP";
    relation.columns = {{"id", 23, -1, "integer", true},
                        {"a\"b", 25, -1, "text", false},
                        {"c", 25, -1, "text", false}};
    return relation;
}

Relation full()
{
    Relation relation = keyed();
    relation.replicaIdentity = 'f';
    for (auto &column : relation.columns)
        column.key = true; // as pgoutput flags them under REPLICA IDENTITY FULL
    return relation;
}

using Values = std::vector<std::string>;

/// The bound values, NULL as "<null>".
Values params(const ApplyStatement &statement)
{
    Values out;
    for (const std::string *param : statement.params)
        out.push_back(param ? *param : "<null>");
    return out;
}

} // namespace

class TestApplyStatements : public QObject
{
    Q_OBJECT
private slots:
    void insertPerPolicy_data()
    {
        QTest::addColumn<int>("policy");
        QTest::addColumn<QString>("sql");
        const QString head = QStringLiteral(
                "INSERT INTO \"s\"\"x\".\"T; DROP\" (\"id\", \"a\"\"b\", \"c\") VALUES ($1, $2, $3)"
                " ON CONFLICT (\"id\") DO ");
        QTest::newRow("source_wins")
                << int(ConflictPolicy::SourceWins)
                << head
                           + QStringLiteral("UPDATE SET \"a\"\"b\" = EXCLUDED.\"a\"\"b\", \"c\" ="
                                            " EXCLUDED.\"c\" RETURNING (xmax = 0)");
        QTest::newRow("skip") << int(ConflictPolicy::Skip)
                              << head + QStringLiteral("NOTHING RETURNING (xmax = 0)");
        QTest::newRow("stop") << int(ConflictPolicy::Stop)
                              << head + QStringLiteral("NOTHING RETURNING (xmax = 0)");
    }

    void insertPerPolicy()
    {
        QFETCH(int, policy);
        QFETCH(QString, sql);
        const Tuple row = {text("1"), text("x'y"), null()}; // the statement binds into it
        const auto statement = insertStatement(keyed(), row, static_cast<ConflictPolicy>(policy));
        QVERIFY(statement);
        QCOMPARE(QString::fromStdString(statement->sql), sql);
        QCOMPARE(params(*statement), (Values{"1", "x'y", "<null>"}));
    }

    void insertWithoutKeyHasNoConflictTarget()
    {
        const Tuple row = {text("1"), null(), text("c")};
        const auto statement = insertStatement(full(), row, ConflictPolicy::SourceWins);
        QVERIFY(statement);
        QCOMPARE(statement->sql,
                 std::string("INSERT INTO \"s\"\"x\".\"T; DROP\" (\"id\", \"a\"\"b\","
                             " \"c\") VALUES ($1, $2, $3) RETURNING (xmax = 0)"));
    }

    void updateSkipsUnchangedValues()
    {
        RowChange change;
        change.kind = ChangeKind::Update;
        change.oldTuple = Tuple{text("1"), null(), null()};
        change.newTuple = {text("2"), unchanged(), text("v")};
        const auto statement = updateStatement(keyed(), change);
        QVERIFY(statement);
        QCOMPARE(statement->sql, std::string("UPDATE \"s\"\"x\".\"T; DROP\" SET \"id\" = $1,"
                                             " \"c\" = $2 WHERE \"id\" = $3"));
        QCOMPARE(params(*statement), (Values{"2", "v", "1"}));
        // Another set of unchanged columns is another prepared statement.
        change.newTuple = {text("2"), text("w"), text("v")};
        const auto other = updateStatement(keyed(), change);
        QVERIFY(other);
        QVERIFY(other->shape != statement->shape);
    }

    void updateWithoutOldImageUsesTheNewKey()
    {
        RowChange change;
        change.kind = ChangeKind::Update;
        change.newTuple = {text("5"), text("a"), null()};
        const auto statement = updateStatement(keyed(), change);
        QVERIFY(statement);
        QVERIFY(statement->sql.ends_with(" WHERE \"id\" = $4"));
        QCOMPARE(params(*statement), (Values{"5", "a", "<null>", "5"}));
    }

    void fullIdentityMatchesEveryOldValueOnce()
    {
        RowChange change;
        change.kind = ChangeKind::Delete;
        change.oldTuple = Tuple{text("1"), null(), unchanged()};
        change.oldIsKey = false;
        const auto statement = deleteStatement(full(), change);
        QVERIFY(statement);
        QCOMPARE(statement->sql,
                 std::string("DELETE FROM \"s\"\"x\".\"T; DROP\" WHERE ctid = (SELECT ctid FROM"
                             " \"s\"\"x\".\"T; DROP\" WHERE \"id\" IS NOT DISTINCT FROM $1 AND"
                             " \"a\"\"b\" IS NOT DISTINCT FROM $2 LIMIT 1)"));
        QCOMPARE(params(*statement), (Values{"1", "<null>"}));
    }

    void updateOrInsertCastsWithTheRegionTypes()
    {
        RowChange change;
        change.kind = ChangeKind::Update;
        change.newTuple = {text("5"), text("a"), null()};
        const auto statement
                = updateOrInsertStatement(keyed(), change, {"integer", "text", "\"s\"\"x\".e"});
        QVERIFY(statement);
        QCOMPARE(statement->sql,
                 std::string("WITH u AS (UPDATE \"s\"\"x\".\"T; DROP\" SET \"id\" = $1,"
                             " \"a\"\"b\" = $2, \"c\" = $3 WHERE \"id\" = $4 RETURNING 1)"
                             " INSERT INTO \"s\"\"x\".\"T; DROP\" (\"id\", \"a\"\"b\", \"c\")"
                             " SELECT $5::integer, $6::text, $7::\"s\"\"x\".e"
                             " WHERE NOT EXISTS (SELECT 1 FROM u)"
                             " ON CONFLICT (\"id\") DO UPDATE SET \"a\"\"b\" = EXCLUDED.\"a\"\"b\","
                             " \"c\" = EXCLUDED.\"c\" RETURNING (xmax = 0)"));
        QCOMPARE(params(*statement), (Values{"5", "a", "<null>", "5", "5", "a", "<null>"}));
        // An image with TOAST placeholders cannot be inserted.
        change.newTuple = {text("5"), unchanged(), null()};
        QVERIFY(!updateOrInsertStatement(keyed(), change, {"integer", "text", "text"}));
    }

    /// An update by its unchanged key under source_wins is one INSERT … ON CONFLICT DO UPDATE
    /// (cheaper on the server than the CTE); never for a key change, a keyless table or TOAST
    /// placeholders (an insert of those would be wrong).
    void upsertOnlyForAWholeRowByItsUnchangedKey()
    {
        RowChange change;
        change.kind = ChangeKind::Update;
        change.newTuple = {text("5"), text("a"), null()};
        const auto statement = upsertStatement(keyed(), change);
        QVERIFY(statement);
        QCOMPARE(statement->sql,
                 std::string("INSERT INTO \"s\"\"x\".\"T; DROP\" (\"id\", \"a\"\"b\", \"c\")"
                             " VALUES ($1, $2, $3) ON CONFLICT (\"id\") DO UPDATE SET"
                             " \"a\"\"b\" = EXCLUDED.\"a\"\"b\", \"c\" = EXCLUDED.\"c\""
                             " RETURNING (xmax = 0)"));
        QCOMPARE(params(*statement), (Values{"5", "a", "<null>"}));
        QVERIFY(!upsertStatement(full(), change));
        change.newTuple = {text("5"), unchanged(), null()};
        QVERIFY(!upsertStatement(keyed(), change));
        change.newTuple = {text("5"), text("a"), null()};
        change.oldTuple = Tuple{text("4"), null(), null()};
        change.oldIsKey = true;
        QVERIFY(!upsertStatement(keyed(), change));
    }

    /// Which changes a set takes: keyed tables, no key change, no key hidden by TOAST; the
    /// sent columns are part of the shape.
    void setShapes()
    {
        RowChange change;
        change.kind = ChangeKind::Update;
        change.newTuple = {text("5"), text("a"), null()};
        auto shape = setShape(keyed(), change, ConflictPolicy::SourceWins);
        QVERIFY(shape);
        QVERIFY(shape->kind == SetKind::Upsert);
        QCOMPARE(shape->sent, std::string("vvv"));
        shape = setShape(keyed(), change, ConflictPolicy::Skip);
        QVERIFY(shape && shape->kind == SetKind::Update);
        change.newTuple = {text("5"), unchanged(), null()};
        shape = setShape(keyed(), change, ConflictPolicy::SourceWins);
        QVERIFY(shape && shape->kind == SetKind::Update);
        QCOMPARE(shape->sent, std::string("vuv"));
        QVERIFY(!setShape(full(), change, ConflictPolicy::SourceWins));
        change.newTuple = {unchanged(), text("a"), null()};
        QVERIFY(!setShape(keyed(), change, ConflictPolicy::Skip));
        change.newTuple = {text("5"), text("a"), null()};
        change.oldTuple = Tuple{text("4"), null(), null()};
        QVERIFY(!setShape(keyed(), change, ConflictPolicy::SourceWins)); // a key change
        change.kind = ChangeKind::Delete;
        shape = setShape(keyed(), change, ConflictPolicy::Stop);
        QVERIFY(shape && shape->kind == SetKind::Delete);
        QCOMPARE(setKey(keyed(), change), std::string("1:4"));
        change.oldIsKey = false;
        QVERIFY(!setShape(keyed(), change, ConflictPolicy::Stop));
    }

    /// Every value quoted with " and \ escaped, NULL unquoted (a text "NULL" stays text).
    void textArrayLiteralQuotesEveryValue()
    {
        const TupleValue a = text("a\"b\\c,{d} \t\xe2\x82\xac");
        const TupleValue n = null();
        const TupleValue word = text("NULL");
        const TupleValue empty = text("");
        QCOMPARE(textArrayLiteral({&a, &n, &word, &empty}),
                 std::string("{\"a\\\"b\\\\c,{d} \t\xe2\x82\xac\",NULL,\"NULL\",\"\"}"));
        QCOMPARE(textArrayLiteral({}), std::string("{}"));
        // escapes first, last and in a row
        const TupleValue edges = text("\"\\x\"\"y\\");
        QCOMPARE(textArrayLiteral({&edges, &empty}),
                 std::string("{\"\\\"\\\\x\\\"\\\"y\\\\\",\"\"}"));
    }

    void setStatementsBindArraysAndQuoteNames()
    {
        RowChange first;
        first.kind = ChangeKind::Update;
        first.newTuple = {text("5"), text("x'y"), unchanged()};
        RowChange second = first;
        second.newTuple = {text("6"), null(), unchanged()};
        const std::vector<std::string> types = {"integer", "text", "\"s\"\"x\".e"};
        const SetShape shape{SetKind::Update, "vvu"};
        const auto update
                = setStatement(keyed(), shape, {&first, &second}, types, ConflictPolicy::Skip);
        QVERIFY(update);
        QCOMPARE(update->statement.sql,
                 std::string("UPDATE \"s\"\"x\".\"T; DROP\" AS t SET \"id\" = v.c0::integer,"
                             " \"a\"\"b\" = v.c1::text FROM unnest($1::text[], $2::text[])"
                             " AS v(c0, c1) WHERE t.\"id\" = v.c0::integer"));
        QCOMPARE(params(update->statement), (Values{"{\"5\",\"6\"}", "{\"x'y\",NULL}"}));

        first.newTuple = {text("5"), text("a"), text("b")};
        second.newTuple = {text("6"), text("c"), null()};
        const auto insert = setStatement(keyed(), {SetKind::Insert, "vvv"}, {&first, &second},
                                         types, ConflictPolicy::Stop);
        QVERIFY(insert);
        QCOMPARE(insert->statement.sql,
                 std::string("INSERT INTO \"s\"\"x\".\"T; DROP\" (\"id\", \"a\"\"b\", \"c\")"
                             " SELECT v.c0::integer, v.c1::text, v.c2::\"s\"\"x\".e FROM"
                             " unnest($1::text[], $2::text[], $3::text[]) AS v(c0, c1, c2)"
                             " ON CONFLICT (\"id\") DO NOTHING RETURNING (xmax = 0)"));

        first.kind = second.kind = ChangeKind::Delete;
        first.oldTuple = Tuple{text("5"), null(), null()};
        second.oldTuple = Tuple{text("6"), null(), null()};
        const auto remove = setStatement(keyed(), {SetKind::Delete, ""}, {&first, &second}, types,
                                         ConflictPolicy::Skip);
        QVERIFY(remove);
        QCOMPARE(remove->statement.sql,
                 std::string("DELETE FROM \"s\"\"x\".\"T; DROP\" AS t USING"
                             " unnest($1::text[]) AS v(c0) WHERE t.\"id\" = v.c0::integer"));
        QCOMPARE(params(remove->statement), (Values{"{\"5\",\"6\"}"}));
    }

    void wrongWidthIsAnError()
    {
        QVERIFY(!insertStatement(keyed(), {text("1")}, ConflictPolicy::SourceWins));
        RowChange change;
        change.kind = ChangeKind::Delete;
        change.oldTuple = Tuple{text("1")};
        QVERIFY(!deleteStatement(keyed(), change));
    }

    void truncateNeverCascades()
    {
        const Relation a = keyed();
        Relation b = keyed();
        b.table = "b";
        QCOMPARE(truncateSql({&a, &b}, true),
                 std::string("TRUNCATE \"s\"\"x\".\"T; DROP\", \"s\"\"x\".\"b\" RESTART IDENTITY"));
        QCOMPARE(truncateSql({&a}, false), std::string("TRUNCATE \"s\"\"x\".\"T; DROP\""));
    }

    void conflictPolicySpelling()
    {
        for (const auto policy :
             {ConflictPolicy::SourceWins, ConflictPolicy::Skip, ConflictPolicy::Stop})
            QCOMPARE(parseConflictPolicy(conflictPolicyName(policy)), policy);
        QCOMPARE(conflictPolicyName(ConflictPolicy::SourceWins), std::string_view("source_wins"));
        QVERIFY(!parseConflictPolicy("Source_Wins"));
        QVERIFY(!parseConflictPolicy(""));
    }
};

QTEST_GUILESS_MAIN(TestApplyStatements)
#include "tst_applystatements.moc"
