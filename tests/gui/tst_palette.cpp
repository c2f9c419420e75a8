// SPDX-License-Identifier: GPL-3.0-or-later
// The shared colour rules (palette.h): the dark test, the light/dark pick, and that an
// error message is the colour of a Failed row.
#include <QLabel>
#include <QObject>
#include <QPalette>
#include <QTest>

#include "palette.h"
#include "statusdelegate.h"

using namespace sluice;

namespace {

QPalette withBase(const QColor &base)
{
    QPalette palette;
    palette.setColor(QPalette::Base, base);
    return palette;
}

} // namespace

class TstPalette : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isDark_data();
    void isDark();
    void themedColorPicksByBase();
    void errorIsTheFailedColour();
    void setTextColorKeepsTheRest();
};

void TstPalette::isDark_data()
{
    QTest::addColumn<QColor>("base");
    QTest::addColumn<bool>("dark");

    QTest::newRow("white") << QColor(Qt::white) << false;
    QTest::newRow("black") << QColor(Qt::black) << true;
    QTest::newRow("dark grey") << QColor(0x2b, 0x2b, 0x2b) << true;
    QTest::newRow("light grey") << QColor(0xe0, 0xe0, 0xe0) << false;
    QTest::newRow("just below mid-grey") << QColor(0x7f, 0x7f, 0x7f) << true;
    QTest::newRow("mid-grey") << QColor(0x80, 0x80, 0x80) << false;
}

void TstPalette::isDark()
{
    QFETCH(QColor, base);
    QFETCH(bool, dark);
    QCOMPARE(sluice::isDark(withBase(base)), dark);
}

void TstPalette::themedColorPicksByBase()
{
    QCOMPARE(themedColor(withBase(Qt::white), 0x112233, 0xddeeff), QColor(0x11, 0x22, 0x33));
    QCOMPARE(themedColor(withBase(Qt::black), 0x112233, 0xddeeff), QColor(0xdd, 0xee, 0xff));
}

void TstPalette::errorIsTheFailedColour()
{
    for (const QColor &base : {QColor(Qt::white), QColor(Qt::black)}) {
        const QPalette palette = withBase(base);
        QCOMPARE(errorColor(palette), StatusDelegate::statusColor(ItemStatus::Failed, palette));
        QVERIFY(errorColor(palette).red() > 150);
    }
    QVERIFY(errorColor(withBase(Qt::white)) != errorColor(withBase(Qt::black)));
}

void TstPalette::setTextColorKeepsTheRest()
{
    QLabel label;
    QPalette palette = label.palette();
    palette.setColor(QPalette::Window, Qt::yellow);
    label.setPalette(palette);

    setTextColor(&label, Qt::red);
    QCOMPARE(label.palette().color(QPalette::WindowText), QColor(Qt::red));
    QCOMPARE(label.palette().color(QPalette::Window), QColor(Qt::yellow));
}

QTEST_MAIN(TstPalette)
#include "tst_palette.moc"
