// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>
#include <optional>

#include <QColor>
#include <QHash>
#include <QList>
#include <QMap>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVariant>
#include <QWidget>

#include "db/rowcounter.h"
#include "spec/transferspec.h"
#include "types/columninfo.h"
#include "types/connectionsettings.h"

namespace Ui {
class QueryPanel;
}

namespace sluice {

class PreviewModel;
class RowSource;
class SqlHighlighter;
struct RowChunk;

/// The query step: an SQL editor with highlighting, a table of the query's :name
/// parameters (found as the steward types), and "Preview rows", which shows the query's
/// first rows with the row count when the database can tell it cheaply.
///
/// Parameter values are text in the table. A value that setQuery() gave as an integer,
/// real or boolean keeps that type: its text must read as one (parameterFromText(), the
/// rule `sluice run --set` follows too). One that does not is an error: the cell is marked,
/// the message area says what is wrong, errors() lists it, and Preview rows refuses to run
/// until it is fixed. A null or empty value stays so while its cell is empty, so setQuery()
/// then query() gives back the same spec (parameters the SQL does not use are left out). A
/// cell left empty otherwise means "no value": the preview names the missing parameter.
///
/// The preview runs off the GUI thread: a RowSource reads one chunk of PreviewRows rows,
/// and a RowCounter counts on a connection of its own. A new preview supersedes a running
/// one, whose results are dropped. The GUI never waits for a database: destroying a
/// RowSource or a RowCounter returns at once, and they end in the background.
class QueryPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueryPanel)

public:
    static constexpr int PreviewRows = 100;
    /// How long typing must pause before the parameter table follows the SQL.
    static constexpr int ParameterDelayMs = 250;

    explicit QueryPanel(QWidget *parent = nullptr);
    ~QueryPanel() override;

    /// Shows spec (no changed()). Clears the preview.
    void setQuery(const QuerySpec &spec);
    /// The SQL as typed and the value of each parameter it uses, in the types described
    /// above; a parameter without a value, or with one in error, is left out.
    QuerySpec query() const;
    /// The parameters of the SQL whose text does not fit their type, in the order the SQL
    /// uses them ("query.parameters.limit": "\"ten\" is not an integer"). The transfer is
    /// not valid while there are any.
    QList<SpecError> errors() const;
    /// Where Preview rows reads from (no changed()). A different connection clears the
    /// preview and drops one that is running.
    void setConnection(const ConnectionSettings &settings, const QString &password);

    /// A preview is running, or the table shows the rows of the last one.
    bool hasPreview() const { return m_source != nullptr || m_previewShown; }

    /// The model the preview table shows (owned by the panel).
    PreviewModel *previewModel() const { return m_model; }

public Q_SLOTS:
    /// Runs the query for a preview, as the button and Ctrl+Return do.
    void preview();

Q_SIGNALS:
    /// The steward edited the SQL or a parameter value.
    void changed();
    /// A preview succeeded: its columns and rows (at most PreviewRows).
    void previewReady(const sluice::ColumnList &columns, const QList<QVariantList> &rows);

protected:
    void changeEvent(QEvent *event) override;

private:
    enum class CountState { None, Counting, Counted, Failed };
    enum ParameterColumn { NameColumn, ValueColumn, ParameterColumnCount };

    void onSqlEdited();
    void updateParameters();
    void fitParametersTable();
    /// The current text of each parameter's value cell, by name.
    QHash<QString, QString> parameterTexts() const;
    /// The value for a parameter's text (see the class comment): nullopt when it has none,
    /// or when it is in error (then *error says why).
    std::optional<QVariant> parameterValue(const QString &name, const QString &text,
                                           SpecError *error) const;
    /// query() and errors() in one pass (errors may be null).
    QuerySpec readQuery(QList<SpecError> *errors) const;
    /// Marks the value cells in error and shows (or takes back) their messages.
    void checkParameters();

    void dropPreview();
    /// Disconnects source and destroys it once it has returned from its signal.
    void retire(RowSource *source);
    void clearPreview();
    void onOpened(const sluice::ColumnList &columns);
    void onChunk(const sluice::RowChunk &chunk);
    void onPreviewFailed(const QString &message);
    void onCounted(qint64 rows, sluice::RowCounter::Accuracy accuracy);
    void onCountFailed(const QString &message);
    void showStatus();
    void showError(const QString &message);
    void applyPalette();

    std::unique_ptr<Ui::QueryPanel> m_ui;
    SqlHighlighter *m_highlighter = nullptr;
    PreviewModel *m_model = nullptr;
    QTimer m_parameterTimer;

    /// Values as setQuery() gave them: their types survive editing (see class comment).
    QMap<QString, QVariant> m_givenValues;
    /// Texts of parameters that left the SQL, back if the name returns (e.g. after undo).
    QHash<QString, QString> m_droppedTexts;
    QStringList m_parameterNames; ///< the table's rows, in order
    bool m_updating = false; ///< the panel itself is changing the widgets: no changed()
    bool m_showsParameterErrors = false; ///< the message area shows checkParameters()' errors
    QColor m_errorColor; ///< text colour of messages and cells in error, for the palette

    ConnectionSettings m_settings;
    QString m_password;

    /// The running preview (null when none): results from any other source are stale.
    /// A child of the panel, so that retired ones not yet deleted go with it.
    RowSource *m_source = nullptr;
    QPointer<RowCounter> m_counter;
    ColumnList m_pendingColumns;
    bool m_previewShown = false; ///< the table shows the rows of the last good preview
    bool m_previewAtEnd = false;
    CountState m_countState = CountState::None;
    qint64 m_count = 0;
    RowCounter::Accuracy m_countAccuracy = RowCounter::Accuracy::Exact;
};

} // namespace sluice
