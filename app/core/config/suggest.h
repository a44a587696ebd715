#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace envsync::config {

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so "emial" is one
/// edit from "email"), compared case-insensitively for ASCII letters.
[[nodiscard]] std::size_t editDistance(std::string_view a, std::string_view b);

/// The candidate closest to text when it is close enough to be a plausible typo, else empty.
/// "Close enough" scales with the length so short words do not suggest unrelated short words.
[[nodiscard]] std::string nearestMatch(std::string_view text,
                                       const std::vector<std::string> &candidates);

} // namespace envsync::config
