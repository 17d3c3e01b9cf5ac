#!/usr/bin/env python3
"""Solves thesis eq. 3.3 (default reading, every λ of the grid, x0 = 1) with scipy's L-BFGS-B and with
scipy.optimize.minimize's default (BFGS), and writes stages/spacing-scipy.fixture.json, which
stages/spacing-scipy.test.ts compares our L-BFGS against. The problem comes on stdin:
  apt-get install -y python3-scipy
  node bin/pipeline-ts.mjs tests/fixtures-gen/spacing-problem.ts | /usr/bin/python3 tests/fixtures-gen/spacing_scipy.py"""
import json, os, sys
import numpy as np, scipy
from scipy.optimize import minimize

prob = json.load(sys.stdin)
n, eta = prob["n"], prob["eta"]
W = np.array(prob["W"]).reshape(n, n)
iu = np.triu_indices(n, 1)
w = W[iu]

def loss(x, lam):
    c = np.concatenate([[0.0], np.cumsum(x)])
    D = c[iu[1]] - c[iu[0]]
    f = eta * (x.sum() - n) ** 2 + np.sum(w * D + lam / D)
    g_pair = w - lam / D ** 2
    # pair (i, j) acts on gaps i … j−1
    diff = np.zeros(n)
    np.add.at(diff, iu[0], g_pair)
    np.add.at(diff, iu[1], -g_pair)
    g = np.cumsum(diff)[: n - 1] + 2 * eta * (x.sum() - n)
    return f, g

out = {"scipy": scipy.__version__, "reading": prob["reading"], "eta": eta, "distanceSpan": prob["distanceSpan"], "lambdas": []}
x0 = np.ones(n - 1)
for lam in [1, 2, 4, 6, 8, 12, 16, 32, 64, 100]:
    lb = minimize(loss, x0, args=(lam,), jac=True, method="L-BFGS-B", bounds=[(1e-9, None)] * (n - 1), options={"maxiter": 20000, "ftol": 1e-15, "gtol": 1e-10})
    # the thesis's call: minimize(f, x0) with its default method (BFGS) and default tolerances
    bf = minimize(lambda x: loss(x, lam)[0], x0)
    out["lambdas"].append({
        "lambda": lam,
        "lbfgsb": {"loss": float(lb.fun), "success": bool(lb.success), "gaps": lb.x.tolist()},
        "bfgs": {"loss": float(bf.fun), "success": bool(bf.success), "message": str(bf.message),
                 "maxAbsGapDiffVsLbfgsb": float(np.abs(bf.x - lb.x).max())},
    })
    print(lam, lb.fun, lb.success, "| BFGS", bf.fun, bf.success, bf.message, np.abs(bf.x - lb.x).max(), file=sys.stderr)
path = os.path.join(os.path.dirname(__file__), "..", "..", "stages", "spacing-scipy.fixture.json")
with open(path, "w") as f:
    json.dump(out, f)
    f.write("\n")
print("wrote", os.path.normpath(path), file=sys.stderr)
