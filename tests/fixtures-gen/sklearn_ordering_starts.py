#!/usr/bin/env python3
"""Runs scikit-learn 1.2.1's SMACOF start by start at the thesis's settings (n_init 20,000, max_iter 500, eps 1e-3,
random_state 42, 1-D, metric) on the chemical distance from stdin, and writes stages/ordering-sklearn-starts.fixture.json:
a sha256 over every start's stress (float64 LE) and n_iter (int32 LE), in order, plus the starts within 1e-12 of the
best stress. stages/ordering-sklearn.test.ts checks our 20,000 starts against it (sklearn.manifold.smacof keeps only
the best, so this calls _smacof_single in the same loop, with the same RandomState). One BLAS thread (see
numpy_arith.py). ~1.5 min.
  apt-get install -y python3-sklearn
  node bin/pipeline-ts.mjs tests/fixtures-gen/distances.ts | /usr/bin/python3 tests/fixtures-gen/sklearn_ordering_starts.py"""
import hashlib, json, os, sys
os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy loads OpenBLAS
import numpy as np, sklearn
from sklearn.manifold._mds import _smacof_single
from sklearn.utils import check_random_state

d = json.load(sys.stdin)
n = d["n"]
D = np.array(d["D"]).reshape(n, n)
N_INIT = 20_000
rs = check_random_state(42)
stress = np.empty(N_INIT)
n_iter = np.empty(N_INIT, dtype="<i4")
for i in range(N_INIT):
    _, stress[i], n_iter[i] = _smacof_single(D, metric=True, n_components=1, max_iter=500, eps=1e-3, random_state=rs, normalized_stress=False)
best = float(stress.min())
near = [[i, float(stress[i])] for i in range(N_INIT) if stress[i] <= best * (1 + 1e-12)]
out = {
    "source": f"scikit-learn {sklearn.__version__} _smacof_single per start, numpy {np.__version__}, OpenBLAS 1 thread",
    "n_init": N_INIT,
    "sha256_stress_f64le_then_n_iter_i32le": hashlib.sha256(stress.astype("<f8").tobytes() + n_iter.tobytes()).hexdigest(),
    "best": [int(stress.argmin()), best],
    "within_1e-12_of_best": near,
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "stages", "ordering-sklearn-starts.fixture.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(path), out["best"], len(near), file=sys.stderr)
