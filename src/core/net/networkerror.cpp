// SPDX-License-Identifier: GPL-3.0-or-later
#include "networkerror.h"

#include <QCoreApplication>

namespace sluice {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sluice::NetworkError", text);
}

} // namespace

QString networkErrorText(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::NoError:
        return tr("no error");
    case QNetworkReply::ConnectionRefusedError:
        return tr("connection refused: is the server running and the port right?");
    case QNetworkReply::RemoteHostClosedError:
        return tr("the server closed the connection before answering");
    case QNetworkReply::HostNotFoundError:
        return tr("host not found: check the host name in the URL");
    case QNetworkReply::TimeoutError:
        return tr("timed out waiting for the server");
    case QNetworkReply::OperationCanceledError:
        return tr("cancelled");
    case QNetworkReply::SslHandshakeFailedError:
        return tr("TLS handshake failed (certificate or protocol not accepted)");
    case QNetworkReply::TemporaryNetworkFailureError:
        return tr("temporary network failure");
    case QNetworkReply::NetworkSessionFailedError:
        return tr("network session failed (no network connection?)");
    case QNetworkReply::BackgroundRequestNotAllowedError:
        return tr("background requests are not allowed");
    case QNetworkReply::TooManyRedirectsError:
        return tr("too many redirects");
    case QNetworkReply::InsecureRedirectError:
        return tr("refused an insecure redirect (https to http)");
    case QNetworkReply::UnknownNetworkError:
        return tr("network error (host or network unreachable, or connection reset)");
    case QNetworkReply::ProxyConnectionRefusedError:
        return tr("the proxy refused the connection");
    case QNetworkReply::ProxyConnectionClosedError:
        return tr("the proxy closed the connection");
    case QNetworkReply::ProxyNotFoundError:
        return tr("proxy host not found");
    case QNetworkReply::ProxyTimeoutError:
        return tr("timed out waiting for the proxy");
    case QNetworkReply::ProxyAuthenticationRequiredError:
        return tr("the proxy requires authentication");
    case QNetworkReply::UnknownProxyError:
        return tr("proxy error");
    case QNetworkReply::ContentAccessDenied:
        return tr("access denied");
    case QNetworkReply::ContentOperationNotPermittedError:
        return tr("operation not permitted");
    case QNetworkReply::ContentNotFoundError:
        return tr("not found");
    case QNetworkReply::AuthenticationRequiredError:
        return tr("authentication required (credentials missing or rejected)");
    case QNetworkReply::ContentReSendError:
        return tr("the request had to be sent again and could not be");
    case QNetworkReply::ContentConflictError:
        return tr("conflict with the current state of the resource");
    case QNetworkReply::ContentGoneError:
        return tr("the resource is gone");
    case QNetworkReply::UnknownContentError:
        return tr("the server rejected the request");
    case QNetworkReply::ProtocolUnknownError:
        return tr("unsupported protocol (the URL must start with http:// or https://)");
    case QNetworkReply::ProtocolInvalidOperationError:
        return tr("the server does not allow this operation");
    case QNetworkReply::ProtocolFailure:
        return tr("HTTP protocol error (the answer could not be understood)");
    case QNetworkReply::InternalServerError:
        return tr("internal server error");
    case QNetworkReply::OperationNotImplementedError:
        return tr("the server does not implement this operation");
    case QNetworkReply::ServiceUnavailableError:
        return tr("service unavailable");
    case QNetworkReply::UnknownServerError:
        return tr("server error");
    }
    // Not a `default:` label, so a NetworkError added by a later Qt shows up as a -Wswitch warning.
    return tr("network error %1").arg(static_cast<int>(error));
}

bool isConnectionLevelError(QNetworkReply::NetworkError error)
{
    return error > QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied;
}

} // namespace sluice
