#pragma once

#include "core/virt/stubmapping.h"
#include "core/virt/volatilelearner.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace envsync::virt {

/// A mapping ready to write, with the file stem that identifies it across recordings.
struct BuiltMapping
{
    StubMapping mapping;
    QString fileStem;  ///< "<method>-<path>-<hash>" (+ "-step<N>" inside a scenario)
    QString signature; ///< hex hash of service + request pattern: the same request, the same file
};

/// Turns the steps of one group of recorded traffic, in recorded order, into mappings: steps
/// with the same request pattern and one answer give one mapping; with different answers a
/// WireMock scenario in recorded order whose last state repeats. Ids and file stems derive from
/// the service name and the request pattern only, so recording the same request again rewrites
/// the same files. `envsync` is stored as metadata.envsync (plus the signature) on each mapping.
[[nodiscard]] std::vector<BuiltMapping> buildMappings(const QString &service,
                                                      const std::vector<LearnedStep> &steps,
                                                      const QJsonObject &envsync);

/// The request pattern as WireMock JSON (the "request" member of a mapping).
[[nodiscard]] QJsonObject requestPatternJson(const RequestPattern &pattern);

} // namespace envsync::virt
