// envsync: the desktop console. Parses the command line, builds the main window from ui/.

#include "core/db/threadguard.h"
#include "core/demo/demo.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstdio>
#include <string_view>

namespace {

int usageError(const QString &message)
{
    std::fprintf(stderr, "envsync: %s\nTry 'envsync --help'.\n", qPrintable(message));
    return 2;
}

/// --help and --version must work on a machine without a display (ssh, CI), where QApplication
/// cannot start: those two are answered by a QCoreApplication.
bool onlyWantsText(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v"
            || arg == "--version")
            return true;
    }
    return false;
}

struct Options
{
    QCommandLineOption demo{QStringLiteral("demo"),
                            QStringLiteral("Start (creating and seeding on first use) local "
                                           "PostgreSQL demo clusters for source, golden, eu, us "
                                           "and apac, then open their config. Same as "
                                           "'envsyncctl demo up'.")};
    QCommandLineOption demoDir{
            QStringLiteral("demo-dir"),
            QStringLiteral("Directory of the demo clusters (default: %1).")
                    .arg(QString::fromStdString(envsync::demo::defaultDirectory().string())),
            QStringLiteral("DIR")};
    QCommandLineOption demoRows{QStringLiteral("demo-rows"),
                                QStringLiteral("Orders to seed when the demo is created "
                                               "(default: %1).")
                                        .arg(envsync::demo::DemoOptions{}.rows),
                                QStringLiteral("N")};
};

void describe(QCommandLineParser &parser, const Options &options)
{
    parser.setApplicationDescription(QStringLiteral(
            "EnvSync console: reachability, server versions, sizes and data freshness of the\n"
            "production source, the golden snapshots and every regional test database.\n"
            "\n"
            "  envsync                      start empty (File > Open Config...)\n"
            "  envsync CONFIG               open CONFIG and probe its endpoints\n"
            "  envsync --demo               start local demo clusters, then open their config"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("config"),
                                 QStringLiteral("EnvSync YAML configuration to open."),
                                 QStringLiteral("[CONFIG]"));
    parser.addOptions({options.demo, options.demoDir, options.demoRows});
}

void setApplicationNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("EnvSync"));
    QCoreApplication::setApplicationName(QStringLiteral("EnvSync"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ENVSYNC_VERSION));
}

} // namespace

int main(int argc, char *argv[])
{
    const Options options;
    if (onlyWantsText(argc, argv)) {
        QCoreApplication app(argc, argv);
        setApplicationNames();
        QCommandLineParser parser;
        describe(parser, options);
        parser.process(app); // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    setApplicationNames();
    QApplication::setDesktopFileName(QStringLiteral("envsync"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/envsync/icons/envsync.svg")));
    // From here on the db layer refuses to connect on this thread.
    envsync::db::registerGuiThread();

    QCommandLineParser parser;
    describe(parser, options);
    parser.process(app);

    const QStringList positional = parser.positionalArguments();
    const bool demo = parser.isSet(options.demo);
    if (positional.size() > 1)
        return usageError(QStringLiteral("too many arguments: only one CONFIG can be opened"));
    if (demo && !positional.isEmpty())
        return usageError(QStringLiteral("--demo opens the demo's own config; drop CONFIG"));
    if (!demo && (parser.isSet(options.demoDir) || parser.isSet(options.demoRows)))
        return usageError(QStringLiteral("--demo-dir and --demo-rows need --demo"));

    envsync::demo::DemoOptions demoOptions;
    if (parser.isSet(options.demoDir))
        demoOptions.dir = parser.value(options.demoDir).toStdString();
    if (parser.isSet(options.demoRows)) {
        bool ok = false;
        demoOptions.rows = parser.value(options.demoRows).toInt(&ok);
        if (!ok || demoOptions.rows <= 0)
            return usageError(QStringLiteral("--demo-rows needs a positive number"));
    }

    envsync::ui::MainWindow window;
    window.show();
    if (demo)
        window.startDemo(demoOptions);
    else if (!positional.isEmpty())
        window.openConfig(positional.first());
    return QApplication::exec();
}
