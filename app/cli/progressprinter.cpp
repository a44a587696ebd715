#include "progressprinter.h"

#include <unistd.h>

#include <cstdio>

namespace envsync::cli {

ProgressPrinter::ProgressPrinter(std::string job)
    : m_job(std::move(job)), m_tty(::isatty(STDERR_FILENO) != 0)
{}

void ProgressPrinter::step(const std::string &text)
{
    std::lock_guard lock(m_mutex);
    finishLineLocked();
    std::fprintf(stderr, "%s: %s\n", m_job.c_str(), text.c_str());
    std::fflush(stderr);
}

void ProgressPrinter::progress(const job::Progress &p)
{
    std::lock_guard lock(m_mutex);
    const auto now = std::chrono::steady_clock::now();
    const bool phaseChanged = p.phase != m_phase;
    if (!m_tty && !phaseChanged && now - m_last < std::chrono::seconds(1))
        return;
    m_last = now;
    m_phase = p.phase;
    char eta[32] = "?";
    if (p.etaSeconds >= 0)
        std::snprintf(eta, sizeof eta, "%.0fs", p.etaSeconds);
    char line[256];
    std::snprintf(line, sizeof line,
                  "copy %-11s %lld/%lld rows  %d/%d tables  %d/%d index/key steps  %.1f MB/s"
                  "  %.0f rows/s  ETA %s",
                  std::string(job::phaseName(p.phase)).c_str(), static_cast<long long>(p.rowsDone),
                  static_cast<long long>(p.rowsEstimated), p.tablesDone, p.tablesTotal,
                  p.postDataDone, p.postDataTotal, p.bytesPerSecond / 1e6, p.rowsPerSecond, eta);
    if (m_tty) {
        std::fprintf(stderr, "\r%-120s", line);
        m_open = true;
    } else {
        std::fprintf(stderr, "%s\n", line);
    }
    std::fflush(stderr);
}

void ProgressPrinter::finishLine()
{
    std::lock_guard lock(m_mutex);
    finishLineLocked();
}

void ProgressPrinter::finishLineLocked()
{
    if (m_open) {
        std::fputc('\n', stderr);
        m_open = false;
    }
}

} // namespace envsync::cli
