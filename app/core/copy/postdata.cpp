#include "core/copy/postdata.h"

#include <sstream>

namespace envsync::copy {

namespace {

bool isMetaCommand(const std::string &line)
{
    return line.starts_with("\\restrict") || line.starts_with("\\unrestrict")
            || line.starts_with("\\connect");
}

/// The text between `label` and the next "; " field of an entry header, or "".
std::string headerField(const std::string &header, const std::string &label, const std::string &next)
{
    const auto start = header.find(label);
    if (start == std::string::npos)
        return {};
    const auto from = start + label.size();
    const auto end = header.find(next, from);
    return header.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

/// "-- Name: orders orders_pkey; Type: CONSTRAINT; Schema: public; Owner: -": pg_dump prints
/// names raw (newlines flattened), so a name holding "; Type: " would misparse — such an entry
/// then matches no catalogue object and simply runs in the serial tail.
DumpEntry entryFromHeader(const std::string &header)
{
    DumpEntry entry;
    const std::string prefix = header.starts_with("-- Name: ") ? "-- Name: " : "-- Data for Name: ";
    entry.name = headerField(header, prefix, "; Type: ");
    entry.type = headerField(header, "; Type: ", "; Schema: ");
    entry.schema = headerField(header, "; Schema: ", "; Owner: ");
    return entry;
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
            out.entries.push_back(entryFromHeader(line));
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
