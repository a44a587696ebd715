#pragma once

#include <QLabel>

#include <functional>

QT_BEGIN_NAMESPACE
class QAbstractItemView;
QT_END_NAMESPACE

namespace envsync::ui {

/// A centred message over an item view's empty viewport: "Nothing matches “foo”. Clear the
/// filter (Esc)", "No snapshots yet: New Snapshot… (Ctrl+N)", "Loading…". It shows itself
/// whenever the view's model has no rows and hides when rows arrive; the text comes from a
/// function, so it says what to do in the view's current state.
class EmptyState : public QLabel
{
    Q_OBJECT

public:
    /// Attaches to `view` (owned by its viewport) after its model is set. `message` returns
    /// rich text; an empty text hides the overlay.
    static EmptyState *attach(QAbstractItemView *view, std::function<QString()> message);

    /// Re-reads the message (call when the state it describes changed, e.g. the filter text).
    void update();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    EmptyState(QAbstractItemView *view, std::function<QString()> message);
    void reconnectModel();

    QAbstractItemView *m_view;
    std::function<QString()> m_message;
    QMetaObject::Connection m_rowsInserted, m_rowsRemoved, m_reset, m_layout;
};

} // namespace envsync::ui
