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
"$engine" run --rm -e MADOGUCHI_DB=off "$tag" madoguchi ask "二重ローン 宮城" | grep -q "電話 " \
  || { echo "build-image: the image built but did not answer"; exit 1; }
"$engine" run --rm "$tag" madoguchi check-knowledge /app/knowledge >/dev/null || { echo "build-image: knowledge check failed"; exit 1; }
echo "build-image: $tag built with $engine, answers, and its knowledge checks clean"
