#pragma once

#include <QString>
#include <QVariant>

#include <memory>

QT_BEGIN_NAMESPACE
class QThreadPool;
QT_END_NAMESPACE

namespace envsync::ui {

/// Stores QSettings values on a background thread, one at a time and in order. QSettings
/// writes its file with fdatasync, which can stall the GUI thread for a long time on a busy
/// disk; reads stay synchronous (cached, and done at start-up).
class SettingsWriter
{
public:
    SettingsWriter();
    ~SettingsWriter(); ///< waits for every queued write
    SettingsWriter(const SettingsWriter &) = delete;
    SettingsWriter &operator=(const SettingsWriter &) = delete;

    /// Queues `key = value`; an invalid QVariant removes the key.
    void setValue(const QString &key, const QVariant &value);
    /// Blocks until every queued write is on disk (tests, shutdown).
    void waitForDone();

private:
    std::unique_ptr<QThreadPool> m_pool;
};

} // namespace envsync::ui
