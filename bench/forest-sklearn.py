#!/usr/bin/env python3
"""scikit-learn's side of `npm run bench:forest`: fit RandomForestRegressor on the rows the TypeScript
side wrote (float64 raw files), print {"r2", "fit_s"}. Debian's python3-sklearn."""
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score

d = sys.argv[1]
meta = json.load(open(f"{d}/meta.json"))
x_train = np.fromfile(f"{d}/x_train.f64").reshape(-1, meta["cols"])
y_train = np.fromfile(f"{d}/y_train.f64")
x_test = np.fromfile(f"{d}/x_test.f64").reshape(-1, meta["cols"])
y_test = np.fromfile(f"{d}/y_test.f64")
rf = RandomForestRegressor(n_estimators=meta["trees"], n_jobs=meta["jobs"], random_state=meta["seed"])
t0, c0 = time.perf_counter(), time.process_time()
rf.fit(x_train, y_train)
fit_s, cpu_s = time.perf_counter() - t0, time.process_time() - c0
pred = rf.predict(x_test)
# MAE in the standardised unit; the TypeScript side multiplies by the fold's sd
print(json.dumps({"r2": float(r2_score(y_test, pred)), "mae": float(np.mean(np.abs(y_test - pred))), "fit_s": fit_s, "cpu_s": cpu_s}))
