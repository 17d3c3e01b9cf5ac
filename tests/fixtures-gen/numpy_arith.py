#!/usr/bin/env python3
"""Writes numerics/mds/numpy-arith.fixture.json: what numpy 1.24 (Debian python3-numpy, OpenBLAS 0.3.21 on a
Haswell-class core) returns for `.sum()`, row sums and `np.dot(B, x)`, on inputs both sides draw from
numpy RandomState (numerics/mds/mt19937.ts replays the draws), so the fixture holds only the outputs.
One BLAS thread: OpenBLAS splits a threaded dgemv by output rows, and a share that is not a multiple of 4
runs other kernels (at n = 96 any thread count whose shares are multiples of 4 gives the same bits).
Run: apt-get install -y python3-numpy libopenblas0-pthread
     OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tests/fixtures-gen/numpy_arith.py"""
import ctypes, glob, json, os
os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy loads OpenBLAS
import numpy as np

def core():
    for lib in glob.glob("/usr/lib/x86_64-linux-gnu/openblas*/libblas.so.3"):
        f = ctypes.CDLL(lib).openblas_get_corename
        f.restype = ctypes.c_char_p
        return f().decode()
    return "unknown"

def draws(seed, size, scale):
    # centred, scaled uniforms; the JS side computes the same IEEE operations
    return (np.random.RandomState(seed).uniform(size=size) - 0.5) * scale

out = {"numpy": np.__version__, "blas_core": core(), "sums": [], "row_sums": [], "dgemv": []}
for seed, n in [(1, 5), (2, 96), (3, 127), (4, 129), (5, 1000), (6, 9216), (7, 20000)]:
    a = draws(seed, n, 1e6)
    out["sums"].append({"seed": seed, "n": n, "scale": 1e6, "sum": float(a.sum())})
for seed, n in [(11, 96), (12, 93)]:
    M = draws(seed, n * n, 1e6).reshape(n, n)
    out["row_sums"].append({"seed": seed, "n": n, "scale": 1e6, "sums": M.sum(axis=1).tolist()})
for seed, n in [(21, 92), (22, 93), (23, 94), (24, 95), (25, 96), (26, 97), (27, 8)]:
    B = draws(seed, n * n, 1e6).reshape(n, n)
    x = draws(seed + 100, n, 1e6).reshape(n, 1)
    out["dgemv"].append({"seed": seed, "xSeed": seed + 100, "n": n, "scale": 1e6, "y": np.dot(B, x).ravel().tolist()})
path = os.path.join(os.path.dirname(__file__), "..", "..", "numerics", "mds", "numpy-arith.fixture.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(path), out["blas_core"])
