// SPDX-License-Identifier: GPL-3.0-or-later
#include "transferspec.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

#include "spec/transferspecparser.h"
#include "json/jsonreader.h"
#include "json/jsonwriter.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

/// Writes one JSON object member by member, in the order of the calls: the file keeps
/// the order docs/design.md shows, and a saved file diffs cleanly against the last save.
/// A name already written in this object is skipped, so the text stays valid JSON even
/// for a spec built in code with a header twice (validate() reports those itself).
class ObjectWriter
{
public:
    explicit ObjectWriter(QByteArray *out)
        : m_out(out)
        , m_writer(out)
    {
        m_out->append('{');
    }
    ~ObjectWriter() { m_out->append('}'); }
    Q_DISABLE_COPY_MOVE(ObjectWriter)

    void string(const QString &name, const QString &value)
    {
        if (key(name))
            m_writer.writeString(value);
    }
    void integer(const QString &name, qint64 value)
    {
        if (key(name))
            m_writer.writeInteger(value);
    }
    void boolean(const QString &name, bool value)
    {
        if (key(name))
            m_writer.writeBool(value);
    }
    /// Already-valid JSON, written as it is.
    void raw(const QString &name, QByteArrayView json)
    {
        if (key(name))
            m_writer.writeRaw(json);
    }
    /// A nested object whose members write(ObjectWriter &) writes.
    template<typename Write>
    void object(const QString &name, Write write)
    {
        if (!key(name))
            return;
        ObjectWriter inner(m_out);
        write(inner);
    }
    /// A query parameter with the type it has: integers as integers, reals as reals
    /// ("12.0", so that it reads back as a real), text, booleans, null.
    void parameter(const QString &name, const QVariant &value)
    {
        if (!key(name))
            return;
        switch (value.isNull() ? QMetaType::UnknownType : value.metaType().id()) {
        case QMetaType::UnknownType:
            m_writer.writeNull();
            return;
        case QMetaType::Bool:
            m_writer.writeBool(value.toBool());
            return;
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::Long:
        case QMetaType::LongLong:
        case QMetaType::Short:
        case QMetaType::UShort:
            m_writer.writeInteger(value.toLongLong());
            return;
        case QMetaType::Double:
        case QMetaType::Float:
            if (!m_writer.writeReal(value.toDouble()))
                m_writer.writeNull();
            return;
        case QMetaType::QVariantList:
        case QMetaType::QStringList:
            m_writer.writeRaw("[]"); // no parameter form: validate() names the parameter
            return;
        case QMetaType::QVariantMap:
        case QMetaType::QVariantHash:
            m_writer.writeRaw("{}");
            return;
        default:
            m_writer.writeString(value.toString());
            return;
        }
    }

private:
    bool key(const QString &name)
    {
        if (m_names.contains(name))
            return false;
        if (!m_names.isEmpty())
            m_out->append(',');
        m_names.insert(name);
        m_writer.writeString(name);
        m_out->append(':');
        return true;
    }

    QByteArray *m_out;
    JsonWriter m_writer;
    QSet<QString> m_names;
};

void writeHeaders(ObjectWriter &object, const QList<QPair<QString, QString>> &headers)
{
    for (const auto &[name, value] : headers)
        object.string(name, value);
}

QString notJson(const JsonSyntaxError &error)
{
    return u"not valid JSON at "_s + error.toString();
}

} // namespace

QString SpecError::toString() const
{
    return path.isEmpty() ? message : path + u": "_s + message;
}

SpecSection SpecError::section() const
{
    const QStringView first = QStringView(path).left(path.indexOf(u'.'));
    if (first == u"source")
        return SpecSection::Source;
    if (first == u"query")
        return SpecSection::Query;
    if (first == u"transform")
        return SpecSection::Transform;
    if (first == u"target")
        return SpecSection::Target;
    if (first == u"run")
        return SpecSection::Run;
    return SpecSection::File;
}

bool TransferSpec::fromJson(QByteArrayView json, TransferSpec *spec, QList<SpecError> *errors,
                            const QString &baseDir)
{
    const auto fail = [errors](const QString &message) {
        if (errors)
            *errors = {SpecError {{}, message}};
        return false;
    };
    // Our own reader first: it gives line and column in characters and refuses a name
    // given twice, which QJsonDocument would silently resolve to the last one.
    JsonSyntaxError syntax;
    if (!compactJson(json, &syntax))
        return fail(notJson(syntax));
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray());
    if (!document.isObject())
        return fail(u"the top level must be a JSON object"_s);

    TransferSpec parsed;
    const QList<SpecError> problems = parseTransferSpec(json, document.object(), &parsed);
    parsed.source.baseDir = baseDir;
    if (errors)
        *errors = problems;
    if (!problems.isEmpty())
        return false;
    // The caller's spec changes only when the whole document is valid.
    if (spec)
        *spec = parsed;
    return true;
}

