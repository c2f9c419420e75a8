// SPDX-License-Identifier: GPL-3.0-or-later
// `sluice validate`: every check a run makes before it sends, without sending.
#include "dryruncommands.h"

#include "db/querydescriber.h"
#include "db/sqlconnection.h"
#include "db/sqlparameters.h"
#include "dryrunsetup.h"
#include "net/cafile.h"
#include "spec/secretproblems.h"
#include "transfer/watermark.h"
#include "transform/transform.h"
#include "util/secretstore.h"

#include <QCommandLineParser>
#include <QSslCertificate>

#include <cstdio>

namespace sluice {

namespace {

const QString ValidateCommand = QStringLiteral("validate");

void passed(const QString &line)
{
    std::printf("%s\n", line.toUtf8().constData());
    std::fflush(stdout);
}

/// The connection in words: `PostgreSQL database "sales" on db:5432 as steward`.
QString connectionText(const ConnectionSettings &source)
{
    QString text = driverDisplayName(source.driver);
    if (source.driver == QLatin1String("QSQLITE"))
        return text + QStringLiteral(" file ") + source.resolvedDatabase();
    text += QStringLiteral(" database \"%1\"").arg(source.database);
    if (!source.host.isEmpty()) {
        text += QStringLiteral(" on ") + source.host;
        if (source.port >= 0)
            text += u':' + QString::number(source.port);
    }
    if (!source.user.isEmpty())
        text += QStringLiteral(" as ") + source.user;
    return text;
}

/// The target's settings a run reads before it sends: the CA file and the header secrets.
/// Every problem is printed; false when there was one.
bool checkTargetSecrets(const DryRun &run)
{
    const TargetSpec &target = run.spec.target;
    QStringList problems;
    QList<QSslCertificate> certificates;
    QString caError;
    if (const QString caFile = resolvedCaFile(run.spec);
        !caFile.isEmpty() && !readCaFile(caFile, &certificates, &caError))
        problems.append(caError);
    for (const auto &[name, variable] : target.headersEnv) {
        if (!qEnvironmentVariableIsSet(variable.toLocal8Bit().constData()))
            problems.append(secretproblems::variableNotSet(
                QStringLiteral("target.headersEnv.") + name, variable));
    }
    if (!target.headersKeychain.empty()) {
        const std::shared_ptr<SecretStore> store = makeKeychainStore();
        for (const auto &[name, entryName] : target.headersKeychain) {
            const QString entry = entryName; // a lambda cannot capture a structured binding (C++17)
            const SecretStore::Answer answer
                = SecretStore::wait([&](QObject *context, const SecretStore::Callback &done) {
                      store->read(entry, context, done);
                  });
            if (const QString problem
                = secretproblems::keychainAnswer(QStringLiteral("target.headersKeychain.") + name,
                                                 entry, store->location(), answer);
                !problem.isEmpty())
                problems.append(problem);
        }
    }
    printDryRunProblems(run, problems.join(u'\n'), QStringLiteral("Target"));
    return problems.isEmpty();
}

/// Connects, describes the query and compiles the transform against its columns.
bool checkDatabase(const DryRun &run)
{
    QString error;
    const std::optional<QString> password = dryRunPassword(run.spec, &error);
    if (!password) {
        printDryRunProblems(run, error, QStringLiteral("Connection"));
        return false;
    }
    // The run's own checks of the parameters, before anything is asked of the database.
    const QStringList parameterProblems = sqlParameterProblems(run.query.sql, run.query.parameters);
    if (const std::optional<WatermarkSpec> &watermark = run.spec.run.watermark;
        watermark && !findSqlParameters(run.spec.query.sql).contains(watermark->parameter)) {
        printDryRunProblems(run,
                            QStringLiteral("run.watermark.parameter: query.sql does not use :%1; "
                                           "it must read the rows above it (e.g. WHERE %2 > :%1 "
                                           "ORDER BY %2)")
                                .arg(watermark->parameter, watermark->column),
                            {});
        return false;
    }

    const QString name = uniqueSqlConnectionName(QStringLiteral("sluice.validate."));
    if (!openSqlConnection(run.spec.source, *password, name, &error)) {
        printDryRunProblems(run, error, QStringLiteral("Connection"));
        return false;
    }
    passed(QStringLiteral("Connection: ok, %1").arg(connectionText(run.spec.source)));

    std::optional<ColumnList> columns;
    if (parameterProblems.isEmpty())
        columns = describeQuery(name, run.spec.source.driver, run.query, &error);
    else
        error = parameterProblems.join(u'\n');
    closeSqlConnection(name);
    if (!columns) {
        printDryRunProblems(run, error, QStringLiteral("Source query"));
        return false;
    }
    QStringList names;
    for (const ColumnInfo &column : std::as_const(*columns))
        names.append(column.name);
    passed(QStringLiteral("Source query: ok, it compiles and returns %1 column(s): %2")
               .arg(columns->size())
               .arg(names.join(QStringLiteral(", "))));

    QList<SpecError> errors;
    const std::optional<Transform> transform = Transform::compile(
        run.spec.transform, run.spec.target.url, *columns, &errors, run.spec.target.idempotencyKey);
    bool ok = transform.has_value();
    for (const SpecError &e : std::as_const(errors))
        printDryRunLine(ValidateCommand, describeProblem(e, run.fileText));
    if (const std::optional<WatermarkSpec> &watermark = run.spec.run.watermark) {
        WatermarkTracker tracker(*watermark, run.spec.query.parameters.value(watermark->parameter),
                                 run.watermarkFileValue, {});
        if (!tracker.open(*columns, &error)) {
            printDryRunProblems(run, error, QStringLiteral("Run watermark"));
            ok = false;
        }
    }
    if (ok)
        passed(run.spec.transform.present
                   ? QStringLiteral("Transform: ok, the key, the template and the target URL "
                                    "name only columns the query returns")
                   : QStringLiteral("Transform: ok, each row is sent as an object of its "
                                    "columns"));
    return ok;
}

} // namespace

int validateCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    addDryRunOptions(
        &parser,
        QStringLiteral(
            "Checks a transfer without sending anything: the file's rules, the target's\n"
            "CA file and header secrets, the connection (it connects), that the query\n"
            "compiles (prepared and described, not run) and that the key, the template and\n"
            "the target URL name only columns the query returns.\n\n"
            "Each step passed is said on stdout, each problem on stderr, one a line, naming\n"
            "the step and field (and the line and column in the file).\n\n"
            "Exit codes: 0 every check passed; 2 a check failed (or a usage error)."));
    int exitCode = 2;
    if (!parseDryRunCommandLine(parser, ValidateCommand, arguments, &exitCode))
        return exitCode;
    const std::optional<DryRun> run = loadDryRun(parser, ValidateCommand);
    if (!run)
        return 2;
    passed(QStringLiteral("File: ok, %1").arg(run->transferFile));
    bool ok = checkTargetSecrets(*run);
    ok = checkDatabase(*run) && ok;
    if (!ok) {
        printDryRunLine(ValidateCommand, QStringLiteral("not valid: nothing was sent"));
        return 2;
    }
    passed(QStringLiteral("valid: nothing was sent"));
    return 0;
}

} // namespace sluice
