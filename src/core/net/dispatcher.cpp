// SPDX-License-Identifier: GPL-3.0-or-later
#include "dispatcher.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include <QDateTime>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QThread>
#include <QUrl>

#include "log/logging.h"
#include "net/networkerror.h"
#include "util/queuedcall.h"
#include "util/text.h"

namespace sluice {

namespace {

// Enough of a response body for one line of an error message or a log entry.
constexpr qsizetype MaxFirstLine = 200;
constexpr qsizetype MaxLoggedResponse = 1000;

/// The request went through and was answered 2xx (in a bulk mode: its answer holds the
/// items' own statuses); what counts as delivered for an item is StatusClasses' call.
bool isDelivered(const HttpLane::Response &response)
{
    return response.error == QNetworkReply::NoError && response.httpStatus >= 200
        && response.httpStatus <= 299;
}

/// The request may have reached the server although no answer came back: the connection
/// broke or timed out after it went out. Refused connections, unknown hosts and failed TLS
/// handshakes never carried it.
bool mayHaveArrived(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::OperationCanceledError: // our own abort: cancel() reports those
        return false;
    default:
        return true;
    }
}

/// Replaces HTML's character references that error pages use with their characters.
QString decodeHtmlEntities(QString text)
{
    static const QRegularExpression numeric(QStringLiteral("&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});"));
    QRegularExpressionMatch match;
    qsizetype from = 0;
    while ((match = numeric.match(text, from)).hasMatch()) {
        const QString digits = match.captured(1);
        bool ok = false;
        const uint code
            = digits.startsWith(u'x') ? digits.mid(1).toUInt(&ok, 16) : digits.toUInt(&ok, 10);
        const char32_t c = ok && code > 0 && code <= 0x10FFFF && (code < 0xD800 || code > 0xDFFF)
            ? char32_t(code)
            : char32_t(0xFFFD);
        const QString character = QString::fromUcs4(&c, 1);
        text.replace(match.capturedStart(), match.capturedLength(), character);
        from = match.capturedStart() + character.size();
    }
    text.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
    text.replace(QLatin1String("&lt;"), QLatin1String("<"));
    text.replace(QLatin1String("&gt;"), QLatin1String(">"));
    text.replace(QLatin1String("&quot;"), QLatin1String("\""));
    text.replace(QLatin1String("&apos;"), QLatin1String("'"));
    text.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return text;
}

/// The words of an HTML error page (a proxy's 502, a framework's 500) on one line: its
/// title, then its text without tags, scripts and styles. Empty when body is not HTML.
QString htmlPageText(QByteArrayView body, qsizetype maxLength)
{
    const QByteArrayView trimmed = body.trimmed();
    const QByteArrayView start = trimmed.first(std::min<qsizetype>(trimmed.size(), 1024));
    if (!start.startsWith('<'))
        return {};
    const QByteArray lower = start.toByteArray().toLower();
    if (!lower.contains("<html") && !lower.contains("<body") && !lower.contains("<title")
        && !lower.contains("<h1") && !lower.contains("<!doctype html"))
        return {};
    QString page = QString::fromUtf8(body);
    const auto option = QRegularExpression::CaseInsensitiveOption
        | QRegularExpression::DotMatchesEverythingOption;
    static const QRegularExpression titleTag(QStringLiteral("<title[^>]*>(.*?)</title\\s*>"),
                                             option);
    static const QRegularExpression hidden(
        QStringLiteral("<!--.*?-->|<(head|script|style)\\b[^>]*>.*?</\\1\\s*>"), option);
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    static const QRegularExpression space(QStringLiteral("\\s+"));
    const QString title = decodeHtmlEntities(titleTag.match(page).captured(1))
                              .replace(space, QStringLiteral(" "))
                              .trimmed();
    page.replace(hidden, QStringLiteral(" "));
    page.replace(tag, QStringLiteral(" "));
    QString text = decodeHtmlEntities(page).replace(space, QStringLiteral(" ")).trimmed();
    if (!title.isEmpty() && text.startsWith(title))
        text = text.mid(title.size()).trimmed();
    QString line = title.isEmpty() ? text
        : text.isEmpty()           ? title
                                   : title + QLatin1String(": ") + text;
    if (line.size() > maxLength)
        line = line.left(maxLength).trimmed() + u'\x2026';
    return line;
}

/// timeoutMs as seconds for people: "30", "0.2".
QString secondsText(int timeoutMs)
{
    return timeoutMs % 1000 == 0 ? QString::number(timeoutMs / 1000)
                                 : QString::number(timeoutMs / 1000.0, 'g', 3);
}

QString failureText(const HttpLane::Response &response, int timeoutMs)
{
    QString text;
    if (response.error == QNetworkReply::TimeoutError && timeoutMs > 0) {
        // How long it waited: a steward compares it with how slow the server is.
        text = QStringLiteral("timed out after %1 s waiting for the server")
                   .arg(secondsText(timeoutMs));
    } else if (response.httpStatus <= 0 || isConnectionLevelError(response.error)) {
        text = networkErrorText(response.error);
    } else {
        text = QStringLiteral("HTTP %1").arg(response.httpStatus);
        if (!response.reasonPhrase.isEmpty())
            text += u' ' + QString::fromLatin1(response.reasonPhrase);
        if (response.httpStatus >= 300 && response.httpStatus <= 399) {
            text += response.location.isEmpty() ? QStringLiteral(" (redirect not followed)")
                                                : QStringLiteral(" (redirect to %1 not followed)")
                                                      .arg(QString::fromLatin1(response.location));
        }
    }
    // An HTML page's first line is "<!DOCTYPE html>" or "<html>": its words say more.
    QString line = htmlPageText(response.body, MaxFirstLine);
    if (line.isEmpty())
        line = firstLine(response.body, MaxFirstLine);
    // Binary garbage stays readable (and a NUL cannot cut the message short when printed).
    for (QChar &c : line) {
        if (c == u'\t')
            c = u' ';
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QChar(QChar::ReplacementCharacter);
    }
    if (!line.isEmpty())
        text += QLatin1String(": ") + line;
    return text;
}

// A random (version 4) UUID as X-Request-ID. QUuid::createUuid() asks the kernel for its
// randomness on every call (one getrandom() syscall per request); a request id needs to be
// unique, not secret, so Qt's securely seeded generator is enough.
QByteArray newRequestId()
{
    static constexpr char Hex[] = "0123456789abcdef";
    quint64 bits[2];
    QRandomGenerator::global()->fillRange(bits);
    bits[0] = (bits[0] & ~quint64(0xf000)) | 0x4000; // version 4
    bits[1] = (bits[1] & ~(quint64(0xc) << 60)) | (quint64(0x8) << 60); // variant 10
    QByteArray id(36, Qt::Uninitialized);
    char *out = id.data();
    int nibble = 0;
    for (int i = 0; i < 36; ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            out[i] = '-';
            continue;
        }
        const quint64 word = bits[nibble / 16];
        out[i] = Hex[(word >> (60 - 4 * (nibble % 16))) & 0xf];
        ++nibble;
    }
    return id;
}

} // namespace

