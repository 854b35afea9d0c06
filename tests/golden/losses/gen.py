"""Reference values and gradients of kd's distillation losses (kd_core::loss), from PyTorch.

Run with kd's Python (torch==2.13.0, pinned in xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/losses/gen.py
Writes cases.json beside this file: for every case its inputs, the loss value and the gradient
of the loss with respect to the student's input (and to a learnable adaptor's weight and bias
where there is one), in float32. The reference losses restate the published definitions the way
torchdistill 1.x (KDLoss) and RepDistiller (AT, NST, SP, PKT, RKD, CRD) compute them, and Gupta
et al.'s (2016) cross-modal L2; kd must agree within 1e-5. Under "crd": two steps of one CRD
module (fixed heads and memory banks, given idx and contrast_idx) with the loss, the
normalisation constants, the gradients with respect to f_s, f_t and both heads, and the memory
banks after each step's momentum update.
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


def case(name, loss, inputs, params, trained=()):
    s = inputs["s"]
    ss = s if isinstance(s, list) else [s]
    for x in ss + list(trained):
        x.requires_grad_(True)
    value = loss()
    value.backward()
    entry = {"name": name, "params": params, "value": value.item(),
             "grad": [tensor(x.grad) for x in ss]}
    if trained:
        entry["param_grads"] = [tensor(x.grad) for x in trained]
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


def cross_modal(s, t, reduction):
    """Gupta et al. 2016: half the squared L2 distance to the (detached) teacher's features."""
    half_sq = 0.5 * (s - t.detach()).pow(2)
    if reduction == "batchmean":
        return half_sq.sum() / s.shape[0]
    return half_sq.mean() if reduction == "mean" else half_sq.sum()


cs, ct = torch.randn(6, 8), torch.randn(6, 8)
case("cross modal identity", lambda: cross_modal(cs, ct, "batchmean"), {"s": cs, "t": ct},
     {"adaptor": None, "reduction": "batchmean"})
xs, xt = torch.randn(6, 5), torch.randn(6, 7)
xw, xb = torch.randn(7, 5) * 0.3, torch.randn(7) * 0.1
case("cross modal linear", lambda: cross_modal(F.linear(xs, xw, xb), xt, "sum"),
     {"s": xs, "t": xt, "weight": xw, "bias": xb}, {"adaptor": "linear", "reduction": "sum"}, (xw, xb))
ms, mt = torch.randn(3, 4, 2, 2), torch.randn(3, 6, 2, 2)
mw, mb = torch.randn(6, 4, 1, 1) * 0.3, torch.randn(6) * 0.1
case("cross modal conv1x1", lambda: cross_modal(F.conv2d(ms, mw, mb), mt, "mean"),
     {"s": ms, "t": mt, "weight": mw, "bias": mb}, {"adaptor": "conv1x1", "reduction": "mean"}, (mw, mb))


