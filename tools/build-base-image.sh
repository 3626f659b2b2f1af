#!/usr/bin/env bash
# Builds the two images the Dockerfiles need without pulling anything from a container registry:
#   tributary/base:bookworm  minimal Debian 12 root file system (libc, libssl, CA certificates, tzdata)
#   tributary/sdk:10.0       the same plus the .NET SDK installed on this machine (for the build stage)
# Uses debootstrap (Debian packages only) and `docker import`. Needs root, debootstrap and docker.
# Then: docker build -f broker-image/Dockerfile --build-arg SDK_IMAGE=tributary/sdk:10.0 \
#         --build-arg BASE_IMAGE=tributary/base:bookworm -t ghcr.io/tributary/tributary:0.1.0 .
set -euo pipefail

SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
BASE_TAG=${BASE_TAG:-tributary/base:$SUITE}
SDK_TAG=${SDK_TAG:-tributary/sdk:10.0}
DOTNET_ROOT=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}

for tool in debootstrap docker tar; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install debootstrap docker.io)" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "run as root: debootstrap needs it" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"

echo "==> debootstrap $SUITE (minbase) into $rootfs"
debootstrap --variant=minbase --include=ca-certificates,libssl3,tzdata "$SUITE" "$rootfs" "$MIRROR"

# The images run as uid/gid 1000 (the broker pods' runAsUser/fsGroup); give that id a name and a home.
chroot "$rootfs" groupadd --gid 1000 tributary
chroot "$rootfs" useradd --uid 1000 --gid 1000 --home-dir /var/lib/tributary --create-home --shell /usr/sbin/nologin tributary
chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*

echo "==> docker import $BASE_TAG"
tar -C "$rootfs" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' - "$BASE_TAG"

echo "==> docker import $SDK_TAG (SDK from $DOTNET_ROOT)"
mkdir -p "$rootfs/usr/share/dotnet"
cp -a "$DOTNET_ROOT"/. "$rootfs/usr/share/dotnet/"
ln -sf /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
tar -C "$rootfs" -c . | docker import \
  --change 'ENV LANG=C.UTF-8 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1' \
  --change 'CMD ["/bin/bash"]' - "$SDK_TAG"

echo "built $BASE_TAG and $SDK_TAG"
