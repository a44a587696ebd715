#include "core/report/reportformat.h"

namespace envsync::report {

std::string isoTime(const QDateTime &utc)
{
    return utc.isValid() ? utc.toUTC().toString(Qt::ISODate).toStdString() : std::string();
}

std::string joinNotes(const std::vector<std::string> &notes)
{
    std::string joined;
    for (const auto &note : notes)
        joined += (joined.empty() ? "" : "; ") + note;
    return joined;
}

std::string xmlEscape(const std::string &text)
{
    std::string escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        switch (c) {
        case '&':
            escaped += "&amp;";
            break;
        case '<':
            escaped += "&lt;";
            break;
        case '>':
            escaped += "&gt;";
            break;
        case '"':
            escaped += "&quot;";
            break;
        case '\'':
            escaped += "&#39;";
            break;
        default:
            escaped += c;
        }
    }
    return escaped;
}

} // namespace envsync::report
