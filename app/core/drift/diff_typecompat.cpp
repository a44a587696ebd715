// typeHoldsAll(): whether one column type holds every value of another (format_type spellings),
// which decides whether a type change is safe.
#include "core/drift/diff.h"

#include <charconv>
#include <string>
#include <vector>

namespace envsync::drift {

// ---------------------------------------------------------------------------------------------
// Type compatibility
// ---------------------------------------------------------------------------------------------

namespace {

struct ParsedType
{
    std::string base;
    std::vector<int> mods;
    int arrayDims = 0;
};

ParsedType parseType(std::string text)
{
    ParsedType t;
    while (text.size() > 2 && text.ends_with("[]")) {
        text.resize(text.size() - 2);
        ++t.arrayDims;
    }
    const auto open = text.find('(');
    const auto close = text.find(')', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && close != std::string::npos && text.front() != '"') {
        std::string mods = text.substr(open + 1, close - open - 1);
        std::size_t at = 0;
        while (at <= mods.size()) {
            const auto comma = mods.find(',', at);
            const std::string part
                    = mods.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
            int value = 0;
            std::from_chars(part.data(), part.data() + part.size(), value);
            t.mods.push_back(value);
            if (comma == std::string::npos)
                break;
            at = comma + 1;
        }
        text = text.substr(0, open) + text.substr(close + 1);
        while (text.find("  ") != std::string::npos)
            text.erase(text.find("  "), 1);
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
    }
    t.base = text;
    return t;
}

int integerRank(const std::string &base)
{
    if (base == "smallint")
        return 1;
    if (base == "integer")
        return 2;
    if (base == "bigint")
        return 3;
    return 0;
}

int integerDigits(int rank)
{
    return rank == 1 ? 5 : rank == 2 ? 10 : 19;
}

bool isTemporal(const std::string &base)
{
    return base == "timestamp without time zone" || base == "timestamp with time zone"
           || base == "time without time zone" || base == "time with time zone"
           || base == "interval";
}

} // namespace

bool typeHoldsAll(const std::string &wide, const std::string &narrow)
{
    if (wide == narrow)
        return true;
    const ParsedType w = parseType(wide);
    const ParsedType n = parseType(narrow);
    if (w.arrayDims != n.arrayDims)
        return false;
    if (w.base == n.base && w.mods == n.mods)
        return true;
    const int wRank = integerRank(w.base);
    const int nRank = integerRank(n.base);
    if (wRank && nRank)
        return wRank >= nRank;
    if (nRank && w.base == "numeric")
        return w.mods.empty()
               || (w.mods.size() == 2 && w.mods[0] - w.mods[1] >= integerDigits(nRank));
    if (w.base == "numeric" && n.base == "numeric") {
        if (w.mods.empty())
            return true;
        if (n.mods.empty())
            return false;
        const int ws = w.mods.size() > 1 ? w.mods[1] : 0;
        const int ns = n.mods.size() > 1 ? n.mods[1] : 0;
        return ws >= ns && w.mods[0] - ws >= n.mods[0] - ns;
    }
    if (w.base == "double precision" && (n.base == "real" || nRank == 1 || nRank == 2))
        return true;
    const bool wText = w.base == "text" || (w.base == "character varying" && w.mods.empty());
    if (wText && (n.base == "text" || n.base == "character varying"))
        return true;
    if ((w.base == "character varying" && n.base == "character varying")
        || (w.base == "bit varying" && n.base == "bit varying"))
        return !n.mods.empty() && w.mods.front() >= n.mods.front();
    if (isTemporal(w.base) && w.base == n.base) {
        const int wp = w.mods.empty() ? 6 : w.mods.front();
        const int np = n.mods.empty() ? 6 : n.mods.front();
        return wp >= np;
    }
    return false;
}

} // namespace envsync::drift
