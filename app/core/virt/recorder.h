#pragma once

#include "core/config/config.h"
#include "core/error.h"
#include "core/virt/exchangemasker.h"
#include "core/virt/volatilelearner.h"

#include <QAbstractHttpServer>
#include <QByteArray>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <vector>

class QNetworkAccessManager;

namespace envsync::virt {

struct RecorderOptions
{
    config::ServiceConfig service;
    std::string configPath;     ///< for the mask rules' file:line:column in errors
    std::filesystem::path root; ///< the WireMock root written (mappings/, __files/)
    QString golden;             ///< the golden version the recording belongs to (metadata)
    /// Learning passes: the client runs the same traffic this many times; values that differ
    /// between passes become matchers and templates (written by finish()). 1: no learning,
    /// every exchange is written as it happens.
    int learnPasses = 1;
};

/// What happened to one proxied exchange (for the CLI's line per exchange and the GUI).
struct RecordingEvent
{
    QByteArray method;
    QString path;      ///< path only (a query may hold personal data), personal segments redacted
    int status = 0;    ///< the upstream's status; 0 when it could not be reached
    QStringList files; ///< mapping files written (relative to the root)
    bool held = false; ///< learning: kept until finish()
    std::optional<Error> error; ///< refused (unmasked PII) or not written (I/O)
};

/// A recording reverse proxy for one service: forwards every request to the upstream, answers
/// the client with the upstream's answer, and writes the exchange as WireMock stub mappings —
/// secret headers dropped, values masked with the golden keys, unmasked personal data refused,
/// repeated requests with different answers as a scenario, the same request rewriting the same
/// file. Lives on the thread that created it (its event loop does all the work).
class Recorder : public QAbstractHttpServer
{
    Q_OBJECT
public:
    /// `key` is HmacKey(salt) of masking.salt: the same key golden is masked with.
    [[nodiscard]] static Result<std::unique_ptr<Recorder>> create(RecorderOptions options,
                                                                  const masking::HmacKey &key);
    ~Recorder() override;

    /// Listens on the service's `listen` address (port 0: any free port). Returns the port.
    [[nodiscard]] Result<quint16> start();
    /// Writes what learning held back. Call once, after the last exchange.
    [[nodiscard]] Result<QStringList> finish();

    [[nodiscard]] int refusedCount() const { return m_refused; }

signals:
    void exchangeRecorded(const envsync::virt::RecordingEvent &event);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    Recorder(RecorderOptions options, ExchangeMasker masker, QString saltFingerprint);

    void record(const HttpRequest &request, const HttpResponse &response, RecordingEvent event);
    [[nodiscard]] Result<QStringList> writeGroup(const QByteArray &key, int passes);
    [[nodiscard]] Result<void> removeStale(const QString &signature, const QStringList &keep);

    RecorderOptions m_options;
    ExchangeMasker m_masker;
    QString m_saltFingerprint;
    QNetworkAccessManager *m_network = nullptr;
    std::map<QByteArray, std::vector<RecordedExchange>> m_groups;
    std::vector<QByteArray> m_groupOrder;
    int m_refused = 0;
};

} // namespace envsync::virt
