#include "ui/common/emptystate.h"

#include <QAbstractItemModel>
#include <QAbstractItemView>
#include <QEvent>

namespace envsync::ui {

EmptyState *EmptyState::attach(QAbstractItemView *view, std::function<QString()> message)
{
    auto *state = new EmptyState(view, std::move(message));
    state->update();
    return state;
}

EmptyState::EmptyState(QAbstractItemView *view, std::function<QString()> message)
    : QLabel(view->viewport())
    , m_view(view)
    , m_message(std::move(message))
{
    setObjectName(QStringLiteral("emptyState"));
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setForegroundRole(QPalette::PlaceholderText);
    setAttribute(Qt::WA_TransparentForMouseEvents);
    view->viewport()->installEventFilter(this);
    reconnectModel();
}

void EmptyState::reconnectModel()
{
    for (const auto &connection : {m_rowsInserted, m_rowsRemoved, m_reset, m_layout})
        disconnect(connection);
    QAbstractItemModel *model = m_view->model();
    if (model == nullptr)
        return;
    m_rowsInserted = connect(model, &QAbstractItemModel::rowsInserted, this, &EmptyState::update);
    m_rowsRemoved = connect(model, &QAbstractItemModel::rowsRemoved, this, &EmptyState::update);
    m_reset = connect(model, &QAbstractItemModel::modelReset, this, &EmptyState::update);
    m_layout = connect(model, &QAbstractItemModel::layoutChanged, this, &EmptyState::update);
}

void EmptyState::update()
{
    const QAbstractItemModel *model = m_view->model();
    const bool empty = model == nullptr || model->rowCount() == 0;
    const QString text = empty ? m_message() : QString();
    setText(text);
    setVisible(!text.isEmpty());
    setGeometry(m_view->viewport()->rect().adjusted(16, 16, -16, -16));
}

bool EmptyState::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        setGeometry(m_view->viewport()->rect().adjusted(16, 16, -16, -16));
    return QLabel::eventFilter(watched, event);
}

} // namespace envsync::ui
