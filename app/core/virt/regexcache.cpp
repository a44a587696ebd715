#include "core/virt/regexcache.h"

#include <QHash>
#include <QMutex>

namespace envsync::virt {

namespace {

constexpr qsizetype maxCachedPatterns = 100'000;

struct Cache
{
    QMutex mutex;
    QHash<QString, QRegularExpression> byPattern;
};

Cache &cache()
{
    static Cache instance;
    return instance;
}

} // namespace

QRegularExpression fullMatchRegex(const QString &pattern)
{
    Cache &c = cache();
    {
        QMutexLocker lock(&c.mutex);
        const auto found = c.byPattern.constFind(pattern);
        if (found != c.byPattern.constEnd())
            return *found;
    }
    // Java's String.matches(), which WireMock uses: the whole value must match.
    QRegularExpression regex(QRegularExpression::anchoredPattern(pattern));
    regex.optimize(); // compiled (and JIT-compiled) here, not on the first request
    QMutexLocker lock(&c.mutex);
    if (c.byPattern.size() >= maxCachedPatterns)
        c.byPattern.clear();
    c.byPattern.insert(pattern, regex);
    return regex;
}

} // namespace envsync::virt
