#include "transform.h"

#include "dictionary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QString>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace envsync::masking {

namespace {

using Params = std::map<std::string, std::string>;

std::unexpected<Error> badParam(const std::string &transform, const std::string &param,
                                const std::string &why)
{
    return fail(ErrorCode::Config, transform + ": parameter " + param + ": " + why);
}

/// Reads an integer parameter in [min, max], or `fallback` when absent.
Result<long long> intParam(const std::string &transform, const Params &params,
                           const std::string &name, long long fallback, long long min,
                           long long max)
{
    const auto it = params.find(name);
    if (it == params.end())
        return fallback;
    long long value = 0;
    const auto &text = it->second;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size())
        return badParam(transform, name, "\"" + text + "\" is not a whole number");
    if (value < min || value > max)
        return badParam(transform, name,
                        std::to_string(value) + " is outside " + std::to_string(min) + ".."
                                + std::to_string(max));
    return value;
}

std::string strParam(const Params &params, const std::string &name, std::string fallback = {})
{
    const auto it = params.find(name);
    return it == params.end() ? fallback : it->second;
}

/// Rejects parameters a transform does not know (a typo would otherwise silently do nothing).
Result<void> onlyParams(const std::string &transform, const Params &params,
                        std::initializer_list<std::string_view> known)
{
    for (const auto &[key, value] : params) {
        if (std::ranges::find(known, key) == known.end()) {
            std::string list;
            for (const auto k : known)
                list += (list.empty() ? "" : ", ") + std::string(k);
            return std::unexpected(
                    Error{ErrorCode::Config,
                          transform + ": unknown parameter " + key
                                  + (list.empty() ? " (it takes none)" : " (known: " + list + ")"),
                          {}});
        }
    }
    return {};
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// What `unique: true` appends: 120 bits of a keyed hash, 24 base32 characters. One-way (an
/// HMAC, not a cipher) and of fixed length (the output says nothing about the input's length).
/// Distinct values collide with probability about n^2 / 2^121 (1e-17 for ten billion values);
/// should it ever happen, the column's unique index on the target fails the copy loudly, and
/// snapshot verify compares distinct counts. No state is needed across runs or regions.
constexpr std::size_t uniqueTagBytes = 15;

void appendUniqueTag(const HmacKey &key, std::string_view value, std::string &out)
{
    // Own prefix byte: unrelated to mac(value) (the dictionary pick) and expand's counters.
    const auto d = key.mac(std::string_view("\x03", 1), value);
    out += toBase32(std::string_view(reinterpret_cast<const char *>(d.data()), uniqueTagBytes));
}

// ---- simple transforms ------------------------------------------------------------------------

class NullTransform final : public Transform
{
public:
    bool apply(std::string_view, std::string &) const override { return false; }
};

class ConstantTransform final : public Transform
{
public:
    explicit ConstantTransform(std::string value) : m_value(std::move(value)) {}
    bool apply(std::string_view, std::string &out) const override
    {
        out = m_value;
        return true;
    }
    bool applyNull(std::string &out) const override
    {
        out = m_value;
        return true;
    }

private:
    std::string m_value;
};

class HashTransform final : public Transform
{
public:
    HashTransform(HmacKey key, std::size_t length, bool unique)
        : m_key(std::move(key)), m_length(length), m_unique(unique)
    {}
    bool apply(std::string_view value, std::string &out) const override
    {
        // unique: the configured length is at least 32 hex digits (128 bits), see makeTransform.
        const auto d = m_key.mac(value);
        out = toHex(d.data(), d.size());
        out.resize(m_length);
        return true;
    }

private:
    HmacKey m_key;
    std::size_t m_length;
    bool m_unique;
};

/// Picks from a dictionary; with `unique`, appends "-<unique tag>".
class DictionaryTransform final : public Transform
{
public:
    DictionaryTransform(HmacKey key, std::shared_ptr<const Dictionary> dictionary, bool unique)
        : m_key(std::move(key)), m_dictionary(std::move(dictionary)), m_unique(unique)
    {}
    bool apply(std::string_view value, std::string &out) const override
    {
        out = m_dictionary->pick(readU64(m_key.mac(value)));
        if (m_unique) {
            out += '-';
            appendUniqueTag(m_key, value, out);
        }
        return true;
    }

private:
    HmacKey m_key;
    std::shared_ptr<const Dictionary> m_dictionary;
    bool m_unique;
};

class PersonNameTransform final : public Transform
{
public:
    PersonNameTransform(HmacKey key, std::shared_ptr<const Dictionary> first,
                        std::shared_ptr<const Dictionary> last, bool unique)
        : m_key(std::move(key)), m_first(std::move(first)), m_last(std::move(last)),
          m_unique(unique)
    {}
    bool apply(std::string_view value, std::string &out) const override
    {
        const auto d = m_key.mac(value);
        out = m_first->pick(readU64(d, 0));
        out += ' ';
        out += m_last->pick(readU64(d, 8));
        if (m_unique) {
            out += '-';
            appendUniqueTag(m_key, value, out);
        }
        return true;
    }

private:
    HmacKey m_key;
    std::shared_ptr<const Dictionary> m_first;
    std::shared_ptr<const Dictionary> m_last;
    bool m_unique;
};

/// "<first>.<last><nn>@<domain>", or with `unique` "<first>.<unique tag>@<domain>".
class EmailTransform final : public Transform
{
public:
    EmailTransform(HmacKey key, std::shared_ptr<const Dictionary> first,
                   std::shared_ptr<const Dictionary> last, std::string domain, bool unique)
        : m_key(std::move(key)), m_first(std::move(first)), m_last(std::move(last)),
          m_domain(std::move(domain)), m_unique(unique)
    {}
    bool apply(std::string_view value, std::string &out) const override
    {
        const auto d = m_key.mac(value);
        const auto &firsts = m_first->asciiLower();
        out = firsts[readU64(d, 0) % firsts.size()];
        out += '.';
        if (m_unique) {
            appendUniqueTag(m_key, value, out);
        } else {
            const auto &lasts = m_last->asciiLower();
            out += lasts[readU64(d, 8) % lasts.size()];
            const unsigned n = static_cast<unsigned>(readU64(d, 16) % 1000);
            out += static_cast<char>('0' + n / 100);
            out += static_cast<char>('0' + n / 10 % 10);
            out += static_cast<char>('0' + n % 10);
        }
        out += '@';
        out += m_domain;
        return true;
    }

private:
    HmacKey m_key;
    std::shared_ptr<const Dictionary> m_first;
    std::shared_ptr<const Dictionary> m_last;
    std::string m_domain;
    bool m_unique;
};

/// Replaces every digit, keeping separators, a leading '+' with its country code and a leading
/// trunk '0', so "+49 (30) 1234-567" stays a plausible German number.
class PhoneTransform final : public Transform
{
public:
    explicit PhoneTransform(HmacKey key) : m_key(std::move(key)) {}
    bool apply(std::string_view value, std::string &out) const override
    {
        unsigned char random[64];
        const std::size_t n = std::min<std::size_t>(value.size(), sizeof random);
        m_key.expand(value, random, n);
        out.assign(value);
        std::size_t keep = 0; // leading digits kept as they are
        std::size_t i = 0;
        while (i < out.size() && !isDigit(out[i]) && out[i] != '+')
            ++i;
        if (i < out.size() && out[i] == '+') {
            std::size_t j = i + 1, cc = 0;
            while (j < out.size() && isDigit(out[j]) && cc < 3) {
                ++j;
                ++cc;
            }
            // Without a separator after the country code we cannot tell its length: keep 2.
            keep = (j < out.size() && !isDigit(out[j])) ? cc : std::min<std::size_t>(cc, 2);
        } else if (i < out.size() && out[i] == '0') {
            keep = 1;
        }
        std::size_t digitIndex = 0;
        bool first = true;
        for (std::size_t k = 0; k < out.size(); ++k) {
            if (!isDigit(out[k]))
                continue;
            if (digitIndex++ < keep)
                continue;
            const unsigned r = random[k % sizeof random];
            out[k] = first ? static_cast<char>('1' + r % 9) : static_cast<char>('0' + r % 10);
            first = false;
        }
        return true;
    }

private:
    HmacKey m_key;
};

class AddressTransform final : public Transform
{
public:
    AddressTransform(HmacKey key, std::shared_ptr<const Dictionary> streets,
                     std::shared_ptr<const Dictionary> cities)
        : m_key(std::move(key)), m_streets(std::move(streets)), m_cities(std::move(cities))
    {}
    bool apply(std::string_view value, std::string &out) const override
    {
        const auto d = m_key.mac(value);
        out = std::to_string(1 + readU64(d, 0) % 250);
        out += ' ';
        out += m_streets->pick(readU64(d, 8));
        // "street, city" inputs keep their shape.
        if (value.find(',') != std::string_view::npos) {
            out += ", ";
            out += m_cities->pick(readU64(d, 16));
        }
        return true;
    }

private:
    HmacKey m_key;
    std::shared_ptr<const Dictionary> m_streets;
    std::shared_ptr<const Dictionary> m_cities;
};

// ---- dates and numbers ------------------------------------------------------------------------

/// Parses a leading "YYYY-MM-DD"; the rest (a time, a zone) is kept by the callers.
bool parseDate(std::string_view value, std::chrono::sys_days &day)
{
    if (value.size() < 10 || value[4] != '-' || value[7] != '-')
        return false;
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::from_chars(value.data(), value.data() + 4, y).ptr != value.data() + 4
        || std::from_chars(value.data() + 5, value.data() + 7, m).ptr != value.data() + 7
        || std::from_chars(value.data() + 8, value.data() + 10, d).ptr != value.data() + 10)
        return false;
    if (value.size() > 10 && isDigit(value[10]))
        return false;
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                          std::chrono::day(d)};
    if (!ymd.ok())
        return false;
    day = std::chrono::sys_days(ymd);
    return true;
}

