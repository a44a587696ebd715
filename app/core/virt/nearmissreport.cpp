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

QString block(const NearMiss &miss)
{
    QString text = row(QString(), QString());
    text += row(miss.mappingName.isEmpty() ? miss.mappingId : miss.mappingName, QString());
    text += row(QString(), QString());
    for (const MatchLine &line : miss.lines) {
        text += row(line.expected, line.actual,
                    line.distance > 0 ? line.label + QStringLiteral(" does not match") : QString());
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
