// SPDX-License-Identifier: GPL-3.0-or-later
// net/bulkanswer: an Elasticsearch _bulk answer, any bytes. The first byte gives the batch
// size (0..31) and the action; the rest is the body of a 200 answer. Either the answer is
// refused as a whole (a reason, no items) or every item of the batch gets an outcome.

#include <cstddef>
#include <cstdint>

#include "fuzzcommon.h"
#include "net/bulkcodec.h"

using namespace sluice;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQt();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype items = data[0] & 0x1f;
    const BulkAction action = (data[0] & 0x20) ? BulkAction::Create : BulkAction::Index;
    const BulkCodec codec(TargetMode::ElasticsearchBulk, action, (data[0] & 0x40) != 0);
    const QByteArrayView body(data + 1, qsizetype(size - 1));
    const BulkReply reply = codec.parse(200, body, items);
    if (reply.error.isEmpty() ? reply.items.size() != items : !reply.items.isEmpty())
        fuzz::broken("neither a reason nor one outcome per item");
    for (const BulkItemOutcome &item : reply.items) {
        if ((item.status >= 200 && item.status <= 299) != item.error.isEmpty())
            fuzz::broken("an item that failed without a reason, or succeeded with one");
    }
    // Not a 2xx: every item gets the request's status, whatever the body.
    const BulkReply failed = codec.parse(503, body, items);
    if (!failed.error.isEmpty() || failed.items.size() != items)
        fuzz::broken("a failed request not applied to every item");
    for (const BulkItemOutcome &item : failed.items) {
        if (item.status != 503)
            fuzz::broken("a failed request's item with another status");
    }
    return 0;
}
