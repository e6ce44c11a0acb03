#!/usr/bin/env bash
# A whole pipeline as separate local processes on loopback — what deploy/compose.yaml runs, without Docker: the voting
# service, N rollout replicas and the learner (`mmupt train`). Logs and PIDs go to the run folder; Ctrl-C stops them
# all (learner first, so it can checkpoint). Without --model it prepares the tiny model and datasets in RUN/models.
#   scripts/run-local.sh [--replicas N] [--run DIR] [--steps N] [--model ONNX_DIR --checkpoint HF_DIR --data DATA_DIR]
# Environment: VOTING_PORT, LEARNER_PORT, ROLLOUT_PORT (first of N; 0 = any free port), LOCAL_MMUPT_DLL (not MMUPT_*:
# that prefix is configuration).
# GPUs: ROLLOUT_GPUS="1 2 3" gives one replica per listed GPU (CUDA_VISIBLE_DEVICES each); LEARNER_GPU=0 the learner's.
set -euo pipefail
cd "$(dirname "$0")/.."
replicas=2 run=runs/local steps=20 model="" checkpoint="" data=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --replicas) replicas="$2" ;; --run) run="$2" ;; --steps) steps="$2" ;;
    --model) model="$2" ;; --checkpoint) checkpoint="$2" ;; --data) data="$2" ;;
    *) echo "error: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift 2
done
read -r -a gpus <<< "${ROLLOUT_GPUS:-}"
[[ ${#gpus[@]} -gt 0 ]] && replicas=${#gpus[@]}
voting_port=${VOTING_PORT:-50052} learner_port=${LEARNER_PORT:-50053} rollout_port=${ROLLOUT_PORT:-50060}
dll=${LOCAL_MMUPT_DLL:-src/MmUpt.Cli/bin/Release/net10.0/linux-x64/mmupt.dll}
[[ -f "$dll" ]] || dotnet build src/MmUpt.Cli -c Release -nologo -v quiet
mmupt() { dotnet "$dll" "$@"; }
mkdir -p "$run/logs" "$run/pids"

if [[ -z "$model" ]]; then
  model="$run/models/onnx" checkpoint="$run/models/hf" data="$run/models/data"
  [[ -f "$checkpoint/config.json" ]] || mmupt init --preset tiny --seed 1 --out "$checkpoint"
  [[ -f "$model/genai_config.json" ]] || mmupt export --checkpoint "$checkpoint" --out "$model" --external-data always --force
  [[ -f "$data/upt.jsonl" ]] || mmupt data synth-tasks --out "$data" --n 1000 --seed 1
fi

pids=()
start() {  # NAME [ENV=VALUE...] -- mmupt ARGS...: starts it in the background, waits until it listens, sets $address
  local name=$1; shift
  local env=(); while [[ $1 != -- ]]; do env+=("$1"); shift; done; shift
  env "${env[@]}" dotnet "$dll" "$@" > "$run/logs/$name.log" 2>&1 &
  pids+=($!); echo $! > "$run/pids/$name.pid"
  until grep -q "listening on" "$run/logs/$name.log"; do
    kill -0 "${pids[-1]}" 2>/dev/null || { echo "error: $name exited: $(tail -n 3 "$run/logs/$name.log")" >&2; exit 1; }
    sleep 0.5
  done
  address=$(grep -o -m 1 "listening on http://[^ ]*" "$run/logs/$name.log"); address=${address#listening on }
  echo "$name: $address (log $run/logs/$name.log)"
}
stop() {  # newest first: the learner checkpoints and stops calling the replicas before they and the voting service go
  trap - INT TERM EXIT
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null && wait "${pids[i]}" 2>/dev/null || true; done
  rm -f "$run"/pids/*.pid
}
trap stop EXIT
trap 'exit 130' INT TERM

start voting -- vote --port "$voting_port" --data "$run/voting"
voting=$address addresses=()
for ((i = 0; i < replicas; i++)); do
  port=$((rollout_port == 0 ? 0 : rollout_port + i)) device=()
  [[ ${#gpus[@]} -gt 0 ]] && device=(CUDA_VISIBLE_DEVICES="${gpus[i]}" MMUPT_Rollout__Device=cuda)
  start "rollout-$i" "${device[@]}" -- rollout --port "$port" --id "rollout-$i" --model "$model" --voting "$voting"
  addresses+=("$address")
done
cat > "$run/recipe.yaml" <<YAML
Train:
  Checkpoint: $checkpoint
  Out: $run/train
  Voting: $voting
  Eval: { Data: $data/eval.jsonl, Limit: 20 }
  Stages:
    - { Kind: Upt, Data: $data/upt.jsonl, Steps: $steps }
YAML
learner_env=(); [[ -n "${LEARNER_GPU:-}" ]] && learner_env=(CUDA_VISIBLE_DEVICES="$LEARNER_GPU" MMUPT_Learner__Device=cuda)
start learner "${learner_env[@]}" -- train --config "$run/recipe.yaml" --resume --port "$learner_port" \
  --rollout "$(IFS=,; echo "${addresses[*]}")"
echo "running; mmupt status --address $address (or any address above); Ctrl-C stops everything"
wait "${pids[-1]}"
