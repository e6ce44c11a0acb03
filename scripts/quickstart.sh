#!/usr/bin/env bash
# What works today, end to end on the embedded default (until `mmupt demo` exists): build, write the tiny
# Qwen2.5-VL checkpoint, export it for ORT GenAI, render the synthetic tasks, evaluate the (untrained) model, and let
# it write new questions. Everything lands in runs/quickstart (or $1).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/quickstart}"

dotnet build src/MmUpt.Cli -c Release -nologo -v quiet
mmupt() { dotnet src/MmUpt.Cli/bin/Release/net10.0/linux-x64/mmupt.dll "$@"; }

mmupt init --preset tiny --out "$out/hf" --seed 1
mmupt export --checkpoint "$out/hf" --out "$out/onnx" --force
mmupt data synth-tasks --out "$out/data" --n 300 --seed 1
mmupt eval --model "$out/onnx" --data "$out/data/eval.jsonl" --samples 4 --limit 20 --out "$out/eval"
mmupt synth --strategy direct --model "$out/onnx" --data "$out/data/upt.jsonl" --limit 10 --out "$out/synth.jsonl"
echo "quickstart done: see $out"
