#include "core/copy/postdatascheduler.h"

namespace envsync::copy {

PostDataScheduler::PostDataScheduler(const PostDataPlan &plan)
    : m_plan(plan),
      m_pendingBuilds(plan.tableBuilds.size(), -1),
      m_indexed(plan.tableBuilds.size(), false),
      m_fkWaiting(plan.foreignKeys.size(), 0),
      m_fksOfTable(plan.tableBuilds.size())
{
    for (const auto &builds : plan.tableBuilds)
        m_total += static_cast<int>(builds.size());
    m_total += static_cast<int>(plan.analyze.size() + plan.foreignKeys.size());
    for (int fk = 0; fk < static_cast<int>(plan.foreignKeys.size()); ++fk) {
        const ForeignKeyStep &step = plan.foreignKeys[static_cast<std::size_t>(fk)];
        m_fksOfTable[static_cast<std::size_t>(step.table)].push_back(fk);
        m_fkWaiting[static_cast<std::size_t>(fk)] = 1;
        if (step.referenced != step.table) {
            m_fksOfTable[static_cast<std::size_t>(step.referenced)].push_back(fk);
            m_fkWaiting[static_cast<std::size_t>(fk)] = 2;
        }
    }
}

void PostDataScheduler::tableCopied(int table)
{
    std::lock_guard lock(m_mutex);
    const auto &builds = m_plan.tableBuilds[static_cast<std::size_t>(table)];
    m_pendingBuilds[static_cast<std::size_t>(table)] = static_cast<int>(builds.size());
    for (const auto &sql : builds)
        m_builds.push_back({Kind::Build, table, sql, {}});
    if (builds.empty())
        tableIndexed(table);
    m_ready.notify_all();
}

void PostDataScheduler::tableIndexed(int table)
{
    m_indexed[static_cast<std::size_t>(table)] = true;
    m_vacuums.push_back({Kind::VacuumAnalyze, table, m_plan.analyze[static_cast<std::size_t>(table)], {}});
}

void PostDataScheduler::tableVacuumed(int table)
{
    for (const int fk : m_fksOfTable[static_cast<std::size_t>(table)]) {
        if (--m_fkWaiting[static_cast<std::size_t>(fk)] == 0) {
            const ForeignKeyStep &step = m_plan.foreignKeys[static_cast<std::size_t>(fk)];
            m_foreignKeys.push_back({Kind::ForeignKey, fk, step.addNotValid, step.validate});
        }
    }
}

std::optional<PostDataScheduler::Task> PostDataScheduler::next(const std::function<bool()> &stop)
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (allDone() || stop())
            return std::nullopt;
        // in dependency order: each kind unlocks the next
        for (auto *queue : {&m_builds, &m_vacuums, &m_foreignKeys}) {
            if (!queue->empty()) {
                Task task = std::move(queue->back());
                queue->pop_back();
                return task;
            }
        }
        m_ready.wait_for(lock, std::chrono::milliseconds(100));
    }
}

void PostDataScheduler::finished(const Task &task)
{
    std::lock_guard lock(m_mutex);
    ++m_finished;
    if (task.kind == Kind::Build && --m_pendingBuilds[static_cast<std::size_t>(task.table)] == 0)
        tableIndexed(task.table);
    else if (task.kind == Kind::VacuumAnalyze)
        tableVacuumed(task.table);
    m_ready.notify_all();
}

int PostDataScheduler::readyTasks() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_builds.size() + m_vacuums.size() + m_foreignKeys.size());
}

int PostDataScheduler::finishedTasks() const
{
    std::lock_guard lock(m_mutex);
    return m_finished;
}

} // namespace envsync::copy
