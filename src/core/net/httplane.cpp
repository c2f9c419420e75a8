// SPDX-License-Identifier: GPL-3.0-or-later
#include "httplane.h"

#include <algorithm>
#include <utility>

#include <QNetworkAccessManager>
#include <QSslConfiguration>

#include "log/logging.h"

#ifdef Q_OS_LINUX
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

namespace sluice {

namespace {

/// At most limit bytes of a finished reply's body. QIODevice::read(limit) first allocates limit
/// bytes and shrinks afterwards (Qt 6.4): with the bulk limit, every answer cost a 256 MiB
/// allocation (an mmap and munmap, and under AddressSanitizer 32 MiB of shadow written).
QByteArray readUpTo(QNetworkReply *reply, qint64 limit)
{
    return reply->read(std::min(reply->bytesAvailable(), limit));
}

} // namespace

HttpLane::HttpLane(const Config &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    m_config.managers = std::max(1, m_config.managers);
    m_config.perManager = std::max(1, m_config.perManager);
    // Collect every reply that finishes in one pass of the event loop and hand them over in
    // one queued signal: cross-thread events cost more than the work per reply.
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &HttpLane::flush);

    m_template.setUrl(m_config.url);
    m_targetPort = m_config.url.port(
        m_config.url.scheme().compare(u"https", Qt::CaseInsensitive) == 0 ? 443 : 80);
    m_template.setTransferTimeout(m_config.timeoutMs);
    // Qt's default (NoLessSafeRedirectPolicy) follows a 301/302/303 answer to a POST with a GET
    // and reports that GET's 2xx: the item would count as delivered though the target never
    // stored it. So nothing is followed and a 3xx is a failure naming the new location.
    m_template.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                            QNetworkRequest::ManualRedirectPolicy);
    switch (m_config.http2) {
    case Http2Mode::Auto:
        break; // Qt 6 offers h2 by ALPN over TLS; plain http stays HTTP/1.1
    case Http2Mode::PriorKnowledge:
        m_template.setAttribute(QNetworkRequest::Http2DirectAttribute, true);
        break;
    case Http2Mode::Off:
        m_template.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        break;
    }
    if (!m_config.caCertificates.isEmpty()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(m_config.caCertificates);
        m_template.setSslConfiguration(ssl);
    }
    m_template.setRawHeader(QByteArrayLiteral("Content-Type"),
                            m_config.codec ? m_config.codec->contentType()
                                           : QByteArrayLiteral("application/json"));
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

void HttpLane::setPerManager(int perManager)
{
    m_config.perManager = std::max(1, perManager);
}

HttpLane::Manager &HttpLane::pickManager()
{
    // The least busy manager; a new one only when every one is full, so HTTP/2 keeps to as
    // few connections as the streams need.
    auto least = std::min_element(
        m_managers.begin(), m_managers.end(),
        [](const Manager &a, const Manager &b) { return a.inFlight < b.inFlight; });
    if (least != m_managers.end()
        && (least->inFlight < m_config.perManager || int(m_managers.size()) >= m_config.managers))
        return *least;
    Manager &manager = m_managers.emplace_back();
    manager.nam = new QNetworkAccessManager(this);
    // QNAM::finished (one connection per manager) instead of one lambda connection per reply.
    connect(manager.nam, &QNetworkAccessManager::finished, this, &HttpLane::onReplyFinished);
    return manager;
}

QNetworkReply *HttpLane::post(QNetworkAccessManager *nam, const QNetworkRequest &request,
                              const QByteArray &body)
{
    if (m_config.method == "POST")
        return nam->post(request, body);
    if (m_config.method == "PUT")
        return nam->put(request, body);
    return nam->sendCustomRequest(request, m_config.method, body);
}

