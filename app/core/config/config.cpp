#include "core/config/config.h"

#include <algorithm>

namespace envsync::config {

const RegionConfig *Config::findRegion(const std::string &name) const
{
    const auto it = std::ranges::find(regions, name, &RegionConfig::name);
    return it == regions.end() ? nullptr : &*it;
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
