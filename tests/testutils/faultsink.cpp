// SPDX-License-Identifier: GPL-3.0-or-later
#include "faultsink.h"

#include <algorithm>
#include <array>

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace sluice {

namespace {

/// Headers and request line larger than this are refused: a test client never sends them.
constexpr qsizetype MaxHead = 64 * 1024;

/// FNV-1a: a stable hash (qHash is seeded per process, which would break determinism).
quint64 fnv1a(const QByteArray &bytes)
{
    quint64 h = 14695981039346656037ULL;
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

/// SplitMix64's finaliser: turns any 64-bit input into a well-mixed one.
quint64 mix64(quint64 x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 201:
        return QByteArrayLiteral("Created");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 409:
        return QByteArrayLiteral("Conflict");
    case 411:
        return QByteArrayLiteral("Length Required");
    case 422:
        return QByteArrayLiteral("Unprocessable Entity");
    case 429:
        return QByteArrayLiteral("Too Many Requests");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    default:
        return QByteArrayLiteral("Status");
    }
}

/// The body's top-level "id" as text ("42"), empty when there is none.
QString jsonIdOf(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return {};
    const QJsonValue id = document.object().value(QLatin1String("id"));
    if (id.isString())
        return id.toString();
    if (id.isDouble())
        return QString::number(id.toDouble(), 'g', 17);
    return {};
}

} // namespace

double FaultSink::FaultMix::total() const
{
    return serverError + unavailable + tooManyRequests + resetBefore + resetAfter + slow;
}

FaultSink::FaultMix FaultSink::FaultMix::spread(double percent)
{
    const double each = percent / 6;
    return {each, each, each, each, each, each};
}

FaultSink::FaultMix FaultSink::FaultMix::only(Decision fault, double percent)
{
    FaultMix mix;
    switch (fault) {
    case Decision::ServerError:
        mix.serverError = percent;
        break;
    case Decision::Unavailable:
        mix.unavailable = percent;
        break;
    case Decision::TooManyRequests:
        mix.tooManyRequests = percent;
        break;
    case Decision::ResetBefore:
        mix.resetBefore = percent;
        break;
    case Decision::ResetAfter:
        mix.resetAfter = percent;
        break;
    case Decision::Slow:
        mix.slow = percent;
        break;
    case Decision::Ok:
    case Decision::Permanent:
        qWarning("FaultSink::FaultMix::only: %s is not a transient fault",
                 qPrintable(decisionName(fault)));
        break;
    }
    return mix;
}

QByteArray FaultSink::Parsed::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

FaultSink::FaultSink(quint64 seed, QObject *parent)
    : FaultSink(seed, FaultMix(), parent)
{ }

FaultSink::FaultSink(quint64 seed, const FaultMix &mix, QObject *parent)
    : QObject(parent)
    , m_seed(seed)
    , m_mix(mix)
{
    // A burst of new connections must not overflow the default backlog of 50 (the client's SYN
    // retry would come a second later).
    m_server.setListenBacklogSize(1024);
    m_server.setMaxPendingConnections(1024);
    connect(&m_server, &QTcpServer::newConnection, this, &FaultSink::onNewConnection);
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        qWarning("FaultSink: cannot listen: %s", qPrintable(m_server.errorString()));
}

FaultSink::~FaultSink()
{
    // The sockets are children of the server (nextPendingConnection), gone with it; their
    // disconnected() must not reach a half-destroyed sink.
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it)
        it.key()->disconnect(this);
}

QUrl FaultSink::url(const QString &path) const
{
    return QUrl(urlText(path));
}

QString FaultSink::urlText(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path);
}

void FaultSink::setPermanentFailure(const QString &key, int status, const QByteArray &body)
{
    QByteArray text = body;
    if (text.isEmpty()) {
        QJsonObject error;
        error.insert(QLatin1String("error"), QLatin1String("rejected"));
        error.insert(
            QLatin1String("reason"),
            QStringLiteral("document %1 fails validation: field 'value' is out of range").arg(key));
        text = QJsonDocument(error).toJson(QJsonDocument::Compact);
    }
    m_permanent.insert(key, {status, text});
}

