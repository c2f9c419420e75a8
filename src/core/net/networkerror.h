// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QNetworkReply>
#include <QString>

namespace sluice {

/// The one place that turns a NetworkError into plain words for people ("connection refused",
/// "timed out"). Short, lower case, no URL: callers add the context. Translatable (context
/// "sluice::NetworkError"). Any thread.
QString networkErrorText(QNetworkReply::NetworkError error);

/// The error is the network's or a proxy's (Qt numbers them 1-99 and 101-199), not an HTTP
/// answer's: no status from the server stands behind it.
bool isConnectionLevelError(QNetworkReply::NetworkError error);

} // namespace sluice
