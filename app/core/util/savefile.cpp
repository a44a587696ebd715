#include "core/util/savefile.h"

#include <QSaveFile>
#include <QString>

namespace envsync::util {

Result<void> saveFile(const std::string &path, std::string_view contents)
{
    QSaveFile file(QString::fromStdString(path));
    const auto size = static_cast<qint64>(contents.size());
    if (!file.open(QIODevice::WriteOnly) || file.write(contents.data(), size) != size
        || !file.commit())
        return fail(ErrorCode::Io, "cannot write: " + file.errorString().toStdString(), path);
    return {};
}

} // namespace envsync::util
