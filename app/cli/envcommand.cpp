#include "cli.h"
#include "interruptguard.h"

#include "core/config/duration.h"
#include "core/env/environments.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace envsync::cli {

namespace {

constexpr const char *description = R"(Ephemeral databases cloned from a golden snapshot (data flow 3).

  create NAME   CREATE DATABASE NAME TEMPLATE golden_vN STRATEGY FILE_COPY on the golden
                cluster (seconds, whatever the size), with an owner and an expiry (--ttl).
  list          owner, snapshot, expiry and how to connect, soonest expiry first.
  drop NAME     drop an environment (only ones made by `env create`: its database must carry
                the environment marker `env create` wrote, whatever the catalogue says).
  gc            drop every expired environment (for cron, a systemd timer, a CronJob); a
                catalogued database without the marker is left alone, audited, and makes
                gc exit 4 after it has dropped the others.

Exit codes: 0 ok, 2 usage/config, 3 runtime failure, 4 refused by a safety guard (a database
without the environment marker, golden.dsn on the source's cluster).

Examples:
  envsyncctl env create -c envsync.yaml pr-1234 --ttl 4h --owner alice
  envsyncctl env list   -c envsync.yaml --format json
  envsyncctl env drop   -c envsync.yaml pr-1234
  envsyncctl env gc     -c envsync.yaml)";

std::string isoUtc(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate).toStdString() : std::string("-");
}

QJsonObject toJson(const env::EnvironmentInfo &info)
{
    return {{QStringLiteral("name"), QString::fromStdString(info.name)},
            {QStringLiteral("snapshot"), QString::fromStdString(info.snapshot)},
            {QStringLiteral("owner"), QString::fromStdString(info.owner)},
            {QStringLiteral("created_at"), QString::fromStdString(isoUtc(info.createdAt))},
            {QStringLiteral("expires_at"), QString::fromStdString(isoUtc(info.expiresAt))},
            {QStringLiteral("created_by"), QString::fromStdString(info.createdBy)},
            {QStringLiteral("dsn"), QString::fromStdString(info.dsn)},
            {QStringLiteral("exists"), info.exists}};
}

std::string remaining(const env::EnvironmentInfo &info)
{
    const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(info.expiresAt);
    if (seconds <= 0)
        return "expired";
    char text[32];
    std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds % 3600 / 60));
    return text;
}

std::optional<std::string> nameArgument(const QStringList &positional)
{
    if (positional.size() != 2) {
        printError("expected a NAME after the action (see --help)");
        return std::nullopt;
    }
    return positional[1].toStdString();
}

int runCreate(const config::Config &config, const QCommandLineParser &parser,
              const std::string &name, const std::shared_ptr<job::CancelToken> &cancel)
{
    env::CreateOptions options;
    options.name = name;
    options.snapshot = parser.value(QStringLiteral("snapshot")).toStdString();
    options.owner = parser.value(QStringLiteral("owner")).toStdString();
    const auto ttl = config::parseDuration(parser.value(QStringLiteral("ttl")).toStdString());
    if (!ttl) {
        printError("--ttl: " + ttl.error());
        return Exit::Usage;
    }
    options.ttl = std::chrono::duration_cast<std::chrono::seconds>(*ttl);
    auto created = env::createEnvironment(config, options, cancel);
    if (!created)
        return reportError(created.error());
    if (parser.value(QStringLiteral("format")) == QLatin1String("json")) {
        std::puts(QJsonDocument(toJson(*created)).toJson(QJsonDocument::Indented).constData());
    } else {
        std::printf("environment %s created from %s, expires %s\nconnect: %s\n", name.c_str(),
                    created->snapshot.c_str(), isoUtc(created->expiresAt).c_str(),
                    created->dsn.c_str());
    }
    return Exit::Ok;
}

int runList(const config::Config &config, const QCommandLineParser &parser)
{
    auto all = env::listEnvironments(config);
    if (!all)
        return reportError(all.error());
    if (parser.value(QStringLiteral("format")) == QLatin1String("json")) {
        QJsonArray array;
        for (const auto &info : *all)
            array.append(toJson(info));
        std::puts(QJsonDocument(array).toJson(QJsonDocument::Indented).constData());
        return Exit::Ok;
    }
    std::printf("%-24s %-12s %-16s %-20s %-9s\n", "NAME", "SNAPSHOT", "OWNER", "EXPIRES",
                "LEFT");
    for (const auto &info : *all) {
        std::printf("%-24s %-12s %-16s %-20s %-9s%s\n", info.name.c_str(), info.snapshot.c_str(),
                    info.owner.c_str(), isoUtc(info.expiresAt).c_str(), remaining(info).c_str(),
                    info.exists ? "" : "  (database missing)");
    }
    return Exit::Ok;
}

} // namespace

int runEnv(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromUtf8(description));
    parser.addPositionalArgument(QStringLiteral("action"),
                                 QStringLiteral("create NAME, list, drop NAME or gc"));
    addConfigOption(parser);
    parser.addOption({QStringLiteral("snapshot"),
                      QStringLiteral("create: the golden snapshot (default: the newest)."),
                      QStringLiteral("golden_vN")});
    parser.addOption({QStringLiteral("ttl"),
                      QStringLiteral("create: lifetime, e.g. 30m, 4h, 2d (default 4h)."),
                      QStringLiteral("DURATION"), QStringLiteral("4h")});
    parser.addOption({QStringLiteral("owner"),
                      QStringLiteral("create: who it belongs to (default: you)."),
                      QStringLiteral("WHO")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("table (default) or json."),
                      QStringLiteral("FORMAT"), QStringLiteral("table")});
    if (auto stop = parseCommandLine(parser, args))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    if (action != QLatin1String("create") && action != QLatin1String("list")
        && action != QLatin1String("drop") && action != QLatin1String("gc")) {
        printError("expected an action: create NAME, list, drop NAME or gc (see --help)");
        return Exit::Usage;
    }
    // Installed before the config is read: Ctrl-C of a create drops its half-made clone and
    // ends with exit 3, like every other job.
    const InterruptGuard interrupt;
    const auto config = loadConfigOrReport(parser);
    if (!config)
        return Exit::Usage;
    if (action == QLatin1String("list"))
        return runList(*config, parser);
    if (action == QLatin1String("gc")) {
        auto dropped = env::collectExpired(*config, QDateTime::currentDateTimeUtc());
        if (!dropped)
            return reportError(dropped.error());
        for (const auto &name : dropped->dropped)
            std::printf("dropped expired %s\n", name.c_str());
        for (const auto &refused : dropped->refused)
            printError(describe(refused));
        return dropped->refused.empty() ? Exit::Ok : Exit::Refused;
    }
    const auto name = nameArgument(positional);
    if (!name)
        return Exit::Usage;
    if (action == QLatin1String("create"))
        return runCreate(*config, parser, *name, interrupt.token());
    if (auto dropped = env::dropEnvironment(*config, *name, {}, interrupt.token()); !dropped)
        return reportError(dropped.error());
    std::printf("dropped %s\n", name->c_str());
    return Exit::Ok;
}

} // namespace envsync::cli