int FaultSink::count(Decision decision) const
{
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(),
                             [decision](const Request &r) { return r.decision == decision; }));
}

void FaultSink::clear()
{
    for (const Pending &pending : std::as_const(m_pending)) {
        if (pending.socket)
            reset(pending.socket);
    }
    m_pending.clear();
    m_requests.clear();
    m_stats.clear();
    m_documents.clear();
    m_nextCreated = 0;
}

QString FaultSink::decisionName(Decision decision)
{
    switch (decision) {
    case Decision::Ok:
        return QStringLiteral("ok");
    case Decision::ServerError:
        return QStringLiteral("500");
    case Decision::Unavailable:
        return QStringLiteral("503");
    case Decision::TooManyRequests:
        return QStringLiteral("429");
    case Decision::ResetBefore:
        return QStringLiteral("reset before processing");
    case Decision::ResetAfter:
        return QStringLiteral("reset after processing");
    case Decision::Slow:
        return QStringLiteral("slow answer");
    case Decision::Permanent:
        return QStringLiteral("permanent 4xx");
    }
    return {};
}

void FaultSink::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        m_connections.insert(socket, Connection {++m_connectionCount, {}, false});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this,
                [this, socket] { onDisconnected(socket); });
        if (socket->bytesAvailable() > 0)
            onReadyRead(socket);
    }
}

void FaultSink::onReadyRead(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->buffer.append(socket->readAll());
    // One request at a time: a client that does not pipeline sends the next one only after
    // this one's answer anyway, and a slow answer holds the connection like a real server.
    while (!it->busy && socket->state() == QAbstractSocket::ConnectedState) {
        Parsed parsed;
        const int taken = takeRequest(*it, &parsed, socket);
        if (taken <= 0)
            return;
        handle(socket, *it, std::move(parsed));
        it = m_connections.find(socket); // handle() may have reset the connection
        if (it == m_connections.end())
            return;
    }
}

void FaultSink::onDisconnected(QTcpSocket *socket)
{
    m_connections.remove(socket);
    // A slow answer still due on this connection can never arrive now.
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->socket == socket || !it->socket) {
            markLost(it->request);
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
    socket->deleteLater();
}

int FaultSink::takeRequest(Connection &connection, Parsed *parsed, QTcpSocket *socket)
{
    const qsizetype headEnd = connection.buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
        if (connection.buffer.size() > MaxHead) {
            write(socket, answerText(400, R"({"error":"header too large"})"), true);
            return -1;
        }
        return 0;
    }
    const QList<QByteArray> lines = connection.buffer.left(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1.")) {
        write(socket, answerText(400, R"({"error":"bad request line"})"), true);
        return -1;
    }
    parsed->method = requestLine.at(0);
    parsed->target = requestLine.at(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        parsed->headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    if (!parsed->header("Transfer-Encoding").isEmpty()) {
        write(socket, answerText(411, R"({"error":"Content-Length bodies only"})"), true);
        return -1;
    }
    bool ok = true;
    const QByteArray lengthText = parsed->header("Content-Length");
    const qsizetype length = lengthText.isEmpty() ? 0 : lengthText.toLongLong(&ok);
    if (!ok || length < 0) {
        write(socket, answerText(400, R"({"error":"bad Content-Length"})"), true);
        return -1;
    }
    const qsizetype total = headEnd + 4 + length;
    if (connection.buffer.size() < total)
        return 0;
    parsed->body = connection.buffer.mid(headEnd + 4, length);
    connection.buffer.remove(0, total);
    parsed->close = parsed->header("Connection").compare("close", Qt::CaseInsensitive) == 0
        || requestLine.at(2) == "HTTP/1.0";
    return 1;
}