void formatDate(std::chrono::sys_days day, std::string &out)
{
    const std::chrono::year_month_day ymd(day);
    char buffer[16];
    const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", int(ymd.year()),
                                unsigned(ymd.month()), unsigned(ymd.day()));
    out.assign(buffer, static_cast<std::size_t>(n));
}

/// A non-zero shift in [-days, days] derived from the value.
long long shiftDays(const HmacKey &key, std::string_view value, long long days)
{
    const std::uint64_t r = readU64(key.mac(value)) % static_cast<std::uint64_t>(2 * days);
    const long long shift = static_cast<long long>(r) - days; // [-days, days-1]
    return shift >= 0 ? shift + 1 : shift;
}

bool shiftDate(const HmacKey &key, std::string_view value, long long days, std::string &out)
{
    std::chrono::sys_days day;
    if (!parseDate(value, day)) {
        // infinity / -infinity carry nothing personal; anything else unparseable fails closed.
        if (value == "infinity" || value == "-infinity") {
            out.assign(value);
            return true;
        }
        return false;
    }
    formatDate(day + std::chrono::days(shiftDays(key, value, days)), out);
    out.append(value.substr(10));
    return true;
}

class DateShiftTransform final : public Transform
{
public:
    DateShiftTransform(HmacKey key, long long days) : m_key(std::move(key)), m_days(days) {}
    bool apply(std::string_view value, std::string &out) const override
    {
        return shiftDate(m_key, value, m_days, out);
    }

private:
    HmacKey m_key;
    long long m_days;
};

