// SPDX-License-Identifier: GPL-3.0-or-later
#include "journalrows.h"

#include "journal/journalfile.h"
#include "journal/sqlitedb.h"
#include "json/jsonwriter.h"

#include <array>

#include <sqlite3.h>

namespace sluice::journalwriter {

void clearResultTexts(Row &row)
{
    if (!row.texts)
        return;
    if (row.texts->url.isEmpty() && row.texts->idempotencyKey.isEmpty()) {
        row.texts.reset();
        return;
    }
    row.texts->error.clear();
    row.texts->note.clear();
    row.texts->response = QByteArray();
    row.texts->requestId = QByteArray();
}

QString textOrNull(const QString &text)
{
    return text.isEmpty() ? QString() : text;
}

bool isUnfinished(ItemStatus status)
{
    return status == ItemStatus::Queued || status == ItemStatus::Sending
        || status == ItemStatus::Retrying;
}

namespace {

QByteArray bytesOrNull(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QByteArray() : bytes;
}

/// Rows inserted this many at a time by one statement: a statement's own cost (its start,
/// its end, its reset) is most of a small row's, so a bulk mode's million rows take a fraction.
constexpr int RowsPerInsert = 64;
constexpr int LeanColumns = 8;

/// The columns most rows have (an item delivered or waiting, without an error, a note, an
/// URL of its own, a response, an idempotency key): written by the lean insert.
bool isLean(const Row &r)
{
    return r.insert && !r.texts && !r.mayHaveArrived && !r.cancelled;
}

QByteArray leanInsertSql(int rows)
{
    QByteArray sql = "INSERT INTO item (id, key, status, http_status, attempts, payload, "
                     "request_id, digest) VALUES ";
    for (int i = 0; i < rows; ++i)
        sql += i == 0 ? "(?,?,?,?,?,?,?,?)" : ",(?,?,?,?,?,?,?,?)";
    return sql;
}

/// Binds row to the lean insert's parameters from first on (every one: nothing is cleared).
void bindLean(SqliteStatement &s, int first, const Row &row)
{
    s.bindInt(first, row.id);
    s.bindUtf8(first + 1, row.key);
    s.bindInt(first + 2, int(row.status));
    if (row.httpStatus > 0)
        s.bindInt(first + 3, row.httpStatus);
    else
        s.bindNull(first + 3);
    s.bindInt(first + 4, row.attempts);
    s.bindBlob(first + 5, row.payload);
    s.bindNull(first + 6); // a lean row has no texts, no request id among them
    if (row.hasDigest)
        s.bindInt(first + 7, qint64(row.digest));
    else
        s.bindNull(first + 7);
}

/// The columns a result sets, numbered as the full insert and the result updates share them:
/// id ?1, status ?2, http_status ?3, attempts ?4, error ?5, note ?6, may_have_arrived ?7,
/// cancelled ?8, response ?9, request_id ?10 (then payload ?11).
constexpr char OutcomeColumns[] = "status=?2, http_status=?3, attempts=?4, error=?5, note=?6, "
                                  "may_have_arrived=?7, cancelled=?8, response=?9, request_id=?10";

/// Binds the outcome columns ?1 to ?10 (see OutcomeColumns); nothing else.
void bindOutcome(SqliteStatement &s, const Row &row)
{
    s.bindInt(1, row.id);
    s.bindInt(2, int(row.status));
    if (row.httpStatus > 0)
        s.bindInt(3, row.httpStatus);
    s.bindInt(4, row.attempts);
    const RowTexts noTexts;
    const RowTexts &t = row.texts ? *row.texts : noTexts;
    s.bindText(5, textOrNull(t.error));
    s.bindText(6, textOrNull(t.note));
    s.bindInt(7, row.mayHaveArrived ? 1 : 0);
    s.bindInt(8, row.cancelled ? 1 : 0);
    s.bindBlob(9, bytesOrNull(t.response));
    s.bindUtf8(10, bytesOrNull(t.requestId));
}

/// A row that can go into a run of delivered items (see the delivered_run table): new, lean,
/// delivered, and not the boundary a resume checks (that stays a row of its own).
bool fitsDeliveredRun(const Row &r)
{
    return isLean(r) && r.status == ItemStatus::Delivered && !r.hasDigest && r.payload.isNull();
}

/// Fewer consecutive deliveries than this stay rows of their own.
constexpr size_t MinDeliveredRun = 2;

/// Writes rows[0 .. count) (consecutive ids, each fitsDeliveredRun(), alike in HTTP status
/// and attempts) as one row of delivered_run.
bool writeDeliveredRun(SqliteStatement &s, const Row *rows, size_t count)
{
    const Row &first = rows[0];
    s.bindInt(1, first.id);
    s.bindInt(2, qint64(count));
    if (first.httpStatus > 0)
        s.bindInt(3, first.httpStatus);
    else
        s.bindNull(3);
    s.bindInt(4, first.attempts);
    QByteArray keys;
    if (std::any_of(rows, rows + count, [](const Row &r) { return !r.key.isNull(); })) {
        JsonWriter json(&keys);
        keys += '[';
        for (size_t i = 0; i < count; ++i) {
            if (i > 0)
                keys += ',';
            json.writeString(rows[i].key.isNull() ? QString::number(rows[i].id + 1)
                                                  : QString::fromUtf8(rows[i].key));
        }
        keys += ']';
    }
    s.bindUtf8(5, keys.isEmpty() ? QByteArray() : keys);
    const bool ok = s.run();
    s.reset();
    return ok;
}

/// An update found no row for id: if the item is in a run of delivered items (a second
/// answer, a retry by hand), the run's items become rows of their own again. found: whether
/// it was in one.
bool splitDeliveredRun(SqliteDb &db, qint64 id, bool *found)
{
    *found = false;
    SqliteStatement select;
    if (!select.prepare(db,
                        QByteArray(QByteArray("SELECT ") + journal::DeliveredRunColumns
                                   + " FROM delivered_run WHERE first <= ?1 ORDER BY first "
                                     "DESC LIMIT 1")
                            .constData()))
        return false;
    select.bindInt(1, id);
    bool ok = true;
    if (!select.step(&ok))
        return ok;
    journal::DeliveredRun run;
    if (!run.read(select) || id >= run.first + run.count)
        return true;
    *found = true;
    SqliteStatement remove;
    SqliteStatement insert;
    if (!remove.prepare(db, "DELETE FROM delivered_run WHERE first = ?1")
        || !insert.prepare(db, leanInsertSql(1).constData()))
        return false;
    remove.bindInt(1, run.first);
    if (!remove.run())
        return false;
    Row row;
    row.insert = true;
    row.status = ItemStatus::Delivered;
    row.httpStatus = quint16(run.httpStatus);
    row.attempts = run.attempts;
    for (qint64 item = run.first; item < run.first + run.count; ++item) {
        row.id = item;
        row.key = run.keys.isEmpty() ? QByteArray() : run.key(item).toUtf8();
        bindLean(insert, 1, row);
        if (!insert.run())
            return false;
    }
    return true;
}

/// Runs an update of one item's row (s, its parameters bound); an item that is in a run of
/// delivered items is first given a row of its own.
bool runUpdate(SqliteDb &db, SqliteStatement &s, qint64 id)
{
    if (!s.run())
        return false;
    if (sqlite3_changes(db.handle()) > 0)
        return true;
    bool found = false;
    if (!splitDeliveredRun(db, id, &found))
        return false;
    return !found || s.run();
}

} // namespace

bool writeRows(SqliteDb &db, const Row *rows, size_t count)
{
    if (count == 0)
        return true;
    SqliteStatement deliveredRun;
    SqliteStatement lean;
    SqliteStatement leanMany;
    SqliteStatement insert;
    SqliteStatement result;
    SqliteStatement status;
    SqliteStatement resultAndPayload;
    const QByteArray updateResult
        = QByteArray("UPDATE item SET ") + OutcomeColumns + " WHERE id=?1";
    const QByteArray updateResultAndPayload
        = QByteArray("UPDATE item SET ") + OutcomeColumns + ", payload=?11 WHERE id=?1";
    if (!lean.prepare(db, leanInsertSql(1).constData())
        || !leanMany.prepare(db, leanInsertSql(RowsPerInsert).constData())
        || !insert.prepare(db,
                           "INSERT INTO item (id, status, http_status, attempts, error, note, "
                           "may_have_arrived, cancelled, response, request_id, payload, key, "
                           "url, idempotency_key, digest) "
                           "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)")
        || !result.prepare(db, updateResult.constData())
        || !status.prepare(db, "UPDATE item SET status=?2, attempts=?3 WHERE id=?1")
        || !resultAndPayload.prepare(db, updateResultAndPayload.constData())
        || !deliveredRun.prepare(db,
                                 "INSERT INTO delivered_run (first, count, http_status, "
                                 "attempts, keys) VALUES (?1,?2,?3,?4,?5)"))
        return false;
    // Lean rows wait here until there are enough for one statement.
    std::array<const Row *, RowsPerInsert> waiting {};
    int waitingCount = 0;
    for (size_t i = 0; i < count; ++i) {
        const Row &row = rows[i];
        if (fitsDeliveredRun(row)) {
            size_t end = i + 1;
            while (end < count && fitsDeliveredRun(rows[end])
                   && rows[end].id == rows[end - 1].id + 1 && rows[end].httpStatus == row.httpStatus
                   && rows[end].attempts == row.attempts)
                ++end;
            if (end - i >= MinDeliveredRun) {
                if (!writeDeliveredRun(deliveredRun, rows + i, end - i))
                    return false;
                i = end - 1;
                continue;
            }
        }
        if (isLean(row)) {
            waiting[size_t(waitingCount++)] = &row;
            if (waitingCount == RowsPerInsert) {
                for (int w = 0; w < RowsPerInsert; ++w)
                    bindLean(leanMany, 1 + w * LeanColumns, *waiting[size_t(w)]);
                if (!leanMany.run())
                    return false;
                waitingCount = 0;
            }
            continue;
        }
        if (row.insert || row.change == Row::Change::Result) {
            // A delivery drops the payload in the same statement that records it.
            SqliteStatement &s = row.insert ? insert : row.setPayload ? resultAndPayload : result;
            bindOutcome(s, row);
            if (row.insert || row.setPayload)
                s.bindBlob(11, row.payload);
            if (row.insert) {
                const RowTexts noTexts;
                const RowTexts &t = row.texts ? *row.texts : noTexts;
                s.bindUtf8(12, row.key);
                s.bindText(13, textOrNull(t.url));
                s.bindUtf8(14, bytesOrNull(t.idempotencyKey));
                if (row.hasDigest)
                    s.bindInt(15, qint64(row.digest));
            }
            if (!(row.insert ? s.run() : runUpdate(db, s, row.id)))
                return false;
            s.reset();
            continue;
        }
        status.bindInt(1, row.id);
        status.bindInt(2, int(row.status));
        status.bindInt(3, row.attempts);
        if (!runUpdate(db, status, row.id))
            return false;
        status.reset();
    }
    for (int w = 0; w < waitingCount; ++w) {
        bindLean(lean, 1, *waiting[size_t(w)]);
        if (!lean.run())
            return false;
    }
    return true;
}

} // namespace sluice::journalwriter
