#pragma once

#include "core/job/progress.h"

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace envsync::cli {

/// Progress of a long job on stderr: one line per update, overwritten in place on a terminal
/// and at most one line per second otherwise (logs, CI). Thread-safe: the copy engine reports
/// from its own thread.
class ProgressPrinter
{
public:
    explicit ProgressPrinter(std::string job);

    /// A step of the job ("cleaning up …"), on its own line.
    void step(const std::string &text);
    /// Rows, tables, throughput and ETA of a copy.
    void progress(const job::Progress &p);
    /// Ends an open in-place line (before printing results).
    void finishLine();

private:
    void finishLineLocked();

    std::mutex m_mutex;
    std::string m_job;
    bool m_tty;
    bool m_open = false;
    std::optional<job::Phase> m_phase;
    std::chrono::steady_clock::time_point m_last;
};

} // namespace envsync::cli
