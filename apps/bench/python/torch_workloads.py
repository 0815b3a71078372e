"""The benchmark workloads on PyTorch's CPU build, timed the way apps/bench/src/measure.ts times the
JavaScript libraries (warm-up by count and time, then the median of the timed steps), so PyTorch's
figures sit in the same table and the same run as everyone else's.

    python3 torch_workloads.py '{"only": ["mlp-train"], "opts": {...MeasureOptions}}'

Prints one line: RESULT {"results": {id: {"ms": .., "reps": ..} | {"unavailable": ..}}, "peakRssMB": ..,
"threads": .., "version": ..}. Random data of the right shapes, as for the other libraries: the figures measure speed.
"""
import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MATMUL_SIZES = [128, 256, 512, 1024]
MLP_BATCH, LENET_BATCH, INFER_BATCH = 64, 32, 256
LSTM = dict(batch=32, seq_len=32, input=16, hidden=64, classes=10)
LR = 0.01


def mlp():
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))


def train_step(model, x, y, optimizer='sgd'):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3) if optimizer == 'adam' else torch.optim.SGD(model.parameters(), lr=LR)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    return step


def matmul(n):
    a, b = torch.randn(n, n), torch.randn(n, n)
    return lambda: torch.mm(a, b)


def mlp_train():
    return train_step(mlp(), torch.randn(MLP_BATCH, 784), torch.randint(0, 10, (MLP_BATCH,)))


def lenet_train():
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    return train_step(model, torch.randn(LENET_BATCH, 1, 28, 28), torch.randint(0, 10, (LENET_BATCH,)))


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(LSTM['input'], LSTM['hidden'], batch_first=True)
        self.dense = nn.Linear(LSTM['hidden'], LSTM['classes'])

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.dense(out[:, -1])


def lstm_train():
    x = torch.randn(LSTM['batch'], LSTM['seq_len'], LSTM['input'])
    return train_step(LstmClassifier(), x, torch.randint(0, LSTM['classes'], (LSTM['batch'],)))


def mlp_infer(batch):
    model, x = mlp().eval(), torch.randn(batch, 784)

    def step():
        with torch.no_grad():
            model(x)

    return step


WORKLOADS = {
    **{f'matmul-{n}': (lambda n=n: matmul(n)) for n in MATMUL_SIZES},
    'mlp-train': mlp_train,
    'mlp-train-adam': lambda: train_step(mlp(), torch.randn(MLP_BATCH, 784), torch.randint(0, 10, (MLP_BATCH,)), 'adam'),
    'lenet-train': lenet_train,
    'lstm-train': lstm_train,
    'mlp-infer-1': lambda: mlp_infer(1),
    f'mlp-infer-{INFER_BATCH}': lambda: mlp_infer(INFER_BATCH),
}


def loaded_blas():
    """The BLAS library this process mapped (after a matmul has run), e.g. the OpenMP or pthread OpenBLAS."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    with open('/proc/self/maps') as f:
        paths = {line.split()[-1] for line in f if 'blas' in line.lower() and line.split()[-1].startswith('/')}
    return ', '.join(sorted(os.path.realpath(p) for p in paths)) or 'none mapped (torch built without an external BLAS)'


def measure(step, opts):
    """Median milliseconds per step, with measure.ts's rules for warm-up and repetitions."""
    now = lambda: time.perf_counter() * 1000
    warmup_end = now() + opts['warmupMs']
    i = 0
    while i < opts['warmup'] or now() < warmup_end:
        step()
        i += 1
    times, start = [], now()
    while len(times) < opts['maxReps'] and (len(times) < opts['minReps'] or now() - start < opts['budgetMs']):
        t0 = now()
        step()
        times.append(now() - t0)
    return {'ms': statistics.median(times), 'reps': len(times)}


def main():
    request = json.loads(sys.argv[1])
    torch.manual_seed(0)
    threads = request.get('threads') or os.cpu_count() or 1
    torch.set_num_threads(threads)
    results = {}
    for wid in request['only']:
        make = WORKLOADS.get(wid)
        results[wid] = measure(make(), request['opts']) if make else {'unavailable': f'unknown workload {wid}'}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print('RESULT ' + json.dumps({'results': results, 'peakRssMB': peak, 'threads': threads, 'version': torch.__version__, 'blas': loaded_blas()}), flush=True)


if __name__ == '__main__':
    main()
