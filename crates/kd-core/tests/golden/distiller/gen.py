"""Reference for kd-core's Distiller: five full-batch epochs of PyTorch SGD (momentum 0.9,
Nesterov off, weight decay 1e-3, cosine schedule over the 5 epochs, base lr 0.1) on a 4-5-3 MLP
with the loss 0.7·HintonKD(T=4, soft weight 0.9) + 0.3·CE, starting from fixed weights.
With the whole batch in every step the row order does not matter, so kd's shuffled order
gives the same steps. Run: ~/.cache/kd/torch-2.13.0/bin/python gen.py > cases.json
"""

import json
import math

import torch

torch.manual_seed(7)
n, d, h, k = 12, 4, 5, 3
x = torch.randn(n, d)
y = torch.randint(0, k, (n,))
teacher = torch.randn(n, k) * 2
net = torch.nn.Sequential(torch.nn.Linear(d, h), torch.nn.ReLU(), torch.nn.Linear(h, k))
init = {name: p.detach().clone() for name, p in net.named_parameters()}
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5)
T, soft = 4.0, 0.9
losses = []
for epoch in range(5):
    s = net(x)
    kl = torch.nn.functional.kl_div(
        torch.log_softmax(s / T, 1), torch.softmax(teacher / T, 1), reduction="batchmean"
    )
    kd = (1 - soft) * torch.nn.functional.cross_entropy(s, y) + soft * T * T * kl
    loss = 0.7 * kd + 0.3 * torch.nn.functional.cross_entropy(s, y)
    losses.append(loss.item())
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()

names = {"0.weight": "l0.weight", "0.bias": "l0.bias", "2.weight": "l1.weight", "2.bias": "l1.bias"}
out = {
    "source": f"torch {torch.__version__}",
    "tolerance": 1e-5,
    "x": x.tolist(),
    "y": y.tolist(),
    "teacher": teacher.tolist(),
    "initial": {names[k_]: v.tolist() for k_, v in init.items()},
    "final": {names[k_]: p.detach().tolist() for k_, p in net.named_parameters()},
    "losses": losses,
}
print(json.dumps(out))
