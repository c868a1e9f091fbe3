#!/usr/bin/env bash
# Installs the Debian packages of the given groups (see deps/debian-packages.txt) that are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
groups=" $* "
want=()
while read -r pkg group; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  [[ "$groups" == *" $group "* ]] || continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || want+=("$pkg")
done < deps/debian-packages.txt
[ ${#want[@]} -eq 0 ] && exit 0
echo "Installing missing Debian packages: ${want[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${want[@]}"
