#include "ui/calendar/calendartimeline.h"

#include "ui/calendar/calendarreschedule.h"
#include "ui/calendar/calendartooltips.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <array>
#include <cmath>

namespace envsync::ui {

namespace {

// Readable on white and under white text; no red (conflicts) and no grey (cancelled).
constexpr std::array<QRgb, 8> regionPalette
        = {0x3b6fb6, 0xd9822b, 0x3d9a50, 0x8e5fb5, 0x2a9d9a, 0xa8663c, 0xc2549d, 0x6c7a1f};
const QColor conflictColor(0xd3, 0x2f, 0x2f);
const QColor successColor(0x2e, 0x7d, 0x32);
const QColor failureColor(0xd3, 0x2f, 0x2f);
const QColor nowColor(0xe6, 0x51, 0x00);
constexpr int labelPadding = 10;
constexpr int dragThreshold = 4;
constexpr qreal badgeRadius = 6.5;

QTimeZone regionZone(const schedule::RegionCalendar &region)
{
    return QTimeZone(QByteArray::fromStdString(region.timezone));
}

/// The local days of the range in the viewer's zone, as [start, end) instants.
template<typename Visit> void forEachDay(const CalendarRange &range, Visit visit)
{
    const QTimeZone &zone = range.viewerZone();
    const QDate first = range.fromUtc().toTimeZone(zone).date();
    for (int i = 0; i < range.dayCount(); ++i) {
        const QDate day = first.addDays(i);
        visit(day, QDateTime(day, QTime(0, 0), zone).toUTC(),
              QDateTime(day.addDays(1), QTime(0, 0), zone).toUTC());
    }
}

} // namespace

CalendarTimeline::CalendarTimeline(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QColor CalendarTimeline::regionColor(std::size_t row)
{
    return QColor(regionPalette[row % regionPalette.size()]);
}

void CalendarTimeline::setData(std::shared_ptr<const CalendarData> data, const CalendarRange &range)
{
    m_data = std::move(data);
    m_range = range;
    m_drag.reset();
    relayout();
    updateGeometry();
}

void CalendarTimeline::setNow(const QDateTime &nowUtc)
{
    m_now = nowUtc;
    relayout();
}

QDateTime CalendarTimeline::now() const
{
    return m_now.isValid() ? m_now : QDateTime::currentDateTimeUtc();
}

int CalendarTimeline::labelWidth() const
{
    QFont bold = font();
    bold.setBold(true);
    int widest = QFontMetrics(bold).horizontalAdvance(QStringLiteral("Region"));
    if (m_data) {
        for (const schedule::RegionCalendar &region : m_data->calendar.regions) {
            widest = std::max(
                    {widest,
                     QFontMetrics(bold).horizontalAdvance(QString::fromStdString(region.region)),
                     fontMetrics().horizontalAdvance(QString::fromStdString(region.timezone))});
        }
    }
    return std::min(widest, 260) + 2 * labelPadding;
}

QSize CalendarTimeline::sizeHint() const
{
    const std::size_t rows = m_data ? m_data->calendar.regions.size() : 0;
    return {900, CalendarTimelineLayout::heightFor(std::max<std::size_t>(rows, 1))};
}

QSize CalendarTimeline::minimumSizeHint() const
{
    return {labelWidth() + 300, sizeHint().height()};
}

void CalendarTimeline::relayout()
{
    if (!m_data) {
        m_layout = {};
    } else {
        m_layout = CalendarTimelineLayout(*m_data, m_range, size(), labelWidth(), now());
        emit plotGeometryChanged(labelWidth(), CalendarTimelineLayout::rightMargin);
    }
    update();
}

void CalendarTimeline::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
}

QString CalendarTimeline::toolTipAt(QPoint point) const
{
    if (!m_data)
        return {};
    const QTimeZone &viewer = m_range.viewerZone();
    if (const TimelineWindowItem *item = m_layout.windowAt(point))
        return calendartooltips::window(*m_data, *item, viewer);
    if (const TimelineRefreshMark *mark = m_layout.refreshMarkAt(point))
        return calendartooltips::refreshMark(*m_data, *mark, viewer);
    if (const TimelineBlackoutItem *blackout = m_layout.blackoutAt(point))
        return calendartooltips::blackout(*m_data, *blackout, viewer);
    return {};
}

bool CalendarTimeline::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

// --- dragging --------------------------------------------------------------------------------

bool CalendarTimeline::canDrag(const TimelineWindowItem &item) const
{
    if (item.past || !m_data || !m_data->config)
        return false;
    const config::RegionConfig *region
            = m_data->config->findRegion(m_data->calendar.regions[item.region].region);
    return region && calendarreschedule::isDraggable(*region);
}

QDateTime CalendarTimeline::droppedStart(const Drag &drag, QPoint at) const
{
    const TimelineWindowItem &item = m_layout.windows()[drag.item];
    const schedule::RegionCalendar &region = m_data->calendar.regions[item.region];
    const QDateTime start = region.windows[item.window].interval.startUtc;
    const auto seconds
            = qint64(std::lround(double(at.x() - drag.pressedAt.x()) / m_layout.pixelsPerSecond()));
    return calendarreschedule::snappedStart(start.addSecs(seconds), region.timezone);
}

void CalendarTimeline::mousePressEvent(QMouseEvent *event)
{
    const TimelineWindowItem *item = m_layout.windowAt(event->position());
    if (event->button() != Qt::LeftButton || !item || !canDrag(*item)) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_drag = Drag{std::size_t(item - m_layout.windows().data()), event->position().toPoint(), {}};
}

void CalendarTimeline::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_drag)
        return;
    const QPoint at = event->position().toPoint();
    if (!m_drag->newStartUtc.isValid() && std::abs(at.x() - m_drag->pressedAt.x()) < dragThreshold)
        return;
    m_drag->newStartUtc = droppedStart(*m_drag, at);
    setCursor(Qt::ClosedHandCursor);
    update();
}

