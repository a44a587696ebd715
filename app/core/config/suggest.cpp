#include "core/config/suggest.h"

#include <algorithm>

namespace envsync::config {

namespace {

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Typos in config keys are short; longer texts (pasted garbage) are not worth comparing.
constexpr std::size_t maxComparedLength = 128;

} // namespace

std::size_t editDistance(std::string_view a, std::string_view b)
{
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    // Three rolling rows: the transposition step looks two rows back.
    std::vector<std::size_t> twoBack(m + 1);
    std::vector<std::size_t> previous(m + 1);
    std::vector<std::size_t> current(m + 1);
    for (std::size_t j = 0; j <= m; ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2])
                && lower(a[i - 2]) == lower(b[j - 1]))
                current[j] = std::min(current[j], twoBack[j - 2] + 1);
        }
        std::swap(twoBack, previous);
        std::swap(previous, current);
    }
    return previous[m];
}

std::string nearestMatch(std::string_view text, const std::vector<std::string> &candidates)
{
    if (text.empty() || text.size() > maxComparedLength)
        return {};
    std::string best;
    std::size_t bestDistance = 0;
    for (const std::string &candidate : candidates) {
        const std::size_t distance = editDistance(text, candidate);
        const std::size_t longer = std::max(text.size(), candidate.size());
        // At most a third of the longer word may differ (at least one edit), and never all of it.
        const std::size_t allowed = std::max<std::size_t>(1, longer / 3);
        if (distance > allowed || distance >= text.size() || distance >= candidate.size())
            continue;
        if (best.empty() || distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace envsync::config
