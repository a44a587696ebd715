#pragma once

#include "core/config/config.h"

#include <QString>
#include <QUndoCommand>

#include <functional>

namespace envsync::ui {

/// One window move of the Calendar tab as an undoable edit (Tiled's way): redo writes the
/// window after the move, undo the window before it, both through `write` — the view's save,
/// which runs on the calendar controller's worker with the comment-preserving window editor.
class CalendarMoveCommand : public QUndoCommand
{
public:
    using WriteWindow
            = std::function<void(const QString &region, const config::WindowConfig &window)>;

    CalendarMoveCommand(QString region, config::WindowConfig before, config::WindowConfig after,
                        WriteWindow write);

    void undo() override;
    void redo() override;

    [[nodiscard]] const QString &region() const { return m_region; }

private:
    QString m_region;
    config::WindowConfig m_before;
    config::WindowConfig m_after;
    WriteWindow m_write;
};

} // namespace envsync::ui
