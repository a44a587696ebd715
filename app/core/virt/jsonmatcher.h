#pragma once

#include "core/error.h"

#include <QHash>
#include <QJsonValue>
#include <QRegularExpression>
#include <QString>

#include <optional>

namespace envsync::virt {

/// WireMock's equalToJson: semantic JSON equality (numbers by value, member order free), the
/// options ignoreArrayOrder / ignoreExtraElements (extra members and extra array items), and the
/// json-unit placeholders WireMock supports inside the expected JSON: "${json-unit.ignore}",
/// "${json-unit.any-string}", "${json-unit.any-number}", "${json-unit.any-boolean}",
/// "${json-unit.regex}REGEX". The expected JSON is parsed and its regexes compiled once.
class JsonMatcher
{
public:
    struct Options
    {
        bool ignoreArrayOrder = false;
        bool ignoreExtraElements = false;
    };

    static Result<JsonMatcher> compile(const QString &expectedJson, Options options);

    [[nodiscard]] bool matches(const QJsonValue &actual) const;
    /// The JSONPath of the first difference ("$.amount", "$.items[2]"), nullopt on a match.
    [[nodiscard]] std::optional<QString> firstDifference(const QJsonValue &actual) const;

private:
    bool compare(const QJsonValue &expected, const QJsonValue &actual, const QString &path,
                 QString *difference, int depth) const;
    bool compareObjects(const QJsonObject &expected, const QJsonObject &actual, const QString &path,
                        QString *difference, int depth) const;
    bool compareArrays(const QJsonArray &expected, const QJsonArray &actual, const QString &path,
                       QString *difference, int depth) const;
    bool compareUnordered(const QJsonArray &expected, const QJsonArray &actual, const QString &path,
                          QString *difference, int depth) const;
    std::optional<bool> placeholder(const QString &expected, const QJsonValue &actual) const;
    void collectRegexes(const QJsonValue &value, int depth);

    QJsonValue m_expected;
    Options m_options;
    QHash<QString, QRegularExpression> m_regexes; ///< "${json-unit.regex}..." → compiled
};

} // namespace envsync::virt
