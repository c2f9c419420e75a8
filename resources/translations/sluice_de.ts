<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ConnectionPanel</name>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>The database the rows come from. Passwords are never saved in the transfer file: Sluice reads them from an environment variable, or you type them here when you run.</source>
        <translation>Die Datenbank, aus der die Zeilen kommen. Passwörter werden nie in der Übertragungsdatei gespeichert: Sluice liest sie aus einer Umgebungsvariablen, oder Sie geben sie hier ein, wenn Sie den Lauf starten.</translation>
    </message>
    <message>
        <source>About the connection</source>
        <translation>Zur Verbindung</translation>
    </message>
    <message>
        <source>Driv&amp;er:</source>
        <translation>&amp;Treiber:</translation>
    </message>
    <message>
        <source>Database driver</source>
        <translation>Datenbanktreiber</translation>
    </message>
    <message>
        <source>The kind of database: the drivers this computer has</source>
        <translation>Die Art der Datenbank: die Treiber, die auf diesem Rechner installiert sind</translation>
    </message>
    <message>
        <source>Driver problem</source>
        <translation>Treiberproblem</translation>
    </message>
    <message>
        <source>Database f&amp;ile:</source>
        <translation>Datenbank&amp;datei:</translation>
    </message>
    <message>
        <source>SQLite database file</source>
        <translation>SQLite-Datenbankdatei</translation>
    </message>
    <message>
        <source>A SQLite file; relative paths start at the transfer file&apos;s folder</source>
        <translation>Eine SQLite-Datei; relative Pfade gehen vom Ordner der Übertragungsdatei aus</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source>Browse for the SQLite file</source>
        <translation>SQLite-Datei suchen</translation>
    </message>
    <message>
        <source>Database file problem</source>
        <translation>Problem mit der Datenbankdatei</translation>
    </message>
    <message>
        <source>H&amp;ost:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Server name or address; empty: this computer</source>
        <translation>Servername oder -adresse; leer: dieser Rechner</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>The server&apos;s TCP port; &quot;default&quot; uses the driver&apos;s usual port</source>
        <translation>Der TCP-Port des Servers; „Standard“ nimmt den üblichen Port des Treibers</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>Daten&amp;bank:</translation>
    </message>
    <message>
        <source>Database name</source>
        <translation>Datenbankname</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>Be&amp;nutzer:</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>User name; empty: the driver&apos;s default</source>
        <translation>Benutzername; leer: der Standard des Treibers</translation>
    </message>
    <message>
        <source>Password &amp;source:</source>
        <translation>Passwort&amp;quelle:</translation>
    </message>
    <message>
        <source>Where the password comes from</source>
        <translation>Woher das Passwort kommt</translation>
    </message>
    <message>
        <source>No password</source>
        <translation>Kein Passwort</translation>
    </message>
    <message>
        <source>From environment variable</source>
        <translation>Aus Umgebungsvariable</translation>
    </message>
    <message>
        <source>Ask when run</source>
        <translation>Beim Start abfragen</translation>
    </message>
    <message>
        <source>Stored in the keychain</source>
        <translation>Im Schlüsselbund gespeichert</translation>
    </message>
    <message>
        <source>&amp;Variable:</source>
        <translation>&amp;Variable:</translation>
    </message>
    <message>
        <source>Environment variable holding the password</source>
        <translation>Umgebungsvariable mit dem Passwort</translation>
    </message>
    <message>
        <source>e.g. SENSORS_DB_PASSWORD</source>
        <translation>z. B. SENSORS_DB_PASSWORD</translation>
    </message>
    <message>
        <source>Environment variable problem</source>
        <translation>Problem mit der Umgebungsvariablen</translation>
    </message>
    <message>
        <source>&amp;Keychain entry:</source>
        <translation>Schlüsselbund-&amp;Eintrag:</translation>
    </message>
    <message>
        <source>Keychain entry holding the password</source>
        <translation>Schlüsselbund-Eintrag mit dem Passwort</translation>
    </message>
    <message>
        <source>The name of the entry in the system keychain (service &quot;Sluice&quot;) that holds the password. The transfer file keeps only this name.</source>
        <translation>Der Name des Eintrags im Schlüsselbund des Systems (Dienst „Sluice“), der das Passwort enthält. Die Übertragungsdatei enthält nur diesen Namen.</translation>
    </message>
    <message>
        <source>e.g. sensors database</source>
        <translation>z. B. Sensordatenbank</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>For this session only; never saved</source>
        <translation>Nur für diese Sitzung; wird nie gespeichert</translation>
    </message>
    <message>
        <source>Connect optio&amp;ns:</source>
        <translation>Verbindungs&amp;optionen:</translation>
    </message>
    <message>
        <source>Connect options</source>
        <translation>Verbindungsoptionen</translation>
    </message>
    <message>
        <source>Driver options, separated by semicolons (Qt&apos;s connect options)</source>
        <translation>Treiberoptionen, durch Semikolon getrennt (die Verbindungsoptionen von Qt)</translation>
    </message>
    <message>
        <source>&amp;Test Connection</source>
        <translation>Verbindung te&amp;sten</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Connect with these settings now, without running anything</source>
        <translation>Jetzt mit diesen Einstellungen verbinden, ohne etwas auszuführen</translation>
    </message>
    <message>
        <source>Testing the connection</source>
        <translation>Verbindung wird getestet</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <source>Test status</source>
        <translation>Teststatus</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>Ergebnis des Verbindungstests</translation>
    </message>
</context>
<context>
    <name>EventLogView</name>
    <message>
        <source>Run log</source>
        <translation>Laufprotokoll</translation>
    </message>
    <message>
        <source>Log size</source>
        <translation>Protokollgröße</translation>
    </message>
    <message>
        <source>Copy the selected log entries</source>
        <translation>Die ausgewählten Protokolleinträge kopieren</translation>
    </message>
    <message>
        <source>Cop&amp;y</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Clear the log</source>
        <translation>Das Protokoll leeren</translation>
    </message>
    <message>
        <source>Cle&amp;ar</source>
        <translation>Lee&amp;ren</translation>
    </message>
    <message>
        <source>Selected log entry</source>
        <translation>Ausgewählter Protokolleintrag</translation>
    </message>
</context>
<context>
    <name>FailureGroupsView</name>
    <message>
        <source>Failures grouped by cause</source>
        <translation>Fehler nach Ursache gruppiert</translation>
    </message>
    <message>
        <source>Show the items of the selected cause</source>
        <translation>Die Elemente der ausgewählten Ursache anzeigen</translation>
    </message>
    <message>
        <source>Show these &amp;items</source>
        <translation>Diese Elemente &amp;zeigen</translation>
    </message>
    <message>
        <source>Retry the items of the selected cause</source>
        <translation>Die Elemente der ausgewählten Ursache erneut senden</translation>
    </message>
    <message>
        <source>Retry this &amp;group</source>
        <translation>Diese Gruppe w&amp;iederholen</translation>
    </message>
</context>
<context>
    <name>InnerButtons</name>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Clear %1</source>
        <translation>Leeren: %1</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>Alles auswählen</translation>
    </message>
    <message>
        <source>More toolbar buttons</source>
        <translation>Weitere Werkzeugleisten-Schaltflächen</translation>
    </message>
    <message>
        <source>More menus</source>
        <translation>Weitere Menüs</translation>
    </message>
</context>
<context>
    <name>ItemDetailsView</name>
    <message>
        <source>Selected item</source>
        <translation>Ausgewähltes Element</translation>
    </message>
    <message>
        <source>&amp;Payload (JSON):</source>
        <translation>Nutz&amp;daten (JSON):</translation>
    </message>
    <message>
        <source>Item JSON payload</source>
        <translation>JSON-Nutzdaten des Elements</translation>
    </message>
    <message>
        <source>Select an item to see the JSON it was sent with.</source>
        <translation>Wählen Sie ein Element, um das gesendete JSON zu sehen.</translation>
    </message>
    <message>
        <source>Payload problem</source>
        <translation>Problem mit den Nutzdaten</translation>
    </message>
    <message>
        <source>Retry this item with the edited JSON</source>
        <translation>Dieses Element mit dem bearbeiteten JSON erneut senden</translation>
    </message>
    <message>
        <source>Retry &amp;with this JSON</source>
        <translation>Mit diesem JSON &amp;wiederholen</translation>
    </message>
    <message>
        <source>R&amp;esponse:</source>
        <translation>An&amp;twort:</translation>
    </message>
    <message>
        <source>Item error</source>
        <translation>Fehler des Elements</translation>
    </message>
    <message>
        <source>Delivery remark</source>
        <translation>Hinweis zur Zustellung</translation>
    </message>
    <message>
        <source>Full response text</source>
        <translation>Vollständiger Antworttext</translation>
    </message>
    <message>
        <source>The API&apos;s answer to the last attempt.</source>
        <translation>Die Antwort der API auf den letzten Versuch.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Sluice</source>
        <translation>Sluice</translation>
    </message>
    <message>
        <source>About the example</source>
        <translation>Zum Beispiel</translation>
    </message>
    <message>
        <source>Start the example</source>
        <translation>Das Beispiel starten</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <source>Dismiss the note about the example</source>
        <translation>Den Hinweis zum Beispiel ausblenden</translation>
    </message>
    <message>
        <source>Hide this note; it does not come back</source>
        <translation>Diesen Hinweis ausblenden; er erscheint nicht wieder</translation>
    </message>
    <message>
        <source>Transfer steps</source>
        <translation>Schritte der Übertragung</translation>
    </message>
    <message>
        <source>&amp;1 Connection</source>
        <translation>&amp;1 Verbindung</translation>
    </message>
    <message>
        <source>&amp;2 Query</source>
        <translation>&amp;2 Abfrage</translation>
    </message>
    <message>
        <source>&amp;3 Transform</source>
        <translation>&amp;3 Umwandlung</translation>
    </message>
    <message>
        <source>&amp;4 Target</source>
        <translation>&amp;4 Ziel</translation>
    </message>
    <message>
        <source>&amp;5 Run</source>
        <translation>&amp;5 Lauf</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Lauf</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Demo API Target</source>
        <translation>&amp;Demo-API als Ziel</translation>
    </message>
    <message>
        <source>&amp;New Transfer</source>
        <translation>&amp;Neue Übertragung</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <source>Open R&amp;un…</source>
        <translation>&amp;Lauf öffnen…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Browse past runs: show one&apos;s items in the Run tab, resume an interrupted one</source>
        <translation>Frühere Läufe durchsehen: die Elemente eines Laufs im Schritt „Lauf“ zeigen, einen unterbrochenen fortsetzen</translation>
    </message>
    <message>
        <source>Open &amp;Example</source>
        <translation>&amp;Beispiel öffnen</translation>
    </message>
    <message>
        <source>Open the bundled example: a SQLite sensors database sent to the built-in demo API</source>
        <translation>Das mitgelieferte Beispiel öffnen: eine SQLite-Sensordatenbank, die an die eingebaute Demo-API gesendet wird</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Ctrl+S</source>
        <translation>Ctrl+S</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Speichern &amp;unter…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>B&amp;eenden</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Reliable: Every Item Is Stored</source>
        <translation>&amp;Zuverlässig: Jedes Element wird gespeichert</translation>
    </message>
    <message>
        <source>Point the target at the built-in demo API, which stores every item</source>
        <translation>Das Ziel auf die eingebaute Demo-API richten, die jedes Element speichert</translation>
    </message>
    <message>
        <source>&amp;Flaky: 30 % of Requests Fail with 503</source>
        <translation>&amp;Wackelig: 30 % der Anfragen scheitern mit 503</translation>
    </message>
    <message>
        <source>Point the target at the built-in demo API&apos;s flaky endpoint: watch items retry, some fail, then retry them</source>
        <translation>Das Ziel auf den wackeligen Endpunkt der eingebauten Demo-API richten: Elemente werden wiederholt, manche scheitern, dann senden Sie sie erneut</translation>
    </message>
    <message>
        <source>R&amp;ejecting: Every Item Fails with 422</source>
        <translation>&amp;Ablehnend: Jedes Element scheitert mit 422</translation>
    </message>
    <message>
        <source>Point the target at the built-in demo API&apos;s rejecting endpoint: every item fails, with the API&apos;s reason</source>
        <translation>Das Ziel auf den ablehnenden Endpunkt der eingebauten Demo-API richten: Jedes Element scheitert, mit der Begründung der API</translation>
    </message>
    <message>
        <source>&amp;About Sluice</source>
        <translation>Ü&amp;ber Sluice</translation>
    </message>
