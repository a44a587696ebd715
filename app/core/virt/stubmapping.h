#pragma once

#include "core/error.h"
#include "core/virt/httpexchange.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace envsync::virt {

/// One WireMock "StringValuePattern" / content pattern.
struct ValuePattern
{
    enum class Op {
        EqualTo,
        Contains,
        DoesNotContain,
        Matches,
        DoesNotMatch,
        Absent,
        EqualToJson,
        MatchesJsonPath,
        BinaryEqualTo,
        /// Multi-value (query parameters, headers): WireMock's recorder writes
        /// {"hasExactly": [{"equalTo": "x"}]}; the patterns are in `items`.
        HasExactly,
        Includes
    };
    Op op = Op::EqualTo;
    QString operand; ///< text (EqualToJson: compact JSON text; MatchesJsonPath: the path)
    bool caseInsensitive = false;  ///< equalTo + "caseInsensitive": true
    bool ignoreArrayOrder = false; ///< equalToJson options
    bool ignoreExtraElements = false;
    std::shared_ptr<const ValuePattern> subPattern; ///< matchesJsonPath {"expression", <pattern>}
    /// equalToJson was written as a string holding JSON text (WireMock's recorder does so), not
    /// as inline JSON: toJson() writes it back the same way.
    bool jsonAsText = false;
    std::vector<ValuePattern> items; ///< HasExactly / Includes

    [[nodiscard]] QJsonObject toJson() const;
    static Result<ValuePattern> fromJson(const QJsonValue &json, const QString &where);
};

struct RequestPattern
{
    QByteArray method = "ANY";
    enum class UrlKind { Url, UrlPath, UrlPattern, UrlPathPattern, Any } urlKind = UrlKind::Any;
    QString url; ///< literal or regex, per urlKind
    QList<QPair<QString, ValuePattern>> queryParameters, headers, cookies;
    QList<ValuePattern> bodyPatterns;
};

struct ResponseDefinition
{
    int status = 200;
    QString statusMessage;
    QList<HttpHeader> headers;
    /// "body" (text) or "base64Body" (decoded) or "jsonBody" (serialised)
    std::optional<QByteArray> body;
    QString bodyFileName; ///< relative to <root>/__files; resolved at load
    int fixedDelayMilliseconds = 0;
    bool templated = false; ///< "transformers" contains "response-template"
    /// Which member `body` came from, so toJson() writes it back the same way.
    enum class BodyKind { Text, Base64, Json } bodyKind = BodyKind::Text;
};

/// The WireMock stub mapping model.
struct StubMapping
{
    QString id; ///< UUID text (WireMock "id"/"uuid")
    QString name;
    int priority = 5; ///< WireMock: lower wins; unset == 5
    RequestPattern request;
    ResponseDefinition response;
    QString scenarioName, requiredScenarioState, newScenarioState;
    QJsonObject metadata;                 ///< kept verbatim; EnvSync writes "envsync": {...} here
    std::optional<bool> persistent;       ///< WireMock's "persistent", kept for the round trip
    std::optional<qint64> insertionIndex; ///< WireMock's "insertionIndex": order among equals

    /// WireMock's JSON (round-trips what fromJson read).
    [[nodiscard]] QJsonObject toJson() const;
    /// `where` names the source for errors ("mappings/x.json").
    static Result<StubMapping> fromJson(const QJsonObject &json, const QString &where);
};

} // namespace envsync::virt
