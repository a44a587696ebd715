// masking::resolveRules, the one resolution of masking rules behind the mask plan and the
// coverage: own rules, foreign keys inheriting the rule of the key they reference (chains with
// their path, composite keys, cycles, other schemas, quoted names, partitions), problems with
// the rule's place in the config.

#include "core/masking/fkinheritance.h"
#include "schemabuilder.h"

#include <QTest>

using namespace envsync;
using masking::ColumnName;
using masking::resolveRules;

namespace {

using test::foreignKey;
using test::textTable;

config::MaskRule rule(const std::string &column, const std::string &transform, int line)
{
    config::MaskRule r;
    r.column = column;
    r.transform = transform;
    r.location = {line, 7};
    return r;
}

const drift::QualifiedName a{"public", "a"};
const drift::QualifiedName b{"public", "b"};
const drift::QualifiedName c{"public", "c"};

/// "rule@line via x.k,y.k" for a column's effective rule, "" when it has none.
std::string describe(const masking::RuleResolution &resolution, const ColumnName &column)
{
    const auto it = resolution.rules.find(column);
    if (it == resolution.rules.end())
        return {};
    std::string text
            = it->second.rule->transform + '@' + std::to_string(it->second.rule->location.line);
    for (std::size_t i = 0; i < it->second.path.size(); ++i)
        text += (i == 0 ? " via " : ",") + it->second.path[i].display() + '['
                + it->second.foreignKeys[i] + ']';
    return text;
}

} // namespace

class TestFkInheritance : public QObject
{
    Q_OBJECT

private slots:
    void chainNamesItsPath()
    {
        drift::SchemaCatalog schema;
        schema.tables = {textTable(a, {"k"}), textTable(b, {"k"}), textTable(c, {"k"})};
        // c → b listed first: the second pass reaches it.
        schema.constraints
                = {foreignKey("c_fk", c, {"k"}, b, {"k"}), foreignKey("b_fk", b, {"k"}, a, {"k"})};
        config::MaskingConfig masking;
        masking.rules = {rule("public.a.k", "hash", 3)};
        const auto resolved = resolveRules(masking, schema);
        QVERIFY(resolved.problems.empty());
        QCOMPARE(describe(resolved, {"public", "a", "k"}), std::string("hash@3"));
        QCOMPARE(describe(resolved, {"public", "b", "k"}),
                 std::string("hash@3 via public.a.k[b_fk]"));
        QCOMPARE(describe(resolved, {"public", "c", "k"}),
                 std::string("hash@3 via public.b.k[c_fk],public.a.k[b_fk]"));
        QCOMPARE(resolved.rules.at({"public", "c", "k"}).inheritedFrom(),
                 std::string("public.a.k"));
        QVERIFY(!resolved.rules.at({"public", "a", "k"}).inherited());
    }

    void compositeKeysPairwise()
    {
        drift::SchemaCatalog schema;
        schema.tables = {textTable(a, {"x", "y", "z"}), textTable(b, {"ax", "ay", "az"})};
        schema.constraints = {foreignKey("b_fk", b, {"ay", "ax"}, a, {"y", "x"})};
        config::MaskingConfig masking;
        masking.rules = {rule("public.a.x", "hash", 1), rule("public.a.y", "email", 2),
                         rule("public.a.z", "null", 3)};
        const auto resolved = resolveRules(masking, schema);
        QVERIFY(resolved.problems.empty());
        QCOMPARE(describe(resolved, {"public", "b", "ax"}),
                 std::string("hash@1 via public.a.x[b_fk]"));
        QCOMPARE(describe(resolved, {"public", "b", "ay"}),
                 std::string("email@2 via public.a.y[b_fk]"));
        QCOMPARE(describe(resolved, {"public", "b", "az"}), std::string()); // not in the key
    }

    void cyclesEnd()
    {
        drift::SchemaCatalog schema;
        schema.tables = {textTable(a, {"k"}), textTable(b, {"k"})};
        schema.constraints
                = {foreignKey("a_fk", a, {"k"}, b, {"k"}), foreignKey("b_fk", b, {"k"}, a, {"k"}),
                   foreignKey("self", a, {"k"}, a, {"k"})};
        config::MaskingConfig masking;
        const auto none = resolveRules(masking, schema);
        QVERIFY(none.rules.empty());
        masking.rules = {rule("public.b.k", "hash", 4)};
        const auto resolved = resolveRules(masking, schema);
        QVERIFY(resolved.problems.empty());
        QCOMPARE(resolved.rules.size(), std::size_t(2));
        QCOMPARE(describe(resolved, {"public", "a", "k"}),
                 std::string("hash@4 via public.b.k[a_fk]"));
        QCOMPARE(describe(resolved, {"public", "b", "k"}), std::string("hash@4"));
    }

