// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringView>

namespace sluice {

/// One element of a status list ("target.successStatuses", "target.retryStatuses"): a
/// status (409), a class ("4xx") or a range ("500-504"), every status in 100..599. The form
/// is kept, so a list is written back as the steward wrote it.
struct StatusSpan
{
    enum class Form : quint8 { Status, Class, Range };
    static constexpr int MinStatus = 100;
    static constexpr int MaxStatus = 599;

    Form form = Form::Status;
    int first = 0; ///< inclusive
    int last = 0; ///< inclusive

    bool contains(int status) const { return status >= first && status <= last; }
    /// "409", "4xx", "500-504".
    QString toString() const;
    friend bool operator==(const StatusSpan &, const StatusSpan &) = default;
};
using StatusList = QList<StatusSpan>;

bool statusListContains(const StatusList &list, int status);
/// The smallest status in both lists, or 0 when they share none.
int firstCommonStatus(const StatusList &a, const StatusList &b);

/// One element as text: "409", "4xx" (also "4XX"), "500-504"; surrounding blanks are ignored.
/// On failure returns nullopt with *error saying why, naming the text
/// (`"5x" is not a status, a class like "5xx" or a range like "500-504"`).
std::optional<StatusSpan> statusSpanFromText(QStringView text, QString *error);
/// One element of a file's array: an integer status, or a string as statusSpanFromText().
std::optional<StatusSpan> statusSpanFromJson(const QJsonValue &value, QString *error);
/// A list as a person types it: elements separated by commas (or blanks), "2xx, 409".
/// Empty text is an empty list. *error names the first element that is wrong.
std::optional<StatusList> statusListFromText(QStringView text, QString *error);
/// The list as a person reads it: "2xx, 409".
QString statusListText(const StatusList &list);
/// The list as the file has it: [200,"4xx","500-504"].
QByteArray statusListJson(const StatusList &list);

/// What an HTTP status means for the item it answers.
enum class StatusClass : quint8 {
    Delivered,
    Retry, ///< a transient failure: sent again while retries are left
    Fail, ///< a permanent failure
};

/// The transfer's status rules. A list that is not set has its default: success 2xx,
/// retry 408, 429 and 5xx; a status in neither fails for good. A list that is set wins over
/// the other's default (success ["2xx","503"] delivers a 503; retry ["409"] retries a 409).
struct StatusClasses
{
    std::optional<StatusList> success; ///< nullopt: 2xx
    std::optional<StatusList> retry; ///< nullopt: 408, 429, 5xx

    StatusClass classify(int httpStatus) const;
    /// status is in a list the steward set (then no built-in rule about it applies).
    bool isExplicit(int status) const;
    static StatusList defaultSuccess(); ///< 2xx
    static StatusList defaultRetry(); ///< 408, 429, 5xx
    friend bool operator==(const StatusClasses &, const StatusClasses &) = default;
};

} // namespace sluice
