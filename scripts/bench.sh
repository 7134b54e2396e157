#!/usr/bin/env bash
# The benchmarks, each on a private in-memory Azurite on free ports (stopped at the end):
#   scripts/bench.sh [--users N] [--due-percent P]... [--parallelism D] [--connection CS]
#     the scan (issue 3 item 6): seeds N users and runs the real and the naive scan side by side for
#     each due percentage. Defaults: 10,000 users, scenarios 0% and 5% due.
#   scripts/bench.sh pipeline [--users N] [--connections K] [--hold-connections H] [--connection CS] ...
#     the pipeline (issue 13): detection → prompt → push, acks and answers, on the local host and the
#     app's worker; push latency with K SignalR clients, then H connections held. Defaults: 1,000
#     users, 5,000 clients, 10,000 held. Exit code 1 when a prompt is lost, doubled or misrouted.
# With --connection (an emulator's connection string) no Azurite is started; the benchmark drops and
# recreates its tables there.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=scan
if [ "${1:-}" = "pipeline" ]; then mode=pipeline; shift; fi
args=("$@")
connection=""
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[$i]}" = "--connection" ] && [ $((i + 1)) -lt ${#args[@]} ]; then connection="${args[$((i + 1))]}"; fi
done
if [ "$mode" = scan ]; then
  case " $* " in *" --users "*) ;; *) args=(--users 10000 "${args[@]}") ;; esac
else
  # Every SignalR connection is a socket in the host process and another in the clients process.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi

azurite_pid=""
cleanup() { if [ -n "$azurite_pid" ]; then kill "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

if [ -z "$connection" ]; then
  if [ ! -f node_modules/azurite/dist/src/azurite.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing Azurite from package-lock.json..."
    npm ci --no-audit --no-fund --loglevel=error
  fi
  free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
  blob=$(free_port); queue=$(free_port); table=$(free_port)
  node node_modules/azurite/dist/src/azurite.js --inMemoryPersistence --disableTelemetry --silent --skipApiVersionCheck --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$blob" --queuePort "$queue" --tablePort "$table" > /dev/null 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$queue") 2>/dev/null && break
    kill -0 "$azurite_pid" 2>/dev/null || { echo "Azurite exited early." >&2; exit 1; }
    sleep 0.1
  done
  # The emulator's well-known development account key (public, the same in every Azurite).
  key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
  args+=(--connection "$connection")
  echo "Azurite (in memory) on 127.0.0.1: tables :$table, queues :$queue"
fi

if [ "$mode" = pipeline ]; then
  dotnet run -c Release --project CoachFunctions.Benchmarks -- pipeline "${args[@]}"
else
  dotnet run -c Release --project CoachFunctions.Benchmarks -- "${args[@]}"
fi
