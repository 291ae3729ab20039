#!/usr/bin/env bash
# Follows a document's walk literally: in the section between the heading
# `## From an empty file to rows in the database` and the next `## ` heading,
# every ```c block is saved under the file name its first line gives
# (`/* NAME.c: ... */`), and every ```bash block runs, in order, in one shell
# with `set -e`, in an empty directory. Exit status: the walk's.
#
#   scripts/doc-walk.sh [docs/writing-a-plugin.md] [WORKDIR]
#
# The caller provides what the walk assumes: pqcrypta-collector on PATH,
# pkg-config finding pqcrypta-plugin, and the database settings (DB_*, PG*).
set -euo pipefail
doc=${1:-$(dirname "$0")/../docs/writing-a-plugin.md}
work=${2:-$(mktemp -d)}
mkdir -p "$work"
python3 - "$doc" "$work" <<'PY'
import re, sys, os
doc, work = sys.argv[1], sys.argv[2]
text = open(doc).read()
m = re.search(r'^## From an empty file to rows in the database\n(.*?)(?=^## |\Z)', text, re.S | re.M)
if not m:
    sys.exit(f"{doc}: no walk section")
script = ["set -euo pipefail"]
for lang, body in re.findall(r'^```(\w*)\n(.*?)^```', m.group(1), re.S | re.M):
    if lang == "c":
        name = re.match(r'/\* *([\w.-]+\.c)\b', body)
        if not name:
            sys.exit(f"{doc}: a c block without its file name on the first line")
        open(os.path.join(work, name.group(1)), "w").write(body)
    elif lang == "bash":
        script += [f"echo '+ step {len(script)}' >&2", body]
open(os.path.join(work, "walk.sh"), "w").write("\n".join(script) + "\n")
PY
cd "$work"
exec bash -x ./walk.sh