Dispatcher::Dispatcher(const DispatchConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    m_config.method = m_config.method.trimmed().toUpper();
    if (m_config.method.isEmpty())
        m_config.method = QByteArrayLiteral("POST");
    m_config.timeoutMs = std::max(0, m_config.timeoutMs);
    m_config.maxResponseBytes = std::max(0, m_config.maxResponseBytes);
    m_config.batchSize = std::clamp(m_config.batchSize, 1, TargetSpec::MaxBatchSize);
    m_config.batchBytes = std::max<qint64>(1, m_config.batchBytes);
    m_config.maxRequestsPerSecond = std::max(0.0, m_config.maxRequestsPerSecond);
    if (isBulk(m_config.mode))
        m_codec
            = std::make_shared<const BulkCodec>(m_config.mode, m_config.bulkAction, m_config.keyed);
    m_concurrency = std::clamp(m_config.concurrency, 1, MaxConcurrency);
    m_window = m_concurrency;
    m_managers = (m_concurrency + HttpLane::MaxPerManager - 1) / HttpLane::MaxPerManager;
    m_lowWater = std::max<qsizetype>(
        std::min<qsizetype>(qsizetype(m_concurrency) * itemsPerRequest() * 2, 100000), 64);
    const int laneCount = std::min(m_managers, std::max(2, QThread::idealThreadCount()));

    // What the answers will come over: known up front except for https with Auto, where
    // ALPN decides per connection; the first request then goes alone to find out.
    m_tls = QUrl(m_config.url).scheme().compare(u"https", Qt::CaseInsensitive) == 0;
    if (m_config.http2 == Http2Mode::PriorKnowledge)
        m_protocol = Protocol::Http2;
    else if (m_config.http2 == Http2Mode::Off || !m_tls)
        m_protocol = Protocol::Http1;
    m_probing = m_protocol == Protocol::Unknown;

    m_slots.resize(static_cast<size_t>(m_concurrency));
    m_freeSlots.reserve(static_cast<size_t>(m_concurrency));
    for (int i = m_concurrency - 1; i >= 0; --i)
        m_freeSlots.push_back(static_cast<quint32>(i));
    m_outSending.reserve(static_cast<size_t>(m_concurrency));

    m_pumpTimer.setSingleShot(true);
    m_pumpTimer.setInterval(0);
    connect(&m_pumpTimer, &QTimer::timeout, this, &Dispatcher::pump);
    m_retryTimer.setSingleShot(true);
    // A coarse timer may fire up to 5% early; Retry-After is a promise to the server.
    m_retryTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_retryTimer, &QTimer::timeout, this, &Dispatcher::onRetryTimer);
    m_rateTimer.setSingleShot(true);
    m_rateTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_rateTimer, &QTimer::timeout, this, &Dispatcher::pump);
    m_clock.start();
    m_tokens = std::max(1.0, m_config.maxRequestsPerSecond / 10);

    HttpLane::Config laneConfig;
    laneConfig.method = m_config.method;
    laneConfig.url = QUrl(m_config.url);
    laneConfig.headers = m_config.headers;
    laneConfig.timeoutMs = m_config.timeoutMs;
    laneConfig.maxResponseBytes = m_config.maxResponseBytes;
    laneConfig.http2 = m_config.http2;
    laneConfig.caCertificates = m_config.caCertificates;
    laneConfig.codec = m_codec;
    laneConfig.perManager = m_protocol == Protocol::Http2 ? HttpLane::Http2StreamsPerManager
                                                          : HttpLane::MaxPerManager;

    m_lanes.resize(static_cast<size_t>(laneCount));
    for (int i = 0; i < laneCount; ++i) {
        Lane &lane = m_lanes[static_cast<size_t>(i)];
        laneConfig.managers = m_managers / laneCount + (i < m_managers % laneCount ? 1 : 0);
        lane.capacity = laneConfig.managers * HttpLane::MaxPerManager;
        lane.thread = std::make_unique<WorkerThread>(QStringLiteral("sluice-http-%1").arg(i));
        auto worker = std::make_unique<HttpLane>(laneConfig);
        lane.worker = worker.get();
        connect(lane.worker, &HttpLane::finished, this, &Dispatcher::onResponses,
                Qt::QueuedConnection);
        lane.thread->start(std::move(worker));
    }
    qCDebug(lcNet, "dispatcher: %d in flight over up to %d managers in %d lanes", m_concurrency,
            m_managers, laneCount);
}

