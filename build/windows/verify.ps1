<#
.SYNOPSIS
  Prüft OSCI-Postfach auf einem Windows-Test-PC: stille Installation des MSI, Selbsttest des installierten Programms
  im Übungsmodus (ein Abruf, ein PDF-Export, ein Bild des Fensters), stille Aktualisierung von der vorigen Version
  (der Datenspeicher bleibt erhalten) und stille Deinstallation (der Datenspeicher des Benutzers bleibt liegen).
  Checks OSCI-Postfach on a Windows test PC: silent install, self-test, silent upgrade, silent uninstall.

.DESCRIPTION
  Dieselben Schritte führt die Pipeline .github/workflows/windows.yml auf einem Windows-Runner aus.
  Das Programm läuft dabei nur mit einem eigenen, vorübergehenden Profil (--user-data-dir) im Übungsmodus:
  erfundene Anträge, ein lokaler Übungs-Intermediär auf 127.0.0.1, kein Netz, keine echten Daten.

  Voraussetzungen: Windows 10/11 x64, PowerShell 5.1 oder 7, Administratorrechte (das MSI installiert für den
  ganzen PC), OSCI-Postfach noch NICHT installiert (ein Test-PC, keine Arbeitsplatz-Installation).

  Ergebnis im Ordner -OutDir: MSI-Protokolle (*.log), die Berichte des Selbsttests (selbsttest-*\self-test.json),
  das exportierte PDF und das Bild des Fensters (selbsttest-*\uebungsantrag.pdf, fenster.png) und
  ergebnis.json mit jedem Schritt. Exit-Code 0: alle Schritte bestanden; 1: ein Schritt ist gescheitert;
  2: falscher Aufruf oder Voraussetzung fehlt.

.PARAMETER Msi
  Das zu prüfende MSI (z. B. OSCI-Postfach-0.2.0.msi).

.PARAMETER PreviousMsi
  Das MSI der vorigen Version (dieselbe UpgradeCode, kleinere Versionsnummer). Ohne diese Angabe entfällt die
  Prüfung der Aktualisierung.

.PARAMETER OutDir
  Ordner für Protokolle, Berichte und Bilder (wird angelegt).

.PARAMETER InstallDir
  Wohin das MSI das Programm legt (Standard: C:\Program Files\OSCI-Postfach).

