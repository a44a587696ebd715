#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

#include <spdlog/sinks/base_sink.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace envsync::ui {

/// One spdlog record, copied out of spdlog's buffers.
struct LogRecord
{
    QDateTime time;
    spdlog::level::level_enum level = spdlog::level::info;
    QString text;
};

/// An spdlog sink that queues records for the GUI. Thread-safe: any thread may log. The sink
/// never touches widgets; when its queue goes from empty to non-empty it posts one queued
/// notification to itself (GUI thread), which emits recordsAvailable(); the view then takes the
/// whole batch. A flood therefore costs one event per batch, and the queue is bounded (oldest
/// records are dropped and counted).
class LogSink final : public QObject, public spdlog::sinks::base_sink<std::mutex>
{
    Q_OBJECT

public:
    struct Batch
    {
        std::vector<LogRecord> records;
        std::size_t dropped = 0; ///< records discarded because the queue was full
    };

    /// Create on the GUI thread (its notifications are delivered to the thread it lives in).
    explicit LogSink(std::size_t capacity = 5000);
    ~LogSink() override;

    /// Takes every queued record (and re-arms the notification).
    [[nodiscard]] Batch takeRecords();

    /// Routes spdlog's default logger into `sink` as well (its other sinks keep working).
    static void attachToDefaultLogger(const std::shared_ptr<LogSink> &sink);
    /// Stops routing; after it returns no thread calls into `sink` any more.
    static void detachFromDefaultLogger(const std::shared_ptr<LogSink> &sink);

signals:
    /// Records are waiting in takeRecords(). Emitted on the sink's thread, never under a lock.
    void recordsAvailable();

protected:
    void sink_it_(const spdlog::details::log_msg &message) override;
    void flush_() override {}

private:
    std::deque<LogRecord> m_pending;
    std::size_t m_capacity;
    std::size_t m_dropped = 0;
    bool m_notified = false;
};

} // namespace envsync::ui
