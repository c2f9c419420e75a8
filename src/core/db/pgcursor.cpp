// SPDX-License-Identifier: GPL-3.0-or-later
#include "pgcursor.h"

#include <QHash>
#include <QSet>
#include <QSqlDatabase>

#include "db/libpq.h"
#include "db/pgvalues.h"
#include "db/sqlparameters.h"
#include "json/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

constexpr const char *StatementName = "sluice_source";

/// A PGresult that is cleared when it goes.
class PgResult
{
public:
    PgResult(const Libpq &api, void *result)
        : m_api(api)
        , m_result(result)
    { }
    PgResult(const PgResult &) = delete;
    PgResult &operator=(const PgResult &) = delete;
    ~PgResult()
    {
        if (m_result)
            m_api.clear(m_result);
    }
    void *get() const { return m_result; }
    int status() const { return m_result ? m_api.resultStatus(m_result) : Libpq::FatalError; }
    bool isNull() const { return m_result == nullptr; }

private:
    const Libpq &m_api;
    void *m_result;
};

QString messageOf(const Libpq &api, void *conn, const PgResult &result)
{
    QString text = result.isNull() ? QString::fromUtf8(api.errorMessage(conn))
                                   : QString::fromUtf8(api.resultErrorMessage(result.get()));
    text = text.trimmed();
    return text.isEmpty() ? u"the server gave no reason"_s : text;
}

/// A parameter's value in PostgreSQL's text input form; null for NULL.
QByteArray parameterText(const QVariant &value)
{
    if (value.isNull())
        return {};
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? "true"_ba : "false"_ba;
    case QMetaType::Double:
        return JsonWriter::formatDouble(value.toDouble());
    case QMetaType::QByteArray:
        return value.toByteArray();
    default:
        return value.toString().toUtf8();
    }
}

/// The types of the result's columns: built-in ones by their OID, the others (enums,
/// domains, extension types, arrays of those) from pg_type, in rounds (a domain over an
/// array of an enum takes three).
bool resolveTypes(const Libpq &api, void *conn, const QList<Libpq::Oid> &oids,
                  QHash<Libpq::Oid, pg::Type> *types, QString *error)
{
    struct CatalogueRow
    {
        char typtype;
        char category;
        Libpq::Oid base;
        Libpq::Oid element;
        char delimiter;
    };
    QHash<Libpq::Oid, CatalogueRow> catalogue;
    QList<Libpq::Oid> wanted = oids;
    for (int round = 0; round < 4 && !wanted.isEmpty(); ++round) {
        QByteArray list = "{";
        QSet<Libpq::Oid> asked;
        for (const Libpq::Oid oid : std::as_const(wanted)) {
            if (pg::builtinType(oid) || catalogue.contains(oid) || asked.contains(oid))
                continue;
            asked.insert(oid);
            if (list.size() > 1)
                list.append(',');
            list.append(QByteArray::number(oid));
        }
        list.append('}');
        wanted.clear();
        if (asked.isEmpty())
            break;
        const char *values[] = {list.constData()};
        const PgResult result(api,
                              api.execParams(conn,
                                             "SELECT oid, typtype, typcategory, typbasetype, "
                                             "typelem, typdelim FROM pg_catalog.pg_type "
                                             "WHERE oid = ANY($1::pg_catalog.oid[])",
                                             1, nullptr, values, nullptr, nullptr, 0));
        if (result.status() != Libpq::TuplesOk) {
            *error = u"query: the column types cannot be read from pg_type: "_s
                + messageOf(api, conn, result);
            return false;
        }
        for (int i = 0; i < api.ntuples(result.get()); ++i) {
            const auto field = [&](int f) {
                return api.getvalue(result.get(), i, f);
            };
            const CatalogueRow row {field(1)[0], field(2)[0],
                                    Libpq::Oid(QByteArray(field(3)).toUInt()),
                                    Libpq::Oid(QByteArray(field(4)).toUInt()), field(5)[0]};
            catalogue.insert(Libpq::Oid(QByteArray(field(0)).toUInt()), row);
            if (row.typtype == 'd')
                wanted.append(row.base);
            else if (row.category == 'A' && row.element != 0)
                wanted.append(row.element);
        }
    }

    // The scalar type an OID stands for: built in, or by the catalogue (a domain as its base
    // type, anything else as text).
    const auto scalar = [&](Libpq::Oid oid) {
        for (int depth = 0; depth < 8; ++depth) {
            if (const std::optional<pg::Type> builtin = pg::builtinType(oid))
                return *builtin;
            const auto it = catalogue.constFind(oid);
            if (it == catalogue.cend() || it->typtype != 'd')
                break;
            oid = it->base;
        }
        return pg::Type {};
    };
    for (const Libpq::Oid oid : oids) {
        pg::Type type = scalar(oid);
        Libpq::Oid arrayOid = oid;
        for (int depth = 0; depth < 8; ++depth) { // a domain over an array
            const auto it = catalogue.constFind(arrayOid);
            if (it == catalogue.cend())
                break;
            if (it->category == 'A' && it->element != 0) {
                const pg::Type element = scalar(it->element);
                type = pg::Type {pg::Kind::Array,
                                 element.kind == pg::Kind::Array ? pg::Kind::Text : element.kind,
                                 catalogue.value(it->element).delimiter
                                     ? catalogue.value(it->element).delimiter
                                     : ','};
                break;
            }
            if (it->typtype != 'd')
                break;
            arrayOid = it->base;
        }
        types->insert(oid, type);
    }
    return true;
}

