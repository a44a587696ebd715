#include "ui/common/configerrordialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace envsync::ui {

ConfigErrorDialog::ConfigErrorDialog(const QString &path, const QStringList &diagnostics,
                                     QWidget *parent)
    : QDialog(parent)
    , m_diagnostics(diagnostics)
{
    setWindowTitle(QStringLiteral("Configuration errors — %1").arg(QFileInfo(path).fileName()));
    setObjectName(QStringLiteral("configErrorDialog"));

    auto *icon = new QLabel;
    const int iconSize = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical, nullptr, this)
                            .pixmap(iconSize, iconSize));
    icon->setAlignment(Qt::AlignTop);

    const qsizetype count = diagnostics.size();
    auto *summary = new QLabel(
            QStringLiteral("<b>%1 cannot be used.</b><br>%2 found; fix %3 and open it again.")
                    .arg(path.toHtmlEscaped(),
                         count == 1 ? QStringLiteral("1 problem")
                                    : QStringLiteral("%1 problems").arg(count),
                         count == 1 ? QStringLiteral("it") : QStringLiteral("them")));
    summary->setWordWrap(true);
    summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_text = new QPlainTextEdit;
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlainText(diagnostics.join(QLatin1Char('\n')));
    m_text->setMinimumSize(640, 160);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *copy = buttons->addButton(QStringLiteral("&Copy"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_diagnostics.join(QLatin1Char('\n'))); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *top = new QHBoxLayout;
    top->addWidget(icon);
    top->addWidget(summary, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    resize(760, 320);
}

} // namespace envsync::ui
