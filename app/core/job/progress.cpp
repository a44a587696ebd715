#include "progress.h"

namespace envsync::job {

std::string_view phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Preparing: return "preparing";
    case Phase::Schema: return "schema";
    case Phase::Data: return "data";
    case Phase::Indexes: return "indexes";
    case Phase::Constraints: return "constraints";
    case Phase::Sequences: return "sequences";
    case Phase::Done: return "done";
    }
    return "unknown";
}

} // namespace envsync::job
