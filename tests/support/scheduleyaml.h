#pragma once

// Small configs for the calendar and planner tests, written as YAML and read through the real
// loader (so conflicts carry real file positions).

#include "core/config/configloader.h"

#include <QtGlobal>

#include <string>

namespace envsync::test {

/// `yaml` through config::parseConfig; a config that does not load fails the test loudly.
inline config::Config loadConfigText(const std::string &yaml, const std::string &fileName)
{
    auto loaded = config::parseConfig(yaml, fileName);
    if (!loaded) {
        for (const auto &diagnostic : loaded.error())
            qWarning("%s", diagnostic.format().c_str());
        qFatal("test config does not load");
    }
    return *loaded;
}

/// version, source, golden with `maxParallel` refreshes, and the "regions:" line.
inline std::string estateHeader(int maxParallel)
{
    return "version: 1\nsource: { name: prod, dsn: \"service=prod\" }\n"
           "golden: { dsn: \"service=golden\", max_parallel_refreshes: "
           + std::to_string(maxParallel) + " }\nregions:\n";
}

/// One entry of "regions:" with a window.
inline std::string regionYaml(const std::string &name, const std::string &zone,
                              const std::string &rrule, const std::string &start,
                              const std::string &duration, const std::string &sla = "7d")
{
    return "  - name: " + name + "\n    dsn: \"service=qa-" + name + "\"\n    timezone: " + zone
           + "\n    window: { rrule: \"" + rrule + "\", start: \"" + start
           + "\", duration: " + duration + " }\n    freshness_sla: " + sla + "\n";
}

} // namespace envsync::test
