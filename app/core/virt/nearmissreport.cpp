#include "core/virt/nearmissreport.h"

#include "core/virt/stubengine.h"

namespace envsync::virt {

namespace {

constexpr int columnWidth = 59;
constexpr int tableWidth = 119;

QString leftColumn(const QString &text)
{
    // Long values are cut so the table keeps its shape; the journal holds the full request.
    QString cell = text.size() > columnWidth - 1
                           ? text.left(columnWidth - 4) + QStringLiteral("...")
                           : text;
    return cell.leftJustified(columnWidth, u' ');
}

QString row(const QString &left, const QString &right, const QString &marker = {})
{
    QString line = leftColumn(left) + QStringLiteral("| ") + right;
    if (!marker.isEmpty())
        line = line.leftJustified(tableWidth - 6, u' ') + QStringLiteral("     <<<<< ") + marker;
    while (line.endsWith(u' '))
        line.chop(1);
    return line + u'\n';
}

QString rule()
{
    return QString(tableWidth, u'-') + u'\n';
}

QString header()
{
    const QString indent(47, u' ');
    return u'\n' + indent + QStringLiteral("Request was not matched\n") + indent + QString(23, u'=')
           + QStringLiteral("\n\n") + rule()
           + QStringLiteral("| Closest stub").leftJustified(columnWidth, u' ')
           + QStringLiteral("| Request").leftJustified(tableWidth - columnWidth - 1, u' ')
           + QStringLiteral("|\n") + rule();
}

/// WireMock's words for the "<<<<<" marker ("HTTP method does not match", ...).
QString mismatchMarker(const QString &label)
{
    static const std::pair<QLatin1StringView, QLatin1StringView> words[] = {
            {QLatin1StringView("method"), QLatin1StringView("HTTP method")},
            {QLatin1StringView("url"), QLatin1StringView("URL")},
            {QLatin1StringView("header "), QLatin1StringView("Header")},
            {QLatin1StringView("query "), QLatin1StringView("Query")},
            {QLatin1StringView("cookie "), QLatin1StringView("Cookie")},
            {QLatin1StringView("body"), QLatin1StringView("Body")},
            {QLatin1StringView("scenario "), QLatin1StringView("Scenario state")},
    };
    for (const auto &[prefix, word] : words) {
        if (label.startsWith(prefix))
            return word + QStringLiteral(" does not match");
    }
    return label + QStringLiteral(" does not match");
}

QString block(const NearMiss &miss)
{
    QString text = row(QString(), QString());
    text += row(miss.mappingName.isEmpty() ? miss.mappingId : miss.mappingName, QString());
    text += row(QString(), QString());
    for (const MatchLine &line : miss.lines) {
        text += row(line.expected, line.actual,
                    line.distance > 0 ? mismatchMarker(line.label) : QString());
    }
    text += row(QString(), QString());
    return text + rule();
}

} // namespace

QByteArray notMatchedReport(const HttpRequest &request, const std::vector<NearMiss> &nearMisses)
{
    QString text = header();
    if (nearMisses.empty()) {
        text += row(QStringLiteral("(no stub mappings)"),
                    QString::fromLatin1(request.method) + u' ' + QString::fromUtf8(request.url));
        text += rule();
    }
    for (const NearMiss &miss : nearMisses)
        text += block(miss);
    return text.toUtf8();
}

} // namespace envsync::virt
