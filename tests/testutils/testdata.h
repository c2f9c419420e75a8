// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace sluice {

/// A file or folder under tests/data of the source tree, e.g. testDataPath(u"tls/ca.pem"_s).
/// The folder is compiled in (SLUICE_TEST_DATA_DIR, see tests/testutils/CMakeLists.txt), so
/// a test finds its data however it is started.
inline QString testDataPath(const QString &relative)
{
    return QStringLiteral(SLUICE_TEST_DATA_DIR) + u'/' + relative;
}

} // namespace sluice
