#pragma once

#include <QString>
#include <QStringList>

namespace envsync::ui {

/// File › Open Recent: the last few config paths, newest first, stored in QSettings.
class RecentFiles
{
public:
    static constexpr int maximum = 8;

    explicit RecentFiles(QString settingsKey = QStringLiteral("recentConfigs"));

    [[nodiscard]] QStringList files() const;
    /// Moves (or inserts) path to the front and trims the list to `maximum`.
    void add(const QString &path);
    void remove(const QString &path);
    void clear();

    /// The pure rule behind add(), for tests: front, no duplicates, at most `limit`.
    [[nodiscard]] static QStringList withAdded(QStringList list, const QString &path,
                                               int limit = maximum);

private:
    void store(const QStringList &files);

    QString m_key;
};

} // namespace envsync::ui
