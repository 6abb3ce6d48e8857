#!/usr/bin/env bash
# Install (Debian package) and start a local PostgreSQL on 127.0.0.1:5432 with a role and a
# database for the test suite. Idempotent; needs root (CI and the dev machines run as root).
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -n | tail -n 1)
if ! pg_lsclusters -h | grep -q "^${version} main .* online"; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p 5432 -q && break
  sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='czt'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE czt LOGIN CREATEDB PASSWORD 'czt'\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='czt'\"" | grep -q 1 ||
  su postgres -c "psql -qc 'CREATE DATABASE czt OWNER czt'"
echo "postgresql://czt:czt@127.0.0.1:5432/czt"
