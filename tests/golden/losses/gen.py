"""Reference values and gradients of kd's distillation losses (kd_core::loss), from PyTorch.

Run with kd's Python (torch==2.13.0, pinned in xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/losses/gen.py
Writes cases.json beside this file: for every case its inputs, the loss value and the gradient
of the loss with respect to the student's input, in float32. The reference losses restate the
published definitions the way torchdistill 1.x (KDLoss) and RepDistiller (AT, NST, SP, PKT,
RKD) compute them; kd must agree within 1e-5.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)


def kd_torchdistill(s, t, y, temperature, alpha=None, beta=None, reduction="batchmean"):
    soft = F.kl_div(torch.log_softmax(s / temperature, dim=1), torch.softmax(t / temperature, dim=1),
                    reduction=reduction)
    if alpha is None or alpha == 0 or y is None:
        return soft
    beta = 1 - alpha if beta is None else beta
    hard = F.cross_entropy(s, y, reduction="mean" if reduction == "batchmean" else reduction)
    return alpha * hard + beta * temperature ** 2 * soft


def soft_bce(s, t, temperature):
    q = torch.sigmoid(t / temperature)
    return F.binary_cross_entropy_with_logits(s / temperature, q) * temperature ** 2


def attention(fs, ft, p=2.0, beta=1000.0):
    def amap(f):
        return F.normalize(f.pow(p).mean(1).flatten(1), dim=1)
    return beta / 2 * sum((amap(a) - amap(b)).pow(2).mean() for a, b in zip(fs, ft))


def nst(fs, ft, kernel):
    def k(a, b):
        dot = torch.bmm(b, a.transpose(1, 2))
        if kernel == "poly":
            return dot.pow(2).mean()
        if kernel == "linear":
            return dot.mean()
        na, nb = a.pow(2).sum(2), b.pow(2).sum(2)
        return torch.exp(-(na.unsqueeze(1) + nb.unsqueeze(2) - 2 * dot) / 2.0).mean()
    total = 0
    for a, b in zip(fs, ft):
        a, b = F.normalize(a.flatten(2), dim=2), F.normalize(b.flatten(2), dim=2)
        total = total + k(b, b).detach() + k(a, a) - 2 * k(a, b)
    return total


def sp(s, t):
    def gram(f):
        f = f.flatten(1)
        return F.normalize(f @ f.t())
    n = s.shape[0]
    return (gram(t) - gram(s)).pow(2).sum() / (n * n)


def pkt(s, t, eps=1e-7):
    def cond(f):
        f = f.flatten(1)
        f = f / (f.pow(2).sum(1, keepdim=True).sqrt() + eps)
        m = (f @ f.t() + 1) / 2
        return m / m.sum(1, keepdim=True)
    p, q = cond(s), cond(t)
    return (q * torch.log((q + eps) / (p + eps))).mean()


def rkd(s, t, wd=25.0, wa=50.0):
    def pdist(e):
        sq = e.pow(2).sum(1)
        d = (sq.unsqueeze(1) + sq.unsqueeze(0) - 2 * e @ e.t()).clamp(min=1e-12).sqrt().clone()
        d[range(len(e)), range(len(e))] = 0
        return d / d[d > 0].mean()

    def angles(e):
        diff = F.normalize(e.unsqueeze(0) - e.unsqueeze(1), p=2, dim=2)
        return torch.bmm(diff, diff.transpose(1, 2)).view(-1)
    s, t = s.flatten(1), t.flatten(1).detach()
    return wd * F.smooth_l1_loss(pdist(s), pdist(t)) + wa * F.smooth_l1_loss(angles(s), angles(t))


def tensor(x):
    return {"shape": list(x.shape), "data": x.detach().reshape(-1).tolist()}


cases = []


def case(name, loss, inputs, params):
    s = inputs["s"]
    ss = s if isinstance(s, list) else [s]
    for x in ss:
        x.requires_grad_(True)
    value = loss()
    value.backward()
    entry = {"name": name, "params": params, "value": value.item(),
             "grad": [tensor(x.grad) for x in ss]}
    for key, v in inputs.items():
        entry[key] = [tensor(x) for x in v] if isinstance(v, list) else tensor(v)
    cases.append(entry)


s, t = torch.randn(8, 5), torch.randn(8, 5) * 2
y = torch.randint(0, 5, (8,))
for alpha, beta in [(None, None), (0.1, None), (0.5, 0.7), (0.0, None)]:
    sc = s.clone()
    case(f"kd alpha={alpha} beta={beta}", lambda: kd_torchdistill(sc, t, y, 4.0, alpha, beta),
         {"s": sc, "t": t, "y": y.float()}, {"temperature": 4.0, "alpha": alpha, "beta": beta})
sc = s.clone()
case("kd sum", lambda: kd_torchdistill(sc, t, y, 2.0, 0.3, None, "sum"), {"s": sc, "t": t, "y": y.float()},
     {"temperature": 2.0, "alpha": 0.3, "beta": None, "reduction": "sum"})
sb, tb = torch.randn(10), torch.randn(10) * 3
case("soft bce", lambda: soft_bce(sb, tb, 2.0), {"s": sb, "t": tb}, {"temperature": 2.0})
sm, tm = torch.randn(6, 3), torch.randn(6, 3)
case("mse", lambda: F.mse_loss(sm, tm), {"s": sm, "t": tm}, {})

fs = [torch.randn(4, 3, 5, 5), torch.randn(4, 6, 3, 3)]
ft = [torch.randn(4, 8, 5, 5), torch.randn(4, 2, 3, 3)]
case("attention", lambda: attention(fs, ft), {"s": fs, "t": ft}, {"p": 2.0, "beta": 1000.0})
for kernel in ["poly", "linear", "gaussian"]:
    fsc = [f.detach().clone() for f in fs]
    case(f"nst {kernel}", lambda: nst(fsc, ft, kernel), {"s": fsc, "t": ft}, {"kernel": kernel})

hs, ht = torch.randn(6, 4, 3, 3), torch.randn(6, 7, 3, 3)
weight, bias = torch.randn(7, 4, 1, 1) * 0.3, torch.randn(7) * 0.1
case("hint conv1x1", lambda: F.mse_loss(F.conv2d(hs, weight, bias), ht),
     {"s": hs, "t": ht, "weight": weight, "bias": bias}, {})
ls, lt = torch.randn(6, 4), torch.randn(6, 9)
lw, lb = torch.randn(9, 4) * 0.3, torch.randn(9) * 0.1
case("hint linear", lambda: F.mse_loss(F.linear(ls, lw, lb), lt), {"s": ls, "t": lt, "weight": lw, "bias": lb}, {})

rs, rt = torch.randn(7, 2, 3), torch.randn(7, 10)
case("similarity preserving", lambda: sp(rs, rt), {"s": rs, "t": rt}, {})
rs2 = rs.detach().clone()
case("pkt", lambda: pkt(rs2, rt), {"s": rs2, "t": rt}, {})
rs3 = rs.detach().clone()
case("rkd", lambda: rkd(rs3, rt), {"s": rs3, "t": rt}, {})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
with open(out, "w") as f:
    json.dump({"source": f"PyTorch {torch.__version__}", "tolerance": 1e-5, "cases": cases}, f)
print(f"wrote {len(cases)} cases to {out}")
