#!/usr/bin/env bash
# Bundles the paper editor (frontend/paper-editor.mjs: Tiptap and ProseMirror from node_modules) into
# one minified file, static/vendor/paper-editor.js. The bundle is committed (about 400 kB), so a clone
# and the Docker image serve it without a build step; tests/test_paper_editor_bundle.py rebuilds it with
# the pinned esbuild and packages and fails if the committed file differs. Run after changing the
# source or the @tiptap versions in package.json.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-static/vendor/paper-editor.js}"
node_modules/esbuild/bin/esbuild frontend/paper-editor.mjs --bundle --minify --format=iife \
  --target=es2020 --legal-comments=none --log-level=warning --outfile="$OUT"