class PgCursor final : public RowCursor
{
public:
    PgCursor(const Libpq &api, void *conn, ColumnList columns, QList<pg::Type> types)
        : m_api(api)
        , m_conn(conn)
        , m_columns(std::move(columns))
        , m_types(std::move(types))
    { }

    const ColumnList &columns() const override { return m_columns; }

    Step next(QVariantList *row) override
    {
        const PgResult result(m_api, m_api.getResult(m_conn));
        switch (result.status()) {
        case Libpq::SingleTuple:
            if (row)
                readRow(result.get(), row);
            return Step::Row;
        case Libpq::TuplesOk:
            drain();
            return Step::End;
        default:
            // No result before the one that ends the rows (PGRES_TUPLES_OK) means the answer
            // broke off (libpq normally reports a lost connection as an error result first):
            // an error, never a quiet end that would drop the rows still to come.
            m_error = messageOf(m_api, m_conn, result);
            if (!result.isNull())
                drain();
            return Step::Error;
        }
    }

    QString errorText() const override { return m_error; }

private:
    void readRow(void *result, QVariantList *row) const
    {
        const int count = int(m_columns.size());
        row->clear();
        row->reserve(count);
        for (int i = 0; i < count; ++i) {
            if (m_api.getisnull(result, 0, i)) {
                row->append(QVariant());
                continue;
            }
            row->append(pg::value(
                m_types.at(i),
                QByteArrayView(m_api.getvalue(result, 0, i), m_api.getlength(result, 0, i))));
        }
    }

    /// Reads what is left of the statement's answer, so the connection is idle again.
    void drain()
    {
        while (void *rest = m_api.getResult(m_conn))
            m_api.clear(rest);
    }

    const Libpq &m_api;
    void *m_conn;
    ColumnList m_columns;
    QList<pg::Type> m_types;
    QString m_error;
};

} // namespace

