// SPDX-License-Identifier: GPL-3.0-or-later
#include "logging.h"

Q_LOGGING_CATEGORY(lcSpec, "sluice.spec", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSource, "sluice.source", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTransform, "sluice.transform", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "sluice.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRun, "sluice.run", QtInfoMsg)
