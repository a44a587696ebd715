#include "core/virt/jsonmatcher.h"

#include "core/virt/regexcache.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

namespace envsync::virt {

namespace {

constexpr int maxDepth = 256;
/// ignoreArrayOrder compares every expected item with every actual one; beyond this many
/// comparisons per array the match fails rather than burning CPU on a hostile body.
constexpr qsizetype maxUnorderedComparisons = 1'000'000;

const QString placeholderPrefix = QStringLiteral("${json-unit.");
const QString regexPrefix = QStringLiteral("${json-unit.regex}");

QString memberPath(const QString &path, const QString &name)
{
    return path + u'.' + name;
}

QString indexPath(const QString &path, qsizetype index)
{
    return path + u'[' + QString::number(index) + u']';
}

bool setDifference(QString *difference, const QString &path)
{
    if (difference && difference->isEmpty())
        *difference = path;
    return false;
}

} // namespace

Result<JsonMatcher> JsonMatcher::compile(const QString &expectedJson, Options options)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + expectedJson.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return fail(ErrorCode::Config,
                    "equalToJson is not JSON: " + error.errorString().toStdString());
    JsonMatcher matcher;
    matcher.m_expected = doc.array().at(0);
    matcher.m_options = options;
    matcher.collectRegexes(matcher.m_expected, 0);
    for (const QRegularExpression &regex : std::as_const(matcher.m_regexes)) {
        if (!regex.isValid())
            return fail(ErrorCode::Config, "equalToJson: invalid ${json-unit.regex}: "
                                                   + regex.errorString().toStdString());
    }
    return matcher;
}

void JsonMatcher::collectRegexes(const QJsonValue &value, int depth)
{
    if (depth > maxDepth)
        return;
    if (value.isString() && value.toString().startsWith(regexPrefix)) {
        const QString pattern = value.toString().mid(regexPrefix.size());
        m_regexes.insert(value.toString(), fullMatchRegex(pattern));
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            collectRegexes(it.value(), depth + 1);
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectRegexes(item, depth + 1);
    }
}

bool JsonMatcher::matches(const QJsonValue &actual) const
{
    if (actual.isUndefined())
        return false;
    return compare(m_expected, actual, QString(), nullptr, 0);
}

std::optional<QString> JsonMatcher::firstDifference(const QJsonValue &actual) const
{
    if (actual.isUndefined())
        return QStringLiteral("$ (not JSON)");
    QString difference;
    if (compare(m_expected, actual, QStringLiteral("$"), &difference, 0))
        return std::nullopt;
    return difference.isEmpty() ? QStringLiteral("$") : difference;
}

/// nullopt: not a placeholder; otherwise whether `actual` satisfies it.
std::optional<bool> JsonMatcher::placeholder(const QString &expected,
                                             const QJsonValue &actual) const
{
    if (!expected.startsWith(placeholderPrefix))
        return std::nullopt;
    if (expected == QLatin1StringView("${json-unit.ignore}"))
        return true;
    if (expected == QLatin1StringView("${json-unit.any-string}"))
        return actual.isString();
    if (expected == QLatin1StringView("${json-unit.any-number}"))
        return actual.isDouble();
    if (expected == QLatin1StringView("${json-unit.any-boolean}"))
        return actual.isBool();
    const auto regex = m_regexes.constFind(expected);
    if (regex != m_regexes.constEnd())
        return actual.isString() && regex->match(actual.toString()).hasMatch();
    return std::nullopt;
}

bool JsonMatcher::compare(const QJsonValue &expected, const QJsonValue &actual, const QString &path,
                          QString *difference, int depth) const
{
    if (depth > maxDepth)
        return setDifference(difference, path);
    if (expected.isString()) {
        if (const std::optional<bool> result = placeholder(expected.toString(), actual))
            return *result || setDifference(difference, path);
    }
    if (expected.isObject() && actual.isObject())
        return compareObjects(expected.toObject(), actual.toObject(), path, difference, depth);
    if (expected.isArray() && actual.isArray())
        return compareArrays(expected.toArray(), actual.toArray(), path, difference, depth);
    if (expected.isDouble() && actual.isDouble())
        return expected.toDouble() == actual.toDouble() || setDifference(difference, path);
    return expected == actual || setDifference(difference, path);
}

bool JsonMatcher::compareObjects(const QJsonObject &expected, const QJsonObject &actual,
                                 const QString &path, QString *difference, int depth) const
{
    if (!m_options.ignoreExtraElements && expected.size() != actual.size()) {
        for (auto it = actual.begin(); it != actual.end(); ++it) {
            if (!expected.contains(it.key()))
                return setDifference(difference, memberPath(path, it.key()));
        }
    }
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        const auto found = actual.constFind(it.key());
        const QString childPath = difference ? memberPath(path, it.key()) : QString();
        if (found == actual.constEnd())
            return setDifference(difference, childPath);
        if (!compare(it.value(), found.value(), childPath, difference, depth + 1))
            return false;
    }
    return true;
}

bool JsonMatcher::compareArrays(const QJsonArray &expected, const QJsonArray &actual,
                                const QString &path, QString *difference, int depth) const
{
    const bool sizeOk = m_options.ignoreExtraElements ? actual.size() >= expected.size()
                                                      : actual.size() == expected.size();
    if (!sizeOk)
        return setDifference(difference, path);
    if (m_options.ignoreArrayOrder)
        return compareUnordered(expected, actual, path, difference, depth);
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const QString childPath = difference ? indexPath(path, i) : QString();
        if (!compare(expected.at(i), actual.at(i), childPath, difference, depth + 1))
            return false;
    }
    return true;
}

/// Each expected item must match a distinct actual item (greedy, first fit).
bool JsonMatcher::compareUnordered(const QJsonArray &expected, const QJsonArray &actual,
                                   const QString &path, QString *difference, int depth) const
{
    if (expected.size() * actual.size() > maxUnorderedComparisons)
        return setDifference(difference, path);
    std::vector<bool> used(size_t(actual.size()), false);
    for (qsizetype i = 0; i < expected.size(); ++i) {
        bool found = false;
        for (qsizetype j = 0; j < actual.size() && !found; ++j) {
            if (!used[size_t(j)]
                && compare(expected.at(i), actual.at(j), QString(), nullptr, depth + 1)) {
                used[size_t(j)] = true;
                found = true;
            }
        }
        if (!found)
            return setDifference(difference, indexPath(path, i));
    }
    return true;
}

} // namespace envsync::virt
