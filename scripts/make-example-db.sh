#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates resources/example/sensors.db from resources/example/sensors.sql.
# Run it after editing the .sql; commit both files. Needs the sqlite3 command-line tool.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
sql="$root/resources/example/sensors.sql"
db="$root/resources/example/sensors.db"

if ! command -v sqlite3 >/dev/null 2>&1; then
    echo "make-example-db.sh: sqlite3 not found; install it (Debian/Ubuntu: apt-get install sqlite3)" >&2
    exit 1
fi

# Build beside the target and rename, so a failed run never leaves a half-written database.
tmp="$db.tmp.$$"
trap 'rm -f "$tmp"' EXIT INT TERM
rm -f "$tmp"
sqlite3 -batch -bail "$tmp" <"$sql"
rows=$(sqlite3 -batch "$tmp" 'PRAGMA integrity_check; SELECT count(*) FROM sensors;' | tail -n 1)
mv "$tmp" "$db"
echo "wrote $db ($rows rows)"
