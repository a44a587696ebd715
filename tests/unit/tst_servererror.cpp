#include "core/db/servererror.h"
#include "core/error.h"

#include <QTest>

namespace db = envsync::db;

/// What of a server error may be shown: the primary line, SQLSTATE and object, never row values.
class TestServerError : public QObject
{
    Q_OBJECT
private slots:
    void describesOnlyThePrimaryMessage_data()
    {
        QTest::addColumn<QString>("fullText");
        QTest::addColumn<QString>("sqlstate");
        QTest::addColumn<QString>("expected");
        QTest::newRow("check with failing row")
                << "ERROR:  new row for relation \"customers\" violates check constraint \"ck\"\n"
                   "DETAIL:  Failing row contains (1, alice@example.com).\n"
                << "23514"
                << "new row for relation \"customers\" violates check constraint \"ck\" "
                   "(SQLSTATE 23514)";
        QTest::newRow("unique with key")
                << "ERROR:  duplicate key value violates unique constraint \"u\"\n"
                   "DETAIL:  Key (email)=(bob@example.com) already exists.\n"
                << "23505"
                << "duplicate key value violates unique constraint \"u\" (SQLSTATE 23505)";
        QTest::newRow("copy context")
                << "ERROR:  value too long for type character varying(3)\n"
                   "CONTEXT:  COPY t, line 1, column name: \"Carol Secret\"\n"
                << "22001"
                << "value too long for type character varying(3) (SQLSTATE 22001)";
        QTest::newRow("input value withheld")
                << "ERROR:  invalid input syntax for type integer: \"555-12-3456\"\n"
                << "22P02"
                << "invalid input syntax for type integer: \"…\" (SQLSTATE 22P02)";
        QTest::newRow("object names kept outside class 22")
                << "ERROR:  relation \"public.Weird \"\"x\"\"\" does not exist\n"
                << "42P01"
                << "relation \"public.Weird \"\"x\"\"\" does not exist (SQLSTATE 42P01)";
        QTest::newRow("no sqlstate") << "ERROR:  boom\nHINT:  something\n"
                                     << ""
                                     << "boom";
    }

    void describesOnlyThePrimaryMessage()
    {
        QFETCH(QString, fullText);
        QFETCH(QString, sqlstate);
        QFETCH(QString, expected);
        const auto facts = db::factsFromText(fullText.toStdString(), sqlstate.toStdString());
        QCOMPARE(QString::fromStdString(db::describeServerError(facts)), expected);
    }

    void namesTheObject()
    {
        db::ServerErrorFacts facts;
        facts.sqlstate = "23502";
        facts.primary
                = "null value in column \"email\" of relation \"customers\" violates not-null "
                  "constraint";
        facts.schema = "public";
        facts.table = "customers";
        facts.column = "email";
        QCOMPARE(db::describeServerError(facts),
                 std::string("null value in column \"email\" of relation \"customers\" violates "
                             "not-null constraint (SQLSTATE 23502; table public.customers, "
                             "column email)"));
    }

    void libpqMessages_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("server error") << "ERROR:  duplicate key\nDETAIL:  Key (id)=(7) exists.\n"
                                      << "duplicate key";
        QTest::newRow("connection failure")
                << "connection to server on socket \"/tmp/x/.s.PGSQL.1\" failed: No such file\n"
                   "\tIs the server running locally?\n"
                << "connection to server on socket \"/tmp/x/.s.PGSQL.1\" failed: No such file; "
                   "Is the server running locally?";
    }

    void libpqMessages()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(db::safeLibpqMessage(text.toStdString())), expected);
    }

    void errorsDescribeAsOneLine()
    {
        const envsync::Error error{envsync::ErrorCode::Io, "first line\n  second line\n\n",
                                   "region eu"};
        QCOMPARE(error.describe(), std::string("region eu: first line; second line"));
    }
};

QTEST_GUILESS_MAIN(TestServerError)
#include "tst_servererror.moc"
