#include "core/virt/valuematcher.h"

#include "core/virt/regexcache.h"
#include "core/virt/requestcontext.h"

#include <algorithm>
#include <vector>

namespace envsync::virt {

namespace {

using Op = ValuePattern::Op;

constexpr qsizetype maxLevenshteinLength = 512;

} // namespace

Result<ValueMatcher> ValueMatcher::compile(const ValuePattern &pattern)
{
    ValueMatcher matcher;
    matcher.m_op = pattern.op;
    matcher.m_operand = pattern.operand;
    matcher.m_caseInsensitive = pattern.caseInsensitive;
    switch (pattern.op) {
    case Op::Matches:
    case Op::DoesNotMatch:
        matcher.m_regex = fullMatchRegex(pattern.operand);
        if (!matcher.m_regex.isValid())
            return fail(ErrorCode::Config, "invalid regular expression: "
                                                   + matcher.m_regex.errorString().toStdString());
        break;
    case Op::EqualToJson: {
        auto json = JsonMatcher::compile(pattern.operand,
                                         {pattern.ignoreArrayOrder, pattern.ignoreExtraElements});
        if (!json)
            return std::unexpected(json.error());
        matcher.m_json = std::move(*json);
        break;
    }
    case Op::MatchesJsonPath: {
        auto path = JsonPath::compile(pattern.operand);
        if (!path)
            return std::unexpected(path.error());
        matcher.m_path = std::move(*path);
        if (pattern.subPattern) {
            auto sub = compile(*pattern.subPattern);
            if (!sub)
                return std::unexpected(sub.error());
            matcher.m_sub = std::make_shared<const ValueMatcher>(std::move(*sub));
        }
        break;
    }
    case Op::BinaryEqualTo:
        matcher.m_binary = QByteArray::fromBase64(pattern.operand.toLatin1());
        break;
    case Op::HasExactly:
    case Op::Includes:
        for (const ValuePattern &item : pattern.items) {
            auto compiled = compile(item);
            if (!compiled)
                return std::unexpected(compiled.error());
            matcher.m_items.push_back(std::move(*compiled));
        }
        break;
    default:
        break;
    }
    return matcher;
}

bool ValueMatcher::matchesText(const QString &value) const
{
    switch (m_op) {
    case Op::EqualTo:
        return m_operand.compare(value, m_caseInsensitive ? Qt::CaseInsensitive : Qt::CaseSensitive)
               == 0;
    case Op::Contains:
        return value.contains(m_operand);
    case Op::DoesNotContain:
        return !value.contains(m_operand);
    case Op::Matches:
        return m_regex.match(value).hasMatch();
    case Op::DoesNotMatch:
        return !m_regex.match(value).hasMatch();
    case Op::Absent:
        return false;
    case Op::EqualToJson:
        return m_json->matches(parseJsonValue(value.toUtf8()));
    case Op::MatchesJsonPath: {
        const QJsonValue json = parseJsonValue(value.toUtf8());
        return !json.isUndefined() && matchesJsonPath(json);
    }
    case Op::BinaryEqualTo:
        return value.toUtf8() == m_binary;
    case Op::HasExactly:
    case Op::Includes:
        return matchesMulti({value});
    }
    return false;
}

bool ValueMatcher::matches(const std::optional<QString> &value) const
{
    if (m_op == Op::Absent)
        return !value.has_value();
    return value && matchesText(*value);
}

bool ValueMatcher::matchesMulti(const QStringList &values) const
{
    auto itemMatchesSome = [&values](const ValueMatcher &item) {
        return std::any_of(values.begin(), values.end(),
                           [&item](const QString &value) { return item.matchesText(value); });
    };
    if (!std::all_of(m_items.begin(), m_items.end(), itemMatchesSome))
        return false;
    if (m_op == Op::Includes)
        return true;
    // hasExactly: no value beyond the ones the patterns describe.
    return values.size() == qsizetype(m_items.size())
           && std::all_of(values.begin(), values.end(), [this](const QString &value) {
                  return std::any_of(
                          m_items.begin(), m_items.end(),
                          [&value](const ValueMatcher &i) { return i.matchesText(value); });
              });
}

bool ValueMatcher::matchesAny(const QStringList &values) const
{
    if (m_op == Op::Absent)
        return values.isEmpty();
    if (m_op == Op::HasExactly || m_op == Op::Includes)
        return matchesMulti(values);
    return std::any_of(values.begin(), values.end(),
                       [this](const QString &value) { return matchesText(value); });
}

bool ValueMatcher::matchesJsonPath(const QJsonValue &document) const
{
    const QList<QJsonValue> found = m_path->evaluate(document);
    if (!m_sub)
        return !found.isEmpty();
    if (found.isEmpty())
        return m_sub->m_op == Op::Absent;
    return std::any_of(found.begin(), found.end(),
                       [this](const QJsonValue &value) { return m_sub->matchesJsonValue(value); });
}

/// A value JSONPath selected, against the sub-pattern: JSON patterns see the JSON itself,
/// text patterns its text.
bool ValueMatcher::matchesJsonValue(const QJsonValue &json) const
{
    if (m_op == Op::EqualToJson)
        return m_json->matches(json);
    if (m_op == Op::MatchesJsonPath)
        return matchesJsonPath(json);
    return matchesText(jsonValueText(json));
}

bool ValueMatcher::matchesBody(const RequestContext &context) const
{
    switch (m_op) {
    case Op::EqualToJson:
        return m_json->matches(context.bodyJson());
    case Op::MatchesJsonPath:
        return !context.bodyJson().isUndefined() && matchesJsonPath(context.bodyJson());
    case Op::BinaryEqualTo:
        return context.request().body == m_binary;
    case Op::Absent:
        return context.request().body.isEmpty();
    default:
        return matchesText(context.bodyText());
    }
}

double ValueMatcher::distance(const QStringList &values) const
{
    if (matchesAny(values))
        return 0.0;
    if (m_op == Op::EqualTo && !values.isEmpty()) {
        double best = 1.0;
        for (const QString &value : values)
            best = std::min(best, normalisedTextDistance(m_operand, value));
        return std::max(best, 0.01);
    }
    return 1.0;
}

double ValueMatcher::bodyDistance(const RequestContext &context) const
{
    if (matchesBody(context))
        return 0.0;
    if (m_op == Op::EqualTo)
        return std::max(normalisedTextDistance(m_operand, context.bodyText()), 0.01);
    return 1.0;
}

QString ValueMatcher::bodyDifference(const RequestContext &context) const
{
    if (m_op == Op::EqualToJson) {
        const std::optional<QString> path = m_json->firstDifference(context.bodyJson());
        return path ? *path + QStringLiteral(" differs") : QString();
    }
    if (m_op == Op::MatchesJsonPath)
        return m_operand + QStringLiteral(" does not match");
    return QStringLiteral("does not ") + describe();
}

QString ValueMatcher::describe() const
{
    switch (m_op) {
    case Op::EqualTo:
        return QStringLiteral("equalTo ") + m_operand;
    case Op::Contains:
        return QStringLiteral("contains ") + m_operand;
    case Op::DoesNotContain:
        return QStringLiteral("doesNotContain ") + m_operand;
    case Op::Matches:
        return QStringLiteral("matches ") + m_operand;
    case Op::DoesNotMatch:
        return QStringLiteral("doesNotMatch ") + m_operand;
    case Op::Absent:
        return QStringLiteral("absent");
    case Op::EqualToJson:
        return QStringLiteral("equalToJson ") + m_operand;
    case Op::MatchesJsonPath:
        return QStringLiteral("matchesJsonPath ") + m_operand
               + (m_sub ? QStringLiteral(" ") + m_sub->describe() : QString());
    case Op::BinaryEqualTo:
        return QStringLiteral("binaryEqualTo ") + m_operand;
    case Op::HasExactly:
    case Op::Includes: {
        QStringList parts;
        for (const ValueMatcher &item : m_items)
            parts.append(item.describe());
        return (m_op == Op::HasExactly ? QStringLiteral("hasExactly [")
                                       : QStringLiteral("includes ["))
               + parts.join(QStringLiteral(", ")) + u']';
    }
    }
    return {};
}

double normalisedTextDistance(const QString &a, const QString &b)
{
    if (a == b)
        return 0.0;
    const qsizetype longest = std::max(a.size(), b.size());
    if (longest > maxLevenshteinLength)
        return 1.0;
    std::vector<qsizetype> previous(size_t(b.size() + 1)), current(size_t(b.size() + 1));
    for (qsizetype j = 0; j <= b.size(); ++j)
        previous[size_t(j)] = j;
    for (qsizetype i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const qsizetype cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
            current[size_t(j)] = std::min({previous[size_t(j)] + 1, current[size_t(j - 1)] + 1,
                                           previous[size_t(j - 1)] + cost});
        }
        std::swap(previous, current);
    }
    return double(previous[size_t(b.size())]) / double(longest);
}

} // namespace envsync::virt
