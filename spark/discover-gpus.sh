#!/usr/bin/env bash
# Spark's GPU resource discovery for d2l-cl executors (spark.executor.resource.gpu.discoveryScript):
# prints {"name": "gpu", "addresses": ["0", "1", ...]}, one address per OpenCL GPU of this machine in
# the order `d2l-cl devices` lists them; a task given address k runs on the k-th of those GPUs.
# D2LCL_CLI_JAR: the command-line jar (d2l-cl-VERSION-cli.jar).
set -euo pipefail
count=$(java -jar "${D2LCL_CLI_JAR:?set D2LCL_CLI_JAR to the d2l-cl command-line jar}" devices | grep -c '^[0-9]\+ \+GPU ' || true)
addresses=""
for ((k = 0; k < count; k++)); do
    addresses+="${addresses:+, }\"$k\""
done
printf '{"name": "gpu", "addresses": [%s]}\n' "$addresses"
