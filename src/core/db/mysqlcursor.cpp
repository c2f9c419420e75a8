// SPDX-License-Identifier: GPL-3.0-or-later
#include "mysqlcursor.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include <QLibrary>
#include <QSqlDatabase>
#include <QSqlDriver>

#include <mysql.h>

#include "db/sqllexer.h"
#include "log/logging.h"
#include "types/sourcevalue.h"
#include "json/jsonreader.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// The client library's functions, resolved once from the libmariadb.so.3 that the QMYSQL
/// plugin links (Debian's libqt6sql6-mysql does; ldd shows libmariadb.so.3).
struct MariaDbApi
{
#define SLUICE_MARIADB_FUNCTIONS(X) \
    X(mysql_stmt_init) \
    X(mysql_stmt_prepare) \
    X(mysql_stmt_param_count) \
    X(mysql_stmt_bind_param) \
    X(mysql_stmt_execute) \
    X(mysql_stmt_result_metadata) \
    X(mysql_stmt_bind_result) \
    X(mysql_stmt_fetch) \
    X(mysql_stmt_fetch_column) \
    X(mysql_stmt_close) \
    X(mysql_stmt_error) \
    X(mysql_num_fields) \
    X(mysql_fetch_field_direct) \
    X(mysql_free_result) \
    X(mariadb_field_attr) \
    X(mariadb_cancel) \
    X(mysql_real_query) \
    X(mysql_error)

#define SLUICE_DECLARE(name) decltype(&::name) name = nullptr;
    SLUICE_MARIADB_FUNCTIONS(SLUICE_DECLARE)
#undef SLUICE_DECLARE

    bool valid = false;

    static const MariaDbApi &instance()
    {
        static const MariaDbApi api = [] {
            MariaDbApi a;
            QLibrary library(u"mariadb"_s, 3);
            bool all = true;
#define SLUICE_RESOLVE(name) \
    a.name = reinterpret_cast<decltype(&::name)>(library.resolve(#name)); \
    all = all && a.name != nullptr;
            SLUICE_MARIADB_FUNCTIONS(SLUICE_RESOLVE)
#undef SLUICE_RESOLVE
            a.valid = all;
            return a;
        }();
        return api;
    }
};

constexpr unsigned BinaryCharset = 63; // MySQL's "binary" character set number
constexpr unsigned long InitialTextBuffer = 256;

/// What a column's values become.
enum class Form {
    Signed,
    Unsigned,
    Bit,
    Float,
    Double,
    Decimal,
    Temporal,
    Text,
    Json,
    Bytes,
    Null
};

struct Column
{
    Form form = Form::Text;
    enum_field_types type = MYSQL_TYPE_STRING;
    unsigned decimals = 0;
    // Bound result storage
    long long integer = 0;
    float real32 = 0;
    double real64 = 0;
    MYSQL_TIME time {};
    std::vector<char> buffer;
    unsigned long length = 0;
    my_bool isNull = 0;
    my_bool error = 0;
};

bool isJsonField(const MariaDbApi &api, MYSQL_FIELD *field)
{
    if (int(field->type) == 245) // MYSQL_TYPE_JSON: MySQL's own JSON type
        return true;
    // MariaDB's JSON is LONGTEXT with a check; the server names the format in its
    // extended metadata, which libmariadb asks for by default (MariaDB 10.5+).
    MARIADB_CONST_STRING format {};
    return api.mariadb_field_attr(&format, field, MARIADB_FIELD_ATTR_FORMAT_NAME) == 0
        && format.length == 4 && std::memcmp(format.str, "json", 4) == 0;
}

Form formOf(const MariaDbApi &api, MYSQL_FIELD *field)
{
    switch (field->type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        return (field->flags & UNSIGNED_FLAG) ? Form::Unsigned : Form::Signed;
    case MYSQL_TYPE_BIT:
        return Form::Bit;
    case MYSQL_TYPE_FLOAT:
        return Form::Float;
    case MYSQL_TYPE_DOUBLE:
        return Form::Double;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
        return Form::Decimal;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_DATETIME2:
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIMESTAMP2:
    case MYSQL_TYPE_TIME:
    case MYSQL_TYPE_TIME2:
        return Form::Temporal;
    case MYSQL_TYPE_NULL:
        return Form::Null;
    default:
        break;
    }
    if (isJsonField(api, field))
        return Form::Json;
    return field->charsetnr == BinaryCharset ? Form::Bytes : Form::Text;
}

int metaTypeOf(Form form)
{
    switch (form) {
    case Form::Signed:
        return QMetaType::LongLong;
    case Form::Unsigned:
    case Form::Bit:
        return QMetaType::ULongLong;
    case Form::Float:
    case Form::Double:
        return QMetaType::Double;
    case Form::Bytes:
        return QMetaType::QByteArray;
    case Form::Null:
        return QMetaType::UnknownType;
    case Form::Decimal:
    case Form::Temporal:
    case Form::Text:
    case Form::Json:
        break;
    }
    return QMetaType::QString;
}

/// Appends value as at least width decimal digits.
void putNumber(QString *out, unsigned long value, int width)
{
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    Q_UNUSED(ec);
    for (int pad = width - int(end - digits); pad > 0; --pad)
        out->append(u'0');
    out->append(QLatin1StringView(digits, end - digits));
}

/// A DATE, DATETIME, TIMESTAMP or TIME value in ISO 8601 form, with as many fraction
/// digits as the column declares (up to 6; 6 for expressions that declare none when the
/// value has a fraction).
QString temporalText(const MYSQL_TIME &t, enum_field_types type, unsigned decimals)
{
    unsigned digits = decimals;
    if (digits > 6)
        digits = t.second_part ? 6 : 0;
    QString out;
    out.reserve(32);
    const bool isTime = type == MYSQL_TYPE_TIME || type == MYSQL_TYPE_TIME2;
    if (!isTime) {
        putNumber(&out, t.year, 4);
        out.append(u'-');
        putNumber(&out, t.month, 2);
        out.append(u'-');
        putNumber(&out, t.day, 2);
        if (type == MYSQL_TYPE_DATE || type == MYSQL_TYPE_NEWDATE)
            return out;
        out.append(u'T');
        putNumber(&out, t.hour, 2);
    } else {
        if (t.neg)
            out.append(u'-');
        putNumber(&out, t.day * 24UL + t.hour, 2);
    }
    out.append(u':');
    putNumber(&out, t.minute, 2);
    out.append(u':');
    putNumber(&out, t.second, 2);
    if (digits > 0) {
        unsigned long fraction = t.second_part;
        for (unsigned i = digits; i < 6; ++i)
            fraction /= 10;
        out.append(u'.');
        putNumber(&out, fraction, int(digits));
    }
    return out;
}

/// The float's shortest text read back as a double: FLOAT 0.1 becomes 0.1, not
/// 0.10000000149011612 (what widening the float would give).
double floatAsDouble(float value)
{
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof text - 1, value);
    if (ec != std::errc())
        return double(value);
    *end = '\0';
    return std::strtod(text, nullptr);
}

} // namespace

