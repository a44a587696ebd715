// The drift engine without a database: severity rules, type compatibility, quoting, the diff
// and reconcile script over hand-built snapshots, ignore rules and the output formats.

#include "core/drift/ddl.h"
#include "core/drift/diff.h"
#include "core/drift/driftformat.h"
#include "core/drift/severity.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <algorithm>

namespace drift = envsync::drift;
using drift::Aspect;
using drift::Change;
using drift::ObjectKind;
using drift::Severity;

Q_DECLARE_METATYPE(drift::ObjectKind)
Q_DECLARE_METATYPE(drift::Change)
Q_DECLARE_METATYPE(drift::Aspect)
Q_DECLARE_METATYPE(drift::Severity)

namespace {

drift::ColumnDef column(std::string name, std::string type, bool notNull = false,
                        std::string defaultExpr = {})
{
    drift::ColumnDef c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.typeRef = {"pg_catalog", c.type};
    c.notNull = notNull;
    c.defaultExpr = std::move(defaultExpr);
    return c;
}

drift::TableDef table(std::string name, std::vector<drift::ColumnDef> columns)
{
    drift::TableDef t;
    t.name = {"public", std::move(name)};
    t.columns = std::move(columns);
    return t;
}

drift::ConstraintDef constraint(std::string table, std::string name, drift::ConstraintType type,
                                std::string definition)
{
    drift::ConstraintDef c;
    c.table = {"public", std::move(table)};
    c.name = std::move(name);
    c.type = type;
    c.definition = std::move(definition);
    return c;
}

/// A small version of the demo shop, as the reference (source) has it.
drift::SchemaCatalog reference()
{
    drift::SchemaCatalog s;
    s.schemas = {{"public", "standard public schema"}};
    s.tables = {
            table("customers", {column("id", "bigint", true), column("email", "text", true),
                                column("birth_date", "date"),
                                column("country", "character(2)", true, "'US'::bpchar")}),
            table("orders", {column("id", "bigint", true), column("customer_id", "bigint", true),
                             column("status", "text", true)}),
            table("products",
                  {column("id", "integer", true), column("price", "numeric(10,2)", true)}),
            table("support_tickets",
                  {column("id", "bigint", true), column("customer_id", "bigint", true),
                   column("subject", "text", true)}),
    };
    s.tables[3].comment = "tickets";
    s.tables[3].columns[2].comment = "the subject";
    s.constraints = {
            constraint("customers", "customers_pkey", drift::ConstraintType::PrimaryKey,
                       "PRIMARY KEY (id)"),
            constraint("orders", "orders_pkey", drift::ConstraintType::PrimaryKey,
                       "PRIMARY KEY (id)"),
            constraint("products", "products_price_check", drift::ConstraintType::Check,
                       "CHECK ((price >= (0)::numeric))"),
            constraint("support_tickets", "support_tickets_pkey", drift::ConstraintType::PrimaryKey,
                       "PRIMARY KEY (id)"),
            constraint("support_tickets", "support_tickets_customer_id_fkey",
                       drift::ConstraintType::ForeignKey,
                       "FOREIGN KEY (customer_id) REFERENCES public.customers(id)"),
    };
    s.constraints[4].referencedTable = drift::QualifiedName{"public", "customers"};
    s.constraints[4].referencedIndex = drift::QualifiedName{"public", "customers_pkey"};
    s.indexes = {{{"public", "support_tickets"},
                  "support_tickets_subject_idx",
                  "CREATE INDEX support_tickets_subject_idx ON public.support_tickets USING btree "
                  "(subject)",
                  {}}};
    return s;
}

std::vector<std::string> lines(const std::vector<drift::Difference> &differences)
{
    std::vector<std::string> out;
    for (const auto &d : differences) {
        out.push_back(std::string(drift::severityName(d.severity)) + ' '
                      + std::string(drift::kindName(d.kind)) + ' '
                      + std::string(drift::changeName(d.change)) + ' ' + d.qualifiedName());
    }
    std::ranges::sort(out);
    return out;
}

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

QStringList sl(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

QStringList toQt(const std::vector<std::string> &items)
{
    QStringList out;
    for (const auto &item : items)
        out << QString::fromStdString(item);
    return out;
}

} // namespace

class TestDriftSeverity : public QObject
{
    Q_OBJECT
private slots:
    void severityRules_data()
    {
        QTest::addColumn<ObjectKind>("kind");
        QTest::addColumn<Change>("change");
        QTest::addColumn<Aspect>("aspect");
        QTest::addColumn<Severity>("expected");
        auto row = [](const char *name, ObjectKind k, Change c, Aspect a, Severity s) {
            QTest::newRow(name) << k << c << a << s;
        };
        // Breaking: the region lacks something the reference has, or cannot hold its data.
        row("missing table", ObjectKind::Table, Change::Added, Aspect::Presence,
            Severity::Breaking);
        row("missing column", ObjectKind::Column, Change::Added, Aspect::Presence,
            Severity::Breaking);
        row("incompatible type", ObjectKind::Column, Change::Changed, Aspect::TypeIncompatible,
            Severity::Breaking);
        row("new NOT NULL", ObjectKind::Column, Change::Changed, Aspect::NotNullAdded,
            Severity::Breaking);
        row("missing PK/unique/FK", ObjectKind::Constraint, Change::Added, Aspect::Key,
            Severity::Breaking);
        row("changed key", ObjectKind::Constraint, Change::Changed, Aspect::Key,
            Severity::Breaking);
        row("function signature", ObjectKind::Function, Change::Changed, Aspect::Signature,
            Severity::Breaking);
        row("procedure signature", ObjectKind::Procedure, Change::Changed, Aspect::Signature,
            Severity::Breaking);
        row("missing enum values", ObjectKind::Enum, Change::Changed, Aspect::EnumValuesMissing,
            Severity::Breaking);
        row("missing view", ObjectKind::View, Change::Added, Aspect::Presence, Severity::Breaking);
        row("missing function", ObjectKind::Function, Change::Added, Aspect::Presence,
            Severity::Breaking);
        row("missing extension", ObjectKind::Extension, Change::Added, Aspect::Presence,
            Severity::Breaking);
        // Warning
        row("extra table", ObjectKind::Table, Change::Removed, Aspect::Presence, Severity::Warning);
        row("extra column", ObjectKind::Column, Change::Removed, Aspect::Presence,
            Severity::Warning);
        row("compatible (widening) type", ObjectKind::Column, Change::Changed,
            Aspect::TypeCompatible, Severity::Warning);
        row("dropped NOT NULL", ObjectKind::Column, Change::Changed, Aspect::NotNullDropped,
            Severity::Warning);
        row("changed default", ObjectKind::Column, Change::Changed, Aspect::Default,
            Severity::Warning);
        row("missing collation", ObjectKind::Collation, Change::Added, Aspect::Presence,
            Severity::Breaking);
        row("missing index", ObjectKind::Index, Change::Added, Aspect::Presence, Severity::Warning);
        row("extra index", ObjectKind::Index, Change::Removed, Aspect::Presence, Severity::Warning);
        row("trigger added", ObjectKind::Trigger, Change::Added, Aspect::Presence,
            Severity::Warning);
        row("trigger removed", ObjectKind::Trigger, Change::Removed, Aspect::Presence,
            Severity::Warning);
        row("trigger changed", ObjectKind::Trigger, Change::Changed, Aspect::Definition,
            Severity::Warning);
        row("missing check", ObjectKind::Constraint, Change::Added, Aspect::Check,
            Severity::Warning);
        row("changed check", ObjectKind::Constraint, Change::Changed, Aspect::Check,
            Severity::Warning);
        row("extra PK", ObjectKind::Constraint, Change::Removed, Aspect::Key, Severity::Warning);
        row("function body", ObjectKind::Function, Change::Changed, Aspect::Definition,
            Severity::Warning);
        row("extra enum values", ObjectKind::Enum, Change::Changed, Aspect::EnumValuesOther,
            Severity::Warning);
        row("policy", ObjectKind::Policy, Change::Added, Aspect::Presence, Severity::Warning);
        row("extra collation", ObjectKind::Collation, Change::Removed, Aspect::Presence,
            Severity::Warning);
        row("changed collation", ObjectKind::Collation, Change::Changed, Aspect::Definition,
            Severity::Warning);
        row("rls", ObjectKind::Rls, Change::Changed, Aspect::Definition, Severity::Warning);
        // Info
        row("comment", ObjectKind::Comment, Change::Changed, Aspect::Comment, Severity::Info);
        row("comment added", ObjectKind::Comment, Change::Added, Aspect::Presence, Severity::Info);
        row("privileges", ObjectKind::Privilege, Change::Changed, Aspect::Privileges,
            Severity::Info);
    }

