// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPalette>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

#include "db/sqllexer.h"

class QTextDocument;

namespace sluice {

/// Colours SQL in a QTextDocument: keywords (case-insensitive), string literals (also
/// PostgreSQL E'...' and dollar quotes), -- and /* */ comments, numbers, and :name
/// parameters. Literals, quoted identifiers and comments that span lines carry over through
/// the block state.
///
/// The text is read by SqlLexer (db/sqllexer.h), which findSqlParameters() uses too: nothing
/// inside literals, quoted identifiers, comments or dollar quotes is a parameter, and
/// neither ::casts nor := assignments are, so the colour shows exactly the names the
/// parameter table lists.
///
/// The colours derive from a palette (comments from PlaceholderText, the parameter's
/// background from Highlight; the others picked for a light or a dark Base).
class SqlHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqlHighlighter)

public:
    enum class Kind { Keyword, String, Comment, Number, Parameter };

    /// Highlights document (not owned; the highlighter is usually its child) with colours
    /// from the application's palette.
    explicit SqlHighlighter(QTextDocument *document);
    ~SqlHighlighter() override;

    /// Derives the colours from palette (the editor's) and highlights everything again.
    void setPalette(const QPalette &palette);
    /// The format text of this kind gets.
    QTextCharFormat formatFor(Kind kind) const;

protected:
    void highlightBlock(const QString &text) override;

private:
    /// The format of a token of this kind; nullptr for tokens that stay plain.
    const QTextCharFormat *formatOf(SqlLexer::Kind kind) const;

    QTextCharFormat m_keyword;
    QTextCharFormat m_string;
    QTextCharFormat m_comment;
    QTextCharFormat m_number;
    QTextCharFormat m_parameter;
};

} // namespace sluice
