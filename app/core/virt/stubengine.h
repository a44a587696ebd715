#pragma once

#include "core/virt/httpexchange.h"
#include "core/virt/requestmatcher.h"
#include "core/virt/stubmapping.h"

#include <QJsonArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace envsync::virt {

struct NearMiss
{
    QString mappingId;
    QString mappingName;
    double distance = 1.0;        ///< 0 == match
    QStringList differences;      ///< "method: expected POST, got GET", "body: $.amount differs"
    std::vector<MatchLine> lines; ///< every criterion of the stub, matched or not (the 404 table)
};

struct StubOutcome
{
    HttpResponse response;
    bool matched = false;
    QString mappingId;
    std::vector<NearMiss> nearMisses; ///< closest first, at most 3, when unmatched
};

/// Matches requests against stub mappings and answers them as WireMock does.
/// Thread-safe: respond() may run on many threads at once. The mappings live in an immutable
/// shared snapshot swapped under a mutex; scenario state is the only shared mutable state.
class StubEngine
{
public:
    explicit StubEngine(std::vector<StubMapping> mappings);
    ~StubEngine();
    StubEngine(const StubEngine &) = delete;
    StubEngine &operator=(const StubEngine &) = delete;

    /// Unmatched: 404 + near-miss report body.
    StubOutcome respond(const HttpRequest &request);
    [[nodiscard]] std::vector<StubMapping> mappings() const;
    void addMapping(StubMapping mapping);
    bool removeMapping(const QString &id);
    void resetMappings(std::vector<StubMapping> mappings);
    void resetScenarios();
    /// Like GET /__admin/scenarios.
    [[nodiscard]] QJsonArray scenariosJson() const;
    [[nodiscard]] std::vector<NearMiss> nearMisses(const HttpRequest &request, int limit = 3) const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace envsync::virt
