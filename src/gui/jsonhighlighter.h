// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace sluice {

/// Colours JSON text line by line: object keys, strings, numbers, true/false/null, and the
/// {{column}} placeholders inside strings (in their own colour, so a template shows at a
/// glance what comes from the row). JSON strings cannot span lines, so no state is carried
/// between blocks; text that is not JSON is left as it is. The colours are picked for the
/// application palette's base colour (light or dark) when the highlighter is made.
class JsonHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonHighlighter)

public:
    /// Attaches to document (which owns the highlighter, as QSyntaxHighlighter's parent).
    explicit JsonHighlighter(QTextDocument *document);

    /// The format used for placeholders; tests and the legend use it to tell them apart.
    QTextCharFormat placeholderFormat() const { return m_placeholder; }

protected:
    void highlightBlock(const QString &text) override;

private:
    void highlightString(const QString &text, qsizetype start, qsizetype end, bool isKey);

    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_keyword;
    QTextCharFormat m_placeholder;
};

} // namespace sluice
