#pragma once

#include <QPlainTextEdit>
#include <QTimer>

#include <memory>

namespace envsync::ui {

class LogSink;
struct LogRecord;

/// The log dock's text: every spdlog record (core and GUI) with its level coloured. Appends at
/// most ten times a second, in one block per batch, and keeps the last maximumLines() lines,
/// so a flood of messages from the workers never freezes the window.
class LogView : public QPlainTextEdit
{
    Q_OBJECT

public:
    /// Creates its own LogSink and attaches it to spdlog's default logger until destroyed.
    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override;

    [[nodiscard]] const std::shared_ptr<LogSink> &sink() const { return m_sink; }
    [[nodiscard]] static int maximumLines() { return 5000; }
    /// Appends everything queued right now (also what the throttle timer calls).
    void drain();

protected:
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void onRecordsAvailable();
    void append(const std::vector<LogRecord> &records, std::size_t dropped);

    std::shared_ptr<LogSink> m_sink;
    QTimer m_throttle;
    bool m_dirty = false;
};

} // namespace envsync::ui
