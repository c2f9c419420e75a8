<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>RunText</name>
    <message numerus="yes">
        <source>%Ln item(s)</source>
        <translation>
            <numerusform>%Ln item</numerusform>
            <numerusform>%Ln items</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::EventLogView</name>
    <message numerus="yes">
        <source>%Ln entry(s)</source>
        <translation>
            <numerusform>%Ln entry</numerusform>
            <numerusform>%Ln entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::MainWindow</name>
    <message numerus="yes">
        <source>This is the bundled example: %n rows from its database to the built-in demo API (nothing leaves this computer). Press Start to send them and watch every item.</source>
        <translation>
            <numerusform>This is the bundled example: %n row from its database to the built-in demo API (nothing leaves this computer). Press Start to send them and watch every item.</numerusform>
            <numerusform>This is the bundled example: %n rows from its database to the built-in demo API (nothing leaves this computer). Press Start to send them and watch every item.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::QueryPanel</name>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln row</numerusform>
            <numerusform>%Ln rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sluice::RunListModel</name>
    <message numerus="yes">
        <source>%Ln item(s) owed, and the rows the database had not given yet: a resume reads them</source>
        <translation>
            <numerusform>%Ln item owed, and the rows the database had not given yet: a resume reads them</numerusform>
            <numerusform>%Ln items owed, and the rows the database had not given yet: a resume reads them</numerusform>
        </translation>
    </message>
</context>
</TS>
