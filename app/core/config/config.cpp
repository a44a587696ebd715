#include "core/config/config.h"

#include <algorithm>
#include <filesystem>

namespace envsync::config {

const RegionConfig *Config::findRegion(const std::string &name) const
{
    const auto it = std::ranges::find(regions, name, &RegionConfig::name);
    return it == regions.end() ? nullptr : &*it;
}

std::string Config::cdcSpoolPath() const
{
    const std::filesystem::path spoolPath(cdc.spool);
    if (spoolPath.is_absolute() || path.empty())
        return spoolPath.lexically_normal().string();
    return (std::filesystem::path(path).parent_path() / spoolPath).lexically_normal().string();
}

const ServiceConfig *Config::findService(const std::string &name) const
{
    const auto it = std::ranges::find(services, name, &ServiceConfig::name);
    return it == services.end() ? nullptr : &*it;
}

std::string Config::serviceMappingsPath(const ServiceConfig &service) const
{
    const std::filesystem::path mappingsPath(service.mappings);
    if (mappingsPath.is_absolute() || path.empty())
        return mappingsPath.lexically_normal().string();
    return (std::filesystem::path(path).parent_path() / mappingsPath).lexically_normal().string();
}

const std::vector<std::string> &knownTransforms()
{
    static const std::vector<std::string> transforms = {
            "null",        "constant",    "hash",      "email",         "person_name",
            "first_name",  "last_name",   "phone",     "address",       "date_shift",
            "noise",       "credit_card", "iban",      "partial",       "regex_replace",
            "dictionary",  "uuid",        "json",      "template",
    };
    return transforms;
}

} // namespace envsync::config
