"""Checks a module written by exportPytorch, with Debian's python3-torch.

  run_export.py forward <dir> <name> <input.json> <out.json>
      builds the module, loads its safetensors weights, and writes its eval-mode output for the input
  run_export.py ddp <dir> <name> <out.json>
      trains the module for a few SGD steps with DistributedDataParallel on two processes (gloo backend,
      localhost), each on its own half of a seeded synthetic batch, and writes the trained weights to
      <dir>/<name>.trained.safetensors, the losses, whether the two ranks ended with identical weights,
      and the trained model's output for a probe input
"""
import importlib.util
import json
import os
import sys
from datetime import timedelta

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def load(directory, name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(directory, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build()
    model.load_state_dict(module.load_safetensors(os.path.join(directory, name + ".safetensors")))
    return module, model


def forward(directory, name, input_path, out_path):
    _, model = load(directory, name)
    model.eval()
    with open(input_path) as f:
        spec = json.load(f)
    x = torch.tensor(spec["values"], dtype=torch.float32).reshape(spec["shape"])
    with torch.no_grad():
        y = model(x)
    with open(out_path, "w") as f:
        json.dump({"shape": list(y.shape), "values": y.flatten().tolist()}, f)


def rank_main(rank, world, store, directory, name, out_path):
    torch.set_num_threads(1)
    # Each process's default generator is seeded at random: dropout's masks would differ from run to run
    # (and five steps then do not always lower the loss). A seed per rank makes the run the same every time.
    torch.manual_seed(rank)
    # A file store for the rendezvous: no TCP port to pick (and race for) on a busy machine. A rank that
    # never arrives ends the run with an error after a minute instead of torch's default half hour.
    dist.init_process_group("gloo", init_method=f"file://{store}", rank=rank, world_size=world, timeout=timedelta(seconds=60))
    helpers, model = load(directory, name)
    ddp = torch.nn.parallel.DistributedDataParallel(model)
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(16, 4, generator=g)
    y = torch.randint(0, 3, (16,), generator=g)
    mine = slice(rank * 8, (rank + 1) * 8)
    losses = []
    for _ in range(5):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(ddp(x[mine]), y[mine])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    flat = torch.cat([p.detach().flatten() for p in model.parameters()])
    gathered = [torch.zeros_like(flat) for _ in range(world)]
    dist.all_gather(gathered, flat)
    if rank == 0:
        helpers.save_safetensors(model.state_dict(), os.path.join(directory, name + ".trained.safetensors"))
        model.eval()
        with torch.no_grad():
            probe = model(x[:4])
        with open(out_path, "w") as f:
            json.dump({
                "losses": losses,
                "ranksAgree": all(torch.equal(gathered[0], t) for t in gathered[1:]),
                "probe": {"values": x[:4].flatten().tolist(), "shape": [4, 4]},
                "output": probe.flatten().tolist(),
            }, f)
    dist.destroy_process_group()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "forward":
        forward(*sys.argv[2:6])
    elif command == "ddp":
        directory, name, out_path = sys.argv[2:5]
        store = os.path.join(directory, name + ".rendezvous")
        if os.path.exists(store):
            os.remove(store)
        mp.spawn(rank_main, args=(2, store, directory, name, out_path), nprocs=2, join=True)
    else:
        sys.exit(f"run_export.py: unknown command {command!r}, expected forward or ddp")
