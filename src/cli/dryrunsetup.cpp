// SPDX-License-Identifier: GPL-3.0-or-later
#include "dryrunsetup.h"

#include "clicommon.h"
#include "db/shardquery.h"
#include "spec/secretproblems.h"
#include "util/secretstore.h"
#include "util/text.h"
#include "json/jsonreader.h"

#include <QCommandLineParser>
#include <QFile>
#include <QRegularExpression>

#include <cstdio>

namespace sluice {

namespace {

const QString DryRunSetOption = QStringLiteral("set");
const QString DryRunShardOption = QStringLiteral("shard");
const QString DryRunStateOption = QStringLiteral("state");

/// Reads the value whose first token is current, looking for the one at target; true (and
/// *offset, *raw set) when found. Paths are built as the transfer file's parser builds them
/// ("transform.template.tags[0]").
bool findValue(JsonReader &reader, const QString &path, const QString &target, qsizetype *offset,
               QByteArrayView *raw)
{
    if (path == target) {
        *offset = reader.offset();
        *raw = reader.raw();
        return true;
    }
    const bool inside
        = path.isEmpty() || target.startsWith(path + u'.') || target.startsWith(path + u'[');
    if (!inside)
        return false;
    switch (reader.token()) {
    case JsonReader::Token::BeginObject:
        for (;;) {
            if (reader.next() != JsonReader::Token::Key)
                return false;
            const QString name = reader.text();
            reader.next();
            const QString at = joinPath(path, name);
            if (findValue(reader, at, target, offset, raw))
                return true;
            if ((reader.token() == JsonReader::Token::BeginObject
                 || reader.token() == JsonReader::Token::BeginArray)
                && !(target.startsWith(at + u'.') || target.startsWith(at + u'['))
                && !reader.skipValue())
                return false;
        }
    case JsonReader::Token::BeginArray:
        for (int index = 0;; ++index) {
            const JsonReader::Token token = reader.next();
            if (token == JsonReader::Token::EndArray || token == JsonReader::Token::Error)
                return false;
            const QString at = path + u'[' + QString::number(index) + u']';
            if (findValue(reader, at, target, offset, raw))
                return true;
            if ((token == JsonReader::Token::BeginObject || token == JsonReader::Token::BeginArray)
                && !(target.startsWith(at + u'.') || target.startsWith(at + u'['))
                && !reader.skipValue())
                return false;
        }
    default:
        return false;
    }
}

/// The step and field a transfer-file path belongs to, as the app's steps name them.
QString stepOf(const QString &path)
{
    static const QList<QPair<QString, QString>> steps {
        {QStringLiteral("version"), QStringLiteral("File")},
        {QStringLiteral("source.driver"), QStringLiteral("Connection driver")},
        {QStringLiteral("source.database"), QStringLiteral("Connection database")},
        {QStringLiteral("source.passwordEnv"), QStringLiteral("Connection password")},
        {QStringLiteral("source.passwordKeychain"), QStringLiteral("Connection password")},
        {QStringLiteral("source.askPassword"), QStringLiteral("Connection password")},
        {QStringLiteral("source.shardKey"), QStringLiteral("Connection shard key")},
        {QStringLiteral("source"), QStringLiteral("Connection")},
        {QStringLiteral("query.sql"), QStringLiteral("Source query")},
        {QStringLiteral("query.parameters"), QStringLiteral("Query parameters")},
        {QStringLiteral("query"), QStringLiteral("Source query")},
        {QStringLiteral("transform.template"), QStringLiteral("Transform template")},
        {QStringLiteral("transform.key"), QStringLiteral("Transform key")},
        {QStringLiteral("transform"), QStringLiteral("Transform")},
        {QStringLiteral("target.url"), QStringLiteral("Target URL")},
        {QStringLiteral("target.headers"), QStringLiteral("Target headers")},
        {QStringLiteral("target.headersEnv"), QStringLiteral("Target headers")},
        {QStringLiteral("target.headersKeychain"), QStringLiteral("Target headers")},
        {QStringLiteral("target.caFile"), QStringLiteral("Target CA file")},
        {QStringLiteral("target.idempotencyKey"), QStringLiteral("Target idempotency key")},
        {QStringLiteral("target"), QStringLiteral("Target")},
        {QStringLiteral("run.watermark"), QStringLiteral("Run watermark")},
        {QStringLiteral("run"), QStringLiteral("Run settings")},
    };
    static const QString parameters = QStringLiteral("query.parameters.");
    if (path.startsWith(parameters))
        return QStringLiteral("Query parameter :") + path.mid(parameters.size());
    for (const auto &[prefix, step] : steps) {
        if (path == prefix || path.startsWith(prefix + u'.') || path.startsWith(prefix + u'['))
            return step;
    }
    return QStringLiteral("File");
}

} // namespace

void addDryRunOptions(QCommandLineParser *parser, const QString &description)
{
    parser->setApplicationDescription(description);
    parser->addHelpOption();
    parser->addPositionalArgument(QStringLiteral("transfer"),
                                  QStringLiteral("The transfer file (.json)."),
                                  QStringLiteral("TRANSFER.json"));
    parser->addOption(
        {DryRunSetOption,
         QStringLiteral("Gives the query parameter :NAME the value VALUE (repeatable), as "
                        "sluice run does."),
         QStringLiteral("NAME=VALUE")});
    parser->addOption(
        {DryRunShardOption,
         QStringLiteral("Reads only shard K of N (K from 0 to N-1), as sluice run --shard does."),
         QStringLiteral("K/N")});
    parser->addOption({DryRunStateOption,
                       QStringLiteral("An incremental transfer (run.watermark) reads its state "
                                      "from FILE (default: beside the transfer, "
                                      "NAME.state.json), as the next sluice run would."),
                       QStringLiteral("FILE")});
}

bool parseDryRunCommandLine(QCommandLineParser &parser, const QString &command,
                            const QStringList &arguments, int *exitCode)
{
    // arguments[1] is the command; the parser sees the program and what follows it.
    QStringList forParser = arguments;
    if (forParser.size() > 1)
        forParser.removeAt(1);
    if (!parser.parse(forParser)) {
        printDryRunLine(command, parser.errorText());
        *exitCode = 2;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        const QString help = commandHelpText(parser, command);
        std::fputs(help.toUtf8().constData(), stdout);
        *exitCode = 0;
        return false;
    }
    if (parser.positionalArguments().size() != 1) {
        printDryRunLine(
            command,
            parser.positionalArguments().isEmpty()
                ? QStringLiteral("no transfer file given (see sluice %1 --help)").arg(command)
                : QStringLiteral("one transfer file at a time, got %1")
                      .arg(parser.positionalArguments().size()));
        *exitCode = 2;
        return false;
    }
    return true;
}

std::optional<DryRun> loadDryRun(const QCommandLineParser &parser, const QString &command)
{
    DryRun run;
    run.command = command;
    run.transferFile = parser.positionalArguments().constFirst();
    QFile file(run.transferFile);
    if (file.open(QIODevice::ReadOnly))
        run.fileText = file.readAll();
    QList<SpecError> errors;
    if (!TransferSpec::load(run.transferFile, &run.spec, &errors)) {
        for (const SpecError &e : std::as_const(errors))
            printDryRunLine(command, describeProblem(e, run.fileText));
        return std::nullopt;
    }

    const auto commandLineProblem = [&](const QString &message) {
        printDryRunLine(command, QStringLiteral("Command line: ") + message);
        return std::nullopt;
    };
    QMap<QString, QVariant> overrides;
    if (const QString problem
        = readParameterOverrides(parser.values(DryRunSetOption), run.spec, &overrides);
        !problem.isEmpty())
        return commandLineProblem(problem);
    if (parser.isSet(DryRunShardOption)) {
        const QString text = parser.value(DryRunShardOption);
        QString why;
        run.shard = Shard::fromText(text, &why);
        if (!run.shard)
            return commandLineProblem(QStringLiteral("--shard %1: %2").arg(text, why));
    }

    if (const std::optional<WatermarkSpec> &watermark = run.spec.run.watermark) {
        run.watermarkFileValue = run.spec.query.parameters.value(watermark->parameter);
        const QString stateFile = parser.isSet(DryRunStateOption)
            ? parser.value(DryRunStateOption)
            : WatermarkState::defaultFile(run.transferFile);
        QString error;
        run.watermarkState
            = WatermarkState::load(stateFile, *watermark, run.watermarkFileValue, &error);
        if (!error.isEmpty()) {
            printDryRunLine(command, QStringLiteral("Run watermark: ") + error);
            return std::nullopt;
        }
        if (run.watermarkState && !overrides.contains(watermark->parameter))
            overrides.insert(watermark->parameter, run.watermarkState->value);
    } else if (parser.isSet(DryRunStateOption)) {
        return commandLineProblem(QStringLiteral("--state: %1 has no run.watermark (it is not an "
                                                 "incremental transfer)")
                                      .arg(run.transferFile));
    }
    run.spec.query.parameters.insert(overrides);

    run.query = run.spec.query;
    if (run.shard) {
        QString error;
        const std::optional<QuerySpec> sharded
            = shardQuery(run.spec.source, run.spec.query, *run.shard, &error);
        if (!sharded) {
            printDryRunProblems(run, error, QStringLiteral("Connection shard key"));
            return std::nullopt;
        }
        run.query = *sharded;
    }
    return run;
}

std::optional<QString> dryRunPassword(const TransferSpec &spec, QString *error)
{
    const ConnectionSettings &source = spec.source;
    if (!source.passwordEnv.isEmpty()) {
        const QByteArray name = source.passwordEnv.toLocal8Bit();
        if (qEnvironmentVariableIsSet(name.constData()))
            return qEnvironmentVariable(name.constData());
        *error = secretproblems::variableNotSet(QStringLiteral("source.passwordEnv"),
                                                source.passwordEnv,
                                                QStringLiteral("the database password"));
        return std::nullopt;
    }
    if (!source.passwordKeychain.isEmpty()) {
        const std::shared_ptr<SecretStore> store = makeKeychainStore();
        const SecretStore::Answer answer
            = SecretStore::wait([&](QObject *context, const SecretStore::Callback &done) {
                  store->read(source.passwordKeychain, context, done);
              });
        if (answer.status == SecretStore::Status::Ok)
            return answer.value;
        *error = secretproblems::keychainAnswer(QStringLiteral("source.passwordKeychain"),
                                                source.passwordKeychain, store->location(), answer);
        return std::nullopt;
    }
    if (source.askPassword) {
        if (std::optional<QString> password = askPasswordOnTerminal(spec))
            return password;
        *error = secretproblems::passwordNotGiven();
        return std::nullopt;
    }
    return QString();
}

QString describeProblem(const SpecError &problem, const QByteArray &fileText, const QString &step)
{
    if (problem.path.isEmpty())
        return (step.isEmpty() ? QStringLiteral("File") : step) + QStringLiteral(": ")
            + problem.message;
    QString label = stepOf(problem.path);
    qsizetype offset = -1;
    QByteArrayView raw;
    JsonReader reader(fileText);
    if (!fileText.isEmpty() && reader.next() != JsonReader::Token::Error
        && findValue(reader, {}, problem.path, &offset, &raw)) {
        // A message about a column points at its placeholder.
        static const QRegularExpression columnName(QStringLiteral("column \"([^\"]+)\""));
        const QRegularExpressionMatch column = columnName.match(problem.message);
        if (column.hasMatch()) {
            const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*")
                                                 + QRegularExpression::escape(column.captured(1))
                                                 + QStringLiteral("\\s*\\}\\}"));
            const QString text = QString::fromUtf8(raw);
            const QRegularExpressionMatch at = placeholder.match(text);
            if (at.hasMatch())
                offset += QStringView(text).first(at.capturedStart()).toUtf8().size();
        }
        int line = 0;
        int col = 0;
        jsonLineAndColumn(fileText, offset, &line, &col);
        label += QStringLiteral(", line %1 column %2").arg(line).arg(col);
    }
    return label + QStringLiteral(": ") + problem.message + QStringLiteral(" [") + problem.path
        + u']';
}

