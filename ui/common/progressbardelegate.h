#pragma once

#include <QStyledItemDelegate>

namespace envsync::ui {

/// Paints a progress bar from an integer role (0..100; negative: busy, no percentage) in one
/// column of a view. Only paints: the figures come from the model.
class ProgressBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    ProgressBarDelegate(int percentRole, QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

private:
    int m_role;
};

} // namespace envsync::ui
