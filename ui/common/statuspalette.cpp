#include "ui/common/statuspalette.h"

#include <algorithm>
#include <cmath>

namespace envsync::ui {

using status::EndpointRole;
using status::Freshness;

QColor StatusPalette::freshnessColor(Freshness freshness)
{
    switch (freshness) {
    case Freshness::Ok:
        return QColor(0x2e, 0x9d, 0x48);
    case Freshness::Due:
        return QColor(0xe8, 0xa3, 0x17);
    case Freshness::Overdue:
        return QColor(0xd3, 0x2f, 0x2f);
    case Freshness::Unknown:
        break;
    }
    return QColor(0x9e, 0x9e, 0x9e);
}

QColor StatusPalette::freshnessTextColor(Freshness freshness)
{
    switch (freshness) {
    case Freshness::Ok:
        return QColor(0x1b, 0x6e, 0x30);
    case Freshness::Due:
        return QColor(0x8a, 0x55, 0x00);
    case Freshness::Overdue:
        return QColor(0xb7, 0x1c, 0x1c);
    case Freshness::Unknown:
        break;
    }
    return QColor(0x5f, 0x5f, 0x5f);
}

namespace {

double relativeLuminance(const QColor &color)
{
    const auto channel = [](double value) {
        return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
           + 0.0722 * channel(color.blueF());
}

} // namespace

double StatusPalette::contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor StatusPalette::reachableColor()
{
    return freshnessColor(Freshness::Ok);
}

QColor StatusPalette::unreachableColor()
{
    return QColor(0xb7, 0x1c, 0x1c);
}

QColor StatusPalette::pendingColor()
{
    return QColor(0x5c, 0x7c, 0xa8);
}

QColor StatusPalette::slaColor()
{
    return QColor(0x37, 0x37, 0x37);
}

QString StatusPalette::freshnessText(Freshness freshness)
{
    return QString::fromLatin1(status::freshnessName(freshness));
}

QString StatusPalette::roleText(EndpointRole role)
{
    switch (role) {
    case EndpointRole::Source:
        return QStringLiteral("Source");
    case EndpointRole::Golden:
        return QStringLiteral("Golden");
    case EndpointRole::Region:
        break;
    }
    return QStringLiteral("Region");
}

int StatusPalette::freshnessSeverity(Freshness freshness)
{
    switch (freshness) {
    case Freshness::Ok:
        return 0;
    case Freshness::Unknown:
        return 1;
    case Freshness::Due:
        return 2;
    case Freshness::Overdue:
        return 3;
    }
    return 1;
}

} // namespace envsync::ui
