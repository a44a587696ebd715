// StubEngine alone (issue 19 part A), no HTTP: load time of N mapping files, RSS after loading,
// respond() throughput on 1 and 2 threads over a mix of matching and unmatched requests.
// Usage: bench_stubengine [--mappings N] [--seconds S] [--root DIR]
// (--root: write the N generated mappings there once and reuse them on later runs)
// The HTTP benchmark against WireMock is tests/bench/bench_virt.sh (part B).
#include "core/virt/mappingstore.h"
#include "core/virt/stubengine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

using namespace envsync::virt;

namespace {

/// Shapes like the recorder's: GET by url + Accept header, POST with equalToJson, a path regex.
StubMapping generated(int i)
{
    QByteArray json;
    if (i % 3 == 0) {
        json = R"({"request": {"method": "GET", "url": "/customers/)" + QByteArray::number(i)
               + R"(?expand=tags", "headers": {"Accept": {"equalTo": "application/json"}}},
               "response": {"status": 200, "headers": {"Content-Type": "application/json"},
               "body": "{\"id\": )"
               + QByteArray::number(i) + R"(, \"name\": \"Ada\"}"}})";
    } else if (i % 3 == 1) {
        json = R"({"request": {"method": "POST", "urlPath": "/payments/)" + QByteArray::number(i)
               + R"(", "bodyPatterns": [{"equalToJson": {"amount": 12.5, "currency": "EUR",
               "ref": "${json-unit.any-string}"}, "ignoreExtraElements": true}]},
               "response": {"status": 201, "body": "{\"ok\": true}"}})";
    } else {
        json = R"({"request": {"method": "GET", "urlPathPattern": "/orders/)"
               + QByteArray::number(i)
               + R"(/[0-9]+"}, "response": {"status": 200, "body": "order"}})";
    }
    return *StubMapping::fromJson(QJsonDocument::fromJson(json).object(), QStringLiteral("gen"));
}

HttpRequest sampleRequest(int i, int total)
{
    const int n = i % total;
    HttpRequest request;
    if (i % 10 == 9) {
        request = HttpRequest::fromUrl("GET", "/nothing/here");
    } else if (n % 3 == 0) {
        request = HttpRequest::fromUrl("GET",
                                       "/customers/" + QByteArray::number(n) + "?expand=tags");
        request.headers.append(HttpHeader{"Accept", "application/json"});
    } else if (n % 3 == 1) {
        request = HttpRequest::fromUrl("POST", "/payments/" + QByteArray::number(n));
        request.body = R"({"amount": 12.5, "currency": "EUR", "ref": "r-1", "extra": [1, 2]})";
    } else {
        request = HttpRequest::fromUrl("GET", "/orders/" + QByteArray::number(n) + "/77");
    }
    return request;
}

long rssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return -1;
}

double throughput(StubEngine &engine, int threads, double seconds, int total, bool matchedOnly)
{
    std::vector<HttpRequest> requests;
    for (int i = 0; i < 1000; ++i) {
        if (!matchedOnly || i % 10 != 9)
            requests.push_back(sampleRequest(i, total));
    }
    std::atomic<bool> stop{false};
    std::atomic<long> done{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            long local = 0;
            for (size_t i = size_t(t); !stop.load(std::memory_order_relaxed); ++i, ++local)
                engine.respond(requests[i % requests.size()]);
            done += local;
        });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (std::thread &worker : workers)
        worker.join();
    return double(done.load()) / seconds;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int mappings = 10000;
    double seconds = 2.0;
    QString rootPath;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1StringView("--mappings"))
            mappings = args[i + 1].toInt();
        if (args[i] == QLatin1StringView("--seconds"))
            seconds = args[i + 1].toDouble();
        if (args[i] == QLatin1StringView("--root"))
            rootPath = args[i + 1];
    }
    QTemporaryDir temporary;
    if (rootPath.isEmpty())
        rootPath = temporary.path();
    const bool reuse = QFile::exists(rootPath + QStringLiteral("/mappings/m-0.json"));
    for (int i = 0; i < mappings && !reuse; ++i)
        writeMapping(rootPath.toStdString(), generated(i), QStringLiteral("m-%1").arg(i));
    const long rssBefore = rssKiB();
    QElapsedTimer timer;
    timer.start();
    auto loaded = loadMappings(rootPath.toStdString());
    if (!loaded || !loaded->skipped.empty()) {
        std::fprintf(stderr, "load failed: %s\n",
                     loaded ? loaded->skipped.front().describe().c_str()
                            : loaded.error().describe().c_str());
        return 3;
    }
    const qint64 loadMs = timer.elapsed();
    StubEngine engine(std::move(loaded->mappings));
    const qint64 startMs = timer.elapsed();
    std::printf("mappings %d: load %lld ms, load+compile %lld ms, RSS +%ld KiB\n", mappings, loadMs,
                startMs, rssKiB() - rssBefore);
    for (int threads : {1, 2}) {
        std::printf("respond() %d thread(s), 90%% matched: %.0f req/s; all matched: %.0f req/s\n",
                    threads, throughput(engine, threads, seconds, mappings, false),
                    throughput(engine, threads, seconds, mappings, true));
    }
    return 0;
}
