// The change stream's masker: the same plan and bytes as a snapshot's copy, fail-closed on
// unclassified columns, unchanged TOAST values left alone.

#include "core/cdc/changemasker.h"
#include "core/masking/copytext.h"
#include "schemabuilder.h"

#include <QTest>

using namespace envsync;

namespace {

const drift::QualifiedName people{"public", "people"};

drift::SchemaCatalog catalog(const std::vector<std::string> &columns)
{
    drift::SchemaCatalog schema;
    schema.tables.push_back(test::textTable(people, columns));
    return schema;
}

config::MaskingConfig maskingConfig(config::UnclassifiedPolicy policy)
{
    config::MaskingConfig config;
    config.salt = {config::SaltSource::Kind::Environment, "ENVSYNC_TST_CHANGEMASKER_SALT"};
    config.unclassified = policy;
    config.keep = {"public.people.id"};
    config::MaskRule email;
    email.column = "public.people.email";
    email.transform = "email";
    config.rules.push_back(email);
    config::MaskRule note;
    note.column = "public.people.note";
    note.transform = "hash";
    config.rules.push_back(note);
    return config;
}

cdc::Relation relation(const std::vector<std::string> &columns)
{
    cdc::Relation relation;
    relation.id = 4242;
    relation.schema = "public";
    relation.table = "people";
    for (const auto &name : columns)
        relation.columns.push_back({name, 25, -1, {}, name == "id"});
    return relation;
}

cdc::TupleValue text(std::string value)
{
    return {cdc::TupleValue::Kind::Text, std::move(value)};
}

} // namespace

