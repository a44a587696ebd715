#pragma once

#include <yaml-cpp/mark.h>

#include <optional>
#include <string>

namespace envsync::config {

/// What a YAML stream holds at the document level, found without building nodes.
struct DocumentScan
{
    int documents = 0;
    /// Where the first document with any content starts, and its 0-based index.
    std::optional<YAML::Mark> firstContent;
    int firstContentIndex = -1;
    /// Where the first document after the first one with any content starts.
    std::optional<YAML::Mark> extraDocument;
    /// Where the parser stopped making progress (see scanDocuments()).
    std::optional<YAML::Mark> stuckAt;
};

/// Walks every document of text. yaml-cpp 0.7's LoadAll() never returns (and allocates without
/// bound) when a document starts with a token it cannot use, such as a stray "," at the start
/// of a line: each call parses an empty document without consuming anything. This walk stops
/// there and reports the position instead. Throws what yaml-cpp throws for syntax errors.
[[nodiscard]] DocumentScan scanDocuments(const std::string &text);

} // namespace envsync::config
