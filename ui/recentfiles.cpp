#include "ui/recentfiles.h"

#include <QSettings>

namespace envsync::ui {

RecentFiles::RecentFiles(QString settingsKey)
    : m_key(std::move(settingsKey))
{
}

QStringList RecentFiles::files() const
{
    return QSettings().value(m_key).toStringList();
}

void RecentFiles::add(const QString &path)
{
    store(withAdded(files(), path));
}

void RecentFiles::remove(const QString &path)
{
    QStringList list = files();
    list.removeAll(path);
    store(list);
}

void RecentFiles::clear()
{
    store({});
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

void RecentFiles::store(const QStringList &files)
{
    QSettings settings;
    if (files.isEmpty())
        settings.remove(m_key);
    else
        settings.setValue(m_key, files);
}

} // namespace envsync::ui
