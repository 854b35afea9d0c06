"""PyTorch side of `cargo bench --bench kd`: the same MLP, data, loss, optimiser, batch size and
thread count as kd's Distiller, in a plain training loop (shuffled batches by index, Hinton's
loss as torchdistill's KDLoss with alpha = 0.1 on the cross-entropy and beta = 0.9 on the
T^2-scaled KL, Adam, `loss.item()` every step as kd reads every loss). Prints one JSON line.

Usage: kd_torch.py DIR N THREADS DEVICE SEED   (DIR holds x.f64 (N x 784) and teacher.f64 (N x 10));
one run, seeded by SEED (the Rust side alternates runs with kd's).
"""

import json
import sys
import time

import numpy as np
import torch

folder, n, threads, device, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
torch.set_num_threads(threads)
x = torch.from_numpy(np.fromfile(f"{folder}/x.f64").reshape(n, 784).astype(np.float32)).to(device)
teacher = torch.from_numpy(np.fromfile(f"{folder}/teacher.f64").reshape(n, 10).astype(np.float32)).to(device)
y = teacher.argmax(1)
T, soft, epochs, batch = 4.0, 0.9, 3, 128

best = 0.0
for run in [seed]:
    torch.manual_seed(run)
    net = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)
    ).to(device)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    start = time.perf_counter()
    for epoch in range(epochs):
        order = torch.randperm(n, device=device)
        for i in range(0, n, batch):
            rows = order[i : i + batch]
            s = net(x.index_select(0, rows))
            t, yb = teacher.index_select(0, rows), y.index_select(0, rows)
            kl = torch.nn.functional.kl_div(torch.log_softmax(s / T, 1), torch.softmax(t / T, 1), reduction="batchmean")
            loss = (1 - soft) * torch.nn.functional.cross_entropy(s, yb) + soft * T * T * kl
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss.item()
    best = max(best, n * epochs / (time.perf_counter() - start))
print(json.dumps({"rows_per_second": best, "torch": torch.__version__}))
