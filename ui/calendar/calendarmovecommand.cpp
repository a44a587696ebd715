#include "ui/calendar/calendarmovecommand.h"

namespace envsync::ui {

CalendarMoveCommand::CalendarMoveCommand(QString region, config::WindowConfig before,
                                         config::WindowConfig after, WriteWindow write)
    : QUndoCommand(QStringLiteral("Move %1 window").arg(region))
    , m_region(std::move(region))
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_write(std::move(write))
{}

void CalendarMoveCommand::undo()
{
    m_write(m_region, m_before);
}

void CalendarMoveCommand::redo()
{
    m_write(m_region, m_after);
}

} // namespace envsync::ui
