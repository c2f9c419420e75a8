// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QList>
#include <QTimer>
#include <QWidget>

#include "spec/transferspec.h"

namespace Ui {
class TargetPanel;
}

class QLabel;
class QLineEdit;
class QTableWidgetItem;

namespace sluice {

/// The target step: the URL (with {{column}} placeholders), the method, the headers (a
/// value, or the name of an environment variable holding it, so tokens stay out of the
/// transfer file); how items are sent (one per request, or in batches in a bulk format, with
/// the batch limits and Elasticsearch's action); the connection (HTTP/2, a CA file to trust,
/// the request timeout); which answers count as delivered or are retried; an idempotency key;
/// and the run's pacing (concurrency, chunk size, retries, a cap on requests per second, when
/// to give up). When a re-send could store an item twice (duplicateRisk()), a warning says so.
///
/// The batch controls are enabled only in a bulk mode and the bulk action only for
/// elasticsearch-bulk, but they keep their values in every mode: target() returns what
/// setTarget() was given.
///
/// Validation is the transfer file's own: the panel's target and run go into a scratch
/// TransferSpec with a valid source and query, TransferSpec::validate() runs, and each
/// "target." or "run." problem is shown under the field it is about (debounced while
/// typing). GUI thread only.
class TargetPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetPanel)

public:
    enum HeaderColumn {
        NameColumn,
        ValueColumn,
        FromEnvironmentColumn,
        KeychainColumn,
        HeaderColumnCount
    };
    /// How a header row's value is given.
    enum class ValueSource : quint8 { Literal, Environment, Keychain };

    explicit TargetPanel(QWidget *parent = nullptr);
    ~TargetPanel() override;

    /// Shows target and run. Does not emit changed().
    void setTarget(const TargetSpec &target, const RunSpec &run);
    /// Rows with neither name nor value are left out; names are trimmed. Rows marked
    /// "From environment variable" go to headersEnv, their value being the variable's name;
    /// rows marked "In the keychain" to headersKeychain, their value being the entry's name.
    TargetSpec target() const;
    /// Values to write to the keychain when the transfer is saved: entry -> secret, from rows
    /// whose literal value was moved to the keychain ("In the keychain" checked).
    QList<QPair<QString, QString>> secretsToStore() const;
    /// The secretsToStore() are in the keychain now: forgets them.
    void secretsStored();
    /// Moves every credential written literally (literalSecretHeaders()) to the keychain, as
    /// checking "In the keychain" on its row does. Returns how many rows it moved.
    int moveLiteralSecretsToKeychain();
    RunSpec run() const;
    /// True when validate() finds no problem under "target." or "run.".
    bool isValid() const;
    /// The transfer file's folder (source.baseDir): where Browse… starts, and what a chosen
    /// CA file is made relative to when it lies inside. Empty: not saved yet.
    void setBaseDir(const QString &baseDir);
    /// The transfer moves to another folder (Save As): the same CA file, named from baseDir
    /// (TransferSpec::movedTo()). Emits no changed().
    void moveTo(const QString &baseDir, const QString &caFile);
    /// The transform's key template (transform.key; empty: none), which decides whether a
    /// _bulk mode can duplicate items (see duplicateRisk()).
    void setItemKey(const QString &keyTemplate);
    /// The duplicate warning shown now; empty when none.
    QString duplicateWarning() const;

signals:
    /// The user edited something (never emitted by setTarget()).
    void changed();

private:
    QList<SpecError> problems() const;
    void showProblems();
    void userEdited();
    void addHeader();
    void removeHeader();
    void appendHeaderRow(const QString &name, const QString &value, ValueSource source);
    void setValueSource(int row, ValueSource source);
    void headerItemChanged(QTableWidgetItem *item);
    void updateValueToolTip(int row);
    void updateRemoveButton();
    void setError(QLabel *label, const QStringList &messages);
    void updateDuplicateWarning();
    /// A status field's list: nullopt when empty (the default) or not readable (*error).
    static std::optional<StatusList> statusList(const QLineEdit *edit, QString *error = nullptr);
    TargetMode mode() const;
    void updateChoices();
    void browseCaFile();
    void useChosenCaFile(const QString &file);

    std::unique_ptr<Ui::TargetPanel> m_ui;
    QTimer m_debounce;
    bool m_updating = false;
    QString m_baseDir;
    QString m_itemKey;
    /// The rate setTarget() was given, while the box shows it (rounded to its decimals):
    /// a file's 0.125 stays 0.125 unless the steward changes it.
    std::optional<double> m_exactRate;
    /// run.watermark, which no form edits: kept from setTarget() so that saving keeps it.
    std::optional<WatermarkSpec> m_watermark;
};

} // namespace sluice
