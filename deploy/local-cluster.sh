#!/usr/bin/env bash
# A LearnedActivation cluster on this machine, on loopback only: Redis (membership + reminders), Azurite
# (blob store: grain state, checkpoints, artifacts) and N learnact-silo processes, each on its own ports.
# Authenticated as a real cluster is: a throwaway CA (openssl, under $LEARNACT_CLUSTER_DIR/tls) issues a
# certificate to every silo and one to the client; silos and clients talk mutual TLS and admit only that CA's
# certificates; Redis listens with TLS only and a password (TLS=0 turns all of this off).
#
#   deploy/local-cluster.sh start [N]     build, start Redis, Azurite and N silos (default 3); print how to submit
#   deploy/local-cluster.sh add I         start one more silo with index I (joins and takes queued runs)
#   deploy/local-cluster.sh kill I        kill -9 silo I (a crash: its runs resume elsewhere from their checkpoints)
#   deploy/local-cluster.sh status        what is running
#   deploy/local-cluster.sh env           the variables that point learnact at this cluster
#   deploy/local-cluster.sh stop          stop everything this script started (and nothing else)
#   deploy/local-cluster.sh certificates DIR   a throwaway CA and the secret files deploy/compose.yaml mounts
#
# Settings (environment): LEARNACT_CLUSTER_DIR (state, logs, data; default ./.cluster), LEARNACT_DATA_ROOT (the
# only folder silos read data files from; default $LEARNACT_CLUSTER_DIR/data), REDIS_PORT (6390),
# AZURITE_PORT (10010), SILO_PORT_BASE (11200), GATEWAY_PORT_BASE (30200), DASHBOARD_PORT_BASE (8264: silo I serves
# its dashboard on base + I), SLOTS (runs per silo, 1),
# CONFIGURATION (Release), TLS (1), SKIP_BUILD (1: start what is built), SILO_DLL (the silo to run, default the
# build's; e.g. a ReadyToRun publish: dotnet publish src/Silo -c Release -r linux-x64 --self-contained false
# -p:PublishReadyToRun=true -o DIR, then SKIP_BUILD=1 SILO_DLL=DIR/learnact-silo.dll).
# Missing redis-server / azurite are installed (apt-get / npm) when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
DIR="${LEARNACT_CLUSTER_DIR:-$ROOT/.cluster}"
REDIS_PORT="${REDIS_PORT:-6390}"
AZURITE_PORT="${AZURITE_PORT:-10010}"
SILO_PORT_BASE="${SILO_PORT_BASE:-11200}"
GATEWAY_PORT_BASE="${GATEWAY_PORT_BASE:-30200}"
SLOTS="${SLOTS:-1}"
DASHBOARD_PORT_BASE="${DASHBOARD_PORT_BASE:-8264}"
# Silos read data files only under this folder (a spec names them relative to it, or by an absolute path inside it).
DATA_ROOT="${LEARNACT_DATA_ROOT:-$DIR/data}"
CONFIGURATION="${CONFIGURATION:-Release}"
SILO_DLL="${SILO_DLL:-$ROOT/src/Silo/bin/$CONFIGURATION/net10.0/learnact-silo.dll}"
# Azurite's fixed, public development account (documented by Microsoft; not a secret).
AZURE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
TLS="${TLS:-1}"
TLS_DIR="$DIR/tls"
if [ "$TLS" = 1 ]; then
  # The password is made on first start and kept with the certificates; `env` prints it for the client.
  REDIS="127.0.0.1:$REDIS_PORT,ssl=true,password=$(cat "$TLS_DIR/redis.password" 2>/dev/null || echo unset)"
else
  REDIS="127.0.0.1:$REDIS_PORT"
fi
BLOB="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURE_KEY;BlobEndpoint=http://127.0.0.1:$AZURITE_PORT/devstoreaccount1;"

