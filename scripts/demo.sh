#!/usr/bin/env bash
# The main job: build the CLI in Release and run `mmupt demo` (tiny Qwen2.5-VL → SFT warm start → UPT in three arms →
# held-out evaluation → report). Flags pass through: `bash scripts/demo.sh --quick --out runs/demo-quick --seed 2`.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/MmUpt.Cli -c Release -nologo -v quiet
exec dotnet src/MmUpt.Cli/bin/Release/net10.0/linux-x64/mmupt.dll demo "$@"
