// masking::resolveCoverage without a database: own rules, foreign keys inheriting the rule of
// the key they reference (also through a chain), keep entries, unclassified columns, problems;
// and that the coverage (`mask --check`'s and the console's view) and the mask plan a snapshot
// copies with agree column for column on awkward schemas.

#include "core/config/formats.h"
#include "core/masking/coverage.h"
#include "core/masking/hmackey.h"
#include "core/masking/maskplan.h"
#include "core/masking/transform.h"
#include "schemabuilder.h"

#include <QTest>

#include <set>

using namespace envsync;
using masking::CoverageKind;

namespace {

drift::TableDef table(const std::string &name, const std::vector<std::string> &columns,
                      const std::string &schema = "public")
{
    return test::textTable({schema, name}, columns);
}

drift::ConstraintDef compositeKey(const drift::QualifiedName &from,
                                  const std::vector<std::string> &columns,
                                  const drift::QualifiedName &to,
                                  const std::vector<std::string> &keys)
{
    return test::foreignKey(from.name + '_' + columns.front() + "_fkey", from, columns, to, keys);
}

drift::ConstraintDef foreignKey(const std::string &from, const std::string &column,
                                const std::string &to, const std::string &key)
{
    return compositeKey(drift::QualifiedName{"public", from}, {column},
                        drift::QualifiedName{"public", to}, {key});
}

config::MaskRule rule(const std::string &column, const std::string &transform,
                      std::map<std::string, std::string> params = {})
{
    config::MaskRule r;
    r.column = column;
    r.transform = transform;
    r.params = std::move(params);
    return r;
}

struct Case
{
    drift::SchemaCatalog schema;
    config::MaskingConfig masking;
};

/// Schemas where foreign-key inheritance has corners: chains, composite keys, cycles, other
/// schemas, quoted names, partitions, INHERITS children, own rules on foreign keys.
Case caseNamed(const std::string &name)
{
    Case c;
    auto &tables = c.schema.tables;
    auto &constraints = c.schema.constraints;
    auto &rules = c.masking.rules;
    if (name == "chain a->b->c") {
        tables = {table("a", {"k"}), table("b", {"k"}), table("c", {"k"})};
        constraints = {foreignKey("c", "k", "b", "k"), foreignKey("b", "k", "a", "k")};
        rules = {rule("public.a.k", "hash")};
    } else if (name == "composite key") {
        tables = {table("parent", {"x", "y"}), table("child", {"px", "py", "note"})};
        constraints = {
                compositeKey({"public", "child"}, {"px", "py"}, {"public", "parent"}, {"x", "y"})};
        rules = {rule("public.parent.x", "hash"), rule("public.parent.y", "email")};
        c.masking.keep = {"public.child.note"};
    } else if (name == "cycle") {
        tables = {table("a", {"k"}), table("b", {"k"}), table("c", {"k"})};
        constraints = {foreignKey("a", "k", "b", "k"), foreignKey("b", "k", "c", "k"),
                       foreignKey("c", "k", "a", "k")};
        rules = {rule("public.b.k", "hash")};
    } else if (name == "cross-schema, quoted") {
        tables = {table("Kunden \"VIP\"", {"ID", "mail"}, "CRM"),
                  table("orders", {"id", "kunde"}, "sales")};
        constraints
                = {compositeKey({"sales", "orders"}, {"kunde"}, {"CRM", "Kunden \"VIP\""}, {"ID"})};
        rules = {rule("\"CRM\".\"Kunden \"\"VIP\"\"\".\"ID\"", "hash"),
                 rule("\"CRM\".\"Kunden \"\"VIP\"\"\".mail", "email")};
        c.masking.keep = {"sales.orders.id"};
    } else if (name == "key in a schema not read") {
        tables = {table("orders", {"id", "customer"})};
        constraints = {
                compositeKey({"public", "orders"}, {"customer"}, {"archive", "customers"}, {"id"})};
        rules = {rule("public.orders.id", "hash")};
    } else if (name == "own rule like the key's") {
        tables = {table("a", {"k"}), table("b", {"k"})};
        constraints = {foreignKey("b", "k", "a", "k")};
        rules = {rule("public.a.k", "hash", {{"length", "12"}}),
                 rule("public.b.k", "hash", {{"length", "12"}})};
    } else if (name == "own rule unlike the key's") {
        tables = {table("a", {"k"}), table("b", {"k"})};
        constraints = {foreignKey("b", "k", "a", "k")};
        rules = {rule("public.a.k", "hash"), rule("public.b.k", "email")};
    } else if (name == "two keys, two rules") {
        tables = {table("a", {"k"}), table("b", {"k"}), table("x", {"k"})};
        constraints = {foreignKey("x", "k", "a", "k"), foreignKey("x", "k", "b", "k")};
        rules = {rule("public.a.k", "hash"), rule("public.b.k", "email")};
    } else if (name == "through a partition") {
        // A foreign key declared on one partition, and another table referencing that
        // partition: the schema lists no columns for partitions (they are the root's).
        auto orders = table("orders", {"id", "customer_id"});
        orders.kind = drift::TableKind::Partitioned;
        auto orders2024 = table("orders_2024", {});
        orders2024.partitionOf = orders.name;
        tables = {table("customers", {"id"}), orders, orders2024,
                  table("invoices", {"order_customer"})};
        constraints = {foreignKey("orders_2024", "customer_id", "customers", "id"),
                       foreignKey("invoices", "order_customer", "orders_2024", "customer_id")};
        rules = {rule("public.customers.id", "hash")};
        c.masking.keep = {"public.orders.id"};
    } else if (name == "through an INHERITS child") {
        // child inherits `code` from parent (not a local column, so not listed), has a foreign
        // key on it of its own, and is referenced through it.
        auto child = table("child", {"extra"});
        child.inherits = {{"public", "parent"}};
        tables = {table("codes", {"code"}), table("parent", {"code"}), child,
                  table("uses", {"child_code"})};
        constraints = {foreignKey("child", "code", "codes", "code"),
                       foreignKey("uses", "child_code", "child", "code")};
        rules = {rule("public.codes.code", "hash"), rule("public.parent.code", "hash")};
        c.masking.keep = {"public.child.extra"};
    }
    return c;
}

const std::vector<std::string> caseNames = {"chain a->b->c",
                                            "composite key",
                                            "cycle",
                                            "cross-schema, quoted",
                                            "key in a schema not read",
                                            "own rule like the key's",
                                            "own rule unlike the key's",
                                            "two keys, two rules",
                                            "through a partition",
                                            "through an INHERITS child"};

const std::string salt = "unit-test-salt";

/// What the plan writes for `value` in `column` (nullopt: NULL), through a one-column COPY row.
std::optional<std::string> planOutput(const masking::MaskPlan &plan,
                                      const masking::ColumnCoverage &column,
                                      const std::string &value)
{
    const auto masker = plan.forTable(column.schema, column.table, {column.column});
    if (!masker)
        return value;
    std::string row = value;
    masker->maskRow(row);
    return row == "\\N" ? std::nullopt : std::optional(row);
}

} // namespace

