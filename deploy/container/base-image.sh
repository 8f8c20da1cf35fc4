#!/usr/bin/env bash
# Makes a local base image with a Java 21 runtime (Debian trixie, openjdk-21-jre-headless) from the Debian
# mirror alone, for machines that reach no image registry: the Dockerfile's BASE_IMAGE where the default
# eclipse-temurin:21-jre cannot be pulled. Needs root, debootstrap and podman; does nothing when the image
# exists. The root file system is kept as a tarball under ~/.cache/conveyor, so a machine whose podman
# storage is fresh imports it in seconds instead of bootstrapping again (about 80 s).
#   deploy/container/base-image.sh [image name, default conveyor-base:local]
set -euo pipefail
image="${1:-conveyor-base:local}"
suite=trixie
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/conveyor"
tarball="$cache/base-$suite-openjdk-21-jre.tar"

if podman image exists "$image"; then exit 0; fi
if [ ! -f "$tarball" ]; then
  command -v debootstrap > /dev/null || { echo "base-image.sh: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  mkdir -p "$cache"
  root="$(mktemp -d)"
  trap 'rm -rf "$root"' EXIT
  debootstrap --variant=minbase --include=openjdk-21-jre-headless "$suite" "$root" "$mirror" > "$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  # package downloads and indexes serve no image: a third of the tree
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/*
  tar -C "$root" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
fi
podman import --quiet --change 'CMD ["java", "-version"]' "$tarball" "$image" > /dev/null