/// Integers and decimals move by up to ±percent (keeping their scale), dates by up to ±days.
class NoiseTransform final : public Transform
{
public:
    NoiseTransform(HmacKey key, long long percent, long long days)
        : m_key(std::move(key)), m_percent(percent), m_days(days)
    {}
    bool apply(std::string_view value, std::string &out) const override
    {
        std::chrono::sys_days day;
        if (parseDate(value, day))
            return shiftDate(m_key, value, m_days, out);
        // A number: optional sign, digits, optional '.' and digits.
        std::size_t i = (!value.empty() && (value[0] == '-' || value[0] == '+')) ? 1 : 0;
        std::size_t digits = 0, scale = 0;
        bool dot = false;
        for (; i < value.size(); ++i) {
            if (isDigit(value[i])) {
                ++digits;
                scale += dot ? 1 : 0;
            } else if (value[i] == '.' && !dot) {
                dot = true;
            } else {
                return false; // not a number: fail closed
            }
        }
        if (digits == 0)
            return false;
        const double v = std::strtod(std::string(value).c_str(), nullptr);
        const double unit = static_cast<double>(readU64(m_key.mac(value)) >> 11) / 9007199254740992.0;
        const double factor = 1.0 + (unit * 2.0 - 1.0) * static_cast<double>(m_percent) / 100.0;
        const double noisy = v * factor;
        char buffer[64];
        const int n = std::snprintf(buffer, sizeof buffer, "%.*f", static_cast<int>(scale),
                                    dot ? noisy : std::round(noisy));
        out.assign(buffer, static_cast<std::size_t>(std::max(n, 0)));
        if (out == "-0")
            out = "0";
        return true;
    }

private:
    HmacKey m_key;
    long long m_percent;
    long long m_days;
};

// ---- checksummed identifiers ------------------------------------------------------------------

