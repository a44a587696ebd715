#pragma once

#include <QHash>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <atomic>

namespace envsync::virt {

/// The state of every scenario, the engine's only shared mutable state. A step (check the
/// required state, move to the new one) is atomic, so two threads never both take one step.
class ScenarioStore
{
public:
    static inline const QString startedState = QStringLiteral("Started");

    /// Keeps the states of scenarios still named, adds new ones as "Started", drops the rest.
    void keepOnly(const QStringList &scenarioNames);
    /// Every scenario back to "Started".
    void reset();
    /// If `scenario` is in `requiredState` (or none is required), moves it to `newState` (if
    /// any) and returns true; otherwise changes nothing and returns false.
    bool tryStep(const QString &scenario, const QString &requiredState, const QString &newState);
    [[nodiscard]] QString state(const QString &scenario) const;
    [[nodiscard]] QHash<QString, QString> states() const;
    /// Changes with every state change: a matcher that lost a race to another thread's step
    /// sees it moved and tries again rather than answering 404.
    [[nodiscard]] quint64 version() const { return m_version.load(std::memory_order_acquire); }

private:
    std::atomic<quint64> m_version{0};
    mutable QMutex m_mutex;
    QHash<QString, QString> m_states;
};

} // namespace envsync::virt
