#include "core/virt/scenariostore.h"

namespace envsync::virt {

void ScenarioStore::keepOnly(const QStringList &scenarioNames)
{
    QMutexLocker lock(&m_mutex);
    QHash<QString, QString> kept;
    for (const QString &name : scenarioNames)
        kept.insert(name, m_states.value(name, startedState));
    m_states = std::move(kept);
}

void ScenarioStore::reset()
{
    QMutexLocker lock(&m_mutex);
    for (auto it = m_states.begin(); it != m_states.end(); ++it)
        it.value() = startedState;
    m_version.fetch_add(1, std::memory_order_release);
}

bool ScenarioStore::tryStep(const QString &scenario, const QString &requiredState,
                            const QString &newState)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_states.find(scenario);
    if (it == m_states.end())
        it = m_states.insert(scenario, startedState);
    if (!requiredState.isEmpty() && it.value() != requiredState)
        return false;
    if (!newState.isEmpty() && it.value() != newState) {
        it.value() = newState;
        m_version.fetch_add(1, std::memory_order_release);
    }
    return true;
}

QString ScenarioStore::state(const QString &scenario) const
{
    QMutexLocker lock(&m_mutex);
    return m_states.value(scenario, startedState);
}

QHash<QString, QString> ScenarioStore::states() const
{
    QMutexLocker lock(&m_mutex);
    return m_states;
}

} // namespace envsync::virt
