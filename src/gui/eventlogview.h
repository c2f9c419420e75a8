// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QPointer>
#include <QWidget>

namespace Ui {
class EventLogView;
}

namespace sluice {

class EventLog;
class EventLogModel;

/// What happened during the runs (the Run tab's "Log" page): an EventLog in a list with
/// uniform rows, each line with its time and an icon for its severity, following the newest
/// entry unless the steward scrolled up to read; how many entries it holds (and how many the
/// bounded log dropped); Copy (also Ctrl+C in the list) and Clear. Activating the line of an
/// item emits itemActivated(), for the owner to show the item.
///
/// Threads: the GUI thread only.
class EventLogView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLogView)

public:
    explicit EventLogView(QWidget *parent = nullptr);
    ~EventLogView() override;

    /// Shows log (not null) through a new EventLogModel owned by the view. The log is not
    /// owned and may be destroyed first: the list then keeps what it shows.
    void setLog(EventLog *log);
    /// The model of the list; nullptr before setLog().
    EventLogModel *model() const { return m_model; }

Q_SIGNALS:
    /// A line about item id was activated (double-click, Return).
    void itemActivated(qint64 id);

private:
    void copySelection();
    void updateInfo();
    /// The current entry's whole text below the list, where a line is cut at its edge.
    void showCurrentEntry();

    std::unique_ptr<Ui::EventLogView> m_ui;
    QPointer<EventLog> m_log;
    EventLogModel *m_model = nullptr;
    bool m_followTail = true; ///< the view showed the newest entry before rows came
};

} // namespace sluice
