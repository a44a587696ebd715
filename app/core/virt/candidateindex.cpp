#include "core/virt/candidateindex.h"

namespace envsync::virt {

void CandidateIndex::add(int rank, RequestPattern::UrlKind kind, const QString &url)
{
    // Ranks arrive ascending, so every list stays sorted.
    switch (kind) {
    case RequestPattern::UrlKind::Url:
        m_byUrl[url.toUtf8()].push_back(rank);
        break;
    case RequestPattern::UrlKind::UrlPath:
        m_byPath[url.toUtf8()].push_back(rank);
        break;
    default:
        m_others.push_back(rank);
        break;
    }
}

const std::vector<int> &CandidateIndex::lookup(const QHash<QByteArray, std::vector<int>> &hash,
                                               QByteArrayView key)
{
    static const std::vector<int> none;
    // QHash<QByteArray> lookups need a QByteArray; fromRawData wraps without copying.
    const auto found = hash.constFind(QByteArray::fromRawData(key.data(), key.size()));
    return found == hash.constEnd() ? none : *found;
}

} // namespace envsync::virt
