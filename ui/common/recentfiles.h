#pragma once

#include <QString>
#include <QStringList>

namespace envsync::ui {

class SettingsWriter;

/// File › Open Recent: the last few config paths, newest first. Read from QSettings once;
/// changes are written in the background through a SettingsWriter.
class RecentFiles
{
public:
    static constexpr int maximum = 8;
    static constexpr const char *settingsKey = "recentConfigs";

    /// Reads the stored list. Without a writer, changes stay in memory.
    explicit RecentFiles(SettingsWriter *writer = nullptr);

    [[nodiscard]] QStringList files() const { return m_files; }
    /// Moves (or inserts) path to the front and trims the list to `maximum`.
    void add(const QString &path);
    void remove(const QString &path);
    void clear();

    /// The pure rule behind add(), for tests: front, no duplicates, at most `limit`.
    [[nodiscard]] static QStringList withAdded(QStringList list, const QString &path,
                                               int limit = maximum);

private:
    void store();

    SettingsWriter *m_writer;
    QStringList m_files;
};

} // namespace envsync::ui