int luhnCheckDigit(const std::string &digitsWithoutCheck)
{
    int sum = 0;
    bool doubleIt = true; // the check digit will be at the right; its neighbour is doubled
    for (auto it = digitsWithoutCheck.rbegin(); it != digitsWithoutCheck.rend(); ++it) {
        int d = *it - '0';
        if (doubleIt) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        doubleIt = !doubleIt;
    }
    return (10 - sum % 10) % 10;
}

/// Keeps the length, separators and the first digit (the card network); the rest is derived
/// and the last digit makes the Luhn checksum valid.
class CreditCardTransform final : public Transform
{
public:
    explicit CreditCardTransform(HmacKey key) : m_key(std::move(key)) {}
    bool apply(std::string_view value, std::string &out) const override
    {
        std::string digits;
        for (const char c : value)
            if (isDigit(c))
                digits += c;
        if (digits.size() < 2)
            return false;
        unsigned char random[64];
        const std::size_t n = std::min(digits.size(), sizeof random);
        m_key.expand(value, random, n);
        for (std::size_t i = 1; i + 1 < digits.size(); ++i)
            digits[i] = static_cast<char>('0' + random[i % sizeof random] % 10);
        digits.pop_back();
        digits += static_cast<char>('0' + luhnCheckDigit(digits));
        out.assign(value);
        std::size_t k = 0;
        for (char &c : out)
            if (isDigit(c))
                c = digits[k++];
        return true;
    }

private:
    HmacKey m_key;
};

int ibanMod97(std::string_view rearranged)
{
    int mod = 0;
    for (const char c : rearranged) {
        if (isDigit(c)) {
            mod = (mod * 10 + (c - '0')) % 97;
        } else if (c >= 'A' && c <= 'Z') {
            mod = (mod * 100 + (c - 'A' + 10)) % 97;
        } else if (c >= 'a' && c <= 'z') {
            mod = (mod * 100 + (c - 'a' + 10)) % 97;
        }
    }
    return mod;
}

/// Keeps the country and the shape (digits stay digits, letters letters, spaces where they
/// were); new check digits make mod-97 valid.
class IbanTransform final : public Transform
{
public:
    explicit IbanTransform(HmacKey key) : m_key(std::move(key)) {}
    bool apply(std::string_view value, std::string &out) const override
    {
        std::string compact;
        for (const char c : value)
            if (c != ' ')
                compact += c;
        if (compact.size() < 5)
            return false;
        unsigned char random[64];
        m_key.expand(value, random, sizeof random);
        for (std::size_t i = 4; i < compact.size(); ++i) {
            const unsigned r = random[i % sizeof random];
            if (isDigit(compact[i]))
                compact[i] = static_cast<char>('0' + r % 10);
            else
                compact[i] = static_cast<char>('A' + r % 26);
        }
        for (std::size_t i = 0; i < 2; ++i)
            if (compact[i] >= 'a' && compact[i] <= 'z')
                compact[i] = static_cast<char>(compact[i] - 'a' + 'A');
        const std::string rearranged = compact.substr(4) + compact.substr(0, 2) + "00";
        const int check = 98 - ibanMod97(rearranged);
        compact[2] = static_cast<char>('0' + check / 10);
        compact[3] = static_cast<char>('0' + check % 10);
        out.assign(value);
        std::size_t k = 0;
        for (char &c : out)
            if (c != ' ')
                c = compact[k++];
        return true;
    }

private:
    HmacKey m_key;
};

// ---- shape-keeping, not keyed -----------------------------------------------------------------

/// Keeps the first/last N characters (code points, not bytes), masks the rest.
class PartialTransform final : public Transform
{
public:
    PartialTransform(std::size_t keepFirst, std::size_t keepLast, std::string maskChar)
        : m_keepFirst(keepFirst), m_keepLast(keepLast), m_mask(std::move(maskChar))
    {}
    bool apply(std::string_view value, std::string &out) const override
    {
        std::vector<std::size_t> starts; // byte offset of each code point
        for (std::size_t i = 0; i < value.size(); ++i)
            if ((static_cast<unsigned char>(value[i]) & 0xc0) != 0x80)
                starts.push_back(i);
        const std::size_t count = starts.size();
        out.clear();
        for (std::size_t cp = 0; cp < count; ++cp) {
            const std::size_t begin = starts[cp];
            const std::size_t end = cp + 1 < count ? starts[cp + 1] : value.size();
            if (cp < m_keepFirst || cp + m_keepLast >= count)
                out.append(value.substr(begin, end - begin));
            else
                out += m_mask;
        }
        return true;
    }

private:
    std::size_t m_keepFirst;
    std::size_t m_keepLast;
    std::string m_mask;
};

