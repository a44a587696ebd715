#include "core/virt/stubengine.h"

#include <QMutex>

namespace envsync::virt {

struct StubEngine::State
{
    mutable QMutex mutex;
    std::vector<StubMapping> mappings;
};

StubEngine::StubEngine(std::vector<StubMapping> mappings)
    : m_state(std::make_unique<State>())
{
    m_state->mappings = std::move(mappings);
}

StubEngine::~StubEngine() = default;

StubOutcome StubEngine::respond(const HttpRequest &)
{
    StubOutcome outcome;
    outcome.response.status = 404;
    outcome.response.body = "Request was not matched\n";
    return outcome;
}

std::vector<StubMapping> StubEngine::mappings() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->mappings;
}

void StubEngine::addMapping(StubMapping mapping)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->mappings.push_back(std::move(mapping));
}

bool StubEngine::removeMapping(const QString &id)
{
    QMutexLocker lock(&m_state->mutex);
    const auto removed
            = std::erase_if(m_state->mappings, [&](const StubMapping &m) { return m.id == id; });
    return removed > 0;
}

void StubEngine::resetMappings(std::vector<StubMapping> mappings)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->mappings = std::move(mappings);
}

void StubEngine::resetScenarios() {}

QJsonArray StubEngine::scenariosJson() const
{
    return {};
}

std::vector<NearMiss> StubEngine::nearMisses(const HttpRequest &, int) const
{
    return {};
}

} // namespace envsync::virt
