#pragma once

#include "ui/services/serviceinfo.h"

#include <QDialog>

QT_BEGIN_NAMESPACE
class QLabel;
class QPlainTextEdit;
class QPushButton;
QT_END_NAMESPACE

namespace envsync::ui {

/// A stub mapping's WireMock JSON, read-only, with the file it came from and "Show file"
/// (opens the folder holding it in the desktop's file manager).
class MappingDialog : public QDialog
{
    Q_OBJECT

public:
    explicit MappingDialog(const MappingDocument &mapping, QWidget *parent = nullptr);

    [[nodiscard]] QPlainTextEdit *jsonView() const { return m_json; }
    [[nodiscard]] QLabel *fileLabel() const { return m_file; }
    [[nodiscard]] QPushButton *showFileButton() const { return m_showFile; }

private:
    QPlainTextEdit *m_json = nullptr;
    QLabel *m_file = nullptr;
    QPushButton *m_showFile = nullptr;
};

} // namespace envsync::ui
