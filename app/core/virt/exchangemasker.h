#pragma once

#include "core/config/config.h"
#include "core/config/jsonfieldpath.h"
#include "core/error.h"
#include "core/masking/hmackey.h"
#include "core/masking/transform.h"
#include "core/virt/httpexchange.h"

#include <QJsonValue>

#include <memory>
#include <string>
#include <vector>

namespace envsync::virt {

/// An exchange as it may be written: what the recorder keeps of the request and the response
/// after headers were filtered and values masked.
struct RecordedExchange
{
    HttpRequest request;
    HttpResponse response;
};

/// Applies a service's `mask:` rules to recorded exchanges with the golden keys (an e-mail in a
/// response becomes the e-mail the region's database holds for the same input) and refuses an
/// exchange in which the PII detector flags a value no rule masks and no `keep` entry allows.
/// Immutable after create(): safe to share between threads.
class ExchangeMasker
{
public:
    /// Builds every rule's transform; a bad transform parameter fails with ErrorCode::Config
    /// naming the rule as configPath:line:column.
    [[nodiscard]] static Result<ExchangeMasker> create(const config::ServiceConfig &service,
                                                       const masking::HmacKey &key,
                                                       const std::string &configPath);

    /// Masks the JSON bodies, the masked headers and query parameters of both sides (a
    /// request's masked values are what clients of the masked region send). A path segment
    /// that looks personal cannot be masked (the URL is matched literally) and is refused. Fails
    /// with ErrorCode::Refused naming where the unmasked personal data is (a JSON path, a header or
    /// a query parameter), never the value itself.
    [[nodiscard]] Result<RecordedExchange> apply(const HttpRequest &request,
                                                 const HttpResponse &response) const;

    /// Masks one JSON document's leaves; `side` ("request body") names it in errors. Exposed
    /// for tests and for the learner, which compares masked bodies.
    [[nodiscard]] Result<QJsonValue> maskJson(const QJsonValue &document,
                                              const std::string &side) const;

private:
    struct Rule
    {
        config::ServiceMaskRule::Target target;
        std::string selector;
        std::optional<config::JsonFieldPath> path;
        std::shared_ptr<const masking::Transform> transform;
    };
    ExchangeMasker() = default;

    [[nodiscard]] Result<QJsonValue> walk(const QJsonValue &node,
                                          std::vector<config::JsonFieldPath::Step> &steps,
                                          const std::string &side) const;
    [[nodiscard]] Result<QJsonValue> leaf(const QJsonValue &node,
                                          const std::vector<config::JsonFieldPath::Step> &steps,
                                          const std::string &side) const;
    [[nodiscard]] Result<QList<HttpHeader>> maskHeaders(const QList<HttpHeader> &headers,
                                                        const std::string &side) const;
    [[nodiscard]] Result<QByteArray> maskBody(const QByteArray &body,
                                              const std::string &side) const;
    [[nodiscard]] const Rule *ruleFor(config::ServiceMaskRule::Target target,
                                      const QByteArray &name) const;

    std::vector<Rule> m_rules;
    std::vector<config::JsonFieldPath> m_keep;
};

/// The path with every segment the PII detector flags replaced by "{redacted}": what logs and
/// the CLI may print.
[[nodiscard]] QString redactedPath(const QString &path);

/// A JSON body (a parsed object or array), or nullopt for anything else.
[[nodiscard]] std::optional<QJsonValue> parseJsonBody(const QByteArray &body);

} // namespace envsync::virt
