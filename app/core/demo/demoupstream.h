#pragma once

#include "core/error.h"

#include <QtGlobal>

#include <memory>
#include <string>
#include <vector>

class QThread;

namespace envsync::demo {

/// The regional partner API the demo's sample virtual services are recorded from: a small HTTP
/// server over the demo source answering like a real partner does — with personal data, a
/// request id and a timestamp that change on every call, and a bearer token it insists on.
///   GET  /v1/customers/{id}            a customer of the region (404 for other regions')
///   GET  /v1/customers/{id}/payments   the customer's payments, newest first
///   POST /v1/payments                  {"customer_id", "amount"} → a new payment, a new id each
///   call
/// Runs on its own thread with its own read-only connection; never writes to the source.
class DemoUpstream
{
public:
    /// The token clients must send as "Authorization: Bearer <token>".
    static constexpr const char *token = "demo-partner-token";

    /// Starts serving `region`'s customers (eu, us, apac) on 127.0.0.1:`port` (0: any free port).
    [[nodiscard]] static Result<std::unique_ptr<DemoUpstream>>
    start(const std::string &sourceDsn, const std::string &region, quint16 port = 0);

    ~DemoUpstream();
    DemoUpstream(const DemoUpstream &) = delete;
    DemoUpstream &operator=(const DemoUpstream &) = delete;

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] std::string baseUrl() const;

    /// The countries whose customers belong to a demo region (empty for an unknown region).
    [[nodiscard]] static std::vector<std::string> regionCountries(const std::string &region);

private:
    DemoUpstream() = default;

    std::unique_ptr<QThread> m_thread;
    quint16 m_port = 0;
};

} // namespace envsync::demo
