// SPDX-License-Identifier: GPL-3.0-or-later
// net/bulkanswer: a CouchDB _bulk_docs answer, any bytes. The first byte gives the batch
// size (0..15) and which docs were sent without an id; the rest is the body of a 201 answer,
// read by position and by id. Either the answer is refused as a whole (a reason, no items)
// or every doc of the batch gets an outcome.

#include <cstddef>
#include <cstdint>

#include "fuzzcommon.h"
#include "net/bulkcodec.h"

using namespace sluice;

namespace {

void check(const BulkReply &reply, qsizetype items)
{
    if (reply.error.isEmpty() ? reply.items.size() != items : !reply.items.isEmpty())
        fuzz::broken("neither a reason nor one outcome per doc");
    for (const BulkItemOutcome &item : reply.items) {
        if ((item.status >= 200 && item.status <= 299) != item.error.isEmpty())
            fuzz::broken("a doc that failed without a reason, or succeeded with one");
        if (item.conflict && item.status != 409)
            fuzz::broken("a conflict that is not a 409");
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const qsizetype items = data[0] & 0x0f;
    const QByteArrayView body(data + 2, qsizetype(size - 2));
    const BulkCodec codec(TargetMode::CouchdbBulk, BulkAction::Index, true);
    check(codec.parse(201, body, items), items);
    // Docs "a", "b", ... (ids short enough to be guessed), some sent without an id, some
    // with the same id twice.
    QStringList ids;
    for (qsizetype i = 0; i < items; ++i) {
        if (data[1] & (1u << (i % 8)))
            ids.append(QString());
        else
            ids.append(QString(QChar(u'a' + char16_t(i % ((data[1] >> 5) + 1)))));
    }
    check(codec.parse(201, body, ids), items);
    return 0;
}