Dispatcher::~Dispatcher()
{
    m_pumpTimer.stop();
    m_retryTimer.stop();
    m_rateTimer.stop();
    for (Lane &lane : m_lanes)
        disconnect(lane.worker, nullptr, this, nullptr);
    // Quit all first so the lanes wind down in parallel, then join.
    for (Lane &lane : m_lanes)
        lane.thread->quit();
    for (Lane &lane : m_lanes)
        lane.thread.reset();
}

void Dispatcher::submit(QList<Item> items, const QSet<qint64> &mayHaveArrived)
{
    if (items.isEmpty())
        return;
    m_queue.reserve(m_queue.size() + items.size());
    for (Item &item : items) {
        const bool unanswered = mayHaveArrived.contains(item.id);
        m_queue.append(Entry {std::move(item), 0, unanswered});
    }
    m_lowArmed = true;
    m_busy = true;
    schedulePump();
}

qsizetype Dispatcher::backlog() const
{
    return m_queue.size() + qsizetype(m_waiting.size());
}

int Dispatcher::inFlight() const
{
    return m_inFlight;
}

qsizetype Dispatcher::itemsInFlight() const
{
    return m_itemsInFlight;
}

void Dispatcher::stop()
{
    if (m_cancelled || m_stopping)
        return;
    m_stopping = true;
    m_paused = false;
    m_retryTimer.stop();
    m_rateTimer.stop();
    const QString cancelled = tr("cancelled");
    for (auto &[due, entry] : m_waiting)
        m_outFinished.push_back(cancelledResult(std::move(entry), cancelled));
    m_waiting.clear();
    schedulePump(); // reports the queue, then idle() once the requests in flight are answered
}

bool Dispatcher::isStopping() const
{
    return m_stopping;
}

void Dispatcher::pause()
{
    m_paused = true;
}

void Dispatcher::resume()
{
    if (!m_paused)
        return;
    m_paused = false;
    schedulePump();
}

