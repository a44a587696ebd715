#include "ui/common/logview.h"

#include "ui/common/logsink.h"
#include "ui/common/statuspalette.h"

#include <QContextMenuEvent>
#include <QFontDatabase>
#include <QMenu>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCharFormat>
#include <QTextCursor>

namespace envsync::ui {

namespace {

/// A single batch never inserts more than this many lines; the rest is summarised.
constexpr std::size_t maxLinesPerBatch = 1000;

QString levelText(spdlog::level::level_enum level)
{
    switch (level) {
    case spdlog::level::trace:
        return QStringLiteral("trace");
    case spdlog::level::debug:
        return QStringLiteral("debug");
    case spdlog::level::info:
        return QStringLiteral("info ");
    case spdlog::level::warn:
        return QStringLiteral("warn ");
    case spdlog::level::err:
        return QStringLiteral("error");
    case spdlog::level::critical:
        return QStringLiteral("crit ");
    default:
        return QStringLiteral("     ");
    }
}

QTextCharFormat formatFor(spdlog::level::level_enum level, const QPalette &palette)
{
    QTextCharFormat format;
    switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
        format.setForeground(palette.color(QPalette::PlaceholderText));
        break;
    case spdlog::level::warn:
        format.setForeground(QColor(0xa8, 0x6b, 0x00));
        break;
    case spdlog::level::err:
        format.setForeground(StatusPalette::unreachableColor());
        break;
    case spdlog::level::critical:
        format.setForeground(StatusPalette::unreachableColor());
        format.setFontWeight(QFont::Bold);
        break;
    default:
        format.setForeground(palette.color(QPalette::Text));
        break;
    }
    return format;
}

} // namespace

LogView::LogView(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_sink(std::make_shared<LogSink>())
{
    setReadOnly(true);
    setUndoRedoEnabled(false);
    setMaximumBlockCount(maximumLines());
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setPlaceholderText(QStringLiteral("Messages from EnvSync appear here."));

    m_throttle.setSingleShot(true);
    m_throttle.setInterval(100);
    connect(&m_throttle, &QTimer::timeout, this, [this] {
        if (m_dirty) {
            m_dirty = false;
            drain();
            m_throttle.start();
        }
    });
    connect(m_sink.get(), &LogSink::recordsAvailable, this, &LogView::onRecordsAvailable);
    LogSink::attachToDefaultLogger(m_sink);
}

LogView::~LogView()
{
    LogSink::detachFromDefaultLogger(m_sink);
}

void LogView::onRecordsAvailable()
{
    // Leading edge: the first batch shows at once, later ones at most every 100 ms.
    if (m_throttle.isActive()) {
        m_dirty = true;
        return;
    }
    drain();
    m_throttle.start();
}

void LogView::drain()
{
    LogSink::Batch batch = m_sink->takeRecords();
    if (!batch.records.empty() || batch.dropped > 0)
        append(batch.records, batch.dropped);
}

void LogView::append(const std::vector<LogRecord> &records, std::size_t dropped)
{
    QScrollBar *bar = verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 4;

    std::size_t first = 0;
    if (records.size() > maxLinesPerBatch) {
        dropped += records.size() - maxLinesPerBatch;
        first = records.size() - maxLinesPerBatch;
    }

    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    cursor.beginEditBlock();
    bool firstLine = document()->isEmpty();
    auto newLine = [&] {
        if (!firstLine)
            cursor.insertBlock();
        firstLine = false;
    };
    if (dropped > 0) {
        newLine();
        cursor.insertText(QStringLiteral("… %1 messages skipped (too many at once)").arg(dropped),
                          formatFor(spdlog::level::warn, palette()));
    }
    for (std::size_t i = first; i < records.size(); ++i) {
        const LogRecord &record = records[i];
        newLine();
        cursor.insertText(record.time.toString(QStringLiteral("HH:mm:ss.zzz")) + QLatin1Char(' ')
                                  + levelText(record.level) + QLatin1Char(' ') + record.text,
                          formatFor(record.level, palette()));
    }
    cursor.endEditBlock();

    if (atBottom)
        bar->setValue(bar->maximum());
}

void LogView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu *menu = createStandardContextMenu(event->pos());
    menu->addSeparator();
    menu->addAction(QStringLiteral("Clear log"), this, &QPlainTextEdit::clear);
    menu->exec(event->globalPos());
    delete menu;
}

} // namespace envsync::ui
