#include "core/virt/scenariobuilder.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

namespace envsync::virt {

namespace {

bool sameResponse(const ResponseDefinition &a, const ResponseDefinition &b)
{
    if (a.status != b.status || a.body != b.body || a.templated != b.templated
        || a.headers.size() != b.headers.size())
        return false;
    for (qsizetype i = 0; i < a.headers.size(); ++i)
        if (a.headers[i].name != b.headers[i].name || a.headers[i].value != b.headers[i].value)
            return false;
    return true;
}

/// "get-customers-42": readable, safe in any file system, bounded.
QString slug(const QByteArray &method, const QString &path)
{
    static const QRegularExpression unsafe(QStringLiteral("[^a-z0-9]+"));
    QString text = (QString::fromLatin1(method) + u'-' + path).toLower();
    text.replace(unsafe, QStringLiteral("-"));
    while (text.endsWith(u'-'))
        text.chop(1);
    return text.left(60);
}

} // namespace

QJsonObject requestPatternJson(const RequestPattern &pattern)
{
    StubMapping mapping;
    mapping.request = pattern;
    return mapping.toJson().value(u"request").toObject();
}

std::vector<BuiltMapping> buildMappings(const QString &service,
                                        const std::vector<LearnedStep> &steps,
                                        const QJsonObject &envsync)
{
    struct Partition
    {
        QByteArray patternJson;
        const RequestPattern *pattern;
        std::vector<const ResponseDefinition *> responses;
    };
    std::vector<Partition> partitions;
    for (const LearnedStep &step : steps) {
        const QByteArray json
                = QJsonDocument(requestPatternJson(step.request)).toJson(QJsonDocument::Compact);
        auto it = std::ranges::find(partitions, json, &Partition::patternJson);
        if (it == partitions.end()) {
            partitions.push_back({json, &step.request, {}});
            it = std::prev(partitions.end());
        }
        it->responses.push_back(&step.response);
    }
    // A QUuid namespace of EnvSync's own, so ids never collide with other v5 users.
    static const QUuid idNamespace(QStringLiteral("{6f1c7a52-8d3e-4c1b-9a0e-5e6b7d2f4a91}"));
    std::vector<BuiltMapping> built;
    for (Partition &partition : partitions) {
        // The last state repeats: trailing answers equal to the final one add no step.
        while (partition.responses.size() > 1
               && sameResponse(*partition.responses.back(),
                               *partition.responses[partition.responses.size() - 2]))
            partition.responses.pop_back();
        const QByteArray signature = QCryptographicHash::hash(QByteArray(service.toUtf8() + '\n'
                                                                         + partition.patternJson),
                                                              QCryptographicHash::Sha256)
                                             .toHex()
                                             .left(16);
        const QString stem = slug(partition.pattern->method, partition.pattern->url) + u'-'
                             + QString::fromLatin1(signature);
        const bool scenario = partition.responses.size() > 1;
        for (std::size_t i = 0; i < partition.responses.size(); ++i) {
            BuiltMapping out;
            out.signature = QString::fromLatin1(signature);
            out.fileStem
                    = scenario ? stem + QStringLiteral("-step") + QString::number(i + 1) : stem;
            StubMapping &mapping = out.mapping;
            mapping.id = QUuid::createUuidV5(idNamespace, service + u'/' + out.fileStem)
                                 .toString(QUuid::WithoutBraces);
            mapping.name = QString::fromLatin1(partition.pattern->method) + u' '
                           + partition.pattern->url;
            mapping.request = *partition.pattern;
            mapping.response = *partition.responses[i];
            if (scenario) {
                mapping.scenarioName = service + u' ' + mapping.name + u' '
                                       + QString::fromLatin1(signature.left(8));
                mapping.requiredScenarioState
                        = i == 0 ? QStringLiteral("Started")
                                 : QStringLiteral("step ") + QString::number(i + 1);
                if (i + 1 < partition.responses.size())
                    mapping.newScenarioState = QStringLiteral("step ") + QString::number(i + 2);
            }
            QJsonObject meta = envsync;
            meta.insert(u"signature", out.signature);
            mapping.metadata.insert(u"envsync", meta);
            built.push_back(std::move(out));
        }
    }
    return built;
}

} // namespace envsync::virt
