// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QVariant>

namespace sluice {

/// Where an item is in its life. Queued -> Sending -> Delivered, or
/// Sending -> Retrying -> Sending for transient failures, or Failed (a permanent
/// 4xx, or retries exhausted), or Invalid (the transform could not build it).
enum class ItemStatus : quint8 {
    Queued,
    Sending,
    Retrying,
    Delivered,
    Failed,
    Invalid,
};
inline constexpr int ItemStatusCount = 6;

/// Failed or Invalid: the item is owed to the API and can be retried (after a fix).
constexpr bool isFailure(ItemStatus status)
{
    return status == ItemStatus::Failed || status == ItemStatus::Invalid;
}

/// Stable lower-case name ("queued", "delivered", ...) used in files and logs.
QString itemStatusName(ItemStatus status);

/// One row turned into something to send. Value type, cheap to move.
struct Item
{
    qint64 id = -1; ///< 0-based row number in the query result; unique within a run
    QString key; ///< the transform's key (identifies the item for people)
    QByteArray payload; ///< compact UTF-8 JSON body; empty when the item is invalid
    QString url; ///< resolved target URL when the URL has placeholders, else empty
    QString error; ///< why the transform could not build the item; empty when valid
    /// target.idempotencyKey filled from the row, sent as the Idempotency-Key header on every
    /// attempt; empty when the transfer has none. (Initialised here so that the many
    /// Item {id, key, payload, url, error} in the code need not name it.)
    QByteArray idempotencyKey = {};
    /// run.watermark: the row's value of the watermark column (null without a watermark).
    QVariant watermark = {};

    bool isValid() const { return error.isEmpty(); }
};

/// The outcome of one item once it left the dispatcher (Delivered or Failed),
/// or of an item the transform rejected (Invalid).
struct ItemResult
{
    qint64 id = -1;
    QString key;
    ItemStatus status = ItemStatus::Queued;
    int httpStatus = 0; ///< last HTTP status, 0 when no response was received
    int attempts = 0; ///< requests sent for this item (0 for Invalid)
    qint64 latencyMs = 0; ///< duration of the last attempt
    qint64 latencyUs = 0; ///< the same in microseconds (0 where only latencyMs is known)
    QString error; ///< human-readable reason; empty when Delivered
    /// Delivered with a remark, e.g. "delivered by an earlier attempt whose answer was lost".
    QString note;
    QByteArray responseBody; ///< response text of the last attempt (capped); none if Invalid
    QByteArray payload; ///< the item's JSON as sent (Delivered, Failed) or to fix (Invalid)
    QString url; ///< resolved URL, when the target URL has placeholders
    QByteArray requestId; ///< X-Request-ID of the last attempt
    QByteArray idempotencyKey; ///< the Idempotency-Key sent (target.idempotencyKey), if any
    /// Not delivered, but an attempt went out and no answer came back (connection lost,
    /// timeout, cancelled while sending): the server may have it.
    bool mayHaveArrived = false;
    /// Failed "cancelled": the server never decided about the item because the run was
    /// cancelled or stopped (run.stopAfterFailures) first, not because of an answer. Owed: a
    /// resumed run sends it again.
    bool cancelled = false;
};

} // namespace sluice

Q_DECLARE_METATYPE(sluice::Item)
Q_DECLARE_METATYPE(sluice::ItemResult)
