#!/usr/bin/env bash
# A whole pipeline as separate local processes on loopback — what deploy/compose.yaml runs, without Docker: the voting
# service, N rollout replicas and the learner (`mmupt train`). Logs and PIDs go to the run folder; Ctrl-C stops them
# all (learner first, so it can checkpoint). Without --model it prepares the tiny model and datasets in RUN/models.
#   scripts/run-local.sh [--replicas N] [--run DIR] [--steps N] [--model ONNX_DIR --checkpoint HF_DIR --data DATA_DIR]
#                        [--credentials DIR] [-- TRAIN_FLAGS...]
# Flags after -- go to `mmupt train` (e.g. -- --prompts-per-step 4 --group-size 4). --credentials DIR (made by
# scripts/make-credentials.sh) secures every process: TLS with client certificates, https:// addresses, the token.
# Scaling while it runs (from another shell): the learner reads its replicas from RUN/replicas.txt, re-read every second
# (Train:Replicas:File), so
#   scripts/run-local.sh scale N [--run DIR]
# starts replicas until N run (each joins once it listens) or takes the newest out of the file, waits until the learner
# has let them go, and stops them with SIGTERM (in-flight groups finish; anything cut is retried on another replica).
# Environment: VOTING_PORT, LEARNER_PORT, ROLLOUT_PORT (first of N; 0 = any free port), LOCAL_MMUPT_DLL (not MMUPT_*:
# that prefix is configuration).
# GPUs: ROLLOUT_GPUS="1 2 3" gives one replica per listed GPU (CUDA_VISIBLE_DEVICES each); LEARNER_GPU=0 the learner's.
set -euo pipefail
cd "$(dirname "$0")/.."
action=run
[[ ${1:-} == scale ]] && { action=scale; target=${2:?usage: run-local.sh scale N [--run DIR]}; shift 2; }
replicas=2 run=runs/local steps=20 model="" checkpoint="" data="" credentials="" train_flags=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --replicas) replicas="$2" ;; --run) run="$2" ;; --steps) steps="$2" ;;
    --model) model="$2" ;; --checkpoint) checkpoint="$2" ;; --data) data="$2" ;; --credentials) credentials="$2" ;;
    --) shift; train_flags=("$@"); break ;;
    *) echo "error: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift 2
