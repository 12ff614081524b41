#!/usr/bin/env bash
# macOS app bundle and .dmg of RobustSAM Studio (Apple silicon), made with the JDK's jlink and jpackage.
# Run on a Mac (not runnable on Linux: jpackage builds a .dmg only on macOS).
#
#   mvn -P installer package            (the os-mac profile picks this script and the osx-aarch64 libtorch)
#   installers/macos/build-dmg.sh [VERSION]   (by hand, after `mvn -DskipTests package` on the Mac)
#
# Output in target/installer/: "RobustSAM Studio.app" (app-image/) and "RobustSAM Studio-<version>.dmg".
#
# Needs: a JDK 17+ for macOS/aarch64 (JAVA_HOME), Xcode command line tools (jpackage calls hdiutil,
# codesign). Signing is optional: set MAC_SIGN_IDENTITY to the "Developer ID Application: …" user
# name to sign (and notarize the .dmg afterwards with `xcrun notarytool`); unsigned builds run after
# right-click > Open.
#
# libtorch: here the osx-aarch64 pytorch-native-cpu jar stays on the class path and DJL unpacks it at
# first start into ~/.cache/robustsam-studio/djl (the app sets ENGINE_CACHE_DIR), so no unsigned
# dylib sits inside the signed bundle.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${TARGET_DIR:-$root/target}
version=${1:-$(sed -n '/<artifactId>robustsam-studio<\/artifactId>/{n;s:.*<version>\(.*\)</version>.*:\1:p;}' "$root/pom.xml")}
version=${version%%-*}
# A bundle version (CFBundleVersion) must start with a number above 0.
if [ -n "${MAC_APP_VERSION:-}" ]; then
  version=$MAC_APP_VERSION
elif [ "${version%%.*}" = 0 ]; then
  echo "[installer] macOS needs a bundle version starting at 1: packaging $version as 1.${version#0.} (set MAC_APP_VERSION to choose)" >&2
  version="1.${version#0.}"
fi
java_home=${JAVA_HOME:-$(/usr/libexec/java_home -v 17+ 2>/dev/null || true)}
[ -n "$java_home" ] || { echo "[installer] set JAVA_HOME to a JDK 17+" >&2; exit 1; }
jdk_bin="$java_home/bin"
app="RobustSAM Studio"
out="$target/installer"
work="$out/work"
input="$work/input"

say() { printf '[installer] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(uname -s)" = Darwin ] || die "this script runs on macOS (use installers/linux/build.sh on Linux)"
[ -f "$target/robustsam-studio.jar" ] || die "build first: mvn -DskipTests package"
ls "$target"/lib/pytorch-native-cpu-*-osx-aarch64.jar >/dev/null 2>&1 \
  || die "no osx-aarch64 libtorch jar in $target/lib: build on the Mac (the os-mac profile selects it)"

rm -rf "$work" "$out/app-image" "$out"/*.dmg
mkdir -p "$input/lib" "$input/smoke"
cp "$target/robustsam-studio.jar" "$input/"
cp "$target"/lib/*.jar "$input/lib/"
"$jdk_bin/java" -cp "$target/robustsam-studio.jar:$target/lib/*" org.robustsam.studio.SmokeModel "$input/smoke/sam_tiny_random.safetensors" >&2

modules=$(grep -v '^[[:space:]]*#' "$root/installers/runtime-modules.txt" | grep -v '^[[:space:]]*$' | paste -sd, -)
say "jlink runtime: $modules"
"$jdk_bin/jlink" --add-modules "$modules" --output "$work/runtime" \
  --strip-debug --no-header-files --no-man-pages --compress=2

java_options=(
  -Dstudio.installed=true
  -Dai.djl.offline=true
  -DPYTORCH_FLAVOR=cpu
  '-Dstudio.smoke.model=$APPDIR/smoke/sam_tiny_random.safetensors'
  -XX:MaxRAMPercentage=60
)
cli_props="$work/studio.properties"
{
  echo "main-class=org.robustsam.studio.cli.StudioCli"
  echo "java-options=${java_options[*]}"
} > "$cli_props"
jp_options=()
for o in "${java_options[@]}"; do jp_options+=(--java-options "$o"); done
sign=()
if [ -n "${MAC_SIGN_IDENTITY:-}" ]; then
  sign=(--mac-sign --mac-signing-key-user-name "$MAC_SIGN_IDENTITY")
fi

say "jpackage app bundle"
"$jdk_bin/jpackage" --type app-image --dest "$out/app-image" \
  --name "$app" --app-version "$version" \
  --vendor "RobustSAM Studio" --copyright "RobustSAM Studio contributors" \
  --description "Annotate degraded photos with SAM, MobileSAM and RobustSAM" \
  --icon "$here/robustsam-studio.icns" \
  --mac-package-identifier org.robustsam.studio --mac-package-name "$app" \
  --input "$input" --main-jar robustsam-studio.jar --main-class org.robustsam.studio.Launcher \
  --runtime-image "$work/runtime" \
  "${jp_options[@]}" \
  --add-launcher "studio=$cli_props" \
  "${sign[@]}"

say "jpackage .dmg"
"$jdk_bin/jpackage" --type dmg --dest "$out" \
  --app-image "$out/app-image/$app.app" --name "$app" --app-version "$version" \
  --vendor "RobustSAM Studio" --copyright "RobustSAM Studio contributors" \
  --description "Annotate degraded photos with SAM, MobileSAM and RobustSAM" \
  --icon "$here/robustsam-studio.icns" \
  "${sign[@]}"
say "done: $(ls "$out"/*.dmg)"
say "check it: \"$out/app-image/$app.app/Contents/MacOS/$app\" --smoke   (prints 'smoke OK: …', exit 0)"
