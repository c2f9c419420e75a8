// SPDX-License-Identifier: GPL-3.0-or-later
#include <atomic>
#include <memory>

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "db/rowsource.h"
#include "db/sqlrowreader.h"
#include "rowsourcerecorder.h"
#include "sqlitefixture.h"
#include "util/queuedcall.h"

using namespace Qt::StringLiterals;
using namespace sluice;

namespace {

using Recorder = RowSourceRecorder;

QStringList sourceConnections()
{
    return QSqlDatabase::connectionNames().filter(QRegularExpression(u"^sluice\\.source\\."_s));
}

QVariantList itemRow(qint64 i)
{
    return {i, u"item %1 grüße"_s.arg(i), double(i) + 0.25,
            QByteArray::number(i).prepend(QByteArray("\x00\xff", 2))};
}

} // namespace

class TstRowSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void chunking_data();
    void chunking();
    void columnsAndTypes();
    void nullsAreNull();
    void readerReadsOnlyOnRequest();
    void oneRequestOutstanding();
    void parametersAreBoundAsData_data();
    void parametersAreBoundAsData();
    void injectionLookingValueIsData();
    void parameterErrors_data();
    void parameterErrors();
    void qtPlaceholderDisagreement();
    void missingFile();
    void relativeFileUsesBaseDir();
    void driverNotAvailable();
    void sqlErrors_data();
    void sqlErrors();
    void sourceIsReadOnly();
    void connectionRemovedAfterDestruction();
    void destructionAtAnyPoint_data();
    void destructionAtAnyPoint();

private:
    /// A file with `rows` items (id 0..rows-1), made once per size.
    QString itemsFile(qint64 rows);
    ConnectionSettings sqlite(const QString &file) const;
    /// start(), then one request at a time until the end or a failure.
    void readAll(RowSource *source, Recorder *recorder);

    QTemporaryDir m_dir;
    QHash<qint64, QString> m_itemFiles;
};

void TstRowSource::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QSqlDatabase::isDriverAvailable(u"QSQLITE"_s));
}

