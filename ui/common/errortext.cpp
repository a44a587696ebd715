#include "ui/common/errortext.h"

namespace envsync::ui {

namespace {

QString advice(const Error &error)
{
    switch (error.refusal) {
    case Refusal::UnmarkedTarget:
        return QStringLiteral("; type the region's name, %1, when the console asks, if it "
                              "really is the region's test database")
                .arg(QString::fromStdString(error.confirmName));
    case Refusal::SourceUnreachable:
        return QStringLiteral("; tick 'The source is unreachable: refresh anyway' in Refresh "
                              "Region… if you are sure it is not");
    case Refusal::OutsideWindow:
    case Refusal::OverrideWithoutReason:
    case Refusal::UnclassifiedColumns:
    case Refusal::None:
        break;
    }
    return {};
}

QString remedy(Missing missing)
{
    switch (missing) {
    case Missing::AnySnapshot:
        return QStringLiteral("; make one with New Snapshot on the Snapshots tab");
    case Missing::NamedSnapshot:
        return QStringLiteral(" (the Snapshots tab lists the ready ones)");
    case Missing::Environment:
        return QStringLiteral(" (only environments EnvSync created can be dropped)");
    case Missing::Demo:
        return QStringLiteral(" (start one with envsync --demo)");
    case Missing::IntactDemo:
        return QStringLiteral("; tear the demo down (envsyncctl demo down), then start it again");
    case Missing::None:
        break;
    }
    return {};
}

} // namespace

QString errorText(const Error &error)
{
    return QString::fromStdString(error.describe()) + advice(error) + remedy(error.missing);
}

} // namespace envsync::ui
