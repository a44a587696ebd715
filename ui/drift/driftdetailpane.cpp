#include "ui/drift/driftdetailpane.h"

#include "core/drift/ddl.h"
#include "core/drift/definition.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QStyle>
#include <QTextBlock>
#include <QVBoxLayout>

namespace envsync::ui {

namespace {

constexpr std::size_t maxSummaryLines = 8;

QString qs(const std::string &text)
{
    return QString::fromStdString(text);
}

QPlainTextEdit *codeEdit(const QString &objectName)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(objectName);
    edit->setReadOnly(true);
    edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setTabStopDistance(4 * edit->fontMetrics().horizontalAdvance(QLatin1Char(' ')));
    return edit;
}

QLabel *header(const QString &objectName)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

/// The definitions of `objects` in one snapshot; several are separated by "-- kind name" lines.
QString definitions(const drift::SchemaCatalog *snapshot,
                    const std::vector<drift::Difference> &objects)
{
    if (!snapshot)
        return {};
    if (objects.size() == 1)
        return qs(drift::definitionOf(*snapshot, objects.front()));
    QStringList blocks;
    for (const drift::Difference &object : objects) {
        const std::string sql = drift::definitionOf(*snapshot, object);
        const QString title = QStringLiteral("-- ")
                              + QString::fromLatin1(drift::kindName(object.kind)) + QLatin1Char(' ')
                              + qs(object.qualifiedName());
        blocks << title + QLatin1Char('\n')
                          + (sql.empty() ? QStringLiteral("-- (absent)") : qs(sql));
    }
    return blocks.join(QStringLiteral("\n\n"));
}

/// A definition line as compared across the sides: trimmed, without a trailing comma (the last
/// column of a CREATE TABLE has none).
QString normalizedLine(const QString &line)
{
    QString out = line.trimmed();
    if (out.endsWith(QLatin1Char(',')))
        out.chop(1);
    return out;
}

QSet<QString> lineSet(const QString &text)
{
    QSet<QString> out;
    for (const QString &line : text.split(QLatin1Char('\n')))
        out.insert(normalizedLine(line));
    return out;
}

/// Tints the lines of `edit` that the other side lacks (a poor man's side-by-side diff: the
/// definitions are short and ordered alike) and scrolls the first one into view.
void markLinesMissingFrom(QPlainTextEdit *edit, const QSet<QString> &other, const QColor &tint)
{
    QList<QTextEdit::ExtraSelection> selections;
    QTextBlock first;
    for (QTextBlock block = edit->document()->begin(); block.isValid(); block = block.next()) {
        const QString line = normalizedLine(block.text());
        if (line.isEmpty() || other.contains(line))
            continue;
        QTextEdit::ExtraSelection selection;
        selection.format.setBackground(tint);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selection.cursor = QTextCursor(block);
        selections << selection;
        if (!first.isValid())
            first = block;
    }
    edit->setExtraSelections(selections);
    if (first.isValid()) {
        edit->setTextCursor(QTextCursor(first));
        edit->centerCursor();
    }
}

} // namespace

