#include "core/virt/mappingstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QStringDecoder>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace envsync::virt {

namespace fs = std::filesystem;

namespace {

/// A mapping or body file larger than this is refused rather than read into memory.
constexpr std::uintmax_t maxFileBytes = 256ull * 1024 * 1024;

std::string errnoText()
{
    return std::strerror(errno);
}

Result<QByteArray> readFile(const fs::path &path)
{
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot read: " + ec.message(), path.string());
    if (size > maxFileBytes)
        return fail(ErrorCode::Config, "file too large", path.string());
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(ErrorCode::Io, "cannot open", path.string());
    QByteArray data(qsizetype(size), Qt::Uninitialized);
    in.read(data.data(), std::streamsize(size));
    if (!in)
        return fail(ErrorCode::Io, "cannot read", path.string());
    return data;
}

/// "mappings/x.json" for messages: the path below the root, by text (no file system calls).
QString relativeName(const fs::path &path, const fs::path &root)
{
    const std::string full = path.string();
    std::string prefix = root.string();
    if (!prefix.empty() && prefix.back() != '/')
        prefix += '/';
    return QString::fromStdString(full.starts_with(prefix) ? full.substr(prefix.size()) : full);
}

bool isInside(const fs::path &path, const fs::path &dir)
{
    auto mismatch = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
    return mismatch.first == dir.end();
}

/// <root>/__files/<name>, refused when the name is absolute, has "..", or lands outside the
/// __files directory once symlinks are resolved.
Result<fs::path> resolveBodyFile(const fs::path &root, const QString &name)
{
    const fs::path relative = fs::path(name.toStdString());
    if (name.isEmpty() || relative.is_absolute() || relative.has_root_name())
        return fail(ErrorCode::Config, "response.bodyFileName must be a relative path");
    for (const fs::path &part : relative) {
        if (part == "..")
            return fail(ErrorCode::Config, "response.bodyFileName must not contain \"..\"");
    }
    std::error_code ec;
    const fs::path files = fs::canonical(root / "__files", ec);
    if (ec)
        return fail(ErrorCode::Config, "response.bodyFileName: no __files directory");
    if (!isInside(files, fs::canonical(root, ec)))
        return fail(ErrorCode::Config, "response.bodyFileName: __files leaves the root");
    const fs::path resolved = fs::canonical(files / relative, ec);
    if (ec)
        return fail(ErrorCode::Config, "response.bodyFileName: no such file in __files");
    if (!isInside(resolved, files))
        return fail(ErrorCode::Config, "response.bodyFileName leaves the __files directory");
    if (!fs::is_regular_file(resolved))
        return fail(ErrorCode::Config, "response.bodyFileName is not a regular file");
    return resolved;
}

Result<void> loadBody(StubMapping &mapping, const fs::path &root)
{
    if (mapping.response.bodyFileName.isEmpty())
        return {};
    auto file = resolveBodyFile(root, mapping.response.bodyFileName);
    if (!file)
        return std::unexpected(file.error());
    auto body = readFile(*file);
    if (!body)
        return std::unexpected(body.error());
    mapping.response.body = std::move(*body);
    return {};
}

QList<QJsonObject> mappingObjects(const QJsonDocument &doc)
{
    QList<QJsonObject> objects;
    if (doc.isObject() && doc.object().value(QStringLiteral("mappings")).isArray()) {
        for (const QJsonValue &value : doc.object().value(QStringLiteral("mappings")).toArray())
            objects.append(value.toObject());
    } else if (doc.isObject()) {
        objects.append(doc.object());
    }
    return objects;
}

/// Every mapping of one file; the first bad one makes the whole file skipped, so a file is
/// served entirely or not at all.
Result<std::vector<StubMapping>> loadFile(const fs::path &file, const fs::path &root)
{
    const QString where = relativeName(file, root);
    auto data = readFile(file);
    if (!data)
        return std::unexpected(data.error());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(ErrorCode::Config,
                    "not a JSON object: " + parseError.errorString().toStdString(),
                    where.toStdString());
    std::vector<StubMapping> mappings;
    for (const QJsonObject &object : mappingObjects(doc)) {
        auto mapping = StubMapping::fromJson(object, where);
        if (!mapping)
            return std::unexpected(mapping.error());
        if (auto body = loadBody(*mapping, root); !body) {
            Error error = body.error();
            error.context = where.toStdString();
            return std::unexpected(error);
        }
        mappings.push_back(std::move(*mapping));
    }
    return mappings;
}

/// The *.json files under <root>/mappings, sorted. Symlinked directories are not entered; a
/// symlinked file is taken only when it resolves inside the root.
Result<std::vector<fs::path>> mappingFiles(const fs::path &root, std::vector<Error> &skipped)
{
    std::vector<fs::path> files;
    std::error_code ec;
    const fs::path dir = root / "mappings";
    if (!fs::exists(fs::symlink_status(dir, ec)))
        return files;
    const fs::path canonicalRoot = fs::canonical(root, ec);
    if (!isInside(fs::canonical(dir, ec), canonicalRoot))
        return fail(ErrorCode::Config, "mappings/ is a symlink leaving the root", dir.string());
    fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot list: " + ec.message(), dir.string());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec)
            return fail(ErrorCode::Io, "cannot list: " + ec.message(), dir.string());
        const fs::path &path = it->path();
        if (path.extension() != ".json" || !it->is_regular_file(ec))
            continue;
        if (it->is_symlink(ec) && !isInside(fs::canonical(path, ec), canonicalRoot)) {
            skipped.push_back(Error{ErrorCode::Config, "a symlink leaving the root",
                                    relativeName(path, root).toStdString()});
            continue;
        }
        files.push_back(path);
    }
    std::sort(files.begin(), files.end());
    return files;
}

