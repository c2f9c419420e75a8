// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace sluice {

// What the demo API holds: named collections of JSON documents by id, each collection in
// insertion order (a replaced document keeps its place). A collection exists while it has
// documents. No signals and no HTTP: DemoApiServer answers requests and reports changes.
// Not synchronised: one thread at a time.
class DemoStore final
{
public:
    struct Document
    {
        QString id;
        QByteArray source; // valid JSON text of an object
        int version = 1;
    };
    // What store() did.
    struct Stored
    {
        QString id;
        int version = 1;
        bool created = false; // false: it replaced a document
    };
    enum class Removed { Nothing, Document, LastDocument };

    qsizetype count(const QString &collection) const;
    // The stored document, or null (valid until the store changes).
    const Document *find(const QString &collection, const QString &id) const;
    // The documents of collection in insertion order; empty when there is no such one.
    const QList<Document> &documents(const QString &collection) const;
    // Names of the collections, sorted.
    QStringList collections() const;

    // Stores source under id, replacing (and counting up the version of) a document with
    // that id.
    Stored store(const QString &collection, const QString &id, const QByteArray &source);
    // LastDocument: the collection is gone with it.
    Removed remove(const QString &collection, const QString &id);
    // False if there was no such collection.
    bool removeCollection(const QString &collection);
    // Drops every collection; generated ids keep counting.
    void clear();
    // "auto-<n>", unused in collection.
    QString generateId(const QString &collection);

private:
    struct Collection
    {
        QHash<QString, qsizetype> indexById; // id -> position in documents
        QList<Document> documents; // insertion order
    };

    QHash<QString, Collection> m_collections;
    quint64 m_nextGeneratedId = 0;
};

} // namespace sluice
