#include "core/snapshot/maskingsupport.h"

namespace envsync::snapshot {

bool maskingAvailable()
{
#ifdef ENVSYNC_HAVE_MASKING
    return true;
#else
    return false;
#endif
}

Result<std::unique_ptr<masking::MaskPlan>> buildPlan(const config::MaskingConfig &masking,
                                                     const drift::SchemaSnapshot &source)
{
#ifdef ENVSYNC_HAVE_MASKING
    auto salt = masking::resolveSalt(masking.salt);
    if (!salt)
        return std::unexpected(salt.error());
    return masking::buildMaskPlan(masking, source, std::move(*salt));
#else
    (void)source;
    if (masking.rules.empty() && masking.unclassified == config::UnclassifiedPolicy::Keep)
        return std::unique_ptr<masking::MaskPlan>();
    return fail(ErrorCode::Refused,
                "the masking engine is not part of this build; refusing to copy unmasked data",
                "masking");
#endif
}

} // namespace envsync::snapshot
