// SPDX-License-Identifier: GPL-3.0-or-later
#include "demostore.h"

using namespace Qt::StringLiterals;

namespace sluice {

qsizetype DemoStore::count(const QString &collection) const
{
    return documents(collection).size();
}

const DemoStore::Document *DemoStore::find(const QString &collection, const QString &id) const
{
    const auto it = m_collections.constFind(collection);
    if (it == m_collections.cend())
        return nullptr;
    const auto index = it->indexById.constFind(id);
    return index == it->indexById.cend() ? nullptr : &it->documents.at(*index);
}

const QList<DemoStore::Document> &DemoStore::documents(const QString &collection) const
{
    static const QList<Document> none;
    const auto it = m_collections.constFind(collection);
    return it == m_collections.cend() ? none : it->documents;
}

QStringList DemoStore::collections() const
{
    QStringList names = m_collections.keys();
    names.sort();
    return names;
}

DemoStore::Stored DemoStore::store(const QString &collection, const QString &id,
                                   const QByteArray &source)
{
    Collection &c = m_collections[collection];
    const auto index = c.indexById.constFind(id);
    if (index != c.indexById.cend()) {
        Document &document = c.documents[*index];
        document.source = source;
        return {id, ++document.version, false};
    }
    c.indexById.insert(id, c.documents.size());
    c.documents.append(Document {id, source, 1});
    return {id, 1, true};
}

DemoStore::Removed DemoStore::remove(const QString &collection, const QString &id)
{
    const auto it = m_collections.find(collection);
    if (it == m_collections.end())
        return Removed::Nothing;
    const auto index = it->indexById.constFind(id);
    if (index == it->indexById.cend())
        return Removed::Nothing;
    const qsizetype position = *index;
    it->indexById.erase(index);
    it->documents.removeAt(position);
    // Deletes are rare in a demo; renumbering the tail keeps inserts and lookups O(1).
    for (qsizetype i = position; i < it->documents.size(); ++i)
        it->indexById[it->documents.at(i).id] = i;
    if (!it->documents.isEmpty())
        return Removed::Document;
    m_collections.erase(it);
    return Removed::LastDocument;
}

bool DemoStore::removeCollection(const QString &collection)
{
    return m_collections.remove(collection);
}

void DemoStore::clear()
{
    m_collections.clear();
}

QString DemoStore::generateId(const QString &collection)
{
    const auto it = m_collections.constFind(collection);
    QString id;
    do {
        id = u"auto-"_s % QString::number(++m_nextGeneratedId);
    } while (it != m_collections.cend() && it->indexById.contains(id));
    return id;
}

} // namespace sluice