    void severityRules()
    {
        QFETCH(ObjectKind, kind);
        QFETCH(Change, change);
        QFETCH(Aspect, aspect);
        QFETCH(Severity, expected);
        QCOMPARE(drift::severityFor(kind, change, aspect), expected);
    }

    void ruleTableEndsWithCatchAll()
    {
        const auto rules = drift::severityRules();
        QVERIFY(!rules.empty());
        const auto &last = rules.back();
        QVERIFY(!last.kind && !last.change && !last.aspect);
        QCOMPARE(last.severity, Severity::Warning);
    }

    void typeCompatibility_data()
    {
        QTest::addColumn<QString>("wide");
        QTest::addColumn<QString>("narrow");
        QTest::addColumn<bool>("holds");
        auto row = [](const char *w, const char *n, bool h) {
            QTest::addRow("%s ⊇ %s", w, n) << QString::fromUtf8(w) << QString::fromUtf8(n) << h;
        };
        row("numeric(12,2)", "numeric(10,2)", true);
        row("numeric(10,2)", "numeric(12,2)", false);
        row("numeric(12,4)", "numeric(10,2)", true);
        row("numeric(12,2)", "numeric(12,4)", false);
        row("numeric", "numeric(10,2)", true);
        row("numeric(10,2)", "numeric", false);
        row("bigint", "integer", true);
        row("integer", "bigint", false);
        row("numeric(20,0)", "bigint", true);
        row("numeric(10,2)", "bigint", false);
        row("double precision", "real", true);
        row("real", "double precision", false);
        row("text", "character varying(20)", true);
        row("character varying(20)", "text", false);
        row("character varying(40)", "character varying(10)", true);
        row("character varying(10)", "character varying(40)", false);
        row("character varying", "text", true);
        row("timestamp with time zone", "timestamp(3) with time zone", true);
        row("timestamp(3) with time zone", "timestamp with time zone", false);
        row("integer[]", "smallint[]", true);
        row("integer[]", "integer", false);
        row("text", "integer", false);
        row("public.order_status", "public.order_status", true);
    }

