#include "core/util/process.h"

#include <QProcess>
#include <QStringList>

#include <cerrno>
#include <cstring>
#include <pwd.h>
#include <unistd.h>

namespace envsync::util {

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

Result<void> giveToPostgresUser(const std::string &path)
{
    if (!runningAsRoot())
        return {};
    const passwd *pw = ::getpwnam("postgres");
    if (!pw)
        return fail(ErrorCode::Io, "running as root but there is no 'postgres' user "
                                   "(install the postgresql-15 package)");
    if (::chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0)
        return fail(ErrorCode::Io, std::string("chown postgres: ") + std::strerror(errno), path);
    return {};
}

Result<ProcessResult> runProcess(const std::string &program,
                                 const std::vector<std::string> &arguments, bool asPostgresUser,
                                 std::chrono::seconds timeout,
                                 const std::shared_ptr<job::CancelToken> &cancel)
{
    QStringList args;
    QString executable = QString::fromStdString(program);
    if (asPostgresUser && runningAsRoot()) {
        args << QStringLiteral("-u") << QStringLiteral("postgres") << QStringLiteral("--")
             << executable;
        executable = QStringLiteral("runuser");
    }
    for (const auto &argument : arguments)
        args << QString::fromStdString(argument);

    if (job::cancelled(cancel))
        return fail(ErrorCode::Cancelled, "cancelled", program);
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(executable, args);
    if (!process.waitForStarted())
        return fail(ErrorCode::Io, "cannot start: " + process.errorString().toStdString(), program);
    if (!process.waitForFinished(static_cast<int>(
                std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()))) {
        process.kill();
        process.waitForFinished();
        return fail(ErrorCode::Io, "timed out after " + std::to_string(timeout.count()) + " s",
                    program);
    }
    ProcessResult result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.output = process.readAll().toStdString();
    return result;
}

} // namespace envsync::util
