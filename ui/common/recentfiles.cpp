#include "ui/common/recentfiles.h"

#include "ui/common/settingswriter.h"

#include <QSettings>

namespace envsync::ui {

RecentFiles::RecentFiles(SettingsWriter *writer)
    : m_writer(writer)
    , m_files(QSettings().value(QLatin1String(settingsKey)).toStringList())
{
    while (m_files.size() > maximum)
        m_files.removeLast();
}

void RecentFiles::add(const QString &path)
{
    m_files = withAdded(m_files, path);
    store();
}

void RecentFiles::remove(const QString &path)
{
    m_files.removeAll(path);
    store();
}

void RecentFiles::clear()
{
    m_files.clear();
    store();
}

QStringList RecentFiles::withAdded(QStringList list, const QString &path, int limit)
{
    if (path.isEmpty())
        return list;
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > limit)
        list.removeLast();
    return list;
}

void RecentFiles::store()
{
    if (m_writer)
        m_writer->setValue(QLatin1String(settingsKey),
                           m_files.isEmpty() ? QVariant() : QVariant(m_files));
}

} // namespace envsync::ui
