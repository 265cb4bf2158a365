; Inno Setup 6 script: a per-user installer for the one-folder Dure build (no admin rights).
; Build on Windows after `uv run python packaging\build.py` (see packaging/README.md):
;   iscc /DAppVersion=0.1.0 packaging\dure.iss
; The installer puts the program in the user's own Programs folder; the data folder
; (%LOCALAPPDATA%\Dure\Dure: dure.sqlite, backups, settings) is never touched by install,
; upgrade or uninstall.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
AppId={{6B1D5C3E-8F0A-4C47-9C1B-3D2E7A5F9D21}
AppName=두레
AppVersion={#AppVersion}
AppVerName=두레 {#AppVersion}
AppPublisher=두레 (Dure)
DefaultDirName={userpf}\Dure
DefaultGroupName=두레
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
OutputDir=..\dist
OutputBaseFilename=Dure-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayName=두레 {#AppVersion}
UninstallDisplayIcon={app}\Dure.exe
; An upgrade replaces the program folder only: close a running Dure first.
CloseApplications=yes

[Languages]
Name: "korean"; MessagesFile: "compiler:Languages\Korean.isl"

[Tasks]
Name: "desktopicon"; Description: "바탕 화면에 바로 가기 만들기"; GroupDescription: "바로 가기:"

[Files]
; The whole one-folder build; files of an older version that are gone are removed below.
Source: "..\dist\Dure\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; Replace the program folder whole on upgrade (old Qt or Python files must not linger).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\두레"; Filename: "{app}\Dure.exe"
Name: "{group}\두레 (데모 기록으로 열기)"; Filename: "{app}\Dure.exe"; Parameters: "--demo"
Name: "{group}\두레 제거"; Filename: "{uninstallexe}"
Name: "{userdesktop}\두레"; Filename: "{app}\Dure.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Dure.exe"; Description: "두레 시작"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder. The data folder under %LOCALAPPDATA%\Dure stays for the next install.
Type: filesandordirs; Name: "{app}\_internal"

[Messages]
korean.WelcomeLabel2=두레 {#AppVersion}을(를) 이 사용자 계정에 설치합니다.%n%n관리자 권한은 필요 없습니다. 기록(데이터 폴더)은 설치·업그레이드·제거 때 지워지지 않습니다.