    void otherSchemasAndQuotedNames()
    {
        const drift::QualifiedName kunden{"CRM", "Kunden \"VIP\""};
        const drift::QualifiedName orders{"sales", "orders"};
        drift::SchemaCatalog schema;
        schema.tables = {textTable(kunden, {"ID"}), textTable(orders, {"Kunde", "archived"})};
        schema.constraints
                = {foreignKey("kunde_fk", orders, {"Kunde"}, kunden, {"ID"}),
                   // into a schema the snapshot did not read: nothing to inherit
                   foreignKey("archive_fk", orders, {"archived"}, {"archive", "orders"}, {"id"})};
        config::MaskingConfig masking;
        masking.rules = {rule("\"CRM\".\"Kunden \"\"VIP\"\"\".\"ID\"", "hash", 5)};
        const auto resolved = resolveRules(masking, schema);
        QVERIFY(resolved.problems.empty());
        QCOMPARE(describe(resolved, {"sales", "orders", "Kunde"}),
                 std::string("hash@5 via \"CRM\".\"Kunden \"\"VIP\"\"\".\"ID\"[kunde_fk]"));
        QCOMPARE(describe(resolved, {"sales", "orders", "archived"}), std::string());

        masking.rules.push_back(rule("archive.orders.id", "hash", 6));
        const auto unknown = resolveRules(masking, schema);
        QCOMPARE(unknown.problems.size(), std::size_t(1));
        QCOMPARE(unknown.problems.front().message,
                 std::string("masking rule archive.orders.id: no such column in the source"));
        QCOMPARE(unknown.problems.front().location, std::string("6:7"));
    }

    void ownRulesOnForeignKeys()
    {
        drift::SchemaCatalog schema;
        schema.tables = {textTable(a, {"k"}), textTable(b, {"k"}), textTable(c, {"k"})};
        schema.constraints
                = {foreignKey("b_fk", b, {"k"}, a, {"k"}), foreignKey("c_fk", c, {"k"}, b, {"k"})};
        config::MaskingConfig masking;
        // The same rule on the foreign key: its own, no problem; c inherits from b.
        masking.rules = {rule("public.a.k", "hash", 1), rule("public.b.k", "hash", 2)};
        auto resolved = resolveRules(masking, schema);
        QVERIFY(resolved.problems.empty());
        QCOMPARE(describe(resolved, {"public", "b", "k"}), std::string("hash@2"));
        QCOMPARE(describe(resolved, {"public", "c", "k"}),
                 std::string("hash@2 via public.b.k[c_fk]"));

        // Another rule: joins would break; the problem points at the foreign key's own rule.
        masking.rules[1].transform = "email";
        resolved = resolveRules(masking, schema);
        QCOMPARE(resolved.problems.size(), std::size_t(1));
        QCOMPARE(resolved.problems.front().message,
                 std::string("masking rule public.b.k: differs from the rule of public.a.k, "
                             "which it references (foreign key b_fk); joins would break"));
        QCOMPARE(resolved.problems.front().location, std::string("2:7"));

        // Two keys with two rules behind one column: the problem points at a key's rule.
        masking.rules = {rule("public.a.k", "hash", 1), rule("public.b.k", "email", 2)};
        schema.constraints
                = {foreignKey("c_a", c, {"k"}, a, {"k"}), foreignKey("c_b", c, {"k"}, b, {"k"})};
        resolved = resolveRules(masking, schema);
        QCOMPARE(resolved.problems.size(), std::size_t(1));
        QVERIFY(resolved.problems.front().message.starts_with("masking rule public.c.k: differs"));
        QCOMPARE(resolved.problems.front().location, std::string("2:7"));

        // A second rule for one column.
        masking.rules = {rule("public.a.k", "hash", 1), rule("PUBLIC.A.K", "hash", 9)};
        resolved = resolveRules(masking, schema);
        QCOMPARE(resolved.problems.size(), std::size_t(1));
        QCOMPARE(resolved.problems.front().location, std::string("9:7"));
        QVERIFY(resolved.problems.front().message.ends_with("the column already has a rule"));
    }

    // Partitions list no columns of their own: their foreign-key ends are the root's columns.
    void partitionsAreTheirRoot()
    {
        const drift::QualifiedName customers{"public", "customers"};
        const drift::QualifiedName orders{"public", "orders"};
        const drift::QualifiedName orders2024{"public", "orders_2024"};
        const drift::QualifiedName orders2024q1{"public", "orders_2024_q1"};
        const drift::QualifiedName invoices{"public", "invoices"};
        drift::SchemaCatalog schema;
        auto partition = textTable(orders2024, {});
        partition.partitionOf = orders;
        auto subPartition = textTable(orders2024q1, {});
        subPartition.partitionOf = orders2024;
        schema.tables = {textTable(customers, {"id"}), textTable(orders, {"id", "customer_id"}),
                         partition, subPartition, textTable(invoices, {"order_customer"})};
        schema.constraints
                = {foreignKey("q1_fk", orders2024q1, {"customer_id"}, customers, {"id"}),
                   foreignKey("inv_fk", invoices, {"order_customer"}, orders2024, {"customer_id"})};
        config::MaskingConfig masking;
        masking.rules = {rule("public.customers.id", "hash", 1)};
        const auto resolved = resolveRules(masking, schema);
        QVERIFY(resolved.problems.empty());
        QCOMPARE(describe(resolved, {"public", "orders", "customer_id"}),
                 std::string("hash@1 via public.customers.id[q1_fk]"));
        QCOMPARE(describe(resolved, {"public", "invoices", "order_customer"}),
                 std::string("hash@1 via public.orders.customer_id[inv_fk],"
                             "public.customers.id[q1_fk]"));
        QVERIFY(!resolved.rules.contains({"public", "orders_2024_q1", "customer_id"}));
    }
};

QTEST_GUILESS_MAIN(TestFkInheritance)
#include "tst_fkinheritance.moc"
