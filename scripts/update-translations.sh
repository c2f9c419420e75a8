#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Brings the translation files (resources/translations/*.ts) up to date with the source texts.
#   scripts/update-translations.sh          runs lupdate on the committed .ts files; then translate
#                                           the new entries (type="unfinished") in sluice_de.ts
#                                           with Qt Linguist (linguist6) or an editor
#   scripts/update-translations.sh --check  changes nothing; fails when a source text is new,
#                                           changed or gone since the .ts files were updated, or
#                                           when a German entry is unfinished (CTest runs this)
# What is translated (docs/design.md, "Translations"): the window's own texts (src/gui, ui/) and
# the models it shows (src/core/models, with the item status names). The engine's messages stay
# English, as in logs and exported files. This script is the one lupdate command: the build's
# target update_translations and the CTest test translations_current run it.
# LUPDATE: the lupdate to run (default: Qt 6's, found through qtpaths6).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
check=false
[[ ${1:-} == --check ]] && check=true
lupdate=${LUPDATE:-}
if [[ -z $lupdate ]]; then
  lupdate="$(qtpaths6 --query QT_INSTALL_BINS)/lupdate"
fi
[[ -x $lupdate ]] || { echo "update-translations: no lupdate at $lupdate (Debian: qt6-l10n-tools)" >&2; exit 2; }

cd "$root"
sources=(src/gui ui src/core/models)
options=(-locations none -no-obsolete -no-ui-lines -extensions cpp,h,ui -silent)
ts_dir=resources/translations
if $check; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  cp "$ts_dir"/*.ts "$out"/
  ts_dir=$out
fi
# sluice_en.ts only holds the plural forms ("%n item(s)" -> "1 item" / "2 items").
"$lupdate" "${options[@]}" "${sources[@]}" -ts "$ts_dir/sluice_de.ts"
"$lupdate" "${options[@]}" -pluralonly "${sources[@]}" -ts "$ts_dir/sluice_en.ts"
$check || exit 0

status=0
for ts in "$ts_dir"/*.ts; do
  name=$(basename "$ts")
  if ! diff -u "$root/resources/translations/$name" "$ts" > "$out/$name.diff"; then
    echo "resources/translations/$name is out of date with the source texts:" >&2
    grep '^[-+] *<source>' "$out/$name.diff" >&2 || cat "$out/$name.diff" >&2
    status=1
  fi
done
if [[ $status -ne 0 ]]; then
  echo "Run scripts/update-translations.sh, translate the new entries and commit the .ts files." >&2
fi
# Every German entry must be translated; an unfinished one would show English in the window.
unfinished=$(grep -c 'type="unfinished"' "$root/resources/translations/sluice_de.ts" || true)
if [[ $unfinished -ne 0 ]]; then
  echo "resources/translations/sluice_de.ts has $unfinished unfinished entries:" >&2
  grep -B2 'type="unfinished"' "$root/resources/translations/sluice_de.ts" | grep '<source>' >&2 || true
  echo "Translate them (linguist6 resources/translations/sluice_de.ts, or an editor) and drop type=\"unfinished\"." >&2
  status=1
fi
exit $status
