#include "core/snapshot/maskingsupport.h"

namespace envsync::snapshot {

Result<std::unique_ptr<masking::MaskPlan>> buildPlan(const config::MaskingConfig &masking,
                                                     const drift::SchemaCatalog &source)
{
    auto salt = masking::resolveSalt(masking.salt);
    if (!salt)
        return std::unexpected(salt.error());
    return masking::buildMaskPlan(masking, source, std::move(*salt));
}

Result<masking::HmacKey> leakSampleKey(const config::MaskingConfig &masking)
{
    auto salt = masking::resolveSalt(masking.salt);
    if (!salt)
        return std::unexpected(salt.error());
    const masking::HmacKey key(*salt);
    salt->assign(salt->size(), '\0');
    return key.derive("envsync verify leak sample v1");
}

} // namespace envsync::snapshot