class TestChangeMasker : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { qputenv("ENVSYNC_TST_CHANGEMASKER_SALT", "a salt for this test"); }

    // What a snapshot's copy would write for the same row, through the plan's own masker.
    void sameBytesAsTheSnapshotCopy()
    {
        const std::vector<std::string> columns{"id", "email", "note"};
        cdc::ChangeMasker masker(maskingConfig(config::UnclassifiedPolicy::Fail));
        QVERIFY(masker.rebuild(catalog(columns)).has_value());
        auto rel = relation(columns);
        QVERIFY(masker.addRelation(rel).has_value());
        QCOMPARE(rel.columns[1].typeName, std::string("text"));

        const std::string nasty = "tab\there, newline\nand \\backslash\\N ü";
        cdc::RowChange change;
        change.kind = cdc::ChangeKind::Update;
        change.relationId = rel.id;
        change.oldTuple = cdc::Tuple{text("7"), text("old@example.com"), {}};
        change.newTuple = cdc::Tuple{text("7"), text("alice@example.com"), text(nasty)};
        QVERIFY(masker.mask(change).has_value());

        auto salt = masking::resolveSalt(maskingConfig(config::UnclassifiedPolicy::Fail).salt);
        QVERIFY(salt.has_value());
        auto plan = masking::buildMaskPlan(maskingConfig(config::UnclassifiedPolicy::Fail),
                                           catalog(columns), *salt);
        QVERIFY(plan.has_value());
        const auto copyMasker = (*plan)->forTable("public", "people", columns);
        QVERIFY(copyMasker != nullptr);
        std::string row = "7\talice@example.com\t";
        masking::copytext::escape(nasty, row);
        copyMasker->maskRow(row);
        std::string fromStream;
        for (std::size_t i = 0; i < change.newTuple.size(); ++i) {
            if (i > 0)
                fromStream += '\t';
            masking::copytext::escape(change.newTuple[i].text, fromStream);
        }
        QCOMPARE(fromStream, row);
        QVERIFY(change.newTuple[1].text != "alice@example.com");
        QVERIFY(change.newTuple[2].text.find("backslash") == std::string::npos);
        // The old key is masked too (same input, same output), and NULL stays NULL.
        QCOMPARE(change.oldTuple->at(0).text, std::string("7"));
        QVERIFY(change.oldTuple->at(1).text != "old@example.com");
        QCOMPARE(change.oldTuple->at(2).kind, cdc::TupleValue::Kind::Null);
    }

    void unchangedValuesStayUnchanged()
    {
        const std::vector<std::string> columns{"id", "email", "note"};
        cdc::ChangeMasker masker(maskingConfig(config::UnclassifiedPolicy::Fail));
        QVERIFY(masker.rebuild(catalog(columns)).has_value());
        auto rel = relation(columns);
        QVERIFY(masker.addRelation(rel).has_value());
        cdc::RowChange change;
        change.kind = cdc::ChangeKind::Update;
        change.relationId = rel.id;
        change.newTuple = cdc::Tuple{text("8"), {cdc::TupleValue::Kind::Unchanged, {}}, text("x")};
        QVERIFY(masker.mask(change).has_value());
        QCOMPARE(change.newTuple[1].kind, cdc::TupleValue::Kind::Unchanged);
        QCOMPARE(change.newTuple[2].kind, cdc::TupleValue::Kind::Text);
        QVERIFY(change.newTuple[2].text != "x");
    }

    void unclassifiedColumnIsRefusedByName()
    {
        const std::vector<std::string> columns{"id", "email", "note", "ssn"};
        cdc::ChangeMasker masker(maskingConfig(config::UnclassifiedPolicy::Fail));
        QVERIFY(masker.rebuild(catalog(columns)).has_value());
        auto rel = relation(columns);
        const auto added = masker.addRelation(rel);
        QVERIFY(!added.has_value());
        QCOMPARE(added.error().code, ErrorCode::Refused);
        QCOMPARE(added.error().refusal, Refusal::UnclassifiedColumns);
        QVERIFY2(added.error().message.find("public.people.ssn") != std::string::npos,
                 added.error().message.c_str());
        // Nothing of the relation may be masked (and so written) after the refusal.
        cdc::RowChange change;
        change.relationId = rel.id;
        change.newTuple = cdc::Tuple{text("1"), text("a@b.c"), text("n"), text("123-45-6789")};
        QVERIFY(!masker.mask(change).has_value());
    }

    void unclassifiedNullPolicyWritesNull()
    {
        const std::vector<std::string> columns{"id", "email", "note", "ssn"};
        cdc::ChangeMasker masker(maskingConfig(config::UnclassifiedPolicy::Null));
        QVERIFY(masker.rebuild(catalog(columns)).has_value());
        auto rel = relation(columns);
        QVERIFY(masker.addRelation(rel).has_value());
        cdc::RowChange change;
        change.relationId = rel.id;
        change.newTuple = cdc::Tuple{text("1"), text("a@b.c"), text("n"), text("123-45-6789")};
        QVERIFY(masker.mask(change).has_value());
        QCOMPARE(change.newTuple[3].kind, cdc::TupleValue::Kind::Null);
    }

    void newColumnIsNotKnownUntilRebuilt()
    {
        cdc::ChangeMasker masker(maskingConfig(config::UnclassifiedPolicy::Fail));
        QVERIFY(masker.rebuild(catalog({"id", "email", "note"})).has_value());
        QVERIFY(masker.knows(relation({"id", "email", "note"})));
        QVERIFY(!masker.knows(relation({"id", "email", "note", "phone"})));
        cdc::Relation other = relation({"id"});
        other.table = "other";
        QVERIFY(!masker.knows(other));
    }

    void partitionsUseTheirRootsColumns()
    {
        drift::SchemaCatalog schema = catalog({"id", "email", "note"});
        drift::TableDef partition;
        partition.name = {"public", "people_2026"};
        partition.partitionOf = people;
        schema.tables.push_back(partition);
        cdc::ChangeMasker masker(maskingConfig(config::UnclassifiedPolicy::Fail));
        QVERIFY(masker.rebuild(schema).has_value());
        auto rel = relation({"id", "email", "note"});
        rel.table = "people_2026";
        QVERIFY(masker.knows(rel));
        QVERIFY(masker.addRelation(rel).has_value());
        cdc::RowChange change;
        change.relationId = rel.id;
        change.newTuple = cdc::Tuple{text("1"), text("bob@example.com"), text("n")};
        QVERIFY(masker.mask(change).has_value());
        QVERIFY(change.newTuple[1].text != "bob@example.com");
    }
};

QTEST_GUILESS_MAIN(TestChangeMasker)
#include "tst_changemasker.moc"