/// The cursor itself: a prepared statement, fetched unbuffered.
class MysqlCursor final : public RowCursor
{
public:
    explicit MysqlCursor(MYSQL *mysql)
        : m_mysql(mysql)
    { }
    ~MysqlCursor() override { finish(); }

    /// Prepares sql (its :name markers become ?), m_binds the parameters by name and
    /// executes it. Returns false with errorText() set on failure, or when the statement
    /// returns no result set. With execute false it stops after preparing: columns() is the
    /// result's as the server describes the prepared statement, and nothing runs.
    bool exec(const QString &sql, const QMap<QString, QVariant> &parameters, bool execute = true);

    const ColumnList &columns() const override { return m_columns; }
    Step next(QVariantList *row) override;
    QString errorText() const override { return m_error; }

private:
    bool fail(const QString &context)
    {
        const char *text = m_stmt ? m_api.mysql_stmt_error(m_stmt) : nullptr;
        if (!text || !*text)
            text = m_api.mysql_error(m_mysql);
        // A connection the server dropped mid-result can leave both messages empty.
        m_error = context
            + (text && *text ? QString::fromUtf8(text)
                             : u"the result ended early: the connection to the server was lost"_s);
        return false;
    }
    bool bindResult();
    Step fetch();
    QVariant value(std::size_t i);
    /// Closes the statement; a result not read to its end is abandoned (the socket shut
    /// down) rather than drained.
    void finish();

    const MariaDbApi &m_api = MariaDbApi::instance();
    MYSQL *m_mysql = nullptr;
    MYSQL_STMT *m_stmt = nullptr;
    ColumnList m_columns;
    std::vector<Column> m_data;
    std::vector<MYSQL_BIND> m_binds;
    QString m_error;
    bool m_executed = false; ///< rows may still come
    /// A buffer grew while a row was read: bound again before the next fetch (binding
    /// during a row would lose the positions of the columns not yet read).
    bool m_rebind = false;
    qsizetype m_failedColumn = -1; ///< a long value of this column could not be fetched whole
};