    void typeCompatibility()
    {
        QFETCH(QString, wide);
        QFETCH(QString, narrow);
        QFETCH(bool, holds);
        QCOMPARE(drift::typeHoldsAll(wide.toStdString(), narrow.toStdString()), holds);
    }

    void quoting_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("identifier");
        QTest::addColumn<QString>("literal");
        QTest::newRow("plain") << s("orders") << s("\"orders\"") << s("'orders'");
        QTest::newRow("mixed case") << s("Orders") << s("\"Orders\"") << s("'Orders'");
        QTest::newRow("hostile") << QString::fromUtf8("Cust \"VIP\" ü")
                                 << QString::fromUtf8("\"Cust \"\"VIP\"\" ü\"")
                                 << QString::fromUtf8("'Cust \"VIP\" ü'");
        QTest::newRow("quote") << s("it's") << s("\"it's\"") << s("'it''s'");
        QTest::newRow("empty") << s("") << s("\"\"") << s("''");
        QTest::newRow("injection") << s("x\"; DROP TABLE t; --") << s("\"x\"\"; DROP TABLE t; --\"")
                                   << s("'x\"; DROP TABLE t; --'");
    }

    void quoting()
    {
        QFETCH(QString, raw);
        QFETCH(QString, identifier);
        QFETCH(QString, literal);
        QCOMPARE(QString::fromStdString(envsync::db::quoteIdentifier(raw.toStdString())),
                 identifier);
        QCOMPARE(QString::fromStdString(envsync::db::quoteLiteral(raw.toStdString())), literal);
        QCOMPARE(QString::fromStdString(drift::quoteQualified({"s\"", raw.toStdString()})),
                 QStringLiteral("\"s\"\"\".") + identifier);
    }

    void identicalSnapshotsHaveNoDifferences()
    {
        QVERIFY(drift::diff(reference(), reference()).empty());
        QVERIFY(drift::reconcileSql(reference(), reference()).empty());
    }