void CalendarTimeline::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_drag)
        return;
    const Drag drag = *m_drag;
    m_drag.reset();
    unsetCursor();
    update();
    if (event->button() != Qt::LeftButton || !drag.newStartUtc.isValid())
        return;
    const QDateTime dropped = droppedStart(drag, event->position().toPoint());
    const TimelineWindowItem &item = m_layout.windows()[drag.item];
    const QDateTime start
            = m_data->calendar.regions[item.region].windows[item.window].interval.startUtc;
    if (dropped != start)
        emit windowDropped(item.region, item.window, dropped);
}

// --- painting --------------------------------------------------------------------------------

void CalendarTimeline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (!m_data)
        return;
    painter.setRenderHint(QPainter::Antialiasing);
    paintGrid(painter);
    paintBlackouts(painter);
    paintWindows(painter);
    paintRefreshMarks(painter);
    paintDragGhost(painter);
    paintHeader(painter);
    paintRowLabels(painter);
    paintNowLine(painter);
}

void CalendarTimeline::paintGrid(QPainter &painter) const
{
    const QRectF plot = m_layout.plotRect();
    const QColor weekend = palette().color(QPalette::AlternateBase).darker(104);
    const QColor dayLine = palette().color(QPalette::Mid);
    QColor hourLine = palette().color(QPalette::Midlight);
    const bool week = m_range.span() == CalendarRange::Span::Week;
    forEachDay(m_range, [&](QDate day, const QDateTime &from, const QDateTime &to) {
        const qreal left = m_layout.xFor(from);
        const qreal right = m_layout.xFor(to);
        if (day.dayOfWeek() >= 6)
            painter.fillRect(QRectF(left, plot.top(), right - left, plot.height()), weekend);
        if (week) {
            for (int hour = 1; hour < 24; ++hour) {
                const qreal x = m_layout.xFor(QDateTime(day, QTime(hour, 0), m_range.viewerZone()));
                painter.setPen(QPen(hourLine, hour % 6 == 0 ? 1.0 : 0.5));
                painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
            }
        }
        painter.setPen(QPen(dayLine, 1));
        painter.drawLine(QPointF(left, plot.top()), QPointF(left, plot.bottom()));
    });
    painter.setPen(QPen(dayLine, 1));
    for (std::size_t row = 0; row <= m_layout.rowCount(); ++row) {
        const qreal y = plot.top() + qreal(row) * CalendarTimelineLayout::rowHeight;
        painter.drawLine(QPointF(0, y), QPointF(plot.right(), y));
    }
    painter.drawLine(QPointF(plot.right(), plot.top()), QPointF(plot.right(), plot.bottom()));
}