bool MysqlCursor::exec(const QString &sql, const QMap<QString, QVariant> &parameters, bool execute)
{
    // :name markers become ?, in order; the lexer skips literals, identifiers and comments.
    QString text;
    QStringList order;
    {
        SqlLexer lexer(sql);
        qsizetype copied = 0;
        while (const std::optional<SqlLexer::Token> token = lexer.next()) {
            if (token->kind != SqlLexer::Kind::Parameter)
                continue;
            text += QStringView(sql).sliced(copied, token->start - copied);
            text += u'?';
            order.append(sql.sliced(token->start + 1, token->length - 1));
            copied = token->start + token->length;
        }
        text += QStringView(sql).sliced(copied);
    }

    // The server gives up on a client that does not read for net_write_timeout seconds (60
    // by default), and a streaming reader stops reading whenever the target is slow or the
    // run is paused: the rows would end with "Lost connection". A year (the largest value)
    // for this connection only; the socket is still closed when the reader stops.
    static constexpr char Patience[] = "SET SESSION net_write_timeout = 31536000";
    if (m_api.mysql_real_query(m_mysql, Patience, sizeof Patience - 1) != 0)
        qCDebug(lcSource) << "cannot lengthen net_write_timeout:" << m_api.mysql_error(m_mysql);

    m_stmt = m_api.mysql_stmt_init(m_mysql);
    if (!m_stmt) {
        m_error = u"cannot create a statement (out of memory)"_s;
        return false;
    }
    const QByteArray utf8 = text.toUtf8();
    if (m_api.mysql_stmt_prepare(m_stmt, utf8.constData(), static_cast<unsigned long>(utf8.size())))
        return fail({});
    if (m_api.mysql_stmt_param_count(m_stmt) != static_cast<unsigned long>(order.size())) {
        m_error = u"the server counts %1 parameter marker(s) where Sluice finds %2"_s
                      .arg(m_api.mysql_stmt_param_count(m_stmt))
                      .arg(order.size());
        return false;
    }
    if (!execute) {
        // The server describes a prepared statement's result before it runs.
        if (!bindResult()) {
            if (m_error.isEmpty())
                fail({});
            return false;
        }
        return true;
    }

    // Parameter values, kept alive until execute.
    struct Param
    {
        long long integer = 0;
        double real = 0;
        QByteArray bytes;
    };
    std::vector<Param> values(order.size());
    std::vector<MYSQL_BIND> params(order.size());
    for (qsizetype i = 0; i < order.size(); ++i) {
        const QVariant value = parameters.value(order.at(i));
        MYSQL_BIND &bind = params[i];
        Param &param = values[i];
        std::memset(&bind, 0, sizeof bind);
        const int type = value.metaType().id();
        if (value.isNull()) {
            bind.buffer_type = MYSQL_TYPE_NULL;
        } else if (type == QMetaType::Bool) {
            param.integer = value.toBool() ? 1 : 0;
            bind.buffer_type = MYSQL_TYPE_LONGLONG;
            bind.buffer = &param.integer;
        } else if (type == QMetaType::ULongLong || type == QMetaType::ULong
                   || type == QMetaType::UInt) {
            param.integer = static_cast<long long>(value.toULongLong());
            bind.buffer_type = MYSQL_TYPE_LONGLONG;
            bind.buffer = &param.integer;
            bind.is_unsigned = 1;
        } else if (type == QMetaType::LongLong || type == QMetaType::Long || type == QMetaType::Int
                   || type == QMetaType::Short || type == QMetaType::UShort) {
            param.integer = value.toLongLong();
            bind.buffer_type = MYSQL_TYPE_LONGLONG;
            bind.buffer = &param.integer;
        } else if (type == QMetaType::Double || type == QMetaType::Float) {
            param.real = value.toDouble();
            bind.buffer_type = MYSQL_TYPE_DOUBLE;
            bind.buffer = &param.real;
        } else {
            param.bytes = value.toString().toUtf8();
            bind.buffer_type = MYSQL_TYPE_STRING;
            bind.buffer = param.bytes.data();
            bind.buffer_length = static_cast<unsigned long>(param.bytes.size());
            bind.length_value = bind.buffer_length;
        }
    }
    if (!params.empty() && m_api.mysql_stmt_bind_param(m_stmt, params.data()))
        return fail({});
    if (m_api.mysql_stmt_execute(m_stmt))
        return fail({});
    m_executed = true;
    if (!bindResult()) {
        if (m_error.isEmpty())
            fail({});
        return false;
    }
    return true;
}