void HttpLane::send(QList<Request> requests)
{
    for (Request &request : requests) {
        Manager &manager = pickManager();
        const int managerIndex = int(&manager - m_managers.data());
        int index = 0;
        if (m_freeActive.empty()) {
            index = int(m_active.size());
            m_active.emplace_back();
        } else {
            index = m_freeActive.back();
            m_freeActive.pop_back();
        }
        Active &active = m_active[size_t(index)];
        active.slot = request.slot;
        active.generation = request.generation;
        active.manager = managerIndex;
        active.parts = request.parts.size();
        active.sends = 0;
        active.aborted = false;

        if (m_config.codec) {
            const BulkCodec &codec = *m_config.codec;
            QByteArray body;
            body.reserve(codec.frameBytes() + request.partBytes);
            codec.begin(&body);
            // CouchDB's answer is matched to the docs by the ids they were sent with.
            const bool couch = codec.mode() == TargetMode::CouchdbBulk;
            active.documentIds.clear();
            for (const Part &part : std::as_const(request.parts)) {
                if (couch)
                    codec.append(&body, part.payload, part.key, &active.documentIds.emplace_back());
                else
                    codec.append(&body, part.payload, part.key);
            }
            codec.end(&body);
            request.payload = std::move(body);
            request.parts.clear();
        }

        QNetworkRequest networkRequest(m_template);
        if (!request.url.isEmpty())
            networkRequest.setUrl(QUrl(request.url));
        networkRequest.setRawHeader(QByteArrayLiteral("X-Request-ID"), request.requestId);
        if (!request.idempotencyKey.isEmpty())
            networkRequest.setRawHeader(QByteArrayLiteral("Idempotency-Key"),
                                        request.idempotencyKey);

        active.clock.start();
        QNetworkReply *reply = post(manager.nam, networkRequest, request.payload);
        ++manager.inFlight;
        m_byReply.insert(reply, index);
        // Qt re-sends a request by itself when a kept-alive connection closes before the
        // answer, and says so only by emitting requestSent() again.
        connect(reply, &QNetworkReply::requestSent, this, [this, reply] {
            const auto it = m_byReply.constFind(reply);
            if (it != m_byReply.cend())
                ++m_active[static_cast<size_t>(*it)].sends;
        });
    }
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
    response.latencyUs = active.clock.nsecsElapsed() / 1000;
    response.latencyMs = response.latencyUs / 1000;
    response.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    response.http2 = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool();
    response.resent = active.sends > 1;
    response.error = reply->error();
    // Qt 6.4 reports an expired transfer timeout as OperationCanceledError, the same as abort():
    // only our own abort is a cancellation.
    if (response.error == QNetworkReply::OperationCanceledError && !active.aborted)
        response.error = QNetworkReply::TimeoutError;
    const bool delivered = response.error == QNetworkReply::NoError && response.httpStatus >= 200
        && response.httpStatus <= 299;
    const bool open = reply->isOpen(); // an aborted or timed-out reply is closed
    if (m_config.codec && response.httpStatus > 0) {
        // The whole answer is needed to learn each item's fate; a failure keeps its start.
        const QByteArray all = open ? readUpTo(reply, MaxBulkResponseBytes) : QByteArray();
        response.bulk = m_config.codec->mode() == TargetMode::CouchdbBulk
            ? m_config.codec->parse(response.httpStatus, all, active.documentIds)
            : m_config.codec->parse(response.httpStatus, all, active.parts);
        response.body = delivered ? QByteArray() : all.left(m_config.maxResponseBytes);
    } else if (delivered) {
        // The answer to a delivered item is shown, not analysed: its start is enough.
        if (open)
            response.body = readUpTo(
                reply, std::min<qint64>(m_config.maxResponseBytes, DeliveredResponseBytes));
    } else if (open) {
        response.body = readUpTo(reply, m_config.maxResponseBytes);
    }
    if (!delivered) {
        response.reasonPhrase
            = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        response.retryAfter = reply->rawHeader(QByteArrayLiteral("Retry-After"));
        if (response.httpStatus >= 300 && response.httpStatus <= 399)
            response.location = reply->rawHeader(QByteArrayLiteral("Location"));
    }

    --m_managers[static_cast<size_t>(active.manager)].inFlight;
    m_freeActive.push_back(index);
    reply->deleteLater();

    m_done.append(std::move(response));
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
    if (!m_nagleScan.isValid() || m_nagleScan.elapsed() >= 500) {
        disableNagleOnTargetSockets();
        m_nagleScan.start();
    }
}

// Qt 6.4 leaves Nagle's algorithm on for its HTTP sockets (QHttpNetworkConnectionChannel has
// the TCP_NODELAY line commented out). HTTP/2 writes a request as several small frames, and
// Nagle holds each one back until the previous is acknowledged: HTTP/2 over TLS with 16
// streams did 2.4-3.3k items/s with it and 7.3k/s without (20,000 items), h2c at 20 ms with
// 100 streams 3.3k and 4.4k/s; plain HTTP/1.1, CPU-bound, is the same either way. Qt never
// hands out its sockets, so the lane looks for the process's TCP sockets connected to the
// target's port (when an answer came, at most every half second) and turns Nagle off on
// them. It changes when segments leave, never what they carry.
void HttpLane::disableNagleOnTargetSockets()
{
#ifdef Q_OS_LINUX
    DIR *dir = opendir("/proc/self/fd");
    if (!dir)
        return;
    while (const dirent *entry = readdir(dir)) {
        bool ok = false;
        const int fd = QByteArray(entry->d_name).toInt(&ok);
        if (!ok || fd == dirfd(dir))
            continue;
        int type = 0;
        socklen_t length = sizeof type;
        if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0 || type != SOCK_STREAM)
            continue;
        sockaddr_storage peer {};
        socklen_t peerLength = sizeof peer;
        if (getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &peerLength) != 0)
            continue;
        int port = -1;
        if (peer.ss_family == AF_INET)
            port = ntohs(reinterpret_cast<const sockaddr_in *>(&peer)->sin_port);
        else if (peer.ss_family == AF_INET6)
            port = ntohs(reinterpret_cast<const sockaddr_in6 *>(&peer)->sin6_port);
        if (port != m_targetPort)
            continue;
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    closedir(dir);
#endif
}

void HttpLane::flush()
{
    if (m_done.isEmpty())
        return;
    Q_EMIT finished(std::exchange(m_done, {}));
}

} // namespace sluice