class RegexReplaceTransform final : public Transform
{
public:
    RegexReplaceTransform(QRegularExpression pattern, QString replacement)
        : m_pattern(std::move(pattern)), m_replacement(std::move(replacement))
    {}
    bool apply(std::string_view value, std::string &out) const override
    {
        QString text = QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
        text.replace(m_pattern, m_replacement);
        out = text.toStdString();
        return true;
    }

private:
    QRegularExpression m_pattern;
    QString m_replacement;
};

class UuidTransform final : public Transform
{
public:
    explicit UuidTransform(HmacKey key) : m_key(std::move(key)) {}
    bool apply(std::string_view value, std::string &out) const override
    {
        auto d = m_key.mac(value);
        d[6] = static_cast<unsigned char>((d[6] & 0x0f) | 0x40); // version 4
        d[8] = static_cast<unsigned char>((d[8] & 0x3f) | 0x80); // RFC 4122 variant
        const std::string hex = toHex(d.data(), 16);
        out.clear();
        out.append(hex, 0, 8).append(1, '-').append(hex, 8, 4).append(1, '-');
        out.append(hex, 12, 4).append(1, '-').append(hex, 16, 4).append(1, '-');
        out.append(hex, 20, 12);
        return true;
    }

private:
    HmacKey m_key;
};

/// A fixed text; "{hash}" in it becomes 16 hex digits derived from the value (so rows stay
/// distinguishable without revealing anything).
class TemplateTransform final : public Transform
{
public:
    TemplateTransform(HmacKey key, std::string text) : m_key(std::move(key)), m_text(std::move(text))
    {
        m_hasHash = m_text.find("{hash}") != std::string::npos;
    }
    bool apply(std::string_view value, std::string &out) const override
    {
        out = m_text;
        if (m_hasHash) {
            const auto d = m_key.mac(value);
            const std::string hex = toHex(d.data(), 8);
            for (std::size_t at = out.find("{hash}"); at != std::string::npos;
                 at = out.find("{hash}", at + hex.size()))
                out.replace(at, 6, hex);
        }
        return true;
    }

private:
    HmacKey m_key;
    std::string m_text;
    bool m_hasHash = false;
};

// ---- json -------------------------------------------------------------------------------------

/// One step of a path: an object key, or every element of an array ("[*]").
struct PathStep
{
    QString key;
    bool allElements = false;
};

struct JsonPath
{
    std::vector<PathStep> steps;
    std::shared_ptr<const Transform> transform;
};

/// What happens to a leaf (string or number) no path covers.
enum class JsonRest {
    Mask, ///< strings → 16 hex digits of a keyed hash, numbers → a keyed number (default)
    Null, ///< JSON null
    Keep  ///< copied as is: only when the config says so (rest: keep)
};