DriftDetailPane::DriftDetailPane(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("driftDetailTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("driftDetailSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setWordWrap(true);

    m_referenceHeader = header(QStringLiteral("referenceDefinitionHeader"));
    m_regionHeader = header(QStringLiteral("regionDefinitionHeader"));
    m_reference = codeEdit(QStringLiteral("referenceDefinition"));
    m_region = codeEdit(QStringLiteral("regionDefinition"));

    auto *sideBySide = new QWidget;
    auto *grid = new QGridLayout(sideBySide);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_referenceHeader, 0, 0);
    grid->addWidget(m_regionHeader, 0, 1);
    grid->addWidget(m_reference, 1, 0);
    grid->addWidget(m_region, 1, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);

    m_ddlHeader = header(QStringLiteral("ddlHeader"));
    m_copy = new QPushButton(QStringLiteral("&Copy DDL"));
    m_copy->setObjectName(QStringLiteral("copyDdlButton"));
    m_copy->setToolTip(QStringLiteral("Copy the reconcile script to the clipboard"));
    connect(m_copy, &QPushButton::clicked, this, &DriftDetailPane::copyDdl);
    m_ddl = codeEdit(QStringLiteral("reconcileDdl"));

    auto *ddlPane = new QWidget;
    auto *ddlLayout = new QVBoxLayout(ddlPane);
    ddlLayout->setContentsMargins(0, 0, 0, 0);
    auto *ddlBar = new QHBoxLayout;
    ddlBar->addWidget(m_ddlHeader, 1);
    ddlBar->addWidget(m_copy);
    ddlLayout->addLayout(ddlBar);
    ddlLayout->addWidget(m_ddl);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(sideBySide);
    splitter->addWidget(ddlPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    clear(QStringLiteral("Click a cell to compare its definitions"));
}

void DriftDetailPane::clear(const QString &hint)
{
    m_title->setText(hint);
    m_summary->clear();
    m_summary->hide();
    m_referenceHeader->setText(QStringLiteral("Reference"));
    m_regionHeader->setText(QStringLiteral("Region"));
    m_ddlHeader->setText(QStringLiteral("Reconcile DDL"));
    m_reference->clear();
    m_region->clear();
    m_reference->setExtraSelections({});
    m_region->setExtraSelections({});
    m_ddl->clear();
    m_reference->setPlaceholderText({});
    m_region->setPlaceholderText({});
    m_ddl->setPlaceholderText({});
    m_copy->setEnabled(false);
}

void DriftDetailPane::showCell(const drift::DriftReport &report, const QString &region,
                               const HeatmapNode &node,
                               const std::vector<const drift::Difference *> &differences)
{
    m_title->setText(QStringLiteral("%1 × %2 — %3")
                             .arg(region, node.qualifiedName(),
                                  differences.empty()
                                          ? QStringLiteral("no drift")
                                          : QStringLiteral("%1 difference(s), worst %2")
                                                    .arg(differences.size())
                                                    .arg(HeatmapMapping::severityText(
                                                            HeatmapMapping::worst(differences)))));
    QStringList lines;
    for (std::size_t i = 0; i < differences.size() && i < maxSummaryLines; ++i)
        lines << QStringLiteral("• ") + HeatmapMapping::describe(*differences[i]);
    if (differences.size() > maxSummaryLines)
        lines << QStringLiteral("… and %1 more").arg(differences.size() - maxSummaryLines);
    m_summary->setText(lines.join(QLatin1Char('\n')));
    m_summary->setVisible(!lines.isEmpty());

    const std::vector<drift::Difference> objects = HeatmapMapping::detailObjects(node, differences);
    const auto snapshot = report.snapshots.find(region.toStdString());
    const drift::SchemaCatalog *regionSnapshot
            = snapshot == report.snapshots.end() ? nullptr : &snapshot->second;

    m_referenceHeader->setText(QStringLiteral("Reference · ") + qs(report.referenceName));
    m_regionHeader->setText(QStringLiteral("Region · ") + region);
    m_reference->setPlainText(definitions(&report.reference, objects));
    m_region->setPlainText(definitions(regionSnapshot, objects));
    m_reference->setExtraSelections({});
    m_region->setExtraSelections({});
    if (!m_reference->toPlainText().isEmpty() && !m_region->toPlainText().isEmpty()) {
        // Green: what the reference has and the region lacks; red: the region's own.
        markLinesMissingFrom(m_reference, lineSet(m_region->toPlainText()),
                             QColor(0xdf, 0xf2, 0xe1));
        markLinesMissingFrom(m_region, lineSet(m_reference->toPlainText()),
                             QColor(0xfb, 0xdd, 0xdb));
    }
    m_reference->setPlaceholderText(QStringLiteral("(absent in the reference)"));
    m_region->setPlaceholderText(regionSnapshot
                                         ? QStringLiteral("(absent in %1)").arg(region)
                                         : QStringLiteral("(%1 could not be read)").arg(region));

    std::vector<drift::Difference> cell;
    cell.reserve(differences.size());
    for (const drift::Difference *d : differences)
        cell.push_back(*d);
    m_ddlHeader->setText(QStringLiteral("Reconcile DDL · %1").arg(region));
    m_ddlHeader->setToolTip(QStringLiteral("Turns %1's schema into the reference's for this cell; "
                                           "statements that may drop data are commented out")
                                    .arg(region));
    m_ddl->setPlainText(qs(drift::renderScript(cell, false)));
    m_ddl->setPlaceholderText(QStringLiteral("-- nothing to reconcile"));
    m_copy->setEnabled(!m_ddl->toPlainText().isEmpty());
}

void DriftDetailPane::showUnreadable(const drift::DriftReport &report, const QString &region,
                                     const HeatmapNode &node, const QString &error)
{
    clear({});
    m_title->setText(QStringLiteral("%1 × %2 — not compared").arg(region, node.qualifiedName()));
    m_summary->setText(QStringLiteral("%1 could not be read, so its drift is unknown: %2\n"
                                      "Re-check (F6) once it is reachable.")
                               .arg(region, error.simplified()));
    m_summary->show();
    m_referenceHeader->setText(QStringLiteral("Reference · ") + qs(report.referenceName));
    m_regionHeader->setText(QStringLiteral("Region · ") + region);
    m_region->setPlaceholderText(QStringLiteral("(%1 could not be read)").arg(region));
    m_ddlHeader->setText(QStringLiteral("Reconcile DDL · %1").arg(region));
    m_ddl->setPlaceholderText(
            QStringLiteral("-- %1 could not be read: no script can be derived").arg(region));
}

void DriftDetailPane::copyDdl() const
{
    if (!m_ddl->toPlainText().isEmpty())
        QApplication::clipboard()->setText(m_ddl->toPlainText());
}

} // namespace envsync::ui
