#include "core/util/process.h"

#include <QProcess>
#include <QStringList>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

namespace envsync::util {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int pollMs = 50;

/// Signals the child and everything it started (runuser's program, a shell's commands): the
/// child leads its own process group.
void signalGroup(qint64 pid, int signal)
{
    if (pid > 0)
        ::kill(-static_cast<pid_t>(pid), signal);
}

} // namespace

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
    process.setChildProcessModifier([] { ::setpgid(0, 0); });
    process.start(executable, args);
    if (!process.waitForStarted())
        return fail(ErrorCode::Io, "cannot start: " + process.errorString().toStdString(), program);
    const qint64 pid = process.processId();
    // Polled here rather than signalled from an onCancel action: only this thread knows when
    // the child is reaped, after which its pid may name another process.
    const auto deadline = Clock::now() + timeout;
    std::optional<Clock::time_point> terminatedAt;
    while (!process.waitForFinished(pollMs) && process.state() != QProcess::NotRunning) {
        const auto now = Clock::now();
        if (terminatedAt && now - *terminatedAt >= terminateGrace) {
            signalGroup(pid, SIGKILL);
            process.waitForFinished(-1);
            break;
        }
        if (!terminatedAt && job::cancelled(cancel)) {
            signalGroup(pid, SIGTERM);
            terminatedAt = now;
        } else if (!terminatedAt && now >= deadline) {
            signalGroup(pid, SIGKILL);
            process.waitForFinished(-1);
            return fail(ErrorCode::Io, "timed out after " + std::to_string(timeout.count()) + " s",
                        program);
        }
    }
    if (terminatedAt)
        return fail(ErrorCode::Cancelled, "cancelled", program);
    ProcessResult result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.output = process.readAll().toStdString();
    return result;
}

} // namespace envsync::util
