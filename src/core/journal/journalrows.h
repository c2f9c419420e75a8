// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <memory>

#include <QByteArray>
#include <QString>

#include "types/item.h"

namespace sluice {

class SqliteDb;

/// The rows RunJournal's writer thread writes into the item and delivered_run tables, and how
/// (named, not anonymous: RunJournal::Fold, a member type, holds them). Writer thread only.
namespace journalwriter {

/// The columns few rows have: kept apart, so that a row is small (the writer holds tens of
/// thousands of rows between two writes in a bulk mode).
struct RowTexts
{
    QString url;
    QString error;
    QString note;
    QByteArray response;
    QByteArray requestId;
    QByteArray idempotencyKey; // insert only
};

/// One item's row as a batch leaves it: what to insert, or which columns to update.
struct Row
{
    enum class Change : quint8 { Status, Result };
    qint64 id = -1;
    bool insert = false; // new in this batch: every column is known
    Change change = Change::Status; // an update: just status and attempts, or the result too
    bool setPayload = false; // an update: payload replaced (dropped on delivery, edited)
    ItemStatus status = ItemStatus::Queued;
    bool mayHaveArrived = false;
    bool cancelled = false;
    bool hasDigest = false;
    quint16 httpStatus = 0;
    int attempts = 0;
    quint64 digest = 0; // hasDigest: the last row of a chunk
    QByteArray key; // insert only, UTF-8; null: the default key (the row number)
    QByteArray payload; // null: none
    std::unique_ptr<RowTexts> texts; // null: every text empty

    RowTexts &setTexts()
    {
        if (!texts)
            texts = std::make_unique<RowTexts>();
        return *texts;
    }
};

/// Forgets a result's texts (error, note, response, request id); the URL and idempotency key
/// an insert needs stay.
void clearResultTexts(Row &row);
/// Null for an empty string: the journal stores no empty texts.
QString textOrNull(const QString &text);
bool isUnfinished(ItemStatus status);
/// Inserts or updates rows in the item table, within the caller's transaction; consecutive
/// new deliveries go into delivered_run.
bool writeRows(SqliteDb &db, const Row *rows, size_t count);

} // namespace journalwriter

} // namespace sluice