bool MysqlCursor::bindResult()
{
    MYSQL_RES *meta = m_api.mysql_stmt_result_metadata(m_stmt);
    if (!meta) {
        m_error = u"the statement returns no rows (a source query must be a SELECT)"_s;
        return false;
    }
    const unsigned count = m_api.mysql_num_fields(meta);
    m_data.assign(count, Column());
    m_binds.assign(count, MYSQL_BIND());
    m_columns.clear();
    m_columns.reserve(count);
    for (unsigned i = 0; i < count; ++i) {
        MYSQL_FIELD *field = m_api.mysql_fetch_field_direct(meta, i);
        Column &c = m_data[i];
        c.form = formOf(m_api, field);
        c.type = field->type;
        c.decimals = field->decimals;

        ColumnInfo info;
        info.name = QString::fromUtf8(field->name, field->name_length);
        info.metaTypeId = metaTypeOf(c.form);
        info.nativeTypeId = int(field->type);
        info.exactNumeric = c.form == Form::Decimal;
        m_columns.append(info);

        MYSQL_BIND &b = m_binds[i];
        std::memset(&b, 0, sizeof b);
        b.is_null = &c.isNull;
        b.error = &c.error;
        b.length = &c.length;
        switch (c.form) {
        case Form::Signed:
        case Form::Unsigned:
            b.buffer_type = MYSQL_TYPE_LONGLONG;
            b.buffer = &c.integer;
            b.is_unsigned = c.form == Form::Unsigned;
            break;
        case Form::Float:
            b.buffer_type = MYSQL_TYPE_FLOAT;
            b.buffer = &c.real32;
            break;
        case Form::Double:
            b.buffer_type = MYSQL_TYPE_DOUBLE;
            b.buffer = &c.real64;
            break;
        case Form::Temporal:
            b.buffer_type = field->type == MYSQL_TYPE_TIME2 ? MYSQL_TYPE_TIME
                : field->type == MYSQL_TYPE_DATETIME2       ? MYSQL_TYPE_DATETIME
                : field->type == MYSQL_TYPE_TIMESTAMP2      ? MYSQL_TYPE_TIMESTAMP
                : field->type == MYSQL_TYPE_NEWDATE         ? MYSQL_TYPE_DATE
                                                            : field->type;
            b.buffer = &c.time;
            b.buffer_length = sizeof c.time;
            break;
        case Form::Null:
            b.buffer_type = MYSQL_TYPE_NULL;
            break;
        case Form::Bit:
        case Form::Decimal:
        case Form::Text:
        case Form::Json:
        case Form::Bytes:
            // Raw bytes; a longer value is fetched again with a bigger buffer (see value()).
            c.buffer.resize(InitialTextBuffer);
            b.buffer_type = (c.form == Form::Bytes || c.form == Form::Bit) ? MYSQL_TYPE_BLOB
                                                                           : MYSQL_TYPE_STRING;
            b.buffer = c.buffer.data();
            b.buffer_length = InitialTextBuffer;
            break;
        }
    }
    m_api.mysql_free_result(meta);
    if (m_api.mysql_stmt_bind_result(m_stmt, m_binds.data()))
        return fail({});
    return true;
}

RowCursor::Step MysqlCursor::fetch()
{
    if (!m_executed)
        return Step::End;
    if (m_rebind) {
        m_rebind = false;
        if (m_api.mysql_stmt_bind_result(m_stmt, m_binds.data())) {
            m_executed = false;
            fail({});
            return Step::Error;
        }
    }
    const int status = m_api.mysql_stmt_fetch(m_stmt);
    if (status == MYSQL_NO_DATA) {
        m_executed = false;
        return Step::End;
    }
    if (status != 0 && status != MYSQL_DATA_TRUNCATED) {
        m_executed = false;
        fail({});
        return Step::Error;
    }
    return Step::Row;
}

