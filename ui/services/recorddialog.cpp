#include "ui/services/recorddialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

namespace envsync::ui {

RecordDialog::RecordDialog(const QString &service, const QString &listen, const QString &upstream,
                           QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("recordDialog"));
    setWindowTitle(QStringLiteral("Record %1").arg(service));

    auto *intro = new QLabel(
            QStringLiteral("EnvSync listens on %1 and forwards every request to %2, answering "
                           "with its response and writing each exchange as a masked WireMock "
                           "mapping. Point the client at %1, then Stop.")
                    .arg(listen, upstream));
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);

    m_golden = new QLineEdit;
    m_golden->setObjectName(QStringLiteral("recordGolden"));
    m_golden->setPlaceholderText(QStringLiteral("the newest snapshot"));
    m_golden->setValidator(new QRegularExpressionValidator(
            QRegularExpression(QStringLiteral("golden_v[0-9]{0,9}")), m_golden));
    m_learn = new QSpinBox;
    m_learn->setObjectName(QStringLiteral("recordLearn"));
    m_learn->setRange(1, 100);
    m_learn->setValue(1);
    m_learn->setToolTip(QStringLiteral(
            "2 or more: the client runs the same traffic that many times; values that differ "
            "between the runs become matchers and templates, written when you stop"));

    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("Golden version:"), m_golden);
    form->addRow(QStringLiteral("Learning runs:"), m_learn);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("&Record"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto validate = [this, buttons] {
        const QString text = m_golden->text();
        buttons->button(QDialogButtonBox::Ok)
                ->setEnabled(text.isEmpty() || text.size() > int(sizeof("golden_v")) - 1);
    };
    connect(m_golden, &QLineEdit::textChanged, this, validate);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QString RecordDialog::golden() const
{
    return m_golden->text().trimmed();
}

int RecordDialog::learnPasses() const
{
    return m_learn->value();
}

} // namespace envsync::ui
