#!/usr/bin/env python3
"""Reference fixture for numerics/forest: scikit-learn's RandomForestRegressor on small generated data.

Run with Debian's python3-sklearn (apt-get install -y python3-sklearn):
    /usr/bin/python3 numerics/forest/make-fixture.py > numerics/forest/forest-fixture.json
Three data sets, each split into train/test: composition-like sparse fractions (the screen's case),
Friedman #1 (dense, in [0, 1]) and a dense Gaussian one with negative values (the zero block sits
between negatives and positives). The fixture stores the data and sklearn's test R² of
RandomForestRegressor(n_estimators=200) under five seeds (their spread is the seed noise).
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.datasets import make_friedman1
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score


def compositions(rng, n, n_elements=30):
    """Rows of 2-4 elements with small-integer stoichiometry, as fractions; a nonlinear target."""
    x = np.zeros((n, n_elements))
    prop = rng.normal(size=n_elements)
    for i in range(n):
        k = rng.integers(2, 5)
        els = rng.choice(n_elements, size=k, replace=False)
        amounts = rng.integers(1, 6, size=k).astype(float)
        x[i, els] = amounts / amounts.sum()
    y = x @ prop + 2.0 * np.sqrt(x[:, 0] * x[:, 1]) + 1.5 * (x[:, 2] > 0.3) + 0.1 * rng.normal(size=n)
    return x, y


def main():
    rng = np.random.default_rng(20240601)
    sets = []
    xc, yc = compositions(rng, 600)
    sets.append(("compositions", xc, yc, 450))
    xf, yf = make_friedman1(n_samples=500, n_features=8, noise=0.5, random_state=3)
    sets.append(("friedman1", xf, yf, 350))
    xg = rng.normal(size=(900, 5))
    yg = np.sin(2 * xg[:, 0]) + xg[:, 1] * xg[:, 2] - np.abs(xg[:, 3]) + 0.2 * rng.normal(size=900)
    sets.append(("gaussian", xg, yg, 600))
    out = {"sklearn": sklearn.__version__, "estimator": "RandomForestRegressor(n_estimators=200, random_state=seed)", "datasets": []}
    for name, x, y, n_train in sets:
        r2 = []
        for seed in range(5):
            rf = RandomForestRegressor(n_estimators=200, random_state=seed, n_jobs=2).fit(x[:n_train], y[:n_train])
            r2.append(float(r2_score(y[n_train:], rf.predict(x[n_train:]))))
        out["datasets"].append({
            "name": name,
            "nCols": x.shape[1],
            "xTrain": [round(float(v), 12) for v in x[:n_train].ravel()],
            "yTrain": [round(float(v), 12) for v in y[:n_train]],
            "xTest": [round(float(v), 12) for v in x[n_train:].ravel()],
            "yTest": [round(float(v), 12) for v in y[n_train:]],
            "r2Sklearn": r2,
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
