// SPDX-License-Identifier: GPL-3.0-or-later
// The QtKeychain implementation of SecretStore (see secretstore.h).
#include "secretstore.h"

#include <QAbstractEventDispatcher>
#include <QTimer>

#include <qt6keychain/keychain.h>

#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
#include <dlfcn.h>
#endif

namespace sluice {

namespace {

#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
/// g_main_context_iteration from the GLib Qt already loaded; null without GLib.
using GlibIteration = int (*)(void *context, int mayBlock);
GlibIteration glibIteration()
{
    static const GlibIteration iteration = []() -> GlibIteration {
        void *glib = dlopen("libglib-2.0.so.0", RTLD_LAZY | RTLD_NOLOAD);
        return glib ? reinterpret_cast<GlibIteration>(dlsym(glib, "g_main_context_iteration"))
                    : nullptr;
    }();
    return iteration;
}
#endif

/// On Linux QtKeychain talks to the Secret Service through libsecret, whose answers arrive
/// on GLib's default main context. A thread that runs Qt's own event dispatcher (`sluice
/// run` sets QT_NO_GLIB for speed) never iterates that context, and the job would wait for
/// ever: while it runs, a timer owned by the job iterates it.
void pumpGlibWhileRunning(QKeychain::Job *job)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    const QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    const GlibIteration iteration = glibIteration();
    if (!iteration || (dispatcher && dispatcher->inherits("QEventDispatcherGlib")))
        return;
    auto *timer = new QTimer(job);
    timer->setInterval(5);
    QObject::connect(timer, &QTimer::timeout, job, [iteration] {
        for (int i = 0; i < 100 && iteration(nullptr, 0) != 0; ++i) { }
    });
    timer->start();
#else
    Q_UNUSED(job);
#endif
}

class KeychainStore final : public SecretStore
{
public:
    void read(const QString &entry, QObject *context, Callback done) override
    {
        auto *job = new QKeychain::ReadPasswordJob(service());
        job->setKey(entry);
        run(job, context, [job, done] {
            Answer answer = answerOf(job);
            if (answer.status == Status::Ok)
                answer.value = job->textData();
            done(answer);
        });
    }

    void write(const QString &entry, const QString &value, QObject *context, Callback done) override
    {
        auto *job = new QKeychain::WritePasswordJob(service());
        job->setKey(entry);
        job->setTextData(value);
        run(job, context, [job, done] { done(answerOf(job)); });
    }

    void remove(const QString &entry, QObject *context, Callback done) override
    {
        auto *job = new QKeychain::DeletePasswordJob(service());
        job->setKey(entry);
        run(job, context, [job, done] { done(answerOf(job)); });
    }

    QString location() const override
    {
        return QStringLiteral("the keychain (service \"%1\")").arg(service());
    }

private:
    static Answer answerOf(const QKeychain::Job *job)
    {
        Answer answer;
        switch (job->error()) {
        case QKeychain::NoError:
            answer.status = Status::Ok;
            break;
        case QKeychain::EntryNotFound:
            answer.status = Status::NotFound;
            break;
        default:
            answer.status = Status::Failed;
            answer.error = job->errorString();
            if (answer.error.isEmpty())
                answer.error = QStringLiteral("unknown error %1").arg(int(job->error()));
            break;
        }
        return answer;
    }

    /// Starts job; finished runs in context's thread unless context is gone by then.
    static void run(QKeychain::Job *job, QObject *context, std::function<void()> finished)
    {
        // Never store a secret in a plain file when no keychain answers.
        job->setInsecureFallback(false);
        job->setAutoDelete(true);
        QObject::connect(job, &QKeychain::Job::finished, context,
                         [finished = std::move(finished)](QKeychain::Job *) { finished(); });
        pumpGlibWhileRunning(job);
        job->start();
    }
};

} // namespace

std::shared_ptr<SecretStore> makeKeychainStore()
{
    return std::make_shared<KeychainStore>();
}

} // namespace sluice
