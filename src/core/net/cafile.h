// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QString>

#include "spec/transferspec.h"

namespace sluice {

/// The CA file a transfer names (target.caFile) as an absolute, clean path: a relative one is
/// relative to the transfer file's folder (source.baseDir), or to the working folder when the
/// transfer has none (never saved). Empty when the transfer names no CA file. Pure: the file is
/// not looked at.
QString resolvedCaFile(const TransferSpec &spec);
/// The same for a path and a folder.
QString resolveCaFile(const QString &caFile, const QString &baseDir);

/// Reads the PEM certificates of path (one or several, as a CA bundle holds them), to trust for
/// https besides the system's. On failure returns false, leaves *certificates alone and sets
/// *error, which names the field and the file:
///   "target.caFile: cannot read /abs/ca.pem: <reason>"
///   "target.caFile: /abs/ca.pem holds no PEM certificate"
///   "target.caFile: /abs/ca.pem: certificate 2 of 3 cannot be read"
/// A file that is partly broken is refused as a whole: trusting fewer CAs than the steward
/// listed would fail later with a far less helpful SSL error. Any thread; either pointer may
/// be null.
bool readCaFile(const QString &path, QList<QSslCertificate> *certificates, QString *error);

} // namespace sluice
