#pragma once

#include <QRegularExpression>
#include <QString>

namespace envsync::virt {

/// The full-match (anchored), optimised regex for `pattern`, compiled once per process: Qt 6
/// JIT-compiles every pattern, and a mapping's regex is needed both when its file is validated
/// and when the engine compiles it; identical patterns across mappings share one compilation.
/// Thread-safe; the cache empties itself past a bound so hostile input cannot grow it forever.
QRegularExpression fullMatchRegex(const QString &pattern);

} // namespace envsync::virt
