#pragma once

#include "ui/drift/heatmapmapping.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QPlainTextEdit;
class QPushButton;
QT_END_NAMESPACE

namespace envsync::ui {

/// The drift view's right-hand pane for one heatmap cell: what differs, the object's definition
/// in the reference and in the region side by side (drift::definitionOf), and the reconcile
/// DDL for the cell's differences (drift::renderScript, unsafe statements commented out) with
/// a Copy button. Read-only, selectable, monospace. Pure presentation of values it is given.
class DriftDetailPane : public QWidget
{
    Q_OBJECT

public:
    explicit DriftDetailPane(QWidget *parent = nullptr);

    /// Nothing selected: `hint` in place of the title.
    void clear(const QString &hint);
    /// The cell of `node` in `region`; `differences` are the cell's (already filtered).
    void showCell(const drift::DriftReport &report, const QString &region, const HeatmapNode &node,
                  const std::vector<const drift::Difference *> &differences);

    [[nodiscard]] QLabel *titleLabel() const { return m_title; }
    [[nodiscard]] QLabel *summaryLabel() const { return m_summary; }
    [[nodiscard]] QPlainTextEdit *referenceEdit() const { return m_reference; }
    [[nodiscard]] QPlainTextEdit *regionEdit() const { return m_region; }
    [[nodiscard]] QPlainTextEdit *ddlEdit() const { return m_ddl; }
    /// The cell of `node` in a region that could not be read (`error` says why): nothing is
    /// known about its drift, so nothing claims there is none or that nothing needs reconciling.
    void showUnreadable(const drift::DriftReport &report, const QString &region,
                        const HeatmapNode &node, const QString &error);
    /// Copies the reconcile DDL to the clipboard.
    void copyDdl() const;

private:
    QLabel *m_title = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_referenceHeader = nullptr;
    QLabel *m_regionHeader = nullptr;
    QLabel *m_ddlHeader = nullptr;
    QPlainTextEdit *m_reference = nullptr;
    QPlainTextEdit *m_region = nullptr;
    QPlainTextEdit *m_ddl = nullptr;
    QPushButton *m_copy = nullptr;
};

} // namespace envsync::ui