bool Dispatcher::isPaused() const
{
    return m_paused;
}

bool Dispatcher::isCancelled() const
{
    return m_cancelled;
}

int Dispatcher::concurrency() const
{
    return m_concurrency;
}

int Dispatcher::managerCount() const
{
    return m_managers;
}

int Dispatcher::laneCount() const
{
    return int(m_lanes.size());
}

qsizetype Dispatcher::lowWaterMark() const
{
    return m_lowWater;
}

int Dispatcher::itemsPerRequest() const
{
    return m_codec ? m_config.batchSize : 1;
}

int Dispatcher::window() const
{
    return m_window;
}

QString Dispatcher::protocol() const
{
    return m_protocolName;
}

void Dispatcher::setHoldPartialBatches(bool hold)
{
    if (m_holdPartial == hold)
        return;
    m_holdPartial = hold;
    if (!hold && !m_queue.isEmpty())
        schedulePump();
}

int Dispatcher::limit() const
{
    return m_probing ? 1 : m_window;
}

void Dispatcher::cancel()
{
    if (m_cancelled)
        return;
    m_cancelled = true;
    m_paused = false;
    m_pumpTimer.stop();
    m_retryTimer.stop();
    m_rateTimer.stop();
    for (Lane &lane : m_lanes) {
        invokeQueued(lane.worker, &HttpLane::abortAll);
        lane.batch.clear();
    }

    // Take everything out first: a slot connected to itemFinished may call back in.
    std::vector<ItemResult> results;
    results.reserve(size_t(m_inFlight) + m_waiting.size() + size_t(m_queue.size()));
    const QString whileSending = tr("cancelled while sending: the server may have received it");
    const QString cancelled = tr("cancelled");
    const auto inFlight = static_cast<long long>(m_itemsInFlight);
    for (quint32 i = 0; i < m_slots.size(); ++i) {
        Slot &slot = m_slots[i];
        if (!slot.active)
            continue;
        for (Entry &entry : slot.entries) {
            entry.unanswered = true;
            ItemResult result = cancelledResult(std::move(entry), whileSending);
            result.requestId = slot.requestId;
            results.push_back(std::move(result));
        }
        releaseSlot(i);
    }
    m_inFlight = 0;
    m_itemsInFlight = 0;
    const auto unsent = qsizetype(m_waiting.size()) + m_queue.size();
    for (auto &[due, entry] : m_waiting)
        results.push_back(cancelledResult(std::move(entry), cancelled));
    m_waiting.clear();
    for (Entry &entry : m_queue) {
        results.push_back(entry.item.isValid() ? cancelledResult(std::move(entry), cancelled)
                                               : resultFor(std::move(entry), ItemStatus::Invalid));
    }
    m_queue.clear();

    if (!results.empty()) {
        qCWarning(lcNet, "cancelled: %lld item(s) aborted while sending, %lld not sent", inFlight,
                  static_cast<long long>(unsent));
    }
    for (const ItemResult &result : results)
        Q_EMIT itemFinished(result);
    if (m_busy) {
        m_busy = false;
        Q_EMIT idle();
    }
}

void Dispatcher::schedulePump()
{
    if (!m_pumpTimer.isActive())
        m_pumpTimer.start();
}

void Dispatcher::pump()
{
    startRequests();
    emitPending();
}