    /// The demo's injected drift, region (FROM) against reference (TO).
    void demoDrift_data()
    {
        QTest::addColumn<QString>("region");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("eu") << s("eu")
                            << sl({"warning column changed public.customers.country",
                                   "warning index removed public.orders.orders_status_idx"});
        QTest::newRow("us") << s("us")
                            << sl({"breaking column added public.customers.birth_date",
                                   "warning column changed public.products.price"});
        QTest::newRow("apac") << s("apac")
                              << sl({"breaking table added public.support_tickets",
                                     "warning trigger removed public.orders.orders_audit"});
    }

    void demoDrift()
    {
        QFETCH(QString, region);
        QFETCH(QStringList, expected);
        drift::SchemaCatalog regional = reference();
        if (region == QStringLiteral("eu")) {
            regional.indexes.push_back(
                    {{"public", "orders"},
                     "orders_status_idx",
                     "CREATE INDEX orders_status_idx ON public.orders USING btree (status)",
                     {}});
            regional.tables[0].columns[3].defaultExpr = "'DE'::bpchar";
        } else if (region == QStringLiteral("us")) {
            auto &columns = regional.tables[0].columns;
            columns.erase(columns.begin() + 2);
            regional.tables[2].columns[1].type = "numeric(12,2)";
        } else {
            std::erase_if(regional.tables,
                          [](const auto &t) { return t.name.name == "support_tickets"; });
            std::erase_if(regional.constraints,
                          [](const auto &c) { return c.table.name == "support_tickets"; });
            regional.indexes.clear();
            regional.triggers.push_back(
                    {{"public", "orders"},
                     "orders_audit",
                     "CREATE TRIGGER orders_audit AFTER UPDATE ON public.orders "
                     "FOR EACH ROW EXECUTE FUNCTION public.audit_row_change()",
                     "public\x1f"
                     "audit_row_change\x1f",
                     {}});
        }
        const auto differences = drift::diff(regional, reference());
        QCOMPARE(toQt(lines(differences)), expected);
    }

    void missingTableFoldsItsChildren()
    {
        drift::SchemaCatalog regional = reference();
        std::erase_if(regional.tables,
                      [](const auto &t) { return t.name.name == "support_tickets"; });
        std::erase_if(regional.constraints,
                      [](const auto &c) { return c.table.name == "support_tickets"; });
        regional.indexes.clear();
        const auto differences = drift::diff(regional, reference());
        QCOMPARE(differences.size(), std::size_t(1));
        const auto &d = differences.front();
        QCOMPARE(d.kind, ObjectKind::Table);
        QCOMPARE(d.severity, Severity::Breaking);
        const std::string ddl = d.ddl();
        for (const char *part :
             {"CREATE TABLE \"public\".\"support_tickets\" (\n    \"id\" bigint NOT NULL,",
              "ADD CONSTRAINT \"support_tickets_pkey\" PRIMARY KEY (id);",
              "ADD CONSTRAINT \"support_tickets_customer_id_fkey\" FOREIGN KEY",
              "CREATE INDEX support_tickets_subject_idx",
              "COMMENT ON TABLE \"public\".\"support_tickets\" IS 'tickets';",
              "COMMENT ON COLUMN \"public\".\"support_tickets\".\"subject\" IS 'the subject';"})
            QVERIFY2(ddl.find(part) != std::string::npos, part);

        // In the script the PK comes before the FK, and both after the table.
        const std::string script = drift::reconcileSql(regional, reference());
        const auto table = script.find("CREATE TABLE");
        const auto pk = script.find("PRIMARY KEY (id)");
        const auto fk = script.find("FOREIGN KEY");
        QVERIFY(table < pk && pk < fk && fk != std::string::npos);

        // The other way round: one extra table, dropped only when unsafe statements are allowed.
        const auto extra = drift::diff(reference(), regional);
        QCOMPARE(toQt(lines(extra)),
                 QStringList{QStringLiteral("warning table removed public.support_tickets")});
        QVERIFY(extra.front().unsafe());
        const std::string safe = drift::reconcileSql(reference(), regional, {false, {}});
        QVERIFY(safe.find("-- unsafe: drops table public.support_tickets") != std::string::npos);
        QVERIFY(safe.find("\n-- DROP TABLE IF EXISTS \"public\".\"support_tickets\";")
                != std::string::npos);
        QVERIFY(safe.find("\nDROP TABLE") == std::string::npos);
        const std::string unsafe = drift::reconcileSql(reference(), regional, {true, {}});
        QVERIFY(unsafe.find("\nDROP TABLE IF EXISTS \"public\".\"support_tickets\";")
                != std::string::npos);
    }

