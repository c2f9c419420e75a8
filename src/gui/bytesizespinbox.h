// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QSpinBox>

namespace sluice {

/// A spin box for a size in bytes, shown in the largest unit that keeps it exact ("5 MiB",
/// "512 KiB", "1500 bytes"), so the number a steward reads is the number stored. Typed text
/// may end in a unit (B or bytes, K/KB/KiB, M/MB/MiB, any case; K and M are always 1024-based)
/// and have a fraction ("1.5 MiB"); it must come to whole bytes within the range. The arrow
/// keys step by one of the unit shown. value() is always bytes; typed text becomes the value
/// on Return or when the focus leaves (no keyboard tracking). GUI thread only.
class ByteSizeSpinBox final : public QSpinBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ByteSizeSpinBox)

public:
    explicit ByteSizeSpinBox(QWidget *parent = nullptr);
    ~ByteSizeSpinBox() override;

    /// Bytes for text in this box's locale ("5 MiB" -> 5242880); nothing for text that is
    /// not a size or not whole bytes. The range is not checked.
    std::optional<qint64> parse(const QString &text) const;

    void stepBy(int steps) override;
    QSize sizeHint() const override;

protected:
    QString textFromValue(int value) const override;
    int valueFromText(const QString &text) const override;
    QValidator::State validate(QString &text, int &pos) const override;
};

} // namespace sluice
