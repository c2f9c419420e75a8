// placeholder until written
#include <QTest>
class Tst : public QObject
{
    Q_OBJECT
private slots:
    void notWrittenYet() { QFAIL("not written yet"); }
};
QTEST_APPLESS_MAIN(Tst)
#include "tst_transform.moc"
