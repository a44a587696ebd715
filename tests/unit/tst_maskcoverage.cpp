// masking::resolveCoverage without a database: own rules, foreign keys inheriting the rule of
// the key they reference (also through a chain), keep entries, unclassified columns, problems.

#include "core/masking/coverage.h"

#include <QTest>

using namespace envsync;
using masking::CoverageKind;

namespace {

drift::TableDef table(const std::string &name, const std::vector<std::string> &columns)
{
    drift::TableDef def;
    def.name = {"public", name};
    for (const auto &column : columns) {
        drift::ColumnDef def2;
        def2.name = column;
        def2.type = "text";
        def.columns.push_back(def2);
    }
    return def;
}

drift::ConstraintDef foreignKey(const std::string &from, const std::string &column,
                                const std::string &to, const std::string &key)
{
    drift::ConstraintDef fk;
    fk.table = {"public", from};
    fk.name = from + '_' + column + "_fkey";
    fk.type = drift::ConstraintType::ForeignKey;
    fk.referencedTable = drift::QualifiedName{"public", to};
    fk.columns = {column};
    fk.referencedColumns = {key};
    return fk;
}

config::MaskRule rule(const std::string &column, const std::string &transform)
{
    config::MaskRule r;
    r.column = column;
    r.transform = transform;
    return r;
}

} // namespace

class TestMaskCoverage : public QObject
{
    Q_OBJECT

private slots:
    void resolves()
    {
        drift::SchemaSnapshot schema;
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
        drift::SchemaSnapshot schema;
        schema.tables = {table("a", {"k"}), table("b", {"k"})};
        schema.constraints = {foreignKey("b", "k", "a", "k")};
        config::MaskingConfig masking;
        masking.rules = {rule("public.a.k", "hash"), rule("public.b.k", "email")};
        const auto report = masking::resolveCoverage(masking, schema);
        QCOMPARE(report.classified(), 2);
        QCOMPARE(report.problems.size(), std::size_t{1});
        QVERIFY(report.problems.front().find("joins would break") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestMaskCoverage)
#include "tst_maskcoverage.moc"
