// SPDX-License-Identifier: GPL-3.0-or-later
// The QtKeychain implementation of SecretStore (see secretstore.h).
#include "secretstore.h"

#include <qt6keychain/keychain.h>

namespace sluice {

namespace {

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
        job->start();
    }
};

} // namespace

std::shared_ptr<SecretStore> makeKeychainStore()
{
    return std::make_shared<KeychainStore>();
}

} // namespace sluice