// ---- writing -------------------------------------------------------------------------------

bool isSafeStem(const QString &stem)
{
    if (stem.isEmpty() || stem.size() > 200 || stem.startsWith(u'.'))
        return false;
    return std::all_of(stem.begin(), stem.end(), [](QChar c) {
        return (c.isLetterOrNumber() && c.unicode() < 128) || c == u'-' || c == u'_' || c == u'.';
    });
}

/// Creates `dir` (0755) unless it exists as a real directory; a symlink there is refused.
Result<void> ensureDirectory(const fs::path &dir)
{
    struct stat st
    {
    };
    if (::lstat(dir.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return {};
        return fail(ErrorCode::Refused, "exists and is not a directory (or is a symlink)",
                    dir.string());
    }
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
        return fail(ErrorCode::Io, "cannot create directory: " + errnoText(), dir.string());
    return {};
}

Result<void> writeAll(int fd, const QByteArray &data, const fs::path &path)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(ErrorCode::Io, "cannot write: " + errnoText(), path.string());
        done += n;
    }
    return {};
}

/// Temp file beside `target` (O_EXCL, O_NOFOLLOW), 0644, fsync, rename over `target`.
Result<void> writeAtomically(const fs::path &target, const QByteArray &data)
{
    const fs::path temp = target.parent_path()
                          / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid())
                             + "-" + std::to_string(QRandomGenerator::global()->generate()));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(ErrorCode::Io, "cannot create: " + errnoText(), temp.string());
    auto written = writeAll(fd, data, temp);
    const bool synced = written && ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
    const std::string syncError = synced ? std::string() : errnoText();
    ::close(fd);
    if (!written || !synced) {
        ::unlink(temp.c_str());
        return written ? fail(ErrorCode::Io, "cannot write: " + syncError, target.string())
                       : std::unexpected(written.error());
    }
    if (::rename(temp.c_str(), target.c_str()) != 0) {
        const std::string error = errnoText();
        ::unlink(temp.c_str());
        return fail(ErrorCode::Io, "cannot replace: " + error, target.string());
    }
    return {};
}

QString bodyExtension(const QList<HttpHeader> &headers)
{
    QByteArray type;
    for (const HttpHeader &header : headers) {
        if (header.name.compare("content-type", Qt::CaseInsensitive) == 0)
            type = header.value.toLower();
    }
    if (type.contains("json"))
        return QStringLiteral("json");
    if (type.contains("xml"))
        return QStringLiteral("xml");
    if (type.contains("html"))
        return QStringLiteral("html");
    if (type.startsWith("text/"))
        return QStringLiteral("txt");
    return QStringLiteral("bin");
}

bool isUtf8Text(const QByteArray &data)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = decoder(data);
    return !decoder.hasError() && !text.contains(QChar(0));
}

/// Small bodies stay inline (as text when they are UTF-8, else base64); large ones go to
/// __files so mapping files stay readable.
Result<StubMapping> placeBody(const fs::path &root, StubMapping mapping, const QString &stem,
                              qsizetype largeBodyBytes)
{
    ResponseDefinition &response = mapping.response;
    if (!response.body)
        return mapping;
    if (response.body->size() <= largeBodyBytes) {
        response.bodyFileName.clear();
        if (!isUtf8Text(*response.body))
            response.bodyKind = ResponseDefinition::BodyKind::Base64;
        else if (response.bodyKind == ResponseDefinition::BodyKind::Base64)
            response.bodyKind = ResponseDefinition::BodyKind::Text;
        return mapping;
    }
    if (auto dir = ensureDirectory(root / "__files"); !dir)
        return std::unexpected(dir.error());
    response.bodyFileName = stem + QStringLiteral("-body.") + bodyExtension(response.headers);
    const fs::path file = root / "__files" / response.bodyFileName.toStdString();
    if (auto written = writeAtomically(file, *response.body); !written)
        return std::unexpected(written.error());
    return mapping;
}

} // namespace

Result<LoadedMappings> loadMappings(const fs::path &root)
{
    std::error_code ec;
    if (!fs::is_directory(root, ec))
        return fail(ErrorCode::Config, "not a directory (a WireMock root holds mappings/)",
                    root.string());
    LoadedMappings loaded;
    auto files = mappingFiles(root, loaded.skipped);
    if (!files)
        return std::unexpected(files.error());
    for (const fs::path &file : *files) {
        auto mappings = loadFile(file, root);
        if (!mappings) {
            loaded.skipped.push_back(mappings.error());
            continue;
        }
        std::move(mappings->begin(), mappings->end(), std::back_inserter(loaded.mappings));
    }
    return loaded;
}

Result<void> writeMapping(const fs::path &root, const StubMapping &mapping, const QString &fileStem,
                          qsizetype largeBodyBytes)
{
    if (!isSafeStem(fileStem))
        return fail(ErrorCode::Usage,
                    "mapping file name must be letters, digits, '-', '_' or '.' (not leading)",
                    fileStem.toStdString());
    std::error_code ec;
    fs::create_directories(root, ec);
    if (ec)
        return fail(ErrorCode::Io, "cannot create directory: " + ec.message(), root.string());
    if (auto dir = ensureDirectory(root / "mappings"); !dir)
        return std::unexpected(dir.error());
    auto placed = placeBody(root, mapping, fileStem, largeBodyBytes);
    if (!placed)
        return std::unexpected(placed.error());
    const QByteArray json = QJsonDocument(placed->toJson()).toJson(QJsonDocument::Indented);
    return writeAtomically(root / "mappings" / (fileStem.toStdString() + ".json"), json);
}

} // namespace envsync::virt