void CalendarTimeline::paintHeader(QPainter &painter) const
{
    const QRectF plot = m_layout.plotRect();
    const bool week = m_range.span() == CalendarRange::Span::Week;
    const QDate today = now().toTimeZone(m_range.viewerZone()).date();
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    const int line = CalendarTimelineLayout::headerHeight / 2;
    painter.fillRect(QRectF(0, 0, width(), plot.top()), palette().window());
    forEachDay(m_range, [&](QDate day, const QDateTime &from, const QDateTime &to) {
        const QRectF column(m_layout.xFor(from), 0, m_layout.xFor(to) - m_layout.xFor(from),
                            plot.top());
        QFont dayFont = font();
        dayFont.setBold(day == today);
        painter.setFont(dayFont);
        painter.setPen(palette().color(day.dayOfWeek() >= 6 ? QPalette::PlaceholderText
                                                            : QPalette::WindowText));
        if (week) {
            painter.drawText(column.adjusted(0, 2, 0, -line), Qt::AlignCenter,
                             day.toString(QStringLiteral("ddd d MMM")));
            painter.setFont(small);
            painter.setPen(palette().color(QPalette::PlaceholderText));
            for (int hour = 6; hour < 24; hour += 6) {
                const qreal x = m_layout.xFor(QDateTime(day, QTime(hour, 0), m_range.viewerZone()));
                painter.drawText(QRectF(x - 20, line, 40, line - 2), Qt::AlignCenter,
                                 QStringLiteral("%1:00").arg(hour, 2, 10, QLatin1Char('0')));
            }
        } else {
            painter.drawText(column.adjusted(0, 2, 0, -line), Qt::AlignCenter,
                             day.toString(QStringLiteral("ddd")).left(2));
            painter.drawText(column.adjusted(0, line, 0, -2), Qt::AlignCenter,
                             QString::number(day.day()));
        }
    });
    painter.setFont(font());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QRectF(labelPadding, 0, plot.left() - labelPadding, plot.top()),
                     Qt::AlignVCenter | Qt::AlignLeft,
                     QString::fromUtf8(m_range.viewerZone().id()));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(QPointF(0, plot.top()), QPointF(plot.right(), plot.top()));
}

void CalendarTimeline::paintRowLabels(QPainter &painter) const
{
    QFont bold = font();
    bold.setBold(true);
    for (std::size_t row = 0; row < m_layout.rowCount(); ++row) {
        const schedule::RegionCalendar &region = m_data->calendar.regions[row];
        const QRectF label = m_layout.labelRect(row).adjusted(labelPadding, 4, -6, -4);
        painter.fillRect(
                QRectF(label.left() - labelPadding + 3, label.top() + 3, 4, label.height() - 6),
                regionColor(row));
        painter.setFont(bold);
        painter.setPen(palette().color(QPalette::Text));
        const QRectF top(label.left(), label.top(), label.width(), label.height() / 2);
        painter.drawText(top, Qt::AlignLeft | Qt::AlignBottom,
                         fontMetrics().elidedText(QString::fromStdString(region.region),
                                                  Qt::ElideRight, int(label.width())));
        painter.setFont(font());
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(top.translated(0, label.height() / 2), Qt::AlignLeft | Qt::AlignTop,
                         fontMetrics().elidedText(QString::fromStdString(region.timezone),
                                                  Qt::ElideMiddle, int(label.width())));
    }
}

void CalendarTimeline::paintBlackouts(QPainter &painter) const
{
    QFont italic = font();
    italic.setItalic(true);
    italic.setPointSizeF(font().pointSizeF() * 0.85);
    painter.setFont(italic);
    for (const TimelineBlackoutItem &item : m_layout.blackouts()) {
        painter.fillRect(item.rect, QColor(110, 110, 110, 45));
        painter.fillRect(item.rect, QBrush(QColor(110, 110, 110, 90), Qt::BDiagPattern));
        const QString reason = QString::fromStdString(
                m_data->calendar.regions[item.region].blackouts[item.blackout].reason);
        // The reason where it fits (a week's day column); the tooltip always has it.
        const QRectF text = item.rect.adjusted(4, 1, -4, 0);
        if (QFontMetrics(italic).horizontalAdvance(reason) > text.width())
            continue;
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(text, Qt::AlignLeft | Qt::AlignTop, reason);
    }
}

void CalendarTimeline::paintWindows(QPainter &painter) const
{
    for (const TimelineWindowItem &item : m_layout.windows())
        paintWindow(painter, item);
}

