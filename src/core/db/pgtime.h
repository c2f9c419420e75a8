// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayView>
#include <QString>

#include "db/pgvalues.h"

namespace sluice::pg {

/// A date, time, timetz, timestamp, timestamptz or interval from PostgreSQL's text (DateStyle
/// ISO, IntervalStyle iso_8601) as the JSON string content Sluice sends: ISO 8601, the year
/// astronomical (1 BC is 0000, signed outside 0..9999), timestamptz in UTC with Z, timetz with
/// its own offset (with minutes), every fractional digit the server wrote; text of any other
/// form (infinity, -infinity, intervals) as the server wrote it.
QString temporalText(Kind kind, QByteArrayView text);

} // namespace sluice::pg
