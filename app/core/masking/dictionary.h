#pragma once

#include "core/error.h"

#include <memory>
#include <string>
#include <vector>

namespace envsync::masking {

/// A word list from resources/masking/<name>.txt (compiled in as ":/envsync/masking/<name>.txt"):
/// one entry per line, blank lines and lines starting with '#' ignored. Loaded once per name
/// and shared (thread-safe, immutable).
class Dictionary
{
public:
    /// Fails with ErrorCode::Config when no dictionary of that name exists or it is empty.
    [[nodiscard]] static Result<std::shared_ptr<const Dictionary>> load(const std::string &name);

    [[nodiscard]] const std::vector<std::string> &entries() const { return m_entries; }
    /// The entries made only of ASCII letters, lower-cased (for e-mail local parts).
    [[nodiscard]] const std::vector<std::string> &asciiLower() const { return m_asciiLower; }
    [[nodiscard]] const std::string &pick(std::uint64_t random) const
    {
        return m_entries[random % m_entries.size()];
    }

private:
    std::vector<std::string> m_entries;
    std::vector<std::string> m_asciiLower;
};

} // namespace envsync::masking
