#!/usr/bin/env bash
# System packages the test suite needs beyond Node and npm, from Debian's archive, installed only where
# missing so local runs stay fast:
# - chromium, for the playground's browser tests (no test tool may download a browser) and the WebGPU
#   tests' SwiftShader adapter;
# - python3-torch (the system python's PyTorch), for @backprop/io's test that trains an exported model with
#   torch.distributed and loads its weights back, and apps/bench's PyTorch peer, with libopenblas0-openmp
#   (the OpenMP OpenBLAS, which the bench loads: the pthread one fights torch's own thread pool).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
[ -d /usr/lib/x86_64-linux-gnu/openblas-openmp ] || missing+=(libopenblas0-openmp)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "ci: installing Debian's ${missing[*]} for the tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "ci: ${missing[*]} missing and cannot be installed here (needs root and apt-get)" >&2
    exit 1
  fi
fi