</context>
<context>
    <name>OpenRunDialog</name>
    <message>
        <source>Open Run</source>
        <translation>Lauf öffnen</translation>
    </message>
    <message>
        <source>Open a past run</source>
        <translation>Einen früheren Lauf öffnen</translation>
    </message>
    <message>
        <source>Past &amp;runs, newest first:</source>
        <translation>Frühere &amp;Läufe, neueste zuerst:</translation>
    </message>
    <message>
        <source>Past runs</source>
        <translation>Frühere Läufe</translation>
    </message>
    <message>
        <source>Where journals are kept</source>
        <translation>Wo die Journale liegen</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>Lös&amp;chen…</translation>
    </message>
    <message>
        <source>Delete the selected run&apos;s journal</source>
        <translation>Das Journal des ausgewählten Laufs löschen</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Show the selected run&apos;s items in the Run tab</source>
        <translation>Die Elemente des ausgewählten Laufs im Schritt „Lauf“ zeigen</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>Fort&amp;setzen</translation>
    </message>
    <message>
        <source>Resume the selected run</source>
        <translation>Den ausgewählten Lauf fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>Schl&amp;ießen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>cannot copy the example file %1 to %2: %3</source>
        <translation>Die Beispieldatei %1 kann nicht nach %2 kopiert werden: %3</translation>
    </message>
</context>
<context>
    <name>QueryPanel</name>
    <message>
        <source>Query</source>
        <translation>Abfrage</translation>
    </message>
    <message>
        <source>&amp;SQL query</source>
        <translation>&amp;SQL-Abfrage</translation>
    </message>
    <message>
        <source>SQL query</source>
        <translation>SQL-Abfrage</translation>
    </message>
    <message>
        <source>The query whose rows are sent. Name parameters with a colon, like :since; Ctrl+Return previews the rows.</source>
        <translation>Die Abfrage, deren Zeilen gesendet werden. Parameter benennen Sie mit einem Doppelpunkt, etwa :since; Strg+Eingabe zeigt eine Vorschau der Zeilen.</translation>
    </message>
    <message>
        <source>SELECT id, name, measured_at FROM sensors WHERE measured_at &gt;= :since</source>
        <translation>SELECT id, name, measured_at FROM sensors WHERE measured_at &gt;= :since</translation>
    </message>
    <message>
        <source>&amp;Parameters</source>
        <translation>&amp;Parameter</translation>
    </message>
    <message>
        <source>Query parameters</source>
        <translation>Abfrageparameter</translation>
    </message>
    <message>
        <source>One row per :name in the query: the name, and the value bound to it.</source>
        <translation>Eine Zeile je :name in der Abfrage: der Name und der daran gebundene Wert.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Parameters hint</source>
        <translation>Hinweis zu den Parametern</translation>
    </message>
    <message>
        <source>No :parameters in the query</source>
        <translation>Keine :Parameter in der Abfrage</translation>
    </message>
    <message>
        <source>Preview rows</source>
        <translation>Vorschau der Zeilen</translation>
    </message>
    <message>
        <source>Pre&amp;view rows</source>
        <translation>&amp;Vorschau der Zeilen</translation>
    </message>
    <message>
        <source>Preview status</source>
        <translation>Status der Vorschau</translation>
    </message>
    <message>
        <source>Query error</source>
        <translation>Fehler in der Abfrage</translation>
    </message>
    <message>
        <source>Preview rows table</source>
        <translation>Tabelle der Vorschauzeilen</translation>
    </message>
    <message>
        <source>The first rows the query returns.</source>
        <translation>Die ersten Zeilen, die die Abfrage liefert.</translation>
    </message>
</context>
<context>
    <name>RetryTargetQuestion</name>
    <message>
        <source>The Target Has Changed</source>
        <translation>Das Ziel wurde geändert</translation>
    </message>
    <message>
        <source>The target was changed after this run started. Where should the items go?</source>
        <translation>Das Ziel wurde geändert, nachdem dieser Lauf begonnen hat. Wohin sollen die Elemente gehen?</translation>
    </message>
    <message>
        <source>Changed target: %1 %2
This run&apos;s target: %3 %4</source>
        <translation>Geändertes Ziel: %1 %2
Ziel dieses Laufs: %3 %4</translation>
    </message>
    <message>
        <source>Send to the &amp;Changed Target</source>
        <translation>An das &amp;geänderte Ziel senden</translation>
    </message>
    <message>
        <source>Send to the &amp;Run&apos;s Target</source>
        <translation>An das Ziel des &amp;Laufs senden</translation>
    </message>
</context>
<context>
    <name>RunPanel</name>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Interrupted run</source>
        <translation>Unterbrochener Lauf</translation>
    </message>
    <message>
        <source>Resume &amp;now</source>
        <translation>&amp;Jetzt fortsetzen</translation>
    </message>
    <message>
        <source>Resume the interrupted run</source>
        <translation>Den unterbrochenen Lauf fortsetzen</translation>
    </message>
    <message>
        <source>Send what the run owes and read the rest of its rows; delivered items are not sent again</source>
        <translation>Senden, was der Lauf noch schuldet, und den Rest seiner Zeilen lesen; zugestellte Elemente werden nicht erneut gesendet</translation>
    </message>
    <message>
        <source>&amp;Dismiss</source>
        <translation>Ausb&amp;lenden</translation>
    </message>
    <message>
        <source>Dismiss the offer to resume</source>
        <translation>Das Angebot zum Fortsetzen ausblenden</translation>
    </message>
    <message>
        <source>Hide this offer; File &gt; Open Run… can still resume the run</source>
        <translation>Dieses Angebot ausblenden; über Datei &gt; Lauf öffnen… lässt sich der Lauf weiterhin fortsetzen</translation>
    </message>
    <message>
        <source>Start transfer</source>
        <translation>Übertragung starten</translation>
    </message>
    <message>
        <source>Pause or resume transfer</source>
        <translation>Übertragung anhalten oder fortsetzen</translation>
    </message>
    <message>
        <source>Cancel transfer</source>
        <translation>Übertragung abbrechen</translation>
    </message>
    <message>
        <source>Transfer progress</source>
        <translation>Fortschritt der Übertragung</translation>
    </message>
    <message>
        <source>Items per second</source>
        <translation>Elemente pro Sekunde</translation>
    </message>
    <message>
        <source>Estimated time left</source>
        <translation>Geschätzte Restzeit</translation>
    </message>
    <message>
        <source>Queued items</source>
        <translation>Wartende Elemente</translation>
    </message>
    <message>
        <source>Items being sent</source>
        <translation>Elemente, die gerade gesendet werden</translation>
    </message>
    <message>
        <source>Delivered items</source>
        <translation>Zugestellte Elemente</translation>
    </message>
    <message>
        <source>Items waiting to retry</source>
        <translation>Elemente, die auf eine Wiederholung warten</translation>
    </message>
    <message>
        <source>Failed items</source>
        <translation>Fehlgeschlagene Elemente</translation>
    </message>
    <message>
        <source>Invalid items</source>
        <translation>Ungültige Elemente</translation>
    </message>
    <message>
        <source>Protocol and requests at once</source>
        <translation>Protokoll und gleichzeitige Anfragen</translation>
    </message>
    <message>
        <source>The protocol the target answers over, and whether it asked Sluice to send fewer requests at once (HTTP 429 or 503)</source>
        <translation>Das Protokoll, über das das Ziel antwortet, und ob es Sluice gebeten hat, weniger Anfragen gleichzeitig zu senden (HTTP 429 oder 503)</translation>
    </message>
    <message>
        <source>Run state</source>
        <translation>Status des Laufs</translation>
    </message>
    <message>
        <source>Run error</source>
        <translation>Fehler des Laufs</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>A&amp;nzeigen:</translation>
    </message>
    <message>
        <source>Show items with status</source>
        <translation>Elemente mit diesem Status anzeigen</translation>
    </message>
    <message>
        <source>Sear&amp;ch:</source>
        <translation>Su&amp;chen:</translation>
    </message>
    <message>
        <source>Search items by key or error text</source>
        <translation>Elemente nach Schlüssel oder Fehlertext durchsuchen</translation>
    </message>
    <message>
        <source>Key or error text</source>
        <translation>Schlüssel oder Fehlertext</translation>
    </message>
    <message>
        <source>Items shown</source>
        <translation>Angezeigte Elemente</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Elemente</translation>
    </message>
    <message>
        <source>Retry selected items</source>
        <translation>Ausgewählte Elemente erneut senden</translation>
    </message>
    <message>
        <source>Retry all failed items</source>
        <translation>Alle fehlgeschlagenen Elemente erneut senden</translation>
    </message>
    <message>
        <source>Export failed items</source>
        <translation>Fehlgeschlagene Elemente exportieren</translation>
    </message>
    <message>
        <source>Ite&amp;m</source>
        <translation>&amp;Element</translation>
    </message>
    <message>
        <source>Failures by ca&amp;use</source>
        <translation>Fehler nach &amp;Ursache</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>Pr&amp;otokoll</translation>
    </message>
    <message>
        <source>Filter in use</source>
        <translation>Filter aktiv</translation>
    </message>
    <message>
        <source>Sh&amp;ow all items</source>
        <translation>Alle Elemente an&amp;zeigen</translation>
    </message>
    <message>
        <source>Show all items</source>
        <translation>Alle Elemente anzeigen</translation>
    </message>
    <message>
        <source>Clear the status filter and the search</source>
        <translation>Statusfilter und Suche zurücksetzen</translation>
    </message>
    <message>
        <source>Retry and export result</source>
        <translation>Ergebnis von Wiederholung und Export</translation>
    </message>
    <message>
        <source>Charts, item details and failures</source>
        <translation>Diagramme, Elementdetails und Fehler</translation>
    </message>
    <message>
        <source>Char&amp;ts</source>
        <translation>Dia&amp;gramme</translation>
    </message>
