// SPDX-License-Identifier: GPL-3.0-or-later
#include "dispatcher.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <QDateTime>
#include <QThread>
#include <QUuid>

#include "log/logging.h"
#include "net/networkerror.h"
#include "util/text.h"

namespace sluice {

namespace {

// Enough of a response body for one line of an error message or a log entry.
constexpr qsizetype MaxFirstLine = 200;
constexpr qsizetype MaxLoggedResponse = 1000;

bool isDelivered(const HttpLane::Response &response)
{
    return response.error == QNetworkReply::NoError && response.httpStatus >= 200
        && response.httpStatus <= 299;
}

bool isConnectionLevelError(QNetworkReply::NetworkError error)
{
    return error > QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied;
}

QString failureText(const HttpLane::Response &response)
{
    QString text;
    if (response.httpStatus <= 0 || isConnectionLevelError(response.error)) {
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
    const QString line = firstLine(response.body, MaxFirstLine);
    if (!line.isEmpty())
        text += QLatin1String(": ") + line;
    return text;
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
    m_concurrency = std::clamp(m_config.concurrency, 1, MaxConcurrency);
    m_managers = (m_concurrency + HttpLane::MaxPerManager - 1) / HttpLane::MaxPerManager;
    m_lowWater = std::max<qsizetype>(qsizetype(m_concurrency) * 2, 64);
    const int laneCount = std::min(m_managers, std::max(2, QThread::idealThreadCount()));

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
    m_clock.start();

    HttpLane::Config laneConfig;
    laneConfig.method = m_config.method;
    laneConfig.url = QUrl(m_config.url);
    laneConfig.headers = m_config.headers;
    laneConfig.timeoutMs = m_config.timeoutMs;
    laneConfig.maxResponseBytes = m_config.maxResponseBytes;

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
        QMetaObject::invokeMethod(lane.worker, &HttpLane::start, Qt::QueuedConnection);
    }
    qCDebug(lcNet, "dispatcher: %d in flight over %d managers in %d lanes", m_concurrency,
            m_managers, laneCount);
}

Dispatcher::~Dispatcher()
{
    m_pumpTimer.stop();
    m_retryTimer.stop();
    for (Lane &lane : m_lanes)
        disconnect(lane.worker, nullptr, this, nullptr);
    // Quit all first so the lanes wind down in parallel, then join.
    for (Lane &lane : m_lanes)
        lane.thread->quit();
    for (Lane &lane : m_lanes)
        lane.thread.reset();
}

void Dispatcher::submit(QList<Item> items)
{
    if (items.isEmpty())
        return;
    m_queue.reserve(m_queue.size() + items.size());
    for (Item &item : items)
        m_queue.append(Entry {std::move(item), 0});
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

void Dispatcher::cancel()
{
    if (m_cancelled)
        return;
    m_cancelled = true;
    m_paused = false;
    m_pumpTimer.stop();
    m_retryTimer.stop();
    for (Lane &lane : m_lanes) {
        QMetaObject::invokeMethod(lane.worker, &HttpLane::abortAll, Qt::QueuedConnection);
        lane.batch.clear();
    }

    // Take everything out first: a slot connected to itemFinished may call back in.
    std::vector<ItemResult> results;
    results.reserve(size_t(m_inFlight) + m_waiting.size() + size_t(m_queue.size()));
    const QString whileSending = tr("cancelled while sending: the server may have received it");
    const QString cancelled = tr("cancelled");
    const int inFlight = m_inFlight;
    for (quint32 i = 0; i < m_slots.size(); ++i) {
        Slot &slot = m_slots[i];
        if (!slot.active)
            continue;
        ItemResult result = cancelledResult(std::move(slot.entry), whileSending);
        result.requestId = slot.requestId;
        results.push_back(std::move(result));
        releaseSlot(i);
    }
    m_inFlight = 0;
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
        qCWarning(lcNet, "cancelled: %d item(s) aborted while sending, %lld not sent", inFlight,
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
    if (m_cancelled) {
        // Items submitted after cancel(): nothing will ever send them.
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

    while (m_inFlight < m_concurrency && !m_queue.isEmpty()) {
        Entry entry = m_queue.takeFirst();
        if (!entry.item.isValid()) {
            m_outFinished.push_back(resultFor(std::move(entry), ItemStatus::Invalid));
            continue;
        }
        // The lane with the most room; lanes' capacities add up to at least the cap.
        auto lane
            = std::max_element(m_lanes.begin(), m_lanes.end(), [](const Lane &a, const Lane &b) {
                  return a.capacity - a.inFlight < b.capacity - b.inFlight;
              });
        Q_ASSERT(lane->inFlight < lane->capacity);
        const quint32 index = m_freeSlots.back();
        m_freeSlots.pop_back();
        Slot &slot = m_slots[index];
        slot.entry = std::move(entry);
        slot.active = true;
        slot.lane = int(lane - m_lanes.begin());
        slot.requestId = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        ++slot.entry.attempts;
        lane->batch.append(HttpLane::Request {index, slot.generation, slot.entry.item.payload,
                                              slot.entry.item.url, slot.requestId});
        ++lane->inFlight;
        ++m_inFlight;
        m_outSending.emplace_back(slot.entry.item.id, slot.entry.attempts);
    }
    // One queued call per lane and pass, not one per request.
    for (Lane &lane : m_lanes) {
        if (lane.batch.isEmpty())
            continue;
        QMetaObject::invokeMethod(
            lane.worker,
            [worker = lane.worker, batch = std::exchange(lane.batch, {})]() mutable {
                worker->send(std::move(batch));
            },
            Qt::QueuedConnection);
    }
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

    if (!m_cancelled && m_lowArmed && backlog() <= m_lowWater) {
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
    Entry entry = std::move(slot.entry);
    const QByteArray requestId = std::move(slot.requestId);
    releaseSlot(response.slot);
    --m_inFlight;

    if (isDelivered(response)) {
        // The payload and the answer go along (shared, not copied): a view may show them.
        QByteArray payload = std::move(entry.item.payload);
        ItemResult result = resultFor(std::move(entry), ItemStatus::Delivered);
        result.httpStatus = response.httpStatus;
        result.latencyMs = response.latencyMs;
        result.requestId = requestId;
        result.responseBody = response.body;
        result.payload = std::move(payload);
        m_outFinished.push_back(std::move(result));
        return;
    }

    const RetryPolicy &policy = m_config.retry;
    if (RetryPolicy::isRetryable(response.httpStatus, response.error)
        && entry.attempts <= policy.maxRetries) {
        const QDateTime now
            = response.retryAfter.isEmpty() ? QDateTime() : QDateTime::currentDateTimeUtc();
        const int delay = policy.delayMs(entry.attempts, response.retryAfter, now);
        qCDebug(lcNet).noquote() << "item" << entry.item.key << "retry" << entry.attempts << "in"
                                 << delay << "ms:" << failureText(response);
        m_outRetrying.emplace_back(entry.item.id, entry.attempts);
        const auto it = m_waiting.emplace(m_clock.elapsed() + delay, std::move(entry));
        if (it == m_waiting.begin())
            armRetryTimer();
        return;
    }
    failForGood(std::move(entry), requestId, response);
}

void Dispatcher::failForGood(Entry &&entry, const QByteArray &requestId,
                             const HttpLane::Response &response)
{
    QByteArray payload = std::move(entry.item.payload);
    ItemResult result = resultFor(std::move(entry), ItemStatus::Failed);
    result.httpStatus = response.httpStatus;
    result.latencyMs = response.latencyMs;
    result.requestId = requestId;
    result.error = failureText(response);
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
    result.url = std::move(entry.item.url);
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
    return result;
}

} // namespace sluice