void Dispatcher::startRequests()
{
    if (m_cancelled || m_stopping) {
        // Items submitted after cancel() or stop(), or queued at stop(): nothing sends them.
        const QString cancelled = tr("cancelled");
        for (Entry &entry : m_queue) {
            m_outFinished.push_back(entry.item.isValid()
                                        ? cancelledResult(std::move(entry), cancelled)
                                        : resultFor(std::move(entry), ItemStatus::Invalid));
        }
        m_queue.clear();
        return;
    }
    if (m_paused)
        return;

    while (m_inFlight < limit() && !m_queue.isEmpty()) {
        // A partial batch waits while the producer is still reading and requests are out.
        if (m_codec && m_holdPartial && m_inFlight > 0 && m_queue.size() < m_config.batchSize)
            break;
        if (!rateAllows())
            break;
        // The lane with the most room; lanes' capacities add up to at least the cap.
        auto lane
            = std::max_element(m_lanes.begin(), m_lanes.end(), [](const Lane &a, const Lane &b) {
                  return a.capacity - a.inFlight < b.capacity - b.inFlight;
              });
        const quint32 index = m_freeSlots.back();
        Slot &slot = m_slots[index];
        qint64 batchBytes = 0;
        if (!takeBatch(&slot.entries, &batchBytes))
            continue; // only invalid items were at the front
        m_freeSlots.pop_back();
        m_tokens -= 1;
        slot.active = true;
        slot.lane = int(lane - m_lanes.begin());
        slot.startedMs = m_clock.elapsed();
        slot.requestId = newRequestId();
        HttpLane::Request request {index, slot.generation, {}, {}, batchBytes, {}, slot.requestId};
        if (m_codec) {
            request.parts.reserve(qsizetype(slot.entries.size()));
            for (Entry &entry : slot.entries)
                request.parts.append(HttpLane::Part {entry.item.payload, entry.item.key});
        } else {
            request.payload = slot.entries.front().item.payload;
            request.url = slot.entries.front().item.url;
            request.idempotencyKey = slot.entries.front().item.idempotencyKey;
        }
        for (Entry &entry : slot.entries) {
            ++entry.attempts;
            m_outSending.emplace_back(entry.item.id, entry.attempts);
        }
        lane->batch.append(std::move(request));
        ++lane->inFlight;
        ++m_inFlight;
        m_itemsInFlight += qsizetype(slot.entries.size());
    }
    // One queued call per lane and pass, not one per request.
    for (Lane &lane : m_lanes) {
        if (lane.batch.isEmpty())
            continue;
        invokeQueued(lane.worker,
                     [worker = lane.worker, batch = std::exchange(lane.batch, {})]() mutable {
                         worker->send(std::move(batch));
                     });
    }
}

bool Dispatcher::takeBatch(std::vector<Entry> *entries, qint64 *bytes)
{
    entries->clear();
    *bytes = 0;
    const auto count = static_cast<size_t>(itemsPerRequest());
    while (!m_queue.isEmpty() && entries->size() < count) {
        Entry &next = m_queue.first();
        if (!next.item.isValid()) {
            m_outFinished.push_back(resultFor(m_queue.takeFirst(), ItemStatus::Invalid));
            continue;
        }
        if (m_codec) {
            const qint64 size
                = next.item.payload.size() + m_codec->extraBytes(next.item.payload, next.item.key);
            // An item larger than batchBytes goes alone rather than never.
            if (!entries->empty() && *bytes + size > m_config.batchBytes)
                break;
            *bytes += size;
        }
        entries->push_back(m_queue.takeFirst());
    }
    return !entries->empty();
}

bool Dispatcher::rateAllows()
{
    const double rate = m_config.maxRequestsPerSecond;
    if (rate <= 0)
        return true;
    // A token bucket holding a tenth of a second's worth (at least one request).
    const qint64 now = m_clock.nsecsElapsed();
    const double burst = std::max(1.0, rate / 10);
    m_tokens = std::min(burst, m_tokens + double(now - m_tokensAtNs) * rate / 1e9);
    m_tokensAtNs = now;
    if (m_tokens >= 1)
        return true;
    if (!m_rateTimer.isActive()) {
        const double waitMs = (1 - m_tokens) * 1000 / rate;
        m_rateTimer.start(std::max(1, int(std::ceil(waitMs))));
    }
    return false;
}

void Dispatcher::emitPending()
{
    // Swap out before emitting: slots may call back in (submit, cancel, ...).
    std::vector<QPair<qint64, int>> sending;
    sending.swap(m_outSending);
    std::vector<QPair<qint64, int>> retrying;
    retrying.swap(m_outRetrying);
    std::vector<ItemResult> finished;
    finished.swap(m_outFinished);

    for (const auto &[id, attempts] : sending) {
        if (m_cancelled) // cancel() already reported these items as finished
            break;
        Q_EMIT itemStatusChanged(id, ItemStatus::Sending, attempts);
    }
    for (const auto &[id, attempts] : retrying) {
        if (m_cancelled)
            break;
        Q_EMIT itemStatusChanged(id, ItemStatus::Retrying, attempts);
    }
    for (const ItemResult &result : finished)
        Q_EMIT itemFinished(result);

    // Keep the buffers' capacity for the next pass unless a slot refilled them meanwhile.
    sending.clear();
    if (m_outSending.empty())
        m_outSending.swap(sending);

    if (!m_cancelled && !m_stopping && m_lowArmed && backlog() <= m_lowWater) {
        m_lowArmed = false;
        Q_EMIT backlogLow();
    }
    if (m_busy && backlog() == 0 && m_inFlight == 0) {
        m_busy = false;
        Q_EMIT idle();
    }
}