</context>
<context>
    <name>RunText</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message numerus="yes">
        <source>%Ln item(s)</source>
        <translation>
            <numerusform>%Ln Element</numerusform>
            <numerusform>%Ln Elemente</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SpecErrorText</name>
    <message>
        <source>Driver</source>
        <translation>Treiber</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Password variable</source>
        <translation>Passwort-Variable</translation>
    </message>
    <message>
        <source>Keychain entry</source>
        <translation>Schlüsselbund-Eintrag</translation>
    </message>
    <message>
        <source>Password source</source>
        <translation>Passwortquelle</translation>
    </message>
    <message>
        <source>Connect options</source>
        <translation>Verbindungsoptionen</translation>
    </message>
    <message>
        <source>SQL query</source>
        <translation>SQL-Abfrage</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Item key</source>
        <translation>Elementschlüssel</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Idempotency key</source>
        <translation>Idempotenz-Schlüssel</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modus</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Batch-Größe</translation>
    </message>
    <message>
        <source>Batch size in bytes</source>
        <translation>Batch-Größe in Byte</translation>
    </message>
    <message>
        <source>Bulk action</source>
        <translation>Bulk-Aktion</translation>
    </message>
    <message>
        <source>HTTP/2</source>
        <translation>HTTP/2</translation>
    </message>
    <message>
        <source>Trusted CA file</source>
        <translation>Vertrauenswürdige CA-Datei</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Zeitlimit</translation>
    </message>
    <message>
        <source>Delivered when</source>
        <translation>Zugestellt, wenn</translation>
    </message>
    <message>
        <source>Retry when</source>
        <translation>Wiederholen, wenn</translation>
    </message>
    <message>
        <source>Chunk size</source>
        <translation>Blockgröße</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Parallelität</translation>
    </message>
    <message>
        <source>Max retries</source>
        <translation>Max. Wiederholungen</translation>
    </message>
    <message>
        <source>Max requests per second</source>
        <translation>Max. Anfragen pro Sekunde</translation>
    </message>
    <message>
        <source>Give up after</source>
        <translation>Aufgeben nach</translation>
    </message>
    <message>
        <source>Connection step</source>
        <translation>Schritt Verbindung</translation>
    </message>
    <message>
        <source>Query step</source>
        <translation>Schritt Abfrage</translation>
    </message>
    <message>
        <source>Transform step</source>
        <translation>Schritt Umwandlung</translation>
    </message>
    <message>
        <source>Target step</source>
        <translation>Schritt Ziel</translation>
    </message>
    <message>
        <source>Transfer file</source>
        <translation>Übertragungsdatei</translation>
    </message>
    <message>
        <source>parameter :%1</source>
        <translation>Parameter :%1</translation>
    </message>
    <message>
        <source>header %1</source>
        <translation>Header %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Template, at %1</source>
        <translation>Vorlage, bei %1</translation>
    </message>
