// definitionOf(): the object definitions shown side by side in the drift view, over hand-built
// snapshots (no database). Every kind, both sides of a diff, absent objects, hostile names.

#include "core/drift/definition.h"
#include "core/drift/diff.h"

#include <QTest>

#include <algorithm>

namespace drift = envsync::drift;
using drift::Change;
using drift::ObjectKind;

Q_DECLARE_METATYPE(drift::ObjectKind)

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

/// The demo shop's reference schema, reduced, with one object of every kind.
drift::SchemaCatalog reference()
{
    drift::SchemaCatalog s;
    s.schemas = {{"public", "standard public schema"}};
    s.extensions = {{"pgcrypto", "1.3", "public", {}}};
    s.tables = {
            table("customers", {column("id", "bigint", true), column("birth_date", "date"),
                                column("country", "character(2)", true, "'US'::bpchar")}),
            table("orders", {column("id", "bigint", true), column("status", "text", true)}),
            table("support_tickets",
                  {column("id", "bigint", true), column("subject", "text", true)}),
    };
    s.tables[0].columns[1].comment = "shifted by masking";
    s.tables[2].comment = "tickets";
    s.tables[2].rowSecurity = true;
    s.constraints = {
            {{"public", "customers"},
             "customers_pkey",
             drift::ConstraintType::PrimaryKey,
             "PRIMARY KEY (id)",
             {},
             {},
             {}, {}, {}},
            {{"public", "orders"},
             "orders_pkey",
             drift::ConstraintType::PrimaryKey,
             "PRIMARY KEY (id)",
             {},
             {},
             {}, {}, {}},
    };
    s.indexes = {{{"public", "support_tickets"},
                  "support_tickets_subject_idx",
                  "CREATE INDEX support_tickets_subject_idx ON public.support_tickets USING btree "
                  "(subject)",
                  {},
                  true}};
    s.sequences = {{{"public", "invoice_no"},
                    "bigint",
                    1,
                    1,
                    1,
                    9223372036854775807,
                    1,
                    false,
                    std::nullopt,
                    {}}};
    drift::ViewDef view;
    view.name = {"public", "open_orders"};
    view.definition = " SELECT orders.id\n   FROM orders\n  WHERE (orders.status = 'open'::text)";
    s.views = {view};
    drift::FunctionDef function;
    function.name = {"public", "audit_row_change"};
    function.identityArguments = "";
    function.result = "trigger";
    function.definition = "CREATE OR REPLACE FUNCTION public.audit_row_change()\n RETURNS trigger\n"
                          " LANGUAGE plpgsql\nAS $function$BEGIN RETURN NEW; END$function$\n";
    s.functions = {function};
    s.triggers = {{{"public", "orders"},
                   "orders_audit",
                   "CREATE TRIGGER orders_audit AFTER UPDATE ON public.orders FOR EACH ROW "
                   "EXECUTE FUNCTION audit_row_change()",
                   "public\x1f"
                   "audit_row_change\x1f",
                   {}}};
    s.enums = {{{"public", "order_status"}, {"open", "paid", "shipped"}, {}}};
    s.domains = {{{"public", "positive_money"},
                  "numeric(10,2)",
                  false,
                  {},
                  {},
                  {{"positive_money_check", "CHECK (VALUE > (0)::numeric)"}},
                  {}}};
    s.compositeTypes = {{{"public", "address"}, {{"street", "text"}, {"city", "text"}}, {}}};
    drift::PolicyDef policy;
    policy.table = {"public", "support_tickets"};
    policy.name = "own_tickets";
    policy.usingExpr = "(id > 0)";
    s.policies = {policy};
    drift::CollationDef collation;
    collation.name = {"public", "Case \"Insensitive\""};
    collation.provider = "icu";
    collation.locale = "und-u-ks-level2";
    collation.deterministic = false;
    collation.comment = "it's";
    s.collations = {collation};
    return s;
}

drift::Difference difference(ObjectKind kind, std::string name, std::string table = {},
                             std::string schema = "public")
{
    drift::Difference d;
    d.kind = kind;
    d.schema = std::move(schema);
    d.name = std::move(name);
    d.table = std::move(table);
    return d;
}

} // namespace