    void columnChangeDetailsAndDdl()
    {
        drift::SchemaCatalog regional = reference();
        regional.tables[2].columns[1].type = "numeric(12,2)"; // products.price, wider in region
        regional.tables[1].columns[2].notNull = false;        // orders.status nullable in region
        const auto differences = drift::diff(regional, reference());
        QCOMPARE(toQt(lines(differences)), sl({"breaking column changed public.orders.status",
                                               "warning column changed public.products.price"}));
        const auto price = std::ranges::find(differences, std::string("products.price"),
                                             &drift::Difference::name);
        QCOMPARE(price->detailText(), std::string("type: numeric(12,2) → numeric(10,2)"));
        QVERIFY(price->unsafe()); // narrowing the region's column may fail or lose data
        QVERIFY(price->ddl().find("ALTER TABLE \"public\".\"products\" ALTER COLUMN \"price\" "
                                  "TYPE numeric(10,2) USING \"price\"::numeric(10,2);")
                != std::string::npos);
        const auto status = std::ranges::find(differences, std::string("orders.status"),
                                              &drift::Difference::name);
        QCOMPARE(status->detailText(), std::string("nullable: NULL → NOT NULL"));
        QCOMPARE(status->ddl(), std::string("ALTER TABLE \"public\".\"orders\" ALTER COLUMN "
                                            "\"status\" SET NOT NULL;"));
    }

    void enumValuesKeepTheirOrder()
    {
        drift::SchemaCatalog from;
        from.enums = {{{"public", "status"}, {"new", "paid", "delivered"}, {}}};
        drift::SchemaCatalog to;
        to.enums = {{{"public", "status"},
                     {"draft", "new", "paid", "shipped", "delivered", "x'y"},
                     {}}};
        const auto differences = drift::diff(from, to);
        QCOMPARE(differences.size(), std::size_t(1));
        QCOMPARE(differences[0].severity, Severity::Breaking);
        QVERIFY(!differences[0].unsafe());
        QCOMPARE(differences[0].ddl(),
                 std::string("ALTER TYPE \"public\".\"status\" ADD VALUE 'draft' BEFORE 'new';\n"
                             "ALTER TYPE \"public\".\"status\" ADD VALUE 'shipped' AFTER 'paid';\n"
                             "ALTER TYPE \"public\".\"status\" ADD VALUE 'x''y' AFTER "
                             "'delivered';"));
        // Removing a value needs a recreation: unsafe.
        const auto back = drift::diff(to, from);
        QCOMPARE(back.size(), std::size_t(1));
        QCOMPARE(back[0].severity, Severity::Warning);
        QVERIFY(back[0].unsafe());
    }

    void hostileNamesAreQuotedEverywhere()
    {
        drift::SchemaCatalog from;
        drift::SchemaCatalog to;
        drift::TableDef t = table("Order \"Lines\"", {column("Qty \"n\"", "integer", true, "1")});
        t.name.schema = "Cust \"VIP\" ü";
        t.comment = "it's";
        to.tables = {t};
        to.schemas = {{"Cust \"VIP\" ü", {}}};
        const std::string script = drift::reconcileSql(from, to);
        QVERIFY(script.find("CREATE SCHEMA \"Cust \"\"VIP\"\" ü\";") != std::string::npos);
        QVERIFY(script.find("CREATE TABLE \"Cust \"\"VIP\"\" ü\".\"Order \"\"Lines\"\"\" (\n"
                            "    \"Qty \"\"n\"\"\" integer DEFAULT 1 NOT NULL\n);")
                != std::string::npos);
        QVERIFY(script.find("IS 'it''s';") != std::string::npos);
        // Schemas come before the tables in them.
        QVERIFY(script.find("CREATE SCHEMA") < script.find("CREATE TABLE"));
    }