QVariant MysqlCursor::value(std::size_t i)
{
    Column &c = m_data[i];
    if (c.isNull || c.form == Form::Null)
        return {};
    switch (c.form) {
    case Form::Signed:
        return QVariant(qlonglong(c.integer));
    case Form::Unsigned:
        return QVariant(qulonglong(c.integer));
    case Form::Float:
        return QVariant(floatAsDouble(c.real32));
    case Form::Double:
        return QVariant(c.real64);
    case Form::Temporal:
        return QVariant(temporalText(c.time, c.type, c.decimals));
    case Form::Null:
        return {};
    case Form::Bit:
    case Form::Decimal:
    case Form::Text:
    case Form::Json:
    case Form::Bytes:
        break;
    }
    if (c.length > c.buffer.size()) {
        // Truncated: fetch the whole value into a buffer of its size (kept for later rows).
        c.buffer.resize(c.length);
        MYSQL_BIND b;
        std::memset(&b, 0, sizeof b);
        b.buffer_type = m_binds[i].buffer_type;
        b.buffer = c.buffer.data();
        b.buffer_length = c.length;
        unsigned long length = 0;
        b.length = &length;
        if (m_api.mysql_stmt_fetch_column(m_stmt, &b, unsigned(i), 0)) {
            m_failedColumn = qsizetype(i);
            return {};
        }
        m_binds[i].buffer = c.buffer.data();
        m_binds[i].buffer_length = c.length;
        m_rebind = true;
    }
    const char *bytes = c.buffer.data();
    const qsizetype length = qsizetype(c.length);
    if (c.form == Form::Bytes)
        return QVariant(QByteArray(bytes, length));
    if (c.form == Form::Json) {
        // The server's text, which its JSON check accepted, compacted so that every token
        // stays as written and only blank space goes.
        if (std::optional<QByteArray> compact = compactJson(QByteArrayView(bytes, length)))
            return QVariant::fromValue(JsonText {std::move(*compact)});
        return QVariant::fromValue(
            ValueError {u"the server's JSON text is not valid JSON (%1 bytes)"_s.arg(length)});
    }
    if (c.form == Form::Bit) {
        quint64 bits = 0;
        for (qsizetype k = 0; k < length; ++k)
            bits = (bits << 8) | quint8(bytes[k]);
        return QVariant(qulonglong(bits));
    }
    return QVariant(QString::fromUtf8(bytes, length));
}

RowCursor::Step MysqlCursor::next(QVariantList *row)
{
    const Step step = fetch();
    if (step != Step::Row || !row)
        return step;
    row->clear();
    row->reserve(qsizetype(m_data.size()));
    for (std::size_t i = 0; i < m_data.size(); ++i)
        row->append(value(i));
    if (m_failedColumn >= 0) {
        m_executed = false;
        fail(u"column %1: "_s.arg(m_columns.at(m_failedColumn).name));
        return Step::Error;
    }
    return Step::Row;
}

void MysqlCursor::finish()
{
    if (!m_stmt)
        return;
    if (m_executed) {
        // mysql_stmt_close would read every remaining row first (the protocol has no other
        // way to end a result): shut the socket down instead; the server stops sending.
        m_api.mariadb_cancel(m_mysql);
        m_executed = false;
    }
    m_api.mysql_stmt_close(m_stmt);
    m_stmt = nullptr;
}

std::unique_ptr<RowCursor> openMysqlCursor(const QString &connectionName, const QuerySpec &query,
                                           QString *error)
{
    const QSqlDatabase db = QSqlDatabase::database(connectionName, false);
    void *mysql = mysqlNativeHandle(db);
    if (!db.isOpen() || !mysql || !MariaDbApi::instance().valid) {
        *error = u"query: the MariaDB client library (libmariadb.so.3) cannot be used"_s;
        return nullptr;
    }
    auto cursor = std::make_unique<MysqlCursor>(static_cast<MYSQL *>(mysql));
    if (!cursor->exec(query.sql, query.parameters)) {
        *error = "query: "_L1 + cursor->errorText();
        return nullptr;
    }
    return cursor;
}

std::optional<ColumnList> describeMysqlQuery(const QString &connectionName, const QuerySpec &query,
                                             QString *error)
{
    const QSqlDatabase db = QSqlDatabase::database(connectionName, false);
    void *mysql = mysqlNativeHandle(db);
    if (!db.isOpen() || !mysql || !MariaDbApi::instance().valid) {
        *error = u"query: the MariaDB client library (libmariadb.so.3) cannot be used"_s;
        return std::nullopt;
    }
    MysqlCursor cursor(static_cast<MYSQL *>(mysql));
    if (!cursor.exec(query.sql, query.parameters, false)) {
        *error = "query: "_L1 + cursor.errorText();
        return std::nullopt;
    }
    return cursor.columns();
}

bool canStreamMysql(const QString &connectionName)
{
    const QSqlDatabase db = QSqlDatabase::database(connectionName, false);
    return db.isOpen() && mysqlNativeHandle(db) && MariaDbApi::instance().valid;
}

void *mysqlNativeHandle(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // Qt 6.4 names the type after the client library's struct: "st_mysql*" ("MYSQL*").
    const char *type = handle.typeName();
    if (qstrcmp(type, "st_mysql*") != 0 && qstrcmp(type, "MYSQL*") != 0)
        return nullptr;
    return *static_cast<void *const *>(handle.constData());
}

void cancelMysqlConnection(void *mysql)
{
    if (mysql && MariaDbApi::instance().valid)
        MariaDbApi::instance().mariadb_cancel(static_cast<MYSQL *>(mysql));
}

} // namespace sluice
