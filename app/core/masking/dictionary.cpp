#include "dictionary.h"

#include <QFile>
#include <QString>

#include <map>
#include <mutex>

namespace envsync::masking {

Result<std::shared_ptr<const Dictionary>> Dictionary::load(const std::string &name)
{
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const Dictionary>> cache;
    const std::lock_guard lock(mutex);
    if (const auto it = cache.find(name); it != cache.end())
        return it->second;

    for (const char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return fail(ErrorCode::Config, "dictionary name \"" + name
                                                   + "\" may only use a-z, 0-9, '_' and '-'");
    }
    QFile file(QStringLiteral(":/envsync/masking/") + QString::fromStdString(name)
               + QStringLiteral(".txt"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Config, "no masking dictionary named \"" + name
                                               + "\" (resources/masking/" + name + ".txt)");
    auto dictionary = std::shared_ptr<Dictionary>(new Dictionary);
    const QByteArray data = file.readAll();
    for (const QByteArray &rawLine : data.split('\n')) {
        const QByteArray line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        std::string entry = line.toStdString();
        std::string lower;
        bool ascii = true;
        for (const char c : entry) {
            if (c >= 'A' && c <= 'Z')
                lower += static_cast<char>(c - 'A' + 'a');
            else if (c >= 'a' && c <= 'z')
                lower += c;
            else
                ascii = false;
        }
        if (ascii && !lower.empty())
            dictionary->m_asciiLower.push_back(std::move(lower));
        dictionary->m_entries.push_back(std::move(entry));
    }
    if (dictionary->m_entries.empty())
        return fail(ErrorCode::Config, "masking dictionary \"" + name + "\" is empty");
    if (dictionary->m_asciiLower.empty())
        dictionary->m_asciiLower.push_back("user");
    cache.emplace(name, dictionary);
    return std::shared_ptr<const Dictionary>(dictionary);
}

} // namespace envsync::masking
