#include "ui/common/settingswriter.h"

#include <QSettings>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace envsync::ui {

SettingsWriter::SettingsWriter()
    : m_pool(std::make_unique<QThreadPool>())
{
    m_pool->setMaxThreadCount(1); // one writer: values land in the order they were set
    m_pool->setObjectName(QStringLiteral("envsync-settings-writer"));
}

SettingsWriter::~SettingsWriter()
{
    waitForDone();
}

void SettingsWriter::setValue(const QString &key, const QVariant &value)
{
    // QSettings objects are reentrant: a fresh one per write is safe on any thread.
    (void)QtConcurrent::run(m_pool.get(), [key, value] {
        QSettings settings;
        if (value.isValid())
            settings.setValue(key, value);
        else
            settings.remove(key);
    });
}

void SettingsWriter::waitForDone()
{
    m_pool->waitForDone();
}

} // namespace envsync::ui