void FaultSink::handle(QTcpSocket *socket, Connection &connection, Parsed &&parsed)
{
    Request request;
    request.method = parsed.method;
    request.connection = connection.serial;
    request.requestId = parsed.header("X-Request-ID");
    request.idempotencyKey = parsed.header("Idempotency-Key");
    const QUrl url(QString::fromUtf8(parsed.target));
    request.path = url.path(QUrl::FullyDecoded);
    const QStringList segments = url.path(QUrl::FullyEncoded).split(u'/', Qt::SkipEmptyParts);
    const bool put = parsed.method == "PUT" && segments.size() == 2;
    const bool post = parsed.method == "POST" && segments.size() == 1;
    if (!put && !post) {
        request.status = 405;
        m_requests.append(request);
        write(socket,
              answerText(405, R"({"error":"PUT /<collection>/<key> or POST /<collection>"})"),
              parsed.close);
        return;
    }
    request.key = put ? QUrl::fromPercentEncoding(segments.at(1).toUtf8()) : jsonIdOf(parsed.body);
    KeyStats &stats = m_stats[request.key];
    request.attemptOfKey = ++stats.requests;
    request.decision = decide(request.key, parsed.body, request.attemptOfKey);
    if (request.decision != Decision::Ok && request.decision != Decision::Permanent)
        ++stats.faults;
    const int index = int(m_requests.size());
    m_requests.append(request);

    switch (request.decision) {
    case Decision::Ok: {
        store(index, parsed.body);
        const Request &r = m_requests.at(index);
        QJsonObject answer;
        if (r.status == 409) {
            answer.insert(QLatin1String("error"), QLatin1String("conflict"));
            answer.insert(QLatin1String("reason"), QLatin1String("Document update conflict."));
        } else {
            answer.insert(QLatin1String("ok"), true);
            answer.insert(QLatin1String("id"), put ? r.key : r.createdId);
        }
        write(socket, answerText(r.status, QJsonDocument(answer).toJson(QJsonDocument::Compact)),
              parsed.close);
        return;
    }
    case Decision::ServerError:
        m_requests[index].status = 500;
        write(socket, answerText(500, R"({"error":"internal","reason":"injected fault"})"),
              parsed.close);
        return;
    case Decision::Unavailable:
        m_requests[index].status = 503;
        write(socket, answerText(503, R"({"error":"unavailable","reason":"injected fault"})"),
              parsed.close);
        return;
    case Decision::TooManyRequests: {
        m_requests[index].status = 429;
        // 0 or 1 s, from the same per-request number: short, so a run does not crawl.
        const quint64 bit
            = mix64(m_seed ^ fnv1a(request.key.toUtf8()) ^ quint64(request.attemptOfKey)) >> 63;
        write(socket,
              answerText(429, R"({"error":"too many requests"})",
                         "Retry-After: " + QByteArray::number(bit) + "\r\n"),
              parsed.close);
        return;
    }
    case Decision::ResetBefore:
        reset(socket);
        return;
    case Decision::ResetAfter:
        store(index, parsed.body);
        markLost(index);
        reset(socket);
        return;
    case Decision::Slow: {
        const bool storeFirst = m_slowStore == SlowStore::Before;
        if (storeFirst)
            store(index, parsed.body);
        connection.busy = true;
        const quint64 serial = ++m_nextPending;
        m_pending.insert(serial,
                         Pending {socket, index, {}, parsed.close, !storeFirst, parsed.body});
        QTimer::singleShot(m_slowDelayMs, this, [this, serial] { finishSlow(serial); });
        return;
    }
    case Decision::Permanent: {
        const auto &[status, body] = m_permanent.value(request.key);
        m_requests[index].status = status;
        write(socket, answerText(status, body), parsed.close);
        return;
    }
    }
}