void TstRowSource::init()
{
    // Qt SQL warns (and carries on) when handles outlive their connection or a connection
    // is used from the wrong thread: any warning is a failure here.
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

QString TstRowSource::itemsFile(qint64 rows)
{
    if (m_itemFiles.contains(rows))
        return m_itemFiles.value(rows);
    QList<QVariantList> data;
    for (qint64 i = 0; i < rows; ++i)
        data.append(itemRow(i));
    QString error;
    const QString file = SqliteFixture::create(
        m_dir.path(), u"items%1.db"_s.arg(rows),
        {u"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, data BLOB)"_s},
        u"items"_s, data, &error);
    if (file.isEmpty())
        qFatal("fixture: %s", qPrintable(error));
    m_itemFiles.insert(rows, file);
    return file;
}

ConnectionSettings TstRowSource::sqlite(const QString &file) const
{
    ConnectionSettings settings;
    settings.driver = u"QSQLITE"_s;
    settings.database = file;
    return settings;
}

void TstRowSource::readAll(RowSource *source, Recorder *recorder)
{
    source->start();
    QTRY_VERIFY(recorder->opened || !recorder->errors.isEmpty());
    QVERIFY2(recorder->errors.isEmpty(), qPrintable(recorder->errors.join(u'\n')));
    while (!source->isAtEnd()) {
        const qsizetype before = recorder->chunks.size();
        // Returns as soon as the (queued) signal arrives, unlike QTRY's 50 ms steps.
        QSignalSpy spy(source, &RowSource::chunkReady);
        source->requestChunk();
        QVERIFY(source->isFetching());
        QVERIFY(spy.wait(10000));
        QCOMPARE(recorder->chunks.size(), before + 1);
        QVERIFY(!source->isFetching());
        QVERIFY2(recorder->errors.isEmpty(), qPrintable(recorder->errors.join(u'\n')));
    }
}

void TstRowSource::chunking_data()
{
    QTest::addColumn<int>("chunkSize");
    QTest::addColumn<qint64>("rows");

    for (int chunkSize : {1, 7, 1000}) {
        QList<qint64> sizes;
        for (qint64 rows :
             {qint64(0), qint64(1), qint64(chunkSize) - 1, qint64(chunkSize), qint64(chunkSize) + 1,
              qint64(chunkSize) * 10, qint64(chunkSize) * 10 + 3}) {
            if (sizes.contains(rows))
                continue;
            sizes.append(rows);
            const QByteArray name
                = "chunk " + QByteArray::number(chunkSize) + ", rows " + QByteArray::number(rows);
            QTest::newRow(name.constData()) << chunkSize << rows;
        }
    }
}

void TstRowSource::chunking()
{
    QFETCH(int, chunkSize);
    QFETCH(qint64, rows);

    QuerySpec query;
    query.sql = u"SELECT id, name, price, data FROM items ORDER BY id"_s;
    RowSource source(sqlite(itemsFile(rows)), query, chunkSize, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;

    // Full chunks, then the rest; the atEnd chunk is the last with rows (an empty one only
    // when there are no rows at all).
    const qint64 expectedChunks = rows == 0 ? 1 : (rows + chunkSize - 1) / chunkSize;
    QCOMPARE(recorder.chunks.size(), expectedChunks);
    QCOMPARE(recorder.rowCount(), rows);
    qint64 next = 0;
    for (qsizetype c = 0; c < recorder.chunks.size(); ++c) {
        const RowChunk &chunk = recorder.chunks.at(c);
        QCOMPARE(chunk.firstId, next);
        QCOMPARE(chunk.atEnd, c == recorder.chunks.size() - 1);
        QCOMPARE(chunk.rows.size(), qMin<qint64>(chunkSize, rows - next));
        for (qsizetype r = 0; r < chunk.rows.size(); ++r) {
            const QVariantList &row = chunk.rows.at(r);
            const QVariantList expected = itemRow(chunk.firstId + r);
            QCOMPARE(row.size(), 4);
            QCOMPARE(row.at(0).toLongLong(), expected.at(0).toLongLong());
            QCOMPARE(row.at(1).toString(), expected.at(1).toString());
            QCOMPARE(row.at(2).toDouble(), expected.at(2).toDouble());
            QCOMPARE(row.at(3).toByteArray(), expected.at(3).toByteArray());
        }
        next += chunk.rows.size();
    }
    QVERIFY(source.isAtEnd());
    // Asking after the end does nothing.
    source.requestChunk();
    QVERIFY(!source.isFetching());
}

void TstRowSource::columnsAndTypes()
{
    QuerySpec query;
    query.sql = u"SELECT id, name AS label, price, data FROM items ORDER BY id"_s;
    RowSource source(sqlite(itemsFile(3)), query, 10, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;

    QCOMPARE(recorder.columns.size(), 4);
    const QStringList names = {u"id"_s, u"label"_s, u"price"_s, u"data"_s};
    for (qsizetype i = 0; i < names.size(); ++i) {
        QCOMPARE(recorder.columns.at(i).name, names.at(i));
        // SQLite has no time zones and no exact decimals that arrive as text.
        QVERIFY(!recorder.columns.at(i).timeZoneAware);
        QVERIFY(!recorder.columns.at(i).exactNumeric);
    }
    QCOMPARE(recorder.columns.at(0).metaTypeId, int(QMetaType::Int));
    QCOMPARE(recorder.columns.at(2).metaTypeId, int(QMetaType::Double));

    // Under HighPrecision QSQLITE still hands REAL over as double, INTEGER as qlonglong.
    const QVariantList row = recorder.chunks.first().rows.at(2);
    QCOMPARE(row.at(0).typeId(), int(QMetaType::LongLong));
    QCOMPARE(row.at(0).toLongLong(), 2);
    QCOMPARE(row.at(1).typeId(), int(QMetaType::QString));
    QCOMPARE(row.at(1).toString(), u"item 2 grüße"_s);
    QCOMPARE(row.at(2).typeId(), int(QMetaType::Double));
    QCOMPARE(row.at(2).toDouble(), 2.25);
    QCOMPARE(row.at(3).typeId(), int(QMetaType::QByteArray));
    QCOMPARE(row.at(3),
             QVariant(QByteArray("\x00\xff"
                                 "2",
                                 3)));
}

void TstRowSource::nullsAreNull()
{
    QString error;
    const QString file = SqliteFixture::create(
        m_dir.path(), u"nulls.db"_s, {u"CREATE TABLE n (i INTEGER, r REAL, t TEXT, b BLOB, v)"_s},
        u"n"_s,
        {{1, 1.5, u"x"_s, QByteArray("y"), 2},
         {QVariant(), QVariant(), QVariant(), QVariant(), QVariant()}},
        &error);
    QVERIFY2(!file.isEmpty(), qPrintable(error));

    QuerySpec query;
    query.sql = u"SELECT i, r, t, b, v FROM n ORDER BY i IS NULL"_s;
    RowSource source(sqlite(file), query, 10, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(recorder.rowCount(), 2);
    const QVariantList values = recorder.chunks.first().rows.at(0);
    const QVariantList nulls = recorder.chunks.first().rows.at(1);
    for (int i = 0; i < 5; ++i) {
        QVERIFY2(!values.at(i).isNull(), qPrintable(QString::number(i)));
        QVERIFY2(nulls.at(i).isNull(), qPrintable(QString::number(i)));
        QVERIFY2(!nulls.at(i).isValid(), qPrintable(QString::number(i)));
    }
}

void TstRowSource::readerReadsOnlyOnRequest()
{
    // The reader itself, in a thread of the test's: a blocking no-op call into that thread
    // returns after everything queued before it ran, so "nothing else came" is exact.
    QuerySpec query;
    query.sql = u"SELECT id FROM items ORDER BY id"_s;
    QThread thread;
    auto *reader = new SqlRowReader(sqlite(itemsFile(50)), query, 5, {});
    reader->moveToThread(&thread);
    connect(&thread, &QThread::finished, reader, &QObject::deleteLater);
    bool opened = false;
    QList<RowChunk> chunks;
    connect(reader, &SqlRowReader::opened, this, [&opened] { opened = true; });
    connect(reader, &SqlRowReader::chunkReady, this,
            [&chunks](const RowChunk &chunk) { chunks.append(chunk); });
    thread.start();
    // Waits until the reader's thread has run everything queued before. Every call into the
    // reader's thread goes through invokeQueued(), which under ThreadSanitizer hands over what
    // this thread did before (a plain invokeMethod's functor looked like a race: Qt's queue is
    // invisible to it); an atomic, not a BlockingQueuedConnection, whose semaphore it cannot see.
    const auto settle = [reader] {
        std::atomic<bool> done {false};
        invokeQueued(reader, [&done] { done.store(true, std::memory_order_release); });
        while (!done.load(std::memory_order_acquire))
            QThread::yieldCurrentThread();
        QCoreApplication::processEvents();
    };

    invokeQueued(reader, &SqlRowReader::open);
    settle();
    QVERIFY(opened);
    QCOMPARE(chunks.size(), 0);

    invokeQueued(reader, &SqlRowReader::fetchChunk);
    settle();
    QCOMPARE(chunks.size(), 1);
    settle();
    QCOMPARE(chunks.size(), 1);

    invokeQueued(reader, &SqlRowReader::fetchChunk);
    settle();
    QCOMPARE(chunks.size(), 2);
    QCOMPARE(chunks.at(1).firstId, 5);
    QCOMPARE(chunks.at(1).rows.size(), 5);
    QCOMPARE(chunks.at(1).rows.first().first().toLongLong(), 5);

    // close() is idempotent, and afterwards requests are ignored.
    invokeQueued(reader, &SqlRowReader::close);
    invokeQueued(reader, &SqlRowReader::close);
    invokeQueued(reader, &SqlRowReader::fetchChunk);
    settle();
    QCOMPARE(chunks.size(), 2);
    QVERIFY(sourceConnections().isEmpty());

    thread.quit();
    QVERIFY(thread.wait());
}

void TstRowSource::oneRequestOutstanding()
{
    QuerySpec query;
    query.sql = u"SELECT id FROM items ORDER BY id"_s;
    RowSource source(sqlite(itemsFile(70)), query, 7, {});
    Recorder recorder;
    recorder.listen(this, &source);

    // Before start() nothing can be asked for.
    source.requestChunk();
    QVERIFY(!source.isFetching());

    source.start();
    QTRY_VERIFY(recorder.opened);
    QCOMPARE(recorder.chunks.size(), 0);
    source.requestChunk();
    source.requestChunk();
    source.requestChunk();
    QVERIFY(source.isFetching());
    QTRY_COMPARE(recorder.chunks.size(), 1);
    QVERIFY(!source.isFetching());
    QCOMPARE(recorder.chunks.first().firstId, 0);
    QCOMPARE(recorder.chunks.first().rows.size(), 7);

    // The next chunk continues where the first ended: the extra requests read nothing.
    source.requestChunk();
    QTRY_COMPARE(recorder.chunks.size(), 2);
    QCOMPARE(recorder.chunks.at(1).firstId, 7);
    QVERIFY(!recorder.chunks.at(1).atEnd);
    QVERIFY(!source.isAtEnd());
    QVERIFY(recorder.errors.isEmpty());
}

void TstRowSource::parametersAreBoundAsData_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QVariantMap>("parameters");
    QTest::addColumn<QList<qint64>>("ids");

    QTest::newRow("text") << u"SELECT id FROM items WHERE name = :name"_s
                          << QVariantMap {{u"name"_s, u"item 4 grüße"_s}} << QList<qint64> {4};
    QTest::newRow("integer and real")
        << u"SELECT id FROM items WHERE id >= :low AND price < :high ORDER BY id"_s
        << QVariantMap {{u"low"_s, 3}, {u"high"_s, 6.0}} << QList<qint64> {3, 4, 5};
    QTest::newRow("same name twice")
        << u"SELECT id FROM items WHERE id = :n OR id = :n + 1 ORDER BY id"_s
        << QVariantMap {{u"n"_s, qint64(7)}} << QList<qint64> {7, 8};
    QTest::newRow("bool") << u"SELECT id FROM items WHERE (id = 1) = :flag AND id < 3"_s
                          << QVariantMap {{u"flag"_s, true}} << QList<qint64> {1};
    QTest::newRow("null matches nothing")
        << u"SELECT id FROM items WHERE name = :name"_s << QVariantMap {{u"name"_s, QVariant()}}
        << QList<qint64> {};
    QTest::newRow("next to quotes")
        << u"SELECT id AS \":id\" FROM items WHERE id = :id AND name <> ':id'"_s
        << QVariantMap {{u"id"_s, 2}} << QList<qint64> {2};
}

void TstRowSource::parametersAreBoundAsData()
{
    QFETCH(QString, sql);
    QFETCH(QVariantMap, parameters);
    QFETCH(QList<qint64>, ids);

    QuerySpec query;
    query.sql = sql;
    for (auto it = parameters.cbegin(); it != parameters.cend(); ++it)
        query.parameters.insert(it.key(), it.value());
    RowSource source(sqlite(itemsFile(10)), query, 100, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;
    QList<qint64> found;
    for (const RowChunk &chunk : recorder.chunks) {
        for (const QVariantList &row : chunk.rows)
            found.append(row.first().toLongLong());
    }
    QCOMPARE(found, ids);
}

void TstRowSource::injectionLookingValueIsData()
{
    const QString file = itemsFile(10);
    QuerySpec query;
    query.sql = u"SELECT id FROM items WHERE name = :name"_s;
    query.parameters.insert(u"name"_s, u"x' OR '1'='1'; DROP TABLE items; --"_s);
    RowSource source(sqlite(file), query, 100, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(recorder.chunks.size(), 1);
    QCOMPARE(recorder.rowCount(), 0);

    QList<QVariantList> rows;
    QString error;
    QVERIFY2(SqliteFixture::select(file, u"SELECT count(*) FROM items"_s, &rows, &error),
             qPrintable(error));
    QCOMPARE(rows.first().first().toInt(), 10);
}

void TstRowSource::parameterErrors_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QVariantMap>("parameters");
    QTest::addColumn<QString>("message");

    QTest::newRow("missing value")
        << u"SELECT * FROM items WHERE name >= :startdate"_s << QVariantMap()
        << u"query.parameters: the query uses :startdate but no value is given"_s;
    QTest::newRow("unused parameter")
        << u"SELECT * FROM items WHERE id = :id"_s << QVariantMap {{u"id"_s, 1}, {u"x"_s, 2}}
        << u"query.parameters.x: the query has no parameter :x"_s;
    QTest::newRow("parameter only in a comment")
        << u"SELECT * FROM items -- :x"_s << QVariantMap {{u"x"_s, 2}}
        << u"query.parameters.x: the query has no parameter :x"_s;
    QTest::newRow("all problems") << u"SELECT * FROM items WHERE id = :a OR id = :b"_s
                                  << QVariantMap {{u"b"_s, 1}, {u"c"_s, 2}}
                                  << u"query.parameters: the query uses :a but no value is given\n"
                                     "query.parameters.c: the query has no parameter :c"_s;
}

void TstRowSource::parameterErrors()
{
    QFETCH(QString, sql);
    QFETCH(QVariantMap, parameters);
    QFETCH(QString, message);

    QuerySpec query;
    query.sql = sql;
    for (auto it = parameters.cbegin(); it != parameters.cend(); ++it)
        query.parameters.insert(it.key(), it.value());
    RowSource source(sqlite(itemsFile(10)), query, 100, {});
    Recorder recorder;
    recorder.listen(this, &source);
    source.start();
    source.requestChunk(); // waits behind the opening, then is dropped with it
    QTRY_COMPARE(recorder.errors.size(), 1);
    QCOMPARE(recorder.errors.first(), message);
    QCOMPARE(recorder.errorKinds, QList {SourceFailure::Kind::Configuration});
    QVERIFY(!recorder.opened);
    QVERIFY(source.hasFailed());
    QVERIFY(!source.isFetching());
    QCOMPARE(recorder.chunks.size(), 0);
    QVERIFY(sourceConnections().isEmpty());
}

void TstRowSource::qtPlaceholderDisagreement()
{
    // Qt reads ":00" inside the comment as a placeholder and would bind values to it.
    QuerySpec query;
    query.sql = u"SELECT id FROM items /* after 12:00 */ WHERE id = :id"_s;
    query.parameters.insert(u"id"_s, 1);
    RowSource source(sqlite(itemsFile(10)), query, 100, {});
    Recorder recorder;
    recorder.listen(this, &source);
    source.start();
    QTRY_COMPARE(recorder.errors.size(), 1);
    QVERIFY2(recorder.errors.first().startsWith(
                 u"query: Qt finds 2 parameter marker(s) in the SQL where Sluice finds 1"_s),
             qPrintable(recorder.errors.first()));
}

void TstRowSource::missingFile()
{
    const QString file = m_dir.filePath(u"missing/none.db"_s);
    QuerySpec query;
    query.sql = u"SELECT 1"_s;
    RowSource source(sqlite(file), query, 100, {});
    Recorder recorder;
    recorder.listen(this, &source);
    source.start();
    QTRY_COMPARE(recorder.errors.size(), 1);
    QCOMPARE(recorder.errors.first(),
             u"source.database: SQLite file \"%1\" does not exist"_s.arg(file));
    QCOMPARE(recorder.errorKinds, QList {SourceFailure::Kind::Configuration});
    QVERIFY(!QFile::exists(file));
    QVERIFY(!QFile::exists(m_dir.filePath(u"missing"_s)));
}

void TstRowSource::relativeFileUsesBaseDir()
{
    const QString file = itemsFile(3);
    ConnectionSettings settings = sqlite(QFileInfo(file).fileName());
    settings.baseDir = QFileInfo(file).absolutePath();
    QuerySpec query;
    query.sql = u"SELECT id FROM items"_s;
    RowSource source(settings, query, 100, {});
    Recorder recorder;
    recorder.listen(this, &source);
    readAll(&source, &recorder);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(recorder.rowCount(), 3);
}

void TstRowSource::driverNotAvailable()
{
    ConnectionSettings settings;
    settings.driver = u"QFOO"_s;
    settings.database = u"x"_s;
    QuerySpec query;
    query.sql = u"SELECT 1"_s;
    RowSource source(settings, query, 100, {});
    Recorder recorder;
    recorder.listen(this, &source);
    source.start();
    QTRY_COMPARE(recorder.errors.size(), 1);
    const QString expected = u"source.driver: the Qt SQL driver \"QFOO\" is not available "
                             "(installed: %1)"_s.arg(QSqlDatabase::drivers().join(u", "_s));
    QCOMPARE(recorder.errors.first(), expected);
    QCOMPARE(recorder.errorKinds, QList {SourceFailure::Kind::Configuration});
    QVERIFY(recorder.errors.first().contains(u"QSQLITE"_s));
    QVERIFY(sourceConnections().isEmpty());
}

void TstRowSource::sqlErrors_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("contains");
    QTest::addColumn<SourceFailure::Kind>("kind");

    // What the database rejects is its failure; an empty query is the transfer's.
    const auto database = SourceFailure::Kind::Database;
    QTest::newRow("syntax") << u"SELEC id FROM items"_s << u"query: "_s
                            << u"near \"SELEC\": syntax error"_s << database;
    QTest::newRow("no such table")
        << u"SELECT * FROM nothere"_s << u"query: "_s << u"no such table: nothere"_s << database;
    QTest::newRow("no such column") << u"SELECT nocolumn FROM items"_s << u"query: "_s
                                    << u"no such column: nocolumn"_s << database;
    QTest::newRow("empty") << u"  \n"_s << u"query.sql: "_s << u"empty"_s
                           << SourceFailure::Kind::Configuration;
}

void TstRowSource::sqlErrors()
{
    QFETCH(QString, sql);
    QFETCH(QString, start);
    QFETCH(QString, contains);
    QFETCH(SourceFailure::Kind, kind);

    QuerySpec query;
    query.sql = sql;
    RowSource source(sqlite(itemsFile(10)), query, 100, {});
    Recorder recorder;
    recorder.listen(this, &source);
    source.start();
    QTRY_COMPARE(recorder.errors.size(), 1);
    const QString message = recorder.errors.first();
    QVERIFY2(message.startsWith(start) && message.contains(contains), qPrintable(message));
    QCOMPARE(recorder.errorKinds, QList {kind});
    QVERIFY(!recorder.opened);
    QVERIFY(sourceConnections().isEmpty());
}

void TstRowSource::sourceIsReadOnly()
{
    QString error;
    const QString file
        = SqliteFixture::create(m_dir.path(), u"readonly.db"_s, {u"CREATE TABLE t (v INTEGER)"_s},
                                u"t"_s, {{1}, {2}}, &error);
    QVERIFY2(!file.isEmpty(), qPrintable(error));
    for (const QString &sql : {u"DELETE FROM t"_s, u"CREATE TABLE u (w)"_s}) {
        QuerySpec query;
        query.sql = sql;
        RowSource source(sqlite(file), query, 100, {});
        Recorder recorder;
        recorder.listen(this, &source);
        source.start();
        QTRY_COMPARE(recorder.errors.size(), 1);
        QVERIFY2(recorder.errors.first().startsWith(u"query: "_s),
                 qPrintable(recorder.errors.first()));
    }
    QList<QVariantList> rows;
    QVERIFY2(SqliteFixture::select(file, u"SELECT count(*) FROM t"_s, &rows, &error),
             qPrintable(error));
    QCOMPARE(rows.first().first().toInt(), 2);
    QVERIFY2(SqliteFixture::select(file, u"SELECT name FROM sqlite_master"_s, &rows, &error),
             qPrintable(error));
    QCOMPARE(rows.size(), 1);
}

void TstRowSource::connectionRemovedAfterDestruction()
{
    QVERIFY(sourceConnections().isEmpty());
    QuerySpec query;
    query.sql = u"SELECT id FROM items"_s;
    {
        RowSource first(sqlite(itemsFile(70)), query, 7, {});
        RowSource second(sqlite(itemsFile(70)), query, 7, {});
        Recorder one;
        Recorder two;
        one.listen(this, &first);
        two.listen(this, &second);
        first.start();
        second.start();
        QTRY_VERIFY(one.opened && two.opened);
        // One connection each, under names of their own.
        QCOMPARE(sourceConnections().size(), 2);
        first.requestChunk();
        QTRY_COMPARE(one.chunks.size(), 1);
    }
    // The readers close their connections in the background, at once.
    QTRY_VERIFY(sourceConnections().isEmpty());

    // A source read to its end gives its connection back without waiting for destruction.
    RowSource third(sqlite(itemsFile(3)), query, 7, {});
    Recorder recorder;
    recorder.listen(this, &third);
    readAll(&third, &recorder);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(sourceConnections().isEmpty());
}

void TstRowSource::destructionAtAnyPoint_data()
{
    QTest::addColumn<int>("stage");
    QTest::newRow("never started") << 0;
    QTest::newRow("right after start") << 1;
    QTest::newRow("opened") << 2;
    QTest::newRow("while fetching") << 3;
    QTest::newRow("mid-stream") << 4;
    QTest::newRow("at the end") << 5;
    QTest::newRow("after failing") << 6;
}

void TstRowSource::destructionAtAnyPoint()
{
    QFETCH(int, stage);
    QuerySpec query;
    query.sql = stage == 6 ? u"SELEC"_s : u"SELECT id, name FROM items ORDER BY id"_s;
    auto source = std::make_unique<RowSource>(sqlite(itemsFile(2000)), query, 100, QString());
    Recorder recorder;
    recorder.listen(this, source.get());
    if (stage >= 1)
        source->start();
    if (stage >= 2 && stage != 6)
        QTRY_VERIFY(recorder.opened);
    if (stage == 3)
        source->requestChunk();
    if (stage == 4) {
        source->requestChunk();
        QTRY_COMPARE(recorder.chunks.size(), 1);
    }
    if (stage == 5) {
        while (!source->isAtEnd()) {
            const qsizetype before = recorder.chunks.size();
            source->requestChunk();
            QTRY_COMPARE(recorder.chunks.size(), before + 1);
        }
    }
    if (stage == 6)
        QTRY_COMPARE(recorder.errors.size(), 1);

    source.reset();
    QTRY_VERIFY(sourceConnections().isEmpty());
    // Nothing arrives from a destroyed source.
    const qsizetype chunks = recorder.chunks.size();
    QCoreApplication::processEvents();
    QCOMPARE(recorder.chunks.size(), chunks);
}

QTEST_GUILESS_MAIN(TstRowSource)
#include "tst_rowsource.moc"
