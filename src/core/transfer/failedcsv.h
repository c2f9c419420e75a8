// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "types/item.h"

#include <QByteArray>

namespace sluice {

/// The CSV form of the failed-items export, beside FailedWriter's NDJSON: a header line, then
/// one line per failed or invalid item with its key, status name, HTTP status (empty when no
/// response came), attempts and full error. RFC 4180: lines end in CRLF, and a field that
/// holds a comma, a double quote or a line break is put in double quotes with its quotes
/// doubled. UTF-8 without a byte-order mark.
///
/// Pure functions: callable from any thread.
namespace FailedCsv {

/// "key,status,http status,attempts,error" and CRLF.
QByteArray header();
/// result's line, CRLF included.
QByteArray line(const ItemResult &result);

} // namespace FailedCsv

} // namespace sluice
