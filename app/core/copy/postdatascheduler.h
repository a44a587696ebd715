#pragma once

#include "core/copy/postdataplan.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace envsync::copy {

/// Hands post-data work to a pool of target connections while the data is still being copied:
/// a table's index builds become ready when its last range is in, its VACUUM (ANALYZE) when
/// those are done, and a foreign key when both of its tables are vacuumed and analyzed (its
/// validation then runs as index scans with statistics, not as two blind heap scans).
/// Thread-safe.
class PostDataScheduler
{
public:
    enum class Kind { Build, VacuumAnalyze, ForeignKey };
    struct Task
    {
        Kind kind = Kind::Build;
        int table = -1; ///< for ForeignKey: the index into PostDataPlan::foreignKeys
        std::string sql;
        std::string validate; ///< ForeignKey only
    };

    explicit PostDataScheduler(const PostDataPlan &plan);

    /// The table's data is complete: its builds (or, with none, its VACUUM) become ready.
    void tableCopied(int table);
    /// The next ready task; waits for one. std::nullopt once every task has finished, or when
    /// `stop` turns true (checked at least every 100 ms).
    [[nodiscard]] std::optional<Task> next(const std::function<bool()> &stop);
    /// A task handed out by next() has completed successfully.
    void finished(const Task &task);

    [[nodiscard]] int totalTasks() const { return m_total; }
    [[nodiscard]] int finishedTasks() const;
    /// Tasks ready and not yet handed out.
    [[nodiscard]] int readyTasks() const;

private:
    void tableIndexed(int table);  // with m_mutex held
    void tableVacuumed(int table); // with m_mutex held
    [[nodiscard]] bool allDone() const { return m_finished == m_total; }

    const PostDataPlan &m_plan;
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::vector<int> m_pendingBuilds; ///< per table; -1 until its data is copied
    std::vector<bool> m_indexed;
    std::vector<int> m_fkWaiting;     ///< per FK: how many of its (distinct) tables are not vacuumed
    std::vector<std::vector<int>> m_fksOfTable;
    std::vector<Task> m_builds, m_vacuums, m_foreignKeys; ///< ready queues (LIFO is fine)
    int m_total = 0;
    int m_finished = 0;
};

} // namespace envsync::copy
