#pragma once

#include "core/config/config.h"
#include "core/error.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace envsync::virt {

/// Which recording of a service to serve (issue 19 "Versions"): a service's `mappings:` folder
/// holds one WireMock root per golden version, DIR/golden_vN/{mappings,__files}, and
/// DIR/unversioned when nothing had been snapshotted at recording time.
struct RecordingChoice
{
    std::filesystem::path root;         ///< the WireMock root to serve (holds mappings/)
    std::string version;                ///< "golden_v3", "unversioned", or "" for a plain root
    std::optional<std::string> warning; ///< set when not the version asked for
};

/// golden_vN folders with a mappings/ inside, oldest first.
[[nodiscard]] std::vector<std::string> recordedVersions(const std::filesystem::path &dir);

/// For `golden` (a region's version): that recording, else the newest older one (warning),
/// else the unversioned one (warning); an error when none fits. `golden` empty: the newest
/// recording, else the unversioned one, else DIR itself when it is a plain WireMock root.
/// `golden` not a golden_vN name (a region seeded another way): as empty, with a warning.
[[nodiscard]] Result<RecordingChoice> chooseRecording(const std::filesystem::path &dir,
                                                      const std::string &golden);

/// The golden snapshot a region was last refreshed from (control database); nullopt when it
/// never was (or no control database exists yet).
[[nodiscard]] Result<std::optional<std::string>> regionGoldenVersion(const config::Config &config,
                                                                     const std::string &region);

} // namespace envsync::virt
