// util::saveFile, the one writer behind `report -o`, ICS export, Export PNG and the window
// editor: atomic over regular files, in place for pipes and character devices (renaming over
// them would replace /dev/null or a FIFO with a regular file), refused for anything else.
#include "core/util/savefile.h"

#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <string>

using envsync::ErrorCode;
using envsync::util::saveFile;

namespace {

std::string readAll(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

mode_t fileType(const std::string &path)
{
    struct stat info
    {
    };
    return ::lstat(path.c_str(), &info) == 0 ? (info.st_mode & S_IFMT) : 0;
}

/// Everything a non-blocking reader finds in a pipe (the writer has finished and closed).
std::string drain(int fd)
{
    std::string text;
    char buffer[4096];
    ssize_t count = 0;
    while ((count = ::read(fd, buffer, sizeof buffer)) > 0)
        text.append(buffer, std::size_t(count));
    return text;
}

} // namespace

class TestSaveFile : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void replacesARegularFileKeepingItsMode()
    {
        const std::string path = m_dir->filePath(QStringLiteral("report.csv")).toStdString();
        std::ofstream(path) << "old";
        QVERIFY(::chmod(path.c_str(), 0640) == 0);
        QVERIFY(saveFile(path, "new contents").has_value());
        QCOMPARE(readAll(path), std::string("new contents"));
        struct stat info
        {
        };
        QVERIFY(::stat(path.c_str(), &info) == 0);
        QCOMPARE(info.st_mode & 07777, mode_t(0640));
        // No temporary left next to it.
        QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void createsAMissingFile()
    {
        const std::string path = m_dir->filePath(QStringLiteral("new.ics")).toStdString();
        QVERIFY(saveFile(path, "BEGIN:VCALENDAR").has_value());
        QCOMPARE(readAll(path), std::string("BEGIN:VCALENDAR"));
    }

    void writesIntoAFifoInPlace()
    {
        const std::string path = m_dir->filePath(QStringLiteral("pipe")).toStdString();
        QVERIFY(::mkfifo(path.c_str(), 0600) == 0);
        // A reader that is already there: the writer's open does not wait, the text fits the
        // pipe's buffer, and the reader sees it after the writer closed.
        const int reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
        QVERIFY(reader >= 0);
        const auto saved = saveFile(path, "region,status\r\n");
        const std::string received = drain(reader);
        ::close(reader);
        QVERIFY2(saved.has_value(), saved ? "" : saved.error().describe().c_str());
        QCOMPARE(fileType(path), mode_t(S_IFIFO));
        QCOMPARE(received, std::string("region,status\r\n"));
    }

    void writesIntoACharacterDeviceInPlace()
    {
        // A private /dev/null (same major/minor), so a regression cannot break the real one.
        const std::string path = m_dir->filePath(QStringLiteral("null")).toStdString();
        if (::mknod(path.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0)
            QSKIP("mknod needs root (CAP_MKNOD)");
        const auto saved = saveFile(path, "discarded");
        QVERIFY2(saved.has_value(), saved ? "" : saved.error().describe().c_str());
        QCOMPARE(fileType(path), mode_t(S_IFCHR));
        QCOMPARE(QDir(m_dir->path())
                         .entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot)
                         .size(),
                 1);
    }

    void writesThroughASymlinkToADevice()
    {
        const std::string device = m_dir->filePath(QStringLiteral("null2")).toStdString();
        if (::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0)
            QSKIP("mknod needs root (CAP_MKNOD)");
        const std::string link = m_dir->filePath(QStringLiteral("out.pdf")).toStdString();
        QVERIFY(::symlink(device.c_str(), link.c_str()) == 0);
        QVERIFY(saveFile(link, "%PDF").has_value());
        QCOMPARE(fileType(link), mode_t(S_IFLNK));
        QCOMPARE(fileType(device), mode_t(S_IFCHR));
    }

    void writesThroughASymlinkToAFile()
    {
        // The link stays a link (QSaveFile replaces its target atomically).
        const std::string target = m_dir->filePath(QStringLiteral("real.ics")).toStdString();
        std::ofstream(target) << "old";
        const std::string link = m_dir->filePath(QStringLiteral("link.ics")).toStdString();
        QVERIFY(::symlink(target.c_str(), link.c_str()) == 0);
        QVERIFY(saveFile(link, "BEGIN:VCALENDAR").has_value());
        QCOMPARE(fileType(link), mode_t(S_IFLNK));
        QCOMPARE(readAll(target), std::string("BEGIN:VCALENDAR"));
    }

    void writesToOwnDescriptors()
    {
        // /dev/fd/N (what `-o >(gzip)` passes) is this process's descriptor N.
        int fds[2];
        QVERIFY(::pipe(fds) == 0);
        const auto saved = saveFile("/dev/fd/" + std::to_string(fds[1]), "piped");
        ::close(fds[1]);
        const std::string received = drain(fds[0]);
        ::close(fds[0]);
        QVERIFY2(saved.has_value(), saved ? "" : saved.error().describe().c_str());
        QCOMPARE(received, std::string("piped"));
    }

    void refusesDirectoriesAndSockets()
    {
        const std::string directory = m_dir->filePath(QStringLiteral("sub")).toStdString();
        QVERIFY(QDir().mkpath(QString::fromStdString(directory)));
        auto saved = saveFile(directory, "x");
        QVERIFY(!saved.has_value());
        QCOMPARE(saved.error().code, ErrorCode::Usage);
        QVERIFY2(saved.error().describe().find("a directory") != std::string::npos,
                 saved.error().describe().c_str());
        QCOMPARE(fileType(directory), mode_t(S_IFDIR));

        const std::string socketPath = m_dir->filePath(QStringLiteral("sock")).toStdString();
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, socketPath.c_str(), sizeof address.sun_path - 1);
        QVERIFY(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
        saved = saveFile(socketPath, "x");
        ::close(fd);
        QVERIFY(!saved.has_value());
        QVERIFY2(saved.error().describe().find("a socket") != std::string::npos,
                 saved.error().describe().c_str());
        QCOMPARE(fileType(socketPath), mode_t(S_IFSOCK));
    }

    void cleanup() { m_dir.reset(); }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestSaveFile)
#include "tst_savefile.moc"
