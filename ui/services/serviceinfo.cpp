#include "ui/services/serviceinfo.h"

namespace envsync::ui {

QString serviceStateText(ServiceInfo::State state)
{
    switch (state) {
    case ServiceInfo::State::Starting:
        return QStringLiteral("Starting");
    case ServiceInfo::State::Serving:
        return QStringLiteral("Serving");
    case ServiceInfo::State::Stopping:
        return QStringLiteral("Stopping");
    case ServiceInfo::State::Recording:
        return QStringLiteral("Recording");
    case ServiceInfo::State::Failed:
        return QStringLiteral("Failed");
    case ServiceInfo::State::Stopped:
        break;
    }
    return QStringLiteral("Stopped");
}

} // namespace envsync::ui
