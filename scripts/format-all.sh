#!/usr/bin/env bash
# Formats the whole tree with prettier (.prettierrc.json, .prettierignore) in one commit of its
# own, so that `npm run format:check` (part of `npm test`) passes. Run once on main after the
# branches that edit the same files are merged: a tree-wide reformat on a branch would conflict
# with every other branch. Refuses to run on a dirty tree, so the commit holds formatting only.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain)" ]; then
  echo "format-all: the work tree has uncommitted changes; commit or stash them first" >&2
  exit 1
fi
changed=$(npx prettier --list-different . || true)
if [ -z "$changed" ]; then
  echo "format-all: every file is formatted already"
  exit 0
fi
echo "$changed" | wc -l | xargs echo "format-all: files to format:"
npx prettier --write . > /dev/null
npx prettier --check . > /dev/null
# formatting must not change what the code means: types and lint still pass
npm run --silent typecheck
git add -A
git commit -q -m "Format the tree with prettier (scripts/format-all.sh): layout only, no change of behaviour"
git log --oneline -1
