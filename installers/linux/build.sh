#!/usr/bin/env bash
# Linux app image and .deb of RobustSAM Studio, made with the JDK's jlink and jpackage.
#
#   mvn -P installer package            (runs this script after the jar; tests run first unless -DskipTests)
#   installers/linux/build.sh [VERSION] (by hand, after `mvn -DskipTests package`)
#
# Output in target/installer/:
#   app-image/robustsam-studio/   the app image (bin/robustsam-studio, bin/studio, lib/runtime, lib/app)
#   robustsam-studio_<version>-1_amd64.deb
#
# Layout decisions, smallest first:
#   * a jlink runtime with only the modules in installers/runtime-modules.txt (re-checked with jdeps here),
#     its modules file left uncompressed (--compress=0) and jars stored, not deflated: the .deb's xz
#     packs raw classes far better than zip-inside-xz (measured: modules 22.1 -> 10.4 MB, jars
#     21.4 -> 11.5 MB in the .deb), at the cost of a larger installed size;
#   * other platforms' natives dropped from the JNA and DJL JNI jars (repack_jars.py);
#   * libtorch ships unpacked and stripped in lib/app/libtorch (not as the 111 MB jar that DJL would
#     unpack again into every user's home): the launcher points DJL there (-DPYTORCH_LIBRARY_PATH), and a
#     properties-only stand-in for the pytorch-native jar keeps DJL's platform detection (version,
#     flavour) working. Only DJL's 4 MB JNI glue is unpacked per user, into ~/.cache/robustsam-studio/djl;
#   * the tiny random-weight SAM for `--smoke` is generated here (lib/app/smoke/), 20 MB on disk,
#     4 MB in the .deb (its weights are rounded so that they compress; see SmokeModel).
#
# Needs: JDK 17+ with jpackage/jlink/jdeps (JAVA_HOME, default: the java on PATH), binutils (strip),
# python3, fakeroot and dpkg-deb (for the .deb). SKIP_DEB=1 builds only the app image.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${TARGET_DIR:-$root/target}
# The project's version: the <version> line right after <artifactId>robustsam-studio</artifactId>.
version=${1:-$(sed -n '/<artifactId>robustsam-studio<\/artifactId>/{n;s:.*<version>\(.*\)</version>.*:\1:p;}' "$root/pom.xml")}
version=${version%%-*} # jpackage wants a plain number: 0.1.0-SNAPSHOT -> 0.1.0
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jdk_bin="$java_home/bin"
name=robustsam-studio
out="$target/installer"
work="$out/work"
input="$work/input"