</context>
<context>
    <name>TargetPanel</name>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Where each item is sent</source>
        <translation>Wohin jedes Element gesendet wird</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>Target URL</source>
        <translation>Ziel-URL</translation>
    </message>
    <message>
        <source>An absolute http or https URL. It may hold {{column}} placeholders, filled in per item and percent-encoded.</source>
        <translation>Eine absolute http- oder https-URL. Sie darf {{Spalte}}-Platzhalter enthalten, die je Element eingesetzt und URL-kodiert werden.</translation>
    </message>
    <message>
        <source>An absolute http(s) URL. {{column}} placeholders are filled in per item, for example http://host/index/_doc/{{id}} with PUT.</source>
        <translation>Eine absolute http(s)-URL. {{Spalte}}-Platzhalter werden je Element eingesetzt, zum Beispiel http://host/index/_doc/{{id}} mit PUT.</translation>
    </message>
    <message>
        <source>http://host/path/{{id}}</source>
        <translation>http://host/pfad/{{id}}</translation>
    </message>
    <message>
        <source>URL problems</source>
        <translation>Probleme mit der URL</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Methode:</translation>
    </message>
    <message>
        <source>HTTP method</source>
        <translation>HTTP-Methode</translation>
    </message>
    <message>
        <source>POST adds a new item each time; PUT to a URL with the item&apos;s key can be sent again safely.</source>
        <translation>POST legt jedes Mal ein neues Element an; PUT an eine URL mit dem Schlüssel des Elements kann gefahrlos erneut gesendet werden.</translation>
    </message>
    <message>
        <source>Request problems</source>
        <translation>Probleme mit der Anfrage</translation>
    </message>
    <message>
        <source>Header&amp;s:</source>
        <translation>&amp;Header:</translation>
    </message>
    <message>
        <source>Request headers</source>
        <translation>Anfrage-Header</translation>
    </message>
    <message>
        <source>One header a row: name, value, and whether the value is the name of an environment variable or of a keychain entry that holds it (for tokens and API keys).</source>
        <translation>Ein Header je Zeile: Name, Wert und ob der Wert der Name einer Umgebungsvariablen oder eines Schlüsselbund-Eintrags ist, der ihn enthält (für Tokens und API-Schlüssel).</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>From environment variable</source>
        <translation>Aus Umgebungsvariable</translation>
    </message>
    <message>
        <source>In the keychain</source>
        <translation>Im Schlüsselbund</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>Header hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Add header</source>
        <translation>Header hin&amp;zufügen</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>Header entfernen</translation>
    </message>
    <message>
        <source>Rem&amp;ove header</source>
        <translation>Header ent&amp;fernen</translation>
    </message>
    <message>
        <source>Header problems</source>
        <translation>Probleme mit den Headern</translation>
    </message>
    <message>
        <source>Idempotency ke&amp;y:</source>
        <translation>Idempotenz-Schl&amp;üssel:</translation>
    </message>
    <message>
        <source>Idempotency key</source>
        <translation>Idempotenz-Schlüssel</translation>
    </message>
    <message>
        <source>Optional. A template such as {{id}}; its value is sent as the Idempotency-Key header on every attempt of an item, so an API that honours it stores a re-sent item once. One request per item only.</source>
        <translation>Optional. Eine Vorlage wie {{id}}; ihr Wert wird bei jedem Versuch eines Elements als Header Idempotency-Key gesendet, sodass eine API, die ihn beachtet, ein erneut gesendetes Element nur einmal speichert. Nur bei einer Anfrage je Element.</translation>
    </message>
    <message>
        <source>Sent as the Idempotency-Key header, the same on every attempt of an item (a retry too), so an API that honours it stores the item once however often it is sent. {{column}} placeholders are filled in per item, as in the item key. One request per item only: a batch carries many items.</source>
        <translation>Wird als Header Idempotency-Key gesendet, bei jedem Versuch eines Elements derselbe (auch bei einer Wiederholung), sodass eine API, die ihn beachtet, das Element nur einmal speichert, wie oft es auch gesendet wird. {{Spalte}}-Platzhalter werden je Element eingesetzt, wie beim Elementschlüssel. Nur bei einer Anfrage je Element: Ein Batch enthält viele Elemente.</translation>
    </message>
    <message>
        <source>None, e.g. {{id}}</source>
        <translation>Keiner, z. B. {{id}}</translation>
    </message>
    <message>
        <source>Idempotency key problems</source>
        <translation>Probleme mit dem Idempotenz-Schlüssel</translation>
    </message>
    <message>
        <source>Duplicate warning</source>
        <translation>Warnung vor Duplikaten</translation>
    </message>
    <message>
        <source>How items are sent</source>
        <translation>Wie Elemente gesendet werden</translation>
    </message>
    <message>
        <source>Mo&amp;de:</source>
        <translation>Mo&amp;dus:</translation>
    </message>
    <message>
        <source>Sending mode</source>
        <translation>Sendemodus</translation>
    </message>
    <message>
        <source>One request per item, or items in batches in a bulk format.</source>
        <translation>Eine Anfrage je Element oder Elemente in Batches in einem Bulk-Format.</translation>
    </message>
    <message>
        <source>&amp;Batch size:</source>
        <translation>&amp;Batch-Größe:</translation>
    </message>
    <message>
        <source>Batch size: items per request at most</source>
        <translation>Batch-Größe: höchstens so viele Elemente je Anfrage</translation>
    </message>
    <message>
        <source>Bulk modes: how many items one request carries at most (1 to 100,000).</source>
        <translation>Bulk-Modi: wie viele Elemente eine Anfrage höchstens enthält (1 bis 100.000).</translation>
    </message>
    <message>
        <source> items</source>
        <translation> Elemente</translation>
    </message>
    <message>
        <source>Batch size in b&amp;ytes:</source>
        <translation>Batch-Größe in B&amp;yte:</translation>
    </message>
    <message>
        <source>Batch size in bytes: request body size at most</source>
        <translation>Batch-Größe in Byte: höchstens so groß wird der Anfragetext</translation>
    </message>
    <message>
        <source>Type a size such as 5 MiB, 512 KiB or 2048.</source>
        <translation>Geben Sie eine Größe ein, etwa 5 MiB, 512 KiB oder 2048.</translation>
    </message>
    <message>
        <source>Bulk modes: how large one request body may grow (1 KiB to 256 MiB; type 512 KiB or 5 MiB, for example). A batch ends at whichever limit it reaches first; an item larger than this goes alone.</source>
        <translation>Bulk-Modi: wie groß der Text einer Anfrage höchstens werden darf (1 KiB bis 256 MiB; geben Sie zum Beispiel 512 KiB oder 5 MiB ein). Ein Batch endet an der Grenze, die er zuerst erreicht; ein größeres Element geht allein.</translation>
    </message>
    <message>
        <source>Bu&amp;lk action:</source>
        <translation>Bul&amp;k-Aktion:</translation>
    </message>
    <message>
        <source>Elasticsearch bulk action</source>
        <translation>Elasticsearch-Bulk-Aktion</translation>
    </message>
    <message>
        <source>The action line Elasticsearch _bulk gets for each item.</source>
        <translation>Die Aktionszeile, die Elasticsearch _bulk für jedes Element erhält.</translation>
    </message>
    <message>
        <source>Sending problems</source>
        <translation>Probleme beim Senden</translation>
    </message>
    <message>
        <source>Deli&amp;vered when:</source>
        <translation>Zu&amp;gestellt bei:</translation>
    </message>
    <message>
        <source>HTTP statuses that count as delivered</source>
        <translation>HTTP-Status, die als zugestellt gelten</translation>
    </message>
    <message>
        <source>Statuses, classes such as 2xx and ranges such as 200-204, separated by commas. Empty: 2xx.</source>
        <translation>Status, Klassen wie 2xx und Bereiche wie 200-204, durch Kommas getrennt. Leer: 2xx.</translation>
    </message>
    <message>
        <source>The answers that count as delivered: statuses (409), classes (2xx) and ranges (200-204), separated by commas. Empty: every 2xx. In _bulk modes each item&apos;s own status counts.</source>
        <translation>Die Antworten, die als zugestellt gelten: Status (409), Klassen (2xx) und Bereiche (200-204), durch Kommas getrennt. Leer: jeder 2xx-Status. In den _bulk-Modi zählt der Status jedes einzelnen Elements.</translation>
    </message>
    <message>
        <source>2xx</source>
        <translation>2xx</translation>
    </message>
    <message>
        <source>Retry whe&amp;n:</source>
        <translation>Wiederholen b&amp;ei:</translation>
    </message>
    <message>
        <source>HTTP statuses that are retried</source>
        <translation>HTTP-Status, die wiederholt werden</translation>
    </message>
    <message>
        <source>Statuses, classes such as 5xx and ranges such as 500-504, separated by commas. Empty: 408, 429, 5xx.</source>
        <translation>Status, Klassen wie 5xx und Bereiche wie 500-504, durch Kommas getrennt. Leer: 408, 429, 5xx.</translation>
    </message>
    <message>
        <source>The answers after which an item is sent again (up to Max retries): statuses, classes and ranges, separated by commas. Empty: 408, 429 and every 5xx. Any other status fails the item for good; a network error without an answer is retried as always.</source>
        <translation>Die Antworten, nach denen ein Element erneut gesendet wird (bis zu „Max. Wiederholungen“): Status, Klassen und Bereiche, durch Kommas getrennt. Leer: 408, 429 und jeder 5xx-Status. Jeder andere Status lässt das Element endgültig scheitern; ein Netzwerkfehler ohne Antwort wird wie immer wiederholt.</translation>
    </message>
    <message>
        <source>408, 429, 5xx</source>
        <translation>408, 429, 5xx</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>HTT&amp;P/2:</source>
        <translation>HTT&amp;P/2:</translation>
    </message>
    <message>
        <source>HTTP/2</source>
        <translation>HTTP/2</translation>
    </message>
    <message>
        <source>Whether requests use HTTP/2: automatically over https, from the first byte (prior knowledge), or never.</source>
        <translation>Ob Anfragen HTTP/2 nutzen: automatisch über https, vom ersten Byte an (Prior Knowledge) oder nie.</translation>
    </message>
    <message>
        <source>Trusted CA fil&amp;e:</source>
        <translation>&amp;Vertrauenswürdige CA-Datei:</translation>
    </message>
    <message>
        <source>Trusted CA file</source>
        <translation>Vertrauenswürdige CA-Datei</translation>
    </message>
    <message>
        <source>A PEM file of certificate authorities to trust for https besides the system ones. A relative path is relative to the transfer file.</source>
        <translation>Eine PEM-Datei mit Zertifizierungsstellen, denen bei https zusätzlich zu denen des Systems vertraut wird. Ein relativer Pfad geht von der Übertragungsdatei aus.</translation>
    </message>
    <message>
        <source>A PEM file of certificate authorities trusted for https besides the system ones, for a server whose certificate a private CA signed. A relative path is relative to the folder of the transfer file. Empty: the system CAs only.</source>
        <translation>Eine PEM-Datei mit Zertifizierungsstellen, denen bei https zusätzlich zu denen des Systems vertraut wird, für einen Server, dessen Zertifikat eine private CA signiert hat. Ein relativer Pfad geht vom Ordner der Übertragungsdatei aus. Leer: nur die CAs des Systems.</translation>
    </message>
    <message>
        <source>System CAs only</source>
        <translation>Nur die CAs des Systems</translation>
    </message>
    <message>
        <source>Browse for a trusted CA file</source>
        <translation>Eine vertrauenswürdige CA-Datei suchen</translation>
    </message>
    <message>
        <source>Bro&amp;wse…</source>
        <translation>Du&amp;rchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Timeout:</source>
        <translation>Zeit&amp;limit:</translation>
    </message>
    <message>
        <source>Request timeout in seconds</source>
        <translation>Zeitlimit einer Anfrage in Sekunden</translation>
    </message>
    <message>
        <source>A request that makes no progress for this long fails and is retried.</source>
        <translation>Eine Anfrage, die so lange keinen Fortschritt macht, schlägt fehl und wird wiederholt.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Connection problems</source>
        <translation>Probleme mit der Verbindung</translation>
    </message>
    <message>
        <source>How the run paces itself</source>
        <translation>Wie der Lauf sein Tempo bestimmt</translation>
    </message>
    <message>
        <source>&amp;Concurrency:</source>
        <translation>P&amp;arallelität:</translation>
    </message>
    <message>
        <source>Concurrency: requests in flight at once</source>
        <translation>Parallelität: gleichzeitig laufende Anfragen</translation>
    </message>
    <message>
        <source>How many requests are in flight at once (1 to 512).</source>
        <translation>Wie viele Anfragen gleichzeitig unterwegs sind (1 bis 512).</translation>
    </message>
    <message>
        <source> requests at once</source>
        <translation> Anfragen gleichzeitig</translation>
    </message>
    <message>
        <source>Chun&amp;k size:</source>
        <translation>Bl&amp;ockgröße:</translation>
    </message>
    <message>
        <source>Chunk size: rows read at a time</source>
        <translation>Blockgröße: Zeilen, die auf einmal gelesen werden</translation>
    </message>
    <message>
        <source>How many rows are read from the database at a time (1 to 100,000). Memory follows this number, not the number of rows.</source>
        <translation>Wie viele Zeilen auf einmal aus der Datenbank gelesen werden (1 bis 100.000). Der Speicherbedarf richtet sich nach dieser Zahl, nicht nach der Zahl der Zeilen.</translation>
    </message>
    <message>
        <source> rows</source>
        <translation> Zeilen</translation>
    </message>
    <message>
        <source>Max retr&amp;ies:</source>
        <translation>Max. W&amp;iederholungen:</translation>
    </message>
    <message>
        <source>Maximum retries of a transient failure</source>
        <translation>Höchstzahl an Wiederholungen eines vorübergehenden Fehlers</translation>
    </message>
    <message>
        <source>How often an item is sent again after a timeout, a network error, 429 or a 5xx answer (0 to 100), with growing pauses in between.</source>
        <translation>Wie oft ein Element nach einem Zeitlimit, einem Netzwerkfehler, 429 oder einer 5xx-Antwort erneut gesendet wird (0 bis 100), mit wachsenden Pausen dazwischen.</translation>
    </message>
    <message>
        <source>Max re&amp;quests per second:</source>
        <translation>Max. A&amp;nfragen pro Sekunde:</translation>
    </message>
    <message>
        <source>Maximum requests per second, 0 for no limit</source>
        <translation>Höchstzahl an Anfragen pro Sekunde, 0 für keine Grenze</translation>
    </message>
    <message>
        <source>How many requests the run starts per second at most, over all connections, to spare a server that cannot take more (0: no limit).</source>
        <translation>Wie viele Anfragen der Lauf höchstens pro Sekunde startet, über alle Verbindungen, um einen Server zu schonen, der nicht mehr verträgt (0: keine Grenze).</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Keine Grenze</translation>
    </message>
    <message>
        <source> requests/s</source>
        <translation> Anfragen/s</translation>
    </message>
    <message>
        <source>Run setting problems</source>
        <translation>Probleme mit den Laufeinstellungen</translation>
    </message>
    <message>
        <source>&amp;Give up after:</source>
        <translation>Aufgeben na&amp;ch:</translation>
    </message>
    <message>
        <source>Stop the run after this many failed or invalid items, 0 for never</source>
        <translation>Den Lauf nach so vielen fehlgeschlagenen oder ungültigen Elementen beenden, 0 für nie</translation>
    </message>
    <message>
        <source>The run stops once this many items have failed or were invalid: nothing more is read or sent, the requests on their way are answered, and the items not sent are reported cancelled. Never: the run goes on to the end.</source>
        <translation>Der Lauf endet, sobald so viele Elemente fehlgeschlagen oder ungültig sind: Es wird nichts mehr gelesen oder gesendet, die laufenden Anfragen werden beantwortet, und die nicht gesendeten Elemente gelten als abgebrochen. Nie: Der Lauf geht bis zum Ende.</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source> failed items</source>
        <translation> fehlgeschlagene Elemente</translation>
    </message>
