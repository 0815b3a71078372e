// The fixed part of the Python file exportPytorch writes: imports, the few modules backprop has that
// torch.nn lacks (each keeps PyTorch's parameter names), and a safetensors reader and writer.

export const PYTHON_PRELUDE = `# Written by @backprop/io exportPytorch: the backprop model's architecture as a torch.nn.Module with the
# same state_dict names. Load its weights with
#     model = build(); model.load_state_dict(load_safetensors("<name>.safetensors"))
# and bring trained weights back to backprop with save_safetensors(model.state_dict(), path) and loadWeights.
import json
import struct

import torch
from torch import nn
`;

export const PYTHON_HELPERS = `
_DTYPES = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64, "BOOL": torch.bool}
_NAMES = {v: k for k, v in _DTYPES.items()}


def load_safetensors(path):
    """A safetensors file as a dict of tensors (the format's reader, for machines without safetensors)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    base = 8 + n
    out = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        dtype = _DTYPES[info["dtype"]]
        raw = bytearray(data[base + start : base + end])
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out


def save_safetensors(state, path):
    """Writes a state_dict in the safetensors format (int64 counters as I64, as torch keeps them)."""
    header, blobs, offset = {}, [], 0
    for name in sorted(state):
        t = state[name].detach().cpu().contiguous()
        raw = t.numpy().tobytes()
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


class Residual(nn.Module):
    """x + module(x), as backprop's Residual (parameters under "module.")."""

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        return x + self.module(x)


class Reshape(nn.Module):
    """Reshapes each sample (the batch dimension is kept), as backprop's Reshape."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape((x.shape[0],) + self.shape)


class LastTimeStep(nn.Module):
    """The last time step of a recurrent layer's output (its (output, state) pair or the output alone)."""

    def __init__(self, batch_first=True):
        super().__init__()
        self.batch_first = batch_first

    def forward(self, x):
        if isinstance(x, tuple):
            x = x[0]
        return x[:, -1] if self.batch_first else x[-1]


class RNNOutputOnly(nn.RNN):
    def forward(self, x, h=None):
        return super().forward(x, h)[0]


class LSTMOutputOnly(nn.LSTM):
    def forward(self, x, h=None):
        return super().forward(x, h)[0]


class GRUOutputOnly(nn.GRU):
    def forward(self, x, h=None):
        return super().forward(x, h)[0]
`;
