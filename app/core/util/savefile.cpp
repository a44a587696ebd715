#include "core/util/savefile.h"

#include <QSaveFile>
#include <QString>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>

namespace envsync::util {

namespace {

/// The descriptor a path names when it is one of this process's own (/dev/stdout, /dev/fd/1):
/// written through the descriptor, so `-o /dev/stdout` appends to a redirect instead of
/// reopening (and overwriting) the file behind it.
std::optional<int> ownDescriptor(std::string_view path)
{
    if (path == "/dev/stdout")
        return 1;
    if (path == "/dev/stderr")
        return 2;
    for (const std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
        if (!path.starts_with(prefix))
            continue;
        const std::string_view number = path.substr(prefix.size());
        int fd = -1;
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), fd);
        if (ec == std::errc() && end == number.data() + number.size() && fd >= 0)
            return fd;
    }
    return std::nullopt;
}

Result<void> writeAll(int fd, std::string_view contents, const std::string &path)
{
    while (!contents.empty()) {
        const ssize_t written = ::write(fd, contents.data(), contents.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return fail(ErrorCode::Io, std::string("cannot write: ") + std::strerror(errno), path);
        contents.remove_prefix(static_cast<std::size_t>(written));
    }
    return {};
}

bool writableInPlace(mode_t mode)
{
    return S_ISFIFO(mode) || S_ISCHR(mode);
}

Result<void> refuseKind(mode_t mode, const std::string &path)
{
    const char *kind = S_ISDIR(mode)    ? "a directory"
                       : S_ISBLK(mode)  ? "a block device"
                       : S_ISSOCK(mode) ? "a socket"
                                        : "not a regular file";
    return fail(ErrorCode::Usage,
                std::string("cannot write here: it is ") + kind
                        + " (EnvSync writes regular files, pipes and character devices)",
                path);
}

/// A pipe or character device: opened without O_CREAT/O_TRUNC and checked again once open,
/// so a path swapped for something else in between is not written.
Result<void> writeInPlace(const std::string &path, std::string_view contents)
{
    // Opening a FIFO blocks until a reader opens it, as for `cat > fifo`.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return fail(ErrorCode::Io, std::string("cannot open: ") + std::strerror(errno), path);
    struct stat info
    {
    };
    Result<void> result;
    if (::fstat(fd, &info) != 0)
        result = fail(ErrorCode::Io, std::string("cannot stat: ") + std::strerror(errno), path);
    else if (!writableInPlace(info.st_mode))
        result = refuseKind(info.st_mode, path);
    else
        result = writeAll(fd, contents, path);
    if (::close(fd) != 0 && result)
        result = fail(ErrorCode::Io, std::string("cannot write: ") + std::strerror(errno), path);
    return result;
}

} // namespace

Result<void> saveFile(const std::string &path, std::string_view contents)
{
    if (const std::optional<int> fd = ownDescriptor(path)) {
        struct stat info
        {
        };
        if (::fstat(*fd, &info) != 0)
            return fail(ErrorCode::Io, std::string("cannot write: ") + std::strerror(errno), path);
        if (S_ISDIR(info.st_mode) || S_ISBLK(info.st_mode))
            return refuseKind(info.st_mode, path);
        return writeAll(*fd, contents, path);
    }
    struct stat info
    {
    };
    if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
        if (!writableInPlace(info.st_mode))
            return refuseKind(info.st_mode, path);
        return writeInPlace(path, contents);
    }
    QSaveFile file(QString::fromStdString(path));
    const auto size = static_cast<qint64>(contents.size());
    if (!file.open(QIODevice::WriteOnly) || file.write(contents.data(), size) != size
        || !file.commit())
        return fail(ErrorCode::Io, "cannot write: " + file.errorString().toStdString(), path);
    return {};
}

} // namespace envsync::util
