#include "ui/services/mappingdialog.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace envsync::ui {

MappingDialog::MappingDialog(const MappingDocument &mapping, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("mappingDialog"));
    setWindowTitle(QStringLiteral("Mapping %1 — %2").arg(mapping.mappingId, mapping.service));
    resize(720, 560);

    m_json = new QPlainTextEdit;
    m_json->setObjectName(QStringLiteral("mappingJson"));
    m_json->setReadOnly(true);
    m_json->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setPlainText(mapping.json.isEmpty() ? mapping.error : mapping.json);

    m_file = new QLabel;
    m_file->setObjectName(QStringLiteral("mappingFile"));
    m_file->setTextFormat(Qt::PlainText);
    m_file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_file->setWordWrap(true);
    m_file->setText(!mapping.file.isEmpty()
                            ? QDir::toNativeSeparators(mapping.file)
                            : QStringLiteral("Not in a file: added through the admin API"));

    m_showFile = new QPushButton(QStringLiteral("Show &file"));
    m_showFile->setObjectName(QStringLiteral("mappingShowFile"));
    m_showFile->setEnabled(!mapping.file.isEmpty());
    m_showFile->setToolTip(QStringLiteral("Open the folder holding this mapping file"));
    const QString folder = QFileInfo(mapping.file).absolutePath();
    connect(m_showFile, &QPushButton::clicked, this,
            [folder] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder)); });

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(m_showFile);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(fileRow);
    layout->addWidget(m_json, 1);
    layout->addWidget(buttons);
}

} // namespace envsync::ui