</context>
<context>
    <name>TransformPanel</name>
    <message>
        <source>Transform</source>
        <translation>Umwandlung</translation>
    </message>
    <message>
        <source>What each row becomes</source>
        <translation>Was aus jeder Zeile wird</translation>
    </message>
    <message>
        <source>Send each row as an object of column names and values</source>
        <translation>Jede Zeile als Objekt aus Spaltennamen und Werten senden</translation>
    </message>
    <message>
        <source>Send each row as an &amp;object of column names and values</source>
        <translation>Jede Zeile als &amp;Objekt aus Spaltennamen und Werten senden</translation>
    </message>
    <message>
        <source>Shape each item with a template</source>
        <translation>Jedes Element mit einer Vorlage formen</translation>
    </message>
    <message>
        <source>&amp;Shape each item with a template</source>
        <translation>Jedes Element mit einer &amp;Vorlage formen</translation>
    </message>
    <message>
        <source>Item &amp;key:</source>
        <translation>Element&amp;schlüssel:</translation>
    </message>
    <message>
        <source>Item key template</source>
        <translation>Vorlage für den Elementschlüssel</translation>
    </message>
    <message>
        <source>Names the item in the item table, the log and the failed-items file. Empty: the row number.</source>
        <translation>Benennt das Element in der Elementtabelle, im Protokoll und in der Datei der fehlgeschlagenen Elemente. Leer: die Zeilennummer.</translation>
    </message>
    <message>
        <source>Names the item in the item table, the log and the failed-items file, for example {{id}}. Empty: the row number.</source>
        <translation>Benennt das Element in der Elementtabelle, im Protokoll und in der Datei der fehlgeschlagenen Elemente, zum Beispiel {{id}}. Leer: die Zeilennummer.</translation>
    </message>
    <message>
        <source>{{id}}</source>
        <translation>{{id}}</translation>
    </message>
    <message>
        <source>&amp;Template (JSON; &quot;{{column}}&quot; takes the column&apos;s value with its type):</source>
        <translation>Vorlage (JSON; „{{Spalte}}“ übernimmt den Wert der Spalte mit seinem &amp;Typ):</translation>
    </message>
    <message>
        <source>JSON template</source>
        <translation>JSON-Vorlage</translation>
    </message>
    <message>
        <source>The JSON each row becomes. A string that is exactly {{column}} takes the column&apos;s value with its type; placeholders inside other text are replaced by the value as text. Tab indents; Control+Tab moves to the next field.</source>
        <translation>Das JSON, zu dem jede Zeile wird. Eine Zeichenkette, die genau {{Spalte}} lautet, übernimmt den Wert der Spalte mit seinem Typ; Platzhalter in anderem Text werden durch den Wert als Text ersetzt. Tab rückt ein; Strg+Tab springt zum nächsten Feld.</translation>
    </message>
    <message>
        <source>Tab indents; Ctrl+Tab moves to the next field</source>
        <translation>Tab rückt ein; Strg+Tab springt zum nächsten Feld</translation>
    </message>
    <message>
        <source>{ &quot;id&quot;: &quot;{{id}}&quot;, &quot;name&quot;: &quot;{{name}}&quot; }</source>
        <translation>{ &quot;id&quot;: &quot;{{id}}&quot;, &quot;name&quot;: &quot;{{name}}&quot; }</translation>
    </message>
    <message>
        <source>Template problems</source>
        <translation>Probleme mit der Vorlage</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Preview ro&amp;w:</source>
        <translation>Vorschau&amp;zeile:</translation>
    </message>
    <message>
        <source>Preview row</source>
        <translation>Vorschauzeile</translation>
    </message>
    <message>
        <source>The row whose item is shown below: its number and its key</source>
        <translation>Die Zeile, deren Element unten gezeigt wird: ihre Nummer und ihr Schlüssel</translation>
    </message>
    <message>
        <source>&amp;JSON sent for this row:</source>
        <translation>&amp;JSON, das für diese Zeile gesendet wird:</translation>
    </message>
    <message>
        <source>JSON sent for the preview row</source>
        <translation>JSON, das für die Vorschauzeile gesendet wird</translation>
    </message>
    <message>
        <source>Preview status</source>
        <translation>Status der Vorschau</translation>
    </message>
</context>
<context>
    <name>sluice::ByteSizeSpinBox</name>
    <message>
        <source>bytes</source>
        <comment>after a number; keep one of the words the field reads back: byte, bytes</comment>
        <translation>Byte</translation>
    </message>
</context>
<context>
    <name>sluice::ConnectionPanel</name>
    <message>
        <source>Qt driver %1</source>
        <translation>Qt-Treiber %1</translation>
    </message>
    <message>
        <source>%1 (not installed)</source>
        <translation>%1 (nicht installiert)</translation>
    </message>
    <message>
        <source>Stored in the keychain when you save; empty keeps what is stored</source>
        <translation>Wird beim Speichern im Schlüsselbund abgelegt; leer lässt den gespeicherten Wert</translation>
    </message>
    <message>
        <source>For this session only; never saved</source>
        <translation>Nur für diese Sitzung; wird nie gespeichert</translation>
    </message>
    <message>
        <source>&amp;Data source:</source>
        <translation>Datenque&amp;lle:</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>Daten&amp;bank:</translation>
    </message>
    <message>
        <source>DSN name, or DRIVER={…};SERVER=…;DATABASE=…</source>
        <translation>DSN-Name oder DRIVER={…};SERVER=…;DATABASE=…</translation>
    </message>
    <message>
        <source>Database name</source>
        <translation>Datenbankname</translation>
    </message>
    <message>
        <source>ODBC data source</source>
        <translation>ODBC-Datenquelle</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>Optional, e.g. %1</source>
        <translation>Optional, z. B. %1</translation>
    </message>
    <message>
        <source>This computer has no Qt driver %1, so Sluice cannot open this database here. Installed: %2.</source>
        <translation>Auf diesem Rechner gibt es keinen Qt-Treiber %1, daher kann Sluice diese Datenbank hier nicht öffnen. Installiert: %2.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>There is no file at %1.</source>
        <translation>Unter %1 gibt es keine Datei.</translation>
    </message>
    <message>
        <source>%1 is a folder, not a database file.</source>
        <translation>%1 ist ein Ordner, keine Datenbankdatei.</translation>
    </message>
    <message>
        <source>Name the environment variable that holds the password.</source>
        <translation>Nennen Sie die Umgebungsvariable, die das Passwort enthält.</translation>
    </message>
    <message>
        <source>“%1” is not a valid variable name: use %2.</source>
        <translation>„%1“ ist kein gültiger Variablenname: Verwenden Sie %2.</translation>
    </message>
    <message>
        <source>%1 is not set for Sluice right now: set it before starting Sluice, or a test or run started here has no password.</source>
        <translation>%1 ist für Sluice gerade nicht gesetzt: Setzen Sie die Variable vor dem Start von Sluice, sonst hat ein hier gestarteter Test oder Lauf kein Passwort.</translation>
    </message>
    <message>
        <source>Choose a SQLite Database</source>
        <translation>SQLite-Datenbank wählen</translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite *.sqlite3 *.db3);;All files (*)</source>
        <translation>SQLite-Datenbanken (*.db *.sqlite *.sqlite3 *.db3);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation>Verbindung fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>sluice::EventLogModel</name>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>sluice::EventLogView</name>
    <message>
        <source>The newest %1 entries; %2 older ones were dropped.</source>
        <translation>Die neuesten %1 Einträge; %2 ältere wurden verworfen.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln entry(s)</source>
        <translation>
            <numerusform>%Ln Eintrag</numerusform>
            <numerusform>%Ln Einträge</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::FailureGroupModel</name>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>%1 × %2: %3</source>
        <translation>%1 × %2: %3</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>sluice::ItemDetailsView</name>
    <message>
        <source>No item selected.</source>
        <translation>Kein Element ausgewählt.</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>attempts: %1</source>
        <translation>Versuche: %1</translation>
    </message>
    <message>
        <source>Write the JSON to send for this item.</source>
        <translation>Schreiben Sie das JSON, das für dieses Element gesendet werden soll.</translation>
    </message>
    <message>
        <source>Delivered earlier: the JSON and the answer are kept for the last %1 delivered items and for every failed one.</source>
        <translation>Früher zugestellt: JSON und Antwort werden für die letzten %1 zugestellten Elemente und für jedes fehlgeschlagene aufbewahrt.</translation>
    </message>
    <message>
        <source>Not sent yet.</source>
        <translation>Noch nicht gesendet.</translation>
    </message>
    <message>
        <source>The payload is empty: write the JSON object to send.</source>
        <translation>Die Nutzdaten sind leer: Schreiben Sie das JSON-Objekt, das gesendet werden soll.</translation>
    </message>
    <message>
        <source>Not valid JSON, %1</source>
        <translation>Kein gültiges JSON, %1</translation>
    </message>
    <message>
        <source>This item was delivered meanwhile.</source>
        <translation>Dieses Element wurde inzwischen zugestellt.</translation>
    </message>
