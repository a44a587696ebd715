// When the copy engine may use binary COPY between two servers: only within one major version.
#include "core/copy/copyengine.h"

#include <QtTest>

using envsync::copy::binaryCopyCompatible;

class TestBinaryCopy : public QObject
{
    Q_OBJECT
private slots:
    void sameMajorVersionAnyMinor()
    {
        QVERIFY(binaryCopyCompatible(150004, 150004));
        QVERIFY(binaryCopyCompatible(150004, 150010));
        QVERIFY(binaryCopyCompatible(90603, 90624)); // 9.6.3 and 9.6.24: the old numbering
    }

    void otherMajorVersionsUseText()
    {
        QVERIFY(!binaryCopyCompatible(150004, 160001));
        QVERIFY(!binaryCopyCompatible(160001, 150004));
        QVERIFY(!binaryCopyCompatible(140010, 150004));
        QVERIFY(!binaryCopyCompatible(90624, 100001));
        QVERIFY(!binaryCopyCompatible(90524, 90624)); // 9.5 and 9.6 were majors too
    }

    void unknownVersionUsesText()
    {
        // PQserverVersion returns 0 for a connection that is not open
        QVERIFY(!binaryCopyCompatible(0, 0));
        QVERIFY(!binaryCopyCompatible(0, 150004));
    }
};

QTEST_GUILESS_MAIN(TestBinaryCopy)
#include "tst_binarycopy.moc"
