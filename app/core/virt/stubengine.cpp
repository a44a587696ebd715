#include "core/virt/stubengine.h"

#include "core/virt/candidateindex.h"
#include "core/virt/nearmissreport.h"
#include "core/virt/requestcontext.h"
#include "core/virt/responsetemplate.h"
#include "core/virt/scenariostore.h"

#include <QHash>
#include <QJsonObject>
#include <QMutex>

#include <algorithm>

namespace envsync::virt {

namespace {

/// A mapping made ready to answer: matcher compiled, response prebuilt (implicitly shared, so
/// answering copies no bytes), templates parsed. Immutable once built.
struct CompiledStub
{
    StubMapping mapping;
    std::optional<RequestMatcher> matcher; ///< nullopt: the mapping did not compile, never matches
    QString compileError;
    HttpResponse response;
    std::optional<ResponseTemplate> bodyTemplate;
    std::vector<std::pair<qsizetype, ResponseTemplate>> headerTemplates;
    quint64 sequence = 0; ///< order of adding: among equal priorities the newest wins
};

using StubPtr = std::shared_ptr<const CompiledStub>;

/// The mappings as one immutable value: respond() takes a reference and never locks again.
struct Snapshot
{
    std::vector<StubPtr> byAdding;     ///< in the order they were added
    std::vector<StubPtr> byMatchOrder; ///< priority ascending, then newest first
    CandidateIndex candidates;         ///< ranks into byMatchOrder by literal URL / path
};

HttpResponse prebuiltResponse(const ResponseDefinition &definition)
{
    HttpResponse response;
    response.status = definition.status;
    response.headers = definition.headers;
    response.body = definition.body.value_or(QByteArray());
    response.delay = std::chrono::milliseconds(definition.fixedDelayMilliseconds);
    return response;
}

StubPtr compileStub(StubMapping mapping, quint64 sequence)
{
    auto stub = std::make_shared<CompiledStub>();
    stub->sequence = sequence;
    auto matcher = RequestMatcher::compile(mapping.request);
    if (matcher)
        stub->matcher = std::move(*matcher);
    else
        stub->compileError = QString::fromStdString(matcher.error().message);
    stub->response = prebuiltResponse(mapping.response);
    if (mapping.response.templated) {
        stub->bodyTemplate = ResponseTemplate::compile(QString::fromUtf8(stub->response.body));
        for (qsizetype i = 0; i < stub->response.headers.size(); ++i) {
            ResponseTemplate header = ResponseTemplate::compile(
                    QString::fromUtf8(stub->response.headers.at(i).value));
            if (!header.isStatic())
                stub->headerTemplates.emplace_back(i, std::move(header));
        }
    }
    stub->mapping = std::move(mapping);
    return stub;
}

std::shared_ptr<const Snapshot> makeSnapshot(std::vector<StubPtr> byAdding)
{
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->byMatchOrder = byAdding;
    std::stable_sort(snapshot->byMatchOrder.begin(), snapshot->byMatchOrder.end(),
                     [](const StubPtr &a, const StubPtr &b) {
                         if (a->mapping.priority != b->mapping.priority)
                             return a->mapping.priority < b->mapping.priority;
                         return a->sequence > b->sequence;
                     });
    for (int rank = 0; rank < int(snapshot->byMatchOrder.size()); ++rank) {
        const RequestPattern &request = snapshot->byMatchOrder[size_t(rank)]->mapping.request;
        snapshot->candidates.add(rank, request.urlKind, request.url);
    }
    snapshot->byAdding = std::move(byAdding);
    return snapshot;
}

QStringList scenarioNames(const Snapshot &snapshot)
{
    QStringList names;
    for (const StubPtr &stub : snapshot.byAdding) {
        if (!stub->mapping.scenarioName.isEmpty() && !names.contains(stub->mapping.scenarioName))
            names.append(stub->mapping.scenarioName);
    }
    return names;
}

HttpResponse answer(const CompiledStub &stub, const HttpRequest &request)
{
    HttpResponse response = stub.response;
    if (stub.bodyTemplate)
        response.body = stub.bodyTemplate->render(request);
    for (const auto &[index, header] : stub.headerTemplates)
        response.headers[index].value = header.render(request);
    return response;
}

MatchLine scenarioLine(const CompiledStub &stub, const ScenarioStore &scenarios)
{
    const StubMapping &mapping = stub.mapping;
    const QString state = scenarios.state(mapping.scenarioName);
    MatchLine line;
    line.label = QStringLiteral("scenario ") + mapping.scenarioName;
    line.expected = QStringLiteral("[Scenario '") + mapping.scenarioName
                    + QStringLiteral("' state: ") + mapping.requiredScenarioState + u']';
    line.actual = QStringLiteral("[Scenario '") + mapping.scenarioName + QStringLiteral("' state: ")
                  + state + u']';
    line.distance = state == mapping.requiredScenarioState ? 0.0 : 1.0;
    return line;
}

QString describeDifference(const MatchLine &line)
{
    if (line.label == QLatin1StringView("body"))
        return QStringLiteral("body: ") + line.actual;
    return line.label + QStringLiteral(": expected ") + line.expected + QStringLiteral(", got ")
           + line.actual;
}

NearMiss nearMiss(const CompiledStub &stub, const RequestContext &context,
                  const ScenarioStore &scenarios)
{
    NearMiss miss;
    miss.mappingId = stub.mapping.id;
    miss.mappingName = stub.mapping.name;
    if (!stub.matcher) {
        miss.differences.append(QStringLiteral("mapping: ") + stub.compileError);
        return miss;
    }
    miss.lines = stub.matcher->evaluate(context);
    if (!stub.mapping.requiredScenarioState.isEmpty())
        miss.lines.push_back(scenarioLine(stub, scenarios));
    double total = 0.0;
    for (const MatchLine &line : miss.lines) {
        total += line.distance;
        if (line.distance <= 0)
            continue;
        miss.differences.append(describeDifference(line));
    }
    miss.distance = miss.lines.empty() ? 1.0 : total / double(miss.lines.size());
    return miss;
}

} // namespace

struct StubEngine::State
{
    mutable QMutex mutex; ///< guards `snapshot` and `nextSequence`, never held while matching
    std::shared_ptr<const Snapshot> snapshot;
    quint64 nextSequence = 0;
    ScenarioStore scenarios;

