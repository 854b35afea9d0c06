"""TorchScript teachers and their outputs, for kd-core's torchscript: adapter tests.

Run from the repository root with the pinned torch (xtask/python-requirements.txt):
    ~/.cache/kd/torch-2.13.0/bin/python tests/golden/torchscript/gen.py
Writes three small models (.pt) and cases.json with inputs and PyTorch's outputs.
"""
import json
import pathlib

import torch

assert torch.__version__.split("+")[0] == "2.13.0", torch.__version__
OUT = pathlib.Path(__file__).resolve().parent
torch.manual_seed(0)


class Logits(torch.nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.hidden = torch.nn.Linear(n_in, 8)
        self.out = torch.nn.Linear(8, n_out)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x)))


class Probabilities(torch.nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.logits = Logits(n_in, n_out)

    def forward(self, x):
        return torch.softmax(self.logits(x), dim=1)


x = torch.randn(7, 4)
cases = {"source": f"torch {torch.__version__}", "tolerance": 1e-6, "x": x.tolist(), "models": {}}
for name, module, kind in [
    ("multiclass_logits", Logits(4, 3), "logits"),
    ("multiclass_probabilities", Probabilities(4, 3), "probabilities"),
    ("binary_logit", Logits(4, 1), "logits"),
    ("regression", Logits(4, 1), "values"),
]:
    module.eval()
    scripted = torch.jit.script(module)
    scripted.save(str(OUT / f"{name}.pt"))
    with torch.no_grad():
        raw = module(x)
    if kind == "logits" and raw.shape[1] > 1:
        expected = torch.softmax(raw.double(), dim=1)
    elif kind == "logits":
        p = torch.sigmoid(raw.double())
        expected = torch.cat([1 - p, p], dim=1)
    else:
        expected = raw.double()
    cases["models"][name] = {"output": kind, "expected": expected.tolist()}
(OUT / "cases.json").write_text(json.dumps(cases, indent=1) + "\n")
print("wrote", ", ".join(cases["models"]))
