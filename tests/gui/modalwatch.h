// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <functional>

/// Calls act once with the first modal widget that shows within timeoutMs, checked at every
/// tick of a timer of context's. Not a QTRY_VERIFY inside a single-shot timer: that waits
/// inside the event loop it was called from, and when that loop is a nested one (a keychain
/// save waiting for its answer) the box that the code opens after the loop returns never comes
/// while it waits, and stays open with nobody to answer it. A box that never shows leaves act
/// uncalled: the test's own check of what act records fails.
inline void whenModalShows(QObject *context, std::function<void(QWidget *)> act,
                           int timeoutMs = 10000)
{
    auto *timer = new QTimer(context);
    timer->setInterval(10);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    QObject::connect(timer, &QTimer::timeout, context,
                     [timer, clock, timeoutMs, act = std::move(act)] {
                         QWidget *modal = QApplication::activeModalWidget();
                         if (!modal && clock->elapsed() < timeoutMs)
                             return;
                         timer->stop();
                         timer->deleteLater();
                         if (modal)
                             act(modal);
                     });
    timer->start();
}
