// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

namespace sluice {

/// Why a row source failed, decided where the failure is found.
struct SourceFailure
{
    Q_GADGET

public:
    enum class Kind {
        /// The transfer names something that cannot work: a driver that is not installed, a
        /// SQLite file that does not exist, an empty query, a parameter without a value or
        /// one the query does not have. The message starts with the field ("query.sql: ...").
        Configuration,
        /// The database refused or failed: connecting, running or reading the query.
        Database,
    };
    Q_ENUM(Kind)

    Kind kind = Kind::Database;
    QString message; ///< for people; never contains the password
};

} // namespace sluice

Q_DECLARE_METATYPE(sluice::SourceFailure)
