#include "core/demo/demoservices.h"

#include "core/demo/demoupstream.h"
#include "core/masking/hmackey.h"
#include "core/masking/maskplan.h"
#include "core/virt/recorder.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <future>
#include <sstream>

namespace envsync::demo {

namespace fs = std::filesystem;

namespace {

constexpr const char *demoRegionNames[] = {"eu", "us", "apac"};

/// Customers of each region that exist at every demo scale (the seed has at least 10).
std::vector<int> sampleCustomers(const std::string &region)
{
    if (region == "eu")
        return {1, 2, 10};
    if (region == "us")
        return {3, 4, 5};
    return {6, 7, 8};
}

bool hasRecording(const fs::path &serviceDir)
{
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(serviceDir, ec)) {
        if (!fs::is_empty(entry.path() / "mappings", ec) && !ec)
            return true;
    }
    return false;
}

/// One request through the recorder; false when it got no HTTP answer within 10 s.
bool send(QNetworkAccessManager &network, quint16 port, const SampleRequest &sample)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2")
                                         .arg(port)
                                         .arg(QString::fromStdString(sample.path))));
    request.setRawHeader("Authorization", QByteArray("Bearer ") + DemoUpstream::token);
    request.setRawHeader("Accept", "application/json");
    if (!sample.body.empty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply *reply
            = network.sendCustomRequest(request, QByteArray::fromStdString(sample.method),
                                        QByteArray::fromStdString(sample.body));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    const bool answered = reply->isFinished()
                          && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid();
    reply->deleteLater();
    return answered;
}

/// Records one service; runs on the calling thread's event loop (a thread of recordDemoServices).
Result<void> recordService(const config::Config &config, const config::ServiceConfig &service,
                           const masking::HmacKey &key, const std::string &version)
{
    // Any free ports while recording: the configured ones may be taken right now, and the
    // recording does not depend on where it was made.
    auto upstream = DemoUpstream::start(config.source.dsn, service.region, 0);
    if (!upstream)
        return std::unexpected(upstream.error());
    const quint16 upstreamPort = (*upstream)->port();
    virt::RecorderOptions options;
    options.service = service;
    options.service.listen = "127.0.0.1:0";
    options.service.upstream = (*upstream)->baseUrl();
    options.configPath = config.path;
    options.root = fs::path(config.serviceMappingsPath(service)) / version;
    options.golden = QString::fromStdString(version);
    options.learnPasses = 2;
    auto recorder = virt::Recorder::create(std::move(options), key);
    if (!recorder)
        return std::unexpected(recorder.error());
    auto port = (*recorder)->start();
    if (!port)
        return std::unexpected(port.error());
    QNetworkAccessManager network;
    const std::vector<SampleRequest> traffic = sampleTraffic(service.region);
    for (int pass = 0; pass < 2; ++pass) {
        if (pass > 0) {
            // A fresh partner for each pass, as a sandbox reset: what stays the same between
            // passes (payment numbers in order) is state, replayed as a scenario; what changes
            // (request ids, timestamps) is volatile and becomes a template.
            upstream->reset();
            upstream = DemoUpstream::start(config.source.dsn, service.region, upstreamPort);
            if (!upstream)
                return std::unexpected(upstream.error());
        }
        for (const SampleRequest &sample : traffic) {
            if (!send(network, *port, sample))
                return fail(ErrorCode::Io, "no answer to " + sample.method + " " + sample.path,
                            "demo service " + service.name);
        }
    }
    if (auto written = (*recorder)->finish(); !written)
        return std::unexpected(written.error());
    if ((*recorder)->refusedCount() > 0)
        return fail(ErrorCode::Refused,
                    std::to_string((*recorder)->refusedCount())
                            + " exchange(s) refused: personal data without a mask rule",
                    "demo service " + service.name);
    return {};
}

} // namespace

DemoServicePorts demoServicePorts(int regionClusterPort)
{
    // Cluster ports start at 55432; these land in 25432… and 26432…, below the ephemeral range
    // and away from the 8080/9090/18080 habits of other HTTP tools.
    return {regionClusterPort - 30000, regionClusterPort - 29000};
}

std::string demoServicesYaml(const std::map<std::string, int> &regionClusterPorts)
{
    std::ostringstream yaml;
    yaml << "services:\n";
    for (const char *region : demoRegionNames) {
        const auto it = regionClusterPorts.find(region);
        if (it == regionClusterPorts.end())
            continue;
        const DemoServicePorts ports = demoServicePorts(it->second);
        yaml << "  - name: payments-" << region << "\n"
             << "    region: " << region << "\n"
             << "    listen: \"127.0.0.1:" << ports.listen << "\"\n"
             << "    upstream: \"http://127.0.0.1:" << ports.upstream << "\"\n"
             << "    mappings: virt/payments-" << region << "\n"
             << "    record_headers: [Content-Type]\n"
             // the same transforms as the golden rules of public.customers
             << "    mask:\n"
             << "      - { json: \"$.email\", transform: email, unique: true }\n"
             << "      - { json: \"$.receipt_email\", transform: email, unique: true }\n"
             << "      - { json: \"$.name\", transform: person_name }\n"
             << "      - { json: \"$.iban\", transform: iban }\n"
             << "      - { json: \"$.payments[*].card_last4\", transform: partial, keep_last: 0 }\n"
             << "    keep: [\"$.city\", \"$.country\"]\n";
    }
    return yaml.str();
}

std::vector<SampleRequest> sampleTraffic(const std::string &region)
{
    const std::vector<int> customers = sampleCustomers(region);
    std::vector<SampleRequest> traffic;
    for (const int id : customers)
        traffic.push_back({"GET", "/v1/customers/" + std::to_string(id), {}});
    traffic.push_back(
            {"GET", "/v1/customers/" + std::to_string(customers.front()) + "/payments", {}});
    traffic.push_back({"GET", "/v1/customers/999999", {}});
    // The same payment three times: three different answers, replayed as a scenario in order.
    const std::string payment
            = R"({"customer_id": )" + std::to_string(customers.front()) + R"(, "amount": "19.99"})";
    for (int i = 0; i < 3; ++i)
        traffic.push_back({"POST", "/v1/payments", payment});
    return traffic;
}

Result<std::vector<std::string>> recordDemoServices(const config::Config &config,
                                                    const ProgressFn &progress)
{
    auto salt = masking::resolveSalt(config.masking.salt);
    if (!salt)
        return std::unexpected(salt.error());
    const masking::HmacKey key(*salt);
    salt->assign(salt->size(), '\0');

    auto done = std::make_shared<std::promise<Result<std::vector<std::string>>>>();
    auto future = done->get_future();
    std::unique_ptr<QThread> thread(QThread::create([&config, &key, &progress, done] {
        std::vector<std::string> recorded;
        for (const config::ServiceConfig &service : config.services) {
            const fs::path dir = config.serviceMappingsPath(service);
            if (hasRecording(dir))
                continue;
            // Recorded before any snapshot exists: the unversioned recording, served to every
            // region until one is recorded for its golden version.
            if (progress)
                progress("recording sample service " + service.name);
            if (auto result = recordService(config, service, key, "unversioned"); !result) {
                done->set_value(std::unexpected(result.error()));
                return;
            }
            recorded.push_back(service.name);
        }
        done->set_value(std::move(recorded));
    }));
    thread->start();
    auto result = future.get();
    thread->wait();
    return result;
}

} // namespace envsync::demo