bool TransferSpec::load(const QString &fileName, TransferSpec *spec, QList<SpecError> *errors)
{
    const auto fail = [errors](const QString &message) {
        if (errors)
            *errors = {SpecError {{}, message}};
        return false;
    };
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly))
        return fail(u"cannot read "_s + fileName + u": "_s + file.errorString());
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return fail(u"cannot read "_s + fileName + u": "_s + file.errorString());
    if (!fromJson(data, spec, errors, QFileInfo(fileName).absolutePath())) {
        // A problem with the whole file names the file; the others name their field.
        if (errors && errors->size() == 1 && errors->constFirst().path.isEmpty())
            (*errors)[0].message = fileName + u": "_s + errors->constFirst().message;
        return false;
    }
    return true;
}

QList<SpecError> TransferSpec::validate() const
{
    QList<SpecError> errors;
    TransferSpec scratch;
    fromJson(toJson(), &scratch, &errors, source.baseDir);
    // A JSON object cannot hold the same name twice, so toJson() drops exact
    // duplicates that a spec built in code can have (others are found above).
    const auto exactDuplicates
        = [&errors](const QList<QPair<QString, QString>> &headers, const QString &path) {
              QSet<QString> seen;
              for (const auto &header : headers) {
                  const SpecError error {path + header.first,
                                         u"header given more than once (header names are "
                                         u"case-insensitive)"_s};
                  if (seen.contains(header.first) && !errors.contains(error))
                      errors.append(error);
                  seen.insert(header.first);
              }
          };
    exactDuplicates(target.headers, u"target.headers."_s);
    exactDuplicates(target.headersEnv, u"target.headersEnv."_s);
    return errors;
}

QByteArray TransferSpec::toJson() const
{
    QByteArray out;
    {
        ObjectWriter file(&out);
        file.integer(u"version"_s, FormatVersion);
        file.object(u"source"_s, [this](ObjectWriter &json) {
            const auto optional = [&json](const QString &name, const QString &value) {
                if (!value.isEmpty())
                    json.string(name, value);
            };
            json.string(u"driver"_s, source.driver);
            optional(u"database"_s, source.database);
            optional(u"host"_s, source.host);
            if (source.port != -1)
                json.integer(u"port"_s, source.port);
            optional(u"user"_s, source.user);
            optional(u"passwordEnv"_s, source.passwordEnv);
            if (source.askPassword)
                json.boolean(u"askPassword"_s, true);
            optional(u"options"_s, source.options);
        });
        file.object(u"query"_s, [this](ObjectWriter &json) {
            json.string(u"sql"_s, query.sql);
            json.object(u"parameters"_s, [this](ObjectWriter &parameters) {
                for (auto it = query.parameters.cbegin(); it != query.parameters.cend(); ++it)
                    parameters.parameter(it.key(), it.value());
            });
        });
        if (transform.present) {
            file.object(u"transform"_s, [this](ObjectWriter &json) {
                if (!transform.key.isEmpty())
                    json.string(u"key"_s, transform.key);
                // A template that is not valid JSON is left out, so validate() reports it
                // as missing rather than the whole text as broken.
                if (compactJson(transform.templ))
                    json.raw(u"template"_s, transform.templ);
            });
        }
        file.object(u"target"_s, [this](ObjectWriter &json) {
            json.string(u"url"_s, target.url);
            json.string(u"method"_s, target.method);
            json.object(u"headers"_s,
                        [this](ObjectWriter &headers) { writeHeaders(headers, target.headers); });
            if (!target.headersEnv.isEmpty()) {
                json.object(u"headersEnv"_s, [this](ObjectWriter &headers) {
                    writeHeaders(headers, target.headersEnv);
                });
            }
            json.string(u"mode"_s, target.mode);
            json.integer(u"timeoutSeconds"_s, target.timeoutSeconds);
        });
        file.object(u"run"_s, [this](ObjectWriter &json) {
            json.integer(u"chunkSize"_s, run.chunkSize);
            json.integer(u"concurrency"_s, run.concurrency);
            json.integer(u"maxRetries"_s, run.maxRetries);
        });
    }
    return out;
}

bool TransferSpec::save(const QString &fileName, QString *error) const
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"cannot write "_s + fileName + u": "_s + file.errorString();
        return false;
    }
    file.write(indentJson(toJson()).value() + '\n');
    if (!file.commit()) {
        if (error)
            *error = u"cannot write "_s + fileName + u": "_s + file.errorString();
        return false;
    }
    return true;
}

} // namespace sluice