    std::shared_ptr<const Snapshot> current() const
    {
        QMutexLocker lock(&mutex);
        return snapshot;
    }

    /// Under `mutex`: publishes a new set and drops the states of scenarios no longer named.
    void publish(std::vector<StubPtr> byAdding)
    {
        snapshot = makeSnapshot(std::move(byAdding));
        scenarios.keepOnly(scenarioNames(*snapshot));
    }
};

StubEngine::StubEngine(std::vector<StubMapping> mappings)
    : m_state(std::make_unique<State>())
{
    resetMappings(std::move(mappings));
}

StubEngine::~StubEngine() = default;

/// The first stub (in match order) that matches and whose scenario step succeeds; sets
/// `lostRace` when a stub matched but its scenario was in another state.
static const CompiledStub *firstMatch(const Snapshot &snapshot, const RequestContext &context,
                                      ScenarioStore &scenarios, bool *lostRace)
{
    const CompiledStub *found = nullptr;
    snapshot.candidates.visit(context.request().url, context.rawPath(), [&](int rank) {
        const CompiledStub &stub = *snapshot.byMatchOrder[size_t(rank)];
        if (!stub.matcher || !stub.matcher->matches(context))
            return false;
        const StubMapping &mapping = stub.mapping;
        // The state check and the move happen under one lock: only one thread takes a step.
        if (mapping.scenarioName.isEmpty()
            || scenarios.tryStep(mapping.scenarioName, mapping.requiredScenarioState,
                                 mapping.newScenarioState)) {
            found = &stub;
            return true;
        }
        *lostRace = true;
        return false;
    });
    return found;
}

StubOutcome StubEngine::respond(const HttpRequest &request)
{
    constexpr int maxScenarioRetries = 1000;
    const std::shared_ptr<const Snapshot> snapshot = m_state->current();
    const RequestContext context(request);
    StubOutcome outcome;
    for (int attempt = 0; attempt <= maxScenarioRetries; ++attempt) {
        const quint64 version = m_state->scenarios.version();
        bool lostRace = false;
        if (const CompiledStub *stub
            = firstMatch(*snapshot, context, m_state->scenarios, &lostRace)) {
            outcome.matched = true;
            outcome.mappingId = stub->mapping.id;
            outcome.response = answer(*stub, request);
            return outcome;
        }
        // Retry only if a scenario moved while we looked: another thread made progress.
        if (!lostRace || m_state->scenarios.version() == version)
            break;
    }
    outcome.nearMisses = nearMisses(request);
    outcome.response.status = 404;
    outcome.response.headers.append(HttpHeader{"Content-Type", "text/plain; charset=utf-8"});
    outcome.response.body = notMatchedReport(request, outcome.nearMisses);
    return outcome;
}

std::vector<StubMapping> StubEngine::mappings() const
{
    const std::shared_ptr<const Snapshot> snapshot = m_state->current();
    std::vector<StubMapping> out;
    out.reserve(snapshot->byAdding.size());
    for (const StubPtr &stub : snapshot->byAdding)
        out.push_back(stub->mapping);
    return out;
}

void StubEngine::addMapping(StubMapping mapping)
{
    QMutexLocker lock(&m_state->mutex);
    std::vector<StubPtr> stubs = m_state->snapshot->byAdding;
    // The same id replaces the old mapping (WireMock keeps ids unique).
    std::erase_if(stubs, [&](const StubPtr &stub) { return stub->mapping.id == mapping.id; });
    stubs.push_back(compileStub(std::move(mapping), m_state->nextSequence++));
    m_state->publish(std::move(stubs));
}

bool StubEngine::removeMapping(const QString &id)
{
    QMutexLocker lock(&m_state->mutex);
    std::vector<StubPtr> stubs = m_state->snapshot->byAdding;
    if (std::erase_if(stubs, [&](const StubPtr &stub) { return stub->mapping.id == id; }) == 0)
        return false;
    m_state->publish(std::move(stubs));
    return true;
}

void StubEngine::resetMappings(std::vector<StubMapping> mappings)
{
    // A later mapping with the same id replaces an earlier one, as addMapping does.
    QHash<QString, qsizetype> lastById;
    for (qsizetype i = 0; i < qsizetype(mappings.size()); ++i)
        lastById.insert(mappings[size_t(i)].id, i);
    std::vector<StubPtr> stubs;
    stubs.reserve(size_t(lastById.size()));
    QMutexLocker lock(&m_state->mutex);
    for (qsizetype i = 0; i < qsizetype(mappings.size()); ++i) {
        if (lastById.value(mappings[size_t(i)].id) == i)
            stubs.push_back(compileStub(std::move(mappings[size_t(i)]), m_state->nextSequence++));
    }
    m_state->publish(std::move(stubs));
}

void StubEngine::resetScenarios()
{
    m_state->scenarios.reset();
}

QJsonArray StubEngine::scenariosJson() const
{
    const std::shared_ptr<const Snapshot> snapshot = m_state->current();
    QJsonArray scenarios;
    for (const QString &name : scenarioNames(*snapshot)) {
        QStringList states{ScenarioStore::startedState};
        QJsonArray mappings;
        for (const StubPtr &stub : snapshot->byAdding) {
            const StubMapping &mapping = stub->mapping;
            if (mapping.scenarioName != name)
                continue;
            for (const QString &state : {mapping.requiredScenarioState, mapping.newScenarioState}) {
                if (!state.isEmpty() && !states.contains(state))
                    states.append(state);
            }
            mappings.append(mapping.toJson());
        }
        scenarios.append(
                QJsonObject{{QStringLiteral("id"), name},
                            {QStringLiteral("name"), name},
                            {QStringLiteral("state"), m_state->scenarios.state(name)},
                            {QStringLiteral("possibleStates"), QJsonArray::fromStringList(states)},
                            {QStringLiteral("mappings"), mappings}});
    }
    return scenarios;
}

std::vector<NearMiss> StubEngine::nearMisses(const HttpRequest &request, int limit) const
{
    const std::shared_ptr<const Snapshot> snapshot = m_state->current();
    const RequestContext context(request);
    std::vector<NearMiss> misses;
    misses.reserve(snapshot->byMatchOrder.size());
    for (const StubPtr &stub : snapshot->byMatchOrder)
        misses.push_back(nearMiss(*stub, context, m_state->scenarios));
    std::stable_sort(misses.begin(), misses.end(),
                     [](const NearMiss &a, const NearMiss &b) { return a.distance < b.distance; });
    if (limit >= 0 && misses.size() > size_t(limit))
        misses.resize(size_t(limit));
    return misses;
}

} // namespace envsync::virt