.PARAMETER TimeoutSeconds
  Höchstdauer eines Selbsttests (Standard 300 s).

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File verify.ps1 -Msi .\OSCI-Postfach-0.2.0.msi -PreviousMsi .\OSCI-Postfach-0.1.0.msi
#>
[CmdletBinding()]
param(
  [Parameter(Mandatory = $true)] [string] $Msi,
  [string] $PreviousMsi = '',
  [string] $OutDir = (Join-Path -Path (Get-Location) -ChildPath 'osci-postfach-pruefung'),
  # the 64-bit Program Files folder, also from a 32-bit PowerShell
  [string] $InstallDir = (Join-Path -Path $(if ($env:ProgramW6432) { $env:ProgramW6432 } else { $env:ProgramFiles }) -ChildPath 'OSCI-Postfach'),
  [int] $TimeoutSeconds = 300
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# The UpgradeCode of build/electron-builder.json: fixed for every version (a new one would install a second product).
$UpgradeCode = '{419B8B2F-2D46-4D7E-8D3E-3C2AC84C0048}'
$ExeName = 'OSCI-Postfach.exe'
$script:Steps = New-Object System.Collections.ArrayList

function Write-Step([string] $Text) {
  Write-Host ''
  Write-Host "== $Text" -ForegroundColor Cyan
}

function Add-Result([string] $Name, [bool] $Ok, [string] $Detail) {
  [void] $script:Steps.Add([ordered] @{ step = $Name; ok = $Ok; detail = $Detail })
  if ($Ok) { Write-Host "   bestanden / passed: $Detail" -ForegroundColor Green }
  else { Write-Host "   FEHLER / FAILED: $Detail" -ForegroundColor Red }
}

function Stop-WithUsage([string] $Text) {
  Write-Host "verify.ps1: $Text" -ForegroundColor Red
  exit 2
}

# Windows Installer's COM object has no type library for PowerShell's adapter: call its members by name.
function Invoke-Com($Target, [string] $Member, [System.Reflection.BindingFlags] $Kind, [object[]] $Arguments = @()) {
  return $Target.GetType().InvokeMember($Member, $Kind, $null, $Target, $Arguments)
}

function Get-Installer {
  return New-Object -ComObject WindowsInstaller.Installer
}

# The ProductVersion written into an MSI file.
function Get-MsiVersion([string] $Path) {
  $installer = Get-Installer
  $database = Invoke-Com $installer 'OpenDatabase' 'InvokeMethod' @($Path, 0)
  $view = Invoke-Com $database 'OpenView' 'InvokeMethod' @("SELECT ``Value`` FROM ``Property`` WHERE ``Property`` = 'ProductVersion'")
  [void] (Invoke-Com $view 'Execute' 'InvokeMethod')
  $record = Invoke-Com $view 'Fetch' 'InvokeMethod'
  if ($null -eq $record) { throw "no ProductVersion in $Path" }
  $version = [string] (Invoke-Com $record 'StringData' 'GetProperty' @(1))
  [void] (Invoke-Com $view 'Close' 'InvokeMethod')
  # let go of the file before msiexec opens it
  foreach ($object in @($record, $view, $database, $installer)) { [void] [System.Runtime.InteropServices.Marshal]::ReleaseComObject($object) }
  return $version
}

# Installed products with our UpgradeCode, each with its ProductCode and version.
function Get-InstalledProducts {
  $installer = Get-Installer
  $codes = Invoke-Com $installer 'RelatedProducts' 'GetProperty' @($UpgradeCode)
  $count = [int] (Invoke-Com $codes 'Count' 'GetProperty')
  $products = @()
  for ($i = 0; $i -lt $count; $i++) {
    $code = [string] (Invoke-Com $codes 'Item' 'GetProperty' @($i))
    $version = [string] (Invoke-Com $installer 'ProductInfo' 'GetProperty' @($code, 'VersionString'))
    $products += [pscustomobject] @{ ProductCode = $code; Version = $version }
  }
  return , $products
}

# msiexec without any dialog, with a verbose log; 0 and 3010 (restart required) count as success.
function Invoke-Msiexec([string] $Action, [string] $Package, [string] $LogName) {
  $log = Join-Path -Path $OutDir -ChildPath $LogName
  $arguments = @($Action, "`"$Package`"", '/qn', '/norestart', '/l*v', "`"$log`"")
  $process = Start-Process -FilePath 'msiexec.exe' -ArgumentList $arguments -Wait -PassThru
  return [pscustomobject] @{ ExitCode = $process.ExitCode; Log = $log; Ok = ($process.ExitCode -eq 0 -or $process.ExitCode -eq 3010) }
}

# Starts the installed program's self-test (electron/self-test.ts) with the temporary profile; returns its report.
function Invoke-SelfTest([string] $Mode, [string] $Name) {
  $exe = Join-Path -Path $InstallDir -ChildPath $ExeName
  $reportDir = Join-Path -Path $OutDir -ChildPath "selbsttest-$Name"
  if (-not (Test-Path -LiteralPath $exe)) { return [pscustomobject] @{ Ok = $false; Detail = "$exe fehlt / missing"; Report = $null } }
  $arguments = @("--user-data-dir=`"$TempProfile`"", "--self-test=$Mode", "--self-test-report=`"$reportDir`"")
  $stderr = Join-Path -Path $OutDir -ChildPath "selbsttest-$Name.stderr.txt"
  $process = Start-Process -FilePath $exe -ArgumentList $arguments -PassThru -RedirectStandardError $stderr
  $null = $process.Handle # keeps the exit code readable after the process ends
  if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
    $process.Kill()
    return [pscustomobject] @{ Ok = $false; Detail = "nach $TimeoutSeconds s abgebrochen / timed out"; Report = $null }
  }
  $reportFile = Join-Path -Path $reportDir -ChildPath 'self-test.json'
  if (-not (Test-Path -LiteralPath $reportFile)) {
    return [pscustomobject] @{ Ok = $false; Detail = "Exit-Code $($process.ExitCode), kein self-test.json (siehe $stderr)"; Report = $null }
  }
  $report = Get-Content -LiteralPath $reportFile -Raw -Encoding UTF8 | ConvertFrom-Json
  $failed = @($report.steps | Where-Object { -not $_.ok })
  $summary = ($report.steps | ForEach-Object { if ($_.ok) { "$($_.name) ok" } else { "$($_.name) $($_.error.kind): $($_.error.detail)" } }) -join '; '
  return [pscustomobject] @{ Ok = ($process.ExitCode -eq 0 -and $report.ok -and $failed.Count -eq 0); Detail = "Exit-Code $($process.ExitCode); $summary"; Report = $report }
}

# One fact of one step of a self-test report (self-test.json), or $null where the step or the fact is missing.
function Get-Fact($Report, [string] $StepName, [string] $FactName) {
  if ($null -eq $Report) { return $null }
  $found = @($Report.steps | Where-Object { $_.name -eq $StepName })
  if ($found.Count -eq 0) { return $null }
  $property = $found[0].facts.PSObject.Properties[$FactName]
  if ($null -eq $property) { return $null }
  return $property.Value
}

# ---------------------------------------------------------------------------------------------------------------
# Preconditions

if (-not (Test-Path -LiteralPath $Msi)) { Stop-WithUsage "MSI nicht gefunden / not found: $Msi" }
$Msi = (Resolve-Path -LiteralPath $Msi).Path
if ($PreviousMsi -ne '') {
  if (-not (Test-Path -LiteralPath $PreviousMsi)) { Stop-WithUsage "voriges MSI nicht gefunden / previous MSI not found: $PreviousMsi" }
  $PreviousMsi = (Resolve-Path -LiteralPath $PreviousMsi).Path
}
$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  Stop-WithUsage 'Bitte als Administrator starten (das MSI installiert für den ganzen PC). / Run as administrator.'
}
if (@(Get-InstalledProducts).Count -gt 0) {
  Stop-WithUsage 'OSCI-Postfach ist auf diesem PC schon installiert: bitte einen Test-PC ohne Installation verwenden. / Already installed.'
}
New-Item -ItemType Directory -Force -Path $OutDir | Out-Null
$OutDir = (Resolve-Path -LiteralPath $OutDir).Path
# the temporary profile: never a caseworker's %APPDATA%\OSCI-Postfach
$TempProfile = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ("osci-postfach-pruefung-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Force -Path $TempProfile | Out-Null
$StorePath = Join-Path -Path $TempProfile -ChildPath 'Postfach\postfach.db'

$newVersion = Get-MsiVersion $Msi
Write-Host "OSCI-Postfach: Prüfung von $Msi (Version $newVersion)"
Write-Host "Vorübergehendes Profil / temporary profile: $TempProfile"
Write-Host "Ergebnisse / results: $OutDir"

# ---------------------------------------------------------------------------------------------------------------
# 1. Install (the previous version first, where given), self-test in the Übungsmodus
# (a failure that stops the script — a COM or msiexec error — is recorded, and the program uninstalled)
try {
  $before = $null
  if ($PreviousMsi -ne '') {
    $previousVersion = Get-MsiVersion $PreviousMsi
    Write-Step "Stille Installation der vorigen Version $previousVersion / silent install of the previous version"
    $install = Invoke-Msiexec '/i' $PreviousMsi 'install-vorige.log'
    Add-Result 'install-previous' $install.Ok "msiexec Exit-Code $($install.ExitCode), Protokoll $($install.Log)"

    Write-Step 'Selbsttest der vorigen Version: Datenspeicher, Übungsmodus, Abruf, PDF, Fenster / self-test of the previous version'
    $run = Invoke-SelfTest 'full' 'vorher'
    Add-Result 'self-test-previous' $run.Ok $run.Detail
    $before = $run.Report

    Write-Step "Stille Aktualisierung auf $newVersion / silent upgrade"
    $upgrade = Invoke-Msiexec '/i' $Msi 'aktualisierung.log'
    $products = @(Get-InstalledProducts)
    $versions = ($products | ForEach-Object { $_.Version }) -join ', '
    Add-Result 'upgrade' ($upgrade.Ok -and $products.Count -eq 1 -and $products[0].Version -eq $newVersion) "msiexec Exit-Code $($upgrade.ExitCode); installiert / installed: $versions (erwartet / expected: genau $newVersion)"
  }
  else {
    Write-Step "Stille Installation $newVersion / silent install"
    $install = Invoke-Msiexec '/i' $Msi 'install.log'
    $products = @(Get-InstalledProducts)
    Add-Result 'install' ($install.Ok -and $products.Count -eq 1 -and $products[0].Version -eq $newVersion) "msiexec Exit-Code $($install.ExitCode), Protokoll $($install.Log)"
  }

  Write-Step 'Selbsttest des installierten Programms: Datenspeicher, Übungsmodus, Abruf, PDF, Fenster / self-test'
  $run = Invoke-SelfTest 'full' 'nachher'
  Add-Result 'self-test' $run.Ok $run.Detail

  if ($null -ne $before) {
    # the store of the previous version is opened (not created) with the OS key store, and keeps its applications
    $created = Get-Fact $run.Report 'store' 'created'
    $kept = Get-Fact $run.Report 'training' 'messagesBefore'
    $fetched = Get-Fact $before 'fetch' 'messagesAfter'
    $survived = ($created -eq $false -and $null -ne $kept -and $null -ne $fetched -and $kept -eq $fetched -and $kept -gt 0)
    $detail = if ($survived) { "Datenspeicher geöffnet (nicht neu angelegt), $kept Anträge im Übungsmodus wie vor der Aktualisierung / store opened, applications kept" } else { "Datenspeicher neu angelegt: $created; Anträge vorher $fetched, nachher $kept / store not kept" }
    Add-Result 'store-survives-upgrade' $survived $detail
  }

  # 2. Uninstall: the program goes, the user's store stays
  Write-Step 'Stille Deinstallation / silent uninstall'
  $uninstall = Invoke-Msiexec '/x' $Msi 'deinstallation.log'
  $left = @(Get-InstalledProducts)
  $exeLeft = Test-Path -LiteralPath (Join-Path -Path $InstallDir -ChildPath $ExeName)
  Add-Result 'uninstall' ($uninstall.Ok -and $left.Count -eq 0 -and -not $exeLeft) "msiexec Exit-Code $($uninstall.ExitCode); noch installiert / still installed: $($left.Count); Programmdatei vorhanden / exe present: $exeLeft"
  $storeLeft = Test-Path -LiteralPath $StorePath
  Add-Result 'store-kept-after-uninstall' $storeLeft "Datenspeicher des Benutzers / user's store: $StorePath"
}
catch {
  Add-Result 'script' $false "abgebrochen / aborted: $($_.Exception.Message) (Zeile $($_.InvocationInfo.ScriptLineNumber))"
  # whichever version is left (the previous one, if the script stopped before the upgrade), by its ProductCode
  foreach ($product in @(Get-InstalledProducts)) {
    $cleanup = Invoke-Msiexec '/x' $product.ProductCode 'deinstallation-nach-fehler.log'
    Add-Result 'uninstall-after-failure' $cleanup.Ok "$($product.ProductCode) $($product.Version): msiexec Exit-Code $($cleanup.ExitCode)"
  }
}

# ---------------------------------------------------------------------------------------------------------------
# Result

$ok = @($script:Steps | Where-Object { -not $_.ok }).Count -eq 0
$result = [ordered] @{
  format = 'osci-postfach-verify/1'
  ok = $ok
  msi = $Msi
  version = $newVersion
  previousMsi = $PreviousMsi
  profile = $TempProfile
  finishedAt = (Get-Date).ToString('o')
  steps = $script:Steps
}
$result | ConvertTo-Json -Depth 6 | Set-Content -LiteralPath (Join-Path -Path $OutDir -ChildPath 'ergebnis.json') -Encoding UTF8
Write-Host ''
if ($ok) {
  Write-Host "Alle Schritte bestanden. / All steps passed. Das vorübergehende Profil ($TempProfile) kann gelöscht werden." -ForegroundColor Green
  exit 0
}
Write-Host "Mindestens ein Schritt ist gescheitert: siehe $OutDir. / At least one step failed." -ForegroundColor Red
exit 1