say() { echo "local-cluster: $*"; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_port() { # port seconds what pidfile
  for _ in $(seq 1 $(($2 * 10))); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    if ! alive "$4"; then say "$3 exited before listening on $1; see $DIR/logs"; return 1; fi
    sleep 0.1
  done
  say "$3 did not listen on 127.0.0.1:$1 within $2 s; see $DIR/logs"; return 1
}

ensure_tools() {
  if ! command -v redis-server >/dev/null; then
    say "installing redis-server (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  if ! command -v azurite-blob >/dev/null; then
    say "installing azurite@3.35.0 (npm -g)"
    npm install -g --silent azurite@3.35.0 >/dev/null
  fi
}

issue() { # dir name extended-key-usage: a key and a certificate signed by the CA in dir
  local dir="$1" name="$2" eku="$3"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=learnact-$name" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=DNS:localhost,DNS:redis,IP:127.0.0.1\n' "$eku" >"$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 30 -sha256 -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
}

make_certificates() { # dir: a throwaway CA (30 days), certificates for silos, a client and Redis, Redis's password
  local dir="$1"
  command -v openssl >/dev/null || { say "openssl is needed for TLS (apt-get install openssl), or run with TLS=0"; exit 1; }
  mkdir -p "$dir"; chmod 700 "$dir"
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=learnact-throwaway-ca" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  issue "$dir" silo serverAuth,clientAuth
  issue "$dir" client clientAuth
  issue "$dir" redis serverAuth
  openssl rand -hex 16 >"$dir/redis.password"
  chmod 600 "$dir"/*.key "$dir/redis.password"
}

ensure_certificates() {
  [ "$TLS" = 1 ] || return 0
  [ -f "$TLS_DIR/ca.crt" ] && return 0
  make_certificates "$TLS_DIR"
  REDIS="127.0.0.1:$REDIS_PORT,ssl=true,password=$(cat "$TLS_DIR/redis.password")"
  say "made a throwaway CA and certificates in $TLS_DIR"
}

compose_secrets() { # dir: what deploy/compose.yaml mounts as secrets, from a throwaway CA
  local dir="$1"
  [ -e "$dir/ca.crt" ] && { say "$dir already holds certificates; remove it to make new ones"; exit 1; }
  make_certificates "$dir"
  openssl rand -hex 16 >"$dir/Tls__CertificatePassword"
  openssl pkcs12 -export -in "$dir/silo.crt" -inkey "$dir/silo.key" -out "$dir/silo.pfx" -passout "file:$dir/Tls__CertificatePassword"
  printf 'redis:6379,ssl=true,password=%s' "$(cat "$dir/redis.password")" >"$dir/Silo__RedisConnectionString"
  printf '%s' "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURE_KEY;BlobEndpoint=http://azurite:10000/devstoreaccount1;" >"$dir/Storage__ConnectionString"
  # Compose bind-mounts secret files with their host modes, and the containers run as other users: the files are
  # readable, the folder (mode 700) keeps other users of this machine out. The CA's key is not needed there.
  rm -f "$dir/ca.key" "$dir/ca.srl" "$dir/silo.key"
  chmod 644 "$dir"/*
  say "wrote the secrets of deploy/compose.yaml to $dir (client: client.crt, client.key; CA: ca.crt)"
}

tls_vars() { # who: silo | client; the LEARNACT_Tls__ settings
  [ "$TLS" = 1 ] || return 0
  echo "LEARNACT_Tls__Enabled=true LEARNACT_Tls__CertificateFile=$TLS_DIR/$1.crt LEARNACT_Tls__KeyFile=$TLS_DIR/$1.key LEARNACT_Tls__CaFile=$TLS_DIR/ca.crt LEARNACT_Tls__RedisCaFile=$TLS_DIR/ca.crt"
}

start_silo() { # index
  local i="$1" pid="$DIR/silo-$1.pid"
  if alive "$pid"; then say "silo $i already running (pid $(cat "$pid"))"; return 0; fi
  mkdir -p "$DIR/silo-$i" "$DATA_ROOT"
  # exec: the pid recorded is the silo's own, so that stop and kill reach it.
  (
    cd "$DIR/silo-$i"
    # shellcheck disable=SC2046 # the settings are words without spaces
    export $(tls_vars silo)
    export LEARNACT_Silo__Clustering=Redis LEARNACT_Silo__RedisConnectionString="$REDIS" \
      LEARNACT_Silo__AdvertisedAddress=127.0.0.1 LEARNACT_Silo__Name="silo-$i" \
      LEARNACT_Silo__SiloPort=$((SILO_PORT_BASE + i)) LEARNACT_Silo__GatewayPort=$((GATEWAY_PORT_BASE + i)) \
      LEARNACT_Silo__LogFile="$DIR/logs/silo-$i.clef" \
      LEARNACT_Storage__Provider=AzureBlob LEARNACT_Storage__ConnectionString="$BLOB" LEARNACT_Storage__Container=learnact \
      LEARNACT_Training__Slots="$SLOTS" LEARNACT_Data__Root="$DATA_ROOT" \
      LEARNACT_Dashboard__Port=$((DASHBOARD_PORT_BASE + i))
    exec dotnet "$SILO_DLL" </dev/null >"$DIR/logs/silo-$i.out" 2>&1
  ) &
  echo $! >"$pid"
  wait_port $((GATEWAY_PORT_BASE + i)) 120 "silo $i" "$pid"
  say "silo $i up: pid $(cat "$pid"), silo port $((SILO_PORT_BASE + i)), gateway $((GATEWAY_PORT_BASE + i))"
}

start() {
  local n="${1:-3}"
  ensure_tools
  mkdir -p "$DIR/logs" "$DIR/azurite"
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    say "building learnact-silo ($CONFIGURATION)"
    dotnet build src/Silo -c "$CONFIGURATION" -nologo -v q >"$DIR/logs/build.out" 2>&1 || { cat "$DIR/logs/build.out"; exit 1; }
  fi
  ensure_certificates
  if ! alive "$DIR/redis.pid"; then
    local secure=()
    if [ "$TLS" = 1 ]; then
      # TLS only (no plain port); clients authenticate with the password (no client certificates for Redis).
      # The password goes in through stdin (a config file read from "-"), never on redis-server's command line.
      secure=(--port 0 --tls-port "$REDIS_PORT" --tls-cert-file "$TLS_DIR/redis.crt" --tls-key-file "$TLS_DIR/redis.key"
        --tls-ca-cert-file "$TLS_DIR/ca.crt" --tls-auth-clients no)
      printf 'requirepass %s\n' "$(cat "$TLS_DIR/redis.password")" | redis-server - --bind 127.0.0.1 "${secure[@]}" \
        --save "" --appendonly no --dir "$DIR" >"$DIR/logs/redis.out" 2>&1 & echo $! >"$DIR/redis.pid"
    else
      redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no --dir "$DIR" \
        </dev/null >"$DIR/logs/redis.out" 2>&1 & echo $! >"$DIR/redis.pid"
    fi
    wait_port "$REDIS_PORT" 20 redis-server "$DIR/redis.pid"
  fi
  say "redis-server on 127.0.0.1:$REDIS_PORT$([ "$TLS" = 1 ] && echo ' (TLS, password)') (pid $(cat "$DIR/redis.pid"))"
  if ! alive "$DIR/azurite.pid"; then
    azurite-blob --blobHost 127.0.0.1 --blobPort "$AZURITE_PORT" --location "$DIR/azurite" \
      --skipApiVersionCheck --disableTelemetry --silent </dev/null >"$DIR/logs/azurite.out" 2>&1 & echo $! >"$DIR/azurite.pid"
    wait_port "$AZURITE_PORT" 30 azurite "$DIR/azurite.pid"
  fi
  say "azurite on 127.0.0.1:$AZURITE_PORT (pid $(cat "$DIR/azurite.pid"))"
  for i in $(seq 1 "$n"); do start_silo "$i"; done
  say "cluster up. Point learnact at it:"
  env_vars
}

env_vars() {
  echo "export LEARNACT_CLUSTER='$REDIS'"
  echo "export LEARNACT_BLOB='$BLOB'"
  for v in $(tls_vars client); do echo "export $v"; done
}

stop_pid() { # pidfile what
  local f="$1"
  if alive "$f"; then
    local p; p="$(cat "$f")"
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && { say "$2 did not stop in 15 s; kill -9"; kill -KILL "$p" 2>/dev/null || true; }
    say "stopped $2 (pid $p)"
  fi
  rm -f "$f"
}

stop() {
  for f in "$DIR"/silo-*.pid; do [ -e "$f" ] && stop_pid "$f" "$(basename "$f" .pid)"; done
  stop_pid "$DIR/azurite.pid" azurite
  stop_pid "$DIR/redis.pid" redis-server
}

status() {
  for f in "$DIR"/redis.pid "$DIR"/azurite.pid "$DIR"/silo-*.pid; do
    [ -e "$f" ] || continue
    if alive "$f"; then echo "$(basename "$f" .pid): running (pid $(cat "$f"))"; else echo "$(basename "$f" .pid): not running"; fi
  done
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  add) [ -n "${2:-}" ] || { echo "usage: $0 add INDEX"; exit 2; }; mkdir -p "$DIR/logs"; start_silo "$2" ;;
  kill) [ -n "${2:-}" ] || { echo "usage: $0 kill INDEX"; exit 2; }
        alive "$DIR/silo-$2.pid" || { say "silo $2 is not running"; exit 1; }
        kill -KILL "$(cat "$DIR/silo-$2.pid")"; say "killed silo $2 (kill -9)"; rm -f "$DIR/silo-$2.pid" ;;
  status) status ;;
  env) env_vars ;;
  stop) stop ;;
  certificates) [ -n "${2:-}" ] || { echo "usage: $0 certificates DIR"; exit 2; }; compose_secrets "$2" ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