    void expressionNormalisation_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("same");
        // What PostgreSQL 15 prints for `status IN ('a', 'b')` on a varchar column, and what it
        // prints after that text is run again.
        const QString first = s("CHECK (((status)::text = ANY ((ARRAY['a'::character varying, "
                                "'b'::character varying])::text[])))");
        const QString second = s("CHECK (((status)::text = ANY (ARRAY[('a'::character "
                                 "varying)::text, ('b'::character varying)::text])))");
        QTest::newRow("IN list on varchar") << first << second << true;
        QTest::newRow("identical") << first << first << true;
        QTest::newRow("other values")
                << first
                << s("CHECK (((status)::text = ANY (ARRAY[('a'::character varying)::text, "
                     "('c'::character varying)::text])))")
                << false;
        QTest::newRow("NOT IN, typmod, nested parentheses")
                << s("((s)::text <> ALL ((ARRAY[('x,)'::character varying)::text, lower('Y'::"
                     "text)])::character varying(5)[]))")
                << s("((s)::text <> ALL (ARRAY[(('x,)'::character varying)::text)::character "
                     "varying(5), (lower('Y'::text))::character varying(5)]))")
                << true;
        QTest::newRow("inside a literal: untouched")
                << s("(note = '(ARRAY[1])::int[]'::text)") << s("(note = 'ARRAY[(1)::int]'::text)")
                << false;
        QTest::newRow("quoted type")
                << s("(k = ANY ((ARRAY['a'::text])::public.\"Kind []\"[]))")
                << s("(k = ANY (ARRAY[('a'::text)::public.\"Kind []\"]))") << true;
    }

    void expressionNormalisation()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, same);
        QCOMPARE(drift::sameExpression(a.toStdString(), b.toStdString()), same);
        // Normalising is idempotent.
        const std::string once = drift::normalizeExpression(a.toStdString());
        QCOMPARE(drift::normalizeExpression(once), once);
    }

    /// Types, functions and tables are created in the order of their dependencies in TO and
    /// dropped in the reverse order of FROM's, whatever their kind: a domain whose CHECK calls
    /// a function after the function, a function taking a table's row type after the table.
    void createsAndDropsFollowDependencies()
    {
        drift::SchemaCatalog empty;
        drift::SchemaCatalog full;
        drift::FunctionDef check;
        check.name = {"public", "is_code"};
        check.identityArguments = "v text";
        check.definition = "CREATE OR REPLACE FUNCTION public.is_code(v text) …";
        drift::FunctionDef byRow;
        byRow.name = {"public", "label_of"};
        byRow.identityArguments = "p public.parcels";
        byRow.definition = "CREATE OR REPLACE FUNCTION public.label_of(p public.parcels) …";
        full.functions = {check, byRow};
        drift::DomainDef code;
        code.name = {"public", "code"};
        code.baseType = "text";
        code.constraints = {{"code_check", "CHECK (public.is_code(VALUE))"}};
        full.domains = {code};
        drift::ColumnDef c = column("code", "public.code");
        c.typeRef = code.name;
        full.tables = {table("parcels", {c})};
        const std::string domainKey = drift::objectKey("type", code.name);
        const std::string tableKey = drift::objectKey("table", {"public", "parcels"});
        full.dependencies
                = {{domainKey, drift::objectKey("function", check.name, check.identityArguments)},
                   {tableKey, domainKey},
                   {drift::objectKey("function", byRow.name, byRow.identityArguments), tableKey}};
        std::ranges::sort(full.dependencies);

        const std::string create = drift::reconcileSql(empty, full, {true, {}});
        const auto at = [](const std::string &script, const char *what) {
            const auto position = script.find(what);
            if (position == std::string::npos)
                qWarning("not in the script: %s", what);
            return position;
        };
        QVERIFY(at(create, "FUNCTION public.is_code") < at(create, "CREATE DOMAIN"));
        QVERIFY(at(create, "CREATE DOMAIN") < at(create, "CREATE TABLE"));
        QVERIFY(at(create, "CREATE TABLE") < at(create, "FUNCTION public.label_of"));
        QVERIFY(at(create, "FUNCTION public.label_of") != std::string::npos);

        const std::string drop = drift::reconcileSql(full, empty, {true, {}});
        QVERIFY(at(drop, "DROP FUNCTION IF EXISTS \"public\".\"label_of\"")
                < at(drop, "DROP TABLE"));
        QVERIFY(at(drop, "DROP TABLE") < at(drop, "DROP DOMAIN"));
        QVERIFY(at(drop, "DROP DOMAIN")
                < at(drop, "DROP FUNCTION IF EXISTS \"public\".\"is_code\""));
        QVERIFY(at(drop, "DROP FUNCTION IF EXISTS \"public\".\"is_code\"") != std::string::npos);
    }

    void ignoreRules()
    {
        drift::SchemaCatalog regional = reference();
        regional.tables[0].columns[3].defaultExpr = "'DE'::bpchar";
        regional.tables[0].comment = "changed";
        regional.indexes.push_back(
                {{"public", "orders"}, "tmp_idx", "CREATE INDEX tmp_idx ...", {}});
        QCOMPARE(drift::diff(regional, reference()).size(), std::size_t(3));

        drift::IgnoreRules kinds;
        kinds.kinds = {"comment"};
        QCOMPARE(toQt(lines(drift::diff(regional, reference(), kinds))),
                 sl({"warning column changed public.customers.country",
                     "warning index removed public.orders.tmp_idx"}));
        drift::IgnoreRules names;
        names.names = {"public.orders.tmp_*", "public.customers.*"};
        QCOMPARE(toQt(lines(drift::diff(regional, reference(), names))),
                 sl({"info comment removed public.customers"}));
        drift::IgnoreRules schemas;
        schemas.schemas = {"public"};
        QVERIFY(drift::diff(regional, reference(), schemas).empty());
        // Ignored differences stay out of the script too.
        QVERIFY(drift::reconcileSql(regional, reference(), {true, schemas}).empty());
    }

    void jsonFormat()
    {
        drift::SchemaCatalog regional = reference();
        regional.tables[2].columns[1].type = "numeric(12,2)";
        const auto differences = drift::diff(regional, reference());
        const auto document = QJsonDocument::fromJson(
                QByteArray::fromStdString(drift::toJson(differences, "us")));
        QVERIFY(document.isArray());
        QCOMPARE(document.array().size(), 1);
        const QJsonObject record = document.array().at(0).toObject();
        QCOMPARE(record.value(QStringLiteral("region")).toString(), QStringLiteral("us"));
        QCOMPARE(record.value(QStringLiteral("object_kind")).toString(), QStringLiteral("column"));
        QCOMPARE(record.value(QStringLiteral("schema")).toString(), QStringLiteral("public"));
        QCOMPARE(record.value(QStringLiteral("name")).toString(), QStringLiteral("products.price"));
        QCOMPARE(record.value(QStringLiteral("change")).toString(), QStringLiteral("changed"));
        QCOMPARE(record.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
        QCOMPARE(record.value(QStringLiteral("details")).toString(),
                 QString::fromUtf8("type: numeric(12,2) → numeric(10,2)"));
        QVERIFY(record.value(QStringLiteral("ddl"))
                        .toString()
                        .contains(QStringLiteral("ALTER COLUMN \"price\" TYPE numeric(10,2)")));
        QCOMPARE(record.value(QStringLiteral("unsafe")).toBool(), true);

        const auto empty
                = QJsonDocument::fromJson(QByteArray::fromStdString(drift::toJson({}, "eu")));
        QVERIFY(empty.isArray() && empty.array().isEmpty());
    }

    void tableAndSqlFormat()
    {
        drift::SchemaCatalog regional = reference();
        regional.tables[2].columns[1].type = "numeric(12,2)";
        const std::vector<drift::RegionDrift> drifts
                = {{"us", drift::diff(regional, reference())}, {"eu", {}}};
        const std::string table = drift::toTable(drifts);
        QVERIFY(table.starts_with("REGION  SEVERITY  KIND    CHANGE   OBJECT"));
        QVERIFY(table.find("us      warning   column  changed  public.products.price  type: "
                           "numeric(12,2) → numeric(10,2)")
                != std::string::npos);
        QCOMPARE(drift::toTable({}, "eu"), std::string("no drift\n"));
        const std::string sql = drift::toSql(drifts, false);
        QVERIFY(sql.find("-- region us\n") != std::string::npos);
        QVERIFY(sql.find("-- region eu\n-- no drift\n") != std::string::npos);
        const auto counts = drift::countBySeverity(drifts.front().differences);
        QCOMPARE(counts.warning, 1);
        QCOMPARE(counts.breaking, 0);
    }

    void kindNamesRoundTrip()
    {
        for (const auto kind : drift::allKinds())
            QCOMPARE(drift::kindFromName(drift::kindName(kind)), std::optional(kind));
        QCOMPARE(drift::kindName(ObjectKind::MaterializedView),
                 std::string_view("materialized_view"));
        QVERIFY(!drift::kindFromName("nonsense"));
    }
};

QTEST_GUILESS_MAIN(TestDriftSeverity)
#include "tst_drift_severity.moc"