namespace {

/// What preparing the query found: its parameters in $n order, its columns and their types.
struct PgStatement
{
    QStringList names;
    ColumnList columns;
    QList<pg::Type> types;
};

/// Sets the session up, prepares the query as the statement StatementName and describes it
/// (columns and their types), without running it. On failure returns nullopt with *error
/// set ("query: ...").
std::optional<PgStatement> preparePgStatement(const Libpq &api, void *conn, const QuerySpec &spec,
                                              QString *error)
{
    const auto failed = [&](const QString &what, const PgResult &result) {
        *error = "query: "_L1 + what + messageOf(api, conn, result);
        return std::nullopt;
    };

    // Output forms the value readers expect, whatever the server's defaults: ISO dates,
    // ISO 8601 intervals, hex bytea, and floats with every digit (PostgreSQL 12 and later
    // then write the shortest exact form; older ones 17 significant digits).
    {
        const PgResult result(api,
                              api.exec(conn,
                                       "SET datestyle = 'ISO'; "
                                       "SET intervalstyle = 'iso_8601'; "
                                       "SET bytea_output = 'hex'; "
                                       "SET extra_float_digits = 3"));
        if (result.status() != Libpq::CommandOk)
            return failed(u"the session cannot be set up: "_s, result);
    }

    PgStatement statement;
    statement.names = findSqlParameters(spec.sql);
    const QByteArray sql = toPositionalParameters(spec.sql, statement.names).toUtf8();
    {
        const PgResult result(api,
                              api.prepare(conn, StatementName, sql.constData(),
                                          int(statement.names.size()), nullptr));
        if (result.status() != Libpq::CommandOk)
            return failed({}, result);
    }
    QList<Libpq::Oid> oids;
    {
        const PgResult result(api, api.describePrepared(conn, StatementName));
        if (result.status() != Libpq::CommandOk)
            return failed({}, result);
        const int count = api.nfields(result.get());
        if (count == 0) {
            *error = u"query: the statement returns no rows (a source query must be a SELECT)"_s;
            return std::nullopt;
        }
        for (int i = 0; i < count; ++i) {
            ColumnInfo column;
            column.name = QString::fromUtf8(api.fname(result.get(), i));
            oids.append(api.ftype(result.get(), i));
            column.nativeTypeId = int(oids.constLast());
            statement.columns.append(column);
        }
    }
    QHash<Libpq::Oid, pg::Type> typeOf;
    if (!resolveTypes(api, conn, oids, &typeOf, error))
        return std::nullopt;
    for (qsizetype i = 0; i < statement.columns.size(); ++i) {
        statement.types.append(typeOf.value(oids.at(i)));
        pg::describeColumn(statement.types.constLast(), &statement.columns[i]);
    }
    return statement;
}

} // namespace

std::unique_ptr<RowCursor> openPgCursor(const QString &connectionName, const QuerySpec &spec,
                                        QString *error)
{
    const Libpq *api = Libpq::get();
    void *conn = postgresConnection(QSqlDatabase::database(connectionName, false));
    if (!api || !conn) {
        *error = u"query: PostgreSQL's client library (libpq) cannot be used"_s;
        return nullptr;
    }
    std::optional<PgStatement> statement = preparePgStatement(*api, conn, spec, error);
    if (!statement)
        return nullptr;

    QList<QByteArray> texts;
    QList<const char *> values;
    for (const QString &name : std::as_const(statement->names)) {
        const QVariant value = spec.parameters.value(name);
        texts.append(parameterText(value));
        values.append(value.isNull() ? nullptr : texts.constLast().constData());
    }
    if (!api->sendQueryPrepared(conn, StatementName, int(values.size()), values.constData(),
                                nullptr, nullptr, 0)
        || !api->setSingleRowMode(conn)) {
        *error = "query: "_L1 + QString::fromUtf8(api->errorMessage(conn)).trimmed();
        while (void *rest = api->getResult(conn))
            api->clear(rest);
        return nullptr;
    }
    return std::make_unique<PgCursor>(*api, conn, std::move(statement->columns),
                                      std::move(statement->types));
}

std::optional<ColumnList> describePgQuery(const QString &connectionName, const QuerySpec &spec,
                                          QString *error)
{
    const Libpq *api = Libpq::get();
    void *conn = postgresConnection(QSqlDatabase::database(connectionName, false));
    if (!api || !conn) {
        *error = u"query: PostgreSQL's client library (libpq) cannot be used"_s;
        return std::nullopt;
    }
    std::optional<PgStatement> statement = preparePgStatement(*api, conn, spec, error);
    if (!statement)
        return std::nullopt;
    // The connection may be used again: the statement goes.
    const PgResult dropped(*api, api->exec(conn, "DEALLOCATE sluice_source"));
    return std::move(statement->columns);
}

} // namespace sluice