void Dispatcher::onResponses(const QList<HttpLane::Response> &responses)
{
    for (const HttpLane::Response &response : responses)
        handleResponse(response);
    // Refill the freed slots before telling anyone, so the lanes work while slots run.
    pump();
}

void Dispatcher::handleResponse(const HttpLane::Response &response)
{
    if (response.slot >= m_slots.size())
        return;
    Slot &slot = m_slots[response.slot];
    // A response for a slot released since (cancel) is stale.
    if (!slot.active || slot.generation != response.generation)
        return;
    std::vector<Entry> entries = std::move(slot.entries);
    const QByteArray requestId = std::move(slot.requestId);
    const qint64 startedMs = slot.startedMs;
    releaseSlot(response.slot);
    slot.entries = std::move(entries); // keeps the vector's capacity for the slot's next use
    std::vector<Entry> &done = slot.entries;
    --m_inFlight;
    m_itemsInFlight -= qsizetype(done.size());

    learnProtocol(response);
    adaptWindow(response, startedMs);

    // One backoff for every item of the request that goes again, so a failed batch comes
    // due as one and goes again as one batch, not item by item with jitter of its own.
    qint64 retryDueMs = -1;
    if (response.resent) {
        // Qt sent this request twice on its own: the first copy may have arrived.
        for (Entry &entry : done)
            entry.unanswered = true;
    }
    const bool wholeRequest = !m_codec || !isDelivered(response);
    if (wholeRequest) {
        for (Entry &entry : done)
            settle(std::move(entry), requestId, response, &retryDueMs);
    } else if (!response.bulk.error.isEmpty()
               || response.bulk.items.size() != qsizetype(done.size())) {
        // A 2xx whose answer cannot be read per item: nothing says which items were stored.
        const QString error
            = tr("HTTP %1, but the answer cannot be read per item: %2")
                  .arg(response.httpStatus)
                  .arg(response.bulk.error.isEmpty() ? tr("%n result(s) for %1 item(s)", nullptr,
                                                          int(response.bulk.items.size()))
                                                           .arg(done.size())
                                                     : response.bulk.error);
        for (Entry &entry : done)
            failForGood(std::move(entry), requestId, response, response.httpStatus, error);
    } else {
        for (size_t i = 0; i < done.size(); ++i)
            settleBulkItem(std::move(done[i]), requestId, response,
                           response.bulk.items[qsizetype(i)], &retryDueMs);
    }
    done.clear();
}

void Dispatcher::learnProtocol(const HttpLane::Response &response)
{
    if (m_probing) {
        // Whatever the first answer was, the probe is over: an error says nothing about the
        // protocol, and waiting for a better answer would send one item at a time.
        m_probing = false;
        schedulePump();
    }
    if (response.httpStatus <= 0)
        return;
    const Protocol protocol = response.http2 ? Protocol::Http2 : Protocol::Http1;
    if (protocol == Protocol::Http2 && m_protocol != Protocol::Http2) {
        for (Lane &lane : m_lanes) {
            invokeQueued(lane.worker, [worker = lane.worker] {
                worker->setPerManager(HttpLane::Http2StreamsPerManager);
            });
        }
    }
    m_protocol = protocol;
    const QString name = protocol == Protocol::Http2
        ? (m_tls ? QStringLiteral("HTTP/2 over TLS") : QStringLiteral("HTTP/2 cleartext (h2c)"))
        : (m_tls ? QStringLiteral("HTTP/1.1 over TLS") : QStringLiteral("HTTP/1.1"));
    if (name == m_protocolName)
        return;
    m_protocolName = name;
    qCInfo(lcNet).noquote() << "the target answers over" << name;
    Q_EMIT protocolChanged(name);
}

void Dispatcher::adaptWindow(const HttpLane::Response &response, qint64 startedMs)
{
    bool slowDown = response.httpStatus == 429 || response.httpStatus == 503;
    if (!slowDown && isDelivered(response)) {
        for (const BulkItemOutcome &item : response.bulk.items)
            slowDown = slowDown || item.status == 429;
    }
    if (slowDown) {
        // Once per round: answers to requests started before the last cut say nothing new.
        if (startedMs < m_lastDecreaseMs)
            return;
        m_lastDecreaseMs = m_clock.elapsed();
        m_growCredit = 0;
        if (m_window == 1)
            return;
        // Logged when the slowing down begins, not at every step (the window shows them).
        if (m_window == m_concurrency)
            qCInfo(lcNet,
                   "the server asks to slow down (HTTP %d): fewer requests at once until it "
                   "recovers",
                   response.httpStatus == 503 ? 503 : 429); // 429: also a bulk item's
        m_window = std::max(1, m_window / 2);
        Q_EMIT windowChanged(m_window, m_concurrency);
        return;
    }
    if (m_window < m_concurrency && isDelivered(response) && ++m_growCredit >= m_window) {
        m_growCredit = 0;
        ++m_window;
        if (m_window == m_concurrency)
            qCInfo(lcNet, "back to %d requests at once", m_concurrency);
        Q_EMIT windowChanged(m_window, m_concurrency);
    }
}