class TestMaskCoverage : public QObject
{
    Q_OBJECT

private slots:
    void resolves()
    {
        drift::SchemaCatalog schema;
        schema.tables = {table("accounts", {"login", "note"}),
                         table("sessions", {"id", "account_login"}),
                         table("audit", {"session_login"})};
        schema.constraints = {foreignKey("sessions", "account_login", "accounts", "login"),
                              foreignKey("audit", "session_login", "sessions", "account_login")};
        config::MaskingConfig masking;
        masking.rules = {rule("public.accounts.login", "hash"),
                         rule("public.nowhere.x", "hash")};
        masking.keep = {"public.sessions.id", "public.accounts.login"};

        const auto report = masking::resolveCoverage(masking, schema);
        QCOMPARE(report.total(), 5);
        QCOMPARE(report.classified(), 4);
        auto find = [&](const std::string &name) {
            for (const auto &column : report.columns)
                if (column.display() == name)
                    return column;
            return masking::ColumnCoverage{};
        };
        // A keep entry never overrides a rule.
        QCOMPARE(find("public.accounts.login").kind, CoverageKind::Rule);
        QCOMPARE(find("public.accounts.note").kind, CoverageKind::Unclassified);
        QCOMPARE(find("public.sessions.id").kind, CoverageKind::Keep);
        const auto inherited = find("public.sessions.account_login");
        QCOMPARE(inherited.kind, CoverageKind::Inherited);
        QCOMPARE(inherited.transform, std::string("hash"));
        QCOMPARE(inherited.inheritedFrom, std::string("public.accounts.login"));
        // Through the chain, still naming the original key.
        const auto chained = find("public.audit.session_login");
        QCOMPARE(chained.kind, CoverageKind::Inherited);
        QCOMPARE(chained.inheritedFrom, std::string("public.accounts.login"));
        QCOMPARE(report.problems.size(), std::size_t{1});
        QVERIFY(report.problems.front().find("public.nowhere.x: no such column")
                != std::string::npos);
    }

