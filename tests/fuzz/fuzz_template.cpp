// SPDX-License-Identifier: GPL-3.0-or-later
// transform: a key template, a URL template and a JSON template, any text, compiled against
// a fixed column list and applied to one fixed row. Input: the key up to the first line
// break, the URL up to the second, the template after it (checked by compactJson first, as
// the transfer file's parser does: compile() is only ever given valid JSON). An item built
// is valid compact JSON; an item refused says why.

#include <cstddef>
#include <cstdint>
#include <limits>

#include <QDateTime>
#include <QTimeZone>
#include <QUuid>

#include "fuzzcommon.h"
#include "transform/transform.h"
#include "json/jsonreader.h"

using namespace sluice;

namespace {

ColumnList fixedColumns()
{
    const auto column = [](const char *name, QMetaType::Type type) {
        ColumnInfo c;
        c.name = QString::fromLatin1(name);
        c.metaTypeId = type;
        return c;
    };
    ColumnList columns {
        column("id", QMetaType::LongLong),
        column("name", QMetaType::QString),
        column("value", QMetaType::Double),
        column("price", QMetaType::QString),
        column("seen", QMetaType::QDateTime),
        column("day", QMetaType::QDate),
        column("flag", QMetaType::Bool),
        column("data", QMetaType::QByteArray),
        column("nothing", QMetaType::QString),
        column("Name", QMetaType::QString), // differs from "name" by case only
        column("inf", QMetaType::Double),
        column("uuid", QMetaType::QUuid),
        column("big", QMetaType::ULongLong),
    };
    columns[3].exactNumeric = true;
    columns[4].timeZoneAware = true;
    return columns;
}

QVariantList fixedRow()
{
    return {
        QVariant(qlonglong(42)),
        QVariant(QStringLiteral("Zürich \"quoted\" \\ 😀 /x?y#z")),
        QVariant(12.5),
        QVariant(QStringLiteral("12.50")),
        QVariant(QDateTime(QDate(2026, 12, 5), QTime(7, 28, 1, 250), QTimeZone(3600))),
        QVariant(QDate(2026, 2, 28)),
        QVariant(true),
        QVariant(QByteArray("\x00\xff bytes", 8)),
        QVariant(QMetaType::fromType<QString>()),
        QVariant(QStringLiteral("upper")),
        QVariant(std::numeric_limits<double>::infinity()),
        QVariant(QUuid(QStringLiteral("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}"))),
        QVariant(qulonglong(18446744073709551615ULL)),
    };
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ColumnList columns = fixedColumns();
    static const QVariantList row = fixedRow();

    const QByteArrayView input(data, qsizetype(size));
    const qsizetype keyEnd = input.indexOf('\n');
    const qsizetype urlEnd = keyEnd < 0 ? -1 : input.indexOf('\n', keyEnd + 1);
    if (urlEnd < 0)
        return 0;
    TransformSpec spec;
    spec.present = true;
    spec.key = QString::fromUtf8(input.first(keyEnd));
    const QString url = QString::fromUtf8(input.sliced(keyEnd + 1, urlEnd - keyEnd - 1));
    const std::optional<QByteArray> templ = compactJson(input.sliced(urlEnd + 1));
    if (!templ)
        return 0;
    spec.templ = *templ;

    QList<SpecError> errors;
    const std::optional<Transform> transform = Transform::compile(spec, url, columns, &errors);
    if (!transform) {
        if (errors.isEmpty())
            fuzz::broken("a template refused without a reason");
        return 0;
    }
    (void)Transform::referencedColumns(spec, url);
    const Item item = transform->apply(row, 7);
    if (item.id != 7)
        fuzz::broken("the item lost its id");
    if (!item.isValid()) {
        if (!item.payload.isEmpty() || !item.url.isEmpty())
            fuzz::broken("an invalid item with a payload or URL");
        return 0;
    }
    if (compactJson(item.payload) != item.payload)
        fuzz::broken("a payload that is not compact valid JSON");
    if (transform->hasUrlTemplate() == item.url.isEmpty())
        fuzz::broken("a URL template without a URL, or a URL without one");
    return 0;
}
