#pragma once

#include "core/job/canceltoken.h"

#include <QCommandLineParser>

#include <memory>

namespace envsync::cli {

/// The options only `virt record` takes (--learn N, --golden golden_vN).
void addVirtRecordOptions(QCommandLineParser &parser);

/// `envsyncctl virt record -c FILE --service S [--learn N] [--golden golden_vN]`: records until
/// `cancel` (SIGINT/SIGTERM). Exit 0, 2 usage/config, 3 runtime, 4 when the salt is missing or
/// an exchange was refused for unmasked personal data.
int runVirtRecord(const QCommandLineParser &parser,
                  const std::shared_ptr<job::CancelToken> &cancel);

} // namespace envsync::cli
