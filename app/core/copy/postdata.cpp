#include "core/copy/postdata.h"

#include <sstream>

namespace envsync::copy {

namespace {

bool isMetaCommand(const std::string &line)
{
    return line.starts_with("\\restrict") || line.starts_with("\\unrestrict")
            || line.starts_with("\\connect");
}

/// "-- Name: orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -" → "CONSTRAINT".
std::string entryType(const std::string &header)
{
    const auto start = header.find("; Type: ");
    if (start == std::string::npos)
        return {};
    const auto from = start + 8;
    const auto end = header.find("; Schema: ", from);
    return header.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

} // namespace

DumpScript splitDumpScript(const std::string &script)
{
    DumpScript out;
    std::istringstream in(script);
    std::string line;
    DumpEntry *current = nullptr;
    std::string pendingComment;
    while (std::getline(in, line)) {
        if (isMetaCommand(line))
            continue;
        // Entry headers are "--\n-- Name: ...; Type: ...\n--": a pg_dump convention that SQL
        // bodies cannot imitate at the start of a line outside a string (they would be
        // comments there too, harmless to move).
        if (line.starts_with("-- Name: ") || line.starts_with("-- Data for Name: ")) {
            out.entries.push_back({entryType(line), {}});
            current = &out.entries.back();
            continue;
        }
        if (line == "--")
            continue; // keep other comments: they may sit inside function bodies
        std::string &target = current ? current->sql : out.preamble;
        target += line;
        target += '\n';
    }
    return out;
}

} // namespace envsync::copy