void Dispatcher::settle(Entry &&entry, const QByteArray &requestId,
                        const HttpLane::Response &response, qint64 *retryDueMs)
{
    const RetryPolicy &policy = m_config.retry;
    const int status = response.httpStatus;
    bool retry = false;
    if (status > 0 && !isConnectionLevelError(response.error)) {
        StatusClass verdict = m_config.statuses.classify(status);
        // A _bulk request is delivered only item by item, from a 2xx answer.
        if (verdict == StatusClass::Delivered
            && (m_config.mode == TargetMode::ElasticsearchBulk
                || m_config.mode == TargetMode::CouchdbBulk))
            verdict = StatusClass::Fail;
        if (verdict == StatusClass::Delivered) {
            deliver(std::move(entry), requestId, response, status);
            return;
        }
        if (verdict == StatusClass::Fail && status == 409 && entry.unanswered
            && m_config.mode == TargetMode::Item && !m_config.statuses.isExplicit(409)) {
            // The item exists because an earlier attempt of it arrived and its answer was
            // lost: delivered, not a conflict with someone else's.
            deliver(std::move(entry), requestId, response, status,
                    tr("delivered by an earlier attempt whose answer was lost (the server "
                       "answered %1 to the re-sent item)")
                        .arg(failureText(response, m_config.timeoutMs)));
            return;
        }
        retry = verdict == StatusClass::Retry;
    } else {
        if (status <= 0 && mayHaveArrived(response.error))
            entry.unanswered = true;
        retry = RetryPolicy::isRetryable(status, response.error);
    }
    if (retry && entry.attempts <= policy.maxRetries) {
        if (*retryDueMs < 0) {
            const QDateTime now
                = response.retryAfter.isEmpty() ? QDateTime() : QDateTime::currentDateTimeUtc();
            *retryDueMs
                = m_clock.elapsed() + policy.delayMs(entry.attempts, response.retryAfter, now);
        }
        scheduleRetry(std::move(entry), *retryDueMs, failureText(response, m_config.timeoutMs));
        return;
    }
    failForGood(std::move(entry), requestId, response, status,
                failureText(response, m_config.timeoutMs));
}

void Dispatcher::settleBulkItem(Entry &&entry, const QByteArray &requestId,
                                const HttpLane::Response &response, const BulkItemOutcome &outcome,
                                qint64 *retryDueMs)
{
    const StatusClass verdict = m_config.statuses.classify(outcome.status);
    if (verdict == StatusClass::Delivered) {
        deliver(std::move(entry), requestId, response, outcome.status);
        return;
    }
    if (verdict == StatusClass::Fail && outcome.conflict && entry.unanswered
        && m_config.mode == TargetMode::CouchdbBulk && !m_config.statuses.isExplicit(409)) {
        // The document exists because an earlier attempt of this very item arrived and
        // its answer was lost: delivered, not a conflict with someone else's document.
        deliver(std::move(entry), requestId, response, outcome.status,
                tr("delivered by an earlier attempt whose answer was lost (CouchDB answered "
                   "%1 to the re-sent document)")
                    .arg(outcome.error));
        return;
    }
    const QString error = QStringLiteral("HTTP %1: %2").arg(outcome.status).arg(outcome.error);
    if (verdict == StatusClass::Retry && entry.attempts <= m_config.retry.maxRetries) {
        if (*retryDueMs < 0)
            *retryDueMs = m_clock.elapsed() + m_config.retry.delayMs(entry.attempts, {}, {});
        scheduleRetry(std::move(entry), *retryDueMs, error);
        return;
    }
    failForGood(std::move(entry), requestId, response, outcome.status, error);
}