say() { printf '[installer] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ -f "$target/$name.jar" ] || die "$target/$name.jar is missing: build it first with mvn -DskipTests package"
[ -d "$target/lib" ] || die "$target/lib is missing: build it first with mvn -DskipTests package"
for tool in jlink jpackage jdeps jar java; do
  [ -x "$jdk_bin/$tool" ] || die "$jdk_bin/$tool not found (set JAVA_HOME to a JDK 17+)"
done
command -v strip >/dev/null || die "strip not found (apt-get install binutils)"

native_jar=$(ls "$target"/lib/pytorch-native-cpu-*-linux-x86_64.jar 2>/dev/null | head -n1 || true)
[ -n "$native_jar" ] || die "no pytorch-native-cpu linux-x86_64 jar in $target/lib (the installer bundles the CPU libtorch; build without -P cuda)"

rm -rf "$work" "$out/app-image"
mkdir -p "$input/lib" "$input/libtorch" "$input/smoke" "$out"

say "app jars -> $input"
cp "$target/$name.jar" "$input/"
for j in "$target"/lib/*.jar; do
  [ "$j" = "$native_jar" ] || cp "$j" "$input/lib/"
done

say "libtorch: unpacking and stripping $(basename "$native_jar")"
unzip -q -j "$native_jar" 'pytorch/*/linux-x86_64/*' -d "$input/libtorch"
[ -f "$input/libtorch/libtorch.so" ] || die "no libtorch.so inside $native_jar"
strip --strip-unneeded "$input"/libtorch/*.so*
# Same file name as the real jar, so the app jar's manifest Class-Path still finds it; it holds only
# native/lib/pytorch.properties (version, flavour, classifier) that DJL reads to name its cache.
stub="$work/native-stub"
mkdir -p "$stub"
(cd "$stub" && unzip -q "$native_jar" 'native/lib/pytorch.properties' 'META-INF/MANIFEST.MF')
rm -f "$input/lib/$(basename "$native_jar")"
"$jdk_bin/jar" --create --file "$input/lib/$(basename "$native_jar")" --manifest "$stub/META-INF/MANIFEST.MF" -C "$stub" native

command -v python3 >/dev/null || die "python3 not found (needed to repack the jars)"
python3 "$here/repack_jars.py" "$input/$name.jar" "$input"/lib/*.jar

say "smoke model -> $input/smoke"
"$jdk_bin/java" -cp "$target/$name.jar:$target/lib/*" org.robustsam.studio.SmokeModel "$input/smoke/sam_tiny_random.safetensors" >&2

modules=$(grep -v '^\s*#' "$root/installers/runtime-modules.txt" | grep -v '^\s*$' | paste -sd, -)
say "checking the module list with jdeps"
classes="$work/jdeps-classes"
mkdir -p "$classes"
for j in "$input/$name.jar" "$input"/lib/*.jar; do
  unzip -q -o "$j" -x 'module-info.class' 'META-INF/*' '*.so' '*.dll' '*.dylib' '*.jnilib' -d "$classes" 2>/dev/null || true
done
needed=$("$jdk_bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$classes")
for m in ${needed//,/ }; do
  case ",$modules,jdk.jfr," in
    *",$m,"*) ;;
    *) die "jdeps says the app needs module $m, which installers/runtime-modules.txt lacks" ;;
  esac
done
rm -rf "$classes"

say "jlink runtime: $modules"
"$jdk_bin/jlink" --add-modules "$modules" --output "$work/runtime" \
  --strip-debug --no-header-files --no-man-pages --compress=0 \
  --strip-native-debug-symbols=exclude-debuginfo-files

# The same JVM options for both launchers ($APPDIR is lib/app of the installed app).
java_options=(
  -Dstudio.installed=true
  -Dai.djl.offline=true
  -DPYTORCH_FLAVOR=cpu
  '-DPYTORCH_LIBRARY_PATH=$APPDIR/libtorch'
  '-Dstudio.libtorch.bundled=$APPDIR/libtorch'
  '-Dstudio.smoke.model=$APPDIR/smoke/sam_tiny_random.safetensors'
  -XX:MaxRAMPercentage=60
)
cli_props="$work/studio.properties"
{
  echo "main-class=org.robustsam.studio.cli.StudioCli"
  echo "java-options=${java_options[*]}"
  echo "linux-shortcut=false"
  # No icon: JDK 17's jpackage gives every launcher with its own icon a desktop menu entry, whatever
  # linux-shortcut says, and a command-line tool does not belong in the menu.
  echo "icon="
} > "$cli_props"

jp_options=()
for o in "${java_options[@]}"; do jp_options+=(--java-options "$o"); done

# Both packages are made from the same inputs: a .deb made from the finished app image (--app-image)
# would forget the add-launcher properties and give the command line a desktop menu entry too.
app_args=(
  --name "$name" --app-version "$version"
  --vendor "RobustSAM Studio" --copyright "RobustSAM Studio contributors"
  --description "Annotate degraded photos with SAM, MobileSAM and RobustSAM"
  --icon "$root/assets/icons/app-256.png"
  --input "$input" --main-jar "$name.jar" --main-class org.robustsam.studio.Launcher
  --runtime-image "$work/runtime"
  "${jp_options[@]}"
  --add-launcher "studio=$cli_props"
)

say "jpackage app image"
"$jdk_bin/jpackage" --type app-image --dest "$out/app-image" "${app_args[@]}"
say "app image: $out/app-image/$name ($(du -sh "$out/app-image/$name" | cut -f1))"

if [ "${SKIP_DEB:-0}" != 1 ]; then
  command -v dpkg-deb >/dev/null || die "dpkg-deb not found: cannot make the .deb (SKIP_DEB=1 makes the app image only)"
  command -v fakeroot >/dev/null || die "fakeroot not found (apt-get install fakeroot)"
  rm -f "$out"/*.deb
  say "jpackage .deb (compressing libtorch takes a few minutes)"
  "$jdk_bin/jpackage" --type deb --dest "$out" "${app_args[@]}" \
    --resource-dir "$here/resources" \
    --linux-package-name "$name" --linux-deb-maintainer "robustsam-studio@users.noreply.github.com" \
    --linux-menu-group "Graphics" --linux-app-category graphics --linux-shortcut \
    --linux-package-deps "libgtk-3-0, libgl1, libxxf86vm1, libfontconfig1"
  deb=$(ls "$out"/*.deb)
  say "deb: $deb ($(du -h "$deb" | cut -f1), $(stat -c %s "$deb") bytes)"
fi