# CRD (Tian et al. 2020) restated from RepDistiller's crd/criterion.py (CRDLoss, ContrastLoss,
# Embed) and crd/memory.py (ContrastMemory): embeddings are linear maps followed by division by
# their L2 norm; each side is scored against the other side's memory bank, exp(<m, v>/T)/Z with Z
# set from the first batch (mean score times n_data) and fixed afterwards; the NCE loss of the
# positive (column 0) and the K negatives with noise probability 1/n_data; after the scores, the
# rows idx of each bank move to momentum*row + (1 - momentum)*embedding, renormalised.
class CrdReference:
    def __init__(self, n_data, temperature, momentum, heads, memory_s, memory_t):
        self.n_data, self.temperature, self.momentum = n_data, temperature, momentum
        self.heads = heads
        self.memory_s, self.memory_t = memory_s.clone(), memory_t.clone()
        self.z_s = self.z_t = None

    @staticmethod
    def embed(x, weight, bias):
        z = F.linear(x.flatten(1), weight, bias)
        return z / z.pow(2).sum(1, keepdim=True).pow(0.5)

    def scores(self, bank, contrast_idx, anchor):
        b, d = anchor.shape
        rows = bank.index_select(0, contrast_idx.reshape(-1)).detach().view(b, -1, d)
        return torch.exp(torch.bmm(rows, anchor.view(b, d, 1)) / self.temperature)

    def nce(self, x):
        negatives = x.shape[1] - 1
        noise = negatives * (1.0 / self.n_data)
        positive, negative = x[:, 0], x[:, 1:]
        log_d1 = torch.log(positive / (positive + (noise + 1e-7)))
        log_d0 = torch.log(torch.full_like(negative, noise) / (negative + (noise + 1e-7)))
        return -(log_d1.sum() + log_d0.sum()) / x.shape[0]

    def update(self, bank, idx, v):
        with torch.no_grad():
            rows = bank.index_select(0, idx) * self.momentum + v * (1 - self.momentum)
            bank.index_copy_(0, idx, rows / rows.pow(2).sum(1, keepdim=True).pow(0.5))

    def step(self, f_s, f_t, idx, contrast_idx):
        v_s = self.embed(f_s, *self.heads[0])
        v_t = self.embed(f_t, *self.heads[1])
        out_s = self.scores(self.memory_t, contrast_idx, v_s)  # the student as anchor
        out_t = self.scores(self.memory_s, contrast_idx, v_t)  # the teacher as anchor
        if self.z_s is None:
            self.z_s = (out_s.mean() * self.n_data).item()
        if self.z_t is None:
            self.z_t = (out_t.mean() * self.n_data).item()
        loss = self.nce(out_s / self.z_s) + self.nce(out_t / self.z_t)
        self.update(self.memory_s, idx, v_s)
        self.update(self.memory_t, idx, v_t)
        return loss


crd_config = {"s_dim": 6, "t_dim": 5, "feat_dim": 8, "nce_k": 16384, "n_data": 12, "nce_t": 0.07,
              "momentum": 0.5}
n_data, feat_dim = crd_config["n_data"], crd_config["feat_dim"]
negatives = min(crd_config["nce_k"], n_data)
stdv = 1.0 / (feat_dim / 3) ** 0.5
heads = [(torch.randn(feat_dim, 6) * 0.4, torch.randn(feat_dim) * 0.1),
         (torch.randn(feat_dim, 5) * 0.4, torch.randn(feat_dim) * 0.1)]
memory_s = torch.rand(n_data, feat_dim) * (2 * stdv) - stdv
memory_t = torch.rand(n_data, feat_dim) * (2 * stdv) - stdv
crd = {"config": crd_config, "negatives": negatives,
       "embed_s": {"weight": tensor(heads[0][0]), "bias": tensor(heads[0][1])},
       "embed_t": {"weight": tensor(heads[1][0]), "bias": tensor(heads[1][1])},
       "memory_s": tensor(memory_s), "memory_t": tensor(memory_t), "steps": []}
reference = CrdReference(n_data, crd_config["nce_t"], crd_config["momentum"], heads, memory_s, memory_t)
for w in [x for head in heads for x in head]:
    w.requires_grad_(True)
for idx in [torch.tensor([3, 7, 0, 10]), torch.tensor([7, 1, 3, 11])]:
    f_s = torch.randn(4, 2, 3).requires_grad_(True)
    f_t = torch.randn(4, 5).requires_grad_(True)
    contrast_idx = torch.cat([idx.view(-1, 1), torch.randint(0, n_data, (4, negatives))], dim=1)
    for w in [x for head in heads for x in head]:
        w.grad = None
    loss = reference.step(f_s, f_t, idx, contrast_idx)
    loss.backward()
    crd["steps"].append({
        "f_s": tensor(f_s), "f_t": tensor(f_t), "idx": tensor(idx), "contrast_idx": tensor(contrast_idx),
        "value": loss.item(), "z_s": reference.z_s, "z_t": reference.z_t,
        "grad_f_s": tensor(f_s.grad), "grad_f_t": tensor(f_t.grad),
        "grad_embed_s": [tensor(heads[0][0].grad), tensor(heads[0][1].grad)],
        "grad_embed_t": [tensor(heads[1][0].grad), tensor(heads[1][1].grad)],
        "memory_s": tensor(reference.memory_s), "memory_t": tensor(reference.memory_t)})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
with open(out, "w") as f:
    json.dump({"source": f"PyTorch {torch.__version__}", "tolerance": 1e-5, "cases": cases, "crd": crd}, f)
print(f"wrote {len(cases)} cases and {len(crd['steps'])} CRD steps to {out}")
