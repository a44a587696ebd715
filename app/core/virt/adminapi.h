#pragma once

#include "core/virt/httpexchange.h"
#include "core/virt/requestjournal.h"
#include "core/virt/stubengine.h"
#include "core/virt/stubmapping.h"

#include <QMutex>
#include <QString>

#include <vector>

namespace envsync::virt {

/// The subset of WireMock's admin API (`/__admin/…`) a virtual service answers on its own port,
/// with WireMock's paths and JSON shapes, so existing WireMock clients can drive it:
/// mappings (list, add, get, edit, remove, reset), requests (list, clear), scenarios (list,
/// reset), near misses (of the unmatched requests, of a given request) and a full reset.
/// Thread-safe (the engine and journal are; the defaults are guarded).
class AdminApi
{
public:
    /// `defaults`: the mappings loaded from files, restored by POST /__admin/mappings/reset.
    AdminApi(StubEngine &engine, RequestJournal &journal, std::vector<StubMapping> defaults);

    [[nodiscard]] static bool isAdminPath(const QString &path);
    /// Answers one admin request (never throws; bad input gets WireMock's 4xx answers).
    [[nodiscard]] HttpResponse handle(const HttpRequest &request, const QString &clientIp);

private:
    HttpResponse listMappings() const;
    HttpResponse addMapping(const HttpRequest &request);
    HttpResponse getMapping(const QString &id) const;
    HttpResponse editMapping(const QString &id, const HttpRequest &request);
    HttpResponse removeMapping(const QString &id);
    HttpResponse resetMappings();
    HttpResponse listRequests(const HttpRequest &request) const;
    HttpResponse unmatchedNearMisses() const;
    HttpResponse nearMissesFor(const HttpRequest &request, const QString &clientIp) const;

    StubEngine &m_engine;
    RequestJournal &m_journal;
    mutable QMutex m_defaultsMutex;
    std::vector<StubMapping> m_defaults;
};

} // namespace envsync::virt