class TestDriftDefinition : public QObject
{
    Q_OBJECT
private slots:
    void everyKind_data()
    {
        QTest::addColumn<ObjectKind>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *tag, ObjectKind kind, const char *name, const char *table,
                      const char *expected) {
            QTest::newRow(tag) << kind << QString::fromUtf8(name) << QString::fromUtf8(table)
                               << QString::fromUtf8(expected);
        };
        row("schema", ObjectKind::Schema, "public", "",
            "CREATE SCHEMA \"public\";\n\n"
            "COMMENT ON SCHEMA \"public\" IS 'standard public schema';");
        row("extension", ObjectKind::Extension, "pgcrypto", "",
            "CREATE EXTENSION IF NOT EXISTS \"pgcrypto\" WITH SCHEMA \"public\" VERSION '1.3';");
        row("table", ObjectKind::Table, "customers", "",
            "CREATE TABLE \"public\".\"customers\" (\n"
            "    \"id\" bigint NOT NULL,\n"
            "    \"birth_date\" date,\n"
            "    \"country\" character(2) DEFAULT 'US'::bpchar NOT NULL,\n"
            "    CONSTRAINT \"customers_pkey\" PRIMARY KEY (id)\n"
            ");\n\n"
            "COMMENT ON COLUMN \"public\".\"customers\".\"birth_date\" IS 'shifted by masking';");
        row("column", ObjectKind::Column, "customers.country", "customers",
            "\"country\" character(2) DEFAULT 'US'::bpchar NOT NULL");
        row("column with comment", ObjectKind::Column, "customers.birth_date", "customers",
            "\"birth_date\" date\n\n"
            "COMMENT ON COLUMN \"public\".\"customers\".\"birth_date\" IS 'shifted by masking';");
        row("constraint", ObjectKind::Constraint, "orders.orders_pkey", "orders",
            "ALTER TABLE \"public\".\"orders\" ADD CONSTRAINT \"orders_pkey\" PRIMARY KEY (id);");
        row("index", ObjectKind::Index, "support_tickets.support_tickets_subject_idx",
            "support_tickets",
            "CREATE INDEX support_tickets_subject_idx ON public.support_tickets USING btree "
            "(subject);");
        row("sequence", ObjectKind::Sequence, "invoice_no", "",
            "CREATE SEQUENCE \"public\".\"invoice_no\" AS bigint INCREMENT BY 1 MINVALUE 1 "
            "MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE;");
        row("view", ObjectKind::View, "open_orders", "",
            "CREATE VIEW \"public\".\"open_orders\" AS\n SELECT orders.id\n   FROM orders\n"
            "  WHERE (orders.status = 'open'::text);");
        row("function", ObjectKind::Function, "audit_row_change()", "",
            "CREATE OR REPLACE FUNCTION public.audit_row_change()\n RETURNS trigger\n"
            " LANGUAGE plpgsql\nAS $function$BEGIN RETURN NEW; END$function$\n;");
        row("trigger", ObjectKind::Trigger, "orders.orders_audit", "orders",
            "CREATE TRIGGER orders_audit AFTER UPDATE ON public.orders FOR EACH ROW EXECUTE "
            "FUNCTION audit_row_change();");
        row("enum", ObjectKind::Enum, "order_status", "",
            "CREATE TYPE \"public\".\"order_status\" AS ENUM ('open', 'paid', 'shipped');");
        row("domain", ObjectKind::Domain, "positive_money", "",
            "CREATE DOMAIN \"public\".\"positive_money\" AS numeric(10,2)\n"
            "    CONSTRAINT \"positive_money_check\" CHECK (VALUE > (0)::numeric);");
        row("composite type", ObjectKind::Type, "address", "",
            "CREATE TYPE \"public\".\"address\" AS (\n    \"street\" text,\n    \"city\" text\n);");
        row("policy", ObjectKind::Policy, "support_tickets.own_tickets", "support_tickets",
            "CREATE POLICY \"own_tickets\" ON \"public\".\"support_tickets\" AS PERMISSIVE FOR "
            "ALL TO PUBLIC USING ((id > 0));");
        row("rls", ObjectKind::Rls, "support_tickets", "support_tickets",
            "ALTER TABLE \"public\".\"support_tickets\" ENABLE ROW LEVEL SECURITY;\n"
            "ALTER TABLE \"public\".\"support_tickets\" NO FORCE ROW LEVEL SECURITY;");
        row("table comment", ObjectKind::Comment, "support_tickets", "support_tickets",
            "COMMENT ON TABLE \"public\".\"support_tickets\" IS 'tickets';");
        row("column comment", ObjectKind::Comment, "customers.birth_date", "customers",
            "COMMENT ON COLUMN \"public\".\"customers\".\"birth_date\" IS 'shifted by masking';");
        row("schema comment", ObjectKind::Comment, "public", "",
            "COMMENT ON SCHEMA \"public\" IS 'standard public schema';");
        row("collation comment", ObjectKind::Comment, "Case \"Insensitive\"", "",
            "COMMENT ON COLLATION \"public\".\"Case \"\"Insensitive\"\"\" IS 'it''s';");
        row("comment that is not set", ObjectKind::Comment, "customers.country", "customers", "");
        row("privilege", ObjectKind::Privilege, "customers", "", "");
        row("collation", ObjectKind::Collation, "Case \"Insensitive\"", "",
            "CREATE COLLATION \"public\".\"Case \"\"Insensitive\"\"\" (provider = icu, "
            "locale = 'und-u-ks-level2', deterministic = false);\n\n"
            "COMMENT ON COLLATION \"public\".\"Case \"\"Insensitive\"\"\" IS 'it''s';");
    }

    /// An identity column shows its sequence's name and parameters: other objects may name it.
    void identityColumnShowsItsSequence()
    {
        drift::SchemaCatalog s;
        drift::ColumnDef id = column("id", "bigint", true);
        id.identity = drift::Identity::ByDefault;
        id.identitySequence = drift::IdentitySequenceDef{{"public", "Ticket Nos"}, 1000, 10,   1,
                                                         9223372036854775807,      1,    false};
        s.tables = {table("tickets", {id})};
        QCOMPARE(drift::definitionOf(s, difference(ObjectKind::Column, "tickets.id", "tickets")),
                 std::string("\"id\" bigint GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME "
                             "\"public\".\"Ticket Nos\" START WITH 1000 INCREMENT BY 10 MINVALUE 1 "
                             "MAXVALUE 9223372036854775807 CACHE 1 NO CYCLE) NOT NULL"));
    }

    void everyKind()
    {
        QFETCH(ObjectKind, kind);
        QFETCH(QString, name);
        QFETCH(QString, table);
        QFETCH(QString, expected);
        const drift::Difference d = difference(kind, name.toStdString(), table.toStdString());
        QCOMPARE(QString::fromStdString(drift::definitionOf(reference(), d)), expected);
    }

    void tableListsIndexesTriggersPoliciesAndRls()
    {
        const std::string sql = drift::definitionOf(
                reference(), difference(ObjectKind::Table, "support_tickets"));
        QVERIFY(sql.starts_with("CREATE TABLE \"public\".\"support_tickets\" (\n"));
        for (const char *part : {"CREATE INDEX support_tickets_subject_idx",
                                 "CREATE POLICY \"own_tickets\"", "ENABLE ROW LEVEL SECURITY",
                                 "COMMENT ON TABLE \"public\".\"support_tickets\" IS 'tickets'"})
            QVERIFY2(sql.find(part) != std::string::npos, part);
        const std::string orders
                = drift::definitionOf(reference(), difference(ObjectKind::Table, "orders"));
        QVERIFY(orders.find("CREATE TRIGGER orders_audit") != std::string::npos);
    }

    void absentObjectsAreEmpty_data()
    {
        QTest::addColumn<ObjectKind>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("table");
        auto row = [](const char *tag, ObjectKind kind, const char *name, const char *table) {
            QTest::newRow(tag) << kind << QString::fromUtf8(name) << QString::fromUtf8(table);
        };
        row("schema", ObjectKind::Schema, "sales", "");
        row("table", ObjectKind::Table, "invoices", "");
        row("column of a missing table", ObjectKind::Column, "invoices.id", "invoices");
        row("missing column", ObjectKind::Column, "customers.email", "customers");
        row("index", ObjectKind::Index, "orders.orders_status_idx", "orders");
        row("trigger", ObjectKind::Trigger, "customers.orders_audit", "customers");
        row("function", ObjectKind::Function, "nope(integer)", "");
        row("view named like a table", ObjectKind::View, "orders", "");
        row("sequence", ObjectKind::Sequence, "orders_id_seq", "");
        row("policy", ObjectKind::Policy, "orders.own_tickets", "orders");
        row("collation", ObjectKind::Collation, "de_phonebook", "");
        row("comment on a missing object", ObjectKind::Comment, "invoices", "invoices");
    }

    void absentObjectsAreEmpty()
    {
        QFETCH(ObjectKind, kind);
        QFETCH(QString, name);
        QFETCH(QString, table);
        const drift::Difference d = difference(kind, name.toStdString(), table.toStdString());
        QCOMPARE(drift::definitionOf(reference(), d), std::string());
    }

    void changedSignatureShowsTheOtherOverload()
    {
        drift::SchemaCatalog region = reference();
        region.functions[0].identityArguments = "integer";
        region.functions[0].definition = "CREATE OR REPLACE FUNCTION public.audit_row_change("
                                         "integer) ...";
        const drift::Difference d = difference(ObjectKind::Function, "audit_row_change()");
        QCOMPARE(drift::definitionOf(region, d),
                 std::string("CREATE OR REPLACE FUNCTION public.audit_row_change(integer) ...;"));
        QVERIFY(drift::definitionOf(reference(), d)
                        .starts_with("CREATE OR REPLACE FUNCTION public.audit_row_change()\n"));
    }

    /// The demo's drift, as the diff engine reports it: each side shows the object exactly when
    /// it exists there.
    void bothSidesOfRealDifferences()
    {
        const drift::SchemaCatalog ref = reference();
        drift::SchemaCatalog region = ref;
        std::erase_if(region.tables[0].columns,
                      [](const drift::ColumnDef &c) { return c.name == "birth_date"; });
        region.tables[0].columns[1].defaultExpr = "'DE'::bpchar";
        std::erase_if(region.tables,
                      [](const drift::TableDef &t) { return t.name.name == "support_tickets"; });
        std::erase_if(region.indexes,
                      [](const drift::IndexDef &i) { return i.table.name == "support_tickets"; });
        std::erase_if(region.policies,
                      [](const drift::PolicyDef &p) { return p.table.name == "support_tickets"; });
        region.indexes.push_back({{"public", "orders"},
                                  "orders_status_idx",
                                  "CREATE INDEX orders_status_idx ON public.orders USING btree "
                                  "(status)",
                                  {},
                                  true});
        region.triggers.clear();

        const std::vector<drift::Difference> differences = drift::diff(region, ref);
        QCOMPARE(differences.size(), 5u);
        for (const drift::Difference &d : differences) {
            const std::string onReference = drift::definitionOf(ref, d);
            const std::string onRegion = drift::definitionOf(region, d);
            const QByteArray what = QByteArray::fromStdString(std::string(drift::kindName(d.kind))
                                                              + ' ' + d.qualifiedName());
            QVERIFY2(onReference.empty() == (d.change == Change::Removed), what.constData());
            QVERIFY2(onRegion.empty() == (d.change == Change::Added), what.constData());
            if (d.kind == ObjectKind::Column && d.change == Change::Added)
                QVERIFY(onReference.find("\"birth_date\" date") != std::string::npos);
            if (d.kind == ObjectKind::Column && d.change == Change::Changed) {
                QVERIFY(onReference.find("'US'") != std::string::npos);
                QVERIFY(onRegion.find("'DE'") != std::string::npos);
            }
        }
    }

    void hostileNamesAreQuoted()
    {
        drift::SchemaCatalog s;
        s.tables = {table("Cust \"VIP\"", {column("it's", "text")})};
        const std::string sql = drift::definitionOf(
                s, difference(ObjectKind::Column, "Cust \"VIP\".it's", "Cust \"VIP\""));
        QCOMPARE(sql, std::string("\"it's\" text"));
        const std::string tableSql
                = drift::definitionOf(s, difference(ObjectKind::Table, "Cust \"VIP\""));
        QVERIFY(tableSql.starts_with("CREATE TABLE \"public\".\"Cust \"\"VIP\"\"\" ("));
    }
};

QTEST_GUILESS_MAIN(TestDriftDefinition)
#include "tst_drift_definition.moc"
