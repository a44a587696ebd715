#pragma once

#include "core/error.h"
#include "core/virt/stubmapping.h"

#include <QString>

#include <filesystem>
#include <vector>

namespace envsync::virt {

struct LoadedMappings
{
    std::vector<StubMapping> mappings;
    std::vector<Error> skipped; ///< files that could not be read or parsed, one error each
};

/// <root>/mappings/**/*.json: a single mapping or {"mappings": [...]}; bodyFileName resolved
/// against <root>/__files, refusing absolute paths, "..", symlinks leaving the root; body read
/// eagerly.
Result<LoadedMappings> loadMappings(const std::filesystem::path &root);

/// Writes one mapping as <root>/mappings/<fileStem>.json (atomically: temp + rename, 0644),
/// bodies over `largeBodyBytes` to <root>/__files/<fileStem>-body.<ext> with bodyFileName.
/// Creates the directories (0755) if missing; never follows symlinks; never writes outside root.
Result<void> writeMapping(const std::filesystem::path &root, const StubMapping &mapping,
                          const QString &fileStem, qsizetype largeBodyBytes = 16 * 1024);

} // namespace envsync::virt