FaultSink::Decision FaultSink::decide(const QString &key, const QByteArray &body, int attempt)
{
    if (m_permanent.contains(key))
        return Decision::Permanent;
    if (m_maxFaultsPerKey >= 0 && m_stats.value(key).faults >= m_maxFaultsPerKey)
        return Decision::Ok;
    const quint64 keyHash = fnv1a(key.isEmpty() ? body : key.toUtf8());
    const quint64 h = mix64(mix64(m_seed ^ keyHash) + quint64(attempt));
    const double roll = double(h >> 11) * 0x1.0p-53 * 100; // uniform in [0, 100)
    const std::array<std::pair<double, Decision>, 6> kinds {{
        {m_mix.serverError, Decision::ServerError},
        {m_mix.unavailable, Decision::Unavailable},
        {m_mix.tooManyRequests, Decision::TooManyRequests},
        {m_mix.resetBefore, Decision::ResetBefore},
        {m_mix.resetAfter, Decision::ResetAfter},
        {m_mix.slow, Decision::Slow},
    }};
    double bound = 0;
    for (const auto &[percent, decision] : kinds) {
        bound += percent;
        if (roll < bound)
            return decision;
    }
    return Decision::Ok;
}

void FaultSink::store(int index, const QByteArray &body)
{
    Request &r = m_requests[index];
    KeyStats &stats = m_stats[r.key];
    if (r.method == "POST") {
        r.createdId = QString::number(++m_nextCreated);
        m_documents.insert(r.createdId, body);
        r.status = 201;
    } else if (m_documents.contains(r.key)) {
        if (m_conflictOnExisting) {
            r.status = 409;
            return;
        }
        m_documents.insert(r.key, body);
        r.status = 200;
    } else {
        m_documents.insert(r.key, body);
        r.status = 201;
    }
    r.stored = true;
    ++stats.stores;
}

void FaultSink::markLost(int index)
{
    Request &r = m_requests[index];
    if (!r.stored || r.answerLost)
        return;
    r.answerLost = true;
    ++m_stats[r.key].lostAnswers;
}

void FaultSink::finishSlow(quint64 serial)
{
    const auto it = m_pending.find(serial);
    if (it == m_pending.end())
        return; // the connection went away first, already accounted for
    const Pending pending = *it;
    m_pending.erase(it);
    QTcpSocket *socket = pending.socket;
    if (!socket || socket->state() != QAbstractSocket::ConnectedState) {
        markLost(pending.request);
        return;
    }
    if (pending.storeOnAnswer)
        store(pending.request, pending.body);
    const Request &r = m_requests.at(pending.request);
    const int status = r.status;
    QJsonObject answer;
    answer.insert(QLatin1String("ok"), status < 300);
    answer.insert(QLatin1String("id"), r.createdId.isEmpty() ? r.key : r.createdId);
    write(socket, answerText(status, QJsonDocument(answer).toJson(QJsonDocument::Compact)),
          pending.close);
    const auto connection = m_connections.find(socket);
    if (connection != m_connections.end()) {
        connection->busy = false;
        // The client may have sent more meanwhile (it does not pipeline, but be exact).
        if (!connection->buffer.isEmpty() || socket->bytesAvailable() > 0)
            QTimer::singleShot(0, socket, [this, socket] { onReadyRead(socket); });
    }
}

void FaultSink::reset(QTcpSocket *socket)
{
#ifdef Q_OS_UNIX
    // SO_LINGER with a zero timeout: close() sends a RST, not a FIN, as a crashed or
    // overloaded server's kernel would.
    const linger hard {1, 0};
    ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
#endif
    m_connections.remove(socket);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->socket == socket) {
            markLost(it->request);
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
}

void FaultSink::write(QTcpSocket *socket, const QByteArray &answer, bool close)
{
    socket->write(answer);
    if (close) {
        m_connections.remove(socket);
        socket->disconnectFromHost(); // after the answer is written
    }
}

QByteArray FaultSink::answerText(int status, const QByteArray &body, const QByteArray &extraHeaders)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
        + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n" + extraHeaders + "\r\n" + body;
}

} // namespace sluice