/// Masks values inside json/jsonb at paths given as
/// `paths: "$.email=email, $.contact.phone=phone, $.cards[*].number=credit_card"`.
/// Strings and numbers at a path go through the nested transform (numbers stay numbers when the
/// output is numeric); a path naming an object or array applies its transform to every leaf
/// below it. Every other string or number leaf gets `rest` (fail closed: masked unless the
/// config says `rest: keep`); booleans, nulls and object keys are structure and kept. Invalid
/// JSON fails closed (NULL).
class JsonTransform final : public Transform
{
public:
    JsonTransform(std::vector<JsonPath> paths, JsonRest rest, HmacKey key)
        : m_paths(std::move(paths))
        , m_rest(rest)
        , m_key(std::move(key))
    {
    }
    bool apply(std::string_view value, std::string &out) const override
    {
        QJsonParseError error;
        QJsonDocument doc = QJsonDocument::fromJson(
                QByteArray(value.data(), static_cast<qsizetype>(value.size())), &error);
        if (error.error != QJsonParseError::NoError)
            return false;
        std::vector<const JsonPath *> candidates;
        for (const auto &path : m_paths)
            candidates.push_back(&path);
        if (doc.isObject())
            doc = QJsonDocument(walk(doc.object(), candidates, 0, nullptr).toObject());
        else
            doc = QJsonDocument(walk(doc.array(), candidates, 0, nullptr).toArray());
        out = doc.toJson(QJsonDocument::Compact).toStdString();
        return true;
    }

private:
    /// `candidates`: the paths whose first `depth` steps lead here; `covering`: the transform
    /// of a path that ended at an ancestor (or here).
    QJsonValue walk(const QJsonValue &node, const std::vector<const JsonPath *> &candidates,
                    std::size_t depth, const Transform *covering) const
    {
        if (!covering) {
            for (const JsonPath *path : candidates)
                if (path->steps.size() == depth) {
                    covering = path->transform.get();
                    break;
                }
        }
        if (node.isObject()) {
            QJsonObject object = node.toObject();
            for (auto it = object.begin(); it != object.end(); ++it) {
                std::vector<const JsonPath *> next;
                for (const JsonPath *path : candidates)
                    if (path->steps.size() > depth && !path->steps[depth].allElements
                        && path->steps[depth].key == it.key())
                        next.push_back(path);
                it.value() = walk(it.value(), next, depth + 1, covering);
            }
            return object;
        }
        if (node.isArray()) {
            std::vector<const JsonPath *> next;
            for (const JsonPath *path : candidates)
                if (path->steps.size() > depth && path->steps[depth].allElements)
                    next.push_back(path);
            QJsonArray array = node.toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                array[i] = walk(array[i], next, depth + 1, covering);
            return array;
        }
        if (!node.isString() && !node.isDouble())
            return node; // booleans and nulls carry no personal data
        if (covering)
            return leaf(node, *covering);
        switch (m_rest) {
        case JsonRest::Keep:
            return node;
        case JsonRest::Null:
            return QJsonValue(QJsonValue::Null);
        case JsonRest::Mask:
            break;
        }
        const auto d = node.isString() ? m_key.mac(node.toString().toStdString())
                                       : m_key.mac(numberText(node));
        if (node.isDouble())
            return static_cast<qint64>(readU64(d) % 1'000'000);
        return QString::fromStdString(toHex(d.data(), 8));
    }

    static std::string numberText(const QJsonValue &node)
    {
        const std::string text
                = QJsonDocument(QJsonArray{node}).toJson(QJsonDocument::Compact).toStdString();
        return text.substr(1, text.size() - 2); // strip the [ ] around the number
    }

    static QJsonValue leaf(const QJsonValue &node, const Transform &transform)
    {
        std::string in, out;
        if (node.isString())
            in = node.toString().toStdString();
        else
            in = numberText(node);
        if (!transform.apply(in, out))
            return QJsonValue(QJsonValue::Null);
        if (node.isDouble()) {
            bool ok = false;
            const double number = QString::fromStdString(out).toDouble(&ok);
            if (ok)
                return number;
        }
        return QString::fromStdString(out);
    }

    std::vector<JsonPath> m_paths;
    JsonRest m_rest;
    HmacKey m_key;
};

Result<std::vector<PathStep>> parsePath(const std::string &text)
{
    std::string_view p = text;
    if (p.starts_with("$."))
        p.remove_prefix(2);
    else if (p.starts_with("$"))
        p.remove_prefix(1);
    std::vector<PathStep> steps;
    while (!p.empty()) {
        const std::size_t dot = p.find('.');
        std::string_view part = p.substr(0, dot);
        p = dot == std::string_view::npos ? std::string_view() : p.substr(dot + 1);
        bool all = false;
        if (part.ends_with("[*]")) {
            all = true;
            part.remove_suffix(3);
        }
        if (!part.empty())
            steps.push_back({QString::fromUtf8(part.data(), static_cast<qsizetype>(part.size())),
                             false});
        if (all)
            steps.push_back({{}, true});
        if (part.empty() && !all)
            return fail(ErrorCode::Config, "json: empty step in path \"" + text + "\"");
    }
    if (steps.empty())
        return fail(ErrorCode::Config, "json: path \"" + text + "\" names no field");
    return steps;
}

std::string trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return std::string(s);
}

} // namespace

const std::vector<std::string> &uniqueCapableTransforms()
{
    static const std::vector<std::string> names = {"email",     "hash",        "first_name",
                                                   "last_name", "person_name", "dictionary"};
    return names;
}

bool luhnValid(std::string_view text)
{
    std::string digits;
    for (const char c : text)
        if (isDigit(c))
            digits += c;
    if (digits.size() < 2)
        return false;
    const char check = digits.back();
    digits.pop_back();
    return luhnCheckDigit(digits) == check - '0';
}

bool ibanValid(std::string_view text)
{
    std::string compact;
    for (const char c : text)
        if (c != ' ')
            compact += c;
    if (compact.size() < 5)
        return false;
    return ibanMod97(compact.substr(4) + compact.substr(0, 4)) == 1;
}