    void conflictingForeignKeyRule()
    {
        drift::SchemaCatalog schema;
        schema.tables = {table("a", {"k"}), table("b", {"k"})};
        schema.constraints = {foreignKey("b", "k", "a", "k")};
        config::MaskingConfig masking;
        masking.rules = {rule("public.a.k", "hash"), rule("public.b.k", "email")};
        const auto report = masking::resolveCoverage(masking, schema);
        QCOMPARE(report.classified(), 2);
        QCOMPARE(report.problems.size(), std::size_t{1});
        QVERIFY(report.problems.front().find("joins would break") != std::string::npos);
    }

    // The coverage (mask --check, the Masking tab) and the plan a snapshot masks with come from
    // one resolution: for every column they agree whether it is classified, and a column the
    // coverage gives a rule is masked by the plan exactly as that rule masks.
    void coverageAgreesWithPlan_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto &name : caseNames)
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }

    void coverageAgreesWithPlan()
    {
        QFETCH(QString, name);
        const Case c = caseNamed(name.toStdString());
        QVERIFY(!c.schema.tables.empty());
        const auto coverage = masking::resolveCoverage(c.masking, c.schema);
        const auto plan = masking::buildMaskPlan(c.masking, c.schema, salt);
        QCOMPARE(plan.has_value(), coverage.problems.empty());
        if (!plan)
            return;
        std::set<std::string> unclassified;
        for (const auto &column : (*plan)->unclassified())
            unclassified.insert(
                    config::formatQualifiedName({column.schema, column.table, column.column}));
        const std::string value = "Alice.Example@mail.example.org";
        for (const auto &column : coverage.columns) {
            const std::string where
                    = column.display() + " (" + masking::coverageKindName(column.kind) + ')';
            QVERIFY2(unclassified.contains(column.display()) == !column.classified(),
                     where.c_str());
            const auto output = planOutput(**plan, column, value);
            switch (column.kind) {
            case masking::CoverageKind::Rule:
            case masking::CoverageKind::Inherited: {
                const auto transform = masking::makeTransform(
                        column.transform, column.params, column.unique, masking::HmacKey(salt));
                QVERIFY2(transform, where.c_str());
                std::string expected;
                const bool notNull = (*transform)->apply(value, expected);
                QVERIFY2(output == (notNull ? std::optional(expected) : std::nullopt),
                         where.c_str());
                QVERIFY2(output != value, where.c_str());
                break;
            }
            case masking::CoverageKind::Keep:
                QVERIFY2(output == value, where.c_str());
                break;
            case masking::CoverageKind::Unclassified:
                QVERIFY2(!output, where.c_str()); // fail-closed plans copy NULL
                break;
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestMaskCoverage)
#include "tst_maskcoverage.moc"
