#include "core/virt/recorder.h"

#include "core/virt/headerfilter.h"
#include "core/virt/mappingstore.h"
#include "core/virt/qtrequest.h"
#include "core/virt/scenariobuilder.h"

#include <QDateTime>
#include <QFile>
#include <QHostAddress>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>

#include <system_error>

namespace envsync::virt {

namespace {

/// Far above any API answer worth a stub; WireMock keeps such bodies in memory too.
constexpr qint64 maxAnswerBytes = 64LL * 1024 * 1024;

void respond(QHttpServerResponder &responder, int status, const QList<HttpHeader> &headers,
             const QByteArray &body)
{
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    for (const HttpHeader &header : headers)
        responder.writeHeader(header.name, header.value);
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeBody(body);
}

/// host:port or [v6]:port → address and port (the config loader checked the syntax).
std::optional<std::pair<QHostAddress, quint16>> parseListen(const std::string &listen)
{
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string::npos)
        return std::nullopt;
    std::string host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    bool ok = false;
    const uint port = QString::fromStdString(listen.substr(colon + 1)).toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    QHostAddress address;
    if (host == "localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(QString::fromStdString(host)))
        return std::nullopt;
    return std::make_pair(address, static_cast<quint16>(port));
}

bool isOurMapping(const std::filesystem::path &file, const QString &signature)
{
    QFile in(QString::fromStdString(file.string()));
    if (!in.open(QIODevice::ReadOnly) || in.size() > 64 * 1024 * 1024)
        return false;
    const QJsonObject json = QJsonDocument::fromJson(in.readAll()).object();
    return json.value(u"metadata")
                   .toObject()
                   .value(u"envsync")
                   .toObject()
                   .value(u"signature")
                   .toString()
           == signature;
}

} // namespace

Result<std::unique_ptr<Recorder>> Recorder::create(RecorderOptions options,
                                                   const masking::HmacKey &key)
{
    if (options.service.upstream.empty())
        return fail(ErrorCode::Config,
                    "service \"" + options.service.name + "\" has no upstream to record from",
                    options.configPath);
    if (options.learnPasses < 1 || options.learnPasses > 100)
        return fail(ErrorCode::Usage, "learning passes must be between 1 and 100");
    auto masker = ExchangeMasker::create(options.service, key, options.configPath);
    if (!masker)
        return std::unexpected(masker.error());
    const QString fingerprint = QString::fromStdString(key.fingerprint());
    return std::unique_ptr<Recorder>(
            new Recorder(std::move(options), std::move(*masker), fingerprint));
}

Recorder::Recorder(RecorderOptions options, ExchangeMasker masker, QString saltFingerprint)
    : m_options(std::move(options))
    , m_masker(std::move(masker))
    , m_saltFingerprint(std::move(saltFingerprint))
    , m_network(new QNetworkAccessManager(this))
{
    m_network->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

Recorder::~Recorder() = default;

Result<quint16> Recorder::start()
{
    const auto address = parseListen(m_options.service.listen);
    if (!address)
        return fail(ErrorCode::Config,
                    "service \"" + m_options.service.name + "\" needs listen: HOST:PORT",
                    m_options.configPath);
    auto *server = new QTcpServer(this);
    if (!server->listen(address->first, address->second)) {
        const std::string why = server->errorString().toStdString();
        delete server;
        return fail(ErrorCode::Io, "cannot listen on " + m_options.service.listen + ": " + why,
                    "service " + m_options.service.name);
    }
    bind(server);
    return server->serverPort();
}

bool Recorder::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    const HttpRequest incoming = fromQtRequest(request);
    RecordingEvent event;
    event.method = incoming.method;
    event.path = redactedPath(incoming.path);
    if (incoming.method == "UNKNOWN") {
        respond(*responder, 501, {}, "method not supported by the recorder\n");
        return true;
    }
    QByteArray base = QByteArray::fromStdString(m_options.service.upstream);
    while (base.endsWith('/'))
        base.chop(1);
    QNetworkRequest forward(QUrl::fromEncoded(base + incoming.url));
    forward.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    forward.setTransferTimeout(30000);
    for (const HttpHeader &header : forwardableRequestHeaders(incoming.headers))
        forward.setRawHeader(header.name, header.value);
    // Unencoded answers only: the body is masked and compared.
    forward.setRawHeader("Accept-Encoding", "identity");
    QNetworkReply *reply = m_network->sendCustomRequest(forward, incoming.method, incoming.body);
    // An answer is held in memory to be masked and written: a runaway one is cut off.
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > maxAnswerBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply, responder, incoming, event]() {
        reply->deleteLater();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (!status.isValid() || reply->error() == QNetworkReply::OperationCanceledError) {
            RecordingEvent failed = event;
            failed.error = Error{ErrorCode::Unreachable,
                                 "upstream: " + reply->errorString().toStdString(),
                                 "service " + m_options.service.name};
            respond(*responder, 502, {{"Content-Type", "text/plain"}},
                    "EnvSync recorder: the upstream could not be reached\n");
            emit exchangeRecorded(failed);
            return;
        }
        HttpResponse response;
        response.status = status.toInt();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            response.headers.append({name, value});
        response.body = reply->readAll();
        respond(*responder, response.status, forwardableResponseHeaders(response.headers),
                response.body);
        RecordingEvent done = event;
        done.status = response.status;
        record(incoming, response, std::move(done));
    });
    return true;
}

void Recorder::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto responder = makeResponder(request, socket);
    respond(responder, 500, {}, "EnvSync recorder: request not handled\n");
}

