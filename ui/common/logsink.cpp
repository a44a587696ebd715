#include "ui/common/logsink.h"

#include <QMetaObject>

#include <spdlog/sinks/dist_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>

namespace envsync::ui {

namespace {

/// A fan-out sink added once to spdlog's default logger; GUI sinks come and go through its
/// thread-safe add_sink/remove_sink instead of editing a live logger's sink list.
std::shared_ptr<spdlog::sinks::dist_sink_mt> hub()
{
    static std::shared_ptr<spdlog::sinks::dist_sink_mt> instance = [] {
        auto fanOut = std::make_shared<spdlog::sinks::dist_sink_mt>();
        // The previous default logger stays alive for ever: spdlog::info() on another thread
        // may still hold its raw pointer while we swap it out.
        static std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
        std::vector<spdlog::sink_ptr> sinks = previous->sinks();
        sinks.push_back(fanOut);
        auto logger
                = std::make_shared<spdlog::logger>(previous->name(), sinks.begin(), sinks.end());
        logger->set_level(previous->level());
        logger->flush_on(previous->flush_level());
        spdlog::set_default_logger(logger);
        return fanOut;
    }();
    return instance;
}

} // namespace

LogSink::LogSink(std::size_t capacity)
    : m_capacity(capacity == 0 ? 1 : capacity)
{
}

LogSink::~LogSink() = default;

void LogSink::sink_it_(const spdlog::details::log_msg &message)
{
    // Called with base_sink's mutex held, on any thread.
    LogRecord record;
    record.time = QDateTime::fromMSecsSinceEpoch(
            std::chrono::duration_cast<std::chrono::milliseconds>(message.time.time_since_epoch())
                    .count());
    record.level = message.level;
    record.text = QString::fromUtf8(message.payload.data(),
                                    static_cast<qsizetype>(message.payload.size()));
    m_pending.push_back(std::move(record));
    while (m_pending.size() > m_capacity) {
        m_pending.pop_front();
        ++m_dropped;
    }
    if (!m_notified) {
        m_notified = true;
        // Queued even when logging on the GUI thread: the receiver calls takeRecords(), which
        // needs the mutex we hold right now.
        QMetaObject::invokeMethod(this, &LogSink::recordsAvailable, Qt::QueuedConnection);
    }
}

LogSink::Batch LogSink::takeRecords()
{
    Batch batch;
    std::lock_guard lock(mutex_);
    batch.records.assign(std::make_move_iterator(m_pending.begin()),
                         std::make_move_iterator(m_pending.end()));
    m_pending.clear();
    batch.dropped = m_dropped;
    m_dropped = 0;
    m_notified = false;
    return batch;
}

void LogSink::attachToDefaultLogger(const std::shared_ptr<LogSink> &sink)
{
    hub()->add_sink(sink);
}

void LogSink::detachFromDefaultLogger(const std::shared_ptr<LogSink> &sink)
{
    hub()->remove_sink(sink);
}

} // namespace envsync::ui
