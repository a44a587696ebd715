#pragma once

#include "core/virt/stubmapping.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>

#include <algorithm>
#include <climits>
#include <vector>

namespace envsync::virt {

/// Which stubs can match a request at all: stubs with a literal `url` or `urlPath` are found by
/// hash of the request's URL or path; the others (patterns, any URL) are always tried. Ranks are
/// positions in match order, so visiting them ascending keeps WireMock's precedence.
class CandidateIndex
{
public:
    void add(int rank, RequestPattern::UrlKind kind, const QString &url);

    /// Calls `visit(rank)` for every candidate in ascending rank until it returns true; returns
    /// whether one did.
    template<typename Visit> bool visit(QByteArrayView url, QByteArrayView path, Visit visit) const
    {
        const std::vector<int> &byUrl = lookup(m_byUrl, url);
        const std::vector<int> &byPath = lookup(m_byPath, path);
        size_t a = 0, b = 0, c = 0;
        while (a < byUrl.size() || b < byPath.size() || c < m_others.size()) {
            const int ra = a < byUrl.size() ? byUrl[a] : INT_MAX;
            const int rb = b < byPath.size() ? byPath[b] : INT_MAX;
            const int rc = c < m_others.size() ? m_others[c] : INT_MAX;
            const int rank = std::min({ra, rb, rc});
            (rank == ra ? a : rank == rb ? b : c)++;
            if (visit(rank))
                return true;
        }
        return false;
    }

private:
    static const std::vector<int> &lookup(const QHash<QByteArray, std::vector<int>> &hash,
                                          QByteArrayView key);

    QHash<QByteArray, std::vector<int>> m_byUrl, m_byPath;
    std::vector<int> m_others;
};

} // namespace envsync::virt
