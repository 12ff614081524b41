# Windows app image and .msi of RobustSAM Studio (x64), made with the JDK's jlink and jpackage.
# Run on Windows (not runnable on Linux: jpackage builds an .msi only on Windows).
#
#   mvn -P installer package                       (the os-windows profile picks this script and the win-x86_64 libtorch)
#   powershell -ExecutionPolicy Bypass -File installers\windows\build-msi.ps1 [-Version 0.1.0]
#                                                  (by hand, after `mvn -DskipTests package` on Windows)
#
# Output in target\installer\: app-image\RobustSAM Studio\ and RobustSAM Studio-<version>.msi
#
# Needs: a JDK 17+ for Windows x64 (JAVA_HOME) and the WiX Toolset 3.x (candle.exe and light.exe on
# PATH; JDK 17's jpackage does not support WiX 4+). Install WiX with e.g. `choco install wixtoolset`
# or from https://github.com/wixtoolset/wix3/releases.
#
# Launchers: "RobustSAM Studio.exe" (the app, no console), "studio.exe" (the command line) and
# "robustsam-studio-console.exe" (the app with a console, for `--smoke` and troubleshooting, since a
# GUI .exe cannot print). libtorch stays in its jar; DJL unpacks it at first start into
# %USERPROFILE%\.cache\robustsam-studio\djl (no download: the app runs offline).
param(
    [string]$Version = ""
)
$ErrorActionPreference = "Stop"

$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$root = Resolve-Path (Join-Path $here "..\..")
$target = if ($env:TARGET_DIR) { $env:TARGET_DIR } else { Join-Path $root "target" }
if (-not $Version) {
    $pom = [xml](Get-Content (Join-Path $root "pom.xml"))
    $Version = $pom.project.version
}
$Version = ($Version -split "-")[0]   # 0.1.0-SNAPSHOT -> 0.1.0 (MSI wants numbers)
if (-not $env:JAVA_HOME) { throw "Set JAVA_HOME to a JDK 17+" }
$jdkBin = Join-Path $env:JAVA_HOME "bin"
$app = "RobustSAM Studio"
$out = Join-Path $target "installer"
$work = Join-Path $out "work"
$inputDir = Join-Path $work "input"

function Say($msg) { Write-Host "[installer] $msg" }

if (-not (Test-Path (Join-Path $target "robustsam-studio.jar"))) { throw "Build first: mvn -DskipTests package" }
if (-not (Get-ChildItem (Join-Path $target "lib") -Filter "pytorch-native-cpu-*-win-x86_64.jar" -ErrorAction SilentlyContinue)) {
    throw "No win-x86_64 libtorch jar in $target\lib: build on Windows (the os-windows profile selects it)"
}
if (-not (Get-Command candle.exe -ErrorAction SilentlyContinue) -or -not (Get-Command light.exe -ErrorAction SilentlyContinue)) {
    throw "WiX Toolset 3.x not found (candle.exe, light.exe): install it and put its bin folder on PATH"
}

foreach ($p in @($work, (Join-Path $out "app-image"))) { if (Test-Path $p) { Remove-Item -Recurse -Force $p } }
Get-ChildItem $out -Filter "*.msi" -ErrorAction SilentlyContinue | Remove-Item -Force
New-Item -ItemType Directory -Force -Path (Join-Path $inputDir "lib"), (Join-Path $inputDir "smoke") | Out-Null
Copy-Item (Join-Path $target "robustsam-studio.jar") $inputDir
Copy-Item (Join-Path $target "lib\*.jar") (Join-Path $inputDir "lib")

Say "smoke model"
& (Join-Path $jdkBin "java.exe") -cp "$target\robustsam-studio.jar;$target\lib\*" org.robustsam.studio.SmokeModel (Join-Path $inputDir "smoke\sam_tiny_random.safetensors")
if ($LASTEXITCODE -ne 0) { throw "could not write the smoke model" }

$modules = (Get-Content (Join-Path $root "installers\runtime-modules.txt") |
    Where-Object { $_.Trim() -and -not $_.Trim().StartsWith("#") } | ForEach-Object { $_.Trim() }) -join ","
Say "jlink runtime: $modules"
& (Join-Path $jdkBin "jlink.exe") --add-modules $modules --output (Join-Path $work "runtime") `
    --strip-debug --no-header-files --no-man-pages --compress=2
if ($LASTEXITCODE -ne 0) { throw "jlink failed" }

# $APPDIR is expanded by the launcher (the app folder inside the installation); keep it literal here.
$javaOptions = @(
    "-Dstudio.installed=true",
    "-Dai.djl.offline=true",
    "-DPYTORCH_FLAVOR=cpu",
    '-Dstudio.smoke.model=$APPDIR/smoke/sam_tiny_random.safetensors',
    "-XX:MaxRAMPercentage=60"
)
$cliProps = Join-Path $work "studio.properties"
$consoleProps = Join-Path $work "robustsam-studio-console.properties"
$propOptions = $javaOptions -join " "   # no backslashes: property files read them as escapes
# Console launchers get no Start-menu or desktop shortcut; only the app does.
$noShortcuts = @("win-console=true", "win-shortcut=false", "win-menu=false")
Set-Content -Encoding ASCII $cliProps (@("main-class=org.robustsam.studio.cli.StudioCli", "java-options=$propOptions") + $noShortcuts)
Set-Content -Encoding ASCII $consoleProps (@("main-class=org.robustsam.studio.Launcher", "java-options=$propOptions") + $noShortcuts)
$jpOptions = @()
foreach ($o in $javaOptions) { $jpOptions += @("--java-options", $o) }
$common = @("--app-version", $Version, "--vendor", "RobustSAM Studio", "--copyright", "RobustSAM Studio contributors",
    "--description", "Annotate degraded photos with SAM, MobileSAM and RobustSAM",
    "--icon", (Join-Path $here "robustsam-studio.ico"))

Say "jpackage app image"
& (Join-Path $jdkBin "jpackage.exe") --type app-image --dest (Join-Path $out "app-image") --name $app @common `
    --input $inputDir --main-jar robustsam-studio.jar --main-class org.robustsam.studio.Launcher `
    --runtime-image (Join-Path $work "runtime") @jpOptions `
    --add-launcher "studio=$cliProps" --add-launcher "robustsam-studio-console=$consoleProps"
if ($LASTEXITCODE -ne 0) { throw "jpackage app-image failed" }

Say "jpackage .msi"
& (Join-Path $jdkBin "jpackage.exe") --type msi --dest $out --name $app @common `
    --app-image (Join-Path $out "app-image\$app") `
    --win-menu --win-menu-group $app --win-shortcut --win-dir-chooser `
    --win-upgrade-uuid "6f1c2c3e-58a4-4c39-9a57-2f0d9a3e7b41"
if ($LASTEXITCODE -ne 0) { throw "jpackage msi failed" }
Say ("done: " + (Get-ChildItem $out -Filter "*.msi" | Select-Object -First 1).FullName)
Say "check it: & '$out\app-image\$app\robustsam-studio-console.exe' --smoke   (prints 'smoke OK: ...', exit 0)"
