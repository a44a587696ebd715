#pragma once

#include "core/virt/httpexchange.h"

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

namespace envsync::virt {

/// WireMock's response templating ("transformers": ["response-template"]), the Handlebars subset
/// its documentation shows for request values: {{request.url}} {{request.path}}
/// {{request.pathSegments.[N]}} {{request.method}} {{request.query.NAME}} (and .[N])
/// {{request.headers.NAME}} {{request.cookies.NAME}} {{request.body}}
/// {{jsonPath request.body '$.x'}} {{randomValue length=N type='ALPHANUMERIC'|'ALPHABETIC'|
/// 'NUMERIC'|'HEXADECIMAL'|'UUID' [uppercase=true]}} {{now}} {{now format='yyyy-MM-dd'
/// offset='3 days'}}. Values are not HTML-escaped (WireMock 3 does not escape either). A missing
/// value renders empty; an unknown helper or a block ({{#if}}) renders an "[ERROR: ...]" marker
/// where WireMock would fail the whole response. Parsed once; render() is thread-safe.
class ResponseTemplate
{
public:
    static constexpr int maxRandomLength = 10000;

    static ResponseTemplate compile(const QString &text);

    [[nodiscard]] QByteArray render(const HttpRequest &request) const;
    /// True when the text has no {{...}}: render() would return it unchanged.
    [[nodiscard]] bool isStatic() const;

    struct Segment; ///< literal text or one {{expression}} (opaque)

private:
    std::shared_ptr<const std::vector<Segment>> m_segments;
};

} // namespace envsync::virt
