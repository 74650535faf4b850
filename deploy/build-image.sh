#!/usr/bin/env bash
# Build the container image and check that it answers: docker if its engine runs, else podman.
# Exit 0: built and checked. Exit 3: no container engine can build here (the reason is printed). Other: a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
tag=${1:-madoguchi:check}
engine=""
for candidate in docker podman; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then engine=$candidate; break; fi
done
if [ -z "$engine" ]; then
  echo "build-image: no container engine runs here (docker: $(command -v docker >/dev/null && echo 'client only, no daemon' || echo 'not installed'); podman: $(command -v podman >/dev/null && echo 'not usable' || echo 'not installed'))"
  exit 3
fi
if ! "$engine" build -f deploy/Dockerfile -t "$tag" . ; then
  if ! "$engine" image inspect python:3.11-slim >/dev/null 2>&1; then
    echo "build-image: $engine could not build: the base image python:3.11-slim is not here and cannot be pulled"
    exit 3
  fi
  echo "build-image: $engine build failed"; exit 1
fi
"$engine" run --rm "$tag" madoguchi check-knowledge /app/knowledge >/dev/null || { echo "build-image: knowledge check failed"; exit 1; }
# The wheel's own tests, run in the image: every module of bot/ importable, the dependencies declared, an answer from
# a folder outside /app, and `serve --http` with its state on a real Redis answering a signed mention.
py=python3
[ -x .venv/bin/python ] && py=.venv/bin/python
MADOGUCHI_IMAGE=$tag MADOGUCHI_ENGINE=$engine "$py" -m pytest -q -p no:cacheprovider tests/test_wheel.py -k image \
  || { echo "build-image: the image built but its checks failed"; exit 1; }
echo "build-image: $tag built with $engine; every module imports, it answers, serves Slack on Redis, knowledge clean"
