// SPDX-License-Identifier: GPL-3.0-or-later
#include "runreport.h"

#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>

#include "spec/parametervalue.h"
#include "spec/secretheaders.h"
#include "transfer/svgchart.h"
#include "json/jsonreader.h"

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

// The app's status colours (StatusDelegate, light theme), so a report reads like the window.
constexpr auto DeliveredColor = "#2e7d32"_L1;
constexpr auto FailedColor = "#c62828"_L1;
constexpr auto InvalidColor = "#8e24aa"_L1;
constexpr auto RateColor = "#1565c0"_L1;
constexpr auto P50Color = "#1565c0"_L1;
constexpr auto P95Color = "#e67e00"_L1;
constexpr auto P99Color = "#c62828"_L1;

const auto Style = uR"(
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #212121;
       margin: 2em auto; max-width: 62em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { text-align: left; padding: 0.25em 0.8em 0.25em 0; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.grid th, table.grid td { border-bottom: 1px solid #eee; padding-left: 0.4em; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; white-space: pre-wrap;
      word-break: break-all; font-size: 0.9em; }
.outcome { font-size: 1.1em; }
.delivered { color: #2e7d32; } .failed { color: #c62828; } .invalid { color: #8e24aa; }
.muted { color: #666; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 0.8em 0; }
svg .grid line { stroke: #e0e0e0; } svg .axis { stroke: #9e9e9e; fill: none; }
svg text { font-family: inherit; font-size: 12px; fill: #555; }
svg .chart-title { font-size: 14px; font-weight: bold; fill: #212121; }
details { margin: 0.3em 0 0.8em 0; }
)"_s;

QString esc(const QString &text)
{
    return xmlEscaped(text);
}

QString row(const QString &name, const QString &value, const QString &cls = {})
{
    return u"<tr><th scope=\"row\">"_s + esc(name) + u"</th><td"_s
        + (cls.isEmpty() ? QString() : u" class=\""_s + cls + u'"') + u'>' + esc(value)
        + u"</td></tr>\n"_s;
}

QString ms(double microseconds)
{
    if (microseconds < 0)
        return u"–"_s;
    const double value = microseconds / 1000.0;
    return QString::number(value, 'f', value < 10 ? 2 : 1) + u" ms"_s;
}

QString seconds(double s)
{
    if (s < 60)
        return QString::number(s, 'f', 2) + u" s"_s;
    const qint64 whole = qint64(s);
    if (whole < 3600)
        return u"%1 min %2 s"_s.arg(whole / 60).arg(whole % 60);
    return u"%1 h %2 min %3 s"_s.arg(whole / 3600).arg(whole / 60 % 60).arg(whole % 60);
}

QString dateTime(const QDateTime &when)
{
    return when.isValid() ? when.toString(Qt::ISODate) : u"–"_s;
}

/// password=..., PWD=... in a connection string or options: the value is redacted.
QString withoutPasswords(const QString &text)
{
    static const QRegularExpression password(
        u"(\\b(?:password|pwd|passwd)\\s*=\\s*)(\\{[^}]*\\}|[^;]*)"_s,
        QRegularExpression::CaseInsensitiveOption);
    QString out = text;
    out.replace(password, u"\\1"_s + RedactedValue.toString());
    return out;
}

/// https://user:secret@host/... -> https://user:(redacted)@host/...
QString urlWithoutPassword(const QString &url)
{
    static const QRegularExpression userInfo(u"^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*:)[^/@]*@"_s);
    QString out = url;
    out.replace(userInfo, u"\\1"_s + RedactedValue.toString() + u'@');
    return out;
}

/// A parameter as bound: as the Query step and `--set` write it, a null as "null".
QString boundValue(const QVariant &value)
{
    return value.isNull() ? u"null"_s : parameterText(value);
}

QString chartsOf(const RunStatistics &stats)
{
    const std::vector<StatisticsSample> &samples = stats.samples();
    SvgChart rate(u"Items per second"_s, u"seconds since start"_s, u"items/s"_s);
    SvgChart latency(u"Latency per interval"_s, u"seconds since start"_s, u"ms"_s);
    SvgChart statuses(u"Items finished, by status"_s, u"seconds since start"_s, u"items"_s);
    SvgChart::Series items {u"items/s"_s, RateColor, {}};
    SvgChart::Series p50 {u"p50"_s, P50Color, {}}, p95 {u"p95"_s, P95Color, {}},
        p99 {u"p99"_s, P99Color, {}};
    SvgChart::Series delivered {u"delivered"_s, DeliveredColor, {{0, 0}}},
        failed {u"failed"_s, FailedColor, {{0, 0}}}, invalid {u"invalid"_s, InvalidColor, {{0, 0}}};
    qint64 sums[3] = {0, 0, 0};
    for (const StatisticsSample &sample : samples) {
        const double x = double(sample.endMs) / 1000.0;
        items.points.append({x, sample.itemsPerSecond()});
        if (!sample.latency.isEmpty()) {
            p50.points.append({x, sample.latency.percentileUs(0.50) / 1000.0});
            p95.points.append({x, sample.latency.percentileUs(0.95) / 1000.0});
            p99.points.append({x, sample.latency.percentileUs(0.99) / 1000.0});
        }
        for (int i = 0; i < 3; ++i)
            sums[i] += sample.finished[size_t(i)];
        delivered.points.append({x, double(sums[0])});
        failed.points.append({x, double(sums[1])});
        invalid.points.append({x, double(sums[2])});
    }
    rate.addSeries(std::move(items));
    latency.addSeries(std::move(p50));
    latency.addSeries(std::move(p95));
    latency.addSeries(std::move(p99));
    statuses.addSeries(std::move(delivered));
    statuses.addSeries(std::move(failed));
    statuses.addSeries(std::move(invalid));
    return rate.toSvg() + latency.toSvg() + statuses.toSvg();
}

QString failuresOf(const QList<FailureDigest::Group> &groups)
{
    if (groups.isEmpty())
        return u"<p>No item failed.</p>\n"_s;
    QString html;
    html += u"<table class=\"grid\" id=\"failure-groups\">\n<tr><th class=\"num\">Items</th>"
            u"<th>Status</th><th>Cause</th></tr>\n"_s;
    for (const FailureDigest::Group &group : groups) {
        const QString cls = group.status == ItemStatus::Invalid ? u"invalid"_s : u"failed"_s;
        html += u"<tr class=\"failure-group\"><td class=\"num\">%1</td><td class=\"%2\">%3</td>"
                u"<td>%4</td></tr>\n"_s.arg(
                    QString::number(group.count), cls,
                    esc(group.statusText.isEmpty() ? u"–"_s : group.statusText),
                    esc(group.message.isEmpty() && group.statusText.isEmpty() ? u"other causes"_s
                                                                              : group.message));
    }
    html += u"</table>\n"_s;
    for (const FailureDigest::Group &group : groups) {
        html += u"<h3>%1 × %2%3</h3>\n"_s.arg(
            QString::number(group.count), esc(group.statusText),
            group.message.isEmpty() ? QString() : u": "_s + esc(group.message));
        html += u"<table class=\"grid examples\">\n<tr><th>Example item</th><th "
                u"class=\"num\">HTTP</th><th class=\"num\">Attempts</th><th>Error</th></tr>\n"_s;
        for (const FailureDigest::Example &example : group.examples) {
            html += u"<tr class=\"example\"><td class=\"key\">%1</td><td class=\"num\">%2</td>"
                    u"<td class=\"num\">%3</td><td>%4"_s.arg(
                        esc(example.key),
                        example.httpStatus > 0 ? QString::number(example.httpStatus) : u"–"_s,
                        QString::number(example.attempts), esc(example.error));
            if (!example.url.isEmpty())
                html += u"<br/><span class=\"muted\">"_s + esc(example.url) + u"</span>"_s;
            if (!example.response.isEmpty()) {
                html += u"<details><summary>The API's answer</summary><pre>"_s
                    + esc(QString::fromUtf8(example.response)) + u"</pre></details>"_s;
            }
            html += u"</td></tr>\n"_s;
        }
        html += u"</table>\n"_s;
    }
    return html;
}

QString transferOf(const TransferSpec &spec)
{
    QString html;
    const ConnectionSettings &source = spec.source;
    html += u"<table>\n"_s;
    html += row(u"Source"_s, source.driver + u' ' + source.database);
    if (!source.host.isEmpty())
        html += row(u"Host"_s,
                    source.port > 0 ? source.host + u':' + QString::number(source.port)
                                    : source.host);
    if (!source.user.isEmpty())
        html += row(u"User"_s, source.user);
    QString password = u"none"_s;
    if (!source.passwordEnv.isEmpty())
        password = u"from the environment variable "_s + source.passwordEnv;
    else if (!source.passwordKeychain.isEmpty())
        password = u"from the keychain entry "_s + source.passwordKeychain;
    else if (source.askPassword)
        password = u"asked when run"_s;
    html += row(u"Password"_s, password);
    html += row(u"Target"_s, spec.target.method + u' ' + spec.target.url);
    html += row(u"Sending mode"_s, targetModeName(spec.target.mode));
    html += row(u"Concurrency"_s, QString::number(spec.run.concurrency));
    html += row(u"Retries"_s, QString::number(spec.run.maxRetries));
    html += u"</table>\n"_s;
    html += u"<h3>Query</h3>\n<pre class=\"sql\">"_s + esc(spec.query.sql) + u"</pre>\n"_s;
    const QByteArray json = indentJson(spec.toJson()).value_or(spec.toJson());
    html += u"<h3>Transfer file</h3>\n<p class=\"muted\">As run; secret values are shown as "_s
        + esc(RedactedValue.toString()) + u".</p>\n<pre class=\"transfer\">"_s
        + esc(QString::fromUtf8(json)) + u"</pre>\n"_s;
    return html;
}

} // namespace

QString RunReport::outcomeText(TransferRun::Outcome outcome)
{
    switch (outcome) {
    case TransferRun::Outcome::Completed:
        return u"completed"_s;
    case TransferRun::Outcome::Cancelled:
        return u"cancelled"_s;
    case TransferRun::Outcome::ConfigError:
        return u"could not run: the transfer is not set up right"_s;
    case TransferRun::Outcome::SourceError:
        return u"the database failed"_s;
    case TransferRun::Outcome::Stopped:
        return u"stopped after too many failed items"_s;
    }
    return {};
}

TransferSpec RunReport::redacted(const TransferSpec &spec)
{
    TransferSpec out = spec;
    for (auto &[name, value] : out.target.headers) {
        if (isSecretHeader(spec.target, name))
            value = RedactedValue.toString();
    }
    out.target.url = urlWithoutPassword(out.target.url);
    out.source.database = withoutPasswords(out.source.database);
    out.source.options = withoutPasswords(out.source.options);
    return out;
}

RunReport RunReport::fromRun(const TransferRun &run, TransferRun::Outcome outcome,
                             const QString &message)
{
    RunReport report;
    report.spec = run.spec();
    report.transferFile = run.transferFile();
    report.journalFile = run.journalFile();
    if (const std::optional<Shard> shard = run.shard())
        report.shard = shard->toText();
    report.startedAt = run.startedAt();
    report.finishedAt = run.finishedAt();
    report.seconds = run.elapsedSeconds();
    report.outcome = outcome;
    report.message = message;
    report.counts = run.counts();
    report.resumedFinished = run.resumedFinished();
    report.statistics = run.statistics();
    report.failures = run.failures().groups();
    return report;
}

QByteArray RunReport::toHtml() const
{
    const TransferSpec shown = redacted(spec);
    const QString name
        = transferFile.isEmpty() ? u"transfer"_s : QFileInfo(transferFile).completeBaseName();
    const RunStatistics &stats = statistics;
    const qint64 thisRun = stats.finishedTotal();
    const double rate = seconds > 0 ? double(thisRun) / seconds : 0.0;

    QString html;
    html += u"<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
            u"<meta charset=\"utf-8\"/>\n<meta name=\"generator\" content=\"Sluice "_s
        + QStringLiteral(SLUICE_VERSION) + u"\"/>\n<title>Sluice run report: "_s + esc(name)
        + u"</title>\n<style>"_s + Style + u"</style>\n</head>\n<body>\n"_s;
    html += u"<h1>Run report: "_s + esc(name) + u"</h1>\n"_s;
    html += u"<p class=\"outcome\" id=\"outcome\">"_s + esc(outcomeText(outcome))
        + u": <span class=\"delivered\">%1 delivered</span>, <span class=\"failed\">%2 "
          u"failed</span>, <span class=\"invalid\">%3 invalid</span></p>\n"_s.arg(
              QString::number(counts.delivered), QString::number(counts.failed),
              QString::number(counts.invalid));
    if (!message.isEmpty())
        html += u"<pre class=\"message\">"_s + esc(message) + u"</pre>\n"_s;

    html += u"<h2>Summary</h2>\n<table id=\"summary\">\n"_s;
    html += row(u"Transfer file"_s, transferFile.isEmpty() ? u"(not saved)"_s : transferFile);
    if (!shard.isEmpty())
        html += row(u"Shard"_s, shard);
    html += row(u"Started"_s, dateTime(startedAt));
    html += row(u"Ended"_s, dateTime(finishedAt));
    html += row(u"Duration"_s, seconds > 0 ? ::sluice::seconds(seconds) : u"–"_s);
    html += row(u"Items read"_s, QString::number(counts.read), u"num"_s);
    html += row(u"Delivered"_s, QString::number(counts.delivered), u"num delivered"_s);
    if (counts.alreadyDelivered > 0)
        html += row(u"Of them delivered by the previous run"_s,
                    QString::number(counts.alreadyDelivered), u"num"_s);
    html += row(u"Failed"_s, QString::number(counts.failed), u"num failed"_s);
    html += row(u"Invalid"_s, QString::number(counts.invalid), u"num invalid"_s);
    if (resumedFinished > 0)
        html += row(u"Finished before this resume"_s, QString::number(resumedFinished), u"num"_s);
    html += row(u"Items per second"_s, QString::number(rate, 'f', 1), u"num"_s);
    if (!journalFile.isEmpty())
        html += row(u"Journal"_s, journalFile);
    html += u"</table>\n"_s;

    const LatencyHistogram &latency = stats.latency();
    html += u"<h2>Latency</h2>\n"_s;
    if (latency.isEmpty()) {
        html += u"<p>No request was answered.</p>\n"_s;
    } else {
        html += u"<p class=\"muted\">From a request's start to its answer, over %1 answered "
                u"items (an item's last attempt; the items of one bulk request share its "
                u"time).</p>\n<table class=\"grid\" id=\"latency\">\n"
                u"<tr><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>\n<tr>"_s.arg(
                    QString::number(latency.count()));
        for (const double value : {latency.percentileUs(0.50), latency.percentileUs(0.95),
                                   latency.percentileUs(0.99), latency.maxUs()})
            html += u"<td class=\"num\">"_s + ms(value) + u"</td>"_s;
        html += u"</tr>\n</table>\n"_s;
    }

    html += u"<h2>Over time</h2>\n"_s;
    html += u"<p class=\"muted\">Sampled every %1 ms.</p>\n"_s.arg(stats.intervalMs());
    html += chartsOf(stats);

    html += u"<h2>Failures by cause</h2>\n"_s + failuresOf(failures);

    html += u"<h2>Parameters</h2>\n"_s;
    if (shown.query.parameters.isEmpty()) {
        html += u"<p>The query has no parameters.</p>\n"_s;
    } else {
        html += u"<table class=\"grid\" id=\"parameters\">\n"_s;
        for (auto it = shown.query.parameters.cbegin(); it != shown.query.parameters.cend(); ++it)
            html += row(u':' + it.key(), boundValue(it.value()));
        html += u"</table>\n"_s;
    }

    html += u"<h2>Transfer</h2>\n"_s + transferOf(shown);
    html += u"<p class=\"muted\">Written by Sluice "_s + QStringLiteral(SLUICE_VERSION)
        + u".</p>\n</body>\n</html>\n"_s;
    return html.toUtf8();
}

bool RunReport::save(const QString &fileName, QString *error) const
{
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = u"cannot write the report %1: %2"_s.arg(fileName, file.errorString());
        return false;
    }
    file.write(toHtml());
    if (!file.commit()) {
        if (error)
            *error = u"cannot write the report %1: %2"_s.arg(fileName, file.errorString());
        return false;
    }
    return true;
}

} // namespace sluice
