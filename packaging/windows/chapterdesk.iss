; Inno Setup script: a per-user install of dist\ChapterDesk (no administrator rights needed on
; a company laptop), a Start-menu entry and an uninstaller. Built by packaging\build.py when
; iscc is on PATH:  iscc /DAppVersion=0.1.0 packaging\windows\chapterdesk.iss
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F3C2B1E-8E0B-4D7A-9C55-2A1D0C3B7E41}
AppName=ChapterDesk
AppVersion={#AppVersion}
AppPublisher=ChapterDesk
DefaultDirName={localappdata}\Programs\ChapterDesk
DefaultGroupName=ChapterDesk
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=ChapterDesk-{#AppVersion}-setup
SetupIconFile=..\..\src\chapterdesk\resources\icons\chapterdesk.ico
UninstallDisplayIcon={app}\chapterdesk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\dist\ChapterDesk\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\ChapterDesk"; Filename: "{app}\chapterdesk.exe"
Name: "{group}\Uninstall ChapterDesk"; Filename: "{uninstallexe}"
Name: "{userdesktop}\ChapterDesk"; Filename: "{app}\chapterdesk.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\chapterdesk.exe"; Description: "Start ChapterDesk"; Flags: nowait postinstall skipifsilent
