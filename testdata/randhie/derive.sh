#!/usr/bin/env bash
# Re-derives randhie.csv.gz: statsmodels' randhie.csv from Debian's python3-statsmodels 0.13.5+dfsg-7,
# unmodified, gzipped without name or time stamp. Needs apt-get (Debian) and dpkg-deb.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q python3-statsmodels=0.13.5+dfsg-7 && dpkg-deb -x python3-statsmodels_*.deb x)
csv="$work/x/usr/lib/python3/dist-packages/statsmodels/datasets/randhie/randhie.csv"
echo "72755c2540ef4e93f6356e0c2bb1db31  $csv" | md5sum -c --quiet
gzip -9 -n -c "$csv" > "$here/randhie.csv.gz"