void Recorder::record(const HttpRequest &request, const HttpResponse &response,
                      RecordingEvent event)
{
    HttpRequest kept = request;
    kept.headers = recordableRequestHeaders(request.headers, m_options.service.recordHeaders);
    HttpResponse answer = response;
    answer.headers = recordableResponseHeaders(response.headers);
    auto masked = m_masker.apply(kept, answer);
    if (!masked) {
        ++m_refused;
        event.error = masked.error();
        emit exchangeRecorded(event);
        return;
    }
    const QByteArray key = exchangeGroupKey(*masked, m_options.learnPasses <= 1);
    if (!m_groups.contains(key))
        m_groupOrder.push_back(key);
    m_groups[key].push_back(std::move(*masked));
    if (m_options.learnPasses > 1) {
        event.held = true;
        emit exchangeRecorded(event);
        return;
    }
    auto files = writeGroup(key, 1);
    if (!files)
        event.error = files.error();
    else
        event.files = *files;
    emit exchangeRecorded(event);
}

Result<QStringList> Recorder::finish()
{
    QStringList written;
    if (m_options.learnPasses <= 1)
        return written;
    for (const QByteArray &key : m_groupOrder) {
        const std::size_t count = m_groups[key].size();
        const int passes = count % static_cast<std::size_t>(m_options.learnPasses) == 0
                                   ? m_options.learnPasses
                                   : 1; // not N passes of the same traffic: nothing to learn from
        auto files = writeGroup(key, passes);
        if (!files)
            return std::unexpected(files.error());
        written += *files;
    }
    return written;
}

Result<QStringList> Recorder::writeGroup(const QByteArray &key, int passes)
{
    const std::vector<RecordedExchange> &observations = m_groups[key];
    const std::size_t steps = observations.size() / static_cast<std::size_t>(passes);
    std::vector<LearnedStep> learned;
    for (std::size_t step = 0; step < steps; ++step) {
        std::vector<RecordedExchange> aligned;
        for (int pass = 0; pass < passes; ++pass)
            aligned.push_back(observations[static_cast<std::size_t>(pass) * steps + step]);
        learned.push_back(learnStep(aligned));
    }
    QJsonObject envsync{
            {QStringLiteral("service"), QString::fromStdString(m_options.service.name)},
            {QStringLiteral("golden"), m_options.golden},
            {QStringLiteral("recordedAt"),
             QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
            {QStringLiteral("saltFingerprint"), m_saltFingerprint},
    };
    const std::vector<BuiltMapping> built
            = buildMappings(QString::fromStdString(m_options.service.name), learned, envsync);
    std::map<QString, QStringList> stemsBySignature;
    for (const BuiltMapping &mapping : built)
        stemsBySignature[mapping.signature].append(mapping.fileStem);
    QStringList files;
    for (const auto &[signature, stems] : stemsBySignature) {
        if (auto removed = removeStale(signature, stems); !removed)
            return std::unexpected(removed.error());
    }
    for (const BuiltMapping &mapping : built) {
        if (auto ok = writeMapping(m_options.root, mapping.mapping, mapping.fileStem); !ok)
            return std::unexpected(ok.error());
        files.append(QStringLiteral("mappings/") + mapping.fileStem + QStringLiteral(".json"));
    }
    return files;
}

/// Removes the files of earlier recordings of the same request that this one replaces: its
/// mapping files under another stem (a scenario that became one answer, or the reverse) and
/// the body files of every stem about to be written. Only files whose metadata carries this
/// signature are touched, never anything EnvSync did not write.
Result<void> Recorder::removeStale(const QString &signature, const QStringList &keep)
{
    namespace fs = std::filesystem;
    const fs::path mappings = m_options.root / "mappings";
    const fs::path files = m_options.root / "__files";
    std::error_code error;
    if (fs::symlink_status(mappings, error).type() != fs::file_type::directory)
        return {};
    const QRegularExpression ours(QStringLiteral("^[a-z0-9-]*-") + signature
                                  + QStringLiteral("(-step[0-9]+)?\\.json$"));
    std::vector<QString> stems;
    for (fs::directory_iterator it(mappings, error), end; !error && it != end;
         it.increment(error)) {
        const QString name = QString::fromStdString(it->path().filename().string());
        std::error_code statusError;
        if (!ours.match(name).hasMatch()
            || fs::symlink_status(it->path(), statusError).type() != fs::file_type::regular
            || !isOurMapping(it->path(), signature))
            continue;
        stems.push_back(name.chopped(5));
    }
    if (error)
        return fail(ErrorCode::Io, "cannot list " + mappings.string() + ": " + error.message());
    std::error_code ignored;
    const bool hasFiles = fs::symlink_status(files, ignored).type() == fs::file_type::directory;
    for (const QString &stem : stems) {
        // Its body file goes in any case: writeMapping makes a new one if the body is large.
        std::error_code removeError;
        if (hasFiles) {
            const std::string prefix = stem.toStdString() + "-body.";
            std::error_code listError;
            for (fs::directory_iterator it(files, listError), end; !listError && it != end;
                 it.increment(listError)) {
                const std::string name = it->path().filename().string();
                if (name.starts_with(prefix)
                    && fs::symlink_status(it->path(), ignored).type() == fs::file_type::regular)
                    fs::remove(it->path(), removeError);
            }
        }
        if (!removeError && !keep.contains(stem))
            fs::remove(mappings / (stem.toStdString() + ".json"), removeError);
        if (removeError)
            return fail(ErrorCode::Io, "cannot remove an outdated recording of "
                                               + stem.toStdString() + ": " + removeError.message());
    }
    return {};
}

} // namespace envsync::virt
