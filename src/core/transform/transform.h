// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "spec/transferspec.h"
#include "types/columninfo.h"
#include "types/item.h"

namespace sluice {

/// Turns one query row into an Item: its JSON payload, its key and, when the target URL
/// has placeholders, its URL, by the template rules (docs/design.md, "Values"):
///
/// - Without a transform (spec.present false, or an empty template), a row becomes an
///   object of column name -> typed value, in column order.
/// - A template string that is exactly one placeholder "{{col}}" (spaces allowed inside the
///   braces) takes the column's value with its type; a string with placeholders among other
///   text is interpolated as text; every other token is copied as the template writes it:
///   member order, number literals (12.50, 30-digit integers) and escapes reach the API
///   unchanged (object keys are never interpolated).
/// - Typed values: NULL -> null; bool; integers; reals in shortest round-trip form with ".0"
///   when that form looks like an integer; exact numerics (ColumnInfo::exactNumeric, fetched
///   as text) as the number literal they are; text; blobs as standard base64; dates
///   "YYYY-MM-DD"; times "HH:mm:ss[.zzz]"; date-times in UTC with "Z" when the column is
///   time-zone aware or the value carries a zone or offset, else naive with no offset;
///   UUIDs without braces. NaN and infinities make the item Invalid.
/// - Interpolated text: the same values as text, reals without the ".0", NULL as nothing.
/// - Key: the key template interpolated; an empty key template gives the 1-based row number.
/// - URL: the target URL interpolated with each value percent-encoded; a NULL there makes
///   the item Invalid.
/// - Idempotency key (target.idempotencyKey): interpolated as the key, sent as a header; a
///   NULL, an empty result or a control character (a line break) makes the item Invalid.
///
/// compile() does the lookups and the parsing once; apply() walks a flat list of operations
/// and writes bytes, with no JSON DOM. A Transform is an immutable value: copies are cheap
/// and apply() may run on any number of threads at once.
class Transform
{
public:
    /// An empty transform (no columns): apply() of an empty row gives "{}". Use compile().
    Transform();

    /// Compiles the transform and the target URL template against the columns the query
    /// returns. Every problem is reported, located by path ("transform.template.location.lat",
    /// "transform.key", "target.url"): a placeholder naming a column the query does not
    /// return, a used column name that the query returns more than once, a malformed
    /// placeholder. Names match exactly first, then case-insensitively if that match is
    /// unique (PostgreSQL folds unquoted names to lower case). Returns std::nullopt on
    /// failure, with every problem appended to *errors (which may be null).
    /// idempotencyKey: target.idempotencyKey ("target.idempotencyKey" in errors); empty: none.
    static std::optional<Transform> compile(const TransformSpec &spec, const QString &urlTemplate,
                                            const ColumnList &columns, QList<SpecError> *errors,
                                            const QString &idempotencyKey = {});

    /// Column names the key, the template (when spec.present) and the URL refer to, in that
    /// order and first-use order within each, each name once, without compiling (for the
    /// GUI's validation as you type). Malformed placeholders are skipped.
    static QStringList referencedColumns(const TransformSpec &spec, const QString &urlTemplate);

    /// Builds one item. `row` holds one QVariant per column, in column order; id is the
    /// 0-based row number. An item that cannot be built comes back with error set, empty
    /// payload and url, and still a key (the row number when the key itself failed).
    /// Thread-safe: const, no shared mutable state.
    Item apply(const QVariantList &row, qint64 id) const;

    /// True when the target URL has placeholders, so each Item carries its own url.
    bool hasUrlTemplate() const;
    const ColumnList &columns() const;

private:
    class Compiler;

    /// One step of writing the payload.
    struct JsonOp
    {
        enum class Kind : quint8 {
            Literal, ///< m_literals[offset, offset + length)
            Typed, ///< the column's value as a typed JSON value
            Text, ///< the column's value as text, escaped, inside a string being written
        };
        Kind kind = Kind::Literal;
        int column = -1;
        qsizetype offset = 0;
        qsizetype length = 0;
    };

    /// One piece of an interpolated key or URL: literal text, or a column's value as text.
    struct TextPiece
    {
        int column = -1; ///< -1: literal
        QString literal;
    };

    enum class TextUse : quint8 { Key, Url, Header };

    bool writePayload(const QVariantList &row, QByteArray *out, QString *error) const;
    bool buildText(const QList<TextPiece> &pieces, const QVariantList &row, TextUse use,
                   QString *out, QString *error) const;

    ColumnList m_columns;
    QList<JsonOp> m_ops;
    QByteArray m_literals;
    QList<TextPiece> m_key; ///< empty: the row number
    QList<TextPiece> m_url; ///< empty: the URL has no placeholders
    QList<TextPiece> m_idempotencyKey; ///< empty: no Idempotency-Key header
    qsizetype m_payloadReserve = 0;
};

} // namespace sluice
