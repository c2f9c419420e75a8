// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "ui_mainwindow.h"

#include <QApplication>

namespace sluice {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
{
    m_ui->setupUi(this);
    m_ui->introLabel->setText(
        tr("<h2>Sluice %1</h2>"
           "<p>Moves rows from a SQL database into an HTTP/JSON API.</p>"
           "<p>The desktop forms are not built yet. Run a transfer from a terminal:</p>"
           "<p><code>sluice demo-api &amp;<br>"
           "sluice run resources/example/sensors-to-demo-api.json</code></p>")
            .arg(QApplication::applicationVersion()));
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
}

MainWindow::~MainWindow() = default;

} // namespace sluice
