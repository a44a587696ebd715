#include "core/virt/recordingversions.h"

#include "core/db/configuredconnect.h"
#include "core/db/controldb.h"

#include <algorithm>
#include <charconv>

namespace envsync::virt {

namespace {

constexpr std::string_view goldenPrefix = "golden_v";
constexpr const char *unversioned = "unversioned";

/// N of "golden_vN"; nullopt for any other name.
std::optional<int> versionNumber(const std::string &name)
{
    if (!name.starts_with(goldenPrefix) || name.size() == goldenPrefix.size())
        return std::nullopt;
    int number = 0;
    const char *begin = name.data() + goldenPrefix.size();
    const char *end = name.data() + name.size();
    const auto [last, error] = std::from_chars(begin, end, number);
    if (error != std::errc() || last != end || number < 0)
        return std::nullopt;
    return number;
}

bool isRoot(const std::filesystem::path &dir)
{
    std::error_code error;
    return std::filesystem::is_directory(dir / "mappings", error);
}

} // namespace

std::vector<std::string> recordedVersions(const std::filesystem::path &dir)
{
    std::vector<std::pair<int, std::string>> found;
    std::error_code error;
    for (const auto &entry : std::filesystem::directory_iterator(dir, error)) {
        const std::string name = entry.path().filename().string();
        const auto number = versionNumber(name);
        if (number && isRoot(entry.path()))
            found.emplace_back(*number, name);
    }
    std::ranges::sort(found);
    std::vector<std::string> names;
    for (auto &[number, name] : found)
        names.push_back(std::move(name));
    return names;
}

Result<RecordingChoice> chooseRecording(const std::filesystem::path &dir, const std::string &golden)
{
    const std::vector<std::string> versions = recordedVersions(dir);
    const bool hasUnversioned = isRoot(dir / unversioned);
    if (!golden.empty()) {
        const auto wanted = versionNumber(golden);
        if (!wanted) {
            // A region loaded some other way (the demo's seed data): no version to follow.
            auto newest = chooseRecording(dir, {});
            if (newest)
                newest->warning = "the region holds " + golden
                                  + ", not a golden version: serving the newest recording"
                                  + (newest->version.empty() ? "" : " (" + newest->version + ")");
            return newest;
        }
        if (std::ranges::find(versions, golden) != versions.end())
            return RecordingChoice{dir / golden, golden, std::nullopt};
        for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
            if (*versionNumber(*it) < *wanted)
                return RecordingChoice{dir / *it, *it,
                                       "no recording for " + golden + " in " + dir.string()
                                               + ": serving the older " + *it};
        }
        if (hasUnversioned)
            return RecordingChoice{dir / unversioned, unversioned,
                                   "no recording for " + golden + " in " + dir.string()
                                           + ": serving the unversioned one"};
        return fail(ErrorCode::Config, "nothing recorded for " + golden + " or older",
                    dir.string());
    }
    if (!versions.empty())
        return RecordingChoice{dir / versions.back(), versions.back(), std::nullopt};
    if (hasUnversioned)
        return RecordingChoice{dir / unversioned, unversioned, std::nullopt};
    if (isRoot(dir))
        return RecordingChoice{dir, std::string(), std::nullopt};
    return fail(ErrorCode::Config,
                "nothing recorded (no golden_vN/mappings, unversioned/mappings "
                "or mappings/ folder)",
                dir.string());
}

Result<std::optional<std::string>> regionGoldenVersion(const config::Config &config,
                                                       const std::string &region)
{
    auto control = db::ControlDb::openExisting(
            config.golden.dsn, db::configuredConnectOptions(config, "envsync virt"));
    if (!control)
        return std::unexpected(control.error());
    if (!*control)
        return std::optional<std::string>();
    auto refreshes = (*control)->lastSuccessfulRefreshes();
    if (!refreshes)
        return std::unexpected(refreshes.error());
    const auto it = refreshes->find(region);
    if (it == refreshes->end())
        return std::optional<std::string>();
    return std::optional<std::string>(it->second.snapshot);
}

} // namespace envsync::virt
