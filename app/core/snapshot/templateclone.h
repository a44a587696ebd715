#pragma once

#include "core/error.h"
#include "core/job/canceltoken.h"

#include <pqxx/connection>

#include <memory>
#include <string>

namespace envsync::snapshot {

/// CREATE DATABASE `database` TEMPLATE `snapshot` STRATEGY FILE_COPY on the golden cluster
/// (`admin` is connected to its maintenance database). FILE_COPY, not the default WAL_LOG:
/// measured 1.2–2.1 s vs 7.2–7.9 s on 874 MB; snapshots are read-only, so its one extra
/// checkpoint is the only cost. Waits up to 5 s while another session is still in the
/// template (SQLSTATE 55006: a verify, another clone). `who` names the target in errors.
/// `cancel` cancels the copy on the server (which removes what it copied): Cancelled.
[[nodiscard]] Result<void> cloneSnapshot(pqxx::connection &admin, const std::string &database,
                                         const std::string &snapshot, const std::string &who,
                                         const std::shared_ptr<job::CancelToken> &cancel = {});

} // namespace envsync::snapshot
