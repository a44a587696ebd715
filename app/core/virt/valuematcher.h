#pragma once

#include "core/error.h"
#include "core/virt/jsonmatcher.h"
#include "core/virt/jsonpath.h"
#include "core/virt/stubmapping.h"

#include <QRegularExpression>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace envsync::virt {

class RequestContext;

/// A ValuePattern made ready to match: regexes compiled and optimised, expected JSON parsed,
/// JSONPath compiled, once when the mapping is loaded. Immutable, so shared by all threads.
class ValueMatcher
{
public:
    static Result<ValueMatcher> compile(const ValuePattern &pattern);

    /// One value, or none (nullopt: the header / parameter is missing).
    [[nodiscard]] bool matches(const std::optional<QString> &value) const;
    /// Several values of one header or query parameter: absent wants none, hasExactly /
    /// includes look at all of them, any other pattern needs one value that matches.
    [[nodiscard]] bool matchesAny(const QStringList &values) const;
    /// A body pattern; JSON patterns use the context's parsed body.
    [[nodiscard]] bool matchesBody(const RequestContext &context) const;

    /// 0 on a match, up to 1 when nothing is alike (text distance for equalTo).
    [[nodiscard]] double distance(const QStringList &values) const;
    [[nodiscard]] double bodyDistance(const RequestContext &context) const;
    /// Why a body did not match, for near-miss reports ("$.amount differs").
    [[nodiscard]] QString bodyDifference(const RequestContext &context) const;
    /// "equalTo abc", "matches [0-9]+", "absent" — the expected side of a near-miss line.
    [[nodiscard]] QString describe() const;

private:
    bool matchesText(const QString &value) const;
    bool matchesJsonValue(const QJsonValue &json) const;
    bool matchesJsonPath(const QJsonValue &document) const;
    bool matchesMulti(const QStringList &values) const;

    ValuePattern::Op m_op = ValuePattern::Op::EqualTo;
    QString m_operand;
    bool m_caseInsensitive = false;
    QByteArray m_binary;
    QRegularExpression m_regex;
    std::optional<JsonMatcher> m_json;
    std::optional<JsonPath> m_path;
    std::shared_ptr<const ValueMatcher> m_sub;
    std::vector<ValueMatcher> m_items;
};

/// Levenshtein distance of two strings over the longer one's length, in [0, 1]; long strings
/// are compared only by equality so a near-miss report stays cheap.
double normalisedTextDistance(const QString &a, const QString &b);

} // namespace envsync::virt