Result<std::shared_ptr<const Transform>> makeTransform(const std::string &name,
                                                       const Params &params, bool unique,
                                                       const HmacKey &salt)
{
    using Ptr = std::shared_ptr<const Transform>;
    if (unique && std::ranges::find(uniqueCapableTransforms(), name)
                          == uniqueCapableTransforms().end())
        return fail(ErrorCode::Config,
                    "unique: true is not supported by transform " + name
                            + " (supported: email, hash, first_name, last_name, person_name, "
                              "dictionary)");
    const HmacKey key = salt.derive(name);
    auto loadDict = [](const std::string &dict) { return Dictionary::load(dict); };

    if (name == "null") {
        if (auto ok = onlyParams(name, params, {}); !ok)
            return std::unexpected(ok.error());
        return Ptr(std::make_shared<NullTransform>());
    }
    if (name == "constant") {
        if (auto ok = onlyParams(name, params, {"value"}); !ok)
            return std::unexpected(ok.error());
        return Ptr(std::make_shared<ConstantTransform>(strParam(params, "value")));
    }
    if (name == "hash") {
        if (auto ok = onlyParams(name, params, {"length"}); !ok)
            return std::unexpected(ok.error());
        const auto length = intParam(name, params, "length", 32, 1, 64);
        if (!length)
            return std::unexpected(length.error());
        if (unique && *length < 32)
            return badParam(name, "length",
                            "unique: true needs at least 32 hex digits (128 bits) so that "
                            "distinct values never collide");
        return Ptr(std::make_shared<HashTransform>(key, static_cast<std::size_t>(*length), unique));
    }
    if (name == "email" || name == "person_name") {
        if (auto ok = onlyParams(name, params, name == "email" ? std::initializer_list<std::string_view>{"domain"}
                                                                : std::initializer_list<std::string_view>{});
            !ok)
            return std::unexpected(ok.error());
        auto first = loadDict("first_names");
        auto last = loadDict("last_names");
        if (!first)
            return std::unexpected(first.error());
        if (!last)
            return std::unexpected(last.error());
        if (name == "person_name")
            return Ptr(std::make_shared<PersonNameTransform>(key, *first, *last, unique));
        const std::string domain = strParam(params, "domain", "example.com");
        if (domain.empty() || domain.find('@') != std::string::npos)
            return badParam(name, "domain", "\"" + domain + "\" is not a domain");
        return Ptr(std::make_shared<EmailTransform>(key, *first, *last, domain, unique));
    }
    if (name == "first_name" || name == "last_name" || name == "dictionary") {
        std::string dictName = name == "first_name" ? "first_names" : "last_names";
        if (name == "dictionary") {
            if (auto ok = onlyParams(name, params, {"dictionary"}); !ok)
                return std::unexpected(ok.error());
            dictName = strParam(params, "dictionary");
            if (dictName.empty())
                return badParam(name, "dictionary", "required (a file in resources/masking/)");
        } else if (auto ok = onlyParams(name, params, {}); !ok) {
            return std::unexpected(ok.error());
        }
        auto dict = loadDict(dictName);
        if (!dict)
            return std::unexpected(Error{ErrorCode::Config, name + ": " + dict.error().message, {}});
        return Ptr(std::make_shared<DictionaryTransform>(key, *dict, unique));
    }
    if (name == "phone") {
        if (auto ok = onlyParams(name, params, {}); !ok)
            return std::unexpected(ok.error());
        return Ptr(std::make_shared<PhoneTransform>(key));
    }
    if (name == "address") {
        if (auto ok = onlyParams(name, params, {}); !ok)
            return std::unexpected(ok.error());
        auto streets = loadDict("streets");
        auto cities = loadDict("cities");
        if (!streets)
            return std::unexpected(streets.error());
        if (!cities)
            return std::unexpected(cities.error());
        return Ptr(std::make_shared<AddressTransform>(key, *streets, *cities));
    }
    if (name == "date_shift") {
        if (auto ok = onlyParams(name, params, {"days"}); !ok)
            return std::unexpected(ok.error());
        const auto days = intParam(name, params, "days", 30, 1, 36500);
        if (!days)
            return std::unexpected(days.error());
        return Ptr(std::make_shared<DateShiftTransform>(key, *days));
    }
    if (name == "noise") {
        if (auto ok = onlyParams(name, params, {"percent", "days"}); !ok)
            return std::unexpected(ok.error());
        const auto percent = intParam(name, params, "percent", 10, 0, 1000);
        if (!percent)
            return std::unexpected(percent.error());
        const auto days = intParam(name, params, "days", 30, 1, 36500);
        if (!days)
            return std::unexpected(days.error());
        return Ptr(std::make_shared<NoiseTransform>(key, *percent, *days));
    }
    if (name == "credit_card") {
        if (auto ok = onlyParams(name, params, {}); !ok)
            return std::unexpected(ok.error());
        return Ptr(std::make_shared<CreditCardTransform>(key));
    }
    if (name == "iban") {
        if (auto ok = onlyParams(name, params, {}); !ok)
            return std::unexpected(ok.error());
        return Ptr(std::make_shared<IbanTransform>(key));
    }
    if (name == "partial") {
        if (auto ok = onlyParams(name, params, {"keep_first", "keep_last", "mask"}); !ok)
            return std::unexpected(ok.error());
        const auto first = intParam(name, params, "keep_first", 0, 0, 1000);
        if (!first)
            return std::unexpected(first.error());
        const auto last = intParam(name, params, "keep_last", 4, 0, 1000);
        if (!last)
            return std::unexpected(last.error());
        const std::string mask = strParam(params, "mask", "*");
        if (mask.empty())
            return badParam(name, "mask", "must not be empty");
        return Ptr(std::make_shared<PartialTransform>(static_cast<std::size_t>(*first),
                                                      static_cast<std::size_t>(*last), mask));
    }
    if (name == "regex_replace") {
        if (auto ok = onlyParams(name, params, {"pattern", "replacement"}); !ok)
            return std::unexpected(ok.error());
        const std::string pattern = strParam(params, "pattern");
        if (pattern.empty())
            return badParam(name, "pattern", "required");
        QRegularExpression re(QString::fromStdString(pattern));
        if (!re.isValid())
            return badParam(name, "pattern", re.errorString().toStdString());
        re.optimize();
        return Ptr(std::make_shared<RegexReplaceTransform>(
                re, QString::fromStdString(strParam(params, "replacement"))));
    }
    if (name == "uuid") {
        if (auto ok = onlyParams(name, params, {}); !ok)
            return std::unexpected(ok.error());
        return Ptr(std::make_shared<UuidTransform>(key));
    }
    if (name == "template") {
        if (auto ok = onlyParams(name, params, {"template"}); !ok)
            return std::unexpected(ok.error());
        const auto it = params.find("template");
        if (it == params.end())
            return badParam(name, "template", "required (e.g. \"redacted {hash}\")");
        return Ptr(std::make_shared<TemplateTransform>(key, it->second));
    }
    if (name == "json") {
        if (auto ok = onlyParams(name, params, {"paths", "rest"}); !ok)
            return std::unexpected(ok.error());
        const std::string restText = strParam(params, "rest", "mask");
        if (restText != "mask" && restText != "null" && restText != "keep")
            return badParam(name, "rest", "\"" + restText + "\" is not mask, null or keep");
        const JsonRest jsonRest = restText == "keep"   ? JsonRest::Keep
                                  : restText == "null" ? JsonRest::Null
                                                       : JsonRest::Mask;
        const std::string spec = strParam(params, "paths");
        if (spec.empty() && !params.contains("rest"))
            return badParam(name, "paths",
                            "required, e.g. \"$.email=email, $.phone=phone\" (or rest: mask "
                            "to mask every value)");
        std::vector<JsonPath> paths;
        std::string_view rest = spec;
        while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            const std::string item = trim(rest.substr(0, comma));
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            if (item.empty())
                continue;
            const std::size_t eq = item.find('=');
            if (eq == std::string::npos)
                return badParam(name, "paths", "\"" + item + "\" is not PATH=TRANSFORM");
            const std::string transform = trim(std::string_view(item).substr(eq + 1));
            if (transform == "json")
                return badParam(name, "paths", "json cannot nest json");
            auto steps = parsePath(trim(std::string_view(item).substr(0, eq)));
            if (!steps)
                return std::unexpected(steps.error());
            auto nested = makeTransform(transform, {}, false, salt);
            if (!nested)
                return badParam(name, "paths", nested.error().message);
            paths.push_back({std::move(*steps), std::move(*nested)});
        }
        if (paths.empty() && !params.contains("rest"))
            return badParam(name, "paths", "names no path");
        return Ptr(std::make_shared<JsonTransform>(std::move(paths), jsonRest, key));
    }
    return fail(ErrorCode::Config, "unknown transform \"" + name + "\"");
}

} // namespace envsync::masking