SpecError problemFromMessage(const QString &message)
{
    static const QRegularExpression path(
        QStringLiteral("^([a-z]+(?:[.][A-Za-z0-9_]+|\\[[0-9]+\\])*): "));
    const QRegularExpressionMatch match = path.match(message);
    if (!match.hasMatch())
        return SpecError {{}, message};
    const QString at = match.captured(1);
    // "query: ..." is the database's word about the query as a whole.
    return SpecError {at == QLatin1String("query") ? QStringLiteral("query.sql") : at,
                      message.mid(match.capturedLength())};
}

void printDryRunLine(const QString &command, const QString &line)
{
    std::fprintf(stderr, "sluice %s: %s\n", command.toUtf8().constData(),
                 line.toUtf8().constData());
    std::fflush(stderr);
}

void printDryRunProblems(const DryRun &run, const QString &message, const QString &step)
{
    bool first = true;
    for (const QString &line : message.split(u'\n', Qt::SkipEmptyParts)) {
        const SpecError problem = problemFromMessage(line);
        if (!first && problem.path.isEmpty()) {
            // The database's own continuation (PostgreSQL's "LINE 1: ..." and its caret),
            // indented under the problem it belongs to.
            std::fprintf(stderr, "    %s\n", line.toUtf8().constData());
            continue;
        }
        first = false;
        printDryRunLine(run.command, describeProblem(problem, run.fileText, step));
    }
    std::fflush(stderr);
}

} // namespace sluice
