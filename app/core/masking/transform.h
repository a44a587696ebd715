#pragma once

#include "core/error.h"
#include "hmackey.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::masking {

/// One deterministic masking function: the same value and salt give the same output in every
/// process. Immutable and thread-safe once built.
class Transform
{
public:
    virtual ~Transform() = default;
    /// Masks a non-NULL value into `out` (cleared by the caller). Returns false when the output
    /// is NULL.
    virtual bool apply(std::string_view value, std::string &out) const = 0;
    /// What a NULL input becomes. NULL stays NULL except for `null` and `constant`.
    virtual bool applyNull(std::string &out) const
    {
        (void)out;
        return false;
    }
};

/// Builds the transform `name` with its scalar parameters. Fails with ErrorCode::Config naming
/// the bad parameter (the caller adds the rule's location).
[[nodiscard]] Result<std::shared_ptr<const Transform>>
makeTransform(const std::string &name, const std::map<std::string, std::string> &params,
              bool unique, const HmacKey &salt);

/// The transforms that accept `unique: true`: they then embed 120 bits of a keyed hash (hash:
/// at least 128), one-way and of fixed length; distinct inputs collide with negligible
/// probability, and a collision would fail the target's unique index loudly.
[[nodiscard]] const std::vector<std::string> &uniqueCapableTransforms();

/// Luhn checksum test over the digits of `text` (other characters ignored).
[[nodiscard]] bool luhnValid(std::string_view text);
/// IBAN checksum test (mod 97 == 1, spaces ignored).
[[nodiscard]] bool ibanValid(std::string_view text);

} // namespace envsync::masking