void Dispatcher::deliver(Entry &&entry, const QByteArray &requestId,
                         const HttpLane::Response &response, int httpStatus, const QString &note)
{
    // The payload and the answer go along (shared, not copied): a view may show them.
    QByteArray payload = std::move(entry.item.payload);
    ItemResult result = resultFor(std::move(entry), ItemStatus::Delivered);
    result.httpStatus = httpStatus;
    result.latencyMs = response.latencyMs;
    result.latencyUs = response.latencyUs;
    result.requestId = requestId;
    result.responseBody = response.body;
    result.payload = std::move(payload);
    result.note = note;
    m_outFinished.push_back(std::move(result));
}

void Dispatcher::scheduleRetry(Entry &&entry, qint64 dueMs, const QString &why)
{
    if (m_stopping) {
        // stop(): nothing more is sent, and the server has not decided about this item.
        m_outFinished.push_back(cancelledResult(
            std::move(entry), tr("cancelled: the run stopped before retrying (%1)").arg(why)));
        return;
    }
    qCDebug(lcNet).noquote() << "item" << entry.item.key << "retry" << entry.attempts << "in"
                             << dueMs - m_clock.elapsed() << "ms:" << why;
    m_outRetrying.emplace_back(entry.item.id, entry.attempts);
    const auto it = m_waiting.emplace(dueMs, std::move(entry));
    if (it == m_waiting.begin())
        armRetryTimer();
}

void Dispatcher::failForGood(Entry &&entry, const QByteArray &requestId,
                             const HttpLane::Response &response, int httpStatus,
                             const QString &error)
{
    QByteArray payload = std::move(entry.item.payload);
    ItemResult result = resultFor(std::move(entry), ItemStatus::Failed);
    result.httpStatus = httpStatus;
    result.latencyMs = response.latencyMs;
    result.latencyUs = response.latencyUs;
    result.requestId = requestId;
    result.error = error;
    result.responseBody = response.body;
    result.payload = std::move(payload);
    // Log the moment it fails for good, before anyone hears of it: if a slot crashes or the
    // process is killed, the reason is on record.
    // The error already holds the status and the response's first line; the rest of the
    // response (up to a limit) follows only when there is more to it.
    const QString responseText = QString::fromUtf8(response.body.left(MaxLoggedResponse)).trimmed();
    qCWarning(lcNet).noquote().nospace()
        << "item " << result.key << " failed after " << result.attempts
        << " attempt(s) (request id " << QString::fromLatin1(requestId) << "): " << result.error
        << (responseText.isEmpty() || result.error.contains(responseText)
                ? QString()
                : QStringLiteral("; response: ") + responseText);
    m_outFinished.push_back(std::move(result));
}

void Dispatcher::releaseSlot(quint32 index)
{
    Slot &slot = m_slots[index];
    --m_lanes[static_cast<size_t>(slot.lane)].inFlight;
    slot.active = false;
    slot.lane = -1;
    ++slot.generation;
    slot.requestId = {};
    slot.entries.clear();
    m_freeSlots.push_back(index);
}

void Dispatcher::onRetryTimer()
{
    const qint64 now = m_clock.elapsed();
    const auto dueEnd = m_waiting.upper_bound(now);
    // Due retries go first, in due order: they are older than anything still queued.
    for (auto it = dueEnd; it != m_waiting.begin();) {
        --it;
        m_queue.prepend(std::move(it->second));
    }
    m_waiting.erase(m_waiting.begin(), dueEnd);
    armRetryTimer();
    pump();
}

void Dispatcher::armRetryTimer()
{
    if (m_waiting.empty()) {
        m_retryTimer.stop();
        return;
    }
    const qint64 wait = std::max<qint64>(0, m_waiting.begin()->first - m_clock.elapsed());
    m_retryTimer.start(int(std::min<qint64>(wait, std::numeric_limits<int>::max())));
}

ItemResult Dispatcher::resultFor(Entry &&entry, ItemStatus status) const
{
    ItemResult result;
    result.id = entry.item.id;
    result.key = std::move(entry.item.key);
    result.status = status;
    result.attempts = entry.attempts;
    result.mayHaveArrived = entry.unanswered;
    result.url = std::move(entry.item.url);
    result.idempotencyKey = std::move(entry.item.idempotencyKey);
    if (status == ItemStatus::Invalid) {
        result.error = std::move(entry.item.error);
        result.payload = std::move(entry.item.payload);
    }
    return result;
}

ItemResult Dispatcher::cancelledResult(Entry &&entry, const QString &error) const
{
    QByteArray payload = std::move(entry.item.payload);
    ItemResult result = resultFor(std::move(entry), ItemStatus::Failed);
    result.error = error;
    result.payload = std::move(payload);
    result.cancelled = true;
    return result;
}

} // namespace sluice
