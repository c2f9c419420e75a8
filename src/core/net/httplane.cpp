// SPDX-License-Identifier: GPL-3.0-or-later
#include "httplane.h"

#include <algorithm>
#include <utility>

#include <QNetworkAccessManager>

#include "log/logging.h"

namespace sluice {

HttpLane::HttpLane(const Config &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    m_config.managers = std::max(1, m_config.managers);
    // Collect every reply that finishes in one pass of the event loop and hand them over in
    // one queued signal: cross-thread events cost more than the work per reply.
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &HttpLane::flush);

    m_template.setTransferTimeout(m_config.timeoutMs);
    // Qt's default (NoLessSafeRedirectPolicy) follows a 301/302/303 answer to a POST with a GET
    // and reports that GET's 2xx: the item would count as delivered though the target never
    // stored it. So nothing is followed and a 3xx is a failure naming the new location.
    m_template.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                            QNetworkRequest::ManualRedirectPolicy);
    m_template.setRawHeader(QByteArrayLiteral("Content-Type"),
                            QByteArrayLiteral("application/json"));
    m_template.setRawHeader(QByteArrayLiteral("User-Agent"),
                            QByteArrayLiteral("Sluice/" SLUICE_VERSION));
    for (const auto &[name, value] : std::as_const(m_config.headers))
        m_template.setRawHeader(name, value); // replaces a default of the same name
}

HttpLane::~HttpLane()
{
    m_flushTimer.stop();
    for (const Manager &manager : m_managers)
        disconnect(manager.nam, nullptr, this, nullptr);
    // Abort before the managers (children) go, so no reply outlives its connection silently.
    const QList<QNetworkReply *> replies = m_byReply.keys();
    for (QNetworkReply *reply : replies)
        reply->abort();
}

void HttpLane::start()
{
    if (!m_managers.empty())
        return;
    m_managers.resize(static_cast<size_t>(m_config.managers));
    for (Manager &manager : m_managers) {
        manager.nam = new QNetworkAccessManager(this);
        // QNAM::finished (one connection per manager) instead of one lambda connection per reply.
        connect(manager.nam, &QNetworkAccessManager::finished, this, &HttpLane::onReplyFinished);
    }
    const auto maxActive = static_cast<size_t>(capacity());
    m_active.resize(maxActive);
    m_freeActive.reserve(maxActive);
    for (int i = capacity() - 1; i >= 0; --i)
        m_freeActive.push_back(i);
    m_byReply.reserve(capacity());
}

void HttpLane::send(QList<Request> requests)
{
    if (m_managers.empty())
        start();
    for (Request &request : requests) {
        if (m_freeActive.empty()) {
            // The caller broke the capacity contract; answer rather than queue inside QNAM.
            qCCritical(lcNet, "HttpLane: more requests than capacity (%d); refusing one",
                       capacity());
            Response response;
            response.slot = request.slot;
            response.generation = request.generation;
            response.error = QNetworkReply::UnknownNetworkError;
            m_done.append(std::move(response));
            continue;
        }
        // Least busy manager: never above MaxPerManager while the lane is within capacity.
        auto manager = std::min_element(
            m_managers.begin(), m_managers.end(),
            [](const Manager &a, const Manager &b) { return a.inFlight < b.inFlight; });
        const int index = m_freeActive.back();
        m_freeActive.pop_back();
        Active &active = m_active[static_cast<size_t>(index)];
        active.slot = request.slot;
        active.generation = request.generation;
        active.manager = static_cast<int>(manager - m_managers.begin());
        active.aborted = false;

        QNetworkRequest networkRequest(m_template);
        networkRequest.setUrl(request.url.isEmpty() ? m_config.url : QUrl(request.url));
        networkRequest.setRawHeader(QByteArrayLiteral("X-Request-ID"), request.requestId);

        active.clock.start();
        QNetworkReply *reply = nullptr;
        if (m_config.method == "POST")
            reply = manager->nam->post(networkRequest, request.payload);
        else if (m_config.method == "PUT")
            reply = manager->nam->put(networkRequest, request.payload);
        else
            reply
                = manager->nam->sendCustomRequest(networkRequest, m_config.method, request.payload);
        ++manager->inFlight;
        m_byReply.insert(reply, index);
    }
    if (!m_done.isEmpty() && !m_flushTimer.isActive())
        m_flushTimer.start();
}

void HttpLane::abortAll()
{
    // abort() emits finished() synchronously, which edits m_byReply: iterate over a copy.
    const QList<QNetworkReply *> replies = m_byReply.keys();
    for (QNetworkReply *reply : replies) {
        const auto it = m_byReply.constFind(reply);
        if (it == m_byReply.cend())
            continue;
        m_active[static_cast<size_t>(*it)].aborted = true;
        reply->abort();
    }
}

void HttpLane::onReplyFinished(QNetworkReply *reply)
{
    const int index = m_byReply.take(reply);
    Active &active = m_active[static_cast<size_t>(index)];

    Response response;
    response.slot = active.slot;
    response.generation = active.generation;
    response.latencyMs = active.clock.elapsed();
    response.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.error = reply->error();
    // Qt 6.4 reports an expired transfer timeout as OperationCanceledError, the same as abort():
    // only our own abort is a cancellation.
    if (response.error == QNetworkReply::OperationCanceledError && !active.aborted)
        response.error = QNetworkReply::TimeoutError;
    const bool delivered = response.error == QNetworkReply::NoError && response.httpStatus >= 200
        && response.httpStatus <= 299;
    if (!delivered) {
        response.reasonPhrase
            = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        if (reply->isOpen()) // an aborted or timed-out reply is closed
            response.body = reply->read(m_config.maxResponseBytes);
        response.retryAfter = reply->rawHeader(QByteArrayLiteral("Retry-After"));
        if (response.httpStatus >= 300 && response.httpStatus <= 399)
            response.location = reply->rawHeader(QByteArrayLiteral("Location"));
    } else {
        // The answer to a delivered item is shown, not analysed: its start is enough.
        response.body
            = reply->read(std::min<qint64>(m_config.maxResponseBytes, DeliveredResponseBytes));
    }

    --m_managers[static_cast<size_t>(active.manager)].inFlight;
    m_freeActive.push_back(index);
    reply->deleteLater();

    m_done.append(std::move(response));
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void HttpLane::flush()
{
    if (m_done.isEmpty())
        return;
    Q_EMIT finished(std::exchange(m_done, {}));
}

} // namespace sluice
