#!/usr/bin/env bash
# Debian packages the tests use: a JDK and Maven for the local Kafka broker, kcat as a foreign Kafka client,
# docker-compose (v1) to validate docker-compose.yml, python3-venv for the PyPI clients and runtimes the
# tests install (.cache/python), Go to build the Kubernetes validators (scripts/k8s/install-validator.sh).
# Skips what is already installed.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v kcat >/dev/null 2>&1 || need+=(kcat)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3 python3-venv)
command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ] || need+=(golang-go)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
