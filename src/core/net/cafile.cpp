// SPDX-License-Identifier: GPL-3.0-or-later
#include "cafile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace sluice {

namespace {

// A CA bundle is a few hundred kilobytes; anything far larger is not one.
constexpr qint64 MaxCaFileBytes = 16 * 1024 * 1024;
constexpr QByteArrayView BeginMarker = "-----BEGIN CERTIFICATE-----";
constexpr QByteArrayView EndMarker = "-----END CERTIFICATE-----";

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = u"target.caFile: "_s + message;
    return false;
}

} // namespace

QString resolveCaFile(const QString &caFile, const QString &baseDir)
{
    if (caFile.isEmpty())
        return {};
    if (QFileInfo(caFile).isAbsolute())
        return QDir::cleanPath(caFile);
    const QDir base(baseDir.isEmpty() ? QDir::currentPath() : baseDir);
    return QDir::cleanPath(base.absoluteFilePath(caFile));
}

QString resolvedCaFile(const TransferSpec &spec)
{
    return resolveCaFile(spec.target.caFile, spec.source.baseDir);
}

bool readCaFile(const QString &path, QList<QSslCertificate> *certificates, QString *error)
{
    QFile file(path);
    // A folder opens on some systems and reads as nothing: say what it is.
    if (QFileInfo(path).isDir())
        return fail(error, u"cannot read "_s + path + u": it is a folder"_s);
    if (!file.open(QIODevice::ReadOnly))
        return fail(error, u"cannot read "_s + path + u": "_s + file.errorString());
    if (file.size() > MaxCaFileBytes)
        return fail(
            error,
            u"cannot read "_s + path
                + u": larger than %1 MiB, not a CA file"_s.arg(MaxCaFileBytes / (1024 * 1024)));
    const QByteArray pem = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return fail(error, u"cannot read "_s + path + u": "_s + file.errorString());

    // QSslCertificate::fromData() skips a block it cannot decode without a word, so each
    // block is read on its own, to name the one that is broken.
    const qsizetype total = pem.count(BeginMarker);
    if (total == 0)
        return fail(error, path + u" holds no PEM certificate"_s);
    QList<QSslCertificate> found;
    qsizetype begin = pem.indexOf(BeginMarker);
    for (qsizetype n = 1; begin >= 0; ++n) {
        const qsizetype end = pem.indexOf(EndMarker, begin);
        const qsizetype stop = end < 0 ? pem.size() : end + EndMarker.size();
        const QList<QSslCertificate> block
            = QSslCertificate::fromData(pem.mid(begin, stop - begin), QSsl::Pem);
        if (block.size() != 1)
            return fail(error, path + u": certificate %1 of %2 cannot be read"_s.arg(n).arg(total));
        found.append(block.constFirst());
        begin = pem.indexOf(BeginMarker, begin + BeginMarker.size());
    }
    if (certificates)
        *certificates = found;
    return true;
}

} // namespace sluice