done
read -r -a gpus <<< "${ROLLOUT_GPUS:-}"
[[ ${#gpus[@]} -gt 0 ]] && replicas=${#gpus[@]}
voting_port=${VOTING_PORT:-50052} learner_port=${LEARNER_PORT:-50053} rollout_port=${ROLLOUT_PORT:-50060}
dll=${LOCAL_MMUPT_DLL:-src/MmUpt.Cli/bin/Release/net10.0/linux-x64/mmupt.dll}
members="$run/replicas.txt"

secure() {  # the credential flags of every process (servers also require client certificates); none without --credentials
  security=()
  [[ -z "$credentials" ]] && return 0
  security=(--tls-cert "$credentials/tls.crt" --tls-key "$credentials/tls.key" --tls-ca "$credentials/ca.crt"
            --tls-client-ca "$credentials/ca.crt" --token-file "$credentials/token")
}
start() {  # NAME [ENV=VALUE...] -- mmupt ARGS...: starts it in the background, waits until it listens, sets $address and $pid
  local name=$1; shift
  local env=(); while [[ $1 != -- ]]; do env+=("$1"); shift; done; shift
  # Its own session: a Ctrl-C meant for `scale` does not reach the replicas it started.
  setsid env "${env[@]}" dotnet "$dll" "$@" > "$run/logs/$name.log" 2>&1 &
  pid=$!; echo $pid > "$run/pids/$name.pid"
  until grep -q "listening on" "$run/logs/$name.log"; do
    kill -0 $pid 2>/dev/null || { echo "error: $name exited: $(tail -n 3 "$run/logs/$name.log")" >&2; exit 1; }
    sleep 0.5
  done
  address=$(grep -o -m 1 "listening on https\?://[^ ]*" "$run/logs/$name.log"); address=${address#listening on }
  echo "$name: $address (log $run/logs/$name.log)"
}
terminate() {  # NAME: SIGTERM, then wait until it has gone (children are reaped; replicas started by `scale` are not ours)
  local file="$run/pids/$1.pid"; [[ -f $file ]] || return 0
  local p; p=$(cat "$file")
  kill -TERM "$p" 2>/dev/null && { wait "$p" 2>/dev/null || true; while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; }
  rm -f "$file"
}
start_replica() {  # INDEX: starts rollout-INDEX against the voting service of the run
  local i=$1 port=$((rollout_port == 0 ? 0 : rollout_port + $1)) device=()
  [[ ${#gpus[@]} -gt $i ]] && device=(CUDA_VISIBLE_DEVICES="${gpus[i]}" MMUPT_Rollout__Device=cuda)
  # Weights versions only from the learner's store (what it announces: the absolute OUT/weights).
  start "rollout-$i" "${device[@]}" -- rollout --port "$port" --id "rollout-$i" --model "$model" --voting "$voting" \
    --weights-source "$(realpath -m "$run/train/weights")" "${security[@]}"
}
write_members() {  # ADDRESS...: replaces the membership file in one rename, so the learner never reads half of it
  printf '%s\n' "$@" > "$members.tmp" && mv "$members.tmp" "$members"
}

if [[ $action == scale ]]; then
  [[ -f "$run/pipeline.env" ]] || { echo "error: no pipeline runs in $run (start scripts/run-local.sh --run $run first)" >&2; exit 2; }
  source "$run/pipeline.env"
  secure
  mapfile -t current < <(grep -v '^\s*$' "$members")
  if (( target > ${#current[@]} )); then
    for ((i = ${#current[@]}; i < target; i++)); do start_replica "$i"; current+=("$address"); write_members "${current[@]}"; done
  elif (( target < ${#current[@]} && target >= 1 )); then
    write_members "${current[@]:0:target}"
    # Two re-reads of the file (Train:Replicas:ResolveInterval, 1 s): no new group goes to the leaving replicas.
    sleep 2
    for ((i = ${#current[@]} - 1; i >= target; i--)); do terminate "rollout-$i"; echo "rollout-$i: stopped"; done
  elif (( target < 1 )); then
    echo "error: scale to at least 1 replica" >&2; exit 2
  fi
  echo "scaled to $target replica(s)"
  exit 0
fi

[[ -z "$credentials" ]] || credentials=$(realpath "$credentials")
secure
[[ -f "$dll" ]] || dotnet build src/MmUpt.Cli -c Release -nologo -v quiet
mmupt() { dotnet "$dll" "$@"; }
mkdir -p "$run/logs" "$run/pids"
if [[ -z "$model" ]]; then
  model="$run/models/onnx" checkpoint="$run/models/hf" data="$run/models/data"
  [[ -f "$checkpoint/config.json" ]] || mmupt init --preset tiny --seed 1 --out "$checkpoint"
  [[ -f "$model/genai_config.json" ]] || mmupt export --checkpoint "$checkpoint" --out "$model" --external-data always --force
  [[ -f "$data/upt.jsonl" ]] || mmupt data synth-tasks --out "$data" --n 1000 --seed 1
fi

stop() {  # newest first: the learner checkpoints and stops calling the replicas before they and the voting service go
  trap - INT TERM EXIT
  terminate learner
  for f in $(ls -r "$run"/pids/rollout-*.pid 2>/dev/null); do terminate "$(basename "$f" .pid)"; done
  terminate voting
}
trap stop EXIT
trap 'exit 130' INT TERM

start voting -- vote --port "$voting_port" --data "$run/voting" "${security[@]}"
voting=$address addresses=()
for ((i = 0; i < replicas; i++)); do start_replica "$i"; addresses+=("$address"); done
write_members "${addresses[@]}"
# What `scale` needs to start more replicas like these.
printf 'voting=%q model=%q rollout_port=%q dll=%q credentials=%q\n' "$voting" "$model" "$rollout_port" "$dll" "$credentials" > "$run/pipeline.env"
cat > "$run/recipe.yaml" <<YAML
Train:
  Checkpoint: $checkpoint
  Out: $run/train
  Voting: $voting
  Replicas: { File: $members, ResolveInterval: "00:00:01" }
  Eval: { Data: $data/eval.jsonl, Limit: 20 }
  Stages:
    - { Kind: Upt, Data: $data/upt.jsonl, Steps: $steps }
YAML
learner_env=(); [[ -n "${LEARNER_GPU:-}" ]] && learner_env=(CUDA_VISIBLE_DEVICES="$LEARNER_GPU" MMUPT_Learner__Device=cuda)
start learner "${learner_env[@]}" -- train --config "$run/recipe.yaml" --resume --port "$learner_port" "${security[@]}" "${train_flags[@]}"
learner=$pid
echo "running; mmupt status --address $address (or any address above); scripts/run-local.sh scale N --run $run; Ctrl-C stops everything"
wait $learner
