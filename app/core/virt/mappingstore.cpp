#include "core/virt/mappingstore.h"

namespace envsync::virt {

Result<LoadedMappings> loadMappings(const std::filesystem::path &root)
{
    return fail(ErrorCode::Config, "loading mappings is not implemented yet", root.string());
}

Result<void> writeMapping(const std::filesystem::path &root, const StubMapping &, const QString &,
                          qsizetype)
{
    return fail(ErrorCode::Io, "writing mappings is not implemented yet", root.string());
}

} // namespace envsync::virt