</context>
<context>
    <name>sluice::MainWindow</name>
    <message>
        <source>About Sluice</source>
        <translation>Über Sluice</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Sluice %1&lt;/h3&gt;&lt;p&gt;Moves rows from a SQL database into an HTTP/JSON API, concurrently, and shows every item&apos;s fate.&lt;/p&gt;&lt;p&gt;The same transfer files run headless: &lt;code&gt;sluice run FILE.json&lt;/code&gt;.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Sluice %1&lt;/h3&gt;&lt;p&gt;Überträgt Zeilen aus einer SQL-Datenbank parallel in eine HTTP/JSON-API und zeigt, was aus jedem Element wird.&lt;/p&gt;&lt;p&gt;Dieselben Übertragungsdateien laufen auch ohne Oberfläche: &lt;code&gt;sluice run DATEI.json&lt;/code&gt;.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Built-in demo API listening on %1 (Help &gt; Demo API Target makes it fail on purpose)</source>
        <translation>Eingebaute Demo-API lauscht auf %1 (Hilfe &gt; Demo-API als Ziel lässt sie absichtlich scheitern)</translation>
    </message>
    <message>
        <source>The built-in demo API could not start: %1</source>
        <translation>Die eingebaute Demo-API konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>The transfer cannot start yet</source>
        <translation>Die Übertragung kann noch nicht starten</translation>
    </message>
    <message>
        <source>&lt;p&gt;Fix these first:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;%1&lt;/li&gt;&lt;/ul&gt;</source>
        <translation>&lt;p&gt;Beheben Sie zuerst:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;%1&lt;/li&gt;&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>Database password</source>
        <translation>Datenbankpasswort</translation>
    </message>
    <message>
        <source>Password for %1:</source>
        <translation>Passwort für %1:</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>This is the bundled example: the rows of its database go to the built-in demo API (nothing leaves this computer). Press Start to send them and watch every item.</source>
        <translation>Dies ist das mitgelieferte Beispiel: Die Zeilen seiner Datenbank gehen an die eingebaute Demo-API (nichts verlässt diesen Rechner). Drücken Sie „Starten“, um sie zu senden und jedes Element zu verfolgen.</translation>
    </message>
    <message numerus="yes">
        <source>This is the bundled example: %n rows from its database to the built-in demo API (nothing leaves this computer). Press Start to send them and watch every item.</source>
        <translation>
            <numerusform>Dies ist das mitgelieferte Beispiel: %n Zeile aus seiner Datenbank an die eingebaute Demo-API (nichts verlässt diesen Rechner). Drücken Sie „Starten“, um sie zu senden und jedes Element zu verfolgen.</numerusform>
            <numerusform>Dies ist das mitgelieferte Beispiel: %n Zeilen aus seiner Datenbank an die eingebaute Demo-API (nichts verlässt diesen Rechner). Drücken Sie „Starten“, um sie zu senden und jedes Element zu verfolgen.</numerusform>
        </translation>
    </message>
    <message>
        <source>A run is going on</source>
        <translation>Ein Lauf ist im Gang</translation>
    </message>
    <message>
        <source>Cancel the run or let it finish before opening another.</source>
        <translation>Brechen Sie den Lauf ab oder lassen Sie ihn zu Ende laufen, bevor Sie einen anderen öffnen.</translation>
    </message>
    <message>
        <source>Cannot open the run</source>
        <translation>Der Lauf kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Opened the run in %1</source>
        <translation>Lauf in %1 geöffnet</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
    <message>
        <source>Open Transfer</source>
        <translation>Übertragung öffnen</translation>
    </message>
    <message>
        <source>Transfer files (*.json);;All files (*)</source>
        <translation>Übertragungsdateien (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Cannot open the transfer</source>
        <translation>Die Übertragung kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>&lt;p&gt;%1 cannot be opened:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;%2&lt;/li&gt;&lt;/ul&gt;</source>
        <translation>&lt;p&gt;%1 kann nicht geöffnet werden:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;%2&lt;/li&gt;&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>Cannot open the example</source>
        <translation>Das Beispiel kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Cannot create %1</source>
        <translation>%1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>every item is stored</source>
        <translation>jedes Element wird gespeichert</translation>
    </message>
    <message>
        <source>30 % of requests fail with 503 Service Unavailable; retries usually pass</source>
        <translation>30 % der Anfragen scheitern mit 503 Service Unavailable; Wiederholungen gehen meist durch</translation>
    </message>
    <message>
        <source>every item fails with 422 Unprocessable Entity</source>
        <translation>jedes Element scheitert mit 422 Unprocessable Entity</translation>
    </message>
    <message>
        <source>Target: %1 (%2). Press F5 to run.</source>
        <translation>Ziel: %1 (%2). Drücken Sie F5, um den Lauf zu starten.</translation>
    </message>
    <message>
        <source>Keep the credentials in the keychain?</source>
        <translation>Zugangsdaten im Schlüsselbund ablegen?</translation>
    </message>
    <message>
        <source>&lt;p&gt;The header %1 holds a credential. Sluice does not write credentials into transfer files.&lt;/p&gt;&lt;p&gt;Move it to the system keychain? The transfer then names only the keychain entry.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Der Header %1 enthält Zugangsdaten. Sluice schreibt keine Zugangsdaten in Übertragungsdateien.&lt;/p&gt;&lt;p&gt;In den Schlüsselbund des Systems verschieben? Die Übertragung nennt dann nur den Schlüsselbund-Eintrag.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Save an incomplete transfer?</source>
        <translation>Unvollständige Übertragung speichern?</translation>
    </message>
    <message>
        <source>&lt;p&gt;The transfer is not complete yet:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;%1&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Save it anyway?&lt;/p&gt;</source>
        <translation>&lt;p&gt;Die Übertragung ist noch nicht vollständig:&lt;/p&gt;&lt;ul&gt;&lt;li&gt;%1&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;Trotzdem speichern?&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>Speichern nicht möglich</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Cannot store the keychain entry “%1” in %2: %3</source>
        <translation>Der Schlüsselbund-Eintrag „%1“ kann nicht in %2 abgelegt werden: %3</translation>
    </message>
    <message>
        <source>The transfer was not saved, so it names no entry that does not hold what you typed.</source>
        <translation>Die Übertragung wurde nicht gespeichert; sie nennt also keinen Eintrag, der nicht enthält, was Sie eingegeben haben.</translation>
    </message>
    <message>
        <source>Save Transfer As</source>
        <translation>Übertragung speichern unter</translation>
    </message>
    <message>
        <source>Transfer files (*.json)</source>
        <translation>Übertragungsdateien (*.json)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>The transfer has unsaved changes. Save them first?</source>
        <translation>Die Übertragung hat ungespeicherte Änderungen. Zuerst speichern?</translation>
    </message>
    <message>
        <source>%1 (%2 in the file)</source>
        <translation>%1 (%2 in der Datei)</translation>
    </message>
    <message>
        <source>database file %1</source>
        <translation>Datenbankdatei %1</translation>
    </message>
    <message>
        <source>CA file %1</source>
        <translation>CA-Datei %1</translation>
    </message>
    <message>
        <source>Saved %1; it names the same files from its new folder: %2</source>
        <translation>%1 gespeichert; vom neuen Ordner aus nennt sie dieselben Dateien: %2</translation>
    </message>
    <message>
        <source>; </source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>sluice::OpenRunDialog</name>
    <message>
        <source>A running Sluice is writing this run</source>
        <translation>Ein laufendes Sluice schreibt gerade diesen Lauf</translation>
    </message>
    <message>
        <source>This run owes nothing more</source>
        <translation>Dieser Lauf schuldet nichts mehr</translation>
    </message>
    <message>
        <source>The Run tab shows this run: open another one or start a new run to delete it</source>
        <translation>Der Schritt „Lauf“ zeigt diesen Lauf: Öffnen Sie einen anderen oder starten Sie einen neuen Lauf, um ihn zu löschen</translation>
    </message>
    <message>
        <source>No runs yet. Every run keeps a journal of its items in %1.</source>
        <translation>Noch keine Läufe. Jeder Lauf führt ein Journal seiner Elemente in %1.</translation>
    </message>
    <message>
        <source>Every run keeps a journal of its items in %1.</source>
        <translation>Jeder Lauf führt ein Journal seiner Elemente in %1.</translation>
    </message>
    <message>
        <source>Delete Run</source>
        <translation>Lauf löschen</translation>
    </message>
    <message>
        <source>Delete the journal of the run of %1 (%2)? What it records about every item is lost, and the run cannot be resumed or retried any more.</source>
        <translation>Das Journal des Laufs von %1 (%2) löschen? Was es über jedes Element aufzeichnet, geht verloren, und der Lauf kann nicht mehr fortgesetzt oder wiederholt werden.</translation>
    </message>
    <message>
        <source>unsaved transfer</source>
        <translation>ungespeicherte Übertragung</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Cannot delete the run</source>
        <translation>Der Lauf kann nicht gelöscht werden</translation>
    </message>
</context>
<context>
    <name>sluice::PreviewModel</name>
    <message>
        <source>&lt;1 byte&gt;</source>
        <translation>&lt;1 Byte&gt;</translation>
    </message>
    <message>
        <source>&lt;%1 bytes&gt;</source>
        <translation>&lt;%1 Byte&gt;</translation>
    </message>
</context>
<context>
    <name>sluice::QueryPanel</name>
    <message>
        <source>Run the query and show its first %1 rows (%2)</source>
        <translation>Die Abfrage ausführen und ihre ersten %1 Zeilen zeigen (%2)</translation>
    </message>
    <message>
        <source>The value bound to :%1. Leave it empty for no value.</source>
        <translation>Der an :%1 gebundene Wert. Leer lassen für keinen Wert.</translation>
    </message>
    <message>
        <source>There is no database connection yet: set one up first.</source>
        <translation>Es gibt noch keine Datenbankverbindung: Richten Sie zuerst eine ein.</translation>
    </message>
    <message>
        <source>The query is empty: type the SELECT whose rows are sent.</source>
        <translation>Die Abfrage ist leer: Geben Sie das SELECT ein, dessen Zeilen gesendet werden.</translation>
    </message>
    <message>
        <source>The database could not count the rows: %1</source>
        <translation>Die Datenbank konnte die Zeilen nicht zählen: %1</translation>
    </message>
    <message>
        <source>Running the query…</source>
        <translation>Abfrage läuft…</translation>
    </message>
    <message>
        <source>The query returns no rows</source>
        <translation>Die Abfrage liefert keine Zeilen</translation>
    </message>
    <message>
        <source>%1 rows shown (counting…)</source>
        <translation>%1 Zeilen angezeigt (wird gezählt…)</translation>
    </message>
    <message>
        <source>%1 rows shown (of %2)</source>
        <translation>%1 Zeilen angezeigt (von %2)</translation>
    </message>
    <message>
        <source>%1 rows shown (of about %2)</source>
        <translation>%1 Zeilen angezeigt (von etwa %2)</translation>
    </message>
    <message>
        <source>The first %1 rows shown; more follow</source>
        <translation>Die ersten %1 Zeilen angezeigt; weitere folgen</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln Zeile</numerusform>
            <numerusform>%Ln Zeilen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::RunChartsView</name>
    <message>
        <source>Run charts</source>
        <translation>Diagramme des Laufs</translation>
    </message>
    <message>
        <source>Items per second</source>
        <translation>Elemente pro Sekunde</translation>
    </message>
    <message>
        <source>Items per second chart</source>
        <translation>Diagramm Elemente pro Sekunde</translation>
    </message>
    <message>
        <source>items/s</source>
        <translation>Elemente/s</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Latency chart</source>
        <translation>Latenzdiagramm</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>p95</source>
        <translation>p95</translation>
    </message>
    <message>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <source>Items finished</source>
        <translation>Abgeschlossene Elemente</translation>
    </message>
    <message>
        <source>Items per status chart</source>
        <translation>Diagramm Elemente nach Status</translation>
    </message>
    <message>
        <source>items</source>
        <translation>Elemente</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>No items finished yet</source>
        <translation>Noch keine Elemente abgeschlossen</translation>
    </message>
    <message>
        <source>No requests answered yet</source>
        <translation>Noch keine Anfragen beantwortet</translation>
    </message>
    <message>
        <source>%1 items per second in the last %2 s; %3 items finished in %4 s</source>
        <translation>%1 Elemente pro Sekunde in den letzten %2 s; %3 Elemente in %4 s abgeschlossen</translation>
    </message>
    <message>
        <source>Whole run: p50 %1 ms, p95 %2 ms, p99 %3 ms</source>
        <translation>Ganzer Lauf: p50 %1 ms, p95 %2 ms, p99 %3 ms</translation>
    </message>
    <message>
        <source>%1 delivered, %2 failed, %3 invalid</source>
        <translation>%1 zugestellt, %2 fehlgeschlagen, %3 ungültig</translation>
    </message>
</context>
<context>
    <name>sluice::RunListModel</name>
    <message>
        <source>There is no such run.</source>
        <translation>Diesen Lauf gibt es nicht.</translation>
    </message>
    <message>
        <source>%1 is in use by a running Sluice; it can be deleted once that run ends.</source>
        <translation>%1 wird von einem laufenden Sluice benutzt; es kann gelöscht werden, sobald dieser Lauf endet.</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <source>Completed with failures</source>
        <translation>Abgeschlossen mit Fehlern</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Stopped: configuration error</source>
        <translation>Beendet: Konfigurationsfehler</translation>
    </message>
    <message>
        <source>Stopped: database error</source>
        <translation>Beendet: Datenbankfehler</translation>
    </message>
    <message>
        <source>Cannot delete %1: %2</source>
        <translation>%1 kann nicht gelöscht werden: %2</translation>
    </message>
    <message>
        <source>(unsaved transfer)</source>
        <translation>(ungespeicherte Übertragung)</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Übertragung</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>Ungültig</translation>
    </message>
    <message>
        <source>Owed</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Ende</translation>
    </message>
    <message numerus="yes">
        <source>%Ln item(s) owed, and the rows the database had not given yet: a resume reads them</source>
        <translation>
            <numerusform>%Ln Element ausstehend, dazu die Zeilen, die die Datenbank noch nicht geliefert hatte: Ein Fortsetzen liest sie</numerusform>
            <numerusform>%Ln Elemente ausstehend, dazu die Zeilen, die die Datenbank noch nicht geliefert hatte: Ein Fortsetzen liest sie</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::RunPanel</name>
    <message>
        <source>&amp;Start</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>Start the transfer (F5)</source>
        <translation>Die Übertragung starten (F5)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Pause or resume sending (F6)</source>
        <translation>Das Senden anhalten oder fortsetzen (F6)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>A&amp;bbrechen</translation>
    </message>
    <message>
        <source>Stop the transfer; unsent items are reported failed (Shift+F5)</source>
        <translation>Die Übertragung beenden; nicht gesendete Elemente gelten als fehlgeschlagen (Umschalt+F5)</translation>
    </message>
    <message>
        <source>Retry &amp;all failed</source>
        <translation>Fehlgeschl&amp;agene wiederholen</translation>
    </message>
    <message>
        <source>Send every failed item again (Ctrl+R)</source>
        <translation>Jedes fehlgeschlagene Element erneut senden (Strg+R)</translation>
    </message>
    <message>
        <source>Retry s&amp;elected</source>
        <translation>Auswa&amp;hl wiederholen</translation>
    </message>
    <message>
        <source>Send the selected failed items again (Ctrl+Shift+R)</source>
        <translation>Die ausgewählten fehlgeschlagenen Elemente erneut senden (Strg+Umschalt+R)</translation>
    </message>
    <message>
        <source>E&amp;xport failed…</source>
        <translation>Fehler e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Write the failed items to an NDJSON or CSV file (Ctrl+E)</source>
        <translation>Die fehlgeschlagenen Elemente in eine NDJSON- oder CSV-Datei schreiben (Strg+E)</translation>
    </message>
    <message>
        <source>All items</source>
        <translation>Alle Elemente</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Wird wiederholt</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>Ungültig</translation>
    </message>
    <message>
        <source>The items cannot go to the changed target: %1</source>
        <translation>Die Elemente können nicht an das geänderte Ziel gehen: %1</translation>
    </message>
    <message>
        <source>There is no transfer to run.</source>
        <translation>Es gibt keine Übertragung, die laufen könnte.</translation>
    </message>
    <message>
        <source>an unsaved transfer</source>
        <translation>einer ungespeicherten Übertragung</translation>
    </message>
    <message>
        <source>, the rest of the rows not read yet</source>
        <translation>, dazu die noch nicht gelesenen Zeilen</translation>
    </message>
    <message>
        <source>&lt;b&gt;A run of %1 did not finish&lt;/b&gt; (%2, started %3): %4 delivered, %5 owed%6. Resuming goes on where it stopped; delivered items are not sent again.</source>
        <translation>&lt;b&gt;Ein Lauf von %1 wurde nicht beendet&lt;/b&gt; (%2, begonnen %3): %4 zugestellt, %5 ausstehend%6. Fortsetzen macht dort weiter, wo er stehen blieb; zugestellte Elemente werden nicht erneut gesendet.</translation>
    </message>
    <message>
        <source>Nothing to retry: only failed items, and invalid items with edited JSON, can be sent again.</source>
        <translation>Nichts zu wiederholen: Nur fehlgeschlagene Elemente und ungültige Elemente mit bearbeitetem JSON können erneut gesendet werden.</translation>
    </message>
    <message>
        <source>Newline-delimited JSON (*.ndjson *.jsonl)</source>
        <translation>JSON mit Zeilenumbrüchen getrennt (*.ndjson *.jsonl)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export Failed Items</source>
        <translation>Fehlgeschlagene Elemente exportieren</translation>
    </message>
    <message>
        <source>failed.ndjson</source>
        <translation>fehlgeschlagen.ndjson</translation>
    </message>
    <message>
        <source>Failed items written to %1.</source>
        <translation>Fehlgeschlagene Elemente in %1 geschrieben.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>slowed down by the server: %1 of %2 requests at once</source>
        <translation>vom Server gebremst: %1 von %2 Anfragen gleichzeitig</translation>
    </message>
    <message>
        <source>%1 items/s</source>
        <translation>%1 Elemente/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <source>took %1</source>
        <translation>Dauer: %1</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>Run of %1: %2</source>
        <translation>Lauf von %1: %2</translation>
    </message>
    <message>
        <source>Completed: the query returned no rows</source>
        <translation>Abgeschlossen: Die Abfrage lieferte keine Zeilen</translation>
    </message>
    <message>
        <source>Finished with failures</source>
        <translation>Beendet mit Fehlern</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Stopped after %1 failures</source>
        <translation>Nach %1 Fehlern beendet</translation>
    </message>
    <message>
        <source>Stopped by an error</source>
        <translation>Durch einen Fehler beendet</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Running, %1 read</source>
        <translation>Läuft, %1 gelesen</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>%1 of %2 items</source>
        <translation>%1 von %2 Elementen</translation>
    </message>
    <message>
        <source>Save &amp;Report…</source>
        <translation>&amp;Bericht speichern…</translation>
    </message>
    <message>
        <source>Write a report of the run to hand on: one HTML file with the counts, rates, latency, charts and failures by cause (no secrets)</source>
        <translation>Einen Bericht über den Lauf zum Weitergeben schreiben: eine HTML-Datei mit Zahlen, Raten, Latenz, Diagrammen und Fehlern nach Ursache (ohne Geheimnisse)</translation>
    </message>
    <message>
        <source>There is no ended run to report on.</source>
        <translation>Es gibt keinen beendeten Lauf, über den berichtet werden könnte.</translation>
    </message>
    <message>
        <source>run</source>
        <translation>lauf</translation>
    </message>
    <message>
        <source>Save Run Report</source>
        <translation>Laufbericht speichern</translation>
    </message>
    <message>
        <source>HTML files (*.html *.htm)</source>
        <translation>HTML-Dateien (*.html *.htm)</translation>
    </message>
    <message>
        <source>Run report written to %1.</source>
        <translation>Laufbericht nach %1 geschrieben.</translation>
    </message>
    <message>
        <source>%1, sorting…</source>
        <translation>%1, wird sortiert…</translation>
    </message>
    <message>
        <source>queued items</source>
        <translation>wartende Elemente</translation>
    </message>
    <message>
        <source>items being sent</source>
        <translation>Elemente, die gerade gesendet werden</translation>
    </message>
    <message>
        <source>items waiting to retry</source>
        <translation>Elemente, die auf eine Wiederholung warten</translation>
    </message>
    <message>
        <source>delivered items</source>
        <translation>zugestellte Elemente</translation>
    </message>
    <message>
        <source>failed items</source>
        <translation>fehlgeschlagene Elemente</translation>
    </message>
    <message>
        <source>invalid items</source>
        <translation>ungültige Elemente</translation>
    </message>
    <message>
        <source>items</source>
        <translation>Elemente</translation>
    </message>
    <message>
        <source>Showing only %1.</source>
        <translation>Es werden nur %1 angezeigt.</translation>
    </message>
    <message>
        <source>Showing only %1 whose key or error contains “%2”.</source>
        <translation>Es werden nur %1 angezeigt, deren Schlüssel oder Fehler „%2“ enthält.</translation>
    </message>
    <message>
        <source>%1 of %2 items are hidden.</source>
        <translation>%1 von %2 Elementen sind ausgeblendet.</translation>
    </message>
    <message>
        <source>%1, searching…</source>
        <translation>%1, wird gesucht…</translation>
    </message>
</context>
<context>
    <name>sluice::RunSession</name>
    <message>
        <source>Started: %1 to %2 %3, concurrency %4.</source>
        <translation>Gestartet: %1 an %2 %3, Parallelität %4.</translation>
    </message>
    <message>
        <source>A run is going on: cancel it or let it finish first.</source>
        <translation>Ein Lauf ist im Gang: Brechen Sie ihn ab oder lassen Sie ihn erst zu Ende laufen.</translation>
    </message>
    <message>
        <source>Opened the run of %1 (%2, %3): %4 delivered, %5 failed, %6 invalid, %7 owed.</source>
        <translation>Lauf von %1 geöffnet (%2, %3): %4 zugestellt, %5 fehlgeschlagen, %6 ungültig, %7 ausstehend.</translation>
    </message>
    <message>
        <source>unsaved transfer</source>
        <translation>ungespeicherte Übertragung</translation>
    </message>
    <message>
        <source>%1 and the rows not yet read</source>
        <translation>%1 und die noch nicht gelesenen Zeilen</translation>
    </message>
    <message>
        <source>Resumed: %1 owed from before go again.</source>
        <translation>Fortgesetzt: %1, die noch ausstanden, werden erneut gesendet.</translation>
    </message>
    <message>
        <source>Resumed: %1 owed from before go again, and reading goes on after row %2.</source>
        <translation>Fortgesetzt: %1, die noch ausstanden, werden erneut gesendet; das Lesen geht nach Zeile %2 weiter.</translation>
    </message>
    <message>
        <source>Journal: %1</source>
        <translation>Journal: %1</translation>
    </message>
    <message>
        <source>The target answers over %1.</source>
        <translation>Das Ziel antwortet über %1.</translation>
    </message>
    <message>
        <source>The server asked to slow down (HTTP 429 or 503): fewer requests at once until it recovers.</source>
        <translation>Der Server bat darum, langsamer zu senden (HTTP 429 oder 503): weniger Anfragen gleichzeitig, bis er sich erholt.</translation>
    </message>
    <message>
        <source>The server recovered: %1 requests at once again.</source>
        <translation>Der Server hat sich erholt: wieder %1 Anfragen gleichzeitig.</translation>
    </message>
    <message>
        <source>Resumed.</source>
        <translation>Fortgesetzt.</translation>
    </message>
    <message>
        <source>Paused: requests already sent are finished, no new ones go out.</source>
        <translation>Angehalten: Bereits gesendete Anfragen werden abgeschlossen, neue gehen nicht hinaus.</translation>
    </message>
    <message>
        <source>Sending again: %1.</source>
        <translation>Wird erneut gesendet: %1.</translation>
    </message>
    <message>
        <source>Target changed for retries: %1 %2.</source>
        <translation>Ziel für Wiederholungen geändert: %1 %2.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>%1 delivered: %2</source>
        <translation>%1 zugestellt: %2</translation>
    </message>
    <message>
        <source>%1 is invalid: %2</source>
        <translation>%1 ist ungültig: %2</translation>
    </message>
    <message>
        <source>%1 failed (attempts: %2): %3</source>
        <translation>%1 fehlgeschlagen (Versuche: %2): %3</translation>
    </message>
    <message>
        <source>Finished in %1: the query returned no rows, nothing was sent.</source>
        <translation>Fertig nach %1: Die Abfrage lieferte keine Zeilen, nichts wurde gesendet.</translation>
    </message>
    <message>
        <source>Finished in %1: %2 delivered, %3 failed, %4 invalid.</source>
        <translation>Fertig nach %1: %2 zugestellt, %3 fehlgeschlagen, %4 ungültig.</translation>
    </message>
    <message>
        <source>Cancelled after %1: %2 delivered, %3 not.</source>
        <translation>Abgebrochen nach %1: %2 zugestellt, %3 nicht.</translation>
    </message>
    <message>
        <source>Stopped after %1 failed or invalid items (the transfer&apos;s limit), in %2: %3 delivered, %4 failed, %5 invalid. Nothing more was read.</source>
        <translation>Beendet nach %1 fehlgeschlagenen oder ungültigen Elementen (Grenze der Übertragung), Dauer %2: %3 zugestellt, %4 fehlgeschlagen, %5 ungültig. Es wurde nichts mehr gelesen.</translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation>Beendet: %1</translation>
    </message>
</context>
<context>
    <name>sluice::TargetPanel</name>
    <message>
        <source>One request per item</source>
        <translation>Eine Anfrage je Element</translation>
    </message>
    <message>
        <source>Each item is sent in a request of its own, with its own status.</source>
        <translation>Jedes Element wird in einer eigenen Anfrage gesendet, mit eigenem Status.</translation>
    </message>
    <message>
        <source>Elasticsearch _bulk</source>
        <translation>Elasticsearch _bulk</translation>
    </message>
    <message>
        <source>Items go in batches to Elasticsearch&apos;s _bulk API, as NDJSON: an action line and the document for each item. Each item gets its own status from the answer&apos;s &quot;items&quot;.</source>
        <translation>Elemente gehen in Batches an die _bulk-API von Elasticsearch, als NDJSON: je Element eine Aktionszeile und das Dokument. Jedes Element erhält seinen eigenen Status aus den „items“ der Antwort.</translation>
    </message>
    <message>
        <source>CouchDB _bulk_docs</source>
        <translation>CouchDB _bulk_docs</translation>
    </message>
    <message>
        <source>Items go in batches to CouchDB&apos;s _bulk_docs, as {&quot;docs&quot;: [...]}. Each item gets its own status (ok, or error and reason) from the answer.</source>
        <translation>Elemente gehen in Batches an _bulk_docs von CouchDB, als {&quot;docs&quot;: [...]}. Jedes Element erhält seinen eigenen Status (ok, oder error und reason) aus der Antwort.</translation>
    </message>
    <message>
        <source>One JSON array per request</source>
        <translation>Ein JSON-Array je Anfrage</translation>
    </message>
    <message>
        <source>Items go in batches, each request one JSON array of items. The request&apos;s status is the status of every item in it.</source>
        <translation>Elemente gehen in Batches, jede Anfrage ein JSON-Array von Elementen. Der Status der Anfrage ist der Status jedes darin enthaltenen Elements.</translation>
    </message>
    <message>
        <source>NDJSON, one item per line</source>
        <translation>NDJSON, ein Element je Zeile</translation>
    </message>
    <message>
        <source>Items go in batches, each request newline-delimited JSON (one item per line). The request&apos;s status is the status of every item in it.</source>
        <translation>Elemente gehen in Batches, jede Anfrage als JSON mit Zeilenumbrüchen getrennt (ein Element je Zeile). Der Status der Anfrage ist der Status jedes darin enthaltenen Elements.</translation>
    </message>
    <message>
        <source>index (create or replace)</source>
        <translation>index (anlegen oder ersetzen)</translation>
    </message>
    <message>
        <source>&quot;index&quot;: a new document is created, one with the same _id replaced.</source>
        <translation>„index“: Ein neues Dokument wird angelegt, eines mit derselben _id ersetzt.</translation>
    </message>
    <message>
        <source>create (new documents only)</source>
        <translation>create (nur neue Dokumente)</translation>
    </message>
    <message>
        <source>&quot;create&quot;: a new document is created; an item whose _id exists already fails with 409 Conflict.</source>
        <translation>„create“: Ein neues Dokument wird angelegt; ein Element, dessen _id schon existiert, scheitert mit 409 Conflict.</translation>
    </message>
    <message>
        <source>Automatic: HTTP/2 over https when the server offers it</source>
        <translation>Automatisch: HTTP/2 über https, wenn der Server es anbietet</translation>
    </message>
    <message>
        <source>https: HTTP/2 when the server offers it in the TLS handshake (ALPN), HTTP/1.1 otherwise. Plain http: HTTP/1.1.</source>
        <translation>https: HTTP/2, wenn der Server es im TLS-Handshake (ALPN) anbietet, sonst HTTP/1.1. Reines http: HTTP/1.1.</translation>
    </message>
    <message>
        <source>Prior knowledge (h2c)</source>
        <translation>Prior Knowledge (h2c)</translation>
    </message>
    <message>
        <source>HTTP/2 from the first byte, also over plain http (h2c), without asking. Only for a server known to speak HTTP/2: any other fails every request.</source>
        <translation>HTTP/2 vom ersten Byte an, auch über reines http (h2c), ohne Nachfrage. Nur für einen Server, der bekanntermaßen HTTP/2 spricht: Bei jedem anderen scheitert jede Anfrage.</translation>
    </message>
    <message>
        <source>Off: HTTP/1.1 only</source>
        <translation>Aus: nur HTTP/1.1</translation>
    </message>
    <message>
        <source>HTTP/1.1 always, also when the server offers HTTP/2.</source>
        <translation>Immer HTTP/1.1, auch wenn der Server HTTP/2 anbietet.</translation>
    </message>
    <message>
        <source>Checked: the value is the name of an environment variable that holds it when the transfer runs (for tokens and API keys), so the secret never goes into the transfer file.</source>
        <translation>Angehakt: Der Wert ist der Name einer Umgebungsvariablen, die ihn beim Lauf der Übertragung enthält (für Tokens und API-Schlüssel), sodass das Geheimnis nie in die Übertragungsdatei gelangt.</translation>
    </message>
    <message>
        <source>Checked: the value is kept in the system keychain and the transfer file holds only the entry&apos;s name. A value typed before checking moves to the keychain when the transfer is saved.</source>
        <translation>Angehakt: Der Wert liegt im Schlüsselbund des Systems, und die Übertragungsdatei enthält nur den Namen des Eintrags. Ein vor dem Anhaken eingegebener Wert wandert beim Speichern der Übertragung in den Schlüsselbund.</translation>
    </message>
    <message>
        <source>Duplicates possible: %1</source>
        <translation>Duplikate möglich: %1</translation>
    </message>
    <message>
        <source>Choose a Trusted CA File</source>
        <translation>Vertrauenswürdige CA-Datei wählen</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>A header without a name</source>
        <translation>Ein Header ohne Namen</translation>
    </message>
    <message>
        <source>%1: a credential is not saved in the transfer file; check “In the keychain” to keep it there, or give it from an environment variable</source>
        <translation>%1: Zugangsdaten werden nicht in der Übertragungsdatei gespeichert; haken Sie „Im Schlüsselbund“ an, um sie dort abzulegen, oder geben Sie sie über eine Umgebungsvariable an</translation>
    </message>
    <message>
        <source>The name of the environment variable that holds the value when the transfer runs</source>
        <translation>Der Name der Umgebungsvariablen, die den Wert beim Lauf der Übertragung enthält</translation>
    </message>
    <message>
        <source>The name of the keychain entry (service &quot;Sluice&quot;) that holds the value</source>
        <translation>Der Name des Schlüsselbund-Eintrags (Dienst „Sluice“), der den Wert enthält</translation>
    </message>
    <message>
        <source>The header&apos;s value, sent as it is</source>
        <translation>Der Wert des Headers, so gesendet, wie er ist</translation>
    </message>
</context>
<context>
    <name>sluice::TransferStatusModel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>wird gesendet</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>wird wiederholt</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>zugestellt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>ungültig</translation>
    </message>
    <message>
        <source>&lt; 1 ms</source>
        <translation>&lt; 1 ms</translation>
    </message>
</context>
<context>
    <name>sluice::TransformPanel</name>
    <message>
        <source>Preview rows in the Query panel to see the JSON each row becomes.</source>
        <translation>Zeigen Sie im Schritt „Abfrage“ eine Vorschau der Zeilen, um das JSON zu sehen, zu dem jede Zeile wird.</translation>
    </message>
    <message>
        <source>The template is empty: write the JSON each row becomes, for example { &quot;id&quot;: &quot;{{id}}&quot; }, or send each row as it is.</source>
        <translation>Die Vorlage ist leer: Schreiben Sie das JSON, zu dem jede Zeile wird, zum Beispiel { &quot;id&quot;: &quot;{{id}}&quot; }, oder senden Sie jede Zeile so, wie sie ist.</translation>
    </message>
    <message>
        <source>Template, %1</source>
        <translation>Vorlage, %1</translation>
    </message>
    <message>
        <source>Preview rows in the Query panel to check the column names.</source>
        <translation>Zeigen Sie im Schritt „Abfrage“ eine Vorschau der Zeilen, um die Spaltennamen zu prüfen.</translation>
    </message>
    <message>
        <source>Every placeholder names a column of the query.</source>
        <translation>Jeder Platzhalter nennt eine Spalte der Abfrage.</translation>
    </message>
    <message>
        <source>… and more problems: %1 in all</source>
        <translation>… und weitere Probleme: insgesamt %1</translation>
    </message>
    <message>
        <source>The template has problems: the preview shows its last valid version.</source>
        <translation>Die Vorlage hat Probleme: Die Vorschau zeigt ihre letzte gültige Fassung.</translation>
    </message>
    <message>
        <source>The preview appears once the template has no problems.</source>
        <translation>Die Vorschau erscheint, sobald die Vorlage keine Probleme mehr hat.</translation>
    </message>
    <message>
        <source>row %1</source>
        <translation>Zeile %1</translation>
    </message>
    <message>
        <source>row %1 · %2</source>
        <translation>Zeile %1 · %2</translation>
    </message>
    <message>
        <source>%1 (invalid)</source>
        <translation>%1 (ungültig)</translation>
    </message>
    <message>
        <source>The query returned no rows to preview.</source>
        <translation>Die Abfrage lieferte keine Zeilen für die Vorschau.</translation>
    </message>
    <message>
        <source>Sent to %1</source>
        <translation>Gesendet an %1</translation>
    </message>
    <message>
        <source>No JSON: this row&apos;s item is invalid (see below).</source>
        <translation>Kein JSON: Das Element dieser Zeile ist ungültig (siehe unten).</translation>
    </message>
    <message>
        <source>This row cannot be sent (the item would be Invalid): %1</source>
        <translation>Diese Zeile kann nicht gesendet werden (das Element wäre ungültig): %1</translation>
    </message>
    <message>
        <source>not valid JSON, %1</source>
        <translation>kein gültiges JSON, %1</translation>
    </message>
</context>
</TS>
