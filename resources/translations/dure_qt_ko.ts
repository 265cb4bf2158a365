<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Strings of Qt's own dialogs that qtbase_ko.qm leaves in English (seen in the non-native
     file dialog and the print dialog). Compile with:
     uv run pyside6-lrelease resources/translations/dure_qt_ko.ts -->
<TS version="2.1" language="ko_KR">
<context>
    <name>QFileDialog</name>
    <message><source>&amp;Look in:</source><translation>찾는 위치(&amp;L):</translation></message>
    <message><source>Files of &amp;type:</source><translation>파일 형식(&amp;T):</translation></message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message><source>Page &amp;Set:</source><translation>인쇄할 쪽(&amp;S):</translation></message>
</context>
</TS>
