#include "core/virt/stubmapping.h"

namespace envsync::virt {

QJsonObject ValuePattern::toJson() const
{
    return {};
}

Result<ValuePattern> ValuePattern::fromJson(const QJsonValue &, const QString &where)
{
    return fail(ErrorCode::Config, "value patterns are not implemented yet", where.toStdString());
}

QJsonObject StubMapping::toJson() const
{
    return {};
}

Result<StubMapping> StubMapping::fromJson(const QJsonObject &, const QString &where)
{
    return fail(ErrorCode::Config, "stub mappings are not implemented yet", where.toStdString());
}

} // namespace envsync::virt