void CalendarTimeline::paintWindow(QPainter &painter, const TimelineWindowItem &item) const
{
    const schedule::CalendarWindow &window
            = m_data->calendar.regions[item.region].windows[item.window];
    QColor fill = regionColor(item.region);
    if (item.past)
        fill = QColor::fromHsvF(fill.hsvHueF(), fill.hsvSaturationF() * 0.45, 0.85);
    QPainterPath shape;
    shape.addRoundedRect(item.rect, 3, 3);
    if (window.cancelled()) {
        painter.fillPath(shape, QColor(200, 200, 200));
        painter.fillPath(shape, QBrush(QColor(90, 90, 90), Qt::FDiagPattern));
        painter.setPen(QPen(QColor(90, 90, 90), 1, Qt::DashLine));
    } else {
        painter.fillPath(shape, fill);
        painter.setPen(QPen(fill.darker(130), 1));
    }
    painter.drawPath(shape);
    if (!item.conflicts.empty()) {
        painter.setPen(QPen(conflictColor, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(item.rect.adjusted(-1, -1, 1, 1), 3, 3);
    }

    const QString start = window.interval.startUtc.toTimeZone(m_range.viewerZone())
                                  .toString(QStringLiteral("HH:mm"));
    if (fontMetrics().horizontalAdvance(start) + 8 < item.rect.width() && !window.cancelled()) {
        painter.setPen(Qt::white);
        painter.drawText(item.rect.adjusted(4, 0, -2, 0), Qt::AlignLeft | Qt::AlignVCenter, start);
    }
    if (!item.ran)
        return;
    const bool success = item.ran->result == "success";
    const QPointF centre(item.rect.right() - 1, item.rect.top() + 1);
    painter.setPen(QPen(success ? successColor : failureColor, 1.2));
    painter.setBrush(Qt::white);
    painter.drawEllipse(centre, badgeRadius, badgeRadius);
    QFont mark = font();
    mark.setBold(true);
    mark.setPixelSize(int(badgeRadius * 1.7));
    painter.setFont(mark);
    painter.drawText(QRectF(centre.x() - badgeRadius, centre.y() - badgeRadius, 2 * badgeRadius,
                            2 * badgeRadius),
                     Qt::AlignCenter, success ? QStringLiteral("✓") : QStringLiteral("✗"));
    painter.setFont(font());
}

void CalendarTimeline::paintRefreshMarks(QPainter &painter) const
{
    for (const TimelineRefreshMark &mark : m_layout.refreshMarks()) {
        const bool success = mark.record.result == "success";
        QPainterPath diamond;
        diamond.moveTo(mark.at + QPointF(0, -4));
        diamond.lineTo(mark.at + QPointF(4, 0));
        diamond.lineTo(mark.at + QPointF(0, 4));
        diamond.lineTo(mark.at + QPointF(-4, 0));
        diamond.closeSubpath();
        painter.fillPath(diamond, success ? successColor : failureColor);
    }
}

void CalendarTimeline::paintDragGhost(QPainter &painter) const
{
    if (!m_drag || !m_drag->newStartUtc.isValid())
        return;
    const TimelineWindowItem &item = m_layout.windows()[m_drag->item];
    const schedule::RegionCalendar &region = m_data->calendar.regions[item.region];
    const schedule::WindowInterval &interval = region.windows[item.window].interval;
    const qreal dx = m_layout.xFor(m_drag->newStartUtc) - m_layout.xFor(interval.startUtc);
    const QRectF ghost = item.rect.translated(dx, 0);
    QColor fill = regionColor(item.region);
    fill.setAlpha(110);
    painter.setBrush(fill);
    painter.setPen(QPen(regionColor(item.region).darker(140), 1.5, Qt::DashLine));
    painter.drawRoundedRect(ghost, 3, 3);

    const QDateTime local = m_drag->newStartUtc.toTimeZone(regionZone(region));
    const QString text = QStringLiteral("%1 %2").arg(local.toString(QStringLiteral("ddd HH:mm")),
                                                     regionZone(region).abbreviation(local));
    QRectF label(ghost.left(), ghost.bottom() + 1, fontMetrics().horizontalAdvance(text) + 8,
                 fontMetrics().height() + 2);
    label.moveLeft(std::min(label.left(), m_layout.plotRect().right() - label.width()));
    painter.fillRect(label, palette().toolTipBase());
    painter.setPen(palette().color(QPalette::ToolTipText));
    painter.drawText(label, Qt::AlignCenter, text);
}

void CalendarTimeline::paintNowLine(QPainter &painter) const
{
    const QDateTime current = now();
    if (current < m_range.fromUtc() || current >= m_range.toUtc())
        return;
    const qreal x = m_layout.xFor(current);
    const QRectF plot = m_layout.plotRect();
    painter.setPen(QPen(nowColor, 2));
    painter.drawLine(QPointF(x, plot.top() - 6), QPointF(x, plot.bottom()));
    QPainterPath marker;
    marker.moveTo(x - 5, plot.top() - 8);
    marker.lineTo(x + 5, plot.top() - 8);
    marker.lineTo(x, plot.top() - 2);
    marker.closeSubpath();
    painter.fillPath(marker, nowColor);
}

} // namespace envsync::ui
